// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.kplugins.launcher.KpcRun.example;
import static org.kplugins.launcher.KpcRun.testPlugin;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks kpc makes before it calls a plugin: main and transcode must have the prototypes kpc
 * calls them with, and the image buffers must fit in the plugin's host mapping region. Each
 * failure is one line on stderr.
 */
class PrototypeAndMemoryCheckTest {

    /** 512x512 pixels: 786432 bytes per buffer, 192 pages. */
    private static final String ASTRONAUT = example("images/astronaut.png");

    /**
     * Two buffers of 786432 bytes with a guard page between them, and 16384 bytes below the host
     * mapping region when the plugin has no static data: the two pages below the stack, a one-page
     * stack and a one-page heap.
     */
    private static final long LIMIT_FOR_ASTRONAUT = 2 * 786432 + 4096 + 16384;

    @TempDir
    Path folder;

    @Test
    void mainWithThreeIntsIsRejected() {
        String plugin = testPlugin("main_three_ints.kpc");

        KpcRun run = KpcRun.of(plugin);

        assertEquals(1, run.status(), run::toString);
        assertEquals("kpc: main must be declared int main(void) or int main(int argc, char **argv); " + plugin
                        + " declares int main(int, int, int)" + System.lineSeparator(), run.err());
    }

    @Test
    void transcodeWithWrongPrototypeIsRejected() {
        String plugin = testPlugin("wrong_transcode.kpc");
        Path output = folder.resolve("out.png");

        KpcRun run = KpcRun.of("image", "--plugin", plugin, "--in", ASTRONAUT, "--out", output.toString());

        assertEquals(1, run.status(), run::toString);
        assertEquals("kpc: plugin '" + plugin + "' declares long long transcode(const unsigned char *, unsigned char *,"
                        + " unsigned long long, char), but kpc image calls int transcode(const uint8_t *in, uint8_t *out,"
                        + " uint32_t width, uint32_t height)" + System.lineSeparator(), run.err());
        assertFalse(Files.exists(output), "output written for a rejected plugin");
    }

    @Test
    void imageAboveMemoryLimitIsRejected() {
        Path output = folder.resolve("out.png");

        KpcRun run = runCopy("copy_without_data.kpc", LIMIT_FOR_ASTRONAUT - 4096, output);

        assertEquals(1, run.status(), run::toString);
        assertEquals("kpc: image of 512x512 pixels (786432 bytes) does not fit the plugin's memory: its input and output"
                        + " buffers need 1576960 bytes, but the host mapping region has at most 1572864 bytes under"
                        + " kpc.MemoryLimit 1589248; raise --kpc.MemoryLimit to at least 1593344 (at most 2147479552)"
                        + System.lineSeparator(), run.err());
        assertFalse(Files.exists(output), "output written for a rejected image");
    }

    @Test
    void imageAtSuggestedMemoryLimitRuns() throws Exception {
        Path output = folder.resolve("out.png");

        KpcRun run = runCopy("copy_without_data.kpc", LIMIT_FOR_ASTRONAUT, output);

        assertEquals(0, run.status(), run::toString);
        assertArrayEquals(ImageFiles.read(Path.of(ASTRONAUT)).pixels(), ImageFiles.read(output).pixels());
    }

    @Test
    void staticDataTakingRegionIsReported() {
        String plugin = testPlugin("copy_with_data.kpc");
        Path output = folder.resolve("out.png");

        KpcRun run = runCopy("copy_with_data.kpc", LIMIT_FOR_ASTRONAUT, output);

        assertEquals(1, run.status(), run::toString);
        assertEquals("kpc: image of 512x512 pixels (786432 bytes) does not fit the host mapping region of plugin '" + plugin
                        + "' under kpc.MemoryLimit 1593344; raise --kpc.MemoryLimit (at most 2147479552)"
                        + System.lineSeparator(), run.err());
        assertFalse(Files.exists(output), "output written for a rejected image");
    }

    private static KpcRun runCopy(String plugin, long memoryLimit, Path output) {
        return KpcRun.of("image", "--kpc.MemoryLimit=" + memoryLimit, "--kpc.StackSize=4096", "--kpc.HeapSize=4096",
                        "--plugin", testPlugin(plugin), "--in", ASTRONAUT, "--out", output.toString());
    }
}
