// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;
import org.kplugins.kpc.runtime.KpcTestSupport.Run;
import org.kplugins.kpc.runtime.KpcTestSupport.Tier;

/** The C prototype that an exported function shows the host as its display string. */
class FunctionPrototypeTest {

    @Test
    void typedefsResolvedAndTopLevelQualifiersDropped() {
        try (Run run = KpcTestSupport.open(Tier.INTERPRETER)) {
            Value plugin = run.eval("proto.kpc", """
                    #include <kernel.h>
                    int transcode(const uint8_t *const in, uint8_t *out, const uint32_t width, uint32_t height) { return 0; }
                    long long wide(uint64_t a, char b) { return 0; }
                    int main(int argc, char *argv[]) { return 0; }
                    void none(void) { }
                    """);

            assertEquals("int transcode(const unsigned char *, unsigned char *, unsigned int, unsigned int)",
                            plugin.getMember("transcode").toString());
            assertEquals("long long wide(unsigned long long, char)", plugin.getMember("wide").toString());
            assertEquals("int main(int, char **)", plugin.getMember("main").toString());
            assertEquals("void none(void)", plugin.getMember("none").toString());
        }
    }
}
