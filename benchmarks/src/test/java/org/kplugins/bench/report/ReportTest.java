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

        assertEquals(List.of("compile_ms.jit", "compile_ms.native", "grayscale_2048_mbps.gcc_o3_native", "grayscale_512_mbps.interp",
                        "grayscale_512_mbps.native", "unlink_us.jit", "upcall_ns.jit", "upcall_ns.native_polyglot", "upcall_ns.wasm"),
                        List.copyOf(values.keySet()));
        assertEquals(64.5, values.get("upcall_ns.jit").value(), 1e-9);
        assertEquals(2.5, values.get("upcall_ns.jit").error(), 1e-9);
        assertTrue(Double.isNaN(values.get("upcall_ns.wasm").error()));
        assertEquals(0.26, values.get("compile_ms.jit").value(), 1e-9);
        assertEquals(1.8, values.get("compile_ms.native").value(), 1e-9);
        assertEquals(12.5, values.get("upcall_ns.native_polyglot").value(), 1e-9);
        assertEquals(1.5, values.get("unlink_us.jit").value(), 1e-9);
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
        Properties run = new Properties();
        run.setProperty("mode", "quick");

        String json = Report.json(measure(), run, "Not final");

        assertTrue(json.contains("\"mode\": \"quick\""), json);
        assertTrue(json.contains("\"note\": \"Not final\""), json);
        assertTrue(json.contains("\"pending_subjects\": [\"emulated\", \"auto\"]"), json);
        assertTrue(json.contains("\"upcall_ns.jit\": 64.5,"), json);
        assertTrue(json.contains("\"upcall_ns.wasm\": 40\n}"), json);
        assertTrue(json.contains("\"error\": {\n    \"compile_ms.jit\": 0.01,"), json);
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
    void pendingTiersListedWithoutNumbers() throws IOException {
        String section = MarkdownReport.render(measure(), List.of("Date: today."), null, "results/grayscale.png");

        assertTrue(section.contains("| KPC, emulated tier (not built yet) | - | - | - | - | - | - |"), section);
        assertTrue(section.contains("| KPC, auto tier (not built yet) |"), section);
        assertTrue(section.contains("| KPC, interp tier | 1,000 ±100 |"), section);
        assertTrue(section.contains("| KPC, native tier (x86-64) | 2,000 |"), section);
        assertTrue(section.contains("| KPC native, polyglot Value.execute | 12.5 ±0.500 |"), section);
        assertTrue(section.contains("| source to a linked instance, new source each time (ms) | 0.260 ±0.010 | 1.80 ±0.090 |"), section);
        assertFalse(section.contains("native tier (not built yet)"), section);
    }
}
