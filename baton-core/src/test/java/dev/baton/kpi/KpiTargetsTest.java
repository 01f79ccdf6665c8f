package dev.baton.kpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.project.LoadOptions;
import dev.baton.project.ProjectLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KpiTargetsTest {
    @TempDir
    Path root;

    private KpiTargets targets(String block) throws IOException {
        Files.writeString(root.resolve("baton.yml"), "name: p\n" + block);
        Files.createDirectories(root.resolve("models"));
        Files.writeString(root.resolve("models/a.sql"), "select 1 as id");
        return KpiTargets.read(ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), Map.of())));
    }

    @Test
    void defaultsComeFromCommonPractice() throws IOException {
        KpiTargets targets = targets("");
        assertThat(targets.target("pipeline_success_rate", Optional.empty())).contains(0.99);
        assertThat(targets.target("freshness_sla_adherence", Optional.of("tier 0"))).contains(0.98);
        assertThat(targets.target("freshness_sla_adherence", Optional.of("tier 1"))).contains(0.95);
        assertThat(targets.target("freshness_sla_adherence", Optional.of("no tier"))).contains(0.90);
        assertThat(targets.target("mean_time_to_resolve", Optional.of("tier 0"))).contains(240.0);
        assertThat(targets.target("check_coverage", Optional.of("tier 0-1"))).contains(1.0);
        assertThat(targets.target("incidents", Optional.of("tier 0"))).isEmpty();
        assertThat(targets.target("model_run_duration", Optional.of("model.p.a"))).isEmpty();
        assertThat(KpiTargets.meets("pipeline_success_rate", 0.99, 0.99)).isTrue();
        assertThat(KpiTargets.meets("pipeline_success_rate", 0.98, 0.99)).isFalse();
        assertThat(KpiTargets.meets("mean_time_to_resolve", 300, 240)).isFalse();
        assertThat(KpiTargets.meets("mean_time_to_resolve", 200, 240)).isTrue();
    }

    @Test
    void theProjectFileOverridesByTier() throws IOException {
        KpiTargets targets = targets("""
                kpi_targets:
                  pipeline_success_rate: 99.5%
                  freshness_sla_adherence:
                    tier_0: 0.97
                    default: 80%
                  mean_time_to_resolve:
                    tier_0: 2h
                    tier_1: 90
                  incidents:
                    tier_0: 3
                  model_run_duration:
                    default: 2m
                """);
        assertThat(targets.target("pipeline_success_rate", Optional.empty())).contains(0.995);
        assertThat(targets.target("freshness_sla_adherence", Optional.of("tier 0"))).contains(0.97);
        assertThat(targets.target("freshness_sla_adherence", Optional.of("tier 1"))).contains(0.95);
        assertThat(targets.target("freshness_sla_adherence", Optional.of("no tier"))).contains(0.80);
        assertThat(targets.target("mean_time_to_resolve", Optional.of("tier 0"))).contains(120.0);
        assertThat(targets.target("mean_time_to_resolve", Optional.of("tier 1"))).contains(90.0);
        assertThat(targets.target("incidents", Optional.of("tier 0"))).contains(3.0);
        assertThat(targets.target("incidents", Optional.of("tier 1"))).isEmpty();
        assertThat(targets.target("model_run_duration", Optional.of("model.p.a"))).contains(120_000.0);
    }

    @Test
    void mistakesPointAtTheProjectFile() {
        assertError("kpi_targets:\n  pipeline_sucess_rate: 99%\n", ErrorCode.UNKNOWN_CONFIG_KEY,
                "baton.yml:3:3: unknown KPI 'pipeline_sucess_rate' in kpi_targets; did you mean 'pipeline_success_rate'?");
        assertError("kpi_targets:\n  freshness_sla_adherence:\n    tier_5: 99%\n", ErrorCode.UNKNOWN_CONFIG_KEY,
                "baton.yml:4:5: unknown tier 'tier_5' in kpi_targets.freshness_sla_adherence; did you mean 'tier_0'?");
        assertError("kpi_targets:\n  freshness_sla_adherence:\n    gold: 99%\n", ErrorCode.UNKNOWN_CONFIG_KEY,
                "baton.yml:4:5: unknown tier 'gold' in kpi_targets.freshness_sla_adherence; use tier_0, tier_1, tier_2 or default");
        assertError("kpi_targets:\n  check_coverage: 120%\n", ErrorCode.INVALID_CONFIG_VALUE,
                "baton.yml:3:19: kpi_targets.check_coverage must be a share such as 98% or 0.98, not '120%': a share cannot be more than 100%");
        assertError("kpi_targets:\n  mean_time_to_acknowledge:\n    tier_0: soon\n", ErrorCode.INVALID_CONFIG_VALUE,
                "baton.yml:4:13: kpi_targets.mean_time_to_acknowledge.tier_0 must be a time such as 30m or 4h (or minutes as a number), not 'soon'");
        assertError("kpi_targets:\n  incidents: 2.5\n", ErrorCode.INVALID_CONFIG_VALUE,
                "baton.yml:3:14: kpi_targets.incidents must be a whole number such as 3, not '2.5'");
        assertError("kpi_targets: [99]\n", ErrorCode.INVALID_CONFIG_VALUE, "baton.yml:2:14: 'kpi_targets' must be a mapping of keys to values");
    }

    private void assertError(String block, ErrorCode code, String message) {
        assertThatThrownBy(() -> targets(block))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(code))
                .hasMessage(message);
    }
}
