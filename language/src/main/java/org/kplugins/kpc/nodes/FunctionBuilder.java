// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.kplugins.kpc.ast.Expr;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.ast.InitItem;
import org.kplugins.kpc.ast.Stmt;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.debug.CVariable;
import org.kplugins.kpc.debug.FunctionVariables;
import org.kplugins.kpc.diagnostics.SourceLocation;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.nodes.NodeUtil;
import org.kplugins.kpc.nodes.call.KpcCallNode;
import org.kplugins.kpc.nodes.call.KpcIndirectCallNode;
import org.kplugins.kpc.nodes.controlflow.KpcBlockNode;
import org.kplugins.kpc.nodes.controlflow.KpcBreakNode;
import org.kplugins.kpc.nodes.controlflow.KpcContinueNode;
import org.kplugins.kpc.nodes.controlflow.KpcExpressionStatementNode;
import org.kplugins.kpc.nodes.controlflow.KpcGotoDispatchNode;
import org.kplugins.kpc.nodes.controlflow.KpcGotoNode;
import org.kplugins.kpc.nodes.controlflow.KpcIfNode;
import org.kplugins.kpc.nodes.controlflow.KpcLabelNode;
import org.kplugins.kpc.nodes.controlflow.KpcLoopNode;
import org.kplugins.kpc.nodes.controlflow.KpcReturnNode;
import org.kplugins.kpc.nodes.controlflow.KpcSwitchNode;
import org.kplugins.kpc.nodes.controlflow.LabelRanges;
import org.kplugins.kpc.nodes.expression.KpcAddNode;
import org.kplugins.kpc.nodes.expression.KpcIntConstantNode;
import org.kplugins.kpc.nodes.expression.KpcLongConstantNode;
import org.kplugins.kpc.nodes.expression.KpcSequenceNode;
import org.kplugins.kpc.nodes.local.KpcFrameAddressNode;
import org.kplugins.kpc.nodes.local.KpcReadArgumentNode;
import org.kplugins.kpc.nodes.local.KpcReadLocalNode;
import org.kplugins.kpc.nodes.local.KpcWriteLocalNode;
import org.kplugins.kpc.nodes.memory.KpcZeroFillNode;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.IntegerType;
import org.kplugins.kpc.types.StructType;

/**
 * Builds the root node of one defined function: its frame, parameter copies and statements, and
 * the record of where each variable lives and where its name is in scope, which tools read.
 */
final class FunctionBuilder {

    private final NodeBuilder program;
    private final Function function;
    private final FrameLayout frame;
    private final ExpressionBuilder expressions;
    private final ValueKind returnKind;
    /** The locals in declaration order, with their scopes, as tools see them. */
    private final List<CVariable> localVariables = new ArrayList<>();
    /** Character offset where the innermost block being built ends: the end of its locals' scope. */
    private int scopeEnd = Integer.MAX_VALUE;
    /**
     * The number of each label, in source order, when the function uses goto; null otherwise, and
     * then labels are empty statements (see {@link KpcGotoDispatchNode}).
     */
    private final Map<String, Integer> labelNumbers;
    /** The frame slot of the goto state, or -1 without goto. */
    private int gotoStateSlot = -1;
    /** The labels built so far, which is the number of the next label in source order. */
    private int labelsBuilt;

    FunctionBuilder(NodeBuilder program, Function function) {
        this.program = program;
        this.function = function;
        this.returnKind = ValueKind.of(function.type().returnType());
        this.frame = new FrameLayout(returnKind, ScalarReplacement.replaceableLocals(function));
        this.expressions = new ExpressionBuilder(program, frame);
        List<String> labels = new ArrayList<>();
        this.labelNumbers = collectLabels(function.body(), labels) ? numbered(labels) : null;
    }

    KpcFunctionRootNode build() {
        for (Variable parameter : function.parameters()) {
            frame.declareParameter(parameter);
        }
        for (Variable local : function.locals()) {
            frame.declareLocal(local);
        }
        int namedArgumentBytes = 0;
        if (function.type().isVariadic()) {
            frame.declareVariadicArguments();
            for (Variable parameter : function.parameters()) {
                namedArgumentBytes += ValueKind.of(parameter.type()) == ValueKind.LONG ? 8 : 4;
            }
        }

        List<Variable> parameters = function.parameters();
        KpcStatementNode[] parameterCopies = new KpcStatementNode[parameters.size()];
        for (int i = 0; i < parameterCopies.length; i++) {
            parameterCopies[i] = copyParameter(parameters.get(i), i);
        }
        KpcStatementNode body;
        if (labelNumbers != null) {
            gotoStateSlot = frame.addTemporarySlot(false, "goto state");
            KpcStatementNode statements = statement(function.body());
            body = new KpcGotoDispatchNode(statements, gotoStateSlot);
            body.setSourceSection(statements.getSourceSection());
        } else {
            body = statement(function.body());
        }
        body.addRootBodyTag();

        SourceLocation definition = function.location().to(function.body().location());
        KpcFunctionBodyNode bodyNode = new KpcFunctionBodyNode(frame.stackFrameSize(), frame.zeroedIntSlots(),
                        frame.zeroedLongSlots(), parameterCopies, body, frame.variadicArgumentsSlot(), namedArgumentBytes,
                        program.budgetEnabled() && countsSteps(body));
        bodyNode.setSourceSection(program.section(definition));
        FunctionVariables variables = new FunctionVariables(function.name(), parameterVariables(), localVariables,
                        program.globalVariables());
        return new KpcFunctionRootNode(program.language(), frame.buildDescriptor(), function.name(),
                        program.section(definition), returnKind, bodyNode, variables, program.lineDirectiveFiles());
    }

    /** Returns whether {@code body} has a node that counts a step: a loop, a goto or a call of plugin code. */
    private static boolean countsSteps(Node body) {
        return Stream.of(KpcLoopNode.class, KpcGotoNode.class, KpcCallNode.class, KpcIndirectCallNode.class)
                        .anyMatch(kind -> NodeUtil.findFirstNodeInstance(body, kind) != null);
    }

    /** Returns where each parameter lives; a parameter's name is in scope in the whole function. */
    private List<CVariable> parameterVariables() {
        List<CVariable> parameters = new ArrayList<>();
        for (Variable parameter : function.parameters()) {
            parameters.add(describe(parameter, Integer.MIN_VALUE, Integer.MAX_VALUE));
        }
        return parameters;
    }

    /** Returns where {@code variable} lives, with the scope {@code [scopeStart, scopeEnd)} in source characters. */
    private CVariable describe(Variable variable, int scopeStart, int scopeEnd) {
        Integer slot = frame.slotOf(variable);
        if (slot != null) {
            return CVariable.inSlot(variable.name(), variable.type(), slot, scopeStart, scopeEnd);
        }
        if (frame.isScalarReplaced(variable)) {
            return CVariable.inMemberSlots(variable.name(), (StructType) variable.type(), frame.memberSlotsOf(variable),
                            scopeStart, scopeEnd);
        }
        return CVariable.inFrameMemory(variable.name(), variable.type(), frame.memoryOffsetOf(variable), scopeStart,
                        scopeEnd);
    }

    /** Returns the character offset just past {@code location}, or the current scope end when it is unknown. */
    private int endOf(SourceLocation location) {
        return location == null ? scopeEnd : location.offset() + location.length();
    }

    /** Copies argument {@code index} into the parameter's slot or stack-frame memory. */
    private KpcStatementNode copyParameter(Variable parameter, int index) {
        KpcExpressionNode argument = new KpcReadArgumentNode(index);
        CType type = parameter.type();
        Integer slot = frame.slotOf(parameter);
        KpcExpressionNode copy = slot != null
                        ? new KpcWriteLocalNode(slot, ValueKind.of(type) == ValueKind.LONG, argument)
                        : ExpressionBuilder.storeTo(type, new KpcFrameAddressNode(frame.memoryOffsetOf(parameter)), argument);
        copy.setSourceSection(program.section(parameter.location()));
        return new KpcExpressionStatementNode(copy);
    }

    private KpcStatementNode statement(Stmt s) {
        KpcStatementNode node = switch (s) {
            case Stmt.Block b -> scopedBlock(b);
            case Stmt.ExprStmt e -> new KpcExpressionStatementNode(expressions.effect(e.expression()));
            case Stmt.Declaration d -> declaration(d.variable());
            case Stmt.If i -> ifStatement(i);
            case Stmt.While w -> new KpcLoopNode(expressions.condition(w.condition()), statement(w.body()), null, true,
                            program.budgetEnabled());
            case Stmt.DoWhile d -> new KpcLoopNode(expressions.condition(d.condition()), statement(d.body()), null,
                            false, program.budgetEnabled());
            case Stmt.For f -> forLoop(f);
            case Stmt.Switch w -> switchStatement(w);
            case Stmt.Break b -> new KpcBreakNode();
            case Stmt.Continue c -> new KpcContinueNode();
            case Stmt.Goto g -> new KpcGotoNode(gotoStateSlot, labelNumbers.get(g.label()), program.budgetEnabled());
            case Stmt.Label l -> label(l);
            case Stmt.Return r -> new KpcReturnNode(r.value() == null ? null
                            : new KpcWriteLocalNode(KpcFunctionRootNode.RETURN_SLOT, returnKind == ValueKind.LONG,
                                            expressions.value(r.value())));
            case Stmt.Empty e -> new KpcBlockNode(new KpcStatementNode[0]);
        };
        node.setSourceSection(program.section(s.location()));
        if (!(s instanceof Stmt.Block)) {
            node.addStatementTag();
        }
        return node;
    }

    /**
     * Builds a compound statement; the locals it declares are in scope up to its closing brace.
     * The parser also makes a block of a label and its statement, and of the declarations in the
     * init of a {@code for}; the locals of those are in scope beyond the block.
     */
    private KpcStatementNode scopedBlock(Stmt.Block b) {
        int enclosingEnd = scopeEnd;
        scopeEnd = endOf(b.location());
        try {
            boolean labelled = b.statements().stream().anyMatch(child -> child instanceof Stmt.Label);
            return block(b.statements(), !labelled);
        } finally {
            scopeEnd = enclosingEnd;
        }
    }

    /**
     * Builds the statements of a block. When {@code endsScope} is set and they contain no label,
     * control enters only at the top, and the block ends by setting the slots of the locals it
     * defines back to 0, as at function entry; see {@link #slotResets}.
     */
    private KpcStatementNode block(List<Stmt> statements, boolean endsScope) {
        int firstLabel = labelsBuilt;
        KpcStatementNode[] nodes = new KpcStatementNode[statements.size()];
        int[] labelEnds = new int[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = statement(statements.get(i));
            labelEnds[i] = labelsBuilt;
        }
        LabelRanges labels = labelRanges(firstLabel, labelEnds);
        if (endsScope && labels == null) {
            List<KpcStatementNode> resets = slotResets(statements);
            if (!resets.isEmpty()) {
                List<KpcStatementNode> all = new ArrayList<>(List.of(nodes));
                all.addAll(resets);
                return new KpcBlockNode(all.toArray(new KpcStatementNode[0]));
            }
        }
        return new KpcBlockNode(nodes, labels);
    }

    /**
     * Returns statements that set the frame slots of the locals defined in {@code statements} back
     * to 0, as at function entry. Otherwise compiled code carries each dead value around the loop
     * that contains the scope, because the frame state at the loop header still refers to it.
     */
    private List<KpcStatementNode> slotResets(List<Stmt> statements) {
        List<KpcStatementNode> resets = new ArrayList<>();
        for (Stmt statement : statements) {
            if (!(statement instanceof Stmt.Declaration declaration)) {
                continue;
            }
            Variable variable = declaration.variable();
            if (frame.isScalarReplaced(variable)) {
                for (ScalarReplacement.ScalarMember member : ScalarReplacement.scalarMembers((StructType) variable.type())) {
                    resets.add(slotReset(frame.memberSlotOf(variable, member.offset()), member.type()));
                }
            } else if (frame.slotOf(variable) != null) {
                resets.add(slotReset(frame.slotOf(variable), variable.type()));
            }
        }
        return resets;
    }

    /** Returns a statement that sets frame slot {@code slot}, of a local of {@code type}, to 0. */
    private static KpcStatementNode slotReset(int slot, CType type) {
        boolean isLong = ValueKind.of(type) == ValueKind.LONG;
        KpcExpressionNode zero = isLong ? new KpcLongConstantNode(0) : new KpcIntConstantNode(0);
        return new KpcExpressionStatementNode(new KpcWriteLocalNode(slot, isLong, zero));
    }

    /** Returns the label ranges of a statement's children, or null when they contain no label. */
    private LabelRanges labelRanges(int firstLabel, int[] labelEnds) {
        return labelsBuilt > firstLabel ? new LabelRanges(firstLabel, labelEnds) : null;
    }

    private KpcStatementNode ifStatement(Stmt.If i) {
        KpcExpressionNode condition = expressions.condition(i.condition());
        KpcStatementNode thenBranch = statement(i.thenBranch());
        int thenLabelsEnd = labelsBuilt;
        KpcStatementNode elseBranch = i.elseBranch() == null ? null : statement(i.elseBranch());
        return new KpcIfNode(condition, thenBranch, elseBranch, thenLabelsEnd);
    }

    /** Builds a label: a {@link KpcLabelNode} that takes the next number when the function uses goto, else nothing. */
    private KpcStatementNode label(Stmt.Label l) {
        if (labelNumbers == null) {
            return new KpcBlockNode(new KpcStatementNode[0]);
        }
        int number = labelsBuilt++;
        if (labelNumbers.get(l.name()) != number) {
            throw new IllegalStateException("label '" + l.name() + "' built as number " + number + " but numbered "
                            + labelNumbers.get(l.name()));
        }
        return new KpcLabelNode();
    }

    private KpcStatementNode forLoop(Stmt.For f) {
        LoopPointers.Plan plan = gotoStateSlot < 0 && !hasLabels(f) ? LoopPointers.plan(f, frame) : null;
        if (plan == null) {
            return forLoop(f, List.of(), List.of(), List.of());
        }
        // The set-up runs after the init and computes the derived locals, then each address's first value.
        List<KpcStatementNode> setUp = new ArrayList<>();
        List<KpcStatementNode> derivedResets = new ArrayList<>();
        for (Map.Entry<Variable, Expr> derived : plan.derived()) {
            int slot = frame.slotOf(derived.getKey());
            setUp.add(new KpcExpressionStatementNode(new KpcWriteLocalNode(slot, false, expressions.value(derived.getValue()))));
            derivedResets.add(slotReset(slot, derived.getKey().type()));
        }
        List<KpcExpressionNode> increments = new ArrayList<>();
        List<KpcStatementNode> after = new ArrayList<>();
        for (LoopPointers.Pointer pointer : plan.pointers()) {
            int slot = frame.addTemporarySlot(false, "loop pointer");
            setUp.add(new KpcExpressionStatementNode(new KpcWriteLocalNode(slot, false, expressions.value(pointer.first()))));
            increments.add(new KpcWriteLocalNode(slot, false,
                            new KpcAddNode(new KpcReadLocalNode(slot), new KpcIntConstantNode(pointer.increment()))));
            after.add(slotReset(slot, IntegerType.INT));
            expressions.reduce(pointer, slot);
        }
        setUp.addAll(derivedResets);
        try {
            return forLoop(f, setUp, increments, after);
        } finally {
            plan.pointers().forEach(expressions::forgetReduced);
        }
    }

    /** Returns whether the init or body of {@code f} has a label. */
    private static boolean hasLabels(Stmt.For f) {
        List<String> labels = new ArrayList<>();
        collectLabels(f.body(), labels);
        if (f.init() != null) {
            collectLabels(f.init(), labels);
        }
        return !labels.isEmpty();
    }

    /**
     * Builds a for loop. Unless the loop keeps addresses in slots ({@link LoopPointers}), the lists
     * are empty; otherwise {@code setUp} runs after the init, {@code increments} after each step
     * and {@code after} after the loop.
     */
    private KpcStatementNode forLoop(Stmt.For f, List<KpcStatementNode> setUp, List<KpcExpressionNode> increments,
                    List<KpcStatementNode> after) {
        int firstLabel = labelsBuilt;
        KpcExpressionNode condition = f.condition() == null ? null : expressions.condition(f.condition());
        KpcExpressionNode step = f.step() == null ? null : expressions.effect(f.step());
        if (!increments.isEmpty()) {
            List<KpcExpressionNode> effects = new ArrayList<>();
            effects.add(step);
            effects.addAll(increments.subList(0, increments.size() - 1));
            step = new KpcSequenceNode(effects.toArray(new KpcExpressionNode[0]), increments.get(increments.size() - 1));
        }
        KpcLoopNode loop = new KpcLoopNode(condition, statement(f.body()), step, true, program.budgetEnabled());
        if (f.init() == null && setUp.isEmpty()) {
            return loop;
        }
        loop.setSourceSection(program.section(f.location()));
        // A variable declared in the init is in scope up to the end of the loop body.
        int enclosingEnd = scopeEnd;
        if (f.body() instanceof Stmt.Block body) {
            scopeEnd = endOf(body.location());
        }
        try {
            // Several declarations come as a block, whose locals stay in scope for the loop.
            List<Stmt> initStatements = f.init() == null ? List.of()
                            : f.init() instanceof Stmt.Block group ? group.statements() : List.of(f.init());
            List<KpcStatementNode> nodes = new ArrayList<>();
            if (f.init() != null) {
                KpcStatementNode init = f.init() instanceof Stmt.Block ? block(initStatements, false) : statement(f.init());
                init.setSourceSection(program.section(f.init().location()));
                nodes.add(init);
            }
            int[] labelEnds = {firstLabel, labelsBuilt};
            LabelRanges labels = labelRanges(firstLabel, labelEnds);
            if (labels != null) {
                return new KpcBlockNode(new KpcStatementNode[]{nodes.get(0), loop}, labels);
            }
            nodes.addAll(setUp);
            nodes.add(loop);
            nodes.addAll(after);
            // As at the end of a block: the loop variables' slots go back to 0 after the loop.
            nodes.addAll(slotResets(initStatements));
            return new KpcBlockNode(nodes.toArray(new KpcStatementNode[0]));
        } finally {
            scopeEnd = enclosingEnd;
        }
    }

    /**
     * Adds the labels of {@code statement} to {@code labels} in source order, and returns whether
     * it contains a goto.
     */
    private static boolean collectLabels(Stmt statement, List<String> labels) {
        return switch (statement) {
            case Stmt.Block b -> {
                boolean hasGoto = false;
                for (Stmt child : b.statements()) {
                    hasGoto |= collectLabels(child, labels);
                }
                yield hasGoto;
            }
            case Stmt.If i -> {
                boolean hasGoto = collectLabels(i.thenBranch(), labels);
                if (i.elseBranch() != null) {
                    hasGoto |= collectLabels(i.elseBranch(), labels);
                }
                yield hasGoto;
            }
            case Stmt.While w -> collectLabels(w.body(), labels);
            case Stmt.DoWhile d -> collectLabels(d.body(), labels);
            case Stmt.For f -> collectLabels(f.body(), labels);
            case Stmt.Switch w -> collectLabels(w.body(), labels);
            case Stmt.Label l -> {
                labels.add(l.name());
                yield false;
            }
            case Stmt.Goto g -> true;
            case Stmt.ExprStmt e -> false;
            case Stmt.Declaration d -> false;
            case Stmt.Break b -> false;
            case Stmt.Continue c -> false;
            case Stmt.Return r -> false;
            case Stmt.Empty e -> false;
        };
    }

    private static Map<String, Integer> numbered(List<String> labels) {
        Map<String, Integer> numbers = new HashMap<>();
        for (String label : labels) {
            numbers.putIfAbsent(label, numbers.size());
        }
        return numbers;
    }

    private KpcStatementNode switchStatement(Stmt.Switch s) {
        List<Stmt.SwitchCase> cases = s.cases();
        long[] values = new long[cases.size()];
        int[] indexes = new int[cases.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = cases.get(i).value();
            indexes[i] = cases.get(i).statementIndex();
        }
        KpcExpressionNode selector = expressions.value(s.selector());
        List<Stmt> body = s.body().statements();
        int firstLabel = labelsBuilt;
        KpcStatementNode[] statements = new KpcStatementNode[body.size()];
        int[] labelEnds = new int[statements.length];
        int enclosingEnd = scopeEnd;
        scopeEnd = endOf(s.body().location());
        try {
            for (int i = 0; i < statements.length; i++) {
                statements[i] = statement(body.get(i));
                labelEnds[i] = labelsBuilt;
            }
        } finally {
            scopeEnd = enclosingEnd;
        }
        boolean selectorIsLong = ValueKind.of(s.selector().type()) == ValueKind.LONG;
        return new KpcSwitchNode(selector, selectorIsLong, values, indexes, s.defaultIndex(), statements,
                        labelRanges(firstLabel, labelEnds));
    }

    /**
     * Builds a local definition. A frame-resident scalar is set to its initial value or 0. A local
     * in plugin memory is zero-filled, unless its initializer stores every byte, and then each
     * initializer item is stored.
     * A scalar-replaced struct sets its member slots instead (see {@link #initializeMemberSlots}).
     */
    private KpcStatementNode declaration(Variable variable) {
        SourceLocation declared = variable.location();
        localVariables.add(describe(variable, declared == null ? Integer.MIN_VALUE : declared.offset(), scopeEnd));
        CType type = variable.type();
        List<InitItem> items = variable.initializer();
        Integer slot = frame.slotOf(variable);
        boolean isLong = ValueKind.of(type) == ValueKind.LONG;
        List<KpcStatementNode> steps = new ArrayList<>();
        if (frame.isScalarReplaced(variable)) {
            initializeMemberSlots(variable, items, steps);
        } else if (slot != null) {
            KpcExpressionNode initial;
            if (items == null || items.isEmpty()) {
                initial = isLong ? new KpcLongConstantNode(0) : new KpcIntConstantNode(0);
            } else {
                InitItem item = items.get(0);
                initial = ExpressionBuilder.convert(expressions.value(item.value()), item.value().type(), type);
            }
            steps.add(new KpcExpressionStatementNode(new KpcWriteLocalNode(slot, isLong, initial)));
        } else {
            int offset = frame.memoryOffsetOf(variable);
            if (items == null || !coversEveryByte(items, type.size())) {
                steps.add(new KpcExpressionStatementNode(new KpcZeroFillNode(new KpcFrameAddressNode(offset), type.size())));
            }
            if (items != null) {
                for (InitItem item : items) {
                    KpcExpressionNode value = ExpressionBuilder.convert(expressions.value(item.value()),
                                    item.value().type(), item.type());
                    KpcExpressionNode store = ExpressionBuilder.storeItem(item,
                                    new KpcFrameAddressNode(offset + item.offset()), value);
                    store.setSourceSection(program.section(item.value().location()));
                    steps.add(new KpcExpressionStatementNode(store));
                }
            }
        }
        for (KpcStatementNode step : steps) {
            step.setSourceSection(program.section(variable.location()));
        }
        return steps.size() == 1 ? steps.get(0) : new KpcBlockNode(steps.toArray(new KpcStatementNode[0]));
    }

    /**
     * Adds the steps that define a scalar-replaced struct local: each member without an initializer
     * item is set to 0, as a zero-filled memory local would read, and then each item is stored in
     * its member's slot.
     */
    private void initializeMemberSlots(Variable variable, List<InitItem> items, List<KpcStatementNode> steps) {
        Set<Integer> initialized = new HashSet<>();
        if (items != null) {
            for (InitItem item : items) {
                initialized.add(item.offset());
            }
        }
        for (ScalarReplacement.ScalarMember member : ScalarReplacement.scalarMembers((StructType) variable.type())) {
            if (!initialized.contains(member.offset())) {
                steps.add(slotReset(frame.memberSlotOf(variable, member.offset()), member.type()));
            }
        }
        if (items == null) {
            return;
        }
        for (InitItem item : items) {
            KpcExpressionNode value = ExpressionBuilder.convert(expressions.value(item.value()), item.value().type(),
                            item.type());
            int slot = frame.memberSlotOf(variable, item.offset());
            KpcExpressionNode store = new KpcWriteLocalNode(slot, ValueKind.of(item.type()) == ValueKind.LONG, value);
            store.setSourceSection(program.section(item.value().location()));
            steps.add(new KpcExpressionStatementNode(store));
        }
    }

    static boolean coversEveryByte(List<InitItem> items, int size) {
        boolean[] covered = new boolean[size];
        for (InitItem item : items) {
            if (item.bitField() != null) {
                // A bit-field store keeps the other bits of its unit, which must start out zero.
                continue;
            }
            int end = Math.min(size, item.offset() + item.type().size());
            for (int i = Math.max(0, item.offset()); i < end; i++) {
                covered[i] = true;
            }
        }
        for (boolean byteCovered : covered) {
            if (!byteCovered) {
                return false;
            }
        }
        return true;
    }
}
