// SPDX-License-Identifier: Apache-2.0
package org.kplugins.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    private static final String CSV = """
                    "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit","Param: side","Param: tier"
                    "org.kplugins.bench.UpcallBenchmark.hook","avgt",1,5,64.5,2.5,"ns/op",,jit
                    "org.kplugins.bench.UpcallBenchmark.wasm","avgt",1,5,40.0,NaN,"ns/op",,
                    "org.kplugins.bench.UpcallBenchmark.polyglot","avgt",1,5,12.5,0.5,"ns/op",,native
                    "org.kplugins.bench.CompileBenchmark.kpc","avgt",1,5,260.0,10.0,"us/op",,jit
                    "org.kplugins.bench.CompileBenchmark.kpc","avgt",1,5,1800.0,90.0,"us/op",,native
                    "org.kplugins.bench.HookLinkBenchmark.unlink","avgt",1,5,1500.0,100.0,"ns/op",,
                    "org.kplugins.bench.GrayscaleBenchmark.kpc","avgt",1,5,786.432,78.6432,"us/op",512,interp
                    "org.kplugins.bench.GrayscaleBenchmark.kpc","avgt",1,5,393.216,NaN,"us/op",512,native
                    "org.kplugins.bench.GrayscaleBenchmark.gccO3Native","avgt",1,5,1258.2912,0,"us/op",2048,
                    "org.kplugins.bench.GrayscaleBenchmark.kpc","avgt",1,5,1572.864,15.72864,"us/op",512,emulated-checked
                    "org.kplugins.bench.GrayscaleBenchmark.kpc","avgt",1,5,3145.728,NaN,"us/op",2048,auto
                    "org.kplugins.bench.UpcallBenchmark.hook","avgt",1,5,250.0,25.0,"ns/op",,emulated
                    "org.kplugins.bench.UpcallBenchmark.polyglot","avgt",1,5,90.0,3.0,"ns/op",,auto
                    "org.kplugins.bench.CompileBenchmark.kpc","avgt",1,5,2500.0,100.0,"us/op",,emulated
                    "org.kplugins.bench.CompileBenchmark.kpcCached","avgt",1,5,700.0,NaN,"us/op",,emulated-checked
                    """;

    @TempDir
    Path folder;

    private Map<String, Measurement> measure() throws IOException {
        Path csv = folder.resolve("jmh.csv");
        Files.writeString(csv, CSV);
        Map<String, Measurement> values = new TreeMap<>();
        for (JmhCsv.Row row : JmhCsv.read(csv)) {
            Measurement measurement = ResultKeys.of(row);
            values.put(measurement.key(), measurement);
        }
        return values;
    }

    @Test
    void keysAndUnits() throws IOException {
        Map<String, Measurement> values = measure();

        assertEquals(List.of("compile_cached_ms.emulated_checked", "compile_ms.emulated", "compile_ms.jit", "compile_ms.native",
                        "grayscale_2048_mbps.auto", "grayscale_2048_mbps.gcc_o3_native", "grayscale_512_mbps.emulated_checked",
                        "grayscale_512_mbps.interp", "grayscale_512_mbps.native", "unlink_us.jit", "upcall_ns.auto_polyglot",
                        "upcall_ns.emulated", "upcall_ns.jit", "upcall_ns.native_polyglot", "upcall_ns.wasm"),
                        List.copyOf(values.keySet()));
        assertEquals(64.5, values.get("upcall_ns.jit").value(), 1e-9);
        assertEquals(2.5, values.get("upcall_ns.jit").error(), 1e-9);
        assertTrue(Double.isNaN(values.get("upcall_ns.wasm").error()));
        assertEquals(0.26, values.get("compile_ms.jit").value(), 1e-9);
        assertEquals(1.8, values.get("compile_ms.native").value(), 1e-9);
        assertEquals(12.5, values.get("upcall_ns.native_polyglot").value(), 1e-9);
        assertEquals(1.5, values.get("unlink_us.jit").value(), 1e-9);
        assertEquals(250, values.get("upcall_ns.emulated").value(), 1e-9);
        assertEquals(90, values.get("upcall_ns.auto_polyglot").value(), 1e-9);
        assertEquals(2.5, values.get("compile_ms.emulated").value(), 1e-9);
        assertEquals(0.7, values.get("compile_cached_ms.emulated_checked").value(), 1e-9);
    }

    @Test
    void throughputInMegabytesPerSecond() throws IOException {
        Map<String, Measurement> values = measure();

        // 512 * 512 * 3 = 786,432 bytes in 786.432 us is 1,000 MB/s, and a 10% time error is 100 MB/s.
        assertEquals(1000, values.get("grayscale_512_mbps.interp").value(), 1e-6);
        assertEquals(100, values.get("grayscale_512_mbps.interp").error(), 1e-6);
        // 2048 * 2048 * 3 = 12,582,912 bytes in 1,258.2912 us is 10,000 MB/s.
        assertEquals(10_000, values.get("grayscale_2048_mbps.gcc_o3_native").value(), 1e-6);
        // Half the time of the interp figure: 2,000 MB/s.
        assertEquals(2000, values.get("grayscale_512_mbps.native").value(), 1e-6);
        // Twice the time of the interp figure: 500 MB/s, and a 1% time error is 5 MB/s.
        assertEquals(500, values.get("grayscale_512_mbps.emulated_checked").value(), 1e-6);
        assertEquals(5, values.get("grayscale_512_mbps.emulated_checked").error(), 1e-6);
        // 12,582,912 bytes in 3,145.728 us is 4,000 MB/s.
        assertEquals(4000, values.get("grayscale_2048_mbps.auto").value(), 1e-6);
    }

    @Test
    void unknownBenchmarkRejected() {
        JmhCsv.Row row = new JmhCsv.Row("org.kplugins.bench.UpcallBenchmark.newThing", 1, 0, "ns/op", Map.of());

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ResultKeys.of(row));

        assertTrue(error.getMessage().contains("UpcallBenchmark.newThing"), error.getMessage());
    }

    @Test
    void csvFieldsUnquoted() {
        assertEquals(List.of("a,b", "say \"hi\"", "", "3"), JmhCsv.fields("\"a,b\",\"say \"\"hi\"\"\",,3"));
    }

    @Test
    void jsonHasMetaErrorsAndFlatKeys() throws IOException {
        String json = Results.of(measure(), run("2026-12-05T02:51:55Z", "quick", "Not final")).json();

        assertTrue(json.contains("\"mode\": \"quick\","), json);
        assertTrue(json.contains("\"note\": \"Not final\"\n  },"), json);
        assertFalse(json.contains("pending_subjects"), json);
        assertFalse(json.contains("earlier_runs"), json);
        assertTrue(json.contains("\"upcall_ns.jit\": 64.5,"), json);
        assertTrue(json.contains("\"upcall_ns.wasm\": 40\n}"), json);
        assertTrue(json.contains("\"error\": {\n    \"compile_ms.emulated\": 0.1,"), json);
    }

    @Test
    void jsonReadBackUnchanged() throws IOException {
        Results written = Results.of(measure(), run("2026-12-05T02:51:55Z", "full", null));
        Path file = folder.resolve("latest.json");
        Files.writeString(file, written.json());

        Results read = Results.read(file);

        assertEquals(written.values().keySet(), read.values().keySet());
        for (Measurement measurement : written.values().values()) {
            Measurement again = read.values().get(measurement.key());
            assertEquals(measurement.value(), again.value(), 1e-6, measurement.key());
            assertEquals(measurement.error(), again.error(), 1e-6, measurement.key());
        }
        assertEquals(written.meta(), read.meta());
        assertEquals(written.json(), read.json());
    }

    @Test
    void oldResultsFileReadWithoutPendingList() throws IOException {
        Path file = folder.resolve("old.json");
        Files.writeString(file, """
                        {
                          "meta": {
                            "date": "2026-12-05T02:51:55Z",
                            "mode": "full",
                            "note": null,
                            "pending_subjects": ["emulated", "auto"]
                          },
                          "error": {
                            "upcall_ns.jit": 5.06
                          },
                          "upcall_ns.jit": 53.3,
                          "plugin_heap_kb.jit": 160
                        }
                        """);

        Results old = Results.read(file);

        assertEquals(Map.of("date", "2026-12-05T02:51:55Z", "mode", "full"), withoutNote(old.meta()));
        assertTrue(old.meta().containsKey("note"));
        assertEquals(53.3, old.values().get("upcall_ns.jit").value(), 1e-9);
        assertEquals(5.06, old.values().get("upcall_ns.jit").error(), 1e-9);
        assertTrue(Double.isNaN(old.values().get("plugin_heap_kb.jit").error()));
        assertEquals(List.of(), old.earlierRuns());
    }

    @Test
    void partialRunMergedOntoFullRun() {
        Results full = Results.of(Map.of("upcall_ns.jit", new Measurement("upcall_ns.jit", 53.3, 5.0),
                        "grayscale_512_mbps.jit", new Measurement("grayscale_512_mbps.jit", 642, 6.0),
                        "grayscale_2048_mbps.jit", new Measurement("grayscale_2048_mbps.jit", 591, 8.0)),
                        run("2026-12-05T02:51:55Z", "full", "Not final: loaded"));
        Results partial = Results.of(Map.of("grayscale_512_mbps.jit", new Measurement("grayscale_512_mbps.jit", 600, 9.0),
                        "grayscale_512_mbps.emulated", new Measurement("grayscale_512_mbps.emulated", 200, 2.0)),
                        run("2026-12-05T04:10:00Z", "partial", null));

        Results merged = partial.mergeOnto(full);

        assertEquals(600, merged.values().get("grayscale_512_mbps.jit").value(), 1e-9);
        assertEquals(591, merged.values().get("grayscale_2048_mbps.jit").value(), 1e-9);
        assertEquals(Map.of("grayscale_2048_mbps.jit", "2026-12-05T02:51:55Z", "upcall_ns.jit", "2026-12-05T02:51:55Z"),
                        merged.runOf());
        assertEquals(List.of(full.meta()), merged.earlierRuns());
        assertEquals("", merged.mark("upcall_ns.jit"));
        assertEquals("†", merged.mark("grayscale_512_mbps.jit"));
        assertEquals("†", merged.mark("grayscale_512_mbps.emulated"));
    }

    @Test
    void secondPartialRunKeepsFirstRunsOwnership() throws IOException {
        Results full = Results.of(Map.of("upcall_ns.jit", new Measurement("upcall_ns.jit", 53.3, 5.0),
                        "compile_ms.jit", new Measurement("compile_ms.jit", 0.7, 0.5)), run("2026-12-05T02:51:55Z", "full", null));
        Results first = Results.of(Map.of("upcall_ns.emulated", new Measurement("upcall_ns.emulated", 250, 2.0),
                        "compile_ms.emulated", new Measurement("compile_ms.emulated", 3.0, 0.5)),
                        run("2026-12-05T04:10:00Z", "partial", null)).mergeOnto(full);
        Path file = folder.resolve("merged.json");
        Files.writeString(file, first.json());
        Results second = Results.of(Map.of("upcall_ns.emulated", new Measurement("upcall_ns.emulated", 240, 2.0)),
                        run("2026-12-06T01:00:00Z", "partial", null));

        Results merged = second.mergeOnto(Results.read(file));

        assertEquals("2026-12-05T02:51:55Z", merged.runDate("upcall_ns.jit"));
        assertEquals("2026-12-05T04:10:00Z", merged.runDate("compile_ms.emulated"));
        assertEquals("2026-12-06T01:00:00Z", merged.runDate("upcall_ns.emulated"));
        assertEquals(List.of("2026-12-05T02:51:55Z", "2026-12-05T04:10:00Z"),
                        merged.earlierRuns().stream().map(run -> run.get("date")).toList());
        assertEquals("", merged.mark("compile_ms.jit"));
        assertEquals("†", merged.mark("compile_ms.emulated"));
        assertEquals("‡", merged.mark("upcall_ns.emulated"));
    }

    @Test
    void unusedEarlierRunDropped() {
        Results full = Results.of(Map.of("upcall_ns.jit", new Measurement("upcall_ns.jit", 53.3, 5.0)),
                        run("2026-12-05T02:51:55Z", "full", null));
        Results again = Results.of(Map.of("upcall_ns.jit", new Measurement("upcall_ns.jit", 50, 5.0)),
                        run("2026-12-05T04:10:00Z", "partial", null));

        Results merged = again.mergeOnto(full);

        assertEquals(List.of(), merged.earlierRuns());
        assertEquals(Map.of(), merged.runOf());
        assertEquals("", merged.mark("upcall_ns.jit"));
    }

    @Test
    void sameRunMergedTwiceRejected() {
        Results full = Results.of(Map.of("upcall_ns.jit", new Measurement("upcall_ns.jit", 53.3, 5.0)),
                        run("2026-12-05T02:51:55Z", "full", null));
        Results partial = Results.of(Map.of("upcall_ns.auto", new Measurement("upcall_ns.auto", 80, 5.0)),
                        run("2026-12-05T02:51:55Z", "partial", null));

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> partial.mergeOnto(full));

        assertTrue(error.getMessage().contains("same date"), error.getMessage());
    }

    @Test
    void mergedSectionMarksPartialFigures() throws IOException {
        Results full = Results.of(measure(), run("2026-12-05T02:51:55Z", "full", "Not final: the machine was loaded."));
        Results partial = Results.of(Map.of("grayscale_512_mbps.emulated", new Measurement("grayscale_512_mbps.emulated", 250, 2.5),
                        "compile_ms.jit", new Measurement("compile_ms.jit", 0.3, 0.02)), run("2026-12-05T04:10:00Z", "partial", null));

        String section = MarkdownReport.render(partial.mergeOnto(full), "results/grayscale.png");

        assertTrue(section.startsWith("### The runs\n\nThese results merge 2 runs. A figure marked † comes from the partial run"
                        + " of 2026-12-05T04:10:00Z. A figure without a mark comes from the full run of 2026-12-05T02:51:55Z."),
                        section);
        assertTrue(section.contains("**The full run of 2026-12-05T02:51:55Z** (figures without a mark)"), section);
        assertTrue(section.contains("**The partial run of 2026-12-05T04:10:00Z** (figures marked †)"), section);
        assertTrue(section.contains("> **Not final: the machine was loaded.**"), section);
        assertTrue(section.contains("| KPC, emulated tier (x86-64 code on the emulated CPU, hardware checks) | 250 ±2.50 † | not measured |"),
                        section);
        assertTrue(section.contains("| KPC, interp tier | 1,000 ±100 | not measured |"), section);
        assertTrue(section.contains("| code generation: grayscale.kpc to a linked plugin | 4 ms | 0.300 ±0.020 ms † |"), section);
        assertTrue(section.contains("| source to a linked instance, new source each time (ms) | 0.300 ±0.020 † | 1.80 ±0.090 |"
                        + " 2.50 ±0.100 | not measured | not measured | not measured |"), section);
    }

    private static Map<String, String> run(String date, String mode, String note) {
        Map<String, String> run = new TreeMap<>();
        for (String[] field : new String[][] {{"date", date}, {"stamp", "stamp"}, {"mode", mode}, {"command", "benchmarks/run"},
                        {"jmh_options", "-f 2"}, {"cpu", "AMD EPYC"}, {"cores", "2"}, {"memory", "24 GiB"}, {"os", "Debian"},
                        {"jdk", "openjdk 25"}, {"gcc", "gcc 12"}, {"clang", "clang 14"}, {"load_start", "0.5"}, {"load_end", "0.7"}}) {
            run.put(field[0], field[1]);
        }
        run.put("note", note);
        return run;
    }

    private static Map<String, String> withoutNote(Map<String, String> meta) {
        Map<String, String> copy = new TreeMap<>(meta);
        copy.remove("note");
        return copy;
    }

    @Test
    void warningForLoadOrShortRun() {
        Properties run = new Properties();
        run.setProperty("mode", "full");
        run.setProperty("load_start", "0.4");
        run.setProperty("load_end", "0.9");
        assertEquals(null, Report.warning(run));

        run.setProperty("load_end", "3.2");
        assertTrue(Report.warning(run).contains("load average up to 3.20"), Report.warning(run));

        run.setProperty("load_end", "0.9");
        run.setProperty("mode", "quick");
        assertTrue(Report.warning(run).contains("quick run"), Report.warning(run));
        assertTrue(Report.warning(run).contains("one warm-up iteration of 3 s and one measured iteration of 1 s"),
                        Report.warning(run));

        run.setProperty("mode", "partial");
        assertEquals(null, Report.warning(run));
    }

    @Test
    void targetsSayByHowMuch() {
        Measurement slow = new Measurement("grayscale_512_mbps.java", 1950, Double.NaN);
        Measurement fast = new Measurement("upcall_ns.wasm", 30, Double.NaN);
        Measurement late = new Measurement("upcall_ns.wasm", 90, Double.NaN);

        assertEquals("missed by 50.0% (0.500x)", MarkdownReport.againstHigherIsBetter(slow, 3900));
        assertEquals("met (0.667x the target time)", MarkdownReport.againstLowerIsBetter(fast, 45));
        assertEquals("missed: 2.00x the target time", MarkdownReport.againstLowerIsBetter(late, 45));
        assertEquals("-", MarkdownReport.againstHigherIsBetter(slow, Double.NaN));
    }

    @Test
    void sectionReplacedBetweenMarkers() {
        String document = "# Title\n\n" + Report.BEGIN_MARKER + "\nold\n" + Report.END_MARKER + "\nafter\n";

        String updated = Report.replaceSection(document, "new\n", Path.of("BENCHMARKS.md"));

        assertEquals("# Title\n\n" + Report.BEGIN_MARKER + "\n\nnew\n" + Report.END_MARKER + "\nafter\n", updated);
    }

    @Test
    void missingMarkersRejected() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                        () -> Report.replaceSection("# Title\n", "new\n", Path.of("BENCHMARKS.md")));

        assertTrue(error.getMessage().contains("BENCHMARKS.md has no results section"), error.getMessage());
    }

    @Test
    void newTiersShownWithNumbers() throws IOException {
        String section = MarkdownReport.render(Results.of(measure(), run("2026-12-05T02:51:55Z", "full", null)),
                        "results/grayscale.png");

        assertTrue(section.startsWith("### The run\n\n- Date: 2026-12-05T02:51:55Z."), section);
        assertFalse(section.contains("not built yet"), section);
        assertFalse(section.contains("†"), section);
        assertTrue(section.contains("| KPC, interp tier | 1,000 ±100 |"), section);
        assertTrue(section.contains("| KPC, native tier (x86-64) | 2,000 |"), section);
        assertTrue(section.contains("| KPC, emulated tier, checked code (the native tier's inline checks) | 500 ±5.00 | not measured |"
                        + " -, - | -, - | - | - |"), section);
        assertTrue(section.contains("| KPC, auto tier (machine code after the switch) | not measured | 4,000 | -, - |"), section);
        assertTrue(section.contains("| KPC native, polyglot Value.execute | 12.5 ±0.500 |"), section);
        assertTrue(section.contains("| KPC emulated, through a hook | 250 ±25.0 |"), section);
        assertTrue(section.contains("| KPC auto (machine code after the switch), polyglot Value.execute | 90.0 ±3.00 |"), section);
        assertTrue(section.contains("| measurement | KPC jit | KPC native | KPC emulated | KPC emulated, checked code |"
                        + " KPC auto (Truffle nodes only) | GraalWasm |\n| --- | --- | --- | --- | --- | --- | --- |\n"), section);
        assertTrue(section.contains("| source to a linked instance, new source each time (ms) | 0.260 ±0.010 | 1.80 ±0.090 |"
                        + " 2.50 ±0.100 | not measured | not measured | not measured |"), section);
        assertTrue(section.contains("| the same, source parsed before (ms) | not measured | not measured | not measured | 0.700 |"
                        + " not measured | - |"), section);
        assertTrue(section.contains("| unlink a hook (us) | 1.50 ±0.100 | - | - | - | - | - |"), section);
    }

    @Test
    void memoryLabelsSplitTierFromSettings() {
        assertEquals("emulated-checked: small limits, one shared source",
                        MarkdownReport.memoryLabel("emulated_checked_small_limits_shared_source"));
        assertEquals("jit: small limits (1 MiB space, 16 KiB stack, 4 KiB heap), distinct sources",
                        MarkdownReport.memoryLabel("jit_small_limits"));
        assertEquals("auto: default limits (16 MiB heap), distinct sources", MarkdownReport.memoryLabel("auto"));
        assertEquals("native: default limits (16 MiB heap), one shared source", MarkdownReport.memoryLabel("native_shared_source"));
    }

    @Test
    void jsonReaderParsesEscapesAndNumbers() {
        Object value = JsonReader.parse("{\"a\": [1, -2.5e3, null, true], \"b\": \"x\\\"y\\u00e9\\n\"}");

        assertEquals(Map.of("a", java.util.Arrays.asList(1.0, -2500.0, null, true), "b", "x\"y\u00e9\n"), value);
    }

    @Test
    void jsonReaderRejectsTrailingComma() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("{\"a\": 1,}"));

        assertEquals("invalid JSON at offset 8: expected a member name in quotes", error.getMessage());
    }

    @Test
    void chartWarningNamesEachLoadedRun() {
        Map<String, String> loaded = run("2026-12-05T02:51:55Z", "full", "Not final");
        loaded.put("load_end", "2.58");
        Results full = Results.of(Map.of("upcall_ns.jit", new Measurement("upcall_ns.jit", 53.3, 5.0)), loaded);
        Map<String, String> busy = run("2026-12-05T04:10:00Z", "partial", "Not final");
        busy.put("load_start", "4.77");
        Results merged = Results.of(Map.of("upcall_ns.auto", new Measurement("upcall_ns.auto", 80, 5.0)), busy).mergeOnto(full);

        assertEquals("Not final (full run, load average up to 2.58; partial run, load average up to 4.77): re-run on an idle"
                        + " machine before quoting.", Report.chartWarning(merged));
        assertEquals("2026-12-05T02:51:55Z full run, † 2026-12-05T04:10:00Z partial run; AMD EPYC, 2 cores",
                        Report.chartSubtitle(merged));
    }
}
