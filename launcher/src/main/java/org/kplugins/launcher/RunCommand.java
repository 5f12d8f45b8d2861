// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;

/**
 * {@code kpc FILE.kpc [ARGS...]}: compiles the plugin and calls
 * {@code int main(int argc, char **argv)} with argv[0] = FILE.kpc followed by ARGS. The exit
 * status is main's return value & 255, as on POSIX.
 */
final class RunCommand {

    private final Arguments arguments;
    private final Map<String, String> polyglotOptions;
    private final PrintStream err;

    /** @param polyglotOptions the command line's polyglot options, for the tier that --stats prints */
    RunCommand(Arguments arguments, Map<String, String> polyglotOptions, PrintStream err) {
        this.arguments = arguments;
        this.polyglotOptions = polyglotOptions;
        this.err = err;
    }

    /** Runs main and returns the exit status. */
    int run(Context.Builder builder) {
        rejectCommandLikeWord();
        try (PluginSession session = PluginSession.open(builder, arguments.plugin)) {
            printStat("context", session.contextNanos());
            printStat("compile and link", session.compileNanos());
            Value main = session.function("main",
                            "define int main(void), or call another function with kpc image --function NAME");

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
            if (arguments.stats) {
                TierReport tier = new TierReport(session, arguments, polyglotOptions);
                tier.afterCall("the call of main");
                err.println("kpc stats: tier " + tier.summary());
            }
            return exitStatus(result);
        }
    }

    /**
     * Calls {@code main(argc, argv)}, or {@code main()} when main is declared
     * {@code int main(void)}. It also accepts {@code const char **argv}, and rejects any other
     * parameter list before calling. The return type is not checked: a main that returns no
     * integer exits with 0.
     */
    private Value callMain(Value main, String[] argv) {
        String prototype = PluginSession.prototype(main);
        if (prototype.endsWith(" main(void)")) {
            return PluginSession.call(main::execute);
        }
        if (!prototype.endsWith(" main(int, char **)") && !prototype.endsWith(" main(int, const char **)")) {
            throw new InvalidInputException("main must be declared int main(void) or int main(int argc, char **argv); "
                            + arguments.plugin + " declares " + prototype);
        }
        try {
            return PluginSession.call(() -> main.execute(argv.length, argv));
        } catch (IllegalArgumentException e) {
            // The parameter list is right, so the language rejected the strings themselves: argv
            // does not fit the plugin's host mapping region.
            throw new InvalidInputException("cannot pass " + argv.length + " arguments to main in plugin '"
                            + arguments.plugin + "': " + e.getMessage());
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

    /**
     * Rejects a missing plugin file whose name lacks the .kpc extension, such as "run": the user
     * most likely typed a command that kpc does not have, so the error names the commands it has.
     */
    private void rejectCommandLikeWord() {
        Path plugin = arguments.plugin;
        if (!Files.exists(plugin) && !plugin.toString().endsWith(".kpc")) {
            throw new InvalidInputException("cannot read plugin '" + plugin + "': no such file; kpc runs a plugin as kpc FILE.kpc,"
                            + " and its commands are " + Arguments.IMAGE_COMMAND + ", " + Arguments.SERVE_COMMAND + " and "
                            + Arguments.HEADERS_COMMAND + " (see kpc --help)");
        }
    }
}
