// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The language module's test corpus, which the x86 tests compile and run. */
public final class Corpus {

    /** The corpus folder relative to this module's directory, where Maven runs the tests. */
    public static final Path ROOT = Path.of("..", "language", "src", "test", "resources", "kpc");

    private Corpus() {
    }

    /**
     * Corpus plugins that the native tier refuses, by test name, with the diagnostic it reports.
     * The tier runs the whole corpus, so the map is empty; it stays for a feature the tier lags on.
     */
    public static final Map<String, String> EXPECTED_UNSUPPORTED = Map.of();

    /** Lists every {@code .kpc} of the corpus that has an {@code .output}, in path order. */
    public static List<Path> plugins() throws IOException {
        assertTrue(Files.isDirectory(ROOT), "corpus folder " + ROOT.toAbsolutePath() + " not found");
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(path -> path.getFileName().toString().endsWith(".kpc"))
                            .filter(path -> Files.isRegularFile(sibling(path, ".output")))
                            .sorted()
                            .toList();
        }
    }

    /**
     * Lists the corpus plugins that the native tier compiles: those whose expected output is not a
     * compile error and that are not in {@link #EXPECTED_UNSUPPORTED}.
     */
    public static List<Path> compilingPlugins() throws IOException {
        return plugins().stream().filter(plugin -> !EXPECTED_UNSUPPORTED.containsKey(testName(plugin))).filter(plugin -> {
            try {
                String output = Files.readString(sibling(plugin, ".output"), StandardCharsets.UTF_8);
                return !output.contains(": error: ");
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the output of " + plugin, e);
            }
        }).toList();
    }

    public static Path sibling(Path plugin, String suffix) {
        String name = plugin.getFileName().toString();
        return plugin.resolveSibling(name.substring(0, name.length() - ".kpc".length()) + suffix);
    }

    /** Returns {@code <feature>/<name>}, the path below the corpus folder without the suffix. */
    public static String testName(Path plugin) {
        String relative = ROOT.relativize(plugin).toString().replace(plugin.getFileSystem().getSeparator(), "/");
        return relative.substring(0, relative.length() - ".kpc".length());
    }
}
