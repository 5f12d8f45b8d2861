// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.lower;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.ast.InitItem;
import org.kplugins.kpc.ast.Stmt;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.nodes.MemoryFrame;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.StructType;
import org.kplugins.x86.ir.Block;
import org.kplugins.x86.ir.Cond;
import org.kplugins.x86.ir.Imm;
import org.kplugins.x86.ir.Instr;
import org.kplugins.x86.ir.IrFunction;
import org.kplugins.x86.ir.Operand;
import org.kplugins.x86.ir.Site;
import org.kplugins.x86.ir.VReg;
import org.kplugins.x86.ir.Width;

/**
 * Lowers one defined function to IR: its entry, the statements of its body, and the state that
 * {@link ExpressionLowering} shares: the current block, the virtual registers of the locals and the
 * frame base.
 *
 * <p>Locals are stored as the Truffle tier stores them (see {@link MemoryFrame}): a scalar whose
 * address is never taken is a virtual register, a scalar-replaced struct is one virtual register
 * per member, and every other object lives in the function's frame on the plugin stack at the
 * Truffle tier's offset. Registers of locals are zeroed on entry, as the Truffle tier zeroes its
 * frame slots, because a {@code switch} can jump past a definition into the variable's scope.
 */
final class FunctionLowering {

    /** The jump targets of {@code break} and {@code continue} inside one loop or switch; continue is null in a switch. */
    private record Targets(Block breakTarget, Block continueTarget) {
    }

    final ProgramLowering program;
    final Function function;
    final IrFunction ir;
    final MemoryFrame frame;
    private final ExpressionLowering expressions;
    private final Map<Variable, VReg> scalars = new IdentityHashMap<>();
    private final Map<Variable, Map<Integer, VReg>> members = new IdentityHashMap<>();
    /** Ids of the registers that hold locals, which an expression may assign while another reads them. */
    private final Set<Integer> localRegisters = new HashSet<>();
    private final Deque<Targets> targets = new ArrayDeque<>();
    /** The block that starts at each label of the function, created at the first goto or label that names it. */
    private final Map<String, Block> labels = new HashMap<>();
    /** The frame base: the plugin address of the function's frame, which is also its callees' stack pointer. */
    VReg frameBase;
    /** The stack pointer the caller passed: the end of this function's frame, or the start of its argument area. */
    VReg stackPointer;
    private Block current;
    /** The statement being lowered, for the line table. */
    private SourceLocation line;

    FunctionLowering(ProgramLowering program, Function function) {
        this.program = program;
        this.function = function;
        this.frame = MemoryFrame.of(function);
        CType returnType = function.type().returnType();
        Width result = returnType.isVoid() ? null : program.widthOf(returnType, function.location());
        this.ir = new IrFunction(function.name(), function.location(), function.parameters().size(), result,
                        frame.stackFrameSize(), function.type().isVariadic());
        this.expressions = new ExpressionLowering(this);
    }

    IrFunction lower() {
        current = ir.newBlock();
        line = function.location();
        lowerEntry();
        statement(function.body());
        if (!current.isTerminated()) {
            // Falling off the end of a non-void function returns 0, as the Truffle tier's zeroed return slot does.
            emit(new Instr.Return(ir.result() == null ? null : Imm.of(0, ir.result())));
        }
        ir.orderBlocks();
        ir.removeDeadCode();
        return ir;
    }

    /** Reads the stack pointer and the parameters, places the frame and zeroes the locals' registers. */
    private void lowerEntry() {
        stackPointer = ir.newRegister(Width.I32, "stack pointer");
        emit(new Instr.Param(stackPointer, 0));
        frameBase = ir.newRegister(Width.I32, "frame base");
        emit(new Instr.Binary(Instr.BinaryOp.SUB, frameBase, stackPointer, Imm.of(frame.stackFrameSize(), Width.I32)));

        List<Variable> parameters = function.parameters();
        for (int i = 0; i < parameters.size(); i++) {
            Variable parameter = parameters.get(i);
            CType type = parameter.type();
            Width width = program.widthOf(type, parameter.location());
            if (frame.storage(parameter) == MemoryFrame.Storage.SCALAR) {
                emit(new Instr.Param(declareScalar(parameter, width), i + 1));
            } else {
                VReg argument = ir.newRegister(width, parameter.name());
                emit(new Instr.Param(argument, i + 1));
                emit(new Instr.Store(frameBase, frame.offsetOf(parameter), argument, type.size(), false, null));
            }
        }

        for (Variable local : function.locals()) {
            switch (frame.storage(local)) {
                case SCALAR -> {
                    VReg register = declareScalar(local, program.widthOf(local.type(), local.location()));
                    emit(new Instr.Move(register, Imm.of(0, register.width())));
                }
                case SCALAR_MEMBERS -> {
                    Map<Integer, VReg> byOffset = new HashMap<>();
                    for (MemoryFrame.ScalarMember member : frame.scalarMembers(local)) {
                        VReg register = ir.newRegister(program.widthOf(member.type(), local.location()),
                                        local.name() + "@" + member.offset());
                        localRegisters.add(register.id());
                        byOffset.put(member.offset(), register);
                        emit(new Instr.Move(register, Imm.of(0, register.width())));
                    }
                    members.put(local, byOffset);
                }
                case MEMORY -> program.checkType(local.type(), local.location());
            }
        }
    }

    private VReg declareScalar(Variable variable, Width width) {
        VReg register = ir.newRegister(width, variable.name());
        scalars.put(variable, register);
        localRegisters.add(register.id());
        return register;
    }

    // ---- State shared with ExpressionLowering ----

    /** Appends an instruction to the current block, located at the statement being lowered. */
    void emit(Instr instruction) {
        current.add(instruction, line);
    }

    Block currentBlock() {
        return current;
    }

    /** Ends the current block with a jump to {@code target} when it has no terminator, and continues in {@code target}. */
    void startBlock(Block target) {
        if (!current.isTerminated()) {
            emit(new Instr.Jump(target));
        }
        current = target;
    }

    /** Continues in {@code block}, whose predecessors have already jumped to it. */
    void switchTo(Block block) {
        current = block;
    }

    VReg temporary(Width width) {
        return ir.newRegister(width, "");
    }

    Site site(SourceLocation location) {
        return ir.newSite(location);
    }

    /** Returns the register of a scalar local or parameter, or null when it lives in memory. */
    VReg scalarRegister(Variable variable) {
        return scalars.get(variable);
    }

    /** Returns the register of the member at {@code offset} of a scalar-replaced struct local, or null. */
    VReg memberRegister(Variable variable, int offset) {
        Map<Integer, VReg> byOffset = members.get(variable);
        return byOffset == null ? null : byOffset.get(offset);
    }

    boolean isLocalRegister(Operand operand) {
        return operand instanceof VReg register && localRegisters.contains(register.id());
    }

    // ---- Statements ----

    private void statement(Stmt statement) {
        SourceLocation outer = line;
        line = statement.location() != null ? statement.location() : outer;
        if (current.isTerminated()) {
            // Code after break, continue or return: lowered into a block that nothing reaches.
            current = ir.newBlock();
        }
        switch (statement) {
            case Stmt.Block b -> b.statements().forEach(this::statement);
            case Stmt.ExprStmt e -> expressions.effect(e.expression());
            case Stmt.Declaration d -> declaration(d.variable());
            case Stmt.If i -> ifStatement(i);
            case Stmt.While w -> loop(null, w.condition(), w.body(), null, true);
            case Stmt.DoWhile d -> loop(null, d.condition(), d.body(), null, false);
            case Stmt.For f -> loop(f.init(), f.condition(), f.body(), f.step(), true);
            case Stmt.Switch s -> switchStatement(s);
            case Stmt.Break b -> emit(new Instr.Jump(targets.peek().breakTarget()));
            case Stmt.Continue c -> emit(new Instr.Jump(continueTarget()));
            case Stmt.Return r -> emit(new Instr.Return(r.value() == null ? null : expressions.value(r.value())));
            case Stmt.Label l -> startBlock(labelBlock(l.name()));
            case Stmt.Goto g -> {
                // Each goto costs a step of the budget at the goto, as in the Truffle tier.
                if (program.budgetEnabled()) {
                    emit(new Instr.BudgetStep(site(g.location())));
                }
                emit(new Instr.Jump(labelBlock(g.label())));
            }
            case Stmt.Empty e -> {
            }
            default -> throw new UnsupportedFeatureException(statement.location(),
                            "the statement " + statement.getClass().getSimpleName());
        }
        line = outer;
    }

    private Block labelBlock(String name) {
        return labels.computeIfAbsent(name, label -> ir.newBlock());
    }

    private Block continueTarget() {
        for (Targets enclosing : targets) {
            if (enclosing.continueTarget() != null) {
                return enclosing.continueTarget();
            }
        }
        throw new IllegalStateException("continue outside a loop in " + function.name() + "()");
    }

    private void ifStatement(Stmt.If statement) {
        Block thenBlock = ir.newBlock();
        Block elseBlock = statement.elseBranch() == null ? null : ir.newBlock();
        Block end = ir.newBlock();
        expressions.branch(statement.condition(), thenBlock, elseBlock == null ? end : elseBlock);
        switchTo(thenBlock);
        statement(statement.thenBranch());
        startBlock(end);
        if (elseBlock != null) {
            switchTo(elseBlock);
            statement(statement.elseBranch());
            startBlock(end);
        }
        switchTo(end);
    }

    /**
     * Lowers while, do-while and for. As in the Truffle tier, an iteration runs the body, then the
     * step, then costs one step of the budget at the loop's location, and then tests the condition
     * again; {@code continue} goes to the step.
     */
    private void loop(Stmt init, org.kplugins.kpc.ast.Expr condition, Stmt body,
                    org.kplugins.kpc.ast.Expr step, boolean testFirst) {
        SourceLocation loopLocation = line;
        if (init != null) {
            statement(init);
        }
        Block test = ir.newBlock();
        Block bodyBlock = ir.newBlock();
        Block latch = ir.newBlock();
        Block exit = ir.newBlock();

        startBlock(testFirst ? test : bodyBlock);
        if (testFirst) {
            testCondition(condition, bodyBlock, exit);
            switchTo(bodyBlock);
        }
        targets.push(new Targets(exit, latch));
        statement(body);
        targets.pop();

        startBlock(latch);
        if (step != null) {
            expressions.effect(step);
        }
        if (program.budgetEnabled()) {
            emit(new Instr.BudgetStep(site(loopLocation)));
        }
        if (testFirst) {
            emit(new Instr.Jump(test));
        } else {
            testCondition(condition, bodyBlock, exit);
        }
        switchTo(exit);
    }

    private void testCondition(org.kplugins.kpc.ast.Expr condition, Block ifTrue, Block ifFalse) {
        if (condition == null) {
            emit(new Instr.Jump(ifTrue));
        } else {
            expressions.branch(condition, ifTrue, ifFalse);
        }
    }

    /**
     * Lowers a switch as a chain of compares in case order, as the Truffle tier finds the first
     * matching case, then the body with a block at each case label, so execution falls through.
     */
    private void switchStatement(Stmt.Switch statement) {
        Operand selector = expressions.value(statement.selector());
        List<Stmt> body = statement.body().statements();
        Block exit = ir.newBlock();
        Map<Integer, Block> labels = new HashMap<>();
        for (Stmt.SwitchCase switchCase : statement.cases()) {
            labels.computeIfAbsent(switchCase.statementIndex(), index -> index == body.size() ? exit : ir.newBlock());
        }
        if (statement.defaultIndex() >= 0) {
            labels.computeIfAbsent(statement.defaultIndex(), index -> index == body.size() ? exit : ir.newBlock());
        }

        for (Stmt.SwitchCase switchCase : statement.cases()) {
            Block next = ir.newBlock();
            emit(new Instr.Branch(Cond.EQ, selector, Imm.of(switchCase.value(), selector.width()),
                            labels.get(switchCase.statementIndex()), next));
            switchTo(next);
        }
        emit(new Instr.Jump(statement.defaultIndex() >= 0 ? labels.get(statement.defaultIndex()) : exit));

        // No jump leads to the statements before the first label, so they go into an unreachable block.
        current = ir.newBlock();
        targets.push(new Targets(exit, null));
        for (int i = 0; i < body.size(); i++) {
            Block label = labels.get(i);
            if (label != null) {
                startBlock(label);
            }
            statement(body.get(i));
        }
        targets.pop();
        startBlock(exit);
    }

    /**
     * Lowers a local definition as the Truffle tier does. A register local gets its initial value
     * or 0. A memory local is zero-filled unless its initializer stores every byte, and then each
     * initializer item is stored. A scalar-replaced struct zeroes the members without an item and
     * then sets the others.
     */
    private void declaration(Variable variable) {
        CType type = variable.type();
        List<InitItem> items = variable.initializer();
        switch (frame.storage(variable)) {
            case SCALAR -> {
                VReg register = scalars.get(variable);
                if (items == null || items.isEmpty()) {
                    emit(new Instr.Move(register, Imm.of(0, register.width())));
                } else {
                    InitItem item = items.get(0);
                    Operand value = expressions.convert(expressions.value(item.value()), item.value().type(), type);
                    emit(new Instr.Move(register, value));
                }
            }
            case SCALAR_MEMBERS -> {
                Set<Integer> initialized = new HashSet<>();
                if (items != null) {
                    items.forEach(item -> initialized.add(item.offset()));
                }
                for (MemoryFrame.ScalarMember member : frame.scalarMembers(variable)) {
                    if (!initialized.contains(member.offset())) {
                        VReg register = memberRegister(variable, member.offset());
                        emit(new Instr.Move(register, Imm.of(0, register.width())));
                    }
                }
                if (items != null) {
                    for (InitItem item : items) {
                        Operand value = expressions.convert(expressions.value(item.value()), item.value().type(),
                                        item.type());
                        emit(new Instr.Move(memberRegister(variable, item.offset()), value));
                    }
                }
            }
            case MEMORY -> {
                int offset = frame.offsetOf(variable);
                if (items == null || !coversEveryByte(items, type.size())) {
                    emit(new Instr.ZeroFill(frameBase, offset, type.size()));
                }
                if (items != null) {
                    expressions.storeItems(offset, items);
                }
            }
        }
    }

    /** Returns whether the items store every byte of an object of {@code size} bytes; bit-field items count for none. */
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
