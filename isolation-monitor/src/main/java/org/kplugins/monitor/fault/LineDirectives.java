// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.fault;

import com.oracle.truffle.api.source.Source;

/**
 * Implemented by a root node whose sources have {@code #line} directives, which change the file
 * name and line that a fault report shows. The report still quotes the physical source line.
 */
public interface LineDirectives {

    /** Returns the file name to report for physical line {@code line} of {@code source}. */
    String reportedFile(Source source, int line);

    /** Returns the line number to report for physical line {@code line} of {@code source}. */
    int reportedLine(Source source, int line);
}
