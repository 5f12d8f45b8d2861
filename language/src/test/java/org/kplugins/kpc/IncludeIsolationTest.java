// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.IOAccess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code #include "name"} reads only regular files in the plugin's directory or below it, after
 * every symbolic link is followed. Its errors do not show whether a file outside exists.
 */
class IncludeIsolationTest {

    /** Text in the file outside the plugin's directory; no diagnostic may quote it. */
    private static final String SECRET = "secret_outside_text";

    @TempDir
    Path temp;

    private Path pluginDirectory;
    private Path outside;

    @BeforeEach
    void createFiles() throws IOException {
        outside = Files.createDirectory(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret.h"), SECRET + " here\n");

        pluginDirectory = Files.createDirectory(temp.resolve("plugin"));
        Path subdirectory = Files.createDirectory(pluginDirectory.resolve("sub"));
        Files.writeString(subdirectory.resolve("inner.h"), "int inner(void) { return 7; }\n");
        Files.createSymbolicLink(pluginDirectory.resolve("outside_dir"), outside);
        Files.createSymbolicLink(pluginDirectory.resolve("secret_link.h"), outside.resolve("secret.h"));
        Files.createSymbolicLink(pluginDirectory.resolve("missing_link.h"), outside.resolve("missing.h"));
        Files.createSymbolicLink(pluginDirectory.resolve("inner_link.h"), subdirectory.resolve("inner.h"));
        Files.createSymbolicLink(pluginDirectory.resolve("root"), Path.of("/"));
    }

    /** Compiles a plugin that includes {@code name} and returns the value of its main. */
    private int runIncluding(Path directory, String name) throws IOException {
        Path plugin = directory.resolve("main.kpc");
        Files.writeString(plugin, "#include \"" + name + "\"\nint main(void) { return inner(); }\n",
                StandardCharsets.UTF_8);
        try (Context context = Context.newBuilder("kpc").allowIO(IOAccess.ALL)
                .option("engine.WarnInterpreterOnly", "false").build()) {
            return context.eval(Source.newBuilder("kpc", plugin.toFile()).build()).getMember("main").execute().asInt();
        }
    }

    /** Compiles a plugin that includes {@code name}, which must fail, and returns the first line of the diagnostics. */
    private String includeError(String name) {
        PolyglotException e = assertThrows(PolyglotException.class, () -> runIncluding(pluginDirectory, name));
        assertTrue(e.isSyntaxError(), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), "the diagnostics quote the outside file: " + e.getMessage());
        return e.getMessage().lines().findFirst().orElseThrow();
    }

    private static String notFound(String name) {
        return "main.kpc:1:10: error: '" + name + "' file not found (only files in the plugin's directory can be included)";
    }

    @Test
    void fileInSubdirectoryIsIncluded() throws IOException {
        assertEquals(7, runIncluding(pluginDirectory, "sub/inner.h"));
    }

    @Test
    void linkToFileInsideIsIncluded() throws IOException {
        assertEquals(7, runIncluding(pluginDirectory, "inner_link.h"));
    }

    @Test
    void pluginDirectoryReachedThroughLinkIsUsed() throws IOException {
        Path linkedDirectory = Files.createSymbolicLink(temp.resolve("plugin_link"), pluginDirectory);
        assertEquals(7, runIncluding(linkedDirectory, "sub/inner.h"));
    }

    @Test
    void linkedDirectoryToOutsideIsRejected() {
        assertEquals(notFound("outside_dir/secret.h"), includeError("outside_dir/secret.h"));
    }

    @Test
    void linkToRootIsRejected() {
        assertEquals(notFound("root/etc/hostname"), includeError("root/etc/hostname"));
        assertEquals(notFound("root" + outside.resolve("secret.h")), includeError("root" + outside.resolve("secret.h")));
    }

    @Test
    void linkedFileToOutsideIsRejected() {
        assertEquals(notFound("secret_link.h"), includeError("secret_link.h"));
    }

    @Test
    void parentDirectoryAndAbsolutePathAreRejected() {
        assertEquals(notFound("../outside/secret.h"), includeError("../outside/secret.h"));
        String absolute = outside.resolve("secret.h").toString();
        assertEquals(notFound(absolute), includeError(absolute));
    }

    @Test
    void missingFileErrorMatchesOutsideFile() {
        assertEquals(notFound("outside_dir/missing.h"), includeError("outside_dir/missing.h"));
        assertEquals(notFound("missing_link.h"), includeError("missing_link.h"));
        assertEquals(notFound("sub/missing.h"), includeError("sub/missing.h"));
    }

    @Test
    void directoryIsRejected() {
        assertEquals(notFound("sub"), includeError("sub"));
        assertEquals(notFound("outside_dir"), includeError("outside_dir"));
    }
}
