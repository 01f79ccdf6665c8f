package dev.baton.server.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.server.DiscoveryFile;
import dev.baton.server.http.Json;
import dev.baton.server.run.RunRoutes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The command line's side of a server: hands a writing command to the project's running server
 * and prints its output as it comes, so the user sees what a local run prints and gets its exit
 * code. Ctrl-C cancels the run on the server and waits for it to be recorded.
 */
public final class ServerClient {
    private ServerClient() {}

    public static int follow(DiscoveryFile.Endpoint server, List<String> args, Map<String, String> env, boolean interactive, PrintWriter out,
            PrintWriter err) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("args", args);
        body.put("env", env);
        body.put("interactive", interactive);
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/runs"))
                .header("Authorization", "Bearer " + server.token())
                .header("Content-Type", "application/json")
                .header("Accept", RunRoutes.NDJSON)
                .POST(HttpRequest.BodyPublishers.ofString(Json.text(body)))
                .build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new BatonException(ErrorCode.SERVER_UNREACHABLE, "the project's server (pid " + server.pid() + ", " + server.baseUrl()
                    + ") does not answer: " + e + "; stop it, or run without it with BATON_NO_SERVER=1 once it is gone");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BatonException(ErrorCode.SERVER_UNREACHABLE, "interrupted while handing the command to the project's server");
        }
        if (response.statusCode() != 200) {
            throw new BatonException(ErrorCode.SERVER_REQUEST_FAILED, "the project's server refused the command: " + problemDetail(response));
        }
        AtomicReference<String> runId = new AtomicReference<>();
        CountDownLatch ended = new CountDownLatch(1);
        Thread onInterrupt = new Thread(() -> {
            String id = runId.get();
            if (id != null) {
                cancel(client, server, id);
                try {
                    ended.await(35, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "baton-cancel-remote");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                JsonNode event = Json.MAPPER.readTree(line);
                String type = event.path("type").asText();
                switch (type) {
                    case "accepted":
                        runId.set(event.path("id").asText());
                        break;
                    case "out":
                        out.print(event.path("text").asText());
                        out.flush();
                        break;
                    case "err":
                        err.print(event.path("text").asText());
                        err.flush();
                        break;
                    case "exit":
                        return event.path("code").asInt(3);
                    default:
                        break;
                }
            }
            throw new BatonException(ErrorCode.SERVER_REQUEST_FAILED, "the project's server stopped sending the run's output before it ended"
                    + Optional.ofNullable(runId.get()).map(id -> " (run " + id + "; see 'baton runs show " + id + "')").orElse(""));
        } catch (IOException e) {
            throw new BatonException(ErrorCode.SERVER_REQUEST_FAILED, "lost the connection to the project's server while following the run: " + e
                    + Optional.ofNullable(runId.get()).map(id -> "; see 'baton runs show " + id + "'").orElse(""));
        } finally {
            ended.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for the end of the output.
            }
        }
    }

    private static void cancel(HttpClient client, DiscoveryFile.Endpoint server, String runId) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/runs/" + runId + "/cancel"))
                .header("Authorization", "Bearer " + server.token())
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // The server is gone; nothing is left to cancel.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String problemDetail(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            JsonNode problem = Json.MAPPER.readTree(body.readAllBytes());
            return problem != null && problem.has("detail") ? problem.get("detail").asText() : "HTTP " + response.statusCode();
        } catch (IOException e) {
            return "HTTP " + response.statusCode();
        }
    }
}
