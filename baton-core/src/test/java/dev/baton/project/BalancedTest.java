package dev.baton.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BalancedTest {
    @Test
    void everyItemIsTakenOnceOnEveryCore() {
        List<Integer> items = IntStream.range(0, 10_000).boxed().toList();
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger calls = new AtomicInteger();

        Balanced.forEach(items, item -> {
            calls.incrementAndGet();
            seen.add(item);
        });

        assertThat(calls).hasValue(10_000);
        assertThat(seen).hasSize(10_000);
    }

    @Test
    void nothingToDoIsDoneAtOnce() {
        Balanced.forEach(List.of(), item -> {
            throw new AssertionError("no item to take");
        });
    }

    @Test
    void aFailureIsThrownAsItWas() {
        List<Integer> items = IntStream.range(0, 10_000).boxed().toList();

        // Whichever thread it happens on (how many items the others take meanwhile depends on the scheduler).
        assertThatThrownBy(() -> Balanced.forEach(items, item -> {
            if (item == 10) {
                throw new RenderFailure("model 10 does not render");
            }
        })).isInstanceOf(RenderFailure.class).hasMessage("model 10 does not render");
    }

    /** Like Baton's own exceptions, it has no constructor a fork-join pool would wrap it with on another thread. */
    private static final class RenderFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RenderFailure(String message) {
            super(message);
        }
    }
}
