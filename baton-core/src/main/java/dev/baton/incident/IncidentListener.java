package dev.baton.incident;

/** Told about incidents as they open, recur and resolve (alerts listen). Must not throw. */
public interface IncidentListener {
    /** A new incident, or a recurrence of an open one ({@code occurrences} above 1). */
    void opened(Incident incident);

    void resolved(Incident incident);
}
