# SPDX-License-Identifier: Apache-2.0
#
# One row of the grayscale loop, in four instruction orders. Each function has the C signature
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

    .section .note.GNU-stack, "", @progbits
