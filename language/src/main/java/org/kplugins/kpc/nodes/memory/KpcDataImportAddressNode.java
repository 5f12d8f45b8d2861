// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.memory;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/**
 * The address of a host data window the plugin imports. Each instance maps its windows when it is
 * created, so the address is read from the instance rather than folded into the code as the
 * addresses of the plugin's own globals are.
 */
@NodeInfo(shortName = "&extern")
public final class KpcDataImportAddressNode extends KpcExpressionNode {

    private final int index;

    public KpcDataImportAddressNode(int index) {
        this.index = index;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        return instance(frame).dataImportAddress(index);
    }
}
