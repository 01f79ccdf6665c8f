package dev.baton.engine.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalog.Column;
import org.apache.spark.sql.catalog.Table;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Spark's session catalog has no {@code information_schema}; Baton reads column lists from
 * {@code information_schema.columns}, as on every other engine. A statement naming it reads a
 * temporary view of the same columns instead, filled from Spark's catalog just before, for the one
 * table the statement asks about when it names one ({@code table_schema = '...' and table_name = '...'}).
 */
final class InformationSchema {
    static final String COLUMNS_VIEW = "baton_information_schema_columns";
    private static final Pattern COLUMNS = Pattern.compile("(?i)\\binformation_schema\\.columns\\b");
    private static final Pattern SCHEMA = Pattern.compile("(?i)\\btable_schema\\s*=\\s*'((?:[^']|'')*)'");
    private static final Pattern TABLE = Pattern.compile("(?i)\\btable_name\\s*=\\s*'((?:[^']|'')*)'");
    private static final StructType SHAPE = new StructType()
            .add("table_catalog", DataTypes.StringType)
            .add("table_schema", DataTypes.StringType)
            .add("table_name", DataTypes.StringType)
            .add("column_name", DataTypes.StringType)
            .add("ordinal_position", DataTypes.IntegerType)
            .add("data_type", DataTypes.StringType)
            .add("is_nullable", DataTypes.StringType);

    private final SparkSession spark;

    InformationSchema(SparkSession spark) {
        this.spark = spark;
    }

    /** The statement with {@code information_schema.columns} replaced by a freshly filled view; other statements as they are. */
    String rewrite(String sql) throws Exception {
        Matcher columns = COLUMNS.matcher(sql);
        if (!columns.find()) {
            return sql;
        }
        Optional<String> schema = literal(SCHEMA, sql);
        Optional<String> table = literal(TABLE, sql);
        spark.createDataFrame(rows(schema, table), SHAPE).createOrReplaceTempView(COLUMNS_VIEW);
        return columns.replaceAll(COLUMNS_VIEW);
    }

    private static Optional<String> literal(Pattern pattern, String sql) {
        Matcher matcher = pattern.matcher(sql);
        return matcher.find() ? Optional.of(matcher.group(1).replace("''", "'")) : Optional.empty();
    }

    private List<Row> rows(Optional<String> onlySchema, Optional<String> onlyTable) throws Exception {
        List<Row> rows = new ArrayList<>();
        List<String> schemas = new ArrayList<>();
        if (onlySchema.isPresent()) {
            if (spark.catalog().databaseExists(onlySchema.get())) {
                schemas.add(onlySchema.get());
            }
        } else {
            for (org.apache.spark.sql.catalog.Database database : spark.catalog().listDatabases().collectAsList()) {
                schemas.add(database.name());
            }
        }
        for (String schema : schemas) {
            List<String> tables = new ArrayList<>();
            if (onlyTable.isPresent()) {
                if (spark.catalog().tableExists(schema, onlyTable.get())) {
                    tables.add(onlyTable.get());
                }
            } else {
                for (Table table : spark.catalog().listTables(schema).collectAsList()) {
                    if (!table.isTemporary()) {
                        tables.add(table.name());
                    }
                }
            }
            for (String table : tables) {
                int position = 0;
                for (Column column : spark.catalog().listColumns(schema, table).collectAsList()) {
                    position++;
                    rows.add(RowFactory.create("spark_catalog", schema, table, column.name(), position, column.dataType(),
                            column.nullable() ? "YES" : "NO"));
                }
            }
        }
        return rows;
    }
}
