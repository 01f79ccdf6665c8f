package dev.baton.schedule;

import static java.util.Objects.requireNonNull;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.SourceLocation;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A Unix cron expression (five fields) read in a time zone. */
public final class CronSchedule {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime executionTime;

    private CronSchedule(String expression, ZoneId zone, ExecutionTime executionTime) {
        this.expression = expression;
        this.zone = zone;
        this.executionTime = executionTime;
    }

    /**
     * @throws BatonException {@code INVALID_SCHEDULE} at {@code location} when the expression cannot be read
     */
    public static CronSchedule parse(String expression, ZoneId zone, SourceLocation location) {
        requireNonNull(expression, "expression is null");
        requireNonNull(zone, "zone is null");
        Cron cron;
        try {
            cron = PARSER.parse(expression.trim());
            cron.validate();
        } catch (IllegalArgumentException e) {
            throw new BatonException(ErrorCode.INVALID_SCHEDULE, "invalid cron expression '" + expression + "': " + e.getMessage()
                    + "; write five fields: minute hour day-of-month month day-of-week, such as '0 2 * * *' for 02:00 every day",
                    Optional.of(location), e);
        }
        return new CronSchedule(expression.trim(), zone, ExecutionTime.forCron(cron));
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The first time strictly after {@code instant}. */
    public Optional<Instant> nextAfter(Instant instant) {
        return executionTime.nextExecution(ZonedDateTime.ofInstant(instant, zone)).map(ZonedDateTime::toInstant);
    }

    /** The times in {@code (after, until]}, oldest first, at most {@code limit} of the newest. */
    public List<Instant> between(Instant after, Instant until, int limit) {
        List<Instant> times = new ArrayList<>();
        Optional<Instant> next = nextAfter(after);
        while (next.isPresent() && !next.get().isAfter(until)) {
            times.add(next.get());
            if (times.size() > limit) {
                times.remove(0);
            }
            next = nextAfter(next.get());
        }
        return times;
    }

    @Override
    public String toString() {
        return expression + " (" + zone + ")";
    }
}
