/*
 * The x86-64 context switch behind uksched's cooperative threads.  Only
 * what the SysV ABI asks a callee to preserve is saved: rbx, rbp, r12-r15,
 * the stack pointer, MXCSR's control bits and the x87 control word; the
 * caller of the switch already treats everything else as clobbered.  The
 * frame layout is shared with uk_arch_ctx_init() in uk/arch/ctx.h.
 */
	.text

/* void uk_arch_ctx_switch(struct uk_arch_ctx *prev, struct uk_arch_ctx *next) */
	.globl uk_arch_ctx_switch
	.type uk_arch_ctx_switch, @function
	.p2align 4
uk_arch_ctx_switch:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	subq	$8, %rsp
	stmxcsr	(%rsp)
	fnstcw	4(%rsp)
	movq	%rsp, (%rdi)
	movq	(%rsi), %rsp
	ldmxcsr	(%rsp)
	fldcw	4(%rsp)
	addq	$8, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.size uk_arch_ctx_switch, . - uk_arch_ctx_switch

/*
 * First code of a fresh context, "returned to" by the switch with a
 * 16-byte aligned stack: call r12(r13).  The entry function must not
 * return; if it does, trap rather than run off into garbage.
 */
	.globl _uk_arch_ctx_trampoline
	.type _uk_arch_ctx_trampoline, @function
	.p2align 4
_uk_arch_ctx_trampoline:
	movq	%r13, %rdi
	callq	*%r12
	ud2
	.size _uk_arch_ctx_trampoline, . - _uk_arch_ctx_trampoline

	.section .note.GNU-stack, "", @progbits
