/*
 * A second store library for the plat-test image, in its own object
 * file, so the test proves that the linker script gathers the sections
 * of several translation units (and keeps them under --gc-sections, as
 * nothing refers to these entries by name).
 */
#include <uk/store.h>

static int get_n(void *cookie, uint64_t *out)
{
	*out = (uint64_t)(uintptr_t)cookie;
	return 0;
}

UK_STORE_LIBRARY(kvmtest_b);
UK_STORE_STATIC_ENTRY(kvmtest_b, first, u64, counter, none, "One.", get_n,
		      NULL, 1);
UK_STORE_STATIC_ENTRY(kvmtest_b, second, u64, counter, none, "Two.", get_n,
		      NULL, 2);
UK_STORE_STATIC_ENTRY(kvmtest_b, third, u64, counter, none, "Three.", get_n,
		      NULL, 3);
