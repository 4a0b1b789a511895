/*
 * Frame-pointer backtraces.  Everything is built with frame pointers, so
 * each frame starts with the caller's frame pointer followed by the return
 * address; walking that chain needs no unwind tables.  The walk checks
 * every link (alignment, bounds, strictly growing towards the stack's
 * base) so a corrupted stack ends the trace instead of faulting.
 */
#ifndef UK_ARCH_BACKTRACE_H
#define UK_ARCH_BACKTRACE_H

#include <stddef.h>
#include <stdint.h>

/**
 * Walks the frame chain from frame pointer fp and stores up to max return
 * addresses in pcs.  Links outside [lo, hi) end the walk (hi 0: no upper
 * bound).  Returns the number of addresses stored.
 */
int uk_arch_backtrace_walk(uintptr_t fp, uintptr_t lo, uintptr_t hi,
			   uintptr_t *pcs, int max);

#endif
