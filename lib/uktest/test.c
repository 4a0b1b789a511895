/*
 * The test runner: walks the uk_tests section, runs each case and prints
 * "ok"/"FAIL" per case and the closing "N passed, N failed" line through
 * the platform console, so the same runner reports from a linuxu process
 * and from a kernel over the serial port.
 */
#include <stdarg.h>
#include <stdint.h>
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

/* The value as an unsigned integer, and whether it is one (not negative). */
static int as_uint(struct _uk_test_val v, unsigned long long *out)
{
	switch (v.kind) {
	case _UK_TEST_S:
		*out = (unsigned long long)v.s;
		return v.s >= 0;
	case _UK_TEST_U:
		*out = v.u;
		return 1;
	case _UK_TEST_P:
		*out = (unsigned long long)(uintptr_t)v.p;
		return 1;
	}
	return 0;
}

static double as_double(struct _uk_test_val v)
{
	switch (v.kind) {
	case _UK_TEST_S:
		return (double)v.s;
	case _UK_TEST_U:
		return (double)v.u;
	case _UK_TEST_P:
		return (double)(uintptr_t)v.p;
	}
	return v.d;
}

/* UK_TEST_EQ's equality; not static, so that uktest's own test checks it. */
int _uk_test_val_eq(struct _uk_test_val a, struct _uk_test_val b)
{
	unsigned long long ua = 0, ub = 0;
	int pa, pb;

	if (a.kind == _UK_TEST_D || b.kind == _UK_TEST_D)
		return as_double(a) == as_double(b);
	if (a.kind == _UK_TEST_S && b.kind == _UK_TEST_S)
		return a.s == b.s;
	/* Mixed signedness: a negative value equals no unsigned one. */
	pa = as_uint(a, &ua);
	pb = as_uint(b, &ub);
	return pa && pb && ua == ub;
}

static void val_fmt(struct _uk_test_val v, char *buf, size_t size)
{
	switch (v.kind) {
	case _UK_TEST_S:
		snprintf(buf, size, "%lld", v.s);
		break;
	case _UK_TEST_U:
		snprintf(buf, size, "%llu", v.u);
		break;
	case _UK_TEST_D:
		snprintf(buf, size, "%.17g", v.d);
		break;
	default:
		snprintf(buf, size, "%p", (const void *)v.p);
		break;
	}
}

/*
 * UK_TEST_EQ's comparison.  Returns 1 when a equals b by the rules of
 * uk/test.h, else records the failure and returns 0.
 */
int _uk_test_eq(const char *file, int line, const char *ea,
		struct _uk_test_val a, const char *eb, struct _uk_test_val b)
{
	char sa[40], sb[40];

	if (_uk_test_val_eq(a, b))
		return 1;
	val_fmt(a, sa, sizeof(sa));
	val_fmt(b, sb, sizeof(sb));
	_uk_test_fail(file, line, "%s == %s, expected %s == %s", ea, sa, eb, sb);
	return 0;
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
