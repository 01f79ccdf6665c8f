package dev.baton.ingest.jdbc;

import dev.baton.ingest.ArrowHandoff;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.util.List;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.postgresql.copy.CopyOut;

/**
 * Reads {@code COPY ... TO STDOUT (FORMAT binary)} into Arrow batches: each field arrives in
 * PostgreSQL's binary send format (big-endian integers, IEEE floats, base-10000 numeric digits,
 * microseconds and days since 2000-01-01) and is written into its vector as it is, with no text
 * in between. The format is documented with the COPY command.
 */
final class PgBinaryCopy {
    /** Rows per batch: a few of the warehouse's vectors, small enough that a queue of them stays in tens of megabytes. */
    static final int BATCH_ROWS = 65_536;

    /** Bytes of field data per batch, at most (roughly): wide rows make smaller batches, so that memory stays bounded. */
    static final long BATCH_BYTES = 16L << 20;

    /** PostgreSQL counts days and microseconds from 2000-01-01; Arrow from 1970-01-01. */
    private static final int EPOCH_DAYS = 10_957;

    private static final long EPOCH_MICROS = 946_684_800_000_000L;

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    private final List<PgBinaryColumn> columns;
    private final ArrowHandoff handoff;

    PgBinaryCopy(List<PgBinaryColumn> columns, ArrowHandoff handoff) {
        this.columns = List.copyOf(columns);
        this.handoff = handoff;
    }

    /** A column of the binary COPY: its wire type, and precision and scale for numerics. */
    record PgBinaryColumn(String name, PgWire wire, int precision, int scale) {
        org.apache.arrow.vector.types.pojo.Field field() {
            return wire.field(name, precision, scale);
        }
    }

    /**
     * Reads every row of the COPY into batches handed to the warehouse.
     *
     * @return the number of rows read
     */
    long read(CopyOut copy) throws SQLException, IOException {
        int width = columns.size();
        PgWire[] wires = new PgWire[width];
        int[] scales = new int[width];
        boolean[] narrow = new boolean[width];
        for (int i = 0; i < width; i++) {
            wires[i] = columns.get(i).wire();
            scales[i] = columns.get(i).scale();
            narrow[i] = columns.get(i).precision() <= 18;
        }
        try (VectorSchemaRoot root = VectorSchemaRoot.create(handoff.schema(), handoff.allocator())) {
            FieldVector[] vectors = root.getFieldVectors().toArray(new FieldVector[0]);
            for (FieldVector vector : vectors) {
                if (vector instanceof BaseVariableWidthVector variable) {
                    variable.setInitialCapacity(BATCH_ROWS, 16);
                } else {
                    vector.setInitialCapacity(BATCH_ROWS);
                }
            }
            root.allocateNew();
            long rows = 0;
            int filled = 0;
            long batchBytes = 0;
            boolean header = true;
            byte[] message;
            while ((message = copy.readFromCopy()) != null) {
                int at = 0;
                if (header) {
                    at = skipHeader(message);
                    header = false;
                    if (at >= message.length) {
                        continue;
                    }
                }
                int fields = (short) u16(message, at);
                at += 2;
                if (fields == -1) {
                    continue;
                }
                if (fields != width) {
                    throw new IOException("a row of the binary COPY has " + fields + " fields where " + width + " were expected");
                }
                for (int field = 0; field < width; field++) {
                    int length = i32(message, at);
                    at += 4;
                    FieldVector vector = vectors[field];
                    if (length < 0) {
                        vector.setNull(filled);
                        continue;
                    }
                    switch (wires[field]) {
                        case INT2 -> ((SmallIntVector) vector).set(filled, (short) u16(message, at));
                        case INT4 -> ((IntVector) vector).set(filled, i32(message, at));
                        case INT8 -> ((BigIntVector) vector).set(filled, i64(message, at));
                        case FLOAT4 -> ((Float4Vector) vector).set(filled, Float.intBitsToFloat(i32(message, at)));
                        case FLOAT8 -> ((Float8Vector) vector).set(filled, Double.longBitsToDouble(i64(message, at)));
                        case NUMERIC -> setNumeric((DecimalVector) vector, filled, message, at, scales[field], narrow[field], columns.get(field).name());
                        case BOOL -> ((BitVector) vector).set(filled, message[at] != 0 ? 1 : 0);
                        case DATE -> ((DateDayVector) vector).set(filled, days(i32(message, at)));
                        case TIMESTAMP -> ((TimeStampMicroVector) vector).set(filled, micros(i64(message, at)));
                        case TIMESTAMPTZ -> ((TimeStampMicroTZVector) vector).set(filled, micros(i64(message, at)));
                        case TIME -> ((TimeMicroVector) vector).set(filled, i64(message, at));
                        case UUID -> {
                            FixedSizeBinaryVector uuid = (FixedSizeBinaryVector) vector;
                            uuid.getDataBuffer().setBytes((long) filled * 16, message, at, 16);
                            uuid.setIndexDefined(filled);
                        }
                        case TEXT -> ((VarCharVector) vector).setSafe(filled, message, at, length);
                    }
                    at += length;
                }
                rows++;
                batchBytes += message.length;
                if (++filled == BATCH_ROWS || batchBytes >= BATCH_BYTES) {
                    handOver(root, filled);
                    filled = 0;
                    batchBytes = 0;
                }
            }
            if (filled > 0) {
                handOver(root, filled);
            }
            return rows;
        }
    }

    private void handOver(VectorSchemaRoot root, int rows) throws IOException {
        root.setRowCount(rows);
        handoff.put(new VectorUnloader(root).getRecordBatch());
        root.allocateNew();
    }

    private static int skipHeader(byte[] message) throws IOException {
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (message.length <= i || message[i] != SIGNATURE[i]) {
                throw new IOException("the binary COPY does not start with PostgreSQL's signature");
            }
        }
        int at = SIGNATURE.length + 4;
        return at + 4 + i32(message, at);
    }

    /** Infinity (the largest and smallest values) stays infinity; other days move to the Unix epoch. */
    private static int days(int pgDays) {
        if (pgDays == Integer.MAX_VALUE) {
            return Integer.MAX_VALUE;
        }
        if (pgDays == Integer.MIN_VALUE) {
            return -Integer.MAX_VALUE;
        }
        return pgDays + EPOCH_DAYS;
    }

    private static long micros(long pgMicros) {
        if (pgMicros == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        if (pgMicros == Long.MIN_VALUE) {
            return -Long.MAX_VALUE;
        }
        return pgMicros + EPOCH_MICROS;
    }

    /**
     * A numeric: {@code ndigits, weight, sign, dscale} then base-10000 digits, the first worth
     * 10000^weight. The unscaled value is the sum of each digit times 10^(4 * (weight - i) + scale);
     * a column's declared scale is never less than its values' display scale, so every term is whole.
     */
    private static void setNumeric(DecimalVector vector, int index, byte[] message, int at, int scale, boolean narrow, String column)
            throws IOException {
        int digits = u16(message, at);
        int weight = (short) u16(message, at + 2);
        int sign = u16(message, at + 4);
        if (sign == 0xC000 || sign == 0xD000 || sign == 0xF000) {
            throw new IOException("column " + column + " holds " + (sign == 0xC000 ? "NaN" : "an infinite number")
                    + ", which a DECIMAL cannot hold; read the source through a 'query' that casts the column to float8");
        }
        boolean negative = sign == 0x4000;
        if (narrow) {
            long unscaled = 0;
            for (int i = 0; i < digits; i++) {
                int digit = u16(message, at + 8 + 2 * i);
                int exponent = 4 * (weight - i) + scale;
                if (exponent >= 0) {
                    unscaled += digit * POWERS_OF_TEN[exponent];
                } else if (exponent > -4) {
                    unscaled += digit / POWERS_OF_TEN[-exponent];
                }
            }
            vector.set(index, negative ? -unscaled : unscaled);
            return;
        }
        BigInteger unscaled = BigInteger.ZERO;
        for (int i = 0; i < digits; i++) {
            int digit = u16(message, at + 8 + 2 * i);
            int exponent = 4 * (weight - i) + scale;
            if (exponent >= 0) {
                unscaled = unscaled.add(BigInteger.valueOf(digit).multiply(BigInteger.TEN.pow(exponent)));
            } else if (exponent > -4) {
                unscaled = unscaled.add(BigInteger.valueOf(digit / POWERS_OF_TEN[-exponent]));
            }
        }
        vector.set(index, new BigDecimal(negative ? unscaled.negate() : unscaled, scale));
    }

    private static int u16(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff);
    }

    private static int i32(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 24) | ((bytes[at + 1] & 0xff) << 16) | ((bytes[at + 2] & 0xff) << 8) | (bytes[at + 3] & 0xff);
    }

    private static long i64(byte[] bytes, int at) {
        return ((long) i32(bytes, at) << 32) | (i32(bytes, at + 4) & 0xffffffffL);
    }
}
