// SPDX-License-Identifier: Apache-2.0
package org.kplugins.bench.report;

import java.util.List;

/**
 * One row of a report table: the subject part of the key, its label in tables and in the chart,
 * its role, and the target figure measured outside the project (NaN when there is none).
 */
record Subject(String key, String label, String shortLabel, Role role, double target) {

    /** The part a subject plays in the comparison. */
    enum Role {
        /** A KPC tier. */
        TIER,
        /** Java or gcc, the code a plugin competes with. */
        BASELINE,
        /** Another runtime for untrusted code. */
        PEER
    }

    /**
     * Grayscale subjects, with the 512x512 throughput targets in MB/s measured outside the project
     * on this kind of machine.
     */
    static final List<Subject> GRAYSCALE = List.of(
                    new Subject("interp", "KPC, interp tier", "KPC interp", Role.TIER, Double.NaN),
                    new Subject("jit", "KPC, jit tier", "KPC jit", Role.TIER, Double.NaN),
                    new Subject("native", "KPC, native tier (x86-64)", "KPC native", Role.TIER, Double.NaN),
                    new Subject("emulated", "KPC, emulated tier (x86-64 code on the emulated CPU, hardware checks)", "KPC emulated",
                                    Role.TIER, Double.NaN),
                    new Subject("emulated_checked", "KPC, emulated tier, checked code (the native tier's inline checks)",
                                    "KPC emulated checked", Role.TIER, Double.NaN),
                    new Subject("auto", "KPC, auto tier (machine code after the switch)", "KPC auto", Role.TIER, Double.NaN),
                    new Subject("jit_buffers", "KPC, jit tier, on plugin buffers (no copies)", "KPC jit, buffers", Role.TIER,
                                    Double.NaN),
                    new Subject("native_buffers", "KPC, native tier, on plugin buffers (no copies)", "KPC native, buffers",
                                    Role.TIER, Double.NaN),
                    new Subject("emulated_buffers", "KPC, emulated tier (hardware checks), on plugin buffers (no copies)",
                                    "KPC emulated, buffers", Role.TIER, Double.NaN),
                    new Subject("java", "Java loop", "Java loop", Role.BASELINE, 3900),
                    new Subject("gcc_o2", "gcc -O2, through FFM", "gcc -O2", Role.BASELINE, 2992),
                    new Subject("gcc_o3_native", "gcc -O3 -march=native, through FFM", "gcc -O3 native", Role.BASELINE, 10775),
                    new Subject("wasm", "GraalWasm (clang -O2, wasm32)", "GraalWasm", Role.PEER, 1989),
                    new Subject("sulong", "Sulong native mode (clang -O2 bitcode; speed reference, not a sandbox)", "Sulong (not a sandbox)", Role.PEER, 2803));

    /** Upcall subjects, with the targets in ns measured outside the project. */
    static final List<Subject> UPCALL = List.of(
                    new Subject("jit", "KPC jit, through a hook", "KPC jit hook", Role.TIER, Double.NaN),
                    new Subject("jit_polyglot", "KPC jit, polyglot Value.execute", "KPC jit polyglot", Role.TIER, Double.NaN),
                    new Subject("interp", "KPC interp, through a hook", "KPC interp hook", Role.TIER, Double.NaN),
                    new Subject("interp_polyglot", "KPC interp, polyglot Value.execute", "KPC interp polyglot", Role.TIER, Double.NaN),
                    new Subject("native", "KPC native, through a hook", "KPC native hook", Role.TIER, Double.NaN),
                    new Subject("native_polyglot", "KPC native, polyglot Value.execute", "KPC native polyglot", Role.TIER, Double.NaN),
                    new Subject("emulated", "KPC emulated, through a hook", "KPC emulated hook", Role.TIER, Double.NaN),
                    new Subject("emulated_polyglot", "KPC emulated, polyglot Value.execute", "KPC emulated polyglot", Role.TIER,
                                    Double.NaN),
                    new Subject("emulated_checked", "KPC emulated checked code, through a hook", "KPC emulated checked hook",
                                    Role.TIER, Double.NaN),
                    new Subject("emulated_checked_polyglot", "KPC emulated checked code, polyglot Value.execute",
                                    "KPC emulated checked polyglot", Role.TIER, Double.NaN),
                    new Subject("auto", "KPC auto (machine code after the switch), through a hook", "KPC auto hook", Role.TIER,
                                    Double.NaN),
                    new Subject("auto_polyglot", "KPC auto (machine code after the switch), polyglot Value.execute",
                                    "KPC auto polyglot", Role.TIER, Double.NaN),
                    new Subject("java", "Java interface call", "Java interface", Role.BASELINE, Double.NaN),
                    new Subject("ffm", "gcc -O2, FFM downcall", "FFM downcall", Role.BASELINE, 6.6),
                    new Subject("wasm", "GraalWasm (clang -O2, wasm32)", "GraalWasm", Role.PEER, 45),
                    new Subject("sulong", "Sulong native mode (speed reference, not a sandbox)", "Sulong (not a sandbox)", Role.PEER, 36));

    /** The columns of the code generation table: the KPC tiers that compile plugins, then GraalWasm. */
    static final List<Subject> COMPILE = List.of(
                    new Subject("jit", "KPC jit", "KPC jit", Role.TIER, Double.NaN),
                    new Subject("native", "KPC native", "KPC native", Role.TIER, Double.NaN),
                    new Subject("emulated", "KPC emulated", "KPC emulated", Role.TIER, Double.NaN),
                    new Subject("emulated_checked", "KPC emulated, checked code", "KPC emulated checked", Role.TIER, Double.NaN),
                    new Subject("auto", "KPC auto (Truffle nodes only)", "KPC auto", Role.TIER, Double.NaN),
                    new Subject("wasm", "GraalWasm", "GraalWasm", Role.PEER, Double.NaN));
}
