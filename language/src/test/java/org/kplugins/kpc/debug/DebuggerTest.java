// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.truffle.api.RootCallTarget;
import com.oracle.truffle.api.debug.Breakpoint;
import com.oracle.truffle.api.debug.DebugScope;
import com.oracle.truffle.api.debug.DebugStackFrame;
import com.oracle.truffle.api.debug.DebugValue;
import com.oracle.truffle.api.debug.Debugger;
import com.oracle.truffle.api.debug.DebuggerSession;
import com.oracle.truffle.api.debug.SuspendedEvent;
import com.oracle.truffle.api.instrumentation.InstrumentableNode.WrapperNode;
import com.oracle.truffle.api.nodes.NodeUtil;
import com.oracle.truffle.api.nodes.RootNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;
import org.kplugins.kpc.KpcContext;

/**
 * Drives the Truffle debugger over a plugin. A line breakpoint stops on that line, stepping moves
 * to the next statement, and the stack shows the plugin's functions with their lines. The scopes
 * show the C values of parameters, locals in frame slots and in plugin memory, struct members,
 * arrays, pointers and globals.
 */
class DebuggerTest {

    private static final String PLUGIN = """
            #include <stdint.h>
            struct point { int x; int y; };
            int counter = 7;
            unsigned int big = 4000000000u;
            const char *greeting = "hi there";

            static int scale(int v, int factor) {
                int result = v * factor;
                result = result + 1;
                return result;
            }

            int run(int n) {
                struct point p = {3, 4};
                int table[3] = {10, 20, 30};
                int kept = 5;
                int *where = &kept;
                long long wide = -2;
                int total = scale(n, 2);
                {
                    int n = 99;
                    total += n;
                }
                counter += total + *where;
                return total + p.x + table[2] + (int) wide;
            }
            """;

    /** Returns the 1-based number of the first line of {@link #PLUGIN} that contains {@code text}. */
    private static int lineOf(String text) {
        String[] lines = PLUGIN.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(text)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("no line contains " + text);
    }

    /** What the test saw at one stop: the top frame's line and the stack's function names and lines. */
    private record Stop(int line, List<String> functions, List<Integer> lines, Map<String, String> locals,
                    Map<String, String> globals, Map<String, String> callerLocals) {
    }

    private static Map<String, String> display(DebugScope scope) {
        Map<String, String> values = new LinkedHashMap<>();
        for (DebugValue value : scope.getDeclaredValues()) {
            values.put(value.getName(), value.toDisplayString());
        }
        return values;
    }

    private static Stop record(SuspendedEvent event) {
        List<String> functions = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        Map<String, String> callerLocals = null;
        int depth = 0;
        for (DebugStackFrame frame : event.getStackFrames()) {
            functions.add(frame.getName());
            lines.add(frame.getSourceSection() == null ? -1 : frame.getSourceSection().getStartLine());
            if (depth == 1) {
                callerLocals = display(frame.getScope());
            }
            depth++;
        }
        DebugScope scope = event.getTopStackFrame().getScope();
        DebugScope globals = scope.getParent();
        return new Stop(event.getSourceSection().getStartLine(), functions, lines, display(scope),
                        globals == null ? Map.of() : display(globals), callerLocals);
    }

    private static Context newContext() {
        return Context.newBuilder("kpc").allowExperimentalOptions(true)
                        .option("engine.WarnInterpreterOnly", "false").build();
    }

    @Test
    void breakpointStepAndVariables() {
        List<Stop> stops = new ArrayList<>();
        try (Context context = newContext()) {
            Source source = Source.newBuilder("kpc", PLUGIN, "debugged.kpc").buildLiteral();
            Value plugin = context.eval(source);
            Debugger debugger = Debugger.find(context.getEngine());
            try (DebuggerSession session = debugger.startSession(event -> {
                stops.add(record(event));
                if (stops.size() < 3) {
                    event.prepareStepOver(1);
                } else {
                    event.prepareContinue();
                }
            })) {
                Breakpoint bp = Breakpoint.newBuilder(source.getURI()).lineIs(lineOf("int result = v * factor;")).build();
                session.install(bp);
                assertEquals(2 * 6 + 1 + 99 + 3 + 30 - 2, plugin.invokeMember("run", 6).asInt());
            }
        }

        assertEquals(3, stops.size(), stops.toString());
        Stop hit = stops.get(0);
        assertEquals(lineOf("int result = v * factor;"), hit.line(), "breakpoint line");
        assertEquals(List.of("scale", "run"), hit.functions(), "stack frames");
        assertEquals(lineOf("int total = scale(n, 2);"), hit.lines().get(1), "caller's line is the call");
        assertEquals("6", hit.locals().get("v"));
        assertEquals("2", hit.locals().get("factor"));

        Stop stepped = stops.get(1);
        assertEquals(lineOf("result = result + 1;"), stepped.line(), "step over moves to the next line");
        assertEquals("12", stepped.locals().get("result"), "local in a frame slot after its definition");
        assertEquals(lineOf("return result;"), stops.get(2).line());
        assertEquals("13", stops.get(2).locals().get("result"));

        Map<String, String> globals = hit.globals();
        assertEquals("7", globals.get("counter"));
        assertEquals("4000000000", globals.get("big"), "unsigned int stays positive");
        assertTrue(globals.get("greeting").endsWith(" \"hi there\""), globals.get("greeting"));
        assertTrue(globals.get("greeting").matches("0x[0-9a-f]{8} .*"), globals.get("greeting"));

        Map<String, String> caller = hit.callerLocals();
        assertNotNull(caller, "the caller's frame has a scope");
        assertEquals("6", caller.get("n"), "parameter");
        assertEquals("{x = 3, y = 4}", caller.get("p"), "struct local");
        assertEquals("{10, 20, 30}", caller.get("table"), "array local in plugin memory");
        assertEquals("5", caller.get("kept"), "address-taken local in plugin memory");
        assertTrue(caller.get("where").matches("0x[0-9a-f]{8}"), caller.get("where"));
        assertEquals("-2", caller.get("wide"), "long long local");
    }

    @Test
    void floatingVariablesShowTheirValues() {
        List<Map<String, String>> scopes = new ArrayList<>();
        String code = """
                double rate = 0.25;
                struct sample { float weight; double total; };
                double mix(float part, double whole) {
                    struct sample s = {part, whole};
                    double values[2] = {-1.5, 1e100};
                    float kept = part * 2;
                    float *where = &kept;
                    return s.total + values[0] + *where + rate;
                }
                """;
        try (Context context = newContext()) {
            Source source = Source.newBuilder("kpc", code, "floating.kpc").buildLiteral();
            Value plugin = context.eval(source);
            try (DebuggerSession session = Debugger.find(context.getEngine()).startSession(event -> {
                Map<String, String> values = display(event.getTopStackFrame().getScope());
                values.putAll(display(event.getTopStackFrame().getScope().getParent()));
                scopes.add(values);
                event.prepareContinue();
            })) {
                session.install(Breakpoint.newBuilder(source.getURI()).lineIs(8).build());
                assertEquals(2.5 + -1.5 + 1.0 + 0.25, plugin.invokeMember("mix", 0.5f, 2.5).asDouble());
            }
        }
        assertEquals(1, scopes.size(), scopes.toString());
        Map<String, String> values = scopes.get(0);
        assertEquals("0.5", values.get("part"), "float parameter in a frame slot");
        assertEquals("2.5", values.get("whole"), "double parameter in a frame slot");
        assertEquals("{weight = 0.5, total = 2.5}", values.get("s"), "struct with floating members");
        assertEquals("{-1.5, 1.0E100}", values.get("values"), "array of doubles in plugin memory");
        assertEquals("1.0", values.get("kept"), "address-taken float in plugin memory");
        assertEquals("0.25", values.get("rate"), "double global");
    }

    @Test
    void innerDeclarationHidesOuterName() {
        List<Map<String, String>> scopes = new ArrayList<>();
        try (Context context = newContext()) {
            Source source = Source.newBuilder("kpc", PLUGIN, "scopes.kpc").buildLiteral();
            Value plugin = context.eval(source);
            try (DebuggerSession session = Debugger.find(context.getEngine()).startSession(event -> {
                scopes.add(display(event.getTopStackFrame().getScope()));
                event.prepareContinue();
            })) {
                session.install(Breakpoint.newBuilder(source.getURI()).lineIs(lineOf("total += n;")).build());
                session.install(Breakpoint.newBuilder(source.getURI()).lineIs(lineOf("counter += total")).build());
                plugin.invokeMember("run", 1);
            }
        }
        assertEquals(2, scopes.size(), scopes.toString());
        assertEquals("99", scopes.get(0).get("n"), "the block's n hides the parameter");
        assertEquals("1", scopes.get(1).get("n"), "after the block the parameter is visible again");
        assertNull(scopes.get(0).get("nothing"));
    }

    @Test
    void structMembersAreReadable() {
        List<DebugValue> members = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (Context context = newContext()) {
            Source source = Source.newBuilder("kpc", PLUGIN, "members.kpc").buildLiteral();
            Value plugin = context.eval(source);
            try (DebuggerSession session = Debugger.find(context.getEngine()).startSession(event -> {
                DebugValue point = event.getTopStackFrame().getScope().getDeclaredValue("p");
                for (DebugValue member : point.getProperties()) {
                    names.add(member.getName());
                    members.add(member);
                }
                assertEquals(30, event.getTopStackFrame().getScope().getDeclaredValue("table").getArray().get(2).asInt());
                assertEquals(4, point.getProperty("y").asInt());
                event.prepareContinue();
            })) {
                session.install(Breakpoint.newBuilder(source.getURI()).lineIs(lineOf("counter += total")).build());
                plugin.invokeMember("run", 1);
            }
        }
        assertEquals(List.of("x", "y"), names);
    }

    /** Returns the number of instrumentation wrappers in function {@code name} of the plugin evaluated last. */
    private static int wrapperCount(Context context, String name) {
        context.enter();
        try {
            RootCallTarget target = (RootCallTarget) KpcContext.get(null).lastPlugin().function(name).entry().callTarget();
            RootNode root = target.getRootNode();
            return NodeUtil.findAllNodeInstances(root, WrapperNode.class).size();
        } finally {
            context.leave();
        }
    }

    @Test
    void noWrappersWithoutTools() {
        try (Context context = newContext()) {
            Value plugin = context.eval(Source.newBuilder("kpc", PLUGIN, "plain.kpc").buildLiteral());
            for (int i = 0; i < 3; i++) {
                plugin.invokeMember("run", i);
            }
            assertEquals(0, wrapperCount(context, "run"), "no tool is attached, so no node is wrapped");

            try (DebuggerSession session = Debugger.find(context.getEngine()).startSession(event -> event.prepareContinue())) {
                session.install(Breakpoint.newBuilder(Source.newBuilder("kpc", PLUGIN, "plain.kpc").buildLiteral().getURI())
                                .lineIs(lineOf("return total")).build());
                plugin.invokeMember("run", 1);
                assertTrue(wrapperCount(context, "run") > 0, "a debugger session wraps the statements");
            }
        }
    }
}
