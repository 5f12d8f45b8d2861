// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kplugins.kpc.ast.BinaryOp;
import org.kplugins.kpc.ast.Expr;
import org.kplugins.kpc.ast.InitItem;
import org.kplugins.kpc.ast.Stmt;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.IntegerType;
import org.kplugins.kpc.types.PointerType;

/**
 * Strength reduction of the addresses that a for loop's body computes from the loop counter, for
 * the Truffle tier. In
 *
 * <pre>
 * for (uint32_t x = 0; x &lt; width; x++) {
 *     uint32_t i = y * stride + x;
 *     ... src[i] ... dst[i].r ... dst[i].g ...
 * }
 * </pre>
 *
 * {@code src + 3 * i} and {@code dst + 3 * i} grow by 3 with each {@code x++}. Each such address
 * gets a frame slot that the loop sets before its first test and moves by its increment after
 * each step, and the body reads the slot. Graal 25.0.1 has no strength reduction phase among its
 * loop phases. Without this class, the compiled loop computes {@code y * stride + x}, multiplies
 * it by 3 and adds the base for every pixel. In benchmarks/loop-order, Graal's machine code for
 * the grayscale row took 440 us per 512x512 image with that multiplication (jit_folded) and
 * 349 us with addresses that grow (jit_now).
 *
 * <p>A pointer {@code p + index} or {@code p - index} qualifies when {@code p} does not change in the loop and
 * {@code index} is {@code a * x + b} for a constant {@code a} other than 0 and a {@code b} that
 * does not change in the loop, all in 32-bit arithmetic. The counter {@code x} is a 32-bit
 * integer local in a frame slot that only the loop's step changes, by a constant. {@code index}
 * may name locals that the body defines at its top level from such expressions ({@code i}
 * above). Only pure expressions qualify: constants, reads of locals and parameters in frame slots,
 * members of scalar-replaced struct locals, integer casts, +, -, and * or << by a constant.
 * Since addresses wrap at 2^32 like the arithmetic, the slot contains exactly the value that the
 * expression would have, so the transformation changes no result and no fault.
 */
final class LoopPointers {

    /** The maximum number of addresses that one loop reduces. Each costs a frame slot and an addition per iteration. */
    static final int MAX_POINTERS = 8;

    /**
     * An address that lives in a frame slot during a loop: the expression that computes its first
     * value, its increment per step, and every occurrence in the loop that reads the slot.
     */
    record Pointer(Expr.PointerArithmetic first, int increment, List<Expr.PointerArithmetic> uses) {
    }

    /**
     * The reduction of one loop: the addresses, and the locals that the body defines at its top
     * level from the counter, in definition order, which the set-up before the loop computes too.
     */
    record Plan(List<Map.Entry<Variable, Expr>> derived, List<Pointer> pointers) {
    }

    private final FrameLayout frame;
    private final Variable counter;
    /** Locals that the loop assigns, defines or changes through ++ and --. */
    private final Set<Variable> changed = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Locals assigned by an expression in the loop, as opposed to defined by a declaration. */
    private final Set<Variable> assigned = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Variable, Expr> derived = new LinkedHashMap<>();
    private final List<Expr.PointerArithmetic> candidates = new ArrayList<>();
    /** Numbers the variables that {@link #shape} names, so that distinct variables never share a key. */
    private final Map<Variable, Integer> variableNumbers = new IdentityHashMap<>();

    private LoopPointers(FrameLayout frame, Variable counter) {
        this.frame = frame;
        this.counter = counter;
    }

    /** Returns what {@code loop} reduces, or null when it reduces nothing. */
    static Plan plan(Stmt.For loop, FrameLayout frame) {
        if (loop.step() == null) {
            return null;
        }
        Variable counter = steppedVariable(loop.step());
        Integer step = counter == null ? null : stepOf(loop.step());
        if (step == null || !isInt32(counter.type()) || frame.slotOf(counter) == null || counter.isAddressTaken()) {
            return null;
        }
        LoopPointers analysis = new LoopPointers(frame, counter);
        analysis.scanStatement(loop.body());
        if (loop.condition() != null) {
            analysis.scan(loop.condition());
        }
        if (analysis.changed.contains(counter)) {
            return null;
        }
        analysis.findDerived(loop.body());
        return analysis.reduce(step);
    }

    /** Returns the variable that {@code x++}, {@code x--}, {@code x += c} or {@code x -= c} changes, or null. */
    private static Variable steppedVariable(Expr step) {
        Expr target = switch (step) {
            case Expr.IncDec i -> i.target();
            case Expr.CompoundAssign c -> c.target();
            default -> null;
        };
        return target instanceof Expr.VariableRef ref ? ref.variable() : null;
    }

    /** Returns the constant by which the step changes its variable, or null when it is not one. */
    private static Integer stepOf(Expr step) {
        if (step instanceof Expr.IncDec i) {
            return i.increment() ? i.step() : -i.step();
        }
        if (step instanceof Expr.CompoundAssign c && c.value() instanceof Expr.IntConstant constant
                        && (c.op() == BinaryOp.ADD || c.op() == BinaryOp.SUB) && isInt32(c.operationType())) {
            int value = (int) constant.value();
            return c.op() == BinaryOp.ADD ? value : -value;
        }
        return null;
    }

    private static boolean isInt32(CType type) {
        return type instanceof IntegerType integer && integer.size() == Integer.BYTES;
    }

    /**
     * Records the locals that the body's top-level declarations define as {@code a * x + b}. Such
     * a local must not be assigned anywhere in the loop.
     */
    private void findDerived(Stmt body) {
        if (!(body instanceof Stmt.Block block)) {
            return;
        }
        for (Stmt statement : block.statements()) {
            if (!(statement instanceof Stmt.Declaration declaration)) {
                continue;
            }
            Variable local = declaration.variable();
            List<InitItem> items = local.initializer();
            if (items == null || items.size() != 1 || !isInt32(local.type()) || frame.slotOf(local) == null
                            || local.isAddressTaken() || assigned.contains(local)) {
                continue;
            }
            if (coefficient(items.get(0).value()) != null) {
                derived.put(local, items.get(0).value());
            }
        }
    }

    private Plan reduce(int step) {
        Map<String, Pointer> byShape = new LinkedHashMap<>();
        for (Expr.PointerArithmetic candidate : candidates) {
            Integer perCounter = coefficient(candidate.index());
            if (perCounter == null || perCounter == 0 || !isInvariantPointer(candidate.pointer())) {
                continue;
            }
            String shape = shape(candidate);
            Pointer pointer = byShape.get(shape);
            if (pointer == null) {
                if (byShape.size() == MAX_POINTERS) {
                    continue;
                }
                int increment = perCounter * candidate.elementSize() * step;
                pointer = new Pointer(candidate, candidate.op() == BinaryOp.SUB ? -increment : increment, new ArrayList<>());
                byShape.put(shape, pointer);
            }
            pointer.uses().add(candidate);
        }
        if (byShape.isEmpty()) {
            return null;
        }
        return new Plan(new ArrayList<>(derived.entrySet()), new ArrayList<>(byShape.values()));
    }

    /** Returns whether {@code pointer} is a local or parameter in a frame slot that the loop does not change, maybe cast. */
    private boolean isInvariantPointer(Expr pointer) {
        Expr base = pointer;
        while (base instanceof Expr.Cast cast && cast.operand().type() instanceof PointerType) {
            base = cast.operand();
        }
        return base instanceof Expr.VariableRef ref && isInvariant(ref.variable());
    }

    private boolean isInvariant(Variable variable) {
        return !changed.contains(variable) && !variable.isAddressTaken() && frame.slotOf(variable) != null;
    }

    /**
     * Returns {@code a} when {@code e} is {@code a * x + b} with {@code b} unchanged in the loop,
     * in 32-bit wrapping arithmetic, or null when it is not of that form or not pure.
     */
    private Integer coefficient(Expr e) {
        return switch (e) {
            case Expr.IntConstant c -> c.type() instanceof IntegerType ? 0 : null;
            case Expr.VariableRef ref -> variableCoefficient(ref.variable());
            case Expr.MemberAccess access -> {
                Variable root = ScalarReplacement.chainRoot(access);
                yield root != null && frame.isScalarReplaced(root) && !changed.contains(root) ? 0 : null;
            }
            case Expr.Cast cast -> castCoefficient(cast);
            case Expr.Binary binary -> binaryCoefficient(binary);
            default -> null;
        };
    }

    private Integer variableCoefficient(Variable variable) {
        if (variable == counter) {
            return 1;
        }
        Expr definition = derived.get(variable);
        if (definition != null) {
            return coefficient(definition);
        }
        return isInvariant(variable) && variable.type() instanceof IntegerType ? 0 : null;
    }

    private Integer castCoefficient(Expr.Cast cast) {
        if (!(cast.type() instanceof IntegerType) || !(cast.operand().type() instanceof IntegerType)) {
            return null;
        }
        Integer inner = coefficient(cast.operand());
        if (inner == null || inner == 0) {
            return inner;
        }
        // Between 32-bit types a conversion keeps the bits, so the value stays affine.
        return isInt32(cast.type()) && isInt32(cast.operand().type()) ? inner : null;
    }

    private Integer binaryCoefficient(Expr.Binary binary) {
        if (!(binary.type() instanceof IntegerType)) {
            return null;
        }
        Integer left = coefficient(binary.left());
        Integer right = coefficient(binary.right());
        if (left == null || right == null) {
            return null;
        }
        Integer result = switch (binary.op()) {
            case ADD -> left + right;
            case SUB -> left - right;
            case MUL -> scaled(left, binary.right(), right, binary.left());
            case SHL -> binary.right() instanceof Expr.IntConstant count && count.value() >= 0 && count.value() < 32
                            ? left << count.value() : null;
            default -> null;
        };
        if (result != null && result != 0 && !isInt32(binary.type())) {
            return null;
        }
        return result;
    }

    /** Returns the coefficient of {@code varying * constant}, or null unless one side is an integer constant. */
    private static Integer scaled(int leftCoefficient, Expr right, int rightCoefficient, Expr left) {
        if (leftCoefficient == 0 && rightCoefficient == 0) {
            return 0;
        }
        if (right instanceof Expr.IntConstant constant) {
            return leftCoefficient * (int) constant.value();
        }
        if (left instanceof Expr.IntConstant constant) {
            return rightCoefficient * (int) constant.value();
        }
        return null;
    }

    /** Returns a key that two occurrences of the same address share: the same operator, base, size and index. */
    private String shape(Expr.PointerArithmetic p) {
        return p.op() + " " + p.elementSize() + " " + shapeOf(p.pointer()) + " " + shapeOf(p.index());
    }

    private String shapeOf(Expr e) {
        return switch (e) {
            case Expr.IntConstant c -> c.type().spelling() + ":" + c.value();
            case Expr.VariableRef ref -> "v" + variableNumbers.computeIfAbsent(ref.variable(), v -> variableNumbers.size());
            case Expr.MemberAccess access -> "(" + shapeOf(access.struct()) + ")." + access.member().offset();
            case Expr.Cast cast -> "(" + cast.type().spelling() + ")(" + shapeOf(cast.operand()) + ")";
            case Expr.Binary binary -> "(" + shapeOf(binary.left()) + binary.op().spelling + shapeOf(binary.right()) + ")";
            default -> throw new IllegalArgumentException("not an affine expression: " + e);
        };
    }

    // ---- The scan of the loop for changed locals and candidate addresses ----

    private void scanStatement(Stmt statement) {
        AstParts.visitParts(statement, this::scanStatement, this::scan, this::define);
    }

    private void define(Variable variable) {
        changed.add(variable);
        AstParts.forEachInitializerValue(variable, this::scan);
    }

    private void assign(Expr target) {
        Variable root = switch (target) {
            case Expr.VariableRef ref -> ref.variable();
            case Expr.MemberAccess access -> ScalarReplacement.chainRoot(access);
            default -> null;
        };
        if (root != null) {
            changed.add(root);
            assigned.add(root);
        }
    }

    private void scan(Expr e) {
        switch (e) {
            case Expr.PointerArithmetic p -> candidates.add(p);
            case Expr.Assign a -> assign(a.target());
            case Expr.CompoundAssign c -> assign(c.target());
            case Expr.IncDec i -> assign(i.target());
            case Expr.CompoundLiteral c -> {
                define(c.variable());
                return;
            }
            default -> {
            }
        }
        AstParts.forEachSubexpression(e, this::scan);
    }
}
