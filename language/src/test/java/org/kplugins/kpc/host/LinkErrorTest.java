// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kplugins.kpc.host.KernelTestSupport.Tier;

/** Every way an import or an export can fail to link, and the message each gives. */
class LinkErrorTest {

    private KernelTestSupport support;
    private Kernel kernel;

    @BeforeEach
    void createKernel() {
        support = new KernelTestSupport(Tier.INTERPRETER);
        kernel = support.kernel;
        kernel.exportFunction("int add(int a, int b)", (memory, args) -> args[0] + args[1]);
        kernel.exportData("const uint8_t table[16]", ByteBuffer.allocate(16), false);
        kernel.exportData("uint32_t counters[4]", ByteBuffer.allocate(16), true);
    }

    @AfterEach
    void closeKernel() {
        support.close();
    }

    private String loadError(String source) {
        return assertThrows(PluginLoadException.class, () -> kernel.load("p", source)).getMessage();
    }

    @Test
    void missingFunction() {
        assertTrue(loadError("int sub(int a, int b);\nint f(void) { return sub(1, 2); }").startsWith(
                        "p.kpc:1:5: error: undefined symbol 'sub': the host exports no such function"));
    }

    @Test
    void functionPrototypeMismatchShowsBoth() {
        assertTrue(loadError("long long add(int a, int b);\nint f(void) { return add(1, 2); }").startsWith(
                        "p.kpc:1:11: error: 'add' is declared as 'long long add(int, int)' but the host exports"
                                        + " 'int add(int, int)'"));
    }

    @Test
    void missingData() {
        assertTrue(loadError("extern int ticks;\nint f(void) { return ticks; }").startsWith(
                        "p.kpc:1:12: error: undefined symbol 'ticks': the host exports no such data symbol"));
    }

    @Test
    void dataTypeMismatchShowsBoth() {
        assertTrue(loadError("#include <stdint.h>\nextern const uint16_t table[8];\nint f(void) { return table[0]; }").contains(
                        "'table' is declared as 'extern const unsigned short table[8]' but the host exports 'extern const"
                                        + " unsigned char table[16]'"));
    }

    @Test
    void readOnlyDataDeclaredWritable() {
        assertTrue(loadError("#include <stdint.h>\nextern uint8_t table[16];\nint f(void) { return table[0]; }").contains(
                        "'table' is exported read-only, so it must be declared const: 'extern const unsigned char table[16]'"));
    }

    @Test
    void functionUsedAsDataAndDataAsFunction() {
        assertTrue(loadError("extern int add;\nint f(void) { return add; }").contains(
                        "undefined symbol 'add': the host exports it as a function, not as data"));
        assertTrue(loadError("int table(void);\nint f(void) { return table(); }").contains(
                        "undefined symbol 'table': the host exports it as data, not as a function"));
    }

    @Test
    void writableWindowMayBeDeclaredConstOrIncomplete() {
        Plugin plugin = kernel.load("p", "#include <stdint.h>\nextern const uint32_t counters[];\nint f(void) { return counters[3]; }");
        assertEquals(0, plugin.call("f").asInt());
    }

    @Test
    void failedLoadLeavesKernelUnchanged() {
        Plugin before = kernel.load("ok", "int f(void) { return 1; }");
        loadError("int f(void) { return missing(); }");
        assertEquals(1, before.call("f").asInt());
        assertEquals(1, kernel.plugins().size());
    }

    @Test
    void invalidExports() {
        IllegalArgumentException syntax = assertThrows(IllegalArgumentException.class,
                        () -> kernel.exportFunction("int broken(int", (memory, args) -> 0));
        assertTrue(syntax.getMessage().startsWith("invalid declaration 'int broken(int': "), syntax.getMessage());
        IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class,
                        () -> kernel.exportFunction("int add(int x, int y)", (memory, args) -> 0));
        assertEquals("symbol 'add' is already exported by test; exports cannot be replaced, so export the new version"
                        + " under another name", duplicate.getMessage());
        IllegalArgumentException builtin = assertThrows(IllegalArgumentException.class,
                        () -> kernel.exportFunction("void *kp_alloc(size_t size)", (memory, args) -> 0));
        assertEquals("symbol 'kp_alloc' is a built-in export of every kernel; choose another name", builtin.getMessage());
        IllegalArgumentException variadic = assertThrows(IllegalArgumentException.class,
                        () -> kernel.exportFunction("int log_all(const char *format, ...)", (memory, args) -> 0));
        assertEquals("invalid prototype 'int log_all(const char *format, ...)': host functions cannot be variadic",
                        variadic.getMessage());
        IllegalArgumentException struct = assertThrows(IllegalArgumentException.class,
                        () -> kernel.exportFunction("struct point { int x; }; int norm(struct point p)",
                                        (memory, args) -> 0));
        assertTrue(struct.getMessage().contains("expected a single declaration on one line"), struct.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                        () -> kernel.exportData("const uint8_t small[8]", ByteBuffer.allocate(16), false));
        assertEquals("invalid data export 'const uint8_t small[8]': the declaration has 8 bytes but the buffer has 16",
                        size.getMessage());
        IllegalArgumentException readOnlyBuffer = assertThrows(IllegalArgumentException.class,
                        () -> kernel.exportData("uint8_t window[16]", ByteBuffer.allocate(16).asReadOnlyBuffer(), true));
        assertTrue(readOnlyBuffer.getMessage().contains("is writable but its buffer is read-only"));
    }

    @Test
    void floatingHostFunctionIsRejected() {
        IllegalArgumentException parameter = assertThrows(IllegalArgumentException.class,
                        () -> kernel.exportFunction("int round_half(double x)", (memory, args) -> 0));
        assertEquals("invalid prototype 'int round_half(double x)': parameter type 'double' is not an integer or a"
                        + " pointer to an integer, void or such a pointer", parameter.getMessage());
        IllegalArgumentException result = assertThrows(IllegalArgumentException.class,
                        () -> kernel.exportFunction("float ratio(int a, int b)", (memory, args) -> 0));
        assertEquals("invalid prototype 'float ratio(int a, int b)': return type 'float' is not void, an integer or a"
                        + " pointer to an integer, void or such a pointer", result.getMessage());
    }

    @Test
    void pluginWithFloatingFunctionsLoads() {
        Plugin plugin = kernel.load("p", "int add(int a, int b);\ndouble scale(float x, int n) { return x * n + add(1, 2); }");
        assertEquals(7.5, plugin.call("scale", 1.5f, 3).asDouble());
    }

    @Test
    void duplicateHook() {
        kernel.declareHook("int transcode(int x)");
        IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class,
                        () -> kernel.declareHook("int transcode(int x)"));
        assertEquals("hook 'transcode' is declared already", duplicate.getMessage());
    }

    @Test
    void exportTextMustBeOneDeclaration() {
        for (String text : new String[]{"int f2(int a)\n#define kp_alloc(n) ((void *) 0)", "int f3(int a); int f4(int b)",
                        "typedef int myint", "static int f7(int a)", "struct zz { int a; } f8(void)", ""}) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                            () -> kernel.exportFunction(text, (memory, args) -> 0), text);
            assertTrue(error.getMessage().contains("expected a single declaration on one line"), error.getMessage());
        }
        IllegalArgumentException initializer = assertThrows(IllegalArgumentException.class,
                        () -> kernel.exportData("int level = 7", ByteBuffer.allocate(4), true));
        assertTrue(initializer.getMessage().contains("expected a single declaration on one line"),
                        initializer.getMessage());
        assertEquals(3, kernel.symbolTable().symbols().size());
    }

    @Test
    void structAndBoolTypesAreRejectedAtExport() {
        IllegalArgumentException struct = assertThrows(IllegalArgumentException.class,
                        () -> kernel.exportFunction("int getx(struct point *p)", (memory, args) -> 0));
        assertEquals("invalid prototype 'int getx(struct point *p)': parameter type 'struct point *' is not an integer"
                        + " or a pointer to an integer, void or such a pointer", struct.getMessage());
        IllegalArgumentException hook = assertThrows(IllegalArgumentException.class,
                        () -> kernel.declareHook("int hk(int (*rows)[4])"));
        assertTrue(hook.getMessage().startsWith("invalid hook prototype 'int hk(int (*rows)[4])': parameter type"),
                        hook.getMessage());
        IllegalArgumentException bool = assertThrows(IllegalArgumentException.class,
                        () -> kernel.exportFunction("bool is_ok(int x)", (memory, args) -> 0));
        assertTrue(bool.getMessage().contains("unknown type name 'bool'"), bool.getMessage());
        kernel.exportFunction("_Bool is_even(int x)", (memory, args) -> args[0] % 2 == 0 ? 1 : 0);
        Plugin plugin = kernel.load("p", "#include <kernel.h>\nint f(void) { return is_even(4) + is_even(3); }");
        assertEquals(1, plugin.call("f").asInt());
    }

    @Test
    void readOnlyWindowMustBeConstAtExport() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                        () -> kernel.exportData("uint8_t lut[16]", ByteBuffer.allocate(16), false));
        assertEquals("invalid data export 'uint8_t lut[16]': a read-only window must be declared const",
                        error.getMessage());
    }

    @Test
    void pluginMapsOnlyWindowsItUses() {
        kernel.exportData("const uint8_t big[67108864]", ByteBuffer.allocateDirect(64 << 20), false);
        PluginLimits small = PluginLimits.DEFAULT.withMemoryLimit(1 << 20).withHeapSize(64 << 10);
        Plugin unused = kernel.load("unused", "#include <kernel.h>\nint f(void) { return 5; }", small);
        assertEquals(5, unused.call("f").asInt());
        PluginLoadException error = assertThrows(PluginLoadException.class,
                        () -> kernel.load("user", "#include <kernel.h>\nint f(void) { return big[0]; }", small));
        assertTrue(error.getMessage().startsWith("plugin 'user' needs a memory limit of at least"), error.getMessage());
    }

    @Test
    void reloadSeesExportsAddedLater() {
        String source = "#include <kernel.h>\n#ifdef KP_VERSION_fast\nint f(void) { return fast(1); }\n#else\n"
                        + "int f(void) { return -1; }\n#endif";
        assertEquals(-1, kernel.load("probe", source).call("f").asInt());
        kernel.exportFunction("int fast(int x)", (memory, args) -> args[0] + 41);
        assertEquals(42, kernel.load("probe", source).call("f").asInt());
    }
}
