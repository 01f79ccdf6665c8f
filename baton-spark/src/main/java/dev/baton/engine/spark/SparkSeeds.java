package dev.baton.engine.spark;

import dev.baton.api.engine.Relation;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Loads a seed file with Spark's CSV reader. Types are inferred (integers as bigint, as DuckDB and
 * PostgreSQL infer them) except for the columns given, which are read as text and cast, so that a
 * {@code varchar} zip code keeps its leading zeros.
 */
final class SparkSeeds {
    private SparkSeeds() {}

    static long load(SparkSession spark, String fileFormat, Relation relation, Path csvFile, Map<String, String> columnTypes) throws SQLException {
        String path = csvFile.toAbsolutePath().toString();
        String table = "`" + relation.schema().replace("`", "``") + "`.`" + relation.identifier().replace("`", "``") + "`";
        try {
            StructType inferred = reader(spark).option("inferSchema", "true").csv(path).schema();
            StructType read = new StructType();
            for (StructField field : inferred.fields()) {
                DataType type = columnTypes.containsKey(field.name()) ? DataTypes.StringType
                        : field.dataType().equals(DataTypes.IntegerType) ? DataTypes.LongType : field.dataType();
                read = read.add(field.name(), type, true);
            }
            Dataset<Row> rows = reader(spark).schema(read).csv(path);
            List<Column> columns = new ArrayList<>();
            for (StructField field : read.fields()) {
                Column column = functions.col("`" + field.name().replace("`", "``") + "`");
                String given = columnTypes.get(field.name());
                columns.add(given == null ? column : column.cast(sparkType(given)).as(field.name()));
            }
            rows.select(columns.toArray(Column[]::new)).write().format(SparkTableFormats.source(fileFormat)).saveAsTable(table);
            return spark.table(table).count();
        } catch (Exception e) {
            throw SparkErrors.translate(e, "");
        }
    }

    private static org.apache.spark.sql.DataFrameReader reader(SparkSession spark) {
        return spark.read().option("header", "true").option("multiLine", "true").option("escape", "\"").option("mode", "FAILFAST");
    }

    /** A type as seeds' {@code column_types} spell it for DuckDB or PostgreSQL, in Spark's words. */
    static String sparkType(String type) {
        String normalized = type.strip().toLowerCase(Locale.ROOT);
        if (normalized.startsWith("varchar") || normalized.startsWith("character varying") || normalized.equals("text")
                || normalized.startsWith("char") || normalized.equals("bpchar")) {
            return "string";
        }
        return switch (normalized) {
            case "integer", "int4" -> "int";
            case "int8" -> "bigint";
            case "double precision", "float8" -> "double";
            case "float4", "real" -> "float";
            case "bool" -> "boolean";
            case "numeric" -> "decimal(38, 9)";
            case "timestamp without time zone" -> "timestamp_ntz";
            default -> normalized.startsWith("numeric") ? "decimal" + normalized.substring("numeric".length()) : normalized;
        };
    }
}
