/*
 * Console printing and panics.  Output is formatted into a bounded stack
 * buffer (long lines are cut, never overflow) and sent to the platform
 * console; a panic then asks the platform for anything more it can show
 * and ends the instance with the crash status.
 */
#include <stdarg.h>
#include <stdio.h>

#include <uk/assert.h>
#include <uk/plat/console.h>
#include <uk/plat/lifecycle.h>
#include <uk/print.h>

__attribute__((weak)) void uk_plat_panic_extra(void)
{
}

static void console_vprintf(const char *fmt, va_list ap)
{
	char buf[512];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	size_t len, off = 0;

	if (n < 0)
		return;
	len = (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1;
	while (off < len) {
		int w = uk_plat_console_write(buf + off, len - off);

		if (w <= 0)
			return;
		off += (size_t)w;
	}
}

/* Prints a formatted message on the console. */
void uk_printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
}

/* Prints "PANIC file:line: message", then crashes the instance. */
void _uk_panic(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	uk_printk("PANIC %s:%d: ", file, line);
	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
	uk_printk("\n");
	uk_plat_panic_extra();
	uk_plat_crash();
}
