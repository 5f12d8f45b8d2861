// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.kplugins.x86.asm.Objdump;
import org.kplugins.x86.testing.Corpus;
import org.kplugins.x86.testing.TestCompiler;

/**
 * The emitter's listing against GNU objdump: for every plugin of the corpus that compiles, each
 * recorded instruction must start where objdump finds one and read as objdump prints it. objdump
 * decodes the bytes independently, so this checks the bytes, the recorded lengths and the
 * {@code --dump-x86} text at once.
 */
class ListingObjdumpTest {

    private static TestCompiler compiler;

    @BeforeAll
    static void openCompiler() {
        compiler = new TestCompiler();
    }

    @AfterAll
    static void closeCompiler() {
        compiler.close();
    }

    @TestFactory
    Stream<DynamicTest> corpusListingMatchesObjdump() throws IOException {
        return Corpus.compilingPlugins().stream().map(plugin -> DynamicTest.dynamicTest(Corpus.testName(plugin), () -> {
            Listing listing = compiler.compile(plugin).code().listing();
            Map<Integer, Objdump.Instruction> decoded = new HashMap<>();
            for (Objdump.Instruction instruction : Objdump.disassemble(listing.code())) {
                decoded.put(instruction.offset(), instruction);
            }
            for (Listing.Entry entry : listing.entries()) {
                Objdump.Instruction instruction = decoded.get(entry.offset());
                assertNotNull(instruction, () -> "objdump finds no instruction at 0x" + Integer.toHexString(entry.offset())
                                + ", where the listing has " + entry.text());
                assertEquals(instruction.text(), entry.text(), "instruction at 0x" + Integer.toHexString(entry.offset()));
            }
        }));
    }
}
