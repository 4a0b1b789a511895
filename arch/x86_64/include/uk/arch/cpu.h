/*
 * x86-64 CPU instructions that C cannot express: the time-stamp counter,
 * CPUID, MSRs, control registers, halting and the interrupt flag.  They
 * are plain inline wrappers, usable on every platform (linuxu may read
 * the TSC or CPUID but must not use the privileged ones).
 */
#ifndef UK_ARCH_CPU_H
#define UK_ARCH_CPU_H

#include <stdint.h>

#define UK_ARCH_RFLAGS_IF (1UL << 9)

static inline uint64_t uk_arch_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void uk_arch_cpuid(uint32_t leaf, uint32_t sub, uint32_t *a,
				 uint32_t *b, uint32_t *c, uint32_t *d)
{
	__asm__ __volatile__("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			     : "a"(leaf), "c"(sub));
}

static inline uint64_t uk_arch_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void uk_arch_wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ __volatile__("wrmsr" : : "c"(msr), "a"((uint32_t)v),
			     "d"((uint32_t)(v >> 32)) : "memory");
}

static inline uint64_t uk_arch_read_cr2(void)
{
	uint64_t v;

	__asm__ __volatile__("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t uk_arch_read_cr3(void)
{
	uint64_t v;

	__asm__ __volatile__("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline unsigned long uk_arch_read_rflags(void)
{
	unsigned long f;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(f) : : "memory");
	return f;
}

static inline void uk_arch_irq_disable(void)
{
	__asm__ __volatile__("cli" : : : "memory");
}

static inline void uk_arch_irq_enable(void)
{
	__asm__ __volatile__("sti" : : : "memory");
}

/* Enables interrupts and halts with no window between the two. */
static inline void uk_arch_irq_enable_halt(void)
{
	__asm__ __volatile__("sti; hlt" : : : "memory");
}

static inline void uk_arch_halt(void)
{
	__asm__ __volatile__("hlt" : : : "memory");
}

static inline void uk_arch_pause(void)
{
	__asm__ __volatile__("pause" : : : "memory");
}

static inline uintptr_t uk_arch_frame_pointer(void)
{
	return (uintptr_t)__builtin_frame_address(0);
}

#endif
