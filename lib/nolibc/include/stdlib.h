/*
 * General utilities for the kernel.  The malloc family allocates from
 * ukalloc's default allocator (uk_alloc_get_default()), so memory taken
 * with malloc() may be given back with uk_free() on the default and the
 * other way round.  abort() panics; exit() ends the instance with the
 * status (uk_plat_exit).
 */
#ifndef _NOLIBC_STDLIB_H
#define _NOLIBC_STDLIB_H

#include <stddef.h>

#ifndef NULL
#define NULL ((void *)0)
#endif

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define RAND_MAX 2147483647

#ifdef __cplusplus
extern "C" {
#endif

void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);
/** 0, EINVAL (alignment not a power of two multiple of sizeof(void *)),
 *  or ENOMEM; errno is left alone, as POSIX says. */
int posix_memalign(void **out, size_t align, size_t size);
void *aligned_alloc(size_t align, size_t size);

/**
 * Integer parsing as in C99: leading white space, an optional sign, an
 * optional 0x/0X (base 16 or 0) or 0 (base 0) prefix.  Out of range
 * values saturate and set errno to ERANGE; an invalid base sets EINVAL and
 * returns 0.  *end (if end) points past the last digit used, or at s if
 * there was none.
 */
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
long long strtoll(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
int atoi(const char *s);
long atol(const char *s);
long long atoll(const char *s);

/**
 * Floating-point parsing as glibc does it in the "C" locale (uknum's
 * uk_num_strtod): leading white space, an optional sign, a decimal or
 * "0x" hexadecimal number with an optional exponent, "inf", "infinity",
 * "nan", "nan(n)", in any case.  The result is correctly rounded however
 * long the text; overflow returns an infinity and underflow a tiny or
 * zero value, both with errno ERANGE.  *end (if end) points past the
 * text used, or at s if there was no number (the result is then 0).
 */
double strtod(const char *s, char **end);
float strtof(const char *s, char **end);
double atof(const char *s);

int abs(int x);
long labs(long x);
long long llabs(long long x);

/** Sorts n elements of size bytes (not stable). */
void qsort(void *base, size_t n, size_t size,
	   int (*cmp)(const void *, const void *));
void *bsearch(const void *key, const void *base, size_t n, size_t size,
	      int (*cmp)(const void *, const void *));

/** A per-instance pseudo-random sequence (not for security). */
int rand(void);
void srand(unsigned int seed);

__attribute__((noreturn)) void abort(void);
__attribute__((noreturn)) void exit(int status);

#ifdef __cplusplus
}
#endif

#endif
