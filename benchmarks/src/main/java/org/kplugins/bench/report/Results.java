// SPDX-License-Identifier: Apache-2.0
package org.kplugins.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The figures of a report and the runs that measured them, as stored in {@code latest.json}.
 *
 * <p>A report of one run has that run's description only. A partial run ({@code benchmarks/run
 * --partial}) measures a few benchmarks and is merged onto the previous results with
 * {@link #mergeOnto}: every figure it did not measure keeps its value and names its run in
 * {@code run_of}, and the descriptions of those earlier runs go to {@code earlier_runs}.
 *
 * @param values      figures by key, sorted
 * @param meta        the newest run: the run properties of benchmarks/run and {@code note}, the
 *                    not-final warning or null
 * @param earlierRuns descriptions of the earlier runs that measured some figure, oldest first
 * @param runOf       the date of the earlier run that measured each figure that the newest run did not
 */
record Results(Map<String, Measurement> values, Map<String, String> meta, List<Map<String, String>> earlierRuns,
                Map<String, String> runOf) {

    /** The marks of the figures of the second, third and fourth run in a merged report; the first run's figures have none. */
    static final List<String> RUN_MARKS = List.of("†", "‡", "§");

    Results {
        values = Collections.unmodifiableMap(new TreeMap<>(values));
        meta = Collections.unmodifiableMap(new TreeMap<>(meta));
        earlierRuns = List.copyOf(earlierRuns);
        runOf = Collections.unmodifiableMap(new TreeMap<>(runOf));
    }

    /** Returns the results of a single run. */
    static Results of(Map<String, Measurement> values, Map<String, String> meta) {
        return new Results(values, meta, List.of(), Map.of());
    }

    /**
     * Returns these results completed by {@code base}: each figure of {@code base} that this run
     * did not measure, with its run.
     *
     * @throws IllegalArgumentException when a base run has this run's date, or the merge would need
     *                                  more marks than {@link #RUN_MARKS} has
     */
    Results mergeOnto(Results base) {
        Map<String, Measurement> merged = new TreeMap<>(values);
        Map<String, String> mergedRunOf = new TreeMap<>(runOf);
        for (Measurement measurement : base.values.values()) {
            if (!merged.containsKey(measurement.key())) {
                merged.put(measurement.key(), measurement);
                mergedRunOf.put(measurement.key(), base.runDate(measurement.key()));
            }
        }

        Set<String> usedDates = new HashSet<>(mergedRunOf.values());
        List<Map<String, String>> earlier = new ArrayList<>();
        for (Map<String, String> run : base.runs()) {
            if (usedDates.contains(run.get("date"))) {
                if (run.get("date").equals(date())) {
                    throw new IllegalArgumentException("the base results contain a run of the same date as this one, "
                                    + date() + ": merge a run only once");
                }
                earlier.add(run);
            }
        }
        if (earlier.size() > RUN_MARKS.size()) {
            throw new IllegalArgumentException("merging would show figures of " + (earlier.size() + 1) + " runs, more than the "
                            + (RUN_MARKS.size() + 1) + " the report can mark: do a full run (benchmarks/run)");
        }
        return new Results(merged, meta, earlier, mergedRunOf);
    }

    /** Returns the descriptions of every run, oldest first: the earlier runs, then the newest. */
    List<Map<String, String>> runs() {
        List<Map<String, String>> runs = new ArrayList<>(earlierRuns);
        runs.add(meta);
        return runs;
    }

    /** Returns the date of the newest run. */
    String date() {
        return meta.get("date");
    }

    /** Returns the date of the run that measured {@code key}. */
    String runDate(String key) {
        return runOf.getOrDefault(key, date());
    }

    /**
     * Returns the mark of the run at {@code index} in {@link #runs()}: none for the first run, so a
     * report of one run has no marks, and a symbol from {@link #RUN_MARKS} for each later run.
     */
    static String runMark(int index) {
        return index == 0 ? "" : RUN_MARKS.get(index - 1);
    }

    /** Returns the mark of the run that measured {@code key}, empty for the first run. */
    String mark(String key) {
        String date = runDate(key);
        List<Map<String, String>> runs = runs();
        for (int i = 0; i < runs.size(); i++) {
            if (date.equals(runs.get(i).get("date"))) {
                return runMark(i);
            }
        }
        throw new IllegalStateException("no run of date " + date + " for " + key);
    }

    /** Reads a results file that {@link #json()} wrote, also one without the run fields of merged results. */
    static Results read(Path file) throws IOException {
        Map<String, Object> document = object(JsonReader.parse(Files.readString(file)), file + ": the document");
        Map<String, String> meta = strings(object(document.get("meta"), file + ": \"meta\""));
        if (meta.get("date") == null) {
            throw new IllegalArgumentException(file + ": \"meta\" has no \"date\", so its figures cannot be named by run");
        }
        List<Map<String, String>> earlier = new ArrayList<>();
        Object runs = document.get("earlier_runs");
        if (runs != null) {
            if (!(runs instanceof List<?> list)) {
                throw new IllegalArgumentException(file + ": \"earlier_runs\" is not an array");
            }
            for (Object run : list) {
                earlier.add(strings(object(run, file + ": an entry of \"earlier_runs\"")));
            }
        }
        Map<String, String> runOf = new TreeMap<>();
        if (document.containsKey("run_of")) {
            strings(object(document.get("run_of"), file + ": \"run_of\"")).forEach(runOf::put);
        }
        Map<String, Object> errors = document.containsKey("error") ? object(document.get("error"), file + ": \"error\"") : Map.of();

        Map<String, Measurement> values = new TreeMap<>();
        for (Map.Entry<String, Object> entry : document.entrySet()) {
            String key = entry.getKey();
            if (key.equals("meta") || key.equals("earlier_runs") || key.equals("run_of") || key.equals("error")) {
                continue;
            }
            double error = errors.get(key) instanceof Double number ? number : Double.NaN;
            values.put(key, new Measurement(key, number(entry.getValue(), file + ": \"" + key + "\""), error));
        }
        return new Results(values, meta, earlier, runOf);
    }

    /** Returns the JSON text of {@code latest.json}. */
    String json() {
        StringBuilder json = new StringBuilder("{\n  \"meta\": ");
        appendRun(json, meta, "  ");
        json.append(",\n");
        if (!earlierRuns.isEmpty()) {
            json.append("  \"earlier_runs\": [");
            for (int i = 0; i < earlierRuns.size(); i++) {
                json.append(i == 0 ? "\n    " : ",\n    ");
                appendRun(json, earlierRuns.get(i), "    ");
            }
            json.append("\n  ],\n  \"run_of\": {");
            String separator = "\n";
            for (Map.Entry<String, String> entry : runOf.entrySet()) {
                json.append(separator).append("    ").append(quote(entry.getKey())).append(": ").append(quote(entry.getValue()));
                separator = ",\n";
            }
            json.append("\n  },\n");
        }
        json.append("  \"error\": {");
        String separator = "\n";
        for (Measurement measurement : values.values()) {
            if (!Double.isNaN(measurement.error())) {
                json.append(separator).append("    ").append(quote(measurement.key())).append(": ")
                                .append(Format.json(measurement.error()));
                separator = ",\n";
            }
        }
        json.append(separator.equals("\n") ? "},\n" : "\n  },\n");
        for (Measurement measurement : values.values()) {
            json.append("  ").append(quote(measurement.key())).append(": ").append(Format.json(measurement.value())).append(",\n");
        }
        json.setLength(json.length() - 2);
        return json.append("\n}\n").toString();
    }

    /** Appends one run's description: its properties sorted by name, then {@code note}. */
    private static void appendRun(StringBuilder json, Map<String, String> run, String indent) {
        json.append("{\n");
        for (Map.Entry<String, String> entry : run.entrySet()) {
            if (!entry.getKey().equals("note")) {
                json.append(indent).append("  ").append(quote(entry.getKey())).append(": ").append(quote(entry.getValue()))
                                .append(",\n");
            }
        }
        String note = run.get("note");
        json.append(indent).append("  \"note\": ").append(note == null ? "null" : quote(note)).append('\n');
        json.append(indent).append('}');
    }

    static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String description) {
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(description + " is not a JSON object");
        }
        return (Map<String, Object>) value;
    }

    /** Returns the string and null members of a run description; other members, such as the old {@code pending_subjects} list, are dropped. */
    private static Map<String, String> strings(Map<String, Object> members) {
        Map<String, String> strings = new TreeMap<>();
        for (Map.Entry<String, Object> entry : members.entrySet()) {
            if (entry.getValue() == null || entry.getValue() instanceof String) {
                strings.put(entry.getKey(), (String) entry.getValue());
            }
        }
        return strings;
    }

    private static double number(Object value, String description) {
        if (value == null) {
            // Format.json writes NaN as null.
            return Double.NaN;
        }
        if (!(value instanceof Double number)) {
            throw new IllegalArgumentException(description + " is not a number");
        }
        return number;
    }
}
