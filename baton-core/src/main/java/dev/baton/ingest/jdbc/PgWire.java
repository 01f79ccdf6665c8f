package dev.baton.ingest.jdbc;

import java.util.Map;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * How a PostgreSQL column travels in {@code COPY ... (FORMAT binary)} and which Arrow type it
 * becomes. Types without a binary decoder here are selected as text (the same expressions as the
 * CSV path) and travel as {@link #TEXT}.
 */
enum PgWire {
    INT2,
    INT4,
    INT8,
    FLOAT4,
    FLOAT8,
    /** {@code numeric(p,s)} with 1 <= p <= 38: base-10000 digits, as a decimal of that precision and scale. */
    NUMERIC,
    BOOL,
    DATE,
    TIMESTAMP,
    TIMESTAMPTZ,
    TIME,
    UUID,
    /** Text in the client encoding (UTF-8 for the driver). */
    TEXT;

    /** The wire type of a column PostgreSQL names {@code typeName}, when it is sent as it is; {@code null} when it is sent as text. */
    static PgWire of(String typeName) {
        return switch (typeName) {
            case "int2" -> INT2;
            case "int4" -> INT4;
            case "int8" -> INT8;
            case "float4" -> FLOAT4;
            case "float8" -> FLOAT8;
            case "numeric" -> NUMERIC;
            case "bool" -> BOOL;
            case "date" -> DATE;
            case "timestamp" -> TIMESTAMP;
            case "timestamptz" -> TIMESTAMPTZ;
            case "time" -> TIME;
            case "uuid" -> UUID;
            case "text", "varchar", "bpchar", "name", "citext", "char" -> TEXT;
            default -> null;
        };
    }

    /** The Arrow field a column of this wire type fills; {@code precision} and {@code scale} serve {@link #NUMERIC}. */
    Field field(String name, int precision, int scale) {
        ArrowType type = switch (this) {
            case INT2 -> new ArrowType.Int(16, true);
            case INT4 -> new ArrowType.Int(32, true);
            case INT8 -> new ArrowType.Int(64, true);
            case FLOAT4 -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            case FLOAT8 -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case NUMERIC -> new ArrowType.Decimal(precision, scale, 128);
            case BOOL -> ArrowType.Bool.INSTANCE;
            case DATE -> new ArrowType.Date(DateUnit.DAY);
            case TIMESTAMP -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
            case TIMESTAMPTZ -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
            case TIME -> new ArrowType.Time(TimeUnit.MICROSECOND, 64);
            case UUID -> new ArrowType.FixedSizeBinary(16);
            case TEXT -> ArrowType.Utf8.INSTANCE;
        };
        // Arrow's canonical UUID extension: the warehouse reads the 16 bytes as a UUID, not a BLOB.
        Map<String, String> metadata = this == UUID ? Map.of("ARROW:extension:name", "arrow.uuid", "ARROW:extension:metadata", "") : null;
        return new Field(name, new FieldType(true, type, null, metadata), null);
    }
}
