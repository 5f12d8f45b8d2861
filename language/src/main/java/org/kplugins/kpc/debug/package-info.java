// SPDX-License-Identifier: Apache-2.0
/**
 * The view of a running plugin that Truffle tools (debuggers, profilers) get: the scopes of a
 * function's parameters, locals and the plugin's globals, and interop views of C values read from
 * frame slots and plugin memory.
 */
package org.kplugins.kpc.debug;
