// SPDX-License-Identifier: Apache-2.0
/**
 * JMH suites that time the KPC tiers against Java, gcc (through the foreign function API),
 * GraalWasm and Sulong: upcalls, dynamic code generation, hook linking and grayscale throughput,
 * plus {@link org.kplugins.bench.MemoryFootprint} for memory per plugin. {@code benchmarks/run}
 * builds the peers' binaries, runs the suites and writes the report (package
 * {@code org.kplugins.bench.report}).
 */
package org.kplugins.bench;
