// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc;

import com.oracle.truffle.api.CallTarget;
import com.oracle.truffle.api.Option;
import com.oracle.truffle.api.TruffleFile;
import com.oracle.truffle.api.TruffleLanguage;
import com.oracle.truffle.api.instrumentation.ProvidedTags;
import com.oracle.truffle.api.instrumentation.StandardTags;
import com.oracle.truffle.api.source.Source;
import com.oracle.truffle.api.source.SourceSection;
import java.io.IOException;
import java.nio.file.LinkOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.graalvm.options.OptionCategory;
import org.graalvm.options.OptionDescriptors;
import org.graalvm.options.OptionKey;
import org.graalvm.options.OptionStability;
import org.graalvm.options.OptionType;
import org.graalvm.options.OptionValues;
import org.kplugins.kpc.ast.TranslationUnit;
import org.kplugins.kpc.diagnostics.CompileException;
import org.kplugins.kpc.diagnostics.Diagnostic;
import org.kplugins.kpc.diagnostics.DiagnosticSink;
import org.kplugins.kpc.diagnostics.SourceFile;
import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.lexer.Token;
import org.kplugins.kpc.link.KernelHeader;
import org.kplugins.kpc.link.PluginImports;
import org.kplugins.kpc.link.PluginLinker;
import org.kplugins.kpc.nodes.KpcPluginRootNode;
import org.kplugins.kpc.nodes.NodeBuilder;
import org.kplugins.kpc.parser.Parser;
import org.kplugins.kpc.preprocess.BuiltinHeaders;
import org.kplugins.kpc.preprocess.IncludeResolver;
import org.kplugins.kpc.preprocess.Preprocessor;
import org.kplugins.kpc.runtime.NativeTier;
import org.kplugins.kpc.runtime.PluginProgram;
import org.kplugins.kpc.tier.AutoTier;
import org.kplugins.monitor.link.SymbolTable;
import org.kplugins.monitor.memory.AddressSpace;

/**
 * KPC, Kernel Plugin C: a C subset compiled to Truffle nodes and run isolated in a plugin address
 * space. Evaluating a source preprocesses, parses, type-checks and links it, and returns a new
 * plugin instance (see {@link org.kplugins.kpc.runtime.PluginInstance}) whose members are the
 * exported functions; a compile or link error is a syntax error with every diagnostic rendered.
 *
 * <p>Language features and the nodes that implement them:
 * <ul>
 *   <li>integer constants, string literals and global addresses: {@code KpcIntConstantNode},
 *       {@code KpcLongConstantNode};
 *   <li>arithmetic with C's wrapping, unsigned and x86 shift semantics: {@code KpcAddNode},
 *       {@code KpcSubtractNode}, {@code KpcMultiplyNode}, {@code KpcDivideNode},
 *       {@code KpcUnsignedDivideNode}, {@code KpcRemainderNode}, {@code KpcUnsignedRemainderNode},
 *       {@code KpcNegateNode}, {@code KpcShiftLeftNode}, {@code KpcShiftRightNode},
 *       {@code KpcUnsignedShiftRightNode}, {@code KpcBitwiseAndNode}, {@code KpcBitwiseOrNode},
 *       {@code KpcBitwiseXorNode}, {@code KpcBitwiseNotNode};
 *   <li>comparisons, signed, unsigned and of pointers: {@code KpcEqualNode}, {@code KpcNotEqualNode},
 *       {@code KpcLessThanNode}, {@code KpcLessOrEqualNode}, {@code KpcGreaterThanNode},
 *       {@code KpcGreaterOrEqualNode};
 *   <li>{@code && || ! ?: ,}: {@code KpcLogicalAndNode}, {@code KpcLogicalOrNode},
 *       {@code KpcLogicalNotNode}, {@code KpcConditionalNode}, {@code KpcCommaNode};
 *   <li>conversions: {@code KpcTruncateNode}, {@code KpcIntToLongNode}, {@code KpcLongToIntNode},
 *       {@code KpcToBoolNode}, {@code KpcDiscardNode};
 *   <li>pointer difference: {@code KpcPointerDifferenceNode} (pointer arithmetic is add and multiply);
 *   <li>scalar locals and parameters in frame slots: {@code KpcReadLocalNode},
 *       {@code KpcWriteLocalNode}, {@code KpcReadArgumentNode}; locals in the plugin stack frame:
 *       {@code KpcFrameAddressNode};
 *   <li>loads and stores of each width through the address space: {@code KpcLoadI8Node} to
 *       {@code KpcLoadI64Node}, {@code KpcStoreI8Node} to {@code KpcStoreI64Node}; struct
 *       assignment: {@code KpcStructCopyNode}; zeroing of local objects: {@code KpcZeroFillNode};
 *   <li>statements: {@code KpcBlockNode}, {@code KpcExpressionStatementNode}, {@code KpcIfNode},
 *       {@code KpcLoopNode} (while, do-while, for), {@code KpcSwitchNode}, {@code KpcBreakNode},
 *       {@code KpcContinueNode}, {@code KpcReturnNode};
 *   <li>functions and calls: {@code KpcFunctionRootNode}, {@code KpcCallNode}; host exports:
 *       {@code KpcPrintkNode}, {@code KpcAllocNode}, {@code KpcFreeNode}.
 * </ul>
 */
@TruffleLanguage.Registration(id = KpcLanguage.ID, name = "KPC", version = "0.1", defaultMimeType = KpcLanguage.MIME_TYPE,
                characterMimeTypes = KpcLanguage.MIME_TYPE, fileTypeDetectors = KpcFileDetector.class,
                contextPolicy = TruffleLanguage.ContextPolicy.SHARED)
@ProvidedTags({StandardTags.RootTag.class, StandardTags.RootBodyTag.class, StandardTags.StatementTag.class,
                StandardTags.CallTag.class, StandardTags.ExpressionTag.class})
public final class KpcLanguage extends TruffleLanguage<KpcContext> {

    public static final String ID = "kpc";
    public static final String MIME_TYPE = "application/x-kpc";

    private static final int PAGE_SIZE = AddressSpace.PAGE_SIZE;

    @Option(help = "Execution budget of each call from the host, in steps: every loop iteration, every goto and"
                    + " every call costs one step, and a call that uses up its budget faults with WATCHDOG. 0 means unlimited."
                    + " Default: 0.", category = OptionCategory.USER, stability = OptionStability.STABLE)
    static final OptionKey<Long> Budget = new OptionKey<>(0L, new OptionType<>("steps", KpcLanguage::parseSteps));

    @Option(help = "Wall-clock time each call from the host may take, in milliseconds. A call that runs longer is stopped"
                    + " at its next loop iteration, goto or call with the fault TIMEOUT, in every tier. 0 means no limit."
                    + " Default: 0.", category = OptionCategory.USER, stability = OptionStability.STABLE)
    static final OptionKey<Long> CallTimeout = new OptionKey<>(0L, new OptionType<>("milliseconds",
                    KpcLanguage::parseCallTimeout));

    @Option(help = "Size of each plugin instance's stack, in bytes: a multiple of 4096 from 4096 to 64 MiB."
                    + " Default: 65536.", category = OptionCategory.USER, stability = OptionStability.STABLE)
    static final OptionKey<Integer> StackSize = new OptionKey<>(65536,
                    bytesType("kpc.StackSize", PAGE_SIZE, 64 << 20));

    @Option(help = "Segment limit of each plugin instance, in bytes: every address at or above it faults with"
                    + " GENERAL_PROTECTION. A multiple of 4096 from 64 KiB to 2147479552. Default: 268435456 (256 MiB).",
                    category = OptionCategory.USER, stability = OptionStability.STABLE)
    static final OptionKey<Integer> MemoryLimit = new OptionKey<>(256 << 20,
                    bytesType("kpc.MemoryLimit", 64 << 10, AddressSpace.MAX_SEGMENT_LIMIT));

    @Option(help = "Size of each plugin instance's kp_alloc heap, in bytes: a multiple of 4096 from 4096 to 1 GiB."
                    + " Default: 16777216 (16 MiB).", category = OptionCategory.USER, stability = OptionStability.STABLE)
    static final OptionKey<Integer> HeapSize = new OptionKey<>(16 << 20, bytesType("kpc.HeapSize", PAGE_SIZE, 1 << 30));

    @Option(help = "Bytes of host-buffer memory that a plugin instance keeps between calls from the host. A call maps"
                    + " its buffer arguments above the kp_alloc heap, which grows the instance's memory by their size;"
                    + " when that growth exceeds this value, the instance gives the memory back as the call returns."
                    + " Default: 2147483647 (keep it all, so the next call reuses it).",
                    category = OptionCategory.USER, stability = OptionStability.STABLE)
    static final OptionKey<Long> RetainedHostBytes = new OptionKey<>((long) Integer.MAX_VALUE,
                    new OptionType<>("bytes", KpcLanguage::parseRetainedHostBytes));

    @Option(help = "The kernel symbol table whose exports plugins link against: its id, as"
                    + " org.kplugins.monitor.link.SymbolTable.id() returns it, optionally followed by '/' and the"
                    + " table's generation, so that code compiled after an export was added is not shared with"
                    + " older code. Set by hosts that export symbols, usually through org.kplugins.kpc.host.Kernel."
                    + " 0 means only the built-in exports. Default: 0.",
                    category = OptionCategory.EXPERT, stability = OptionStability.STABLE)
    static final OptionKey<String> SymbolTable = new OptionKey<>("0", new OptionType<>("id", KpcLanguage::parseTableReference));

    /** Value of kpc.Tier that compiles plugins to Truffle nodes. */
    public static final String TRUFFLE_TIER = "truffle";
    /** Value of kpc.Tier that compiles plugins to x86-64 machine code run by the host processor, see {@link NativeTier}. */
    public static final String NATIVE_TIER = "native";
    /** Value of kpc.Tier that compiles plugins to x86-64 machine code run by the emulated CPU, see {@link NativeTier}. */
    public static final String EMULATED_TIER = "emulated";
    /** Value of kpc.Tier that starts plugins in the Truffle tier and moves hot ones to the x86 tier, see {@link AutoTier}. */
    public static final String AUTO_TIER = "auto";

    /** Value of kpc.EmulatedCode for code without inline memory and division checks. */
    public static final String HARDWARE_CHECKS = "hardware";
    /** Value of kpc.EmulatedCode for code with the native tier's inline checks. */
    public static final String INLINE_CHECKS = "checked";

    /** Default of kpc.AutoThreshold, in steps. {@link AutoTier} explains the choice. */
    public static final long DEFAULT_AUTO_THRESHOLD = 10_000;

    @Option(help = "Execution tier of plugin code: truffle (Truffle nodes, interpreted and compiled by Graal), native"
                    + " (x86-64 machine code on the host processor, Linux x86-64 only), emulated (the same machine code on"
                    + " the emulated CPU of the isolation monitor, see kpc.EmulatedCode) or auto (functions start in the"
                    + " Truffle tier, and once one of them has run kpc.AutoThreshold steps the plugin is compiled to machine"
                    + " code, native where available and emulated otherwise, and later calls from the host run that code)."
                    + " native, emulated and auto need the x86-backend module on the class path. Default: truffle.",
                    category = OptionCategory.USER, stability = OptionStability.EXPERIMENTAL)
    static final OptionKey<String> Tier = new OptionKey<>(TRUFFLE_TIER, new OptionType<>("tier", KpcLanguage::parseTier));

    @Option(help = "With kpc.Tier=emulated: the checks of the machine code. hardware: no inline memory and division checks;"
                    + " the emulated segment limit and page table catch each stray access, and the divide instruction"
                    + " faults itself. checked: the inline checks of the native tier. Setting it with another kpc.Tier is an"
                    + " error. Default: hardware.",
                    category = OptionCategory.USER, stability = OptionStability.EXPERIMENTAL)
    static final OptionKey<String> EmulatedCode = new OptionKey<>(HARDWARE_CHECKS,
                    new OptionType<>("checks", KpcLanguage::parseEmulatedCode));

    @Option(help = "With kpc.Tier=auto: the steps after which a plugin function counts as hot, from 1. A call from the"
                    + " host counts one step, plus every loop iteration, goto and plugin call it runs. When the calls of one"
                    + " exported function have taken this many steps, the next call from the host compiles the whole plugin"
                    + " to machine code once, and from then on calls from the host of every exported function run it."
                    + " 1 compiles at the first call. Setting it with another kpc.Tier is an error. Default: 10000.",
                    category = OptionCategory.USER, stability = OptionStability.EXPERIMENTAL)
    static final OptionKey<Long> AutoThreshold = new OptionKey<>(DEFAULT_AUTO_THRESHOLD,
                    new OptionType<>("steps", KpcLanguage::parseAutoThreshold));

    @Option(help = "With kpc.Tier=native or emulated: print the machine code of the named plugin function, or of every"
                    + " function for *, to standard output when a plugin is compiled: source line, offset, bytes and"
                    + " instruction. With kpc.Tier=auto the code is printed when a hot plugin is compiled. Default: empty"
                    + " (print nothing).", category = OptionCategory.EXPERT, stability = OptionStability.EXPERIMENTAL)
    static final OptionKey<String> DumpX86 = new OptionKey<>("");

    /** Sources parsed by this class since the JVM started, which tests of code sharing read. */
    private static final AtomicLong PARSE_COUNT = new AtomicLong();

    /** Returns how many sources the language has parsed in this JVM, for tests that check code sharing. */
    public static long parseCount() {
        return PARSE_COUNT.get();
    }

    /** Checks a kpc.SymbolTable value: "0", "ID" or "ID/GENERATION" of a table that exists. */
    private static String parseTableReference(String text) {
        long id = tableId(text);
        if (id != 0 && org.kplugins.monitor.link.SymbolTable.find(id) == null) {
            throw new IllegalArgumentException("invalid kpc.SymbolTable " + id + ": no symbol table with this id exists;"
                            + " create the table in the host and keep it reachable while contexts use it");
        }
        return text.strip();
    }

    /** Returns the table id of a kpc.SymbolTable value, or 0 for none. */
    static long tableId(String reference) {
        String text = reference.strip();
        int slash = text.indexOf('/');
        try {
            long id = Long.parseLong(slash < 0 ? text : text.substring(0, slash));
            if (slash >= 0) {
                Long.parseLong(text.substring(slash + 1));
            }
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid kpc.SymbolTable '" + reference + "': expected the id of a symbol"
                            + " table, optionally followed by '/' and its generation");
        }
    }

    private static String parseTier(String text) {
        String tier = text.strip();
        if (!List.of(TRUFFLE_TIER, NATIVE_TIER, EMULATED_TIER, AUTO_TIER).contains(tier)) {
            throw new IllegalArgumentException("invalid kpc.Tier '" + text + "': expected " + TRUFFLE_TIER + ", "
                            + NATIVE_TIER + ", " + EMULATED_TIER + " or " + AUTO_TIER);
        }
        return tier;
    }

    private static String parseEmulatedCode(String text) {
        String checks = text.strip();
        if (!checks.equals(HARDWARE_CHECKS) && !checks.equals(INLINE_CHECKS)) {
            throw new IllegalArgumentException("invalid kpc.EmulatedCode '" + text + "': expected " + HARDWARE_CHECKS
                            + " or " + INLINE_CHECKS);
        }
        return checks;
    }

    private static Long parseAutoThreshold(String text) {
        long steps;
        try {
            steps = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid kpc.AutoThreshold '" + text + "': expected a whole number of"
                            + " steps from 1");
        }
        if (steps < 1) {
            throw new IllegalArgumentException("invalid kpc.AutoThreshold " + steps + ": expected 1 or more steps; 1"
                            + " compiles a plugin at its first call from the host");
        }
        return steps;
    }

    private static Long parseSteps(String text) {
        long steps;
        try {
            steps = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid kpc.Budget '" + text + "': expected a whole number of steps,"
                            + " 0 for unlimited");
        }
        if (steps < 0) {
            throw new IllegalArgumentException("invalid kpc.Budget " + steps + ": expected 0 (unlimited) or a positive"
                            + " number of steps");
        }
        return steps;
    }

    private static long parseCallTimeout(String text) {
        long millis;
        try {
            millis = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid kpc.CallTimeout '" + text + "': expected a whole number of"
                            + " milliseconds, 0 for no limit");
        }
        if (millis < 0 || millis > MAX_CALL_TIMEOUT_MILLIS) {
            throw new IllegalArgumentException("invalid kpc.CallTimeout " + millis + ": expected 0 (no limit) to "
                            + MAX_CALL_TIMEOUT_MILLIS + " milliseconds");
        }
        return millis;
    }

    private static long parseRetainedHostBytes(String text) {
        long bytes;
        try {
            bytes = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid kpc.RetainedHostBytes '" + text + "': expected a size in bytes");
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("invalid kpc.RetainedHostBytes " + bytes + ": expected 0 or more bytes");
        }
        return bytes;
    }

    /** The maximum kpc.CallTimeout, 30 days in milliseconds, so that the deadline in nanoseconds cannot overflow. */
    public static final long MAX_CALL_TIMEOUT_MILLIS = 30L * 24 * 3600 * 1000;

    /** An option type for a byte size that must be a page multiple in {@code [min, max]}. */
    private static OptionType<Integer> bytesType(String name, int min, int max) {
        return new OptionType<>("bytes", text -> {
            long bytes;
            try {
                bytes = Long.parseLong(text.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid " + name + " '" + text + "': expected a size in bytes");
            }
            if (bytes < min || bytes > max || bytes % PAGE_SIZE != 0) {
                throw new IllegalArgumentException("invalid " + name + " " + bytes + ": expected a multiple of "
                                + PAGE_SIZE + " bytes from " + min + " to " + max);
            }
            return (int) bytes;
        });
    }

    @Override
    protected KpcContext createContext(Env env) {
        checkTierOptions(env.getOptions());
        return new KpcContext(env);
    }

    /**
     * Rejects kpc.EmulatedCode and kpc.AutoThreshold when they are set for a tier that does not
     * read them, because the host would otherwise believe a setting took effect that did not.
     *
     * @throws KpcException naming the option, its value, the tier and the fix
     */
    static void checkTierOptions(OptionValues options) {
        String tier = options.get(Tier);
        requireTier(options, EmulatedCode, "kpc.EmulatedCode", EMULATED_TIER, tier);
        requireTier(options, AutoThreshold, "kpc.AutoThreshold", AUTO_TIER, tier);
    }

    private static void requireTier(OptionValues options, OptionKey<?> key, String name, String requiredTier, String tier) {
        if (!options.hasBeenSet(key) || tier.equals(requiredTier)) {
            return;
        }
        String tierText = options.hasBeenSet(Tier) ? "kpc.Tier is " + tier : "kpc.Tier is " + tier + " (the default)";
        throw new KpcException(name + "=" + options.get(key) + " applies to kpc.Tier=" + requiredTier + " only, but "
                        + tierText + "; set kpc.Tier=" + requiredTier + " or leave " + name + " unset", null);
    }

    @Override
    protected OptionDescriptors getOptionDescriptors() {
        return new KpcLanguageOptionDescriptors();
    }

    /**
     * Contexts can share code when it was built for the same stack size, which fixes the addresses
     * of static data, for the same step-counting mode (on when kpc.Budget or kpc.CallTimeout is
     * set), which decides whether loops count steps, against
     * the same symbol table, whose exports the code is bound to, and for the same tier. The code of
     * the emulated tier also depends on kpc.EmulatedCode, and an auto-tier program keeps the
     * kpc.AutoThreshold it was built with.
     */
    @Override
    protected boolean areOptionsCompatible(OptionValues first, OptionValues second) {
        return first.get(StackSize).equals(second.get(StackSize))
                        && countsSteps(first) == countsSteps(second)
                        && first.get(SymbolTable).equals(second.get(SymbolTable))
                        && first.get(Tier).equals(second.get(Tier))
                        && first.get(EmulatedCode).equals(second.get(EmulatedCode))
                        && first.get(AutoThreshold).equals(second.get(AutoThreshold));
    }

    /**
     * Returns whether code built for these options counts steps. The machine-code tiers need the
     * step counter for kpc.CallTimeout too, because a timed-out call stops where it counts a step.
     */
    private static boolean countsSteps(OptionValues options) {
        return options.get(Budget) != 0 || options.get(CallTimeout) != 0;
    }

    @Override
    protected boolean isThreadAccessAllowed(Thread thread, boolean singleThreaded) {
        return singleThreaded;
    }

    @Override
    protected Object getScope(KpcContext context) {
        return context.scope();
    }

    @Override
    protected CallTarget parse(ParsingRequest request) throws Exception {
        PARSE_COUNT.incrementAndGet();
        Source source = request.getSource();
        KpcContext context = KpcContext.get(null);
        SymbolTable table = context.symbolTable();
        SourceFile file = new SourceFile(source.getName(), source.getCharacters().toString(), source);
        DiagnosticSink sink = new DiagnosticSink();
        try {
            Preprocessor preprocessor = new Preprocessor(sink, includeResolver(context, source),
                            BuiltinHeaders.withKernelDeclarations(KernelHeader.declarations(table)));
            List<Token> tokens = preprocessor.preprocess(file);
            sink.throwIfErrors();
            TranslationUnit unit = new Parser(tokens, file, sink).parseTranslationUnit();
            sink.throwIfErrors();
            PluginImports imports = PluginLinker.link(unit, table, sink);
            sink.throwIfErrors();
            String name = pluginName(source);
            boolean budgetEnabled = context.countsSteps();
            PluginProgram program = switch (context.tier()) {
                case NATIVE_TIER, EMULATED_TIER -> {
                    NativeTier.Mode mode = context.x86Mode();
                    yield NativeTier.load(mode).compile(this, name, unit, imports, context.stackSize(), budgetEnabled, mode);
                }
                case AUTO_TIER -> AutoTier.build(this, name, unit, imports, context.stackSize(), budgetEnabled,
                                context.autoThreshold(), context.dumpX86());
                default -> NodeBuilder.build(this, name, unit, imports, context.stackSize(), budgetEnabled);
            };
            return new KpcPluginRootNode(this, program).getCallTarget();
        } catch (CompileException e) {
            throw new KpcCompileError(e, firstLocation(e));
        }
    }

    /** Returns the plugin's name: the source name without {@code .kpc}. */
    private static String pluginName(Source source) {
        String name = source.getName();
        return name.endsWith(".kpc") ? name.substring(0, name.length() - 4) : name;
    }

    private static SourceSection firstLocation(CompileException e) {
        for (Diagnostic diagnostic : e.diagnostics()) {
            SourceLocation location = diagnostic.location();
            Source source = location.file().truffleSource();
            if (source != null && location.offset() + location.length() <= source.getLength()) {
                return source.createSection(location.offset(), location.length());
            }
        }
        return null;
    }

    /**
     * Resolves {@code #include "name"} to a regular file in the plugin's directory or below it,
     * read through the context's file system. Sources without a path include nothing.
     *
     * <p>Both the directory and the file are resolved to their real paths, with every symbolic
     * link followed, before the file is checked to lie inside the directory. A link in the
     * plugin's directory therefore cannot reach a file outside it. A file outside the directory and
     * a missing file both give null, so the error does not reveal whether an outside file exists.
     */
    private static IncludeResolver includeResolver(KpcContext context, Source source) {
        String path = source.getPath();
        if (path == null) {
            return IncludeResolver.NONE;
        }
        return name -> {
            try {
                TruffleFile directory = context.env().getPublicTruffleFile(path).getAbsoluteFile().getParent();
                if (directory == null) {
                    return null;
                }
                TruffleFile realDirectory = directory.getCanonicalFile();
                // getCanonicalFile fails with an IOException when the file does not exist.
                TruffleFile file = realDirectory.resolve(name).getCanonicalFile();
                if (!file.startsWith(realDirectory) || !file.isRegularFile(LinkOption.NOFOLLOW_LINKS)) {
                    return null;
                }
                // NOTE: a directory on the checked path that is replaced by a symbolic link after
                // the check and before the read below is still followed.
                Source included = Source.newBuilder(ID, file).name(name).build();
                return new SourceFile(name, included.getCharacters().toString(), included);
            } catch (SecurityException e) {
                throw new IncludeResolver.AccessDenied("the host denies this plugin file access; a host using the"
                                + " polyglot API builds the context with allowIO(IOAccess.ALL) or a read-only file system");
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                return null;
            }
        };
    }
}
