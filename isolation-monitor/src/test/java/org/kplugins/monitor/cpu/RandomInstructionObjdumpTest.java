// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Compares the decoder with objdump on random bytes: every random byte string that the decoder
 * accepts as an instruction is put in one buffer, which objdump must split at the same places and
 * print as {@link X86Decoder#format} does. This reaches encodings that as never picks, such as
 * unused REX bits, redundant prefixes and non-shortest displacements.
 */
class RandomInstructionObjdumpTest {

    private static final int CANDIDATES = 40_000;

    @Test
    void acceptedRandomInstructionsMatchObjdump() {
        Random random = new Random(0x5EED_0004L);
        ByteArrayOutputStream accepted = new ByteArrayOutputStream();
        int count = 0;
        for (int i = 0; i < CANDIDATES; i++) {
            byte[] candidate = new byte[16];
            for (int j = 0; j < candidate.length; j++) {
                candidate[j] = (byte) (random.nextBoolean() ? DecoderFuzzTest.MEANINGFUL[random.nextInt(
                                DecoderFuzzTest.MEANINGFUL.length)] : random.nextInt(256));
            }
            Instruction decoded = X86Decoder.decode(candidate, 0);
            if (decoded.op() != Op.INVALID && decoded.op() != Op.TRUNCATED) {
                accepted.writeBytes(Arrays.copyOf(candidate, decoded.length()));
                count++;
            }
        }
        assertTrue(count > CANDIDATES / 10, "only " + count + " random candidates decoded");

        GnuBinutils.Listing listing = GnuBinutils.disassemble(accepted.toByteArray());
        List<String> mismatches = ObjdumpComparison.mismatches(listing, null, RandomInstructionObjdumpTest::canonical);
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " of " + count + " random instructions decode differently from objdump:\n"
                            + String.join("\n", mismatches.subList(0, Math.min(60, mismatches.size()))));
        }
    }

    private static final Pattern UNUSED_PREFIX = Pattern.compile("\\b(?:rex(?:\\.[WRXB]+)?|data16) ");
    private static final Pattern ONLY_NO_INDEX = Pattern.compile("(fs:|gs:)?\\[riz\\*\\d([+-])0x([0-9a-f]+)\\]");
    private static final Pattern NO_INDEX = Pattern.compile("\\+riz\\*\\d");
    private static final Pattern ZERO_DISPLACEMENT = Pattern.compile("\\[((?!rbp|r13)[a-z0-9]+(?:\\+[a-z0-9]+\\*\\d)?)\\+0x0\\]");

    /**
     * Rewrites objdump's text for encodings that as never emits, on top of
     * {@link ObjdumpComparison#canonical}:
     * <ul>
     * <li>objdump prints REX bits that the instruction does not use as a {@code rex.WRXB} word
     * before the mnemonic, and a 66 prefix that REX.W overrides or that repeats another as
     * {@code data16}; the decoder ignores both;
     * <li>objdump prints a SIB byte whose index field is 100 (no index) as {@code riz*scale} when
     * the address did not need the SIB byte, and the decoder keeps no index, so an address
     * without a base becomes {@code ds:} and the displacement as a 64-bit number;
     * <li>objdump prints an encoded zero displacement as {@code +0x0}, and the formatter prints it
     * only with an RBP or R13 base or without a base.
     * </ul>
     */
    static String canonical(String text) {
        String result = UNUSED_PREFIX.matcher(text).replaceAll("");
        result = ONLY_NO_INDEX.matcher(result).replaceAll(match -> {
            long displacement = Long.parseLong(match.group(3), 16) * (match.group(2).equals("-") ? -1 : 1);
            String segment = match.group(1) == null ? "ds:" : match.group(1);
            return segment + "0x" + Long.toHexString(displacement);
        });
        result = NO_INDEX.matcher(result).replaceAll("");
        result = ZERO_DISPLACEMENT.matcher(result).replaceAll("[$1]");
        return ObjdumpComparison.canonical(result);
    }
}
