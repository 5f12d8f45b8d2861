// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.ast;

import java.util.List;

import org.kplugins.kpc.diagnostics.SourceFile;

/**
 * A parsed and type-checked plugin. {@code globals} lists each variable with static storage once
 * (file-scope variables and block-scope {@code static} ones), in order of first declaration; {@code functions} lists each function once, defined or only declared.
 */
public record TranslationUnit(SourceFile file, List<Variable> globals, List<Function> functions) {
}
