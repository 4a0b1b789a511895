/*
 * x86-64 execution contexts for cooperative threads.  A context is just
 * the saved stack pointer: uk_arch_ctx_switch() pushes the callee-saved
 * registers and the floating-point control state (MXCSR and the x87
 * control word, which the SysV ABI also makes callee-saved) on the old
 * stack and pops them from the new one.  The same code serves every
 * platform, since linuxu processes and the kvm kernel share the ABI.
 */
#ifndef UK_ARCH_CTX_H
#define UK_ARCH_CTX_H

#include <stddef.h>
#include <stdint.h>

/** A saved context: the stack pointer of its switch frame. */
struct uk_arch_ctx {
	uintptr_t sp;
};

/**
 * Saves the running context in *prev and resumes *next.  Returns when
 * some later switch resumes *prev.  prev and next may not be the same.
 */
void uk_arch_ctx_switch(struct uk_arch_ctx *prev, struct uk_arch_ctx *next);

/* Where a fresh context starts: calls r12(r13) and traps if it returns. */
void _uk_arch_ctx_trampoline(void);

/* Size of the frame uk_arch_ctx_switch() keeps on a suspended stack. */
#define UK_ARCH_CTX_FRAME 64

/** Default MXCSR (all exceptions masked) and x87 control word. */
#define UK_ARCH_MXCSR_DEFAULT 0x1f80u
#define UK_ARCH_FCW_DEFAULT 0x037fu

/** The floating-point control state a switch preserves per context. */
static inline uint32_t uk_arch_mxcsr_read(void)
{
	uint32_t v;

	__asm__ __volatile__("stmxcsr %0" : "=m"(v));
	return v;
}

static inline void uk_arch_mxcsr_write(uint32_t v)
{
	__asm__ __volatile__("ldmxcsr %0" : : "m"(v));
}

static inline uint16_t uk_arch_fcw_read(void)
{
	uint16_t v;

	__asm__ __volatile__("fnstcw %0" : "=m"(v));
	return v;
}

static inline void uk_arch_fcw_write(uint16_t v)
{
	__asm__ __volatile__("fldcw %0" : : "m"(v));
}

/**
 * Prepares ctx so that the first switch to it calls fn(arg) on the stack
 * [stack, stack + size).  fn must never return (end the thread instead).
 * The frame mirrors what uk_arch_ctx_switch() pops, with the trampoline
 * as return address and a zero frame pointer ending backtraces.
 */
static inline void uk_arch_ctx_init(struct uk_arch_ctx *ctx, void *stack,
				    size_t size, void (*fn)(void *),
				    void *arg)
{
	uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
	uint64_t *f = (uint64_t *)(top - UK_ARCH_CTX_FRAME);

	f[0] = (uint64_t)UK_ARCH_MXCSR_DEFAULT |
	       ((uint64_t)UK_ARCH_FCW_DEFAULT << 32);
	f[1] = 0;                  /* r15 */
	f[2] = 0;                  /* r14 */
	f[3] = (uintptr_t)arg;     /* r13 */
	f[4] = (uintptr_t)fn;      /* r12 */
	f[5] = 0;                  /* rbx */
	f[6] = 0;                  /* rbp */
	f[7] = (uintptr_t)_uk_arch_ctx_trampoline;
	ctx->sp = (uintptr_t)f;
}

#endif
