// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import java.io.PrintStream;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;

/**
 * {@code kpc FILE.kpc [ARGS...]}: compiles the plugin and calls
 * {@code int main(int argc, char **argv)} with argv[0] = FILE.kpc followed by ARGS. The exit
 * status is main's return value & 255, as on POSIX.
 */
final class RunCommand {

    private final Arguments arguments;
    private final PrintStream err;

    RunCommand(Arguments arguments, PrintStream err) {
        this.arguments = arguments;
        this.err = err;
    }

    /** Runs main and returns the exit status. */
    int run(Context.Builder builder) {
        try (PluginSession session = PluginSession.open(builder, arguments.plugin)) {
            printStat("context", session.contextNanos());
            printStat("compile and link", session.compileNanos());
            Value main = session.function("main");

            String[] argv = new String[arguments.programArguments.size() + 1];
            argv[0] = arguments.pluginArgument;
            for (int i = 1; i < argv.length; i++) {
                argv[i] = arguments.programArguments.get(i - 1);
            }

            long start = System.nanoTime();
            Value result;
            try {
                result = callMain(main, argv);
            } finally {
                printStat("call main", System.nanoTime() - start);
            }
            return exitStatus(result);
        }
    }

    /**
     * Calls {@code main(argc, argv)}, or {@code main()} when main is declared
     * {@code int main(void)}. Value.execute throws IllegalArgumentException, not a guest
     * exception, when the argument count does not match the parameters.
     */
    private Value callMain(Value main, String[] argv) {
        try {
            return main.execute(argv.length, argv);
        } catch (IllegalArgumentException withArguments) {
            try {
                return main.execute();
            } catch (IllegalArgumentException withoutArguments) {
                throw new InvalidInputException("cannot call main in plugin '" + arguments.plugin
                                + "' as int main(int argc, char **argv) or int main(void): " + withArguments.getMessage());
            }
        }
    }

    private static int exitStatus(Value result) {
        if (result == null || !result.fitsInLong()) {
            // void main, or a value that is no integer: exit with 0 as a C runtime would.
            return 0;
        }
        return (int) (result.asLong() & 255);
    }

    private void printStat(String step, long nanos) {
        if (arguments.stats) {
            err.println("kpc stats: " + step + " " + CallTimes.millis(nanos));
        }
    }
}
