// SPDX-License-Identifier: Apache-2.0
package org.kplugins.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the result file that JMH writes with {@code -rf csv}. */
final class JmhCsv {

    private static final String PARAM_PREFIX = "Param: ";

    /** One result line: the benchmark method's full name, the score and its 99.9% error in {@code unit}, and the parameters. */
    record Row(String benchmark, double score, double error, String unit, Map<String, String> params) {

        /** Returns the class's simple name and the method, such as {@code UpcallBenchmark.hook}. */
        String shortName() {
            int method = benchmark.lastIndexOf('.');
            int type = benchmark.lastIndexOf('.', method - 1);
            return benchmark.substring(type + 1);
        }
    }

    private JmhCsv() {
    }

    static List<Row> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("JMH result file " + file + " is empty: the JMH run produced no results");
        }
        List<String> header = fields(lines.get(0));
        int benchmark = column(header, "Benchmark", file);
        int score = column(header, "Score", file);
        int error = column(header, "Score Error (99.9%)", file);
        int unit = column(header, "Unit", file);

        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> values = fields(line);
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < header.size() && i < values.size(); i++) {
                if (header.get(i).startsWith(PARAM_PREFIX) && !values.get(i).isEmpty()) {
                    params.put(header.get(i).substring(PARAM_PREFIX.length()), values.get(i));
                }
            }
            rows.add(new Row(values.get(benchmark), Double.parseDouble(values.get(score)), Double.parseDouble(values.get(error)),
                            values.get(unit), params));
        }
        return rows;
    }

    private static int column(List<String> header, String name, Path file) {
        int index = header.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("JMH result file " + file + " has no column '" + name + "': expected the"
                            + " CSV that JMH 1.37 writes with -rf csv");
        }
        return index;
    }

    /** Splits one CSV line. Fields may be double-quoted, with "" for a quote inside. */
    static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
