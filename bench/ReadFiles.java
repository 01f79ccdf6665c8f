import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The floor for a compile: a fresh JVM that walks a project folder and reads every file in it, and
 * nothing else. Skips target/ and .baton/ so that it reads what the loader reads. With
 * {@code --rewrite OUTPUT_DIR} it then also rewrites every file under that folder with its own
 * content: the least I/O a compile that writes those outputs can do.
 *
 * <p>Usage: {@code java ReadFiles DIR [--rewrite OUTPUT_DIR]}; prints the number of files and bytes.
 */
public final class ReadFiles {
    private ReadFiles() {}

    public static void main(String[] args) throws IOException {
        Path root = Paths.get(args[0]);
        List<Path> files = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(root)) {
            paths.filter(path -> !path.toString().contains("/target/") && !path.toString().contains("/.baton/"))
                    .filter(Files::isRegularFile)
                    .forEach(files::add);
        }
        long bytes = 0;
        for (Path file : files) {
            bytes += Files.readAllBytes(file).length;
        }
        System.out.println("read " + files.size() + " files, " + bytes + " bytes");
        if (args.length == 3 && args[1].equals("--rewrite")) {
            List<Path> outputs = new ArrayList<>();
            try (Stream<Path> paths = Files.walk(Paths.get(args[2]))) {
                paths.filter(Files::isRegularFile).forEach(outputs::add);
            }
            long written = 0;
            for (Path output : outputs) {
                byte[] content = Files.readAllBytes(output);
                Files.write(output, content);
                written += content.length;
            }
            System.out.println("rewrote " + outputs.size() + " files, " + written + " bytes");
        }
    }
}
