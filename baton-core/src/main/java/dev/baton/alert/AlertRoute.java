package dev.baton.alert;

import static java.util.Objects.requireNonNull;

import dev.baton.api.SourceLocation;
import dev.baton.incident.Incident;
import java.net.URI;
import java.util.Set;

/**
 * Where alerts of some incidents go: a webhook, in plain JSON or Slack's payload, for the given
 * tiers and owners (empty: all of them).
 */
public record AlertRoute(String name, URI url, Format format, Set<Integer> tiers, Set<String> owners, SourceLocation location) {
    public enum Format {
        JSON,
        SLACK
    }

    public AlertRoute {
        requireNonNull(name, "name is null");
        requireNonNull(url, "url is null");
        requireNonNull(format, "format is null");
        tiers = Set.copyOf(tiers);
        owners = Set.copyOf(owners);
        requireNonNull(location, "location is null");
    }

    /** Whether the incident's tier and owner fall under this route. An incident without a tier or owner matches only a route that does not filter on it. */
    public boolean matches(Incident incident) {
        boolean tierMatches = tiers.isEmpty() || incident.tier().filter(tiers::contains).isPresent();
        boolean ownerMatches = owners.isEmpty() || incident.owner().filter(owners::contains).isPresent();
        return tierMatches && ownerMatches;
    }
}
