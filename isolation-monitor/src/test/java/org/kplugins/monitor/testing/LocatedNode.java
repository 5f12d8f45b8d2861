// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.testing;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.nodes.RootNode;
import com.oracle.truffle.api.source.Source;
import com.oracle.truffle.api.source.SourceSection;

/**
 * A node with a fixed source section inside a named root node, standing in for the language's
 * access nodes so that fault reports get a source location.
 */
public final class LocatedNode extends Node {

    private final SourceSection section;

    private LocatedNode(SourceSection section) {
        this.section = section;
    }

    @Override
    public SourceSection getSourceSection() {
        return section;
    }

    /**
     * Creates a node at {@code line}:{@code column} (1-based) of {@code text}, adopted by a root
     * node named {@code function}. The source section spans {@code length} characters.
     */
    public static LocatedNode at(String fileName, String text, String function, int line, int column, int length) {
        Source source = Source.newBuilder("kpc", text, fileName).build();
        LocatedNode node = new LocatedNode(source.createSection(line, column, length));
        new FunctionRoot(function, node).adoptChildren();
        return node;
    }

    private static final class FunctionRoot extends RootNode {

        private final String name;
        @Child private LocatedNode body;

        FunctionRoot(String name, LocatedNode body) {
            super(null);
            this.name = name;
            this.body = body;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Object execute(VirtualFrame frame) {
            return 0;
        }
    }
}
