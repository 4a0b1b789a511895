/*
 * Test-only: prototypes of the nolibc_-prefixed functions that impl.c
 * builds, for the tests that compare them with glibc.
 */
#ifndef NOLIBC_TEST_H
#define NOLIBC_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void *nolibc_memcpy(void *dst, const void *src, size_t n);
void *nolibc_memmove(void *dst, const void *src, size_t n);
void *nolibc_memset(void *dst, int c, size_t n);
int nolibc_memcmp(const void *a, const void *b, size_t n);
void *nolibc_memchr(const void *s, int c, size_t n);
void *nolibc_memrchr(const void *s, int c, size_t n);
void *nolibc_mempcpy(void *dst, const void *src, size_t n);
size_t nolibc_strlen(const char *s);
size_t nolibc_strnlen(const char *s, size_t max);
int nolibc_strcmp(const char *a, const char *b);
int nolibc_strncmp(const char *a, const char *b, size_t n);
int nolibc_strcasecmp(const char *a, const char *b);
int nolibc_strncasecmp(const char *a, const char *b, size_t n);
char *nolibc_strchr(const char *s, int c);
char *nolibc_strrchr(const char *s, int c);
char *nolibc_strstr(const char *hay, const char *needle);
char *nolibc_strcasestr(const char *hay, const char *needle);
void *nolibc_memmem(const void *hay, size_t hlen, const void *needle,
		    size_t nlen);
char *nolibc_strsep(char **sp, const char *delim);
char *nolibc_strcpy(char *dst, const char *src);
char *nolibc_strncpy(char *dst, const char *src, size_t n);
char *nolibc_stpcpy(char *dst, const char *src);
char *nolibc_strcat(char *dst, const char *src);
char *nolibc_strncat(char *dst, const char *src, size_t n);
size_t nolibc_strlcpy(char *dst, const char *src, size_t size);
size_t nolibc_strspn(const char *s, const char *accept);
size_t nolibc_strcspn(const char *s, const char *reject);
char *nolibc_strpbrk(const char *s, const char *accept);
char *nolibc_strtok_r(char *s, const char *delim, char **save);
char *nolibc_strdup(const char *s);
char *nolibc_strndup(const char *s, size_t n);
char *nolibc_strerror(int errnum);

int nolibc_isalnum(int c);
int nolibc_isalpha(int c);
int nolibc_isblank(int c);
int nolibc_iscntrl(int c);
int nolibc_isdigit(int c);
int nolibc_isgraph(int c);
int nolibc_islower(int c);
int nolibc_isprint(int c);
int nolibc_ispunct(int c);
int nolibc_isspace(int c);
int nolibc_isupper(int c);
int nolibc_isxdigit(int c);
int nolibc_isascii(int c);
int nolibc_tolower(int c);
int nolibc_toupper(int c);

long nolibc_strtol(const char *s, char **end, int base);
unsigned long nolibc_strtoul(const char *s, char **end, int base);
long long nolibc_strtoll(const char *s, char **end, int base);
unsigned long long nolibc_strtoull(const char *s, char **end, int base);
int nolibc_atoi(const char *s);
double nolibc_strtod(const char *s, char **end);
float nolibc_strtof(const char *s, char **end);
double nolibc_atof(const char *s);

int nolibc_snprintf(char *buf, size_t size, const char *fmt, ...);
int nolibc_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int nolibc_sprintf(char *buf, const char *fmt, ...);

void nolibc_qsort(void *base, size_t n, size_t size,
		  int (*cmp)(const void *, const void *));
void *nolibc_bsearch(const void *key, const void *base, size_t n,
		     size_t size, int (*cmp)(const void *, const void *));

#endif
