// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs GNU {@code as} and {@code objdump} in a temporary directory: assembles Intel-syntax lines
 * and lists every instruction with its bytes and objdump's text. objdump is the independent
 * decoder the decoder tests compare against, so a missing tool fails the test.
 */
final class GnuBinutils {

    /**
     * One instruction of objdump's listing.
     *
     * @param offset  offset of its first byte in the code
     * @param length  its length in bytes
     * @param text    mnemonic and operands with runs of whitespace collapsed to one space
     * @param comment what objdump prints after {@code #} (the target of a RIP-relative operand), or null
     */
    record Listed(int offset, int length, String text, String comment) {
    }

    /** Machine code and objdump's listing of it. */
    record Listing(byte[] code, List<Listed> instructions) {
    }

    /**
     * The {@code .text} bytes of an assembled program and the code offset of each label in it.
     *
     * @param code   the section's bytes, from offset 0
     * @param labels every label the program defines, by name
     */
    record Program(byte[] code, Map<String, Integer> labels) {

        /** Returns the code offset of {@code label}, and fails the test when the program does not define it. */
        int offset(String label) {
            Integer offset = labels.get(label);
            if (offset == null) {
                return fail("the assembled program defines no label '" + label + "'");
            }
            return offset;
        }
    }

    /** {@code nm} output line: value, type letter and name. */
    private static final Pattern SYMBOL = Pattern.compile("^([0-9a-f]+) ([a-zA-Z]) (\\S+)$");

    /** {@code offset:<TAB>hex bytes<TAB>text}, as {@code objdump -d -w} prints an instruction line. */
    private static final Pattern LINE = Pattern.compile("^\\s*([0-9a-f]+):\\t((?:[0-9a-f]{2} )+)\\s*(?:\\t(.*))?$");

    private GnuBinutils() {
    }

    /** Assembles {@code lines} (Intel syntax without register prefixes) with {@code as --64} and disassembles the result. */
    static Listing assemble(List<String> lines) {
        Path as = locate("as");
        Path objdump = locate("objdump");
        Path directory = null;
        try {
            directory = Files.createTempDirectory("x86-decoder-test");
            Path source = directory.resolve("code.s");
            Path object = directory.resolve("code.o");
            Files.writeString(source, ".intel_syntax noprefix\n.text\n" + String.join("\n", lines) + "\n");
            run(as.toString(), "--64", "-o", object.toString(), source.toString());
            // -z keeps runs of zero bytes, -w keeps each instruction on one line.
            String listing = run(objdump.toString(), "-d", "-z", "-w", "-M", "intel", object.toString());
            return parse(listing);
        } catch (IOException e) {
            throw new IllegalStateException("running GNU binutils failed: " + e.getMessage(), e);
        } finally {
            deleteRecursively(directory);
        }
    }

    /**
     * Assembles a program of Intel-syntax {@code lines} with {@code as --64} and returns its
     * {@code .text} section as {@code objcopy -O binary} writes it, with the offsets of its
     * labels from {@code nm}. The program must need no relocation: jumps and calls go to labels
     * of the same section, which as resolves itself.
     */
    static Program assembleProgram(List<String> lines) {
        Path as = locate("as");
        Path objcopy = locate("objcopy");
        Path nm = locate("nm");
        Path directory = null;
        try {
            directory = Files.createTempDirectory("x86-emulator-test");
            Path source = directory.resolve("program.s");
            Path object = directory.resolve("program.o");
            Path binary = directory.resolve("program.bin");
            Files.writeString(source, ".intel_syntax noprefix\n.text\n" + String.join("\n", lines) + "\n");
            run(as.toString(), "--64", "-o", object.toString(), source.toString());
            String relocations = run(locate("objdump").toString(), "-r", object.toString());
            if (relocations.contains("RELOCATION RECORDS")) {
                fail("the assembled program needs relocations, which the test cannot apply:\n" + firstLines(relocations, 20));
            }
            run(objcopy.toString(), "-O", "binary", "--only-section=.text", object.toString(), binary.toString());
            Map<String, Integer> labels = new TreeMap<>();
            for (String line : run(nm.toString(), "--defined-only", object.toString()).split("\n")) {
                Matcher matcher = SYMBOL.matcher(line.trim());
                if (matcher.matches() && Character.toLowerCase(matcher.group(2).charAt(0)) == 't') {
                    labels.put(matcher.group(3), Integer.parseInt(matcher.group(1), 16));
                }
            }
            return new Program(Files.readAllBytes(binary), labels);
        } catch (IOException e) {
            throw new IllegalStateException("running GNU binutils failed: " + e.getMessage(), e);
        } finally {
            deleteRecursively(directory);
        }
    }

    /**
     * Disassembles raw bytes with {@code objdump -b binary}. Returns the listing with
     * {@code code} as given.
     */
    static Listing disassemble(byte[] code) {
        Path objdump = locate("objdump");
        Path directory = null;
        try {
            directory = Files.createTempDirectory("x86-decoder-test");
            Path file = directory.resolve("code.bin");
            Files.write(file, code);
            String listing = run(objdump.toString(), "-D", "-z", "-w", "-b", "binary", "-m", "i386:x86-64", "-M", "intel",
                            file.toString());
            Listing parsed = parse(listing);
            return new Listing(code, parsed.instructions());
        } catch (IOException e) {
            throw new IllegalStateException("running GNU objdump failed: " + e.getMessage(), e);
        } finally {
            deleteRecursively(directory);
        }
    }

    private static Listing parse(String listing) {
        List<Listed> instructions = new ArrayList<>();
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        for (String line : listing.split("\n")) {
            Matcher matcher = LINE.matcher(line);
            if (!matcher.matches()) {
                continue;
            }
            int offset = Integer.parseInt(matcher.group(1), 16);
            if (offset != code.size()) {
                fail("objdump listed an instruction at offset 0x" + Integer.toHexString(offset) + " after 0x"
                                + Integer.toHexString(code.size()) + " bytes; the listing skipped or repeated bytes:\n"
                                + line);
            }
            String[] bytes = matcher.group(2).trim().split(" ");
            for (String b : bytes) {
                code.write(Integer.parseInt(b, 16));
            }
            String text = matcher.group(3) == null ? "" : matcher.group(3);
            String comment = null;
            int hash = text.indexOf('#');
            if (hash >= 0) {
                comment = text.substring(hash + 1).trim();
                text = text.substring(0, hash);
            }
            instructions.add(new Listed(offset, bytes.length, text.trim().replaceAll("\\s+", " "), comment));
        }
        return new Listing(code.toByteArray(), instructions);
    }

    private static String run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            int status = process.waitFor();
            if (status != 0) {
                fail(String.join(" ", command) + " exited with status " + status + ":\n" + firstLines(output, 40));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + command[0], e);
        }
        return output;
    }

    private static String firstLines(String text, int count) {
        String[] lines = text.split("\n");
        return lines.length <= count ? text : String.join("\n", List.of(lines).subList(0, count)) + "\n...";
    }

    /** Returns {@code tool} in the first directory of PATH that has it, and fails the test otherwise. */
    private static Path locate(String tool) {
        String searchPath = System.getenv("PATH");
        if (searchPath != null) {
            for (String directory : searchPath.split(File.pathSeparator)) {
                Path candidate = Path.of(directory.isEmpty() ? "." : directory, tool);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return fail("GNU " + tool + " not found on PATH; the x86 decoder tests compare the decoder with GNU as and "
                        + "objdump, so install GNU binutils (Debian/Ubuntu: apt-get install binutils) and run the tests again");
    }

    private static void deleteRecursively(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // A leftover temporary file does not affect the test result.
        }
    }
}
