package dev.baton.ingest.jdbc;

import dev.baton.api.ingest.LoadColumn;
import java.sql.Connection;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/** What differs between the databases a {@link JdbcConnector} reads: connecting, SQL spelling and the mapping of types. */
enum Dialect {
    POSTGRES("PostgreSQL", 5432) {
        @Override
        Connection connect(String host, long port, String database, String user, String password, long timeoutSeconds) throws SQLException {
            Properties properties = new Properties();
            properties.setProperty("user", user);
            if (!password.isEmpty()) {
                properties.setProperty("password", password);
            }
            properties.setProperty("connectTimeout", Long.toString(timeoutSeconds));
            properties.setProperty("loginTimeout", Long.toString(timeoutSeconds));
            properties.setProperty("ApplicationName", "baton");
            properties.setProperty("options", "-c TimeZone=UTC");
            return new org.postgresql.Driver().connect("jdbc:postgresql://" + host + ":" + port + "/" + database, properties);
        }

        @Override
        String quote(String identifier) {
            return '"' + identifier.replace("\"", "\"\"") + '"';
        }

        @Override
        String literal(String text) {
            return "'" + text.replace("'", "''") + "'";
        }

        @Override
        String asText(String expression) {
            return "CAST(" + expression + " AS text)";
        }

        @Override
        String minusLag(String expression, boolean temporal, long lag) {
            if (lag == 0) {
                return expression;
            }
            return temporal ? "(" + expression + " - make_interval(secs => " + lag + "))" : "(" + expression + " - " + lag + ")";
        }

        @Override
        boolean temporal(int jdbcType, String typeName) {
            return jdbcType == Types.DATE || jdbcType == Types.TIMESTAMP || jdbcType == Types.TIMESTAMP_WITH_TIMEZONE;
        }

        /**
         * Adds to the CSV mapping how the column travels in a binary COPY: as it is for the types
         * {@link PgWire} decodes, as a float8 for an unconstrained numeric (which lands as DOUBLE),
         * and as the CSV path's text otherwise.
         */
        @Override
        MappedColumn map(ResultSetMetaData metadata, int index) throws SQLException {
            MappedColumn text = textMap(metadata, index);
            String typeName = metadata.getColumnTypeName(index).toLowerCase(Locale.ROOT);
            String name = text.column().name();
            PgWire wire = PgWire.of(typeName);
            PgBinaryCopy.PgBinaryColumn binary;
            String expression = text.selectExpression();
            if (wire == null) {
                // Arrays, json, bytea, intervals and the rest: the CSV path's text expression, converted the same way.
                binary = new PgBinaryCopy.PgBinaryColumn(name, PgWire.TEXT, 0, 0);
            } else if (typeName.equals("char")) {
                // The one-byte "char" is sent raw in binary; as text it is escaped like the CSV path's.
                binary = new PgBinaryCopy.PgBinaryColumn(name, PgWire.TEXT, 0, 0);
                expression = quote(name) + "::text";
            } else if (wire == PgWire.NUMERIC && text.column().csvType().equals("DOUBLE")) {
                // An unconstrained or wider-than-38-digit numeric lands as DOUBLE: PostgreSQL converts it.
                binary = new PgBinaryCopy.PgBinaryColumn(name, PgWire.FLOAT8, 0, 0);
                expression = quote(name) + "::float8";
            } else {
                binary = new PgBinaryCopy.PgBinaryColumn(name, wire, metadata.getPrecision(index), metadata.getScale(index));
            }
            return new MappedColumn(text.column(), text.selectExpression(), java.util.Optional.of(new BinaryColumn(binary, expression)));
        }

        private MappedColumn textMap(ResultSetMetaData metadata, int index) throws SQLException {
            String name = metadata.getColumnLabel(index);
            String typeName = metadata.getColumnTypeName(index).toLowerCase(Locale.ROOT);
            String quoted = quote(name);
            if (typeName.startsWith("_")) {
                String element = elementType(typeName.substring(1), metadata.getPrecision(index), metadata.getScale(index));
                if (element != null) {
                    return new MappedColumn(new LoadColumn(name, "VARCHAR", "CAST(from_json(%s, '[\"" + element + "\"]') AS " + element + "[])",
                            typeName.substring(1) + "[]"), "array_to_json(" + quoted + ")::text");
                }
                return new MappedColumn(new LoadColumn(name, "VARCHAR", "CAST(%s AS JSON)", typeName.substring(1) + "[]"),
                        "array_to_json(" + quoted + ")::text");
            }
            switch (typeName) {
                case "bytea":
                    return new MappedColumn(new LoadColumn(name, "VARCHAR", "unhex(%s)", typeName), "encode(" + quoted + ", 'hex')");
                case "json":
                case "jsonb":
                    return new MappedColumn(new LoadColumn(name, "VARCHAR", "CAST(%s AS JSON)", typeName), quoted + "::text");
                default:
                    String type = elementType(typeName, metadata.getPrecision(index), metadata.getScale(index));
                    if (type != null) {
                        return new MappedColumn(LoadColumn.direct(name, type, typeName), quoted);
                    }
                    return new MappedColumn(LoadColumn.direct(name, "VARCHAR", typeName), quoted + "::text");
            }
        }

        private String elementType(String typeName, int precision, int scale) {
            return switch (typeName) {
                case "int2" -> "SMALLINT";
                case "int4" -> "INTEGER";
                case "int8" -> "BIGINT";
                case "float4" -> "FLOAT";
                case "float8" -> "DOUBLE";
                case "numeric" -> numeric(precision, scale);
                case "bool" -> "BOOLEAN";
                case "date" -> "DATE";
                case "timestamp" -> "TIMESTAMP";
                case "timestamptz" -> "TIMESTAMPTZ";
                case "time" -> "TIME";
                case "text", "varchar", "bpchar", "name", "citext", "char" -> "VARCHAR";
                case "uuid" -> "UUID";
                default -> null;
            };
        }
    },
    MARIADB("MariaDB", 3306) {
        @Override
        Connection connect(String host, long port, String database, String user, String password, long timeoutSeconds) throws SQLException {
            Properties properties = new Properties();
            properties.setProperty("user", user);
            if (!password.isEmpty()) {
                properties.setProperty("password", password);
            }
            properties.setProperty("connectTimeout", Long.toString(timeoutSeconds * 1000));
            properties.setProperty("sessionVariables", "time_zone='+00:00'");
            return new org.mariadb.jdbc.Driver().connect("jdbc:mariadb://" + host + ":" + port + "/" + database, properties);
        }

        @Override
        String quote(String identifier) {
            return '`' + identifier.replace("`", "``") + '`';
        }

        @Override
        String literal(String text) {
            return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
        }

        @Override
        String asText(String expression) {
            return "CAST(" + expression + " AS CHAR)";
        }

        @Override
        String minusLag(String expression, boolean temporal, long lag) {
            if (lag == 0) {
                return expression;
            }
            return temporal ? "(" + expression + " - INTERVAL " + lag + " SECOND)" : "(" + expression + " - " + lag + ")";
        }

        @Override
        boolean temporal(int jdbcType, String typeName) {
            return jdbcType == Types.DATE || jdbcType == Types.TIMESTAMP || typeName.startsWith("DATETIME") || typeName.startsWith("TIMESTAMP");
        }

        @Override
        MappedColumn map(ResultSetMetaData metadata, int index) throws SQLException {
            String name = metadata.getColumnLabel(index);
            String typeName = metadata.getColumnTypeName(index).toUpperCase(Locale.ROOT);
            String quoted = quote(name);
            boolean unsigned = typeName.contains("UNSIGNED") || !metadata.isSigned(index);
            int jdbcType = metadata.getColumnType(index);
            if (typeName.equals("UUID")) {
                return new MappedColumn(LoadColumn.direct(name, "UUID", typeName), quoted);
            }
            if (typeName.startsWith("TIMESTAMP")) {
                // The session runs in UTC, so the text is a UTC time; say so.
                return new MappedColumn(LoadColumn.direct(name, "TIMESTAMPTZ", typeName), "CONCAT(CAST(" + quoted + " AS CHAR), '+00')");
            }
            String type = switch (jdbcType) {
                case Types.BIT, Types.BOOLEAN -> "BOOLEAN";
                case Types.TINYINT -> unsigned ? "UTINYINT" : "TINYINT";
                case Types.SMALLINT -> unsigned ? "USMALLINT" : "SMALLINT";
                case Types.INTEGER -> unsigned ? "UINTEGER" : "INTEGER";
                case Types.BIGINT -> unsigned ? "UBIGINT" : "BIGINT";
                case Types.REAL -> "FLOAT";
                case Types.FLOAT, Types.DOUBLE -> "DOUBLE";
                case Types.DECIMAL, Types.NUMERIC -> numeric(metadata.getPrecision(index), metadata.getScale(index));
                case Types.DATE -> typeName.equals("YEAR") ? "INTEGER" : "DATE";
                case Types.TIMESTAMP -> "TIMESTAMP";
                case Types.TIME -> "TIME";
                case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> "BLOB";
                default -> "VARCHAR";
            };
            if (type.equals("BOOLEAN")) {
                return new MappedColumn(new LoadColumn(name, "TINYINT", "CAST(%s AS BOOLEAN)", typeName), "CAST(" + quoted + " AS SIGNED)");
            }
            if (type.equals("BLOB")) {
                return new MappedColumn(new LoadColumn(name, "VARCHAR", "unhex(%s)", typeName), "HEX(" + quoted + ")");
            }
            if (type.equals("INTEGER") && typeName.equals("YEAR")) {
                return new MappedColumn(LoadColumn.direct(name, type, typeName), "CAST(" + quoted + " AS SIGNED)");
            }
            return new MappedColumn(LoadColumn.direct(name, type, typeName), quoted);
        }
    };

    private final String label;
    private final int defaultPort;

    Dialect(String label, int defaultPort) {
        this.label = label;
        this.defaultPort = defaultPort;
    }

    String label() {
        return label;
    }

    int defaultPort() {
        return defaultPort;
    }

    abstract Connection connect(String host, long port, String database, String user, String password, long timeoutSeconds) throws SQLException;

    abstract String quote(String identifier);

    abstract String literal(String text);

    abstract String asText(String expression);

    /** The expression minus the lag: seconds for a temporal cursor, units for a numeric one. */
    abstract String minusLag(String expression, boolean temporal, long lag);

    abstract boolean temporal(int jdbcType, String typeName);

    /** How a source column is selected and what it becomes in the warehouse. */
    abstract MappedColumn map(ResultSetMetaData metadata, int index) throws SQLException;

    /** Exact decimals up to the warehouse's 38 digits; wider or unconstrained numbers as DOUBLE. */
    static String numeric(int precision, int scale) {
        if (precision <= 0 || precision > 38 || scale < 0 || scale > precision) {
            return "DOUBLE";
        }
        return "DECIMAL(" + precision + "," + scale + ")";
    }

    /** SQLSTATE classes that mean the server could not be reached or refused the login. */
    static final Set<String> CONNECTION_STATES = Set.of("08", "28");

    /**
     * A column as the connector reads it.
     *
     * @param column what lands in the warehouse
     * @param selectExpression how the source query selects it (already converted to text-friendly form)
     */
    record MappedColumn(LoadColumn column, String selectExpression, java.util.Optional<BinaryColumn> binary) {
        MappedColumn(LoadColumn column, String selectExpression) {
            this(column, selectExpression, java.util.Optional.empty());
        }
    }

    /**
     * How a column travels in PostgreSQL's binary COPY.
     *
     * @param column its wire type and Arrow field
     * @param selectExpression how the binary COPY's query selects it
     */
    record BinaryColumn(PgBinaryCopy.PgBinaryColumn column, String selectExpression) {}
}
