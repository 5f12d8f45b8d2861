# SPDX-License-Identifier: Apache-2.0
#
# One row of the grayscale loop, in several instruction orders. Each function has the C signature
#   void row(uint8_t *base, uint32_t src, uint32_t dst, uint32_t pixels)
# where src and dst are offsets from base, as plugin addresses are offsets from the plugin's
# memory base in KPC's native code. The KPC variants use R15 for that base, as the backend does.

    .intel_syntax noprefix
    .text

# Saves the registers the KPC variants use, moves base to R15 and dst to EDI, and leaves in R9D
# the source offset after the last pixel.
    .macro ENTER_ROW
    push rbx
    push r12
    push r15
    mov r15, rdi
    mov edi, edx
    lea r9d, [rcx + rcx*2]
    add r9d, esi
    .endm

    .macro LEAVE_ROW
    pop r15
    pop r12
    pop rbx
    ret
    .endm

# KPC's native loop before CopyScheduler: the order of the source text.
    .globl source_order
    .p2align 5
source_order:
    ENTER_ROW
    .p2align 5
1:  movzx r12d, byte ptr [r15 + rsi]
    imul r12d, r12d, 77
    movzx ebx, byte ptr [r15 + rsi + 1]
    imul ebx, ebx, 150
    add r12d, ebx
    movzx ebx, byte ptr [r15 + rsi + 2]
    imul ebx, ebx, 29
    lea r12d, [r12 + rbx + 128]
    sar r12d, 8
    movzx r12d, r12b
    mov [r15 + rdi], r12b
    mov [r15 + rdi + 1], r12b
    mov [r15 + rdi + 2], r12b
    lea esi, [rsi + 3]
    lea edi, [rdi + 3]
    cmp esi, r9d
    jne 1b
    LEAVE_ROW

# KPC's native loop after CopyScheduler: loads first, the source increment right after them.
    .globl scheduled
    .p2align 5
scheduled:
    ENTER_ROW
    .p2align 5
1:  movzx r12d, byte ptr [r15 + rsi]
    movzx ebx, byte ptr [r15 + rsi + 1]
    movzx r8d, byte ptr [r15 + rsi + 2]
    lea esi, [rsi + 3]
    imul r12d, r12d, 77
    imul ebx, ebx, 150
    add r12d, ebx
    imul r8d, r8d, 29
    lea r12d, [r12 + r8 + 128]
    sar r12d, 8
    movzx r12d, r12b
    mov [r15 + rdi], r12b
    mov [r15 + rdi + 1], r12b
    mov [r15 + rdi + 2], r12b
    lea edi, [rdi + 3]
    cmp esi, r9d
    jne 1b
    LEAVE_ROW

# The same instructions with the three multiplications in a row.
    .globl three_multiplies
    .p2align 5
three_multiplies:
    ENTER_ROW
    .p2align 5
1:  movzx r12d, byte ptr [r15 + rsi]
    movzx ebx, byte ptr [r15 + rsi + 1]
    movzx r8d, byte ptr [r15 + rsi + 2]
    lea esi, [rsi + 3]
    imul r12d, r12d, 77
    imul ebx, ebx, 150
    imul r8d, r8d, 29
    add r12d, ebx
    lea r12d, [r12 + r8 + 128]
    sar r12d, 8
    movzx r12d, r12b
    mov [r15 + rdi], r12b
    mov [r15 + rdi + 1], r12b
    mov [r15 + rdi + 2], r12b
    lea edi, [rdi + 3]
    cmp esi, r9d
    jne 1b
    LEAVE_ROW

# The inner loop that gcc 12 -O2 makes of examples/grayscale.kpc compiled as C (benchmarks/run),
# with its 16-bit store of two gray bytes, and a pixel counter beside one shared offset.
    .globl gcc_o2
    .p2align 5
gcc_o2:
    ENTER_ROW
    lea r10, [r15 + rsi]
    lea r8, [r15 + rdi]
    mov r9d, ecx
    xor esi, esi
    xor eax, eax
    .p2align 4
1:  movzx edx, byte ptr [r10 + rax]
    movzx ecx, byte ptr [r10 + rax + 1]
    add esi, 1
    imul ecx, ecx, 150
    imul edx, edx, 77
    add edx, ecx
    movzx ecx, byte ptr [r10 + rax + 2]
    imul ecx, ecx, 29
    lea edx, [rdx + rcx + 128]
    sar edx, 8
    movzx ecx, dl
    mov [r8 + rax + 2], dl
    mov ch, dl
    mov [r8 + rax], cx
    add rax, 3
    cmp esi, r9d
    jb 1b
    LEAVE_ROW

# ---- The jit tier's loop ----
#
# The Truffle tier's grayscale loop as Graal compiled it, with R15 for the base of the plugin's
# byte array. Graal addresses an array element as [array + index + 16]; R15 stands for array + 16
# and takes nothing from the timing. Registers: ESI counts the pixels, EDI is y * stride (0 here),
# EBP holds the factor 3, which the Truffle tier reads from an array (KpcScaleNode), R14D and R8D
# are the offsets of src and dst, R9D is the pixel count.

    .macro JIT_ENTER
    push rbx
    push r12
    push r15
    push rbp
    push r14
    mov r15, rdi
    mov r14d, esi
    mov r8d, edx
    mov r9d, ecx
    xor esi, esi
    xor edi, edi
    mov ebp, 3
    .endm

    .macro JIT_LEAVE
    pop r14
    pop rbp
    pop r15
    pop r12
    pop rbx
    ret
    .endm

# One pixel as the loop computed it before: i = x + y * stride, times 3, plus the base, for each
# of src and dst, and the bytes at +1 and +2 each through an address of their own, because an int
# array index must wrap at 2^32 before it widens.
    .macro BEFORE_PIXEL
    mov ecx, esi
    add ecx, edi
    imul ecx, ebp
    lea ebx, [rcx + r14]
    lea r11d, [rbx + 2]
    movzx r11d, byte ptr [r15 + r11]
    movzx eax, byte ptr [r15 + rbx]
    inc ebx
    add ecx, r8d
    imul eax, eax, 77
    movzx ebx, byte ptr [r15 + rbx]
    imul ebx, ebx, 150
    add eax, ebx
    imul r11d, r11d, 29
    add eax, r11d
    lea eax, [rax + 128]
    shr eax, 8
    mov [r15 + rcx], al
    lea r11d, [rcx + 1]
    mov [r15 + r11], al
    lea r11d, [rcx + 2]
    mov [r15 + r11], al
    .endm

# The loop before: Graal unrolled it to two pixels per iteration.
    .globl jit_before
    .p2align 5
jit_before:
    JIT_ENTER
    .p2align 4
1:  BEFORE_PIXEL
    inc esi
    BEFORE_PIXEL
    inc esi
    cmp esi, r9d
    jb 1b
    JIT_LEAVE

# One pixel with the offsets +1 and +2 in the instructions (RawBytes), the index still multiplied.
    .macro FOLDED_PIXEL
    mov ecx, esi
    add ecx, edi
    imul ecx, ebp
    lea ebx, [rcx + r14]
    movzx eax, byte ptr [r15 + rbx]
    movzx r11d, byte ptr [r15 + rbx + 1]
    movzx edx, byte ptr [r15 + rbx + 2]
    add ecx, r8d
    imul eax, eax, 77
    imul r11d, r11d, 150
    add eax, r11d
    imul edx, edx, 29
    add eax, edx
    lea eax, [rax + 128]
    shr eax, 8
    mov [r15 + rcx], al
    mov [r15 + rcx + 1], al
    mov [r15 + rcx + 2], al
    .endm

    .globl jit_folded
    .p2align 5
jit_folded:
    JIT_ENTER
    .p2align 4
1:  FOLDED_PIXEL
    inc esi
    FOLDED_PIXEL
    inc esi
    cmp esi, r9d
    jb 1b
    JIT_LEAVE

# One pixel with addresses that grow by 3 (LoopPointers) in R12D and R10D, the offsets +1 and +2
# still through addresses of their own.
    .macro REDUCED_PIXEL
    lea r11d, [r12 + 2]
    movzx r11d, byte ptr [r15 + r11]
    movzx eax, byte ptr [r15 + r12]
    lea ebx, [r12 + 1]
    movzx ebx, byte ptr [r15 + rbx]
    imul eax, eax, 77
    imul ebx, ebx, 150
    add eax, ebx
    imul r11d, r11d, 29
    add eax, r11d
    lea eax, [rax + 128]
    shr eax, 8
    mov [r15 + r10], al
    lea r11d, [r10 + 1]
    mov [r15 + r11], al
    lea r11d, [r10 + 2]
    mov [r15 + r11], al
    add r12d, 3
    add r10d, 3
    .endm

    .globl jit_reduced
    .p2align 5
jit_reduced:
    JIT_ENTER
    mov r12d, r14d
    mov r10d, r8d
    .p2align 4
1:  REDUCED_PIXEL
    inc esi
    REDUCED_PIXEL
    inc esi
    cmp esi, r9d
    jb 1b
    JIT_LEAVE

# One pixel of the loop now, at offset \k from the addresses in EDX (src) and R10D (dst).
    .macro NOW_PIXEL k
    lea r8d, [rdx + \k]
    movzx ebp, byte ptr [r15 + r8]
    movzx r9d, byte ptr [r15 + r8 + 1]
    lea ecx, [r10 + \k]
    imul ebp, ebp, 77
    imul r9d, r9d, 150
    add ebp, r9d
    movzx r8d, byte ptr [r15 + r8 + 2]
    imul r8d, r8d, 29
    add ebp, r8d
    lea r8d, [rbp + 128]
    shr r8d, 8
    mov [r15 + rcx], r8b
    mov [r15 + rcx + 1], r8b
    mov [r15 + rcx + 2], r8b
    .endm

# The loop now, with both changes and the budget check before the loop: Graal unrolled it to
# four pixels per iteration (the pixel count must be a multiple of 4, as 512 and 2048 are).
    .globl jit_now
    .p2align 5
jit_now:
    JIT_ENTER
    mov r10d, r8d
    mov edx, r14d
    mov r11d, r9d
    .p2align 4
1:  NOW_PIXEL 0
    NOW_PIXEL 3
    NOW_PIXEL 6
    NOW_PIXEL 9
    lea r10d, [r10 + 12]
    lea edx, [rdx + 12]
    lea esi, [rsi + 4]
    cmp esi, r11d
    jb 1b
    JIT_LEAVE

    .section .note.GNU-stack, "", @progbits
