package org.kplugins.x86.select;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.kplugins.monitor.memory.AddressSpace;
import org.kplugins.x86.ir.Instr;
import org.kplugins.x86.ir.Operand;
import org.kplugins.x86.ir.VReg;

/**
 * Finds groups of checked accesses that one page-table check can cover. A group starts at a checked
 * load or store through a base register. It takes in the later accesses of the same kind in the
 * same block whose base has the same value, as long as nothing between them can fault, write
 * memory, call or branch. Value numbering finds bases that the block computes again from the same
 * operands, as {@code dst[i].r = v; dst[i].g = v;} does. The range the group covers spans at most one page, so
 * checking the pages of its first and last byte checks every byte of every member.
 */
final class AccessGroups {

    /** The bytes {@code [base + start, base + end)} that the members of a group access. */
    record Range(VReg base, long start, long end) {
    }

    private AccessGroups() {
    }

    /** Returns the group that starts at {@code instructions[index]}: the access alone if nothing merges with it. */
    static List<Instr> groupAt(List<Instr> instructions, int index) {
        return groupAt(instructions, baseNumbers(instructions), index);
    }

    /**
     * Returns the group that starts at {@code instructions[index]}, where {@code baseNumbers} are
     * the value numbers of the accesses' bases from {@link #baseNumbers}.
     */
    static List<Instr> groupAt(List<Instr> instructions, int[] baseNumbers, int index) {
        Instr first = instructions.get(index);
        List<Instr> group = new ArrayList<>();
        group.add(first);
        if (checkedBase(first) == null) {
            return group;
        }
        long start = displacement(first);
        long end = start + size(first);
        for (int i = index + 1; i < instructions.size(); i++) {
            Instr next = instructions.get(i);
            if (next.getClass() == first.getClass() && checkedBase(next) != null
                            && baseNumbers[i] == baseNumbers[index]) {
                long nextStart = Math.min(start, displacement(next));
                long nextEnd = Math.max(end, displacement(next) + size(next));
                if (nextEnd - nextStart > AddressSpace.PAGE_SIZE) {
                    break;
                }
                group.add(next);
                start = nextStart;
                end = nextEnd;
            } else if (!cannotFault(next)) {
                break;
            }
        }
        return group;
    }

    /**
     * Numbers the values of a block's registers so that equal numbers mean equal values: a move
     * copies its source's number, and integer operations on operands with the same numbers get the
     * same number. Returns, for each checked access, the number of its base, and -1 elsewhere.
     */
    static int[] baseNumbers(List<Instr> instructions) {
        Map<VReg, Integer> numbers = new HashMap<>();
        Map<List<Object>, Integer> expressions = new HashMap<>();
        int[] result = new int[instructions.size()];
        int[] next = {0};
        for (int i = 0; i < instructions.size(); i++) {
            Instr instruction = instructions.get(i);
            VReg base = checkedBase(instruction);
            result[i] = base == null ? -1 : number(numbers, next, base);
            VReg def = instruction.def();
            if (def == null) {
                continue;
            }
            List<Object> expression = switch (instruction) {
                case Instr.Move m -> List.of("move", def.width(), key(numbers, next, m.src()));
                case Instr.Binary b -> List.of(b.op(), def.width(), key(numbers, next, b.left()), key(numbers, next, b.right()));
                default -> null;
            };
            if (expression != null && instruction instanceof Instr.Move m && m.src() instanceof VReg source
                            && source.width() == def.width()) {
                numbers.put(def, number(numbers, next, source));
            } else if (expression != null) {
                Integer known = expressions.get(expression);
                if (known == null) {
                    known = next[0]++;
                    expressions.put(expression, known);
                }
                numbers.put(def, known);
            } else {
                numbers.put(def, next[0]++);
            }
        }
        return result;
    }

    /** Returns the value number of {@code register}, giving a register that comes into the block a new one. */
    private static int number(Map<VReg, Integer> numbers, int[] next, VReg register) {
        return numbers.computeIfAbsent(register, unused -> next[0]++);
    }

    /** Returns what identifies an operand's value in an expression: a register's number or the constant. */
    private static Object key(Map<VReg, Integer> numbers, int[] next, Operand operand) {
        return operand instanceof VReg register ? Integer.valueOf(number(numbers, next, register)) : operand;
    }

    /** Returns the range that the members of {@code group} cover. */
    static Range range(List<Instr> group) {
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (Instr member : group) {
            start = Math.min(start, displacement(member));
            end = Math.max(end, displacement(member) + size(member));
        }
        return new Range(checkedBase(group.getFirst()), start, end);
    }

    private static VReg checkedBase(Instr instruction) {
        return switch (instruction) {
            case Instr.Load l when l.checked() -> l.base();
            case Instr.Store s when s.checked() -> s.base();
            default -> null;
        };
    }

    private static long displacement(Instr access) {
        return access instanceof Instr.Load l ? l.displacement() : ((Instr.Store) access).displacement();
    }

    private static int size(Instr access) {
        return access instanceof Instr.Load l ? l.size() : ((Instr.Store) access).size();
    }

    /** Returns whether {@code instruction} can neither fault, write memory, call nor branch. */
    private static boolean cannotFault(Instr instruction) {
        return switch (instruction) {
            case Instr.Move m -> true;
            case Instr.Binary b -> true;
            case Instr.Unary u -> true;
            case Instr.Convert c -> true;
            case Instr.Compare c -> true;
            case Instr.FloatBinary f -> true;
            case Instr.FloatCompare f -> true;
            case Instr.FloatConvert f -> true;
            case Instr.Load l -> !l.checked();
            default -> false;
        };
    }
}
