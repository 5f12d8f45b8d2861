// SPDX-License-Identifier: Apache-2.0
package org.kplugins.server;

import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The server's counters, rendered in the Prometheus text exposition format (version 0.0.4).
 * Label values come from a bounded set: the statuses the server sends and the names of plugins
 * that were loaded, with {@link #UNKNOWN_PLUGIN} for requests that name no loaded plugin.
 */
final class ServerMetrics {

    /** The plugin label of a request that names no loaded plugin; plugin names cannot contain ':'. */
    static final String UNKNOWN_PLUGIN = ":unknown";

    /** Upper bounds of the latency histogram buckets, in seconds. */
    private static final double[] LATENCY_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private record RequestKey(int status, String plugin) {
    }

    /** A latency histogram: one cumulative-ready count per bucket, plus the sum in nanoseconds. */
    private static final class Histogram {
        final LongAdder[] buckets = new LongAdder[LATENCY_BUCKETS.length];
        final LongAdder count = new LongAdder();
        final LongAdder sumNanos = new LongAdder();

        Histogram() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void observe(long nanos) {
            double seconds = nanos / 1e9;
            for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
                if (seconds <= LATENCY_BUCKETS[i]) {
                    buckets[i].increment();
                    break;
                }
            }
            count.increment();
            sumNanos.add(nanos);
        }
    }

    /** Sum and count of a duration, as a Prometheus summary without quantiles. */
    private static final class Timing {
        final LongAdder count = new LongAdder();
        final LongAdder sumNanos = new LongAdder();

        void observe(long nanos) {
            count.increment();
            sumNanos.add(nanos);
        }
    }

    private final ConcurrentMap<RequestKey, Histogram> requests = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LongAdder> pluginCalls = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LongAdder> pluginFaults = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LongAdder> timeouts = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LongAdder> quarantines = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timing> compileTimes = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timing> linkTimes = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LongAdder> loadFailures = new ConcurrentHashMap<>();
    private final IntSupplier queuedCalls;
    private final IntSupplier abandonedWorkers;

    /**
     * @param queuedCalls      returns the transcoder calls waiting for a worker now
     * @param abandonedWorkers returns the workers left to calls that ran past their timeout and did not stop
     */
    ServerMetrics(IntSupplier queuedCalls, IntSupplier abandonedWorkers) {
        this.queuedCalls = queuedCalls;
        this.abandonedWorkers = abandonedWorkers;
    }

    void observeRequest(int status, String plugin, long nanos) {
        requests.computeIfAbsent(new RequestKey(status, plugin), key -> new Histogram()).observe(nanos);
    }

    void countCall(String plugin) {
        pluginCalls.computeIfAbsent(plugin, key -> new LongAdder()).increment();
    }

    void countFault(String plugin) {
        pluginFaults.computeIfAbsent(plugin, key -> new LongAdder()).increment();
    }

    /** Counts a call that ran past the call timeout; it is a fault too. */
    void countTimeout(String plugin) {
        timeouts.computeIfAbsent(plugin, key -> new LongAdder()).increment();
    }

    void countQuarantine(String plugin) {
        quarantines.computeIfAbsent(plugin, key -> new LongAdder()).increment();
    }

    void observeCompile(String plugin, long nanos) {
        compileTimes.computeIfAbsent(plugin, key -> new Timing()).observe(nanos);
    }

    void observeLink(String plugin, long nanos) {
        linkTimes.computeIfAbsent(plugin, key -> new Timing()).observe(nanos);
    }

    /** Counts an upload or start-up load that failed at {@code stage}: compile, link, timeout, max_plugins or memory. */
    void countLoadFailure(String stage) {
        loadFailures.computeIfAbsent(stage, key -> new LongAdder()).increment();
    }

    /**
     * Renders every metric.
     *
     * @param stalledClients  the responses stopped because their client read nothing for the client timeout
     * @param loadedPlugins   the plugins serving now
     * @param reservedBytes   the plugin memory reserved now
     * @param maxPluginMemory --max-plugin-memory-bytes
     */
    String render(long stalledClients, int loadedPlugins, long reservedBytes, long maxPluginMemory) {
        StringBuilder out = new StringBuilder(4096);
        renderRequests(out);
        header(out, "kpc_http_stalled_responses_total", "counter", "Responses stopped because the client read nothing for"
                        + " the client timeout.");
        out.append("kpc_http_stalled_responses_total ").append(stalledClients).append('\n');

        header(out, "kpc_plugin_calls_total", "counter", "Transcoder calls by plugin, including faulting ones.");
        counters(out, "kpc_plugin_calls_total", "plugin", pluginCalls);
        header(out, "kpc_plugin_faults_total", "counter", "Plugin faults (bad access, budget used up, stack overflow, timeout)"
                        + " by plugin.");
        counters(out, "kpc_plugin_faults_total", "plugin", pluginFaults);
        header(out, "kpc_plugin_timeouts_total", "counter", "Transcoder calls stopped at the call timeout, by plugin.");
        counters(out, "kpc_plugin_timeouts_total", "plugin", timeouts);
        header(out, "kpc_plugin_quarantines_total", "counter", "Plugins quarantined after reaching their fault limit.");
        counters(out, "kpc_plugin_quarantines_total", "plugin", quarantines);
        header(out, "kpc_plugin_load_failures_total", "counter", "Plugin loads rejected, by stage: compile, link, timeout,"
                        + " max_plugins or memory.");
        counters(out, "kpc_plugin_load_failures_total", "stage", loadFailures);

        header(out, "kpc_plugin_compile_seconds", "summary", "Time to compile a plugin and link its imports.");
        timings(out, "kpc_plugin_compile_seconds", compileTimes);
        header(out, "kpc_plugin_link_seconds", "summary", "Time to link a compiled plugin to the transcode hook.");
        timings(out, "kpc_plugin_link_seconds", linkTimes);

        header(out, "kpc_plugins_loaded", "gauge", "Plugins serving now, not counting quarantined ones.");
        out.append("kpc_plugins_loaded ").append(loadedPlugins).append('\n');
        header(out, "kpc_plugin_memory_reserved_bytes", "gauge", "Plugin memory that the loaded plugins reserve.");
        out.append("kpc_plugin_memory_reserved_bytes ").append(reservedBytes).append('\n');
        header(out, "kpc_plugin_memory_limit_bytes", "gauge", "Plugin memory that all plugins together may reserve.");
        out.append("kpc_plugin_memory_limit_bytes ").append(maxPluginMemory).append('\n');
        header(out, "kpc_transcode_queue_length", "gauge", "Transcoder calls waiting for a worker thread.");
        out.append("kpc_transcode_queue_length ").append(queuedCalls.getAsInt()).append('\n');
        header(out, "kpc_transcode_workers_abandoned", "gauge", "Workers left to calls that did not stop after their timeout.");
        out.append("kpc_transcode_workers_abandoned ").append(abandonedWorkers.getAsInt()).append('\n');
        return out.toString();
    }

    private void renderRequests(StringBuilder out) {
        String name = "kpc_http_requests_total";
        header(out, name, "counter", "HTTP requests by status and plugin (empty for originals).");
        Map<RequestKey, Histogram> sorted = new TreeMap<>(
                        Comparator.comparing(RequestKey::plugin).thenComparingInt(RequestKey::status));
        sorted.putAll(requests);
        for (Map.Entry<RequestKey, Histogram> entry : sorted.entrySet()) {
            out.append(name).append(requestLabels(entry.getKey(), null)).append(' ').append(entry.getValue().count.sum())
                            .append('\n');
        }

        String latency = "kpc_http_request_duration_seconds";
        header(out, latency, "histogram", "Time from request to the end of the response, by status and plugin.");
        for (Map.Entry<RequestKey, Histogram> entry : sorted.entrySet()) {
            Histogram histogram = entry.getValue();
            long cumulative = 0;
            for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
                cumulative += histogram.buckets[i].sum();
                out.append(latency).append("_bucket").append(requestLabels(entry.getKey(), Double.toString(LATENCY_BUCKETS[i])))
                                .append(' ').append(cumulative).append('\n');
            }
            long count = histogram.count.sum();
            out.append(latency).append("_bucket").append(requestLabels(entry.getKey(), "+Inf")).append(' ').append(count)
                            .append('\n');
            out.append(latency).append("_sum").append(requestLabels(entry.getKey(), null)).append(' ')
                            .append(histogram.sumNanos.sum() / 1e9).append('\n');
            out.append(latency).append("_count").append(requestLabels(entry.getKey(), null)).append(' ').append(count)
                            .append('\n');
        }
    }

    private static String requestLabels(RequestKey key, String bucket) {
        String labels = "{status=\"" + key.status() + "\",plugin=\"" + escape(key.plugin()) + "\"";
        return bucket == null ? labels + "}" : labels + ",le=\"" + bucket + "\"}";
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void counters(StringBuilder out, String name, String label, Map<String, LongAdder> values) {
        for (Map.Entry<String, LongAdder> entry : new TreeMap<>(values).entrySet()) {
            out.append(name).append('{').append(label).append("=\"").append(escape(entry.getKey())).append("\"} ")
                            .append(entry.getValue().sum()).append('\n');
        }
    }

    private static void timings(StringBuilder out, String name, Map<String, Timing> values) {
        for (Map.Entry<String, Timing> entry : new TreeMap<>(values).entrySet()) {
            String labels = "{plugin=\"" + escape(entry.getKey()) + "\"}";
            out.append(name).append("_sum").append(labels).append(' ').append(entry.getValue().sumNanos.sum() / 1e9).append('\n');
            out.append(name).append("_count").append(labels).append(' ').append(entry.getValue().count.sum()).append('\n');
        }
    }

    /** Escapes a label value as the text format requires: backslash, double quote and line feed. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
