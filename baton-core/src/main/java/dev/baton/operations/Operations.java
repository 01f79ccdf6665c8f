package dev.baton.operations;

import static java.util.Objects.requireNonNull;

import dev.baton.alert.AlertRouter;
import dev.baton.alert.AlertsConfig;
import dev.baton.api.engine.Engine;
import dev.baton.api.event.EventSink;
import dev.baton.incident.IncidentService;
import dev.baton.incident.IncidentSink;
import dev.baton.kpi.KpiService;
import dev.baton.lineage.OpenLineageConfig;
import dev.baton.lineage.OpenLineageSink;
import dev.baton.project.Project;
import dev.baton.schedule.BuildJobExecutor;
import dev.baton.schedule.JobExecutor;
import dev.baton.schedule.JobsConfig;
import dev.baton.schedule.ProjectSensorProbe;
import dev.baton.schedule.Scheduler;
import dev.baton.sla.SlaMonitor;
import dev.baton.state.StateConnections;
import dev.baton.state.StateStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Everything that runs a project by itself, wired together over one warehouse and state store:
 * the scheduler (jobs run as builds that feed incidents and OpenLineage), the freshness SLA
 * monitor, incidents with their alert routes, and the KPIs. What {@code baton serve} holds.
 */
public final class Operations implements AutoCloseable {
    private final Project project;
    private final IncidentService incidents;
    private final AlertRouter alerts;
    private final SlaMonitor monitor;
    private final KpiService kpis;
    private final Scheduler scheduler;
    private final Optional<OpenLineageConfig> lineage;
    private final PrintWriter warnings;
    private final Duration monitorInterval;
    private ScheduledExecutorService monitorLoop;

    private Operations(Project project, Engine engine, StateStore store, Clock clock, PrintWriter warnings, Scheduler.Options options,
            Duration monitorInterval, Optional<JobExecutor> jobExecutor) {
        this.project = project;
        this.warnings = warnings;
        this.monitorInterval = monitorInterval;
        Optional<String> url = project.settings().stateUrl();
        this.lineage = OpenLineageConfig.read(project);
        AlertsConfig alertsConfig = AlertsConfig.read(project);
        var jobs = JobsConfig.read(project, () -> store);
        this.incidents = new IncidentService(StateConnections.open(project.root(), url), project, clock);
        this.alerts = new AlertRouter(alertsConfig, project.name(), StateConnections.open(project.root(), url), clock, warnings);
        incidents.addListener(alerts);
        this.monitor = new SlaMonitor(project, engine, StateConnections.open(project.root(), url), clock, Optional.of(incidents));
        this.kpis = new KpiService(StateConnections.open(project.root(), url), project, clock);
        int threads = project.target().threads() > 0 ? project.target().threads() : Runtime.getRuntime().availableProcessors();
        JobExecutor executor = jobExecutor.isPresent() ? jobExecutor.get() : new BuildJobExecutor(project, engine, store, threads, this::runSinks);
        this.scheduler = new Scheduler(jobs, StateConnections.open(project.root(), url), executor,
                new ProjectSensorProbe(project, engine), clock, options);
    }

    /**
     * Reads {@code jobs:}, {@code alerts:} and {@code openlineage:} of the project file (a mistake
     * there fails here, with its file and line) and opens the services. Nothing runs until {@link #start()}.
     *
     * @param monitorInterval how often the SLA monitor evaluates while started
     */
    public static Operations open(Project project, Engine engine, StateStore store, Clock clock, PrintWriter warnings, Scheduler.Options options,
            Duration monitorInterval) {
        requireNonNull(project, "project is null");
        requireNonNull(engine, "engine is null");
        requireNonNull(store, "store is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(warnings, "warnings is null");
        requireNonNull(options, "options is null");
        requireNonNull(monitorInterval, "monitorInterval is null");
        return new Operations(project, engine, store, clock, warnings, options, monitorInterval, Optional.empty());
    }

    /**
     * As {@link #open}, but jobs run through {@code jobExecutor} instead of as builds on {@code engine}:
     * a server that is the warehouse's one writer queues them with the rest of its runs. Such an
     * executor should give its builds the {@link #runSinks()}.
     */
    public static Operations open(Project project, Engine engine, StateStore store, Clock clock, PrintWriter warnings, Scheduler.Options options,
            Duration monitorInterval, JobExecutor jobExecutor) {
        requireNonNull(project, "project is null");
        requireNonNull(engine, "engine is null");
        requireNonNull(store, "store is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(warnings, "warnings is null");
        requireNonNull(options, "options is null");
        requireNonNull(monitorInterval, "monitorInterval is null");
        requireNonNull(jobExecutor, "jobExecutor is null");
        return new Operations(project, engine, store, clock, warnings, options, monitorInterval, Optional.of(jobExecutor));
    }

    /**
     * The event sinks every build of the project should have besides the state store: incidents
     * and, when configured, OpenLineage. Made anew for each run; close them when it ends.
     */
    public List<EventSink> runSinks() {
        List<EventSink> sinks = new ArrayList<>();
        sinks.add(new IncidentSink(incidents));
        lineage.ifPresent(config -> sinks.add(new OpenLineageSink(project, config, warnings)));
        return sinks;
    }

    /** Starts the scheduler (after marking runs of a dead process crashed) and the periodic SLA monitor. */
    public synchronized void start() {
        scheduler.start();
        if (monitorLoop == null) {
            monitorLoop = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "baton-sla-monitor");
                thread.setDaemon(true);
                return thread;
            });
            monitorLoop.scheduleWithFixedDelay(() -> {
                try {
                    monitor.evaluate();
                } catch (RuntimeException e) {
                    warnings.println("warning: the freshness SLA monitor failed: " + e.getMessage());
                }
            }, 0, monitorInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Starts the scheduler only (after marking runs of a dead process crashed); the SLA monitor stays idle. */
    public synchronized void startScheduler() {
        scheduler.start();
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public IncidentService incidents() {
        return incidents;
    }

    public SlaMonitor monitor() {
        return monitor;
    }

    public AlertRouter alerts() {
        return alerts;
    }

    public KpiService kpis() {
        return kpis;
    }

    /** Stops the monitor and the scheduler (running runs are cancelled and recorded), then closes every connection. */
    @Override
    public synchronized void close() {
        if (monitorLoop != null) {
            monitorLoop.shutdownNow();
        }
        scheduler.close();
        monitor.close();
        kpis.close();
        alerts.close();
        incidents.close();
    }
}
