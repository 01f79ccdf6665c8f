import dev.baton.artifact.Artifacts;
import dev.baton.graph.Graph;
import dev.baton.project.LoadOptions;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where a compile spends its time: the steps of {@code baton compile}, called in-process and timed
 * one by one. A diagnostic for the P1 benchmark, not a benchmark of its own.
 *
 * <p>Usage (from the repository root): {@code java -XX:+UseParallelGC -XX:InitialRAMPercentage=6 -XX:NewRatio=1 -XX:TieredStopAtLevel=1
 * -cp "bench/out/classes:baton-cli/target/lib/*" CompilePhases DIR [--repeat N]}.
 */
public final class CompilePhases {
    private CompilePhases() {}

    public static void main(String[] args) {
        Path project = Path.of(args[0]).toAbsolutePath();
        int repeat = args.length > 2 && args[1].equals("--repeat") ? Integer.parseInt(args[2]) : 1;
        for (int round = 1; round <= repeat; round++) {
            long start = System.nanoTime();
            Project loaded = ProjectLoader.load(new LoadOptions(project, Optional.empty(), Map.of(), System.getenv()));
            long afterLoad = System.nanoTime();
            Graph.of(loaded.nodes().values());
            long afterGraph = System.nanoTime();
            Artifacts.writeManifest(loaded, "00000000-0000-0000-0000-000000000000");
            long afterManifest = System.nanoTime();
            Artifacts.writeCompiled(loaded);
            long end = System.nanoTime();
            System.out.printf("round %d: load %.2f s, graph %.2f s, manifest %.2f s, compiled files %.2f s, total %.2f s (%d nodes)%n",
                    round, seconds(afterLoad - start), seconds(afterGraph - afterLoad), seconds(afterManifest - afterGraph),
                    seconds(end - afterManifest), seconds(end - start), loaded.nodes().size());
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
