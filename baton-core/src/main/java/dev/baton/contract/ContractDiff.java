package dev.baton.contract;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What changed between the contract a model was last published with and the one the project
 * declares now. Removing a column, narrowing its type, or tightening its nullability, uniqueness or
 * accepted values breaks consumers (ERROR); changing the primary key may (WARNING); adding a column
 * or loosening a rule does not (INFO). Breaking changes are accepted when the contract's version was raised.
 */
public record ContractDiff(String model, Optional<String> publishedVersion, String version, List<Change> changes) {
    public ContractDiff {
        requireNonNull(model, "model is null");
        requireNonNull(publishedVersion, "publishedVersion is null");
        requireNonNull(version, "version is null");
        changes = List.copyOf(changes);
    }

    public enum Severity {
        ERROR,
        WARNING,
        INFO
    }

    /** One change; {@code column} is empty for a change of the whole model. */
    public record Change(Severity severity, String change, Optional<String> column, String message) {
        public Change {
            requireNonNull(severity, "severity is null");
            requireNonNull(change, "change is null");
            requireNonNull(column, "column is null");
            requireNonNull(message, "message is null");
        }
    }

    /** Compares a published contract (empty when none was published) with the current one. */
    public static ContractDiff compare(Optional<OdcsContract> published, OdcsContract current) {
        List<Change> changes = new ArrayList<>();
        if (published.isEmpty()) {
            changes.add(new Change(Severity.INFO, "new_contract", Optional.empty(), "new contract, never published"));
            return new ContractDiff(current.model(), Optional.empty(), current.version(), changes);
        }
        OdcsContract before = published.get();
        Map<String, OdcsContract.Property> now = new LinkedHashMap<>();
        current.properties().forEach(property -> now.put(property.name(), property));
        Map<String, OdcsContract.Property> then = new LinkedHashMap<>();
        before.properties().forEach(property -> then.put(property.name(), property));
        for (OdcsContract.Property old : before.properties()) {
            OdcsContract.Property property = now.get(old.name());
            Optional<String> column = Optional.of(old.name());
            if (property == null) {
                changes.add(new Change(Severity.ERROR, "column_removed", column, "column '" + old.name() + "' was removed"));
                continue;
            }
            if (old.physicalType().isPresent() && property.physicalType().isPresent() && !DataTypes.same(old.physicalType().get(),
                    property.physicalType().get())) {
                boolean narrowed = DataTypes.narrowed(old.physicalType().get(), property.physicalType().get());
                changes.add(new Change(narrowed ? Severity.ERROR : Severity.INFO, narrowed ? "type_narrowed" : "type_widened", column, "type of column '"
                        + old.name() + "' " + (narrowed ? "narrowed" : "widened") + " from " + DataTypes.normalize(old.physicalType().get()) + " to "
                        + DataTypes.normalize(property.physicalType().get())));
            }
            if (!old.required() && property.required()) {
                changes.add(new Change(Severity.ERROR, "nullability_tightened", column, "column '" + old.name() + "' became required (not null)"));
            } else if (old.required() && !property.required()) {
                changes.add(new Change(Severity.INFO, "nullability_loosened", column, "column '" + old.name() + "' may now be null"));
            }
            if (!old.unique() && property.unique()) {
                changes.add(new Change(Severity.ERROR, "uniqueness_tightened", column, "column '" + old.name() + "' became unique"));
            } else if (old.unique() && !property.unique()) {
                changes.add(new Change(Severity.INFO, "uniqueness_loosened", column, "column '" + old.name() + "' is no longer unique"));
            }
            List<String> dropped = old.validValues().isEmpty() ? List.of()
                    : property.validValues().isEmpty() ? List.of() : old.validValues().stream().filter(value -> !property.validValues().contains(value)).toList();
            if (old.validValues().isEmpty() && !property.validValues().isEmpty()) {
                changes.add(new Change(Severity.ERROR, "accepted_values_tightened", column, "column '" + old.name() + "' now only accepts "
                        + String.join(", ", property.validValues())));
            } else if (!dropped.isEmpty()) {
                changes.add(new Change(Severity.ERROR, "accepted_values_tightened", column, "column '" + old.name() + "' no longer accepts "
                        + String.join(", ", dropped)));
            }
        }
        List<String> keyBefore = before.properties().stream().filter(OdcsContract.Property::primaryKey).map(OdcsContract.Property::name).toList();
        List<String> keyNow = current.properties().stream().filter(OdcsContract.Property::primaryKey).map(OdcsContract.Property::name).toList();
        if (!keyBefore.equals(keyNow)) {
            changes.add(new Change(Severity.WARNING, "primary_key_changed", Optional.empty(), "primary key changed from (" + String.join(", ", keyBefore)
                    + ") to (" + String.join(", ", keyNow) + ")"));
        }
        for (OdcsContract.Property property : current.properties()) {
            if (!then.containsKey(property.name())) {
                changes.add(new Change(Severity.INFO, "column_added", Optional.of(property.name()), "column '" + property.name() + "' was added"
                        + property.physicalType().map(type -> " (" + DataTypes.normalize(type) + ")").orElse("")));
            }
        }
        return new ContractDiff(current.model(), Optional.of(before.version()), current.version(), changes);
    }

    public long count(Severity severity) {
        return changes.stream().filter(change -> change.severity() == severity).count();
    }

    /** Whether the version was raised since the published contract. */
    public boolean versionBumped() {
        return publishedVersion.isPresent() && compareVersions(version, publishedVersion.get()) > 0;
    }

    /** Whether this diff should fail a CI job: a breaking change without a raised version. */
    public boolean breaking() {
        return count(Severity.ERROR) > 0 && !versionBumped();
    }

    /** Compares dotted versions part by part, numerically where both parts are numbers. */
    static int compareVersions(String left, String right) {
        String[] a = left.split("[.-]");
        String[] b = right.split("[.-]");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "0";
            String y = i < b.length ? b[i] : "0";
            int order = x.matches("\\d+") && y.matches("\\d+") ? Long.compare(Long.parseLong(x), Long.parseLong(y)) : x.compareTo(y);
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }
}
