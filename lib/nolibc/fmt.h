/*
 * nolibc-internal: the formatting engine behind snprintf (printf.c) and
 * the console printf (stdio.c).  Output goes to a sink: a buffer of cap
 * bytes that is either a caller's (snprintf: excess is dropped) or a
 * staging area drained by flush (console).
 */
#ifndef _NOLIBC_FMT_H
#define _NOLIBC_FMT_H

#include <stdarg.h>
#include <stddef.h>

struct _nolibc_sink {
	char *buf;
	size_t cap;    /* usable bytes of buf */
	size_t pos;    /* bytes held in buf */
	size_t total;  /* bytes the full output has so far */
	/* NULL: drop what does not fit; else empty buf (pos = 0). */
	void (*flush)(struct _nolibc_sink *s);
};

/*
 * Formats fmt into s.  Returns the total length of the output, or -1 if
 * it exceeds INT_MAX.
 */
int _nolibc_vformat(struct _nolibc_sink *s, const char *fmt, va_list ap);

#endif
