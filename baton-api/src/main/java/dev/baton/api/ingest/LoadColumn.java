package dev.baton.api.ingest;

import static java.util.Objects.requireNonNull;

/**
 * One column a connector produces.
 *
 * @param name the column's name in the warehouse
 * @param csvType the warehouse type the CSV field is parsed as, such as {@code BIGINT} or {@code VARCHAR}
 * @param conversion an SQL expression turning the parsed field into the stored value, with
 *     {@code %s} for the field (such as {@code unhex(%s)}); empty when the parsed field is stored as it is
 * @param sourceType the column's type in the source, for people
 */
public record LoadColumn(String name, String csvType, String conversion, String sourceType) {
    public LoadColumn {
        requireNonNull(name, "name is null");
        requireNonNull(csvType, "csvType is null");
        requireNonNull(conversion, "conversion is null");
        requireNonNull(sourceType, "sourceType is null");
    }

    public static LoadColumn direct(String name, String type, String sourceType) {
        return new LoadColumn(name, type, "", sourceType);
    }
}
