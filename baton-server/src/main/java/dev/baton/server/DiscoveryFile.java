package dev.baton.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.server.http.Json;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code .baton/server.json} in the project folder: how the command line finds the project's
 * running server. It holds the port, the server's pid and a local operator token, and only its
 * owner may read it. A file left by a server that died is ignored.
 */
public final class DiscoveryFile {
    /** The file, relative to the project folder. */
    public static final Path PATH = Path.of(".baton", "server.json");

    /** Where a running server listens, and the credential to use it. */
    public record Endpoint(String host, int port, long pid, String token) {
        public String baseUrl() {
            return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    private DiscoveryFile() {}

    static void write(Path projectRoot, Endpoint endpoint) throws IOException {
        Path file = projectRoot.resolve(PATH);
        Files.createDirectories(file.getParent());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("host", endpoint.host());
        body.put("port", endpoint.port());
        body.put("pid", endpoint.pid());
        body.put("token", endpoint.token());
        Path temporary = file.resolveSibling("server.json." + ProcessHandle.current().pid());
        Files.deleteIfExists(temporary);
        try {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(temporary);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot create " + temporary, e);
        }
        Files.writeString(temporary, Json.text(body) + "\n");
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Deletes the file if it still names this process. */
    static void delete(Path projectRoot) {
        Path file = projectRoot.resolve(PATH);
        read(file).filter(endpoint -> endpoint.pid() == ProcessHandle.current().pid()).ifPresent(endpoint -> {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A file left behind names a dead pid and is ignored.
            }
        });
    }

    /** The project's running server, if the file names a live process. */
    public static Optional<Endpoint> find(Path projectRoot) {
        return read(projectRoot.resolve(PATH)).filter(endpoint -> ProcessHandle.of(endpoint.pid()).map(ProcessHandle::isAlive).orElse(false));
    }

    private static Optional<Endpoint> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(Files.readString(file));
            if (node == null || !node.path("port").isInt() || !node.path("pid").canConvertToLong() || !node.path("token").isTextual()) {
                return Optional.empty();
            }
            return Optional.of(new Endpoint(node.path("host").asText("127.0.0.1"), node.get("port").asInt(), node.get("pid").asLong(),
                    node.get("token").asText()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
