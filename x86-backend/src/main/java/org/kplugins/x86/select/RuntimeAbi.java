// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.select;

import java.util.List;
import org.kplugins.x86.asm.Register;

/**
 * The conventions that plugin machine code, the entry trampoline and the Java runtime share.
 *
 * <p>Registers. R15 contains the native address of plugin address 0, R14 the instance's context
 * block, and R13 the native page table. The entry trampoline sets all three, and plugin code never
 * changes them. RAX, RCX and RDX are scratch registers of the instruction patterns (division,
 * shifts by a variable count, memory checks, results), R10 and R11 are scratch registers of the
 * emitter (reloads of spilled values), and RBP is the frame pointer. The register allocator uses
 * the rest: {@link #ALLOCATABLE}.
 *
 * <p>Calls between plugin functions. The caller stores the callee's plugin stack pointer (its own
 * frame base) in the 8-byte slot at {@code [rsp]} and argument i at {@code [rsp + 8 * (i + 1)]},
 * 4 bytes for a 32-bit value and 8 for a long long, and the result comes back in RAX. The callee
 * preserves every allocatable register it uses, so no register dies at a call. RSP is 16-byte
 * aligned at every call, as the System V ABI requires for the upcall.
 *
 * <p>The context block. One per plugin instance, in native memory, at the offsets below. The
 * runtime fills it before each call from the host and reads the fault fields after it.
 *
 * <p>{@link CodeMode#HARDWARE}. Every memory operand with base R15 carries a GS override, and R15
 * contains 0: the runtime sets the context block's {@link #MEMORY_BASE} field to 0, which the
 * entry trampoline loads into R15 as in the other mode. The emulated CPU gives GS the native
 * address of plugin address 0 as its base and the segment limit minus 1 as its limit, so
 * {@code gs:[r15 + rax]} addresses plugin address RAX. A checked access still leaves its 32-bit
 * plugin address in EAX, but no code reads R13 or the page table.
 */
public final class RuntimeAbi {

    private RuntimeAbi() {
    }

    public static final Register MEMORY_BASE_REGISTER = Register.R15;
    public static final Register CONTEXT_REGISTER = Register.R14;
    public static final Register PAGE_TABLE_REGISTER = Register.R13;

    /** The registers the allocator assigns. RBX and R12 survive an upcall by the System V ABI; the others are saved around it. */
    public static final List<Register> ALLOCATABLE = List.of(Register.RBX, Register.RSI, Register.RDI, Register.R8,
                    Register.R9, Register.R12);

    /** The allocatable registers that the System V ABI lets the upcall's Java side change, saved around each upcall. */
    public static final List<Register> SAVED_AROUND_UPCALL = List.of(Register.RSI, Register.RDI, Register.R8, Register.R9);

    /** Context block: native address of plugin address 0 (8 bytes), or 0 for {@link CodeMode#HARDWARE} code. */
    public static final int MEMORY_BASE = 0;
    /** Context block: native address of the page table (8 bytes), one flags byte per page of the whole 32-bit space. */
    public static final int PAGE_TABLE = 8;
    /** Context block: remaining steps of the execution budget (8 bytes, signed); a step that makes it negative faults. */
    public static final int BUDGET = 16;
    /** Context block: RSP of the entry trampoline, where a fault unwinds to (8 bytes). */
    public static final int ENTRY_RSP = 24;
    /** Context block: lowest RSP plugin code may use (8 bytes); a prologue below it faults with STACK_OVERFLOW. */
    public static final int NATIVE_STACK_LIMIT = 32;
    /** Context block: native address of the fault stub taken, 0 while no fault happened (8 bytes). */
    public static final int FAULT_PC = 40;
    /** Context block: the faulting plugin address of a memory fault, in the low 32 bits (8 bytes). */
    public static final int FAULT_ADDRESS = 48;
    /** Context block: return address of the function whose prologue found the native stack used up (8 bytes). */
    public static final int FAULT_RETURN_ADDRESS = 56;
    /** Context block: nonzero after an upcall that ended with a fault or an exception, which the runtime keeps (4 bytes). */
    public static final int UNWIND = 64;
    /** Context block: native address of the upcall stub (8 bytes). */
    public static final int UPCALL = 72;
    /**
     * Context block: native address of the program's function table (8 bytes): per entry of the
     * plugin's function pointer table, {@link #TABLE_ENTRY_BYTES} bytes of signature number (4),
     * callee frame size on the plugin stack (4) and native code address (8), 0 for a host function.
     */
    public static final int FUNCTION_TABLE = 80;
    /** Context block: the plugin address of each imported data window, 4 bytes each. */
    public static final int DATA_IMPORTS = 88;

    /** Bytes of one entry of the native function table. */
    public static final int TABLE_ENTRY_BYTES = 16;

    /** Bytes of the saved RBP and return address above a function's frame pointer, where its arguments start. */
    public static final int INCOMING_ARGUMENTS = 16;
}
