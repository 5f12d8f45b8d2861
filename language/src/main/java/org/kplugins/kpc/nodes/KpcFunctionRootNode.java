// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import com.oracle.truffle.api.frame.FrameDescriptor;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.RootNode;
import com.oracle.truffle.api.source.Source;
import com.oracle.truffle.api.source.SourceSection;
import java.util.Map;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.debug.FunctionVariables;
import org.kplugins.kpc.diagnostics.SourceFile;
import org.kplugins.kpc.runtime.KpcNull;
import org.kplugins.monitor.fault.LineDirectives;

/**
 * The root of one KPC function. Its {@link KpcFunctionBodyNode} sets up the stack frame, copies
 * the parameters and runs the statements; this node returns the result as Integer, Long or
 * {@link KpcNull} by the function's return kind.
 *
 * <p>Frame slot {@link #FRAME_BASE_SLOT} contains the frame's base address, which is also the stack
 * pointer that this function passes to its callees, and {@link #RETURN_SLOT} the return value.
 *
 * <p>The root's name and source section (the definition, from its name to its closing brace) name
 * the function in guest stack traces, fault reports and profiles. Its {@link FunctionVariables}
 * tell tools where each parameter, local and global lives.
 */
public final class KpcFunctionRootNode extends RootNode implements LineDirectives {

    public static final int FRAME_BASE_SLOT = 0;
    public static final int RETURN_SLOT = 1;
    /** In a function that counts steps, the int chunk of the budget's steps left ({@link StepBudget}). */
    public static final int BUDGET_SLOT = 2;
    /** In a function that counts steps, the budget's steps left beyond the chunk. */
    public static final int BUDGET_REST_SLOT = 3;

    /** Bytes of the return address and saved frame pointer of a native frame. */
    public static final int LINKAGE_BYTES = 16;

    private final String name;
    private final SourceSection section;
    private final ValueKind returnKind;
    private final FunctionVariables variables;
    /** Bytes this function takes on the plugin stack, including {@link #LINKAGE_BYTES}. */
    private final int stackFrameSize;
    /** True when a call of this function may count steps of the budget: its body has a loop, goto or call. */
    private final boolean countsSteps;
    /** The {@link KpcFunctionBodyNode}, or the wrapper that a tool put around it. */
    @Child private KpcExpressionNode body;
    /** The plugin's source files that have {@code #line} directives, by their Truffle source. */
    private final Map<Source, SourceFile> lineDirectiveFiles;

    public KpcFunctionRootNode(KpcLanguage language, FrameDescriptor frameDescriptor, String name,
                    SourceSection section, ValueKind returnKind, KpcFunctionBodyNode body, FunctionVariables variables,
                    Map<Source, SourceFile> lineDirectiveFiles) {
        super(language, frameDescriptor);
        this.lineDirectiveFiles = lineDirectiveFiles;
        this.name = name;
        this.section = section;
        this.returnKind = returnKind;
        this.body = body;
        this.variables = variables;
        this.stackFrameSize = body.stackFrameSize();
        this.countsSteps = body.countsSteps();
    }

    @Override
    public Object execute(VirtualFrame frame) {
        return switch (returnKind) {
            case INT -> body.executeInt(frame);
            case LONG -> body.executeLong(frame);
            case VOID -> {
                body.executeVoid(frame);
                yield KpcNull.INSTANCE;
            }
        };
    }

    /** Returns the bytes this function takes on the plugin stack, including {@link #LINKAGE_BYTES}. */
    public int stackFrameSize() {
        return stackFrameSize;
    }

    /** Returns whether a call of this function may count steps of the budget. */
    public boolean countsSteps() {
        return countsSteps;
    }

    /** Returns where the function's variables and the plugin's globals live, for tools. */
    public FunctionVariables variables() {
        return variables;
    }

    @Override
    public String reportedFile(Source source, int line) {
        SourceFile file = lineDirectiveFiles.get(source);
        return file == null ? source.getName() : file.presumedName(line);
    }

    @Override
    public int reportedLine(Source source, int line) {
        SourceFile file = lineDirectiveFiles.get(source);
        return file == null ? line : file.presumedLine(line);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public SourceSection getSourceSection() {
        return section;
    }

    @Override
    public boolean isCloningAllowed() {
        return true;
    }

    @Override
    public String toString() {
        return name + "()";
    }
}
