package dev.baton.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.contract.ContractDiff.Severity;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ContractDiffTest {
    static OdcsContract.Property column(String name, String type, boolean required, boolean unique, boolean primaryKey, List<String> values) {
        return new OdcsContract.Property(name, "", Optional.of(type), Optional.of(OdcsContract.logicalType(type)), required, unique, primaryKey, values);
    }

    static OdcsContract contract(String version, OdcsContract.Property... properties) {
        return new OdcsContract("p.orders", "orders", version, "active", "", "orders", "table", List.of(properties), OptionalLong.empty(),
                OptionalLong.empty(), List.of(), Optional.empty());
    }

    static final OdcsContract PUBLISHED = contract("1.0.0",
            column("id", "bigint", true, true, true, List.of()),
            column("status", "varchar", false, false, false, List.of("placed", "shipped")),
            column("amount", "decimal(10,2)", false, false, false, List.of()),
            column("note", "text", false, false, false, List.of()));

    List<String> changes(ContractDiff diff) {
        return diff.changes().stream().map(change -> change.severity() + " " + change.change() + " " + change.message()).toList();
    }

    @Test
    void breakingChangesAreErrors() {
        ContractDiff diff = ContractDiff.compare(Optional.of(PUBLISHED), contract("1.0.0",
                column("id", "integer", true, true, true, List.of()),
                column("status", "varchar", true, true, false, List.of("placed")),
                column("amount", "decimal(10,2)", false, false, false, List.of())));
        assertThat(changes(diff)).containsExactly(
                "ERROR type_narrowed type of column 'id' narrowed from BIGINT to INTEGER",
                "ERROR nullability_tightened column 'status' became required (not null)",
                "ERROR uniqueness_tightened column 'status' became unique",
                "ERROR accepted_values_tightened column 'status' no longer accepts shipped",
                "ERROR column_removed column 'note' was removed");
        assertThat(diff.count(Severity.ERROR)).isEqualTo(5);
        assertThat(diff.breaking()).isTrue();
    }

    @Test
    void aPrimaryKeyChangeIsAWarningAndAdditionsAreInfo() {
        ContractDiff diff = ContractDiff.compare(Optional.of(PUBLISHED), contract("1.0.0",
                column("id", "bigint", true, true, false, List.of()),
                column("status", "varchar", false, false, false, List.of("placed", "shipped", "lost")),
                column("amount", "decimal(12,2)", false, false, false, List.of()),
                column("note", "string", false, false, false, List.of()),
                column("order_ref", "text", true, true, true, List.of())));
        assertThat(changes(diff)).containsExactly(
                "INFO type_widened type of column 'amount' widened from DECIMAL(10,2) to DECIMAL(12,2)",
                "WARNING primary_key_changed primary key changed from (id) to (order_ref)",
                "INFO column_added column 'order_ref' was added (VARCHAR)");
        assertThat(diff.breaking()).isFalse();
    }

    @Test
    void aRaisedVersionAcceptsBreakingChanges() {
        ContractDiff same = ContractDiff.compare(Optional.of(PUBLISHED), PUBLISHED);
        assertThat(same.changes()).isEmpty();
        OdcsContract removed = contract("1.0.0", PUBLISHED.properties().subList(0, 3).toArray(new OdcsContract.Property[0]));
        assertThat(ContractDiff.compare(Optional.of(PUBLISHED), removed).breaking()).isTrue();
        OdcsContract bumped = contract("1.10.0", PUBLISHED.properties().subList(0, 3).toArray(new OdcsContract.Property[0]));
        ContractDiff diff = ContractDiff.compare(Optional.of(PUBLISHED), bumped);
        assertThat(diff.versionBumped()).isTrue();
        assertThat(diff.breaking()).isFalse();
        assertThat(ContractDiff.compareVersions("1.10.0", "1.9.3")).isPositive();
        assertThat(ContractDiff.compare(Optional.empty(), PUBLISHED).changes()).extracting(ContractDiff.Change::message)
                .containsExactly("new contract, never published");
    }
}
