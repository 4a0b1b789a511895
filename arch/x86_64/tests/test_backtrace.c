/*
 * linuxu (ASan/UBSan) tests of the frame-pointer walker on hand-built
 * frame chains: a normal chain, the bounds, a loop, a chain going down
 * the stack, misaligned and NULL links, and the output limit.  (The
 * kernel's plat-test also walks real stacks.)
 */
#include <stdint.h>

#include <uk/arch/backtrace.h>
#include <uk/test.h>

/* frames[i] = { next fp, return address } */
static uintptr_t frames[8][2] __attribute__((aligned(16)));

static void chain(int n)
{
	int i;

	for (i = 0; i < n; i++) {
		frames[i][0] = i + 1 < n ? (uintptr_t)frames[i + 1] : 0;
		frames[i][1] = 0x1000 + (uintptr_t)i;
	}
}

UK_TEST(backtrace_chain)
{
	uintptr_t pcs[8];
	int i;

	chain(5);
	UK_TEST_EQ(uk_arch_backtrace_walk((uintptr_t)frames[0], 0, 0, pcs,
					    8), 5);
	for (i = 0; i < 5; i++)
		UK_TEST_EQ(pcs[i], 0x1000 + i);
	/* The output limit. */
	UK_TEST_EQ(uk_arch_backtrace_walk((uintptr_t)frames[0], 0, 0, pcs,
					    3), 3);
	UK_TEST_EQ(uk_arch_backtrace_walk((uintptr_t)frames[0], 0, 0, pcs,
					    0), 0);
}

UK_TEST(backtrace_bounds)
{
	uintptr_t pcs[8];

	chain(5);
	/* hi just past frame 2: frames 0..2 are inside. */
	UK_TEST_EQ(uk_arch_backtrace_walk((uintptr_t)frames[0], 0,
					    (uintptr_t)frames[3], pcs, 8), 3);
	/* lo above the start: nothing. */
	UK_TEST_EQ(uk_arch_backtrace_walk((uintptr_t)frames[0],
					    (uintptr_t)frames[1], 0, pcs, 8),
		     0);
}

UK_TEST(backtrace_bad_links)
{
	uintptr_t pcs[8];

	chain(4);
	frames[1][0] = (uintptr_t)frames[0]; /* goes down: stop after it */
	UK_TEST_EQ(uk_arch_backtrace_walk((uintptr_t)frames[0], 0, 0, pcs,
					    8), 2);
	chain(4);
	frames[2][0] = (uintptr_t)frames[2]; /* a loop */
	UK_TEST_EQ(uk_arch_backtrace_walk((uintptr_t)frames[0], 0, 0, pcs,
					    8), 3);
	chain(4);
	frames[1][0] = (uintptr_t)frames[2] + 4; /* misaligned */
	UK_TEST_EQ(uk_arch_backtrace_walk((uintptr_t)frames[0], 0, 0, pcs,
					    8), 2);
	chain(4);
	frames[2][1] = 0; /* no return address: the end */
	UK_TEST_EQ(uk_arch_backtrace_walk((uintptr_t)frames[0], 0, 0, pcs,
					    8), 2);
	UK_TEST_EQ(uk_arch_backtrace_walk(0, 0, 0, pcs, 8), 0);
}
