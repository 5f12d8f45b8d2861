// SPDX-License-Identifier: Apache-2.0
package org.kplugins.bench.report;

/**
 * One figure of the report: its key {@code <metric>.<subject>}, its value in the unit the metric
 * names, and the 99.9% confidence half-width in the same unit (NaN when JMH had too few samples).
 */
record Measurement(String key, double value, double error) {
}
