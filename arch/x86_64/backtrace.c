/*
 * Frame-pointer stack walking, shared by every platform (kvm's panic and
 * exception reports use it).  A frame is [fp] = caller's fp, [fp+8] =
 * return address.  The walk trusts nothing: each link must be 8-aligned,
 * inside the given bounds and above the previous one, so a smashed stack
 * yields a short trace rather than a second fault.
 */
#include <uk/arch/backtrace.h>

/* See uk/arch/backtrace.h; returns the number of addresses stored. */
int uk_arch_backtrace_walk(uintptr_t fp, uintptr_t lo, uintptr_t hi,
			   uintptr_t *pcs, int max)
{
	int n = 0;

	while (n < max && fp && !(fp & 7) && fp >= lo &&
	       (!hi || fp + 16 <= hi)) {
		const uintptr_t *frame = (const uintptr_t *)fp;
		uintptr_t next = frame[0], pc = frame[1];

		if (!pc)
			break;
		pcs[n++] = pc;
		if (next <= fp)
			break;
		fp = next;
	}
	return n;
}
