// SPDX-License-Identifier: Apache-2.0
/**
 * What Truffle tools (debuggers, profilers) see of a running plugin: the scopes of a function's
 * parameters, locals and the plugin's globals, and interop views of C values read from frame
 * slots and plugin memory.
 */
package org.kplugins.kpc.debug;
