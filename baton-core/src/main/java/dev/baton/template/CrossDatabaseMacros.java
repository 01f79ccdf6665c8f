package dev.baton.template;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** dbt's cross-database macros ({@code dateadd}, {@code type_string}, …), built in for every project. */
final class CrossDatabaseMacros {
    /** The file name errors in a built-in macro point at. */
    static final String FILE = "<baton>/cross_database_macros.sql";
    private static final String TEXT = read();

    private CrossDatabaseMacros() {}

    private static String read() {
        try (InputStream in = CrossDatabaseMacros.class.getResourceAsStream("cross_database_macros.sql")) {
            if (in == null) {
                throw new IllegalStateException("cross_database_macros.sql is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, DbtMacro> load(TemplateEngine engine) {
        return MacroFiles.load(engine, Map.of(FILE, TEXT));
    }
}
