// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.runtime;

import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.source.SourceSection;

/**
 * A place in plugin source where machine code can fault or call the host, as a Truffle node of
 * the function's {@link NativeFunctionRootNode}. The runtime raises faults and runs host calls
 * with it as the location, so the reports come from the same code, with the same function name
 * and source section, as those of the Truffle tier.
 */
final class SiteNode extends Node {

    private final SourceSection section;

    SiteNode(SourceSection section) {
        this.section = section;
    }

    @Override
    public SourceSection getSourceSection() {
        return section;
    }
}
