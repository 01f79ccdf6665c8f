package dev.baton.engine.spark;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;

/**
 * Spark cancels only jobs already submitted, and a statement spends its first moments (seconds, on
 * a busy machine) planning. A statement cancelled while it plans is remembered here, and its first
 * job is cancelled as it starts.
 */
final class SparkCancellations extends SparkListener {
    private final SparkContext context;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    SparkCancellations(SparkContext context) {
        this.context = context;
    }

    void request(String jobGroup) {
        pending.add(jobGroup);
        context.cancelJobGroup(jobGroup);
    }

    void clear(String jobGroup) {
        pending.remove(jobGroup);
    }

    @Override
    public void onJobStart(SparkListenerJobStart jobStart) {
        String group = jobStart.properties() == null ? null : jobStart.properties().getProperty("spark.jobGroup.id");
        if (group != null && pending.contains(group)) {
            context.cancelJobGroup(group);
        }
    }
}
