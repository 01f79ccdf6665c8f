package dev.baton.alert;

import static dev.baton.api.ErrorCode.INVALID_CONFIG_VALUE;
import static dev.baton.api.ErrorCode.UNKNOWN_CONFIG_KEY;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.Suggestions;
import dev.baton.project.Project;
import dev.baton.schedule.DurationText;
import dev.baton.yaml.YamlFiles;
import dev.baton.yaml.YamlValue;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code alerts:} of the project file:
 *
 * <pre>
 * alerts:
 *   suppress_for: 30m
 *   routes:
 *     - name: oncall
 *       url: https://hooks.slack.com/services/...
 *       format: slack
 *       tiers: [0, 1]
 *       owners: [sales-data]
 * </pre>
 */
public record AlertsConfig(List<AlertRoute> routes, Duration suppressFor) {
    private static final Set<String> KEYS = Set.of("suppress_for", "routes");
    private static final Set<String> ROUTE_KEYS = Set.of("name", "url", "format", "tiers", "owners");

    public AlertsConfig {
        routes = List.copyOf(routes);
    }

    public static AlertsConfig read(Project project) {
        String file = project.settings().file();
        try {
            return read(YamlFiles.parseMapping(Files.readString(project.root().resolve(file)), file));
        } catch (IOException e) {
            throw new BatonException(ErrorCode.PROJECT_NOT_FOUND, "cannot read " + file + ": " + e.getMessage());
        }
    }

    static AlertsConfig read(YamlValue.Mapping root) {
        YamlValue.Mapping alerts = root.mapping("alerts").orElse(null);
        if (alerts == null) {
            return new AlertsConfig(List.of(), Duration.ofMinutes(30));
        }
        checkKeys(alerts, KEYS, "alerts");
        Duration suppressFor = alerts.string("suppress_for").map(text -> DurationText.parse(text, "suppress_for", alerts.keyLocation("suppress_for")))
                .orElse(Duration.ofMinutes(30));
        List<AlertRoute> routes = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (YamlValue entry : alerts.sequence("routes")) {
            if (!(entry instanceof YamlValue.Mapping route)) {
                throw new BatonException(INVALID_CONFIG_VALUE, "each alert route must be a mapping with a name and a url", entry.location());
            }
            checkKeys(route, ROUTE_KEYS, "an alert route");
            String name = route.string("name").filter(text -> !text.isBlank()).orElseThrow(() -> new BatonException(INVALID_CONFIG_VALUE,
                    "an alert route needs a name; add 'name: oncall'", route.location()));
            if (!names.add(name)) {
                throw new BatonException(INVALID_CONFIG_VALUE, "alert route '" + name + "' is defined twice; rename one of them", route.location());
            }
            routes.add(new AlertRoute(name, url(route, name), format(route), tiers(route), owners(route), route.location()));
        }
        return new AlertsConfig(routes, suppressFor);
    }

    private static URI url(YamlValue.Mapping route, String name) {
        String text = route.string("url").orElseThrow(() -> new BatonException(INVALID_CONFIG_VALUE,
                "alert route '" + name + "' has no url; add 'url: https://...'", route.location()));
        try {
            URI uri = new URI(text.trim());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // Reported below.
        }
        throw new BatonException(INVALID_CONFIG_VALUE, "the url of alert route '" + name + "' must be an http:// or https:// address, not '" + text + "'",
                route.keyLocation("url"));
    }

    private static AlertRoute.Format format(YamlValue.Mapping route) {
        String text = route.string("format").orElse("json").toLowerCase(Locale.ROOT);
        return switch (text) {
            case "json" -> AlertRoute.Format.JSON;
            case "slack" -> AlertRoute.Format.SLACK;
            default -> throw new BatonException(INVALID_CONFIG_VALUE, "format must be json or slack, not '" + text + "'", route.keyLocation("format"));
        };
    }

    private static Set<Integer> tiers(YamlValue.Mapping route) {
        Set<Integer> tiers = new LinkedHashSet<>();
        for (YamlValue item : route.sequence("tiers")) {
            String text = item instanceof YamlValue.Scalar scalar && !scalar.isNull() ? scalar.text().trim() : String.valueOf(item.toJava());
            if (!text.equals("0") && !text.equals("1") && !text.equals("2")) {
                throw new BatonException(ErrorCode.UNKNOWN_TIER, "unknown tier '" + text + "' in an alert route; use 0, 1 or 2", item.location());
            }
            tiers.add(Integer.parseInt(text));
        }
        return tiers;
    }

    private static Set<String> owners(YamlValue.Mapping route) {
        Set<String> owners = new LinkedHashSet<>();
        for (YamlValue item : route.sequence("owners")) {
            if (!(item instanceof YamlValue.Scalar scalar) || scalar.isNull()) {
                throw new BatonException(INVALID_CONFIG_VALUE, "owners must be a list of names", item.location());
            }
            owners.add(scalar.text());
        }
        return owners;
    }

    private static void checkKeys(YamlValue.Mapping mapping, Set<String> allowed, String what) {
        for (String key : mapping.entries().keySet()) {
            if (!allowed.contains(key)) {
                throw new BatonException(UNKNOWN_CONFIG_KEY, "unknown key '" + key + "' in " + what
                        + Suggestions.didYouMeanOr(key, allowed, "fix the spelling or remove it"), mapping.keyLocation(key));
            }
        }
    }
}
