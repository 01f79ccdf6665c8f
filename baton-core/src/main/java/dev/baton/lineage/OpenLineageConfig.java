package dev.baton.lineage;

import static dev.baton.api.ErrorCode.INVALID_CONFIG_VALUE;
import static dev.baton.api.ErrorCode.UNKNOWN_CONFIG_KEY;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.Suggestions;
import dev.baton.project.Project;
import dev.baton.yaml.YamlFiles;
import dev.baton.yaml.YamlValue;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.Set;

/**
 * {@code openlineage:} of the project file: where run events go, an HTTP endpoint or a file of
 * one JSON event per line.
 *
 * <pre>
 * openlineage:
 *   namespace: shop          # the jobs' namespace (default: the project name)
 *   url: http://marquez:5000 # events are POSTed to url + endpoint
 *   endpoint: /api/v1/lineage
 *   # or: file: target/openlineage.jsonl
 * </pre>
 */
public record OpenLineageConfig(String namespace, Optional<URI> url, String endpoint, Optional<String> file) {
    private static final Set<String> KEYS = Set.of("namespace", "url", "endpoint", "file");

    /** The configuration, or empty when the project file has no {@code openlineage:}. */
    public static Optional<OpenLineageConfig> read(Project project) {
        String fileName = project.settings().file();
        YamlValue.Mapping root;
        try {
            root = YamlFiles.parseMapping(Files.readString(project.root().resolve(fileName)), fileName);
        } catch (IOException e) {
            throw new BatonException(ErrorCode.PROJECT_NOT_FOUND, "cannot read " + fileName + ": " + e.getMessage());
        }
        Optional<YamlValue.Mapping> block = root.mapping("openlineage");
        if (block.isEmpty()) {
            return Optional.empty();
        }
        YamlValue.Mapping mapping = block.get();
        for (String key : mapping.entries().keySet()) {
            if (!KEYS.contains(key)) {
                throw new BatonException(UNKNOWN_CONFIG_KEY, "unknown key '" + key + "' in openlineage"
                        + Suggestions.didYouMeanOr(key, KEYS, "fix the spelling or remove it"), mapping.keyLocation(key));
            }
        }
        Optional<String> url = mapping.string("url");
        Optional<String> file = mapping.string("file");
        if (url.isPresent() == file.isPresent()) {
            throw new BatonException(INVALID_CONFIG_VALUE, "openlineage needs either 'url: http://host:port' or 'file: target/openlineage.jsonl'", mapping.location());
        }
        Optional<URI> uri = Optional.empty();
        if (url.isPresent()) {
            try {
                URI parsed = new URI(url.get().trim());
                if (!("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme())) || parsed.getHost() == null) {
                    throw new URISyntaxException(url.get(), "not http");
                }
                uri = Optional.of(parsed);
            } catch (URISyntaxException e) {
                throw new BatonException(INVALID_CONFIG_VALUE, "the openlineage url must be an http:// or https:// address, not '" + url.get() + "'",
                        mapping.keyLocation("url"));
            }
        }
        return Optional.of(new OpenLineageConfig(mapping.string("namespace").orElse(project.name()), uri,
                mapping.string("endpoint").orElse("/api/v1/lineage"), file));
    }
}
