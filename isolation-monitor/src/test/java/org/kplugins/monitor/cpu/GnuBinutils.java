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
