// SPDX-License-Identifier: Apache-2.0
package org.kplugins.bench.report;

import java.util.Map;
import org.kplugins.bench.report.JmhCsv.Row;

/**
 * Maps each JMH result to its report key and converts the time per operation into the key's unit:
 * ns, us or ms per call, or MB (10^6 bytes) of input per second for grayscale.
 */
final class ResultKeys {

    /** Subject of each benchmark method that takes no tier parameter. */
    private static final Map<String, String> SUBJECTS = Map.ofEntries(
                    Map.entry("UpcallBenchmark.javaInterface", "java"),
                    Map.entry("UpcallBenchmark.wasm", "wasm"),
                    Map.entry("UpcallBenchmark.sulong", "sulong"),
                    Map.entry("UpcallBenchmark.ffm", "ffm"),
                    Map.entry("CompileBenchmark.wasm", "wasm"),
                    Map.entry("HookLinkBenchmark.link", "jit"),
                    Map.entry("HookLinkBenchmark.unlink", "jit"),
                    Map.entry("HookLinkBenchmark.replace", "jit"),
                    Map.entry("HookLinkBenchmark.linkUnlink", "jit"),
                    Map.entry("GrayscaleBenchmark.java", "java"),
                    Map.entry("GrayscaleBenchmark.gccO2", "gcc_o2"),
                    Map.entry("GrayscaleBenchmark.gccO3Native", "gcc_o3_native"),
                    Map.entry("GrayscaleBenchmark.wasm", "wasm"),
                    Map.entry("GrayscaleBenchmark.sulong", "sulong"));

    private ResultKeys() {
    }

    /**
     * Returns the measurement of one JMH result.
     *
     * @throws IllegalArgumentException for a benchmark this table does not know, or a missing parameter
     */
    static Measurement of(Row row) {
        String name = row.shortName();
        double seconds = seconds(row.score(), row.unit());
        double errorSeconds = seconds(row.error(), row.unit());
        return switch (name) {
            case "UpcallBenchmark.hook" -> time("upcall_ns." + tier(row), seconds, errorSeconds, 1e9);
            case "UpcallBenchmark.polyglot" -> time("upcall_ns." + tier(row) + "_polyglot", seconds, errorSeconds, 1e9);
            case "UpcallBenchmark.javaInterface", "UpcallBenchmark.wasm", "UpcallBenchmark.sulong", "UpcallBenchmark.ffm" ->
                time("upcall_ns." + SUBJECTS.get(name), seconds, errorSeconds, 1e9);
            case "CompileBenchmark.kpc" -> time("compile_ms." + tier(row), seconds, errorSeconds, 1e3);
            case "CompileBenchmark.wasm" -> time("compile_ms." + SUBJECTS.get(name), seconds, errorSeconds, 1e3);
            case "CompileBenchmark.kpcCached" -> time("compile_cached_ms." + tier(row), seconds, errorSeconds, 1e3);
            case "HookLinkBenchmark.link" -> time("link_us.jit", seconds, errorSeconds, 1e6);
            case "HookLinkBenchmark.unlink" -> time("unlink_us.jit", seconds, errorSeconds, 1e6);
            case "HookLinkBenchmark.replace" -> time("replace_us.jit", seconds, errorSeconds, 1e6);
            case "HookLinkBenchmark.linkUnlink" -> time("link_unlink_us.jit", seconds, errorSeconds, 1e6);
            case "GrayscaleBenchmark.kpc" -> throughput(row, tier(row), seconds, errorSeconds);
            case "GrayscaleBenchmark.kpcBuffers" -> throughput(row, tier(row) + "_buffers", seconds, errorSeconds);
            case "GrayscaleBenchmark.java", "GrayscaleBenchmark.gccO2", "GrayscaleBenchmark.gccO3Native", "GrayscaleBenchmark.wasm",
                            "GrayscaleBenchmark.sulong" -> throughput(row, SUBJECTS.get(name), seconds, errorSeconds);
            default -> throw new IllegalArgumentException("no report key for benchmark " + row.benchmark()
                            + ": add it to ResultKeys");
        };
    }

    private static Measurement time(String key, double seconds, double errorSeconds, double unitsPerSecond) {
        return new Measurement(key, seconds * unitsPerSecond, errorSeconds * unitsPerSecond);
    }

    /** MB of input per second; the error follows from the time's relative error. */
    private static Measurement throughput(Row row, String subject, double seconds, double errorSeconds) {
        int side = Integer.parseInt(param(row, "side"));
        double megabytes = side * (double) side * 3 / 1e6;
        double rate = megabytes / seconds;
        return new Measurement("grayscale_" + side + "_mbps." + subject, rate, rate * errorSeconds / seconds);
    }

    /** Returns the tier parameter as the subject of a key, with '_' for '-': {@code emulated-checked} becomes {@code emulated_checked}. */
    private static String tier(Row row) {
        return param(row, "tier").replace('-', '_');
    }

    private static String param(Row row, String name) {
        String value = row.params().get(name);
        if (value == null) {
            throw new IllegalArgumentException("JMH result of " + row.benchmark() + " has no parameter '" + name + "'");
        }
        return value;
    }

    /** Converts a JMH score in {@code unit} (ns/op, us/op, ms/op or s/op) to seconds per operation. */
    static double seconds(double score, String unit) {
        return switch (unit) {
            case "ns/op" -> score / 1e9;
            case "us/op" -> score / 1e6;
            case "ms/op" -> score / 1e3;
            case "s/op" -> score;
            default -> throw new IllegalArgumentException("unsupported JMH unit '" + unit + "': expected a time per"
                            + " operation (the suites use average-time mode)");
        };
    }
}
