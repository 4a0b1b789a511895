/*
 * String and memory functions of the C library, for the kernel.  All are
 * byte-wise and locale-free ("C" locale); strerror() returns constant
 * English text.  The compiler may emit calls to memcpy, memmove, memset
 * and memcmp on its own, so those four must always be linked.
 */
#ifndef _NOLIBC_STRING_H
#define _NOLIBC_STRING_H

#include <stddef.h>

#ifndef NULL
#define NULL ((void *)0)
#endif

#ifdef __cplusplus
extern "C" {
#endif

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
void *memrchr(const void *s, int c, size_t n);
void *mempcpy(void *restrict dst, const void *restrict src, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *hay, const char *needle);
/** strstr ignoring ASCII case (a GNU extension). */
char *strcasestr(const char *hay, const char *needle);
/** The first occurrence of needle's nlen bytes in hay's hlen, or NULL. */
void *memmem(const void *hay, size_t hlen, const void *needle, size_t nlen);
char *strcpy(char *restrict dst, const char *restrict src);
char *strncpy(char *restrict dst, const char *restrict src, size_t n);
char *stpcpy(char *restrict dst, const char *restrict src);
char *strcat(char *restrict dst, const char *restrict src);
char *strncat(char *restrict dst, const char *restrict src, size_t n);
size_t strlcpy(char *restrict dst, const char *restrict src, size_t size);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);
char *strpbrk(const char *s, const char *accept);
char *strtok_r(char *restrict s, const char *restrict delim,
	       char **restrict save);
/** Cuts *sp at the first byte of delim; returns the piece, NULL at end. */
char *strsep(char **restrict sp, const char *restrict delim);
/** Copies into memory from malloc(); NULL when out of memory. */
char *strdup(const char *s);
char *strndup(const char *s, size_t n);
/** Constant text for an errno value ("Unknown error" if unknown). */
char *strerror(int errnum);

/* strings.h functions, also visible here as glibc does. */
int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);

#ifdef __cplusplus
}
#endif

#endif
