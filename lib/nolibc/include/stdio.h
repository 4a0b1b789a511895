/*
 * Formatted output without FILE streams.  snprintf and friends format
 * into memory; printf, vprintf, puts and putchar write to the platform
 * console (uk_plat_console_write).
 *
 * Conversions: d i u o x X c s p n % with the flags "-+ #0", a width and a
 * precision (either may be "*"), and the length modifiers hh h l ll j z
 * t; the floating conversions f F e E g G take a double and print its
 * exact digits rounded as glibc does.  %a, %A and the L length (%Lf...)
 * are not supported: they print as written.  Return values are C99's:
 * the length the full output would have had, whatever the buffer size.
 */
#ifndef _NOLIBC_STDIO_H
#define _NOLIBC_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#ifndef NULL
#define NULL ((void *)0)
#endif

#define EOF (-1)

#ifdef __cplusplus
extern "C" {
#endif

__attribute__((format(printf, 3, 4)))
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...);
__attribute__((format(printf, 3, 0)))
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt,
	      va_list ap);
__attribute__((format(printf, 2, 3)))
int sprintf(char *restrict buf, const char *restrict fmt, ...);
__attribute__((format(printf, 2, 0)))
int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap);

__attribute__((format(printf, 1, 2)))
int printf(const char *restrict fmt, ...);
__attribute__((format(printf, 1, 0)))
int vprintf(const char *restrict fmt, va_list ap);
/** Writes s and a newline; returns a non-negative number or EOF. */
int puts(const char *s);
/** Writes one byte; returns it as an unsigned char, or EOF. */
int putchar(int c);

/** Renames a file or directory (lib/vfs); 0, or -1 and errno. */
int rename(const char *from, const char *to);

#ifdef __cplusplus
}
#endif

#endif
