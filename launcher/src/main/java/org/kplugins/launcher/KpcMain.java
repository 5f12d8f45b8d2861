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
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.link.KernelHeader;
import org.kplugins.server.ServerOptions;
import org.kplugins.server.image.ImageCodec;

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

    /** The line printed after a budget fault, which names the kpc options for the budget. */
    static final String BUDGET_HINT = "kpc: give a larger --budget=N to allow more steps per call, or --kpc.Budget=0 for no limit";

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
            rejectToolsInMachineCodeTiers();
            argumentsProcessingDone();
            launch(newContextBuilder(polyglotOptions));
            return exitStatus;
        } catch (AbortException e) {
            return reportAbort(e);
        } catch (InvalidInputException e) {
            printError(e.getMessage());
            return EXIT_INVALID_INPUT;
        } catch (BudgetFaultException e) {
            int status = reportPolyglotException(e.fault());
            getError().println(BUDGET_HINT);
            return status;
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
        List<String> unrecognized = arguments.parse(args, polyglotOptions);
        arguments.requireExperimentalOptions(unrecognized);
        return unrecognized;
    }

    @Override
    protected void launch(Context.Builder builder) {
        exitStatus = switch (arguments.command) {
            case RUN -> new RunCommand(arguments, polyglotOptions, getError()).run(builder);
            case IMAGE -> new ImageCommand(arguments, polyglotOptions, getOutput(), getError()).run(builder);
            case SERVE -> new ServeCommand(arguments, polyglotOptions, getOutput(), getError()).run();
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
     * Compiles the plugin in the native or emulated tier, which prints the machine code of the
     * requested functions to standard output (language option kpc.DumpX86), and runs nothing.
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
     * Rejects the Truffle tools with --tier=native, emulated and auto. The tools observe Truffle
     * nodes, and functions that run as machine code have none, so a debugger would never stop
     * there and a sampler would record nothing. In the auto tier that happens once a plugin is hot.
     */
    private void rejectToolsInMachineCodeTiers() {
        if (!arguments.tier.runsMachineCode() || arguments.command == Arguments.Command.DUMP_X86) {
            return;
        }
        String when = arguments.tier == Tier.AUTO ? " once they are hot" : "";
        for (String tool : TRUFFLE_TOOLS) {
            for (String option : polyglotOptions.keySet()) {
                if (option.equals(tool) || option.startsWith(tool + ".")) {
                    throw new InvalidInputException("option --" + tool + " does not work with " + arguments.tierOption()
                                    + ", whose functions run as machine code outside Truffle" + when
                                    + "; use --tier=jit or --tier=interp with it");
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
        printServeOptions();
        println("");
        printCommonOptions();
    }

    private void printUsage() {
        println("Usage: kpc [OPTIONS] FILE.kpc [ARGS...]");
        println("       kpc image --plugin FILE.kpc --in IMAGE --out IMAGE [--function NAME] [--repeat N] [OPTIONS]");
        println("       kpc serve --root DIR --plugins DIR [--port N] [--bind ADDRESS] [--token TOKEN] [OPTIONS]");
        println("       kpc headers");
        println("       kpc --dump-x86 FILE.kpc [--function NAME] [--tier=native|emulated [--emulated-code=hardware|checked]]");
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
        println("kpc serve serves the files under --root over HTTP. GET /PATH?plugin=NAME decodes the image, runs the");
        println("transcode function of plugin NAME (from --plugins/NAME.kpc, or uploaded with PUT /plugins/NAME) and");
        println("returns the result in the same format; ?plugin=java:grayscale runs the plain-Java grayscale baseline.");
        println("GET /plugins lists the plugins, GET /metrics gives Prometheus metrics; docs/serve.md has every route.");
        println("SIGINT or SIGTERM stops the server after the requests in flight finish.");
        println("");
        println("kpc headers prints <kernel.h>, the functions every plugin may call, and the hook point of kpc image.");
        println("");
        println("kpc --dump-x86 compiles the plugin in the native tier, or the emulated tier with --tier=emulated, and");
        println("prints the x86-64 code that runs, of every function or of function NAME (--function NAME): per");
        println("instruction the source line, the code offset, the bytes and the instruction. A line shown as - is");
        println("code of no single source line: the epilogue and the fault stubs.");
        println("");
        println("Errors in the input print one line and exit with 1; compile errors and plugin faults print");
        println("the language's report and exit with 1; internal errors print a stack trace and exit with 70.");
    }

    private void printImageOptions() {
        println("Image options:");
        launcherOption("--plugin FILE.kpc", "Plugin source file (required).");
        launcherOption("--in IMAGE", "Input image: PNG, JPEG, BMP or GIF (required).");
        launcherOption("--out IMAGE", "Output image (required). The extension picks the format: .png, .jpg, .jpeg (quality "
                        + ImageCodec.JPEG_QUALITY + "), .bmp or .gif. The file is replaced atomically, and left as it was when kpc fails.");
        launcherOption("--function NAME", "Function to call, with the prototype of transcode above. Default: " + Arguments.DEFAULT_FUNCTION + ".");
        launcherOption("--repeat N", "Number of calls on the same input, N >= 1 (default 1). The summary reports the first call and the median"
                        + " of the last min(N-1, " + CallTimes.MAX_WARMED_CALLS + ") calls as the warmed time.");
    }

    private void printServeOptions() {
        println("Serve options:");
        launcherOption("--root DIR", "Folder whose files are served (required). Names starting with '.' are not served.");
        launcherOption("--plugins DIR", "Folder whose NAME.kpc files are compiled and linked at start (required). Uploads are kept in"
                        + " memory only.");
        launcherOption("--port N", "TCP port, 0 for any free one. Default: " + ServerOptions.DEFAULT_PORT + ".");
        launcherOption("--bind ADDRESS", "Address to listen on. Default: " + ServerOptions.DEFAULT_BIND_ADDRESS + ".");
        launcherOption("--token TOKEN", "Token that PUT and DELETE /plugins/NAME must send as 'Authorization: Bearer TOKEN', from any"
                        + " client. Without one, plugin management is accepted from loopback clients only. The environment"
                        + " variable " + ServerOptions.TOKEN_VARIABLE + " sets it too and, unlike the option, stays out of the"
                        + " process list.");
        launcherOption("--workers N", "Platform threads that run transcoders; each keeps one instance of every plugin. Default: the"
                        + " number of processors.");
        launcherOption("--max-queued-calls N", "Transcoding requests that may wait for a worker; more get 503. Default: "
                        + ServerOptions.DEFAULT_QUEUED_CALLS_PER_WORKER + " per worker.");

        launcherOption("--max-upload-bytes N", "Largest plugin source accepted, in bytes. Default: "
                        + ServerOptions.DEFAULT_MAX_UPLOAD_BYTES + ".");
        launcherOption("--max-nesting N", "Deepest nesting of brackets, parentheses and braces in an uploaded source. Default: "
                        + ServerOptions.DEFAULT_MAX_NESTING + ".");
        launcherOption("--compile-timeout-ms N", "Time an upload may take to compile and link, in milliseconds. Default: "
                        + ServerOptions.DEFAULT_COMPILE_TIMEOUT.toMillis() + ".");
        launcherOption("--max-request-bytes N", "Largest body of any other request, in bytes. Default: "
                        + ServerOptions.DEFAULT_MAX_REQUEST_BYTES + ".");

        launcherOption("--max-side N", "Largest width or height of an image to transcode, in pixels. Default: "
                        + ServerOptions.DEFAULT_MAX_SIDE + ".");
        launcherOption("--max-pixels N", "Largest width * height of an image to transcode. Default: "
                        + ServerOptions.DEFAULT_MAX_PIXELS + ".");

        launcherOption("--max-plugins N", "Plugin names loaded at once, quarantined ones included; an upload of a new name beyond"
                        + " it gets 507. Default: " + ServerOptions.DEFAULT_MAX_PLUGINS + ".");
        launcherOption("--max-plugin-memory-bytes N", "Plugin memory that all plugins together may reserve, in bytes. Each"
                        + " plugin reserves its static data plus, per worker and for the compiler thread, one instance's"
                        + " stack, static data, whole --kpc.HeapSize heap and retained buffers; an upload that does not fit"
                        + " gets 507. Default: half the JVM's maximum heap (--vm.Xmx).");
        launcherOption("--retained-buffer-bytes N", "Image-buffer memory each plugin instance keeps between calls, in bytes;"
                        + " a call with larger images gives its buffers back when it returns. Default: "
                        + ServerOptions.DEFAULT_RETAINED_BUFFER_BYTES + ".");
        launcherOption("--call-timeout-ms N", "Wall-clock time each transcode call may take, in milliseconds. A call that runs"
                        + " longer is stopped at its next loop iteration, goto or call, in every tier; its request gets 504 and the"
                        + " timeout counts as a fault of the plugin. Default: " + ServerOptions.DEFAULT_CALL_TIMEOUT.toMillis()
                        + ".");
        launcherOption("--fault-limit N", "Faults after which a plugin is quarantined (its requests get 503 until it is uploaded"
                        + " again). Default: " + ServerOptions.DEFAULT_FAULT_LIMIT + ".");
        launcherOption("--client-timeout-s N", "Time a client may take to send a request with its body, and the longest a"
                        + " response may wait for the client to read any of it, in seconds. A slow download that keeps reading"
                        + " is not cut off. Default: " + ServerOptions.DEFAULT_CLIENT_TIMEOUT.toSeconds() + ".");
        launcherOption("--shutdown-grace-s N", "Time a stop waits for requests in flight, in seconds. Default: "
                        + ServerOptions.DEFAULT_SHUTDOWN_GRACE.toSeconds() + ".");
        launcherOption("--budget=N", "For kpc serve, the steps each transcode call may take, in place of the common"
                        + " option's default below. Default: " + ServerOptions.DEFAULT_BUDGET + ".");
    }

    private void printCommonOptions() {
        println("Common options:");
        launcherOption("--tier=interp|jit|native|emulated|auto", "interp: Truffle interpreter only (engine.Compilation=false)."
                        + " jit: the Graal compiler compiles hot code at run time (default; needs the JVM flags that bin/kpc"
                        + " passes). native: x86-64 machine code from the x86-backend module, on Linux x86-64 only"
                        + " (kpc.Tier=native). emulated: the same machine code on the emulated CPU of the isolation monitor"
                        + " (kpc.Tier=emulated). auto: functions start in the jit tier; when an exported function has run"
                        + " --auto-threshold steps, the next call from the host compiles the plugin to machine code, native where"
                        + " available and emulated otherwise, and later calls from the host run it (kpc.Tier=auto). Native comes"
                        + " first because it runs on the processor itself, while the emulated CPU emulates each instruction. Its"
                        + " grayscale transcode ran 0.95 to 1.2 times as fast as the jit tier's, depending on the machine"
                        + " (BENCHMARKS.md). A plugin the x86 tier"
                        + " cannot compile stays in the jit tier. --log.kpc.tier.level=FINE logs the switch. The Truffle tools"
                        + " (--inspect, --dap, --cpusampler) need interp or jit. --tier, --emulated-code and --auto-threshold"
                        + " set the language options kpc.Tier, kpc.EmulatedCode and kpc.AutoThreshold: give each setting in"
                        + " one spelling only, because kpc rejects both at once.");
        launcherOption("--emulated-code=hardware|checked", "With --tier=emulated: hardware leaves memory and division checks to the"
                        + " emulated segment limit, page table and divide instruction; checked keeps the native tier's inline"
                        + " checks (kpc.EmulatedCode). Default: hardware.");
        launcherOption("--auto-threshold=N", "With --tier=auto: the steps of one exported function after which the plugin is"
                        + " compiled to machine code. A call from the host is one step, plus each loop iteration, goto and plugin"
                        + " call it runs; a call that is running finishes in the jit tier (kpc.AutoThreshold). Default: "
                        + KpcLanguage.DEFAULT_AUTO_THRESHOLD + ".");
        launcherOption("--budget=N", "Execution budget per call in steps, where each loop iteration, goto and call of a plugin"
                        + " function is a step (sets kpc.Budget). A call that uses it up faults. Default: " + Arguments.DEFAULT_BUDGET
                        + " steps (kpc serve: see above). "
                        + Arguments.DEFAULT_BUDGET_REASON + " --kpc.Budget=0 removes the limit.");
        launcherOption("--stats", "Print to stderr the context setup time, the compile time (source to linked plugin, which includes"
                        + " linking) and the time of each call, in milliseconds, then the tier that ran; with --tier=auto, also"
                        + " whether and at which call the plugin switched to machine code.");
        launcherOption("--version", "Print the kpc, Truffle and JVM versions and whether runtime compilation is active.");
        launcherOption("--vm.OPTION", "JVM option, for example --vm.Xmx8g. bin/kpc passes it to java as -OPTION.");
        launcherOption("--engine.NAME=VALUE", "Truffle engine option, for example --engine.TraceCompilation (lists: --help:engine,"
                        + " --help:compiler).");
        launcherOption("--kpc.NAME=VALUE", "KPC language option: kpc.Budget in steps per call, kpc.StackSize, kpc.MemoryLimit and"
                        + " kpc.HeapSize in bytes (list with defaults: --help:languages).");
    }

    @Override
    protected void collectArguments(Set<String> options) {
        options.addAll(List.of("--tier", "--emulated-code", "--auto-threshold", "--budget", "--stats", "--version", "--plugin", "--in", "--out", "--function", "--repeat",
                        Arguments.DUMP_X86_OPTION, "--root", "--plugins", "--port", "--bind", "--token"));
        options.addAll(Arguments.SERVE_LIMITS);
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
