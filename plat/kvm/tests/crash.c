/*
 * The application crash.sh boots to check how the kernel ends: argv[1]
 * picks a fault (ud2, null, div0, gp, stack, panic, assert) raised a few calls
 * deep, so the report must show a backtrace through them, or exit=N to
 * return N from main.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uk/assert.h>
#include <uk/print.h>

static volatile int zero, sink;

/* Recurses until zero says stop: never, but the compiler cannot know. */
static __attribute__((noinline)) int recurse(int n)
{
	volatile char pad[512];

	pad[0] = (char)n;
	if (n < 0 || zero == 12345)
		return 0;
	return recurse(n + 1) + pad[0];
}

static __attribute__((noinline)) int crash_leaf(const char *mode)
{
	if (!strcmp(mode, "ud2"))
		__asm__ __volatile__("ud2");
	if (!strcmp(mode, "null"))
		return *(volatile int *)(uintptr_t)zero;
	if (!strcmp(mode, "div0")) {
		unsigned int q, d = (unsigned int)zero;

		/* In asm: C would fold 1 / x into compares. */
		__asm__ __volatile__("divl %2" : "=a"(q) : "a"(1u), "r"(d),
				     "d"(0u));
		sink = (int)q;
	}
	if (!strcmp(mode, "gp"))
		return *(volatile int *)0x8000000000000000ULL;
	if (!strcmp(mode, "stack"))
		return recurse(0);
	if (!strcmp(mode, "panic"))
		uk_panic("crash test: %s", mode);
	if (!strcmp(mode, "assert"))
		UK_ASSERT(zero == 1);
	return -1;
}

static __attribute__((noinline)) int crash_mid(const char *mode)
{
	int r = crash_leaf(mode);

	__asm__ __volatile__("" : : : "memory"); /* keep the frame */
	return r;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	uk_printk("crash test: mode '%s'\n", mode);
	if (!strncmp(mode, "exit=", 5))
		return atoi(mode + 5);
	crash_mid(mode);
	uk_printk("crash test: mode '%s' did not crash\n", mode);
	return 1;
}
