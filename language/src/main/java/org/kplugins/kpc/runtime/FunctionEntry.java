// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import com.oracle.truffle.api.CallTarget;
import org.kplugins.kpc.types.FunctionType;

/** A function defined in a plugin: its name, C type and call target, shared by all instances. */
public record FunctionEntry(String name, FunctionType type, CallTarget callTarget) {
}
