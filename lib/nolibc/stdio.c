/*
 * printf to the console.  Output is staged in a small stack buffer that
 * is drained to uk_plat_console_write() whenever it fills, so a line of
 * any length is printed whole without allocating.
 */
#include <stdarg.h>
#include <stdio.h>

#include <uk/plat/console.h>

#include "fmt.h"

static void console_out(const char *p, size_t n)
{
	while (n) {
		int w = uk_plat_console_write(p, n);

		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void console_flush(struct _nolibc_sink *s)
{
	console_out(s->buf, s->pos);
	s->pos = 0;
}

/* Prints to the console; returns the number of bytes, or -1. */
int vprintf(const char *restrict fmt, va_list ap)
{
	char buf[256];
	struct _nolibc_sink s = { buf, sizeof(buf), 0, 0, console_flush };
	int n = _nolibc_vformat(&s, fmt, ap);

	console_flush(&s);
	return n;
}

/* See vprintf. */
int printf(const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

/* Writes s and a newline to the console; returns 0. */
int puts(const char *s)
{
	return printf("%s\n", s) < 0 ? EOF : 0;
}

/* Writes one byte to the console; returns it as an unsigned char. */
int putchar(int c)
{
	char b = (char)c;

	console_out(&b, 1);
	return (unsigned char)b;
}
