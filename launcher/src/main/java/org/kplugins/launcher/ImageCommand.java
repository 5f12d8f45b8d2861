// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;
import org.kplugins.server.image.RgbImage;

/**
 * {@code kpc image}: decodes an image, calls
 * {@code int transcode(const uint8_t *in, uint8_t *out, uint32_t width, uint32_t height)} (or the
 * function named by --function) on its packed RGB bytes, and writes the output buffer as an
 * image.
 */
final class ImageCommand {

    /** The prototype the called function must have, with NAME for its name. */
    static final String PROTOTYPE = "int NAME(const uint8_t *in, uint8_t *out, uint32_t width, uint32_t height)";

    /**
     * {@link #PROTOTYPE} as the language shows a function's prototype: without parameter names
     * and with the typedefs of {@code <stdint.h>} resolved.
     */
    static final String RESOLVED_PROTOTYPE = "int NAME(const unsigned char *, unsigned char *, unsigned int, unsigned int)";

    /** The largest kpc.MemoryLimit the language accepts: 0x7FFFF000, one page below 2 GiB. */
    static final long MAX_MEMORY_LIMIT = 0x7FFF_F000L;

    /**
     * The plugin memory below the stack: page 0 and a guard page, which the language never maps.
     * With the stack, the static data and the kp_alloc heap, it lies below the region where the
     * language maps host buffers.
     */
    private static final long PAGES_BELOW_STACK = 2 * 4096;

    private static final long PAGE_SIZE = 4096;

    private final Arguments arguments;
    private final Map<String, String> polyglotOptions;
    private final PrintStream out;
    private final PrintStream err;

    /**
     * @param polyglotOptions the command line's polyglot options (option name to text value),
     *                        from which the buffer size check reads kpc.MemoryLimit,
     *                        kpc.StackSize and kpc.HeapSize
     */
    ImageCommand(Arguments arguments, Map<String, String> polyglotOptions, PrintStream out, PrintStream err) {
        this.arguments = arguments;
        this.polyglotOptions = polyglotOptions;
        this.out = out;
        this.err = err;
    }

    /** Runs the command and returns the exit status, 0 on success. */
    int run(Context.Builder builder) {
        ImageFiles.requireReadableFile(arguments.plugin, "plugin");
        ImageFiles.checkWritable(arguments.outputImage);
        RgbImage input = ImageFiles.read(arguments.inputImage);

        try (PluginSession session = PluginSession.open(builder, arguments.plugin)) {
            printStat("context", session.contextNanos());
            printStat("compile and link", session.compileNanos());
            Value function = session.function(arguments.function, "name the function to call with --function NAME");
            checkPrototype(function);
            checkBuffersFit(session, input);
            byte[] outputPixels = allocateOutput(input);

            // The input buffer is read-only on the host side too, so the plugin cannot change it
            // between repeated calls. The language copies the output buffer back after each call.
            ByteBuffer inputBuffer = ByteBuffer.wrap(input.pixels()).asReadOnlyBuffer();
            ByteBuffer outputBuffer = ByteBuffer.wrap(outputPixels);

            CallTimes times = new CallTimes();
            TierReport tier = new TierReport(session, arguments, polyglotOptions);
            for (int call = 1; call <= arguments.repeat; call++) {
                long start = System.nanoTime();
                Value result;
                try {
                    result = callFunction(function, inputBuffer, outputBuffer, input, session);
                } finally {
                    long elapsed = System.nanoTime() - start;
                    times.add(elapsed);
                    printStat("call " + call, elapsed);
                }
                checkResult(result);
                tier.afterCall("call " + call);
            }
            if (arguments.stats) {
                err.println("kpc stats: tier " + tier.summary());
            }

            ImageFiles.write(new RgbImage(input.width(), input.height(), outputPixels), arguments.outputImage);
            out.println(summary(input, session, times, tier));
        }
        return 0;
    }

    /**
     * Rejects a function whose prototype differs from {@link #PROTOTYPE}. Value.execute would
     * convert the arguments to any integer and pointer parameters, so a function with another
     * prototype would run on misread arguments.
     */
    private void checkPrototype(Value function) {
        String expected = RESOLVED_PROTOTYPE.replace("NAME", arguments.function);
        String actual = PluginSession.prototype(function);
        if (!actual.equals(expected)) {
            throw new InvalidInputException("plugin '" + arguments.plugin + "' declares " + actual + ", but kpc image calls "
                            + PROTOTYPE.replace("NAME", arguments.function));
        }
    }

    /**
     * Rejects an image whose input and output buffers cannot both fit in the plugin's host
     * mapping region: the memory from the end of the heap up to kpc.MemoryLimit, where each
     * buffer starts on a page of its own and an unmapped guard page separates the two. The check
     * counts the static data as empty, so it misses a plugin whose globals take the last pages,
     * and {@link #callFunction} reports that case.
     */
    private void checkBuffersFit(PluginSession session, RgbImage input) {
        long memoryLimit = session.languageOption("kpc.MemoryLimit", polyglotOptions);
        long stackSize = session.languageOption("kpc.StackSize", polyglotOptions);
        long heapSize = session.languageOption("kpc.HeapSize", polyglotOptions);

        long bufferSize = input.pixels().length;
        long buffersSize = 2 * alignToPage(bufferSize) + PAGE_SIZE;
        long largestRegion = memoryLimit - PAGES_BELOW_STACK - stackSize - heapSize;
        if (buffersSize <= largestRegion) {
            return;
        }

        long requiredLimit = PAGES_BELOW_STACK + stackSize + heapSize + buffersSize;
        String problem = "image of " + input.width() + "x" + input.height() + " pixels (" + bufferSize
                        + " bytes) does not fit the plugin's memory: its input and output buffers need " + buffersSize
                        + " bytes, but the host mapping region has at most " + Math.max(largestRegion, 0)
                        + " bytes under kpc.MemoryLimit " + memoryLimit;
        if (requiredLimit <= MAX_MEMORY_LIMIT) {
            throw new InvalidInputException(problem + "; raise --kpc.MemoryLimit to at least " + requiredLimit
                            + " (at most " + MAX_MEMORY_LIMIT + ")");
        }
        throw new InvalidInputException(problem + ", and the largest --kpc.MemoryLimit, " + MAX_MEMORY_LIMIT
                        + ", is too small as well; use a smaller image or lower --kpc.HeapSize");
    }

    private static long alignToPage(long size) {
        return (size + PAGE_SIZE - 1) & -PAGE_SIZE;
    }

    private static byte[] allocateOutput(RgbImage input) {
        try {
            return new byte[input.pixels().length];
        } catch (OutOfMemoryError e) {
            throw new InvalidInputException("not enough memory for a " + input.dimensions()
                            + " output image; give the JVM more heap, for example --vm.Xmx8g");
        }
    }

    private Value callFunction(Value function, ByteBuffer inputBuffer, ByteBuffer outputBuffer, RgbImage input,
                    PluginSession session) {
        try {
            return PluginSession.call(() -> function.execute(inputBuffer, outputBuffer, input.width(), input.height()));
        } catch (IllegalArgumentException e) {
            // Value.execute throws this when the language rejects an argument. checkPrototype has
            // ruled out a wrong parameter list, so the remaining cause is a buffer that the host
            // mapping region cannot hold, because the plugin's static data takes part of the memory.
            if (e.getMessage() != null && e.getMessage().contains("host mapping region")) {
                throw new InvalidInputException("image of " + input.width() + "x" + input.height() + " pixels ("
                                + input.pixels().length + " bytes) does not fit the host mapping region of plugin '"
                                + arguments.plugin + "' under kpc.MemoryLimit "
                                + session.languageOption("kpc.MemoryLimit", polyglotOptions)
                                + "; raise --kpc.MemoryLimit (at most " + MAX_MEMORY_LIMIT + ")");
            }
            throw new InvalidInputException("cannot call '" + arguments.function + "' in plugin '" + arguments.plugin
                            + "' as " + PROTOTYPE.replace("NAME", arguments.function) + ": " + e.getMessage());
        }
    }

    private void checkResult(Value result) {
        if (result == null || !result.fitsInLong()) {
            throw new InvalidInputException("plugin " + arguments.function + " returned " + result + ", not an int; no output written");
        }
        long status = result.asLong();
        if (status != 0) {
            throw new InvalidInputException("plugin " + arguments.function + " returned " + status + "; no output written");
        }
    }

    private String summary(RgbImage input, PluginSession session, CallTimes times, TierReport tier) {
        StringBuilder line = new StringBuilder();
        line.append(arguments.outputImage).append(": ").append(input.dimensions());
        line.append(", compile ").append(CallTimes.millis(session.compileNanos()));
        line.append(", first call ").append(CallTimes.millis(times.first()));
        if (times.count() > 1) {
            line.append(", warmed call ").append(CallTimes.millis(times.warmedMedian()));
            line.append(" (median of last ").append(times.warmedCount()).append(')');
        }
        line.append(", tier ").append(tier.summary());
        return line.toString();
    }

    private void printStat(String step, long nanos) {
        if (arguments.stats) {
            err.println("kpc stats: " + step + " " + CallTimes.millis(nanos));
        }
    }
}
