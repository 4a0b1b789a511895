/*
 * BSD string functions: case-insensitive comparison ("C" locale) and the
 * bit helpers.
 */
#ifndef _NOLIBC_STRINGS_H
#define _NOLIBC_STRINGS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);

static inline int ffs(int i)
{
	return __builtin_ffs(i);
}

#ifdef __cplusplus
}
#endif

#endif
