package dev.baton.server.run;

import dev.baton.api.event.EventSink;
import java.io.PrintStream;

/** What a run executed by the server writes to, and how the server stops it. */
public interface RunIo {
    /** Standard output, as the command would print it on a terminal. */
    PrintStream out();

    /** Standard error. */
    PrintStream err();

    /** Receives the run's events (metrics and the server's own bookkeeping). */
    EventSink events();

    /** Registers what cancels the run; called at once if cancellation was already asked for. */
    void onCancel(Runnable cancel);
}
