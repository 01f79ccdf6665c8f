package dev.baton.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.plan.CommandKind;
import dev.baton.project.LoadOptions;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import dev.baton.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobsConfigTest {
    @TempDir
    Path root;

    private void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private List<Job> jobs(String jobsBlock) throws IOException {
        write("baton.yml", "name: p\n" + jobsBlock);
        write("models/a.sql", "select 1 as id");
        write("models/b.sql", "{{ config(tags=['nightly']) }} select * from {{ ref('a') }}");
        write("models/sources.yml", """
                version: 2
                sources:
                  - name: app
                    tables:
                      - name: orders
                        loaded_at_field: updated_at
                      - name: users
                """);
        Project project = ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), Map.of()));
        return JobsConfig.read(project, () -> StateStore.open(root, Optional.empty()));
    }

    @Test
    void readsEveryKeyOfAJob() throws IOException {
        List<Job> jobs = jobs("""
                jobs:
                  - name: nightly
                    command: run
                    select: tag:nightly
                    exclude: [a]
                    schedule: "30 2 * * *"
                    timezone: Europe/Berlin
                    catch_up: all
                    retries: 2
                    retry_backoff: 30s
                    timeout: 1h
                    concurrency: 2
                    sensors:
                      - files: landing/orders
                      - source: app.orders
                  - name: adhoc
                """);
        assertThat(jobs).hasSize(2);
        Job nightly = jobs.get(0);
        assertThat(nightly.name()).isEqualTo("nightly");
        assertThat(nightly.command()).isEqualTo(CommandKind.RUN);
        assertThat(nightly.selection().select()).containsExactly("tag:nightly");
        assertThat(nightly.selection().exclude()).containsExactly("a");
        assertThat(nightly.schedule().orElseThrow().zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        // 02:30 in Berlin is 00:30 UTC in summer.
        assertThat(nightly.schedule().orElseThrow().nextAfter(Instant.parse("2026-07-01T00:00:00Z"))).contains(Instant.parse("2026-07-01T00:30:00Z"));
        assertThat(nightly.catchUp()).isEqualTo(CatchUp.ALL);
        assertThat(nightly.retries()).isEqualTo(2);
        assertThat(nightly.backoffBefore(2)).isEqualTo(Duration.ofSeconds(30));
        assertThat(nightly.backoffBefore(3)).isEqualTo(Duration.ofSeconds(60));
        assertThat(nightly.timeout()).contains(Duration.ofHours(1));
        assertThat(nightly.concurrency()).isEqualTo(2);
        assertThat(nightly.sensors()).extracting(Sensor::key).containsExactly("files:landing/orders", "source_freshness:source.p.app.orders");
        Job adhoc = jobs.get(1);
        assertThat(adhoc.schedule()).isEmpty();
        assertThat(adhoc.command()).isEqualTo(CommandKind.BUILD);
        assertThat(adhoc.catchUp()).isEqualTo(CatchUp.LATEST);
        assertThat(adhoc.concurrency()).isEqualTo(1);
        assertThat(adhoc.location().toString()).isEqualTo("baton.yml:17:5");
    }

    @Test
    void aBadCronExpressionPointsAtItsLine() {
        assertError("""
                jobs:
                  - name: nightly
                    schedule: "61 2 * * *"
                """, ErrorCode.INVALID_SCHEDULE, "baton.yml:4:15: invalid cron expression '61 2 * * *': Failed to parse cron expression. "
                + "Value 61 not in range [0, 59]; write five fields: minute hour day-of-month month day-of-week, such as '0 2 * * *' for 02:00 every day");
        assertError("""
                jobs:
                  - name: nightly
                    schedule: "0 2 * *"
                """, ErrorCode.INVALID_SCHEDULE, "baton.yml:4:15: invalid cron expression '0 2 * *': Cron expression contains 4 parts but we expect one of [5]; "
                + "write five fields: minute hour day-of-month month day-of-week, such as '0 2 * * *' for 02:00 every day");
    }

    @Test
    void anUnknownSelectorMethodPointsAtTheJob() {
        assertError("""
                jobs:
                  - name: nightly
                    select: tags:nightly
                """, ErrorCode.INVALID_SELECTOR, "baton.yml:4:5: job 'nightly': unknown selector method 'tags' in 'tags:nightly'; did you mean 'tag'?");
    }

    @Test
    void otherMistakesPointAtTheirLines() {
        assertError("""
                jobs:
                  - name: nightly
                    schedule: "0 2 * * *"
                    timezone: Mars/Olympus
                """, ErrorCode.INVALID_SCHEDULE, "baton.yml:5:15: unknown timezone 'Mars/Olympus'; use a region such as Europe/Berlin or UTC");
        assertError("""
                jobs:
                  - name: nightly
                    catch_up: some
                """, ErrorCode.INVALID_CONFIG_VALUE, "baton.yml:4:5: catch_up must be skip, latest or all, not 'some'");
        assertError("""
                jobs:
                  - name: nightly
                    timeout: soon
                """, ErrorCode.INVALID_CONFIG_VALUE, "baton.yml:4:5: timeout must be a duration such as 30s, 5m, 2h or 1d, not 'soon'");
        assertError("""
                jobs:
                  - name: nightly
                    retrys: 2
                """, ErrorCode.UNKNOWN_CONFIG_KEY, "baton.yml:4:5: unknown key 'retrys' in a job; did you mean 'retries'?");
        assertError("""
                jobs:
                  - name: nightly
                    sensors:
                      - source: app.order
                """, ErrorCode.UNKNOWN_SOURCE, "baton.yml:5:9: unknown source 'app.order' in a sensor; did you mean 'app.orders'?");
        assertError("""
                jobs:
                  - name: nightly
                    sensors:
                      - source: app.users
                """, ErrorCode.INVALID_CONFIG_VALUE, "baton.yml:5:9: source 'app.users' has no loaded_at_field, so its freshness cannot advance;"
                + " add 'loaded_at_field: COLUMN' to it");
        assertError("""
                jobs:
                  - name: nightly
                  - name: nightly
                """, ErrorCode.INVALID_CONFIG_VALUE, "baton.yml:4:5: job 'nightly' is defined twice, here and at baton.yml:3:5; rename one of them");
    }

    @Test
    void anUnknownTierPointsAtTheMeta() throws IOException {
        write("models/props.yml", """
                version: 2
                models:
                  - name: a
                    meta:
                      tier: gold
                """);
        assertThatThrownBy(() -> jobs(""))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_TIER))
                .hasMessage("models/props.yml:3:5: unknown tier 'gold' in meta.tier; use 0 (most critical), 1 or 2");
    }

    private void assertError(String block, ErrorCode code, String message) {
        assertThatThrownBy(() -> jobs(block))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(code))
                .hasMessage(message);
    }
}
