// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.server.ServerOptions;

/**
 * The kpc command line after parsing: the command, the kpc options, and the arguments for the
 * plugin. Options that kpc does not define (polyglot options such as {@code --engine.*},
 * {@code --log.*} and {@code --kpc.*}, and {@code --help}) are returned by {@link #parse} for
 * launcher-common to handle.
 */
final class Arguments {

    /** The name of the subcommand that transcodes an image. */
    static final String IMAGE_COMMAND = "image";
    /** The name of the subcommand that starts the image-transcoding web server. */
    static final String SERVE_COMMAND = "serve";
    /** The name of the subcommand that prints the kernel header. */
    static final String HEADERS_COMMAND = "headers";
    /** The option that prints a plugin's machine code instead of running it. */
    static final String DUMP_X86_OPTION = "--dump-x86";

    /**
     * The default {@code kpc.Budget}, in steps per call, where each loop iteration, each goto and
     * each call is one step.
     *
     * <p>examples/boxblur.kpc takes 44 steps per pixel (it faults on the 512x512 astronaut with
     * a budget of 11,400,000 and completes with 11,600,000), so a 4096x4096 image needs about
     * 738 million steps, 2.7 times less than this default. An endless loop used the budget up in
     * a call of 4.4 to 5.0 s in the jit tier, measured with --stats on a 2-core AMD EPYC VM with a
     * load average of 4. The interp tier is several times slower.
     */
    static final long DEFAULT_BUDGET = 2_000_000_000L;

    /** The figures behind {@link #DEFAULT_BUDGET}, for the help text. */
    static final String DEFAULT_BUDGET_REASON = "This is 2.7 times the steps of a 3x3 box blur of a 4096x4096 image"
                    + " (examples/boxblur.kpc); an endless loop uses it up within seconds in the jit tier."
                    + " --budget and --kpc.Budget set the same option, and the last one given wins.";

    static final String DEFAULT_FUNCTION = "transcode";

    /** The language option that --tier sets. */
    static final String LANGUAGE_TIER_OPTION = "--kpc.Tier";
    /** The language option that --emulated-code sets. */
    static final String LANGUAGE_EMULATED_CODE_OPTION = "--kpc.EmulatedCode";
    /** The language option that --auto-threshold sets. */
    static final String LANGUAGE_AUTO_THRESHOLD_OPTION = "--kpc.AutoThreshold";
    /** The language options that select or tune the tier. */
    private static final List<String> TIER_LANGUAGE_OPTIONS = List.of(LANGUAGE_TIER_OPTION, LANGUAGE_EMULATED_CODE_OPTION,
                    LANGUAGE_AUTO_THRESHOLD_OPTION);

    private static final Pattern C_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The kpc commands. */
    enum Command {
        /** {@code kpc FILE.kpc [ARGS...]}: call main. */
        RUN,
        /** {@code kpc image ...}: call a transcode function on an image. */
        IMAGE,
        /** {@code kpc serve ...}: serve files and transcode images through plugins over HTTP. */
        SERVE,
        /** {@code kpc headers}: print {@code <kernel.h>} as plugins of the kpc command see it. */
        HEADERS,
        /** {@code kpc --dump-x86 FILE.kpc [--function NAME]}: print the plugin's x86-64 machine code. */
        DUMP_X86
    }

    Command command = Command.RUN;
    Tier tier = Tier.JIT;
    boolean stats;
    boolean versionRequested;

    /** The plugin source file; null until parsed. */
    Path plugin;
    /** The text of the plugin argument as given, used as argv[0]. */
    String pluginArgument;
    /** The arguments after FILE.kpc, passed to main as argv[1..]. */
    final List<String> programArguments = new ArrayList<>();

    Path inputImage;
    Path outputImage;
    String function = DEFAULT_FUNCTION;
    /** Whether --function was given, which --dump-x86 needs to know. */
    boolean functionGiven;
    /** Whether --tier was given, which --dump-x86 rejects unless it is native or emulated. */
    boolean tierGiven;
    /** The value of --emulated-code, which only --tier=emulated takes; null when not given. */
    String emulatedCode;
    /** The value of --auto-threshold in steps, which only --tier=auto takes; null when not given. */
    Long autoThreshold;
    /**
     * The values of the language options --kpc.Tier, --kpc.EmulatedCode and --kpc.AutoThreshold
     * by option name, as given. launcher-common passes them to the context; kpc reads them to
     * know the tier that runs and to reject a setting given in both spellings.
     */
    final Map<String, String> tierLanguageOptions = new LinkedHashMap<>();
    int repeat = 1;

    /** The folder whose files {@code kpc serve} serves; null until parsed. */
    Path root;
    /** The folder of the plugins {@code kpc serve} loads at start; null until parsed. */
    Path pluginsDirectory;
    /** The port of {@code kpc serve}; null for the default. */
    Integer port;
    /** The address {@code kpc serve} binds; null for the default. */
    String bindAddress;
    /** The plugin management token of {@code kpc serve}; null when not given on the command line. */
    String token;
    /** The numeric limits of {@code kpc serve} given on the command line, by option name. */
    final Map<String, Long> serveLimits = new LinkedHashMap<>();

    /**
     * Parses {@code arguments}, storing kpc options in this object and the budget and tier in
     * {@code polyglotOptions}. Returns the arguments that kpc does not define, in order.
     *
     * @throws InvalidInputException for an invalid value or a misplaced option
     */
    List<String> parse(List<String> arguments, Map<String, String> polyglotOptions) {
        List<String> unrecognized = new ArrayList<>();
        boolean budgetGiven = false;

        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);

            if (!argument.startsWith("-")) {
                if (command == Command.RUN && plugin == null && argument.equals(IMAGE_COMMAND) && i == firstPositional(arguments)) {
                    command = Command.IMAGE;
                    continue;
                }
                if (command == Command.RUN && plugin == null && argument.equals(SERVE_COMMAND) && i == firstPositional(arguments)) {
                    command = Command.SERVE;
                    continue;
                }
                if (command == Command.RUN && plugin == null && argument.equals(HEADERS_COMMAND)
                                && i == firstPositional(arguments)) {
                    command = Command.HEADERS;
                    continue;
                }
                if (command == Command.HEADERS) {
                    throw new InvalidInputException("unexpected argument '" + argument + "' for 'kpc headers', which takes none");
                }
                if (command == Command.IMAGE) {
                    throw new InvalidInputException("unexpected argument '" + argument + "' for 'kpc image'"
                                    + afterUnknownOption(arguments, i) + "; give the files with --plugin, --in and --out");
                }
                if (command == Command.SERVE) {
                    throw new InvalidInputException("unexpected argument '" + argument + "' for 'kpc serve'"
                                    + afterUnknownOption(arguments, i) + "; give the folders with --root and --plugins");
                }
                if (command == Command.DUMP_X86) {
                    if (plugin == null) {
                        pluginArgument = argument;
                        plugin = Path.of(argument);
                        continue;
                    }
                    throw new InvalidInputException("unexpected argument '" + argument + "' for --dump-x86, which takes one plugin"
                                    + " file; usage: kpc --dump-x86 FILE.kpc [--function NAME]");
                }
                pluginArgument = argument;
                plugin = Path.of(argument);
                programArguments.addAll(arguments.subList(i + 1, arguments.size()));
                break;
            }

            int equals = argument.indexOf('=');
            String name = equals < 0 ? argument : argument.substring(0, equals);
            String inlineValue = equals < 0 ? null : argument.substring(equals + 1);

            if (inlineValue == null && name.startsWith("--kpc.") && name.length() > "--kpc.".length()) {
                // Every kpc language option takes a value, and launcher-common would read the
                // option alone as the value true and the next argument as something else.
                throw new InvalidInputException("option " + name + " needs its value after '=': write " + name + "=VALUE");
            }
            if (name.equals("--kpc.Budget")) {
                // Parsed here rather than by the polyglot launcher, so that --budget and
                // --kpc.Budget override each other in the order they are given.
                polyglotOptions.put("kpc.Budget", Long.toString(parseBudget(name, inlineValue)));
                budgetGiven = true;
                continue;
            }
            if (TIER_LANGUAGE_OPTIONS.contains(name)) {
                // launcher-common checks these values and --experimental-options, so the argument
                // goes on to it unchanged.
                tierLanguageOptions.put(name, inlineValue.strip());
                unrecognized.add(argument);
                continue;
            }
            if (!takesValue(name)) {
                switch (name) {
                    case "--stats" -> stats = true;
                    case "--version" -> versionRequested = true;
                    default -> unrecognized.add(argument);
                }
                if (inlineValue != null && (name.equals("--stats") || name.equals("--version"))) {
                    throw new InvalidInputException("option " + name + " takes no value");
                }
                continue;
            }

            if (name.equals(DUMP_X86_OPTION) && inlineValue == null
                            && (i + 1 >= arguments.size() || arguments.get(i + 1).startsWith("-"))) {
                // --dump-x86 followed by options: the plugin file comes later, as the first positional argument.
                startDump();
                continue;
            }
            String value = inlineValue;
            if (value == null) {
                if (i + 1 >= arguments.size()) {
                    throw new InvalidInputException("missing value for " + name);
                }
                value = arguments.get(++i);
            }
            if (name.equals("--function")) {
                // Checked after parsing, because --dump-x86 also takes --function and may come later.
                function = parseFunctionName(value);
                functionGiven = true;
                continue;
            }
            if (isImageOption(name) && command != Command.IMAGE) {
                throw new InvalidInputException("option " + name + " belongs to 'kpc image'; write it after the word image");
            }
            if (isServeOption(name) && command != Command.SERVE) {
                throw new InvalidInputException("option " + name + " belongs to 'kpc serve'; write it after the word serve");
            }
            if (SERVE_LIMITS.contains(name)) {
                serveLimits.put(name, parsePositiveLong(name, value));
                continue;
            }

            switch (name) {
                case "--tier" -> {
                    tier = Tier.parse(value);
                    tierGiven = true;
                }
                case "--emulated-code" -> emulatedCode = parseEmulatedCode(name, value);
                case "--auto-threshold" -> autoThreshold = parsePositiveLong(name, value);
                case DUMP_X86_OPTION -> {
                    startDump();
                    pluginArgument = value;
                    plugin = Path.of(value);
                }
                case "--budget" -> {
                    polyglotOptions.put("kpc.Budget", Long.toString(parseBudget(name, value)));
                    budgetGiven = true;
                }
                case "--plugin" -> {
                    pluginArgument = value;
                    plugin = Path.of(value);
                }
                case "--in" -> inputImage = Path.of(value);
                case "--out" -> outputImage = Path.of(value);
                case "--repeat" -> repeat = (int) Math.min(Integer.MAX_VALUE, parsePositiveLong(name, value));
                case "--root" -> root = Path.of(value);
                case "--plugins" -> pluginsDirectory = Path.of(value);
                case "--port" -> port = parsePort(value);
                case "--bind" -> bindAddress = value;
                case "--token" -> token = value;
                default -> throw new IllegalStateException("option without a case: " + name);
            }
        }

        if (functionGiven && command != Command.IMAGE && command != Command.DUMP_X86) {
            throw new InvalidInputException("option --function belongs to 'kpc image' and --dump-x86; write it after the word"
                            + " image or with --dump-x86");
        }
        rejectBothSpellings();
        String languageTier = tierLanguageOptions.get(LANGUAGE_TIER_OPTION);
        if (languageTier != null) {
            tier = Tier.parseLanguageOption(languageTier);
        }
        boolean tierSelected = tierGiven || languageTier != null;
        if (command == Command.DUMP_X86) {
            if (plugin == null) {
                throw new InvalidInputException("missing plugin file for --dump-x86; usage: kpc --dump-x86 FILE.kpc [--function NAME]");
            }
            if (stats) {
                throw new InvalidInputException("option --stats does not apply to --dump-x86, which runs nothing; drop it");
            }
            if (tierSelected && tier != Tier.NATIVE && tier != Tier.EMULATED) {
                throw new InvalidInputException("--dump-x86 prints the machine code of the native or emulated tier, so "
                                + tierOption() + " does not apply; drop it or give --tier=native or --tier=emulated");
            }
            if (!tierSelected) {
                tier = Tier.NATIVE;
            }
            polyglotOptions.put("kpc.DumpX86", functionGiven ? function : "*");
        }
        requireTier("--emulated-code", emulatedCode != null, Tier.EMULATED);
        requireLanguageOptionTier(LANGUAGE_EMULATED_CODE_OPTION, Tier.EMULATED);
        requireTier("--auto-threshold", autoThreshold != null, Tier.AUTO);
        requireLanguageOptionTier(LANGUAGE_AUTO_THRESHOLD_OPTION, Tier.AUTO);
        if (emulatedCode != null) {
            polyglotOptions.put("kpc.EmulatedCode", emulatedCode);
        }
        if (autoThreshold != null) {
            polyglotOptions.put("kpc.AutoThreshold", Long.toString(autoThreshold));
        }
        if (languageTier == null) {
            tier.addEngineOptions(polyglotOptions);
        }
        if (!budgetGiven) {
            long budget = command == Command.SERVE ? ServerOptions.DEFAULT_BUDGET : DEFAULT_BUDGET;
            polyglotOptions.put("kpc.Budget", Long.toString(budget));
        }
        return unrecognized;
    }

    /**
     * Rejects a tier setting given both as a kpc option and as the language option it sets, such
     * as --tier and --kpc.Tier. Either spelling alone is clear, and both at once leave the reader
     * to guess which one runs.
     */
    private void rejectBothSpellings() {
        rejectBothSpellings("--tier", tierGiven ? tier.optionValue() : null, LANGUAGE_TIER_OPTION, "the execution tier");
        rejectBothSpellings("--emulated-code", emulatedCode, LANGUAGE_EMULATED_CODE_OPTION, "the checks of the emulated tier");
        rejectBothSpellings("--auto-threshold", autoThreshold == null ? null : autoThreshold.toString(),
                        LANGUAGE_AUTO_THRESHOLD_OPTION, "the threshold of the auto tier");
    }

    private void rejectBothSpellings(String kpcOption, String kpcValue, String languageOption, String setting) {
        String languageValue = tierLanguageOptions.get(languageOption);
        if (kpcValue != null && languageValue != null) {
            // An invalid value gets its own error first, as it would with one spelling.
            kpcSpelling(languageOption, languageValue);
            throw new InvalidInputException("options " + kpcOption + "=" + kpcValue + " and " + languageOption + "="
                            + languageValue + " both set " + setting + "; give only one of them");
        }
    }

    /**
     * Rejects the tier language options unless {@code unrecognized}, the arguments that
     * {@link #parse} returned, admits them with --experimental-options. launcher-common would
     * reject them too, but with a message that does not name the kpc options, which need no flag.
     * As in launcher-common, the last --experimental-options decides.
     */
    void requireExperimentalOptions(List<String> unrecognized) {
        if (tierLanguageOptions.isEmpty()) {
            return;
        }
        String last = null;
        for (String argument : unrecognized) {
            if (argument.equals("--experimental-options") || argument.startsWith("--experimental-options=")) {
                last = argument;
            }
        }
        if (last != null && !last.equals("--experimental-options=false")) {
            // --experimental-options and =true admit them; launcher-common rejects any other value.
            return;
        }
        List<String> languageOptions = new ArrayList<>();
        List<String> replacements = new ArrayList<>();
        for (Map.Entry<String, String> option : tierLanguageOptions.entrySet()) {
            languageOptions.add(option.getKey() + "=" + option.getValue());
            replacements.add(kpcSpelling(option.getKey(), option.getValue()));
        }
        int count = languageOptions.size();
        String subject = count == 1 ? "option " + languageOptions.get(0) + " is an experimental language option"
                        : "options " + String.join(", ", languageOptions.subList(0, count - 1)) + " and "
                                        + languageOptions.getLast() + " are experimental language options";
        String admit = last == null ? "add --experimental-options" : "replace " + last + " with --experimental-options";
        throw new InvalidInputException(subject + "; give " + String.join(" ", replacements) + ", or " + admit);
    }

    /**
     * Returns the kpc option that sets the tier language option {@code languageOption} to
     * {@code value}, such as --tier=jit for --kpc.Tier=truffle, or raises the error that the value
     * is invalid.
     */
    private static String kpcSpelling(String languageOption, String value) {
        return switch (languageOption) {
            case LANGUAGE_TIER_OPTION -> "--tier=" + Tier.parseLanguageOption(value).optionValue();
            case LANGUAGE_EMULATED_CODE_OPTION -> "--emulated-code=" + parseEmulatedCode(languageOption, value);
            case LANGUAGE_AUTO_THRESHOLD_OPTION -> "--auto-threshold=" + parseLanguageThreshold(value);
            default -> throw new IllegalStateException("tier language option without a kpc spelling: " + languageOption);
        };
    }

    /**
     * Parses a --kpc.AutoThreshold value as the language does, which also takes a sign and any
     * Unicode digits (Long.parseLong), and raises the error for what it rejects.
     */
    private static long parseLanguageThreshold(String value) {
        long threshold;
        try {
            threshold = Long.parseLong(value);
        } catch (NumberFormatException e) {
            threshold = 0;
        }
        if (threshold <= 0) {
            return parsePositiveLong(LANGUAGE_AUTO_THRESHOLD_OPTION, value);
        }
        return threshold;
    }

    /**
     * Rejects the language option {@code languageOption}, if it was given, unless the tier is
     * {@code required}. The message names the kpc option with the same value, which needs no
     * --experimental-options.
     */
    private void requireLanguageOptionTier(String languageOption, Tier required) {
        String value = tierLanguageOptions.get(languageOption);
        if (value != null && tier != required) {
            // kpcSpelling also raises the error of an invalid value, which comes before this one.
            String fix = kpcSpelling(languageOption, value);
            String languageTier = tierLanguageOptions.get(LANGUAGE_TIER_OPTION);
            if (languageTier != null) {
                // --tier would now be rejected next to --kpc.Tier, so the fix changes --kpc.Tier.
                throw new InvalidInputException("option " + languageOption + "=" + value + " applies to "
                                + LANGUAGE_TIER_OPTION + "=" + required.optionValue() + " only, and " + LANGUAGE_TIER_OPTION
                                + "=" + languageTier + " was given; give " + LANGUAGE_TIER_OPTION + "=" + required.optionValue()
                                + " or drop " + languageOption);
            }
            throw new InvalidInputException("option " + languageOption + "=" + value + " applies to --tier="
                            + required.optionValue() + " only, and the tier is " + tier.optionValue() + "; give --tier="
                            + required.optionValue() + " " + fix + " or drop " + languageOption);
        }
    }

    /** Rejects {@code option}, if it was given, unless the tier is {@code required}: the other tiers do not read it. */
    private void requireTier(String option, boolean given, Tier required) {
        if (given && tier != required) {
            throw new InvalidInputException("option " + option + " applies to --tier=" + required.optionValue()
                            + " only, and the tier is " + tier.optionValue() + "; give --tier=" + required.optionValue()
                            + " or drop " + option);
        }
    }

    /** Returns the option that selected the tier as given, such as --tier=auto or --kpc.Tier=native. */
    String tierOption() {
        String languageTier = tierLanguageOptions.get(LANGUAGE_TIER_OPTION);
        return languageTier != null ? LANGUAGE_TIER_OPTION + "=" + languageTier : "--tier=" + tier.optionValue();
    }

    /** Returns the checks of the emulated tier's code that run: hardware or checked. */
    String emulatedCodeInEffect() {
        if (emulatedCode != null) {
            return emulatedCode;
        }
        return tierLanguageOptions.getOrDefault(LANGUAGE_EMULATED_CODE_OPTION, KpcLanguage.HARDWARE_CHECKS);
    }

    /** Switches to the --dump-x86 command, which no other command or plugin file may precede. */
    private void startDump() {
        if (command != Command.RUN || plugin != null) {
            throw new InvalidInputException("option --dump-x86 takes the plugin file and cannot be combined with"
                            + " another command or file; usage: kpc --dump-x86 FILE.kpc [--function NAME]");
        }
        command = Command.DUMP_X86;
    }

    /**
     * Checks that the options the command needs are present. Runs after --help and --version
     * have had their chance, so {@code kpc --help} works without a file.
     */
    void validate() {
        if (command == Command.RUN && plugin == null) {
            throw new InvalidInputException("missing plugin file; usage: kpc [OPTIONS] FILE.kpc [ARGS...] (see kpc --help)");
        }
        if (command == Command.IMAGE) {
            requireOption(plugin, "--plugin FILE.kpc", IMAGE_COMMAND);
            requireOption(inputImage, "--in IMAGE", IMAGE_COMMAND);
            requireOption(outputImage, "--out IMAGE", IMAGE_COMMAND);
        }
        if (command == Command.SERVE) {
            requireOption(root, "--root DIR", SERVE_COMMAND);
            requireOption(pluginsDirectory, "--plugins DIR", SERVE_COMMAND);
        }
    }

    private static void requireOption(Object value, String option, String commandName) {
        if (value == null) {
            throw new InvalidInputException("missing option " + option + " for 'kpc " + commandName + "' (see kpc --help)");
        }
    }

    private static int firstPositional(List<String> arguments) {
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (!argument.startsWith("-")) {
                return i;
            }
            if (argument.indexOf('=') < 0 && takesValue(argument)) {
                i++;
            }
        }
        return -1;
    }

    /** Returns whether {@code name} is a kpc option with a value (given as {@code --x=v} or {@code --x v}). */
    static boolean takesValue(String name) {
        return switch (name) {
            case "--tier", "--emulated-code", "--auto-threshold", "--budget", "--plugin", "--in", "--out", "--function",
                            "--repeat", DUMP_X86_OPTION -> true;
            default -> isServeOption(name);
        };
    }

    /** The numeric options of {@code kpc serve}, each a positive integer in the unit its name ends with. */
    static final List<String> SERVE_LIMITS = List.of("--workers", "--max-upload-bytes", "--max-request-bytes", "--max-nesting",
                    "--max-side", "--max-pixels", "--compile-timeout-ms", "--call-timeout-ms", "--fault-limit",
                    "--max-queued-calls", "--max-plugins", "--max-plugin-memory-bytes", "--retained-buffer-bytes",
                    "--client-timeout-s", "--shutdown-grace-s");

    private static boolean isServeOption(String name) {
        return switch (name) {
            case "--root", "--plugins", "--port", "--bind", "--token" -> true;
            default -> SERVE_LIMITS.contains(name);
        };
    }

    /**
     * Names the option before {@code arguments[index]} when kpc does not define it, because the
     * value of an unknown option such as {@code --bogus 1} otherwise reads as a stray argument.
     */
    private static String afterUnknownOption(List<String> arguments, int index) {
        if (index == 0) {
            return "";
        }
        String previous = arguments.get(index - 1);
        if (!previous.startsWith("--") || previous.contains("=") || takesValue(previous) || previous.equals("--stats")
                        || previous.equals("--version")) {
            return "";
        }
        return " (after " + previous + ", which is not a kpc option: see kpc --help)";
    }

    private static int parsePort(String value) {
        if (value.matches("[0-9]{1,5}") && Integer.parseInt(value) <= 65535) {
            return Integer.parseInt(value);
        }
        throw new InvalidInputException("invalid value '" + value + "' for --port: expected 0 (any free port) to 65535");
    }

    private static boolean isImageOption(String name) {
        return switch (name) {
            case "--plugin", "--in", "--out", "--function", "--repeat" -> true;
            default -> false;
        };
    }

    private static long parsePositiveLong(String option, String value) {
        long parsed = parseWholeNumber(option, value, "a positive integer");
        if (parsed == 0) {
            throw new InvalidInputException("invalid value '" + value + "' for " + option + ": expected a positive integer");
        }
        return parsed;
    }

    /**
     * Parses the steps per call of --budget, a positive integer, or of --kpc.Budget, which also
     * takes 0 for no limit.
     */
    private static long parseBudget(String option, String value) {
        boolean zeroAllowed = option.equals("--kpc.Budget");
        long steps = parseWholeNumber(option, value, zeroAllowed ? "0 (no limit) or a positive integer" : "a positive integer");
        if (steps == 0 && !zeroAllowed) {
            throw new InvalidInputException("invalid value '" + value + "' for " + option + ": expected a positive integer;"
                            + " --kpc.Budget=0 removes the limit");
        }
        return steps;
    }

    /**
     * Parses decimal digits as a number from 0 to {@link Long#MAX_VALUE}. The error names
     * {@code expected}, and the maximum when the digits exceed it.
     */
    private static long parseWholeNumber(String option, String value, String expected) {
        if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidInputException("invalid value '" + value + "' for " + option + ": expected " + expected);
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("invalid value '" + value + "' for " + option + ": expected " + expected
                            + " of at most " + Long.MAX_VALUE);
        }
    }

    private static String parseEmulatedCode(String option, String value) {
        if (!value.equals("hardware") && !value.equals("checked")) {
            throw new InvalidInputException("invalid value '" + value + "' for " + option + ": expected hardware or checked");
        }
        return value;
    }

    private static String parseFunctionName(String value) {
        if (!C_IDENTIFIER.matcher(value).matches()) {
            throw new InvalidInputException("invalid value '" + value + "' for --function: expected a C identifier");
        }
        return value;
    }
}
