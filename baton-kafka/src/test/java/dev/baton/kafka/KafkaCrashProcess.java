package dev.baton.kafka;

import dev.baton.api.engine.Engine;
import dev.baton.engine.duckdb.DuckDbEngines;
import dev.baton.ingest.LoadObserver;
import dev.baton.project.LoadOptions;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Loads one source in a fresh JVM and dies at the step named on the command line, as a killed process would. */
public final class KafkaCrashProcess {
    private KafkaCrashProcess() {}

    public static void main(String[] args) throws Exception {
        Project project = ProjectLoader.load(new LoadOptions(Path.of(args[0]), Optional.empty(), Map.of(), Map.of()));
        String dieAt = args[2];
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
                    halt("committed");
                }
            }
        };
        Engine engine = DuckDbEngines.open(Path.of(args[1]), "main", 1);
        KafkaLoads.load(engine, project, args[3], halting);
        System.out.println("finished");
    }

    private static void halt(String step) {
        System.out.println("halting after " + step);
        System.out.flush();
        Runtime.getRuntime().halt(99);
    }
}
