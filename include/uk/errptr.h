/*
 * Error pointers: a function that returns a pointer returns either a valid
 * pointer, NULL, or a negative errno folded into the top page of the
 * address space.  Callers test with uk_is_err() before dereferencing.
 */
#ifndef UK_ERRPTR_H
#define UK_ERRPTR_H

#include <stdint.h>

#define UK_ERR_MAX 4095

static inline void *uk_err_ptr(long err) { return (void *)(intptr_t)err; }
static inline long uk_ptr_err(const void *p) { return (long)(intptr_t)p; }
static inline int uk_is_err(const void *p)
{
	return (uintptr_t)p >= (uintptr_t)-UK_ERR_MAX;
}
static inline int uk_is_err_or_null(const void *p)
{
	return !p || uk_is_err(p);
}

#endif
