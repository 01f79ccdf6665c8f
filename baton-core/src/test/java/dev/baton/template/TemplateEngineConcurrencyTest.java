package dev.baton.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.SourceLocation;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TemplateEngineConcurrencyTest {
    private static final int MODELS = 10_000;
    private static final String MACROS = """
            {% macro cents_to_dollars(column, scale=2) %}round({{ column }} / 100.0, {{ scale }}){% endmacro %}
            {% macro first_of(items) %}{{ return(items[0]) }}{% endmacro %}
            """;

    private static TemplateEngine engine() {
        return TemplateEngine.create(Map.of("macros/money.sql", MACROS), Map.of(), Map.of("suffix", "_v1"), Map.of(), Map.of("name", "dev"));
    }

    private static String model(int i) {
        return "{{ config(materialized='table', tags=['t" + i + "']) }}\n"
                + "select o.id, {{ cents_to_dollars('o.amount') }} as amount_" + i + "\n"
                + "from {{ ref('orders') }} o\n"
                + "join {{ ref('customers') }} c on c.id = o.customer_id";
    }

    private static String expected(int i) {
        return "\nselect o.id, round(o.amount / 100.0, 2) as amount_" + i + "\n"
                + "from \"main\".\"orders\" o\n"
                + "join \"main\".\"customers\" c on c.id = o.customer_id";
    }

    @Test
    void rendersInParallelWithTheRightCallbacksForEachFile() throws Exception {
        TemplateEngine engine = engine();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Void>> results = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                int index = i;
                results.add(pool.submit(() -> {
                    RecordingContext context = new RecordingContext(Optional.of("\"main\".\"m" + index + "\""), index % 2 == 0);
                    String template = model(index) + "{% if is_incremental() %} where {{ this }}.x{{ var('suffix') }} = {{ first_of([" + index + ", 0]) }}{% endif %}";
                    String sql = engine.render(template, "models/m" + index + ".sql", context);
                    String tail = index % 2 == 0 ? " where \"main\".\"m" + index + "\".x_v1 = " + index : "";
                    assertThat(sql).isEqualTo(expected(index) + tail);
                    assertThat(context.refs).containsExactly("orders", "customers");
                    assertThat(context.refLocations).containsExactly(SourceLocation.of("models/m" + index + ".sql", 3), SourceLocation.of("models/m" + index + ".sql", 4));
                    assertThat(context.configs).containsExactly(Map.of("materialized", "table", "tags", List.of("t" + index)));
                    if (ThreadLocalRandom.current().nextInt(10) == 0) {
                        Thread.yield();
                    }
                    return null;
                }));
            }
            for (Future<Void> result : results) {
                result.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Not a benchmark: prints how long 10,000 small models take on two threads, wall clock and CPU
     * time (the CPU time divided by two is the wall clock on two otherwise idle cores).
     */
    @Test
    void tenThousandSmallModelsOnTwoThreads() throws Exception {
        TemplateEngine engine = engine();
        List<String> templates = new ArrayList<>();
        for (int i = 0; i < MODELS; i++) {
            templates.add(model(i));
        }
        for (int round = 0; round < 3; round++) {
            renderAll(engine, templates);
        }
        long[] best = {Long.MAX_VALUE, Long.MAX_VALUE};
        for (int round = 0; round < 3; round++) {
            long[] timing = renderAll(engine, templates);
            best[0] = Math.min(best[0], timing[0]);
            best[1] = Math.min(best[1], timing[1]);
        }
        System.out.printf("rendered %,d models (2 refs, a macro, config) on 2 threads: %d ms wall clock, %d ms CPU (%.1f us per model)%n",
                MODELS, best[0] / 1_000_000, best[1] / 1_000_000, best[1] / 1_000.0 / MODELS);
    }

    /** Wall-clock and CPU nanoseconds to render every template on two threads. */
    private static long[] renderAll(TemplateEngine engine, List<String> templates) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        long start = System.nanoTime();
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int worker = 0; worker < 2; worker++) {
                int first = worker;
                results.add(pool.submit(() -> {
                    long cpuStart = threads.getCurrentThreadCpuTime();
                    for (int i = first; i < templates.size(); i += 2) {
                        String sql = engine.render(templates.get(i), "models/m" + i + ".sql", new RecordingContext());
                        if (!sql.equals(expected(i))) {
                            throw new AssertionError("model " + i + " rendered as " + sql);
                        }
                    }
                    return threads.getCurrentThreadCpuTime() - cpuStart;
                }));
            }
            long cpu = 0;
            for (Future<Long> result : results) {
                cpu += result.get();
            }
            return new long[] {System.nanoTime() - start, cpu};
        } finally {
            pool.shutdownNow();
        }
    }
}
