import java.nio.file.Path;

/** Writes the P7 project: the 10,000-model project of P1 (models that ref one to three earlier ones, two tests each). */
public final class P7Project {
    private P7Project() {}

    public static void main(String[] args) throws Exception {
        Path project = Path.of(args[0]);
        int models = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        CompileBenchmark.generate(project, models, false);
        System.out.println(project);
    }
}
