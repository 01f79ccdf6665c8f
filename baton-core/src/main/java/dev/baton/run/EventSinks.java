package dev.baton.run;

import dev.baton.api.event.EventSink;
import dev.baton.api.event.RunEvent;
import java.io.PrintWriter;
import java.util.List;

/** Combines sinks; one sink failing never stops the run or the other sinks. */
public final class EventSinks {
    private EventSinks() {}

    public static EventSink compose(List<EventSink> sinks, PrintWriter errors) {
        List<EventSink> all = List.copyOf(sinks);
        return new EventSink() {
            @Override
            public void accept(RunEvent event) {
                for (EventSink sink : all) {
                    try {
                        sink.accept(event);
                    } catch (RuntimeException e) {
                        errors.println("warning: " + sink.getClass().getSimpleName() + " could not record " + event.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                }
            }

            @Override
            public void close() {
                for (EventSink sink : all) {
                    try {
                        sink.close();
                    } catch (RuntimeException e) {
                        errors.println("warning: " + sink.getClass().getSimpleName() + " did not close cleanly: " + e.getMessage());
                    }
                }
            }
        };
    }
}
