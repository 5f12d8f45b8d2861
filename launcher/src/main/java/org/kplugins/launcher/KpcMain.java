// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.graalvm.launcher.AbstractLanguageLauncher;
import org.graalvm.options.OptionCategory;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.io.FileSystem;
import org.graalvm.polyglot.io.IOAccess;
import org.kplugins.kpc.link.KernelHeader;

/**
 * The {@code kpc} command: runs a plugin's main, or calls a plugin's transcode function on an
 * image ({@code kpc image}).
 *
 * <p>Option parsing, help for the polyglot options ({@code --engine.*}, {@code --log.*},
 * {@code --kpc.*}) and their validation come from launcher-common. {@link #run} replaces
 * {@code AbstractLanguageLauncher.launch(String[])}, because that method ends the JVM with
 * {@code System.exit} on every error, while {@link #run} returns the exit status so that tests can
 * call it in-process.
 *
 * <p>Exit statuses: 0 on success, main's return value & 255 for {@code kpc FILE.kpc}, 1 for bad
 * input (printed as one line starting with "kpc: "), compile errors and plugin faults (printed as
 * the language reports them), and 70 for internal errors (printed with a stack trace).
 */
public final class KpcMain extends AbstractLanguageLauncher {

    static final String LANGUAGE_ID = "kpc";

    /** Exit status for a bug in kpc or the language, EX_SOFTWARE in BSD sysexits.h. */
    static final int EXIT_INTERNAL_ERROR = 70;

    static final int EXIT_INVALID_INPUT = 1;

    private final Arguments arguments = new Arguments();
    /** The polyglot options of the command line, such as kpc.MemoryLimit, as option name and text value. */
    private final Map<String, String> polyglotOptions = new HashMap<>();
    private int exitStatus;

    public KpcMain() {
        this(System.out, System.err);
    }

    /** Creates a launcher that prints to {@code out} and {@code err}, and gives them to plugins. */
    public KpcMain(PrintStream out, PrintStream err) {
        setOutput(out);
        setError(err);
    }

    public static void main(String[] args) {
        System.exit(new KpcMain().run(args));
    }

    /** Option prefixes of the Truffle tools bundled with kpc (chromeinspector-tool, dap-tool, profiler-tool). */
    private static final List<String> TRUFFLE_TOOLS = List.of("inspect", "dap", "cpusampler", "cputracer", "memtracer");

    /**
     * Runs the kpc command line {@code args} and returns the exit status. A KpcMain keeps the
     * parsed options, so call this once per instance.
     */
    public int run(String... args) {
        try {
            List<String> unrecognized = preprocessArguments(List.of(args), polyglotOptions);
            parseUnrecognizedOptions(LANGUAGE_ID, polyglotOptions, unrecognized);
            if (runLauncherAction()) {
                return 0;
            }
            arguments.validate();
            rejectToolsInNativeTier();
            argumentsProcessingDone();
            launch(newContextBuilder(polyglotOptions));
            return exitStatus;
        } catch (AbortException e) {
            return reportAbort(e);
        } catch (InvalidInputException e) {
            printError(e.getMessage());
            return EXIT_INVALID_INPUT;
        } catch (PolyglotException e) {
            return reportPolyglotException(e);
        } catch (RuntimeException | Error e) {
            return reportInternalError(e);
        } finally {
            argumentsProcessingDone();
        }
    }

    @Override
    protected List<String> preprocessArguments(List<String> args, Map<String, String> polyglotOptions) {
        return arguments.parse(args, polyglotOptions);
    }

    @Override
    protected void launch(Context.Builder builder) {
        exitStatus = switch (arguments.command) {
            case RUN -> new RunCommand(arguments, getError()).run(builder);
            case IMAGE -> new ImageCommand(arguments, polyglotOptions, getOutput(), getError()).run(builder);
            case HEADERS -> printHeaders();
            case DUMP_X86 -> dumpX86(builder);
        };
    }

    /**
     * Prints {@code <kernel.h>} as plugins of this command include it, then the hook point that
     * {@code kpc image} calls. The kpc command exports only the built-in functions; hosts that
     * embed kplugins print their own header with {@code Kernel.header()}.
     */
    private int printHeaders() {
        PrintStream out = new PrintStream(getOutput(), true, StandardCharsets.UTF_8);
        out.print(KernelHeader.render(null));
        out.println();
        out.println("/* Hook point of 'kpc image' (--function picks another name with this prototype): */");
        out.println("/* " + ImageCommand.PROTOTYPE.replace("NAME", Arguments.DEFAULT_FUNCTION) + "; */");
        return 0;
    }

    /**
     * Compiles the plugin in the native tier, which prints the machine code of the requested
     * functions to standard output (language option kpc.DumpX86), and runs nothing.
     */
    private int dumpX86(Context.Builder builder) {
        try {
            PluginSession.open(builder, arguments.plugin).close();
        } catch (PolyglotException e) {
            // The language names its option kpc.DumpX86, which the user set through --function.
            String optionPrefix = "kpc.DumpX86: ";
            if (e.getMessage() != null && e.getMessage().startsWith(optionPrefix)) {
                throw new InvalidInputException(e.getMessage().substring(optionPrefix.length()).replace("; name one of",
                                " (--function); name one of"));
            }
            throw e;
        }
        return 0;
    }

    /**
     * Rejects the Truffle tools with --tier=native: they observe Truffle nodes, and native-tier
     * functions run as machine code without any, so a debugger would never stop and a sampler
     * would record nothing.
     */
    private void rejectToolsInNativeTier() {
        if (arguments.tier != Tier.NATIVE || arguments.command == Arguments.Command.DUMP_X86) {
            return;
        }
        for (String tool : TRUFFLE_TOOLS) {
            for (String option : polyglotOptions.keySet()) {
                if (option.equals(tool) || option.startsWith(tool + ".")) {
                    throw new InvalidInputException("option --" + tool + " does not work with --tier=native, whose functions run"
                                    + " as machine code outside Truffle; use --tier=jit or --tier=interp with it");
                }
            }
        }
    }

    @Override
    protected String getLanguageId() {
        return LANGUAGE_ID;
    }

    /**
     * Builds the context for one plugin. Plugins get host buffers and arrays (for the image
     * buffers and argv) and read-only file access (for {@code #include "file"}), and nothing
     * else of the host.
     */
    private Context.Builder newContextBuilder(Map<String, String> polyglotOptions) {
        Context.Builder builder = Context.newBuilder(LANGUAGE_ID)
                        .options(polyglotOptions)
                        // launcher-common has already rejected experimental options the user
                        // gave without --experimental-options; this admits kpc's own settings.
                        .allowExperimentalOptions(true)
                        .allowHostAccess(HostAccess.newBuilder().allowBufferAccess(true).allowArrayAccess(true).build())
                        .allowIO(IOAccess.newBuilder().fileSystem(FileSystem.newReadOnlyFileSystem(FileSystem.newDefaultFileSystem())).build())
                        .out(getOutput())
                        .err(getError());
        Path logFile = getLogFile();
        if (logFile != null) {
            try {
                builder.logHandler(newLogStream(logFile));
            } catch (IOException e) {
                throw new InvalidInputException("cannot open log file '" + logFile + "': " + e.getMessage());
            }
        }
        return builder;
    }

    @Override
    protected boolean runLauncherAction() {
        if (super.runLauncherAction()) {
            return true;
        }
        if (arguments.versionRequested) {
            printVersion();
            return true;
        }
        return false;
    }

    @Override
    protected void printVersion() {
        VersionInfo.lines().forEach(this::println);
    }

    @Override
    protected void printHelp(OptionCategory maxCategory) {
        printUsage();
        println("");
        printImageOptions();
        println("");
        printCommonOptions();
    }

    private void printUsage() {
        println("Usage: kpc [OPTIONS] FILE.kpc [ARGS...]");
        println("       kpc image --plugin FILE.kpc --in IMAGE --out IMAGE [--function NAME] [--repeat N] [OPTIONS]");
        println("       kpc headers");
        println("       kpc --dump-x86 FILE.kpc [--function NAME] [--tier=native]");
        println("");
        println("kpc FILE.kpc compiles the plugin, calls int main(int argc, char **argv) with argv[0] = FILE.kpc");
        println("followed by ARGS, and exits with main's return value & 255.");
        println("");
        println("kpc image decodes IMAGE (PNG, JPEG, BMP or GIF, at most " + ImageFiles.MAX_SIDE + " pixels per side) into");
        println("packed RGB bytes (width*height*3, row-major, R, G, B), calls");
        println("  " + ImageCommand.PROTOTYPE.replace("NAME", "transcode"));
        println("with the input mapped read-only and an output buffer of the same size, and writes the output");
        println("buffer in the format of the output file's extension. A non-zero return value is an error.");
        println("");
        println("kpc headers prints <kernel.h>, the functions every plugin may call, and the hook point of kpc image.");
        println("");
        println("kpc --dump-x86 compiles the plugin in the native tier and prints the x86-64 code of every function,");
        println("or of function NAME (--function NAME): per instruction the source line, the code offset, the bytes and");
        println("the instruction. A line shown as - is code of no single source line: the epilogue and the fault stubs.");
        println("");
        println("Errors in the input print one line and exit with 1; compile errors and plugin faults print");
        println("the language's report and exit with 1; internal errors print a stack trace and exit with 70.");
    }

    private void printImageOptions() {
        println("Image options:");
        launcherOption("--plugin FILE.kpc", "Plugin source file (required).");
        launcherOption("--in IMAGE", "Input image: PNG, JPEG, BMP or GIF (required).");
        launcherOption("--out IMAGE", "Output image (required). The extension picks the format: .png, .jpg, .jpeg (quality "
                        + ImageFiles.JPEG_QUALITY + "), .bmp or .gif. The file is replaced atomically, and left as it was when kpc fails.");
        launcherOption("--function NAME", "Function to call, with the prototype of transcode above. Default: " + Arguments.DEFAULT_FUNCTION + ".");
        launcherOption("--repeat N", "Number of calls on the same input, N >= 1 (default 1). The summary reports the first call and the median"
                        + " of the last min(N-1, " + CallTimes.MAX_WARMED_CALLS + ") calls as the warmed time.");
    }

    private void printCommonOptions() {
        println("Common options:");
        launcherOption("--tier=interp|jit|native", "interp: Truffle interpreter only (engine.Compilation=false). jit: the Graal"
                        + " compiler compiles hot code at run time (default; needs the JVM flags that bin/kpc passes). native: x86-64"
                        + " machine code from the x86-backend module, on Linux x86-64 only (kpc.Tier=native).");
        launcherOption("--budget=N", "Execution budget per call in steps, where each loop iteration, goto and call is a step (sets kpc.Budget)."
                        + " A call that uses it up faults. Default: " + Arguments.DEFAULT_BUDGET + " steps. "
                        + Arguments.DEFAULT_BUDGET_REASON + " --kpc.Budget=0 removes the limit.");
        launcherOption("--stats", "Print to stderr the context setup time, the compile time (source to linked plugin, which includes"
                        + " linking) and the time of each call, in milliseconds.");
        launcherOption("--version", "Print the kpc, Truffle and JVM versions and whether runtime compilation is active.");
        launcherOption("--vm.OPTION", "JVM option, for example --vm.Xmx8g. bin/kpc passes it to java as -OPTION.");
        launcherOption("--engine.NAME=VALUE", "Truffle engine option, for example --engine.TraceCompilation (lists: --help:engine,"
                        + " --help:compiler).");
        launcherOption("--kpc.NAME=VALUE", "KPC language option: kpc.Budget in steps per call, kpc.StackSize, kpc.MemoryLimit and"
                        + " kpc.HeapSize in bytes (list with defaults: --help:languages).");
    }

    @Override
    protected void collectArguments(Set<String> options) {
        options.addAll(List.of("--tier", "--budget", "--stats", "--version", "--plugin", "--in", "--out", "--function", "--repeat",
                        Arguments.DUMP_X86_OPTION));
        super.collectArguments(options);
    }

    @Override
    protected AbortException abortUnrecognizedArgument(String argument) {
        throw new InvalidInputException("unrecognized option '" + argument + "' (see kpc --help for the options)");
    }

    private int reportAbort(AbortException e) {
        if (e.getMessage() != null) {
            printError(e.getMessage());
        }
        if (e.getCause() != null) {
            printError(e.getCause().toString());
        }
        return e.getExitCode();
    }

    /**
     * Prints a compile error or plugin fault as the language wrote it and returns 1, or treats
     * an exception that did not come from the plugin as an internal error.
     */
    private int reportPolyglotException(PolyglotException e) {
        if (e.isExit()) {
            return e.getExitStatus() & 255;
        }
        if (e.isInternalError() || e.isHostException()) {
            return reportInternalError(e);
        }
        if (e.isSyntaxError() || e.isGuestException() || e.isResourceExhausted() || e.isCancelled() || e.isInterrupted()) {
            String report = e.getMessage() == null ? "kpc: the plugin failed without a message" : e.getMessage();
            getError().print(report.endsWith("\n") ? report : report + "\n");
            getError().flush();
            return EXIT_INVALID_INPUT;
        }
        return reportInternalError(e);
    }

    private int reportInternalError(Throwable e) {
        getError().println("kpc: internal error: " + e);
        e.printStackTrace(getError());
        return EXIT_INTERNAL_ERROR;
    }

    /** Prints {@code message} as one line starting with "kpc: ". */
    private void printError(String message) {
        String oneLine = message.strip().replaceAll("\\s*\\R\\s*", " ");
        getError().println(oneLine.startsWith("kpc: ") ? oneLine : "kpc: " + oneLine);
    }
}
