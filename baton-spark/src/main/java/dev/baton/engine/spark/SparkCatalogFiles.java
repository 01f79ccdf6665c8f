package dev.baton.engine.spark;

import static dev.baton.engine.spark.SparkEngine.quoteIdentifier;
import static dev.baton.engine.spark.SparkEngine.quoteLiteral;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.catalog.CatalogTable;
import org.apache.spark.sql.catalyst.catalog.CatalogTableType;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalog;

/**
 * Spark's in-memory catalog lives as long as its session, but the tables' files stay in the
 * warehouse. At start, every table folder of the warehouse is registered again as a managed table
 * ({@code <warehouse>/<schema>.db/<table>}), and the views written down at the end of the last run
 * ({@value #VIEWS_FILE}) are created again, so that the next run finds what the last one built.
 * With {@code catalog: hive} the metastore keeps both and none of this happens.
 */
final class SparkCatalogFiles {
    static final String VIEWS_FILE = "_baton_views.txt";

    private SparkCatalogFiles() {}

    static void restore(SparkSession spark, Path warehouse) throws IOException {
        if (!Files.isDirectory(warehouse)) {
            return;
        }
        ExternalCatalog catalog = ((org.apache.spark.sql.classic.SparkSession) spark).sharedState().externalCatalog();
        try (Stream<Path> entries = Files.list(warehouse)) {
            for (Path entry : entries.sorted().toList()) {
                String name = entry.getFileName().toString();
                if (!Files.isDirectory(entry) || name.startsWith("_") || name.startsWith(".")) {
                    continue;
                }
                if (name.endsWith(".db")) {
                    String schema = name.substring(0, name.length() - ".db".length());
                    spark.sql("create database if not exists " + quoteIdentifier(schema));
                    try (Stream<Path> tables = Files.list(entry)) {
                        for (Path table : tables.sorted().toList()) {
                            register(spark, catalog, schema, table);
                        }
                    }
                } else {
                    register(spark, catalog, "default", entry);
                }
            }
        }
        Path views = warehouse.resolve(VIEWS_FILE);
        if (Files.isRegularFile(views)) {
            createViews(spark, Files.readAllLines(views, StandardCharsets.UTF_8));
        }
    }

    private static void register(SparkSession spark, ExternalCatalog catalog, String schema, Path folder) {
        String table = folder.getFileName().toString();
        if (!Files.isDirectory(folder) || table.startsWith("_") || table.startsWith(".") || catalog.tableExists(schema, table)) {
            return;
        }
        try {
            spark.sql("create table " + quoteIdentifier(schema) + "." + quoteIdentifier(table) + " using parquet location "
                    + quoteLiteral(folder.toUri().toString()));
            catalog.alterTable(managed(catalog.getTable(schema, table)));
        } catch (Exception e) {
            // A folder that holds no readable table (an interrupted write) is left for the next build to replace.
        }
    }

    /** The table as a managed one, so that dropping it removes its files as a table Baton created does. */
    private static CatalogTable managed(CatalogTable table) throws ReflectiveOperationException {
        Method copy = null;
        for (Method method : CatalogTable.class.getMethods()) {
            if (method.getName().equals("copy")) {
                copy = method;
            }
        }
        Object[] arguments = new Object[copy.getParameterCount()];
        for (int i = 0; i < arguments.length; i++) {
            arguments[i] = CatalogTable.class.getMethod("copy$default$" + (i + 1)).invoke(table);
        }
        arguments[1] = CatalogTableType.MANAGED();
        return (CatalogTable) copy.invoke(table, arguments);
    }

    private static void createViews(SparkSession spark, List<String> lines) {
        List<String[]> pending = new ArrayList<>();
        for (String line : lines) {
            String[] parts = line.split(" ");
            if (parts.length == 3) {
                pending.add(new String[] {decode(parts[0]), decode(parts[1]), decode(parts[2])});
            }
        }
        // Views on views: create what can be created, then try the rest again, until a pass makes no progress.
        boolean progress = true;
        while (!pending.isEmpty() && progress) {
            progress = false;
            for (String[] view : List.copyOf(pending)) {
                try {
                    spark.sql("create database if not exists " + quoteIdentifier(view[0]));
                    spark.catalog().setCurrentDatabase(view[0]);
                    spark.sql("create or replace view " + quoteIdentifier(view[0]) + "." + quoteIdentifier(view[1]) + " as " + view[2]);
                    pending.remove(view);
                    progress = true;
                } catch (Exception e) {
                    // Its relations may not exist yet; the next pass tries again.
                }
            }
        }
    }

    /** Writes down every view of the catalog, for the next run's {@link #restore}. */
    static void saveViews(SparkSession spark, Path warehouse) throws IOException {
        if (!Files.isDirectory(warehouse)) {
            return;
        }
        ExternalCatalog catalog = ((org.apache.spark.sql.classic.SparkSession) spark).sharedState().externalCatalog();
        List<String> lines = new ArrayList<>();
        for (String schema : scala.jdk.javaapi.CollectionConverters.asJava(catalog.listDatabases())) {
            for (String name : scala.jdk.javaapi.CollectionConverters.asJava(catalog.listTables(schema))) {
                CatalogTable table = catalog.getTable(schema, name);
                if (table.tableType().equals(CatalogTableType.VIEW()) && table.viewText().isDefined()) {
                    lines.add(encode(schema) + " " + encode(name) + " " + encode(table.viewText().get()));
                }
            }
        }
        Files.write(warehouse.resolve(VIEWS_FILE), lines, StandardCharsets.UTF_8);
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String text) {
        return new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
    }
}
