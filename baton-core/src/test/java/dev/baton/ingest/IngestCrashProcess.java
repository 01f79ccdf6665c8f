package dev.baton.ingest;

import dev.baton.api.engine.Engine;
import dev.baton.engine.duckdb.DuckDbEngines;
import dev.baton.project.Project;
import java.nio.file.Path;
import java.util.Map;

/** Loads one source in a fresh JVM and dies at the step named on the command line, as a killed process would. */
public final class IngestCrashProcess {
    private IngestCrashProcess() {}

    public static void main(String[] args) throws Exception {
        Path projectDir = Path.of(args[0]);
        Path warehouse = Path.of(args[1]);
        String dieAt = args[2];
        Project project = dev.baton.project.ProjectLoader.load(new dev.baton.project.LoadOptions(projectDir, java.util.Optional.empty(), Map.of(), Map.of()));
        LoadObserver halting = new LoadObserver() {
            @Override
            public void staged(String nodeId, long rows) {
                if (dieAt.equals("staged")) {
                    halt("staged " + rows);
                }
            }

            @Override
            public void committed(String nodeId, String loadId) {
                if (dieAt.equals("committed")) {
                    halt("committed " + loadId);
                }
            }
        };
        Engine engine = DuckDbEngines.open(warehouse, "main", 1);
        IngestFixture.load(engine, project, args[3], Map.of(), halting);
        System.out.println("finished");
    }

    private static void halt(String step) {
        System.out.println("halting after " + step);
        System.out.flush();
        Runtime.getRuntime().halt(99);
    }
}
