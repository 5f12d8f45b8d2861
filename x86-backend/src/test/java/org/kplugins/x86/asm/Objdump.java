// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs GNU objdump on raw x86-64 code and parses its Intel-syntax listing. objdump is the
 * independent decoder the encoder tests check against, so a missing objdump fails the tests.
 */
public final class Objdump {

    /**
     * One decoded instruction.
     *
     * @param offset  offset of its first byte
     * @param text    mnemonic and operands with runs of spaces collapsed, for example {@code add rax,rbx}
     * @param comment the target objdump computes after {@code #} (RIP-relative operands), or null
     */
    public record Instruction(int offset, String text, String comment) {
    }

    private static final Pattern LINE = Pattern.compile("^\\s*([0-9a-f]+):\\t(.*)$");

    private Objdump() {
    }

    public static List<Instruction> disassemble(byte[] code) {
        Path objdump = locate(System.getenv("PATH"));
        try {
            Path file = Files.createTempFile("x86-encoder-test", ".bin");
            try {
                Files.write(file, code);
                // -z keeps runs of zero bytes (00 00 is add [rax], al), -w keeps each instruction on one line.
                Process process = new ProcessBuilder(objdump.toString(), "-D", "-z", "-w", "--no-show-raw-insn", "-b",
                                "binary", "-m", "i386:x86-64", "-M", "intel", file.toString()).redirectErrorStream(true).start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                int status = process.waitFor();
                if (status != 0) {
                    fail("objdump exited with status " + status + ":\n" + output);
                }
                return parse(output);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new IllegalStateException("running " + objdump + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for objdump", e);
        }
    }

    private static List<Instruction> parse(String output) {
        List<Instruction> instructions = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher matcher = LINE.matcher(line);
            if (!matcher.matches()) {
                continue;
            }
            String text = matcher.group(2);
            String comment = null;
            int hash = text.indexOf('#');
            if (hash >= 0) {
                comment = text.substring(hash + 1).trim();
                text = text.substring(0, hash);
            }
            instructions.add(new Instruction(Integer.parseInt(matcher.group(1), 16), text.trim().replaceAll("\\s+", " "),
                            comment));
        }
        return instructions;
    }

    /** Returns the objdump executable in the first directory of {@code searchPath} that has one, and fails the test otherwise. */
    static Path locate(String searchPath) {
        if (searchPath != null) {
            for (String directory : searchPath.split(File.pathSeparator)) {
                Path candidate = Path.of(directory.isEmpty() ? "." : directory, "objdump");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return fail("objdump not found on PATH; the x86 encoder tests check the machine code with GNU objdump, "
                        + "so install GNU binutils (Debian/Ubuntu: apt-get install binutils) and run the tests again");
    }
}
