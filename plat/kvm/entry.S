/*
 * Interrupt and exception entry.  One 16-byte stub per vector (256 of
 * them, so traps.c can compute stub addresses) pushes a zero error code
 * when the CPU pushes none, then the vector, and joins the common path,
 * which saves the general registers as a struct uk_kvm_regs, saves the
 * FPU/SSE state (C code, and so any handler, may use SSE registers that
 * the interrupted code was using), calls _uk_kvm_trap and returns with
 * iretq.  The interrupted %rbp is left in place, so a backtrace taken in
 * a handler continues through the interrupted frames.
 */
	.section .text.traps, "ax"
	.code64

	.balign 16
	.globl _uk_kvm_trap_stubs
_uk_kvm_trap_stubs:
vec = 0
	.rept 256
	.balign 16
	.if !((vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30))
	pushq $0
	.endif
	pushq $vec
	jmp _uk_kvm_trap_common
vec = vec + 1
	.endr

_uk_kvm_trap_common:
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, %rdi
	mov %rsp, %rbx
	sub $512, %rsp
	and $~15, %rsp
	fxsave (%rsp)
	cld
	call _uk_kvm_trap
	fxrstor (%rsp)
	mov %rbx, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
	add $16, %rsp
	iretq

	.section .note.GNU-stack, "", @progbits
