// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;

/**
 * {@code kpc image}: decodes an image, calls
 * {@code int transcode(const uint8_t *in, uint8_t *out, uint32_t width, uint32_t height)} (or the
 * function named by --function) on its packed RGB bytes, and writes the output buffer as an
 * image.
 */
final class ImageCommand {

    /** The prototype the called function must have, with NAME for its name. */
    static final String PROTOTYPE = "int NAME(const uint8_t *in, uint8_t *out, uint32_t width, uint32_t height)";

    private final Arguments arguments;
    private final PrintStream out;
    private final PrintStream err;

    ImageCommand(Arguments arguments, PrintStream out, PrintStream err) {
        this.arguments = arguments;
        this.out = out;
        this.err = err;
    }

    /** Runs the command and returns the exit status, 0 on success. */
    int run(Context.Builder builder) {
        ImageFiles.requireReadableFile(arguments.plugin, "plugin");
        ImageFiles.checkWritable(arguments.outputImage);
        RgbImage input = ImageFiles.read(arguments.inputImage);
        byte[] outputPixels = allocateOutput(input);

        try (PluginSession session = PluginSession.open(builder, arguments.plugin)) {
            printStat("context", session.contextNanos());
            printStat("compile and link", session.compileNanos());
            Value function = session.function(arguments.function);

            // The input buffer is read-only on the host side too, so the plugin cannot change it
            // between repeated calls. The language copies the output buffer back after each call.
            ByteBuffer inputBuffer = ByteBuffer.wrap(input.pixels()).asReadOnlyBuffer();
            ByteBuffer outputBuffer = ByteBuffer.wrap(outputPixels);

            CallTimes times = new CallTimes();
            for (int call = 1; call <= arguments.repeat; call++) {
                long start = System.nanoTime();
                Value result;
                try {
                    result = callFunction(function, inputBuffer, outputBuffer, input);
                } finally {
                    long elapsed = System.nanoTime() - start;
                    times.add(elapsed);
                    printStat("call " + call, elapsed);
                }
                checkResult(result);
            }

            ImageFiles.write(new RgbImage(input.width(), input.height(), outputPixels), arguments.outputImage);
            out.println(summary(input, session, times));
        }
        return 0;
    }

    private static byte[] allocateOutput(RgbImage input) {
        try {
            return new byte[input.pixels().length];
        } catch (OutOfMemoryError e) {
            throw new InvalidInputException("not enough memory for a " + input.dimensions()
                            + " output image; give the JVM more heap, for example --vm.Xmx8g");
        }
    }

    private Value callFunction(Value function, ByteBuffer inputBuffer, ByteBuffer outputBuffer, RgbImage input) {
        try {
            return function.execute(inputBuffer, outputBuffer, input.width(), input.height());
        } catch (IllegalArgumentException e) {
            // Value.execute throws this for a wrong parameter count or types the plugin's
            // prototype does not accept, so the plugin, not kpc, is at fault.
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

    private String summary(RgbImage input, PluginSession session, CallTimes times) {
        StringBuilder line = new StringBuilder();
        line.append(arguments.outputImage).append(": ").append(input.dimensions());
        line.append(", compile ").append(CallTimes.millis(session.compileNanos()));
        line.append(", first call ").append(CallTimes.millis(times.first()));
        if (times.count() > 1) {
            line.append(", warmed call ").append(CallTimes.millis(times.warmedMedian()));
            line.append(" (median of last ").append(times.warmedCount()).append(')');
        }
        line.append(", tier ").append(session.effectiveTier(arguments.tier));
        return line.toString();
    }

    private void printStat(String step, long nanos) {
        if (arguments.stats) {
            err.println("kpc stats: " + step + " " + CallTimes.millis(nanos));
        }
    }
}
