// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

/**
 * The segment register an access goes through. {@link #DEFAULT} is an operand without a segment
 * override prefix: SS for a base of RSP or RBP, DS otherwise, both flat in 64-bit mode.
 */
public enum Segment {
    ES, CS, SS, DS, FS, GS, DEFAULT
}
