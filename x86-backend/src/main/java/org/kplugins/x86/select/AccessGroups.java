package org.kplugins.x86.select;

import java.util.ArrayList;
import java.util.List;

import org.kplugins.monitor.memory.AddressSpace;
import org.kplugins.x86.ir.Instr;
import org.kplugins.x86.ir.VReg;

/**
 * Finds groups of checked accesses that one page-table check can cover. A group starts at a checked
 * load or store through a base register. It takes in the later accesses of the same kind through
 * the same base in the same block while the base keeps its value and nothing between them can
 * fault, write memory, call or branch. The range the group covers spans at most one page, so
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
        Instr first = instructions.get(index);
        VReg base = checkedBase(first);
        if (base == null) {
            return List.of(first);
        }
        List<Instr> group = new ArrayList<>();
        group.add(first);
        long start = displacement(first);
        long end = start + size(first);
        if (base.equals(first.def())) {
            return group;
        }
        for (int i = index + 1; i < instructions.size(); i++) {
            Instr next = instructions.get(i);
            if (next.getClass() == first.getClass() && base.equals(checkedBase(next))) {
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
            if (base.equals(next.def())) {
                break;
            }
        }
        return group;
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
