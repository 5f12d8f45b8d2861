// SPDX-License-Identifier: Apache-2.0
package org.kplugins.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the generated section of BENCHMARKS.md: the run, the comparison with the 2004 paper,
 * and one table per suite with ratios to the baselines and to the targets.
 */
final class MarkdownReport {

    /** The paper's figures, measured on an 866 MHz Pentium III (Kernel Plugins: When a VM Is Too Much, 2004). */
    static final String PAPER = "paper (866 MHz Pentium III)";

    private static final Pattern MEMORY_KEY = Pattern.compile("plugins_(\\d+)_heap_mb\\.(.+)");

    private final Results results;
    private final Map<String, Measurement> values;
    private final StringBuilder out = new StringBuilder();

    private MarkdownReport(Results results) {
        this.results = results;
        this.values = results.values();
    }

    /**
     * Returns the section text.
     *
     * @param chart the chart's path relative to BENCHMARKS.md
     */
    static String render(Results results, String chart) {
        MarkdownReport report = new MarkdownReport(results);
        report.runs();
        report.paper();
        report.grayscale(chart);
        report.upcall();
        report.codeGeneration();
        report.memory();
        return report.out.toString();
    }

    /** Describes the run, or each merged run with the mark of its figures. */
    private void runs() {
        List<Map<String, String>> runs = results.runs();
        if (runs.size() == 1) {
            out.append("### The run\n\n");
            describeRun(runs.get(0));
            return;
        }
        out.append("### The runs\n\n");
        out.append("These results merge ").append(runs.size()).append(" runs. ");
        for (int i = 1; i < runs.size(); i++) {
            out.append("A figure marked ").append(Results.runMark(i)).append(" comes from the ").append(runs.get(i).get("mode"))
                            .append(" run of ").append(runs.get(i).get("date")).append(". ");
        }
        out.append("A figure without a mark comes from the ").append(runs.get(0).get("mode")).append(" run of ")
                        .append(runs.get(0).get("date")).append(". A ratio between figures of two runs compares"
                                        + " measurements taken at different loads.\n\n");
        for (int i = 0; i < runs.size(); i++) {
            String mark = Results.runMark(i);
            out.append("**The ").append(runs.get(i).get("mode")).append(" run of ").append(runs.get(i).get("date"))
                            .append(mark.isEmpty() ? "** (figures without a mark)" : "** (figures marked " + mark + ")")
                            .append("\n\n");
            describeRun(runs.get(i));
        }
    }

    private void describeRun(Map<String, String> run) {
        for (String line : Report.runLines(run)) {
            out.append("- ").append(line).append('\n');
        }
        out.append('\n');
        if (run.get("note") != null) {
            out.append("> **").append(run.get("note")).append("**\n\n");
        }
    }

    private void paper() {
        out.append("### Against the paper\n\n");
        out.append("In the paper's units. The ratio is the paper's time over the KPC jit time, so 10x means ten times faster"
                        + " than the paper's kernel plugins on their 2004 hardware.\n\n");
        out.append("| measurement | ").append(PAPER).append(" | KPC jit | KPC interp | paper / KPC jit |\n");
        out.append("| --- | --- | --- | --- | --- |\n");
        paperRow("upcall through a hook", "0.45-0.62 us", 0.45, 0.62, "upcall_ns.jit", "upcall_ns.interp", 1e-3, "us");
        paperRow("code generation: grayscale.kpc to a linked plugin", "4 ms", 4, 4, "compile_ms.jit", null, 1, "ms");
        paperRow("link", "3.1 us", 3.1, 3.1, "link_us.jit", null, 1, "us");
        paperRow("unlink", "1.6 us", 1.6, 1.6, "unlink_us.jit", null, 1, "us");
        out.append('\n');
    }

    private void paperRow(String name, String paper, double paperLow, double paperHigh, String jitKey, String interpKey,
                    double scale, String unit) {
        Measurement jit = values.get(jitKey);
        Measurement interp = interpKey == null ? null : values.get(interpKey);
        String ratio = "not measured";
        if (jit != null) {
            double low = paperLow / (jit.value() * scale);
            double high = paperHigh / (jit.value() * scale);
            ratio = paperLow == paperHigh ? Format.ratio(low) : Format.ratio(low) + " to " + Format.ratio(high);
        }
        out.append("| ").append(name).append(" | ").append(paper).append(" | ").append(scaled(jit, scale, unit))
                        .append(" | ").append(interpKey == null ? "-" : scaled(interp, scale, unit)).append(" | ").append(ratio)
                        .append(" |\n");
    }

    private String scaled(Measurement measurement, double scale, String unit) {
        if (measurement == null) {
            return "not measured";
        }
        String mark = results.mark(measurement.key());
        return Format.withError(new Measurement(measurement.key(), measurement.value() * scale, measurement.error() * scale))
                        + " " + unit + (mark.isEmpty() ? "" : " " + mark);
    }

    private void grayscale(String chart) {
        out.append("### Grayscale throughput\n\n");
        out.append("MB (10^6 bytes) of input per second, higher is better; ±: the 99.9% confidence half-width from JMH."
                        + " Ratios are to the Java loop and to gcc -O2 on the same image size.\n\n");
        out.append("![Grayscale throughput per tier and peer](").append(chart).append(")\n\n");
        out.append("| subject | 512x512 | 2048x2048 | / Java loop (512, 2048) | / gcc -O2 (512, 2048) | target, 512x512 |"
                        + " against the target |\n");
        out.append("| --- | --- | --- | --- | --- | --- | --- |\n");
        for (Subject subject : Subject.GRAYSCALE) {
            Measurement small = values.get(ThroughputChart.key(512, subject));
            Measurement large = values.get(ThroughputChart.key(2048, subject));
            out.append("| ").append(subject.label())
                            .append(" | ").append(cell(small))
                            .append(" | ").append(cell(large))
                            .append(" | ").append(ratios(subject, "java"))
                            .append(" | ").append(ratios(subject, "gcc_o2"))
                            .append(" | ").append(Double.isNaN(subject.target()) ? "-" : Format.number(subject.target()))
                            .append(" | ").append(againstHigherIsBetter(small, subject.target()))
                            .append(" |\n");
        }
        out.append('\n');
    }

    private String ratios(Subject subject, String baseline) {
        List<String> parts = new ArrayList<>();
        for (int side : ThroughputChart.SIDES) {
            Measurement measured = values.get("grayscale_" + side + "_mbps." + subject.key());
            Measurement base = values.get("grayscale_" + side + "_mbps." + baseline);
            parts.add(measured == null || base == null ? "-" : Format.ratio(measured.value() / base.value()));
        }
        return String.join(", ", parts);
    }

    private void upcall() {
        out.append("### Upcall\n\n");
        out.append("Nanoseconds per call of `int inc(int x) { return x + 1; }` from the Java host, lower is better.\n\n");
        out.append("| subject | ns per call | / Java interface call | / FFM downcall | target | against the target |\n");
        out.append("| --- | --- | --- | --- | --- | --- |\n");
        Measurement java = values.get("upcall_ns.java");
        Measurement ffm = values.get("upcall_ns.ffm");
        for (Subject subject : Subject.UPCALL) {
            Measurement measured = values.get("upcall_ns." + subject.key());
            out.append("| ").append(subject.label())
                            .append(" | ").append(cell(measured))
                            .append(" | ").append(ratio(measured, java))
                            .append(" | ").append(ratio(measured, ffm))
                            .append(" | ").append(Double.isNaN(subject.target()) ? "-" : Format.number(subject.target()))
                            .append(" | ").append(againstLowerIsBetter(measured, subject.target()))
                            .append(" |\n");
        }
        out.append('\n');
    }

    private void codeGeneration() {
        out.append("### Code generation and linking\n\n");
        out.append("| measurement |");
        for (Subject subject : Subject.COMPILE) {
            out.append(' ').append(subject.label()).append(" |");
        }
        out.append("\n|").append(" --- |".repeat(Subject.COMPILE.size() + 1)).append('\n');
        compileRow("source to a linked instance, new source each time (ms)", "compile_ms.");
        compileRow("the same, source parsed before (ms)", "compile_cached_ms.");
        linkRow("link a hook (us)", "link_us.jit");
        linkRow("unlink a hook (us)", "unlink_us.jit");
        linkRow("replace the linked plugin (us)", "replace_us.jit");
        linkRow("link plus unlink, no per-call setup (us)", "link_unlink_us.jit");
        out.append('\n');
    }

    /** Appends a row with a cell per column of {@link Subject#COMPILE}, and "-" where the metric has no such subject. */
    private void compileRow(String name, String metric) {
        out.append("| ").append(name).append(" |");
        for (Subject subject : Subject.COMPILE) {
            boolean cachedWasm = metric.equals("compile_cached_ms.") && subject.key().equals("wasm");
            out.append(' ').append(cachedWasm ? "-" : cell(values.get(metric + subject.key()))).append(" |");
        }
        out.append('\n');
    }

    /** Appends a row measured in the jit tier only: the first column, then "-". */
    private void linkRow(String name, String key) {
        out.append("| ").append(name).append(" | ").append(cell(values.get(key))).append(" |")
                        .append(" - |".repeat(Subject.COMPILE.size() - 1)).append('\n');
    }

    private void memory() {
        out.append("### Memory\n\n");
        out.append("Per plugin: Java heap and JVM native memory retained after a full GC, averaged over N linked and called"
                        + " plugins, and the growth of the process's resident set, which also counts the memory that the"
                        + " native tier maps itself (plugin memory, page table, machine code) and the JVM does not track."
                        + " Totals for the N plugins in MiB; the peak heap is an upper bound.\n\n");
        out.append("| configuration | N | heap per plugin (KiB) | native per plugin (KiB) | RSS per plugin (KiB) |"
                        + " heap, N plugins (MiB) | peak heap (MiB) | native, N plugins (MiB) | process peak RSS (MiB) |\n");
        out.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        TreeSet<String> memoryKeys = new TreeSet<>(values.keySet());
        boolean any = false;
        for (String key : memoryKeys) {
            Matcher matcher = MEMORY_KEY.matcher(key);
            if (!matcher.matches()) {
                continue;
            }
            any = true;
            String count = matcher.group(1);
            String subject = matcher.group(2);
            out.append("| ").append(memoryLabel(subject)).append(" | ").append(count)
                            .append(" | ").append(cell(values.get("plugin_heap_kb." + subject)))
                            .append(" | ").append(cell(values.get("plugin_native_kb." + subject)))
                            .append(" | ").append(cell(values.get("plugin_rss_kb." + subject)))
                            .append(" | ").append(cell(values.get("plugins_" + count + "_heap_mb." + subject)))
                            .append(" | ").append(cell(values.get("plugins_" + count + "_heap_peak_mb." + subject)))
                            .append(" | ").append(cell(values.get("plugins_" + count + "_native_mb." + subject)))
                            .append(" | ").append(cell(values.get("plugins_" + count + "_rss_peak_mb." + subject)))
                            .append(" |\n");
        }
        if (!any) {
            out.append("| not measured | - | - | - | - | - | - | - | - |\n");
        }
        out.append('\n');
    }

    /**
     * Describes a memory subject: the tier, then the limits and sources of
     * {@link org.kplugins.bench.MemoryFootprint}. The settings are matched from the end because a
     * tier such as {@code emulated_checked} contains '_' itself.
     */
    static String memoryLabel(String subject) {
        String smallShared = "_small_limits_shared_source";
        String small = "_small_limits";
        String shared = "_shared_source";
        String tier;
        String description;
        if (subject.endsWith(smallShared)) {
            tier = subject.substring(0, subject.length() - smallShared.length());
            description = "small limits, one shared source";
        } else if (subject.endsWith(small)) {
            tier = subject.substring(0, subject.length() - small.length());
            description = "small limits (1 MiB space, 16 KiB stack, 4 KiB heap), distinct sources";
        } else if (subject.endsWith(shared)) {
            tier = subject.substring(0, subject.length() - shared.length());
            description = "default limits (16 MiB heap), one shared source";
        } else {
            tier = subject;
            description = "default limits (16 MiB heap), distinct sources";
        }
        return tier.replace('_', '-') + ": " + description;
    }

    /** Formats a figure with its error and the mark of its run. */
    private String cell(Measurement measurement) {
        if (measurement == null) {
            return "not measured";
        }
        String mark = results.mark(measurement.key());
        return Format.withError(measurement) + (mark.isEmpty() ? "" : " " + mark);
    }

    private static String ratio(Measurement measured, Measurement base) {
        return measured == null || base == null ? "-" : Format.ratio(measured.value() / base.value());
    }

    /** Compares a throughput with its target: met, or missed by how much. */
    static String againstHigherIsBetter(Measurement measured, double target) {
        if (Double.isNaN(target)) {
            return "-";
        }
        if (measured == null) {
            return "not measured";
        }
        double ratio = measured.value() / target;
        if (ratio >= 1) {
            return "met (" + Format.ratio(ratio) + ")";
        }
        return "missed by " + Format.number((1 - ratio) * 100) + "% (" + Format.ratio(ratio) + ")";
    }

    /** Compares a time with its target: met, or missed by how much. */
    static String againstLowerIsBetter(Measurement measured, double target) {
        if (Double.isNaN(target)) {
            return "-";
        }
        if (measured == null) {
            return "not measured";
        }
        double ratio = measured.value() / target;
        if (ratio <= 1) {
            return "met (" + Format.ratio(ratio) + " the target time)";
        }
        return "missed: " + Format.ratio(ratio) + " the target time";
    }
}
