// SPDX-License-Identifier: Apache-2.0
/**
 * The report of benchmarks/run: turns the JMH CSV and the memory figures into
 * {@code benchmarks/results/latest.json} (keys {@code <metric>.<subject>}, values in the unit the
 * metric names), the grayscale chart, and the generated section of BENCHMARKS.md.
 */
package org.kplugins.bench.report;
