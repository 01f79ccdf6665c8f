package dev.baton.template;

import static java.util.Objects.requireNonNull;

import com.hubspot.jinjava.objects.date.PyishDate;
import com.hubspot.jinjava.objects.serialization.PyishSerializable;
import java.io.IOException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * dbt's {@code run_started_at}: renders as Python's {@code str(datetime)}, such as
 * {@code 2024-05-01 12:30:00.123456+00:00}, and offers {@code strftime}, {@code isoformat} and the
 * date fields.
 */
final class RunStartedAt implements PyishSerializable {
    private static final DateTimeFormatter PYTHON_STR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");
    private static final DateTimeFormatter PYTHON_ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");
    private final ZonedDateTime time;
    private final PyishDate date;

    RunStartedAt(ZonedDateTime time) {
        this.time = requireNonNull(time, "time is null");
        this.date = new PyishDate(time);
    }

    public String strftime(String format) {
        return date.strftime(format);
    }

    public String isoformat() {
        return PYTHON_ISO.format(time);
    }

    public int getYear() {
        return time.getYear();
    }

    public int getMonth() {
        return time.getMonthValue();
    }

    public int getDay() {
        return time.getDayOfMonth();
    }

    public int getHour() {
        return time.getHour();
    }

    public int getMinute() {
        return time.getMinute();
    }

    public int getSecond() {
        return time.getSecond();
    }

    @Override
    public <T extends Appendable & CharSequence> T appendPyishString(T appendable) throws IOException {
        appendable.append(toString());
        return appendable;
    }

    @Override
    public String toString() {
        return PYTHON_STR.format(time);
    }
}
