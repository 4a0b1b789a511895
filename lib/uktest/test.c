/*
 * The test runner: walks the uk_tests section, runs each case and prints
 * "ok"/"FAIL" per case and the closing "N passed, N failed" line through
 * the platform console, so the same runner reports from a linuxu process
 * and from a kernel over the serial port.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <uk/plat/console.h>
#include <uk/plat/time.h>
#include <uk/test.h>

extern const struct uk_test_case __start_uk_tests[] __attribute__((weak));
extern const struct uk_test_case __stop_uk_tests[] __attribute__((weak));

static int cur_failed;

static void out(const char *s, size_t n)
{
	while (n) {
		int w = uk_plat_console_write(s, n);

		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void vprint(const char *fmt, va_list ap)
{
	char buf[2048];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n < 0)
		return;
	out(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static void print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
}

void _uk_test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	cur_failed = 1;
	print("  %s:%d: ", file, line);
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
	print("\n");
}

void uk_test_log(const char *fmt, ...)
{
	va_list ap;

	print("  ");
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
	print("\n");
}

/*
 * Runs the linked cases that match filter, in link order.  Returns the
 * number that failed.
 */
int uk_test_run(const char *filter)
{
	const struct uk_test_case *t;
	int passed = 0, failed = 0;

	for (t = __start_uk_tests; t && t < __stop_uk_tests; t++) {
		uint64_t t0;

		if (filter && !strstr(t->name, filter))
			continue;
		cur_failed = 0;
		t0 = uk_plat_time_mono_ns();
		t->fn();
		if (cur_failed) {
			failed++;
			print("FAIL %s\n", t->name);
		} else {
			passed++;
			print("ok   %s (%llu ms)\n", t->name, (unsigned long long)
			      ((uk_plat_time_mono_ns() - t0) / 1000000));
		}
	}
	print("%d passed, %d failed\n", passed, failed);
	return failed;
}
