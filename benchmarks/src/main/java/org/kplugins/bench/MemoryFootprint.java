// SPDX-License-Identifier: Apache-2.0
package org.kplugins.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.host.Kernel;
import org.kplugins.kpc.host.KernelHook;
import org.kplugins.kpc.host.Plugin;
import org.kplugins.kpc.host.PluginLimits;

/**
 * Measures the memory that linked plugins keep: Java heap and native memory per plugin instance
 * and for N plugins, each {@code examples/grayscale.kpc} linked to a hook of its own and called
 * once on a 64x64 image.
 *
 * <p>Method: a fresh JVM started with {@code -XX:NativeMemoryTracking=summary} loads, links and
 * calls one warm-up plugin and unloads it, so that class loading and the engine's own setup are
 * not counted. After the baseline and after the N plugins it runs {@code System.gc()} three times
 * and reads the heap in use ({@code MemoryMXBean}) and the native memory the JVM has committed
 * outside the Java heap (Native Memory Tracking: total committed minus the Java heap's committed).
 * It also reads the resident set ({@code VmRSS}), which counts what Native Memory Tracking misses:
 * memory that the native tier maps through the foreign function API. The per-plugin figures are
 * the differences divided by N. The peak heap is the sum of the heap
 * pools' peak usage since the baseline, an upper bound because the pools peak at different
 * moments. The process's peak resident set ({@code VmHWM}) is read from {@code /proc/self/status}.
 *
 * <p>{@code --limits default} loads with {@link PluginLimits#DEFAULT}; {@code --limits small} with
 * the limits {@link #SMALL_LIMITS} that fit this plugin. With {@code --source distinct} every
 * plugin's text differs by a comment, so each one parses and keeps its own code, as plugins from
 * different users would. With {@code --source shared} all plugins load the same source and share
 * the parsed code, which isolates what an instance costs.
 *
 * <pre>
 * java -XX:NativeMemoryTracking=summary ... org.kplugins.bench.MemoryFootprint \
 *     --plugins 1000 --limits small --source distinct --out FILE
 * </pre>
 *
 * <p>{@code --tier jit} (the default) measures the Truffle tier and {@code --tier native} the x86-64
 * tier, whose instances also hold machine code, a context block and a native copy of the address
 * space. {@code --tier emulated} and {@code emulated-checked} run the same machine code on the
 * emulated CPU. In {@code --tier auto} the one call of each plugin runs as Truffle nodes, because
 * at the default threshold the auto tier switches to machine code at the second call at the
 * earliest, so it measures plugins that have not switched.
 *
 * <p>It writes one {@code key,value} line per figure, with the unit in the key and the settings in
 * the subject: the tier ({@code emulated_checked} for emulated-checked), then
 * {@code _small_limits} and {@code _shared_source} when those apply, for example
 * {@code jit_small_limits_shared_source}.
 */
public final class MemoryFootprint {

    /**
     * Limits that fit the grayscale plugin called on small images: a 1 MiB address space, a 16 KiB
     * stack and a 4 KiB heap. With the default 16 MiB heap, the host buffers of the first call are
     * mapped above the heap range, so each instance's backing array grows past 16 MiB.
     */
    static final PluginLimits SMALL_LIMITS = PluginLimits.DEFAULT.withMemoryLimit(1 << 20).withStackSize(16 << 10)
                    .withHeapSize(4 << 10);

    private static final int IMAGE_SIDE = 64;
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern NMT_HEAP = Pattern.compile("Java Heap \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

    private final Kernel kernel;
    private final String text;
    private final PluginLimits limits;
    private final boolean distinctSources;
    private final byte[] input = GrayscaleImage.synthetic(IMAGE_SIDE);
    private final byte[] output = new byte[input.length];

    private MemoryFootprint(Kernel kernel, String text, PluginLimits limits, boolean distinctSources) {
        this.kernel = kernel;
        this.text = text;
        this.limits = limits;
        this.distinctSources = distinctSources;
    }

    /** Heap in use, native memory committed outside the heap, and the process's resident set, all in bytes. */
    record Snapshot(long heapBytes, long nativeBytes, long residentBytes) {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int count = 1000;
        String limitsMode = "small";
        String sourceMode = "distinct";
        KpcTier tier = KpcTier.JIT;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--plugins" -> count = parsePositive(args, ++i);
                case "--limits" -> limitsMode = value(args, ++i);
                case "--source" -> sourceMode = value(args, ++i);
                case "--tier" -> tier = KpcTier.of(value(args, ++i));
                case "--out" -> out = Path.of(value(args, ++i));
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                                + "': expected --plugins N, --limits default|small, --source distinct|shared, --tier TIER"
                                + " (jit, native, emulated, emulated-checked or auto), --out FILE");
            }
        }
        if (!limitsMode.equals("default") && !limitsMode.equals("small")) {
            throw new IllegalArgumentException("invalid --limits '" + limitsMode + "': expected default or small");
        }
        if (!sourceMode.equals("distinct") && !sourceMode.equals("shared")) {
            throw new IllegalArgumentException("invalid --source '" + sourceMode + "': expected distinct or shared");
        }
        if (tier == KpcTier.INTERP) {
            throw new IllegalArgumentException("invalid --tier 'interp': the interpreter keeps the same instances as jit;"
                            + " expected jit, native, emulated, emulated-checked or auto");
        }
        if (out == null) {
            throw new IllegalArgumentException("missing --out FILE: the file to write the figures to");
        }

        Map<String, Double> figures;
        try (Engine engine = tier.newEngine(); Kernel kernel = Kernel.builder("memory").engine(engine).build()) {
            boolean small = limitsMode.equals("small");
            boolean distinct = sourceMode.equals("distinct");
            String subject = tier.subject() + (small ? "_small_limits" : "") + (distinct ? "" : "_shared_source");
            MemoryFootprint footprint = new MemoryFootprint(kernel, Artifacts.text(Artifacts.GRAYSCALE_KPC),
                            small ? SMALL_LIMITS : PluginLimits.DEFAULT, distinct);
            figures = footprint.measure(count, subject);
        }

        StringBuilder lines = new StringBuilder();
        figures.forEach((key, value) -> lines.append(key).append(',').append(String.format(Locale.ROOT, "%.3f", value)).append('\n'));
        Files.writeString(out, lines);
        System.out.print(lines);
    }

    private Map<String, Double> measure(int count, String subject) throws IOException, InterruptedException {
        loadLinkAndCall(-1).unload();
        Snapshot baseline = snapshot();
        resetPeakHeap();

        for (int i = 0; i < count; i++) {
            loadLinkAndCall(i);
        }
        Snapshot all = snapshot();
        long peakHeap = peakHeapBytes();

        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("plugin_heap_kb." + subject, kib(all.heapBytes() - baseline.heapBytes()) / count);
        figures.put("plugin_native_kb." + subject, kib(all.nativeBytes() - baseline.nativeBytes()) / count);
        figures.put("plugin_rss_kb." + subject, kib(all.residentBytes() - baseline.residentBytes()) / count);
        figures.put("plugins_" + count + "_heap_mb." + subject, mib(all.heapBytes() - baseline.heapBytes()));
        figures.put("plugins_" + count + "_heap_peak_mb." + subject, mib(peakHeap - baseline.heapBytes()));
        figures.put("plugins_" + count + "_native_mb." + subject, mib(all.nativeBytes() - baseline.nativeBytes()));
        figures.put("plugins_" + count + "_rss_peak_mb." + subject, mib(peakResidentBytes()));

        if (kernel.plugins().size() != count) {
            // The figures would not be per plugin if some plugin had been released.
            throw new IllegalStateException("expected " + count + " loaded plugins, found " + kernel.plugins().size());
        }
        return figures;
    }

    /** Loads plugin {@code index} (-1 for the warm-up plugin), links it to a new hook and calls it once. */
    private Plugin loadLinkAndCall(int index) {
        String name = index < 0 ? "warmup" : "p" + index;
        String source = distinctSources || index < 0 ? text + "\n/* plugin " + name + " */\n" : text;
        Plugin plugin = kernel.load(Source.newBuilder(KpcLanguage.ID, source, "grayscale-" + name + ".kpc").buildLiteral(),
                        limits);
        KernelHook hook = kernel.declareHook(GrayscaleBenchmark.TRANSCODE.replace("transcode", "transcode_" + name));
        hook.link(plugin, "transcode");
        GrayscaleBenchmark.requireSuccess(name, hook.call(input, output, IMAGE_SIDE, IMAGE_SIDE).asInt());
        return plugin;
    }

    private static Snapshot snapshot() throws InterruptedException, IOException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        String summary = nativeMemorySummary();
        long total = kibField(NMT_TOTAL, summary);
        long javaHeap = kibField(NMT_HEAP, summary);
        return new Snapshot(heap, (total - javaHeap) * 1024, statusBytes("VmRSS:"));
    }

    private static String nativeMemorySummary() {
        try {
            Object result = ManagementFactory.getPlatformMBeanServer().invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                            new Object[] {new String[] {"summary", "scale=KB"}}, new String[] {String[].class.getName()});
            return result.toString();
        } catch (JMException e) {
            throw new IllegalStateException("reading the native memory summary failed: " + e.getMessage(), e);
        }
    }

    /** Returns the committed KiB that {@code pattern} finds in the summary. */
    private static long kibField(Pattern pattern, String summary) {
        Matcher matcher = pattern.matcher(summary);
        if (!matcher.find()) {
            throw new IllegalStateException("native memory summary has no '" + pattern.pattern() + "': start the JVM with"
                            + " -XX:NativeMemoryTracking=summary (output was: " + summary.strip() + ")");
        }
        return Long.parseLong(matcher.group(2));
    }

    private static void resetPeakHeap() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** Returns the process's peak resident set size ({@code VmHWM}), in bytes. */
    private static long peakResidentBytes() throws IOException {
        return statusBytes("VmHWM:");
    }

    /** Returns a size in KiB from {@code /proc/self/status}, the line starting with {@code field}, in bytes. */
    private static long statusBytes(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("/proc/self/status has no " + field + " line");
    }

    private static double kib(long bytes) {
        return bytes / 1024.0;
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException("missing value after " + args[index - 1]);
        }
        return args[index];
    }

    private static int parsePositive(String[] args, int index) {
        String text = value(args, index);
        try {
            int number = Integer.parseInt(text);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // Reported below with the accepted range.
        }
        throw new IllegalArgumentException("invalid " + args[index - 1] + " '" + text + "': expected a positive integer");
    }
}
