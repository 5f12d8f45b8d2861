// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc;

import com.oracle.truffle.api.exception.AbstractTruffleException;
import com.oracle.truffle.api.nodes.Node;

/**
 * A guest error of the KPC runtime that is neither a compile error nor a plugin fault, such as a
 * plugin that does not fit under the memory limit.
 */
public final class KpcException extends AbstractTruffleException {

    private static final long serialVersionUID = 1L;

    public KpcException(String message, Node location) {
        super(message, location);
    }
}
