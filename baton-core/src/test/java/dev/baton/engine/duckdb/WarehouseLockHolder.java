package dev.baton.engine.duckdb;

import dev.baton.api.engine.Engine;
import java.nio.file.Path;

/** Holds a DuckDB warehouse open in its own process until its standard input closes. */
public final class WarehouseLockHolder {
    private WarehouseLockHolder() {}

    public static void main(String[] args) throws Exception {
        try (Engine engine = DuckDbEngines.open(Path.of(args[0]), "main", 1)) {
            System.out.println("holding");
            System.out.flush();
            while (System.in.read() >= 0) {
                // Wait for the parent to close our standard input (or to die).
            }
        }
    }
}
