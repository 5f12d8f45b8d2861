// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares {@link X86Decoder} with objdump, instruction by instruction: the decoded length must be
 * the length objdump found, and {@link X86Decoder#format} must print objdump's text after
 * {@link #canonical} has removed the spelling differences listed there.
 */
final class ObjdumpComparison {

    private static final Pattern SHIFT_BY_ONE = Pattern.compile("^((?:[a-z]+ )?(?:shl|shr|sar|rol|ror|rcl|rcr) .*),1$");
    private static final Pattern MOVABS = Pattern.compile("^movabs ([a-z0-9]+),0x([0-9a-f]+)$");

    private ObjdumpComparison() {
    }

    /**
     * Assembles {@code lines} with GNU as, one instruction per line, and fails with every
     * instruction (up to 60) whose decoded length or text differs from objdump's.
     */
    static void assertDecodesLikeObjdump(List<String> lines) {
        GnuBinutils.Listing listing = GnuBinutils.assemble(lines);
        assertEquals(lines.size(), listing.instructions().size(),
                        "objdump should list one instruction per assembled line");
        List<String> mismatches = mismatches(listing, lines, ObjdumpComparison::canonical);
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " of " + lines.size() + " instructions decode differently from objdump:\n"
                            + String.join("\n", mismatches.subList(0, Math.min(60, mismatches.size()))));
        }
    }

    /**
     * Returns a line for each instruction of {@code listing} that decodes differently from
     * objdump. {@code sources} are the assembly lines, one per instruction, or null, and
     * {@code canonical} rewrites objdump's text before the comparison.
     */
    static List<String> mismatches(GnuBinutils.Listing listing, List<String> sources, UnaryOperator<String> canonical) {
        List<String> mismatches = new ArrayList<>();
        byte[] code = listing.code();
        for (int i = 0; i < listing.instructions().size(); i++) {
            GnuBinutils.Listed expected = listing.instructions().get(i);
            Instruction decoded = X86Decoder.decode(code, expected.offset());
            String where = String.format("%5x %-30s", expected.offset(), hex(code, expected.offset(), expected.length()))
                            + (sources == null ? "" : " (" + sources.get(i) + ")");
            String want = canonical.apply(expected.text());
            String got = X86Decoder.format(decoded);
            if (decoded.length() != expected.length()) {
                mismatches.add(where + ": length " + decoded.length() + ", objdump " + expected.length() + "; decoded '"
                                + got + "', objdump '" + want + "'");
            } else if (!got.equals(want)) {
                mismatches.add(where + ": decoded '" + got + "', objdump '" + want + "'");
            } else if (expected.comment() != null && ripTarget(decoded) != null
                            && !expected.comment().equals(ripTarget(decoded))) {
                mismatches.add(where + ": RIP-relative address " + ripTarget(decoded) + ", objdump " + expected.comment());
            }
        }
        return mismatches;
    }

    /**
     * Rewrites objdump's text where {@link X86Decoder#format} spells the same instruction
     * differently because {@link Instruction} does not keep the encoding:
     * <ul>
     * <li>the by-one shifts (D0, D1) print their count as {@code 1}, and the formatter prints
     * {@code 0x1} as for the C0 and C1 forms;
     * <li>objdump calls every REX.W B8+r mov {@code movabs}, and the formatter only those whose value
     * needs more than a sign-extended 32-bit immediate;
     * <li>objdump calls a DS override on an indirect jmp or call {@code notrack} (the CET prefix),
     * and the formatter prints {@code ds} as for other instructions.
     * </ul>
     */
    static String canonical(String text) {
        String result = text.trim().replaceAll("\\s+", " ");
        if (result.startsWith("notrack ")) {
            result = "ds " + result.substring("notrack ".length());
        }
        Matcher shift = SHIFT_BY_ONE.matcher(result);
        if (shift.matches()) {
            result = shift.group(1) + ",0x1";
        }
        Matcher movabs = MOVABS.matcher(result);
        if (movabs.matches()) {
            long value = Long.parseUnsignedLong(movabs.group(2), 16);
            if (value == (int) value) {
                result = "mov " + movabs.group(1) + ",0x" + movabs.group(2);
            }
        }
        return result;
    }

    /** Returns the address objdump prints as a comment for the RIP-relative operand of {@code instruction}, or null. */
    private static String ripTarget(Instruction instruction) {
        for (Operand operand : instruction.operands()) {
            if (operand instanceof Operand.Mem memory && memory.base() == Operand.RIP) {
                return "0x" + Long.toHexString(instruction.next() + memory.displacement());
            }
        }
        return null;
    }

    static String hex(byte[] code, int start, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = start; i < start + length && i < code.length; i++) {
            if (i > start) {
                text.append(' ');
            }
            text.append(String.format("%02x", code[i] & 0xFF));
        }
        return text.toString();
    }
}
