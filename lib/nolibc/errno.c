/*
 * The errno slot.  Until a scheduler provides per-thread storage (by
 * defining __uk_errno_location() strongly), every thread shares one int.
 */
#include <errno.h>

static int errno_global;

/* The calling thread's errno; weak so a scheduler can replace it. */
__attribute__((weak)) int *__uk_errno_location(void)
{
	return &errno_global;
}
