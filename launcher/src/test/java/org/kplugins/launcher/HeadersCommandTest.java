// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code kpc headers}. */
class HeadersCommandTest {

    @Test
    void printsKernelHeaderAndHook() {
        KpcRun run = KpcRun.of("headers");

        assertEquals(0, run.status(), run::toString);
        assertTrue(run.out().startsWith("#ifndef __KPC_KERNEL_H\n"), run::toString);
        for (String declaration : new String[]{"int printk(const char *fmt, ...);", "void *kp_alloc(size_t size);",
                        "void kp_free(void *ptr);",
                        "/* int transcode(const uint8_t *in, uint8_t *out, uint32_t width, uint32_t height); */"}) {
            assertTrue(run.out().contains(declaration), () -> "header lacks " + declaration + ":\n" + run.out());
        }
        assertEquals("", run.err());
    }

    @Test
    void rejectsArguments() {
        KpcRun run = KpcRun.of("headers", "extra");

        assertEquals(1, run.status(), run::toString);
        assertEquals("kpc: unexpected argument 'extra' for 'kpc headers', which takes none\n", run.err());
    }
}
