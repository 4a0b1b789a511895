/*
 * uktest: a tiny test framework shared by the linuxu test programs and the
 * in-kernel test images.  UK_TEST() places a test case in a linker
 * section, so a test program is just the cases it links; uk_test_run()
 * runs them all (or those whose name contains a filter), prints one line
 * per case and a closing "N passed, N failed", and returns the number
 * failed.  Checks never abort the run: a failed check marks its case
 * failed (and, but for UK_TEST_EXPECT, returns from it).
 */
#ifndef UK_TEST_H
#define UK_TEST_H

#include <stddef.h>

struct uk_test_case {
	const char *name;
	const char *file;
	void (*fn)(void);
};

#define UK_TEST(tname) \
	static void _uk_test_fn_##tname(void); \
	__attribute__((used, section("uk_tests"), aligned(8))) \
	static const struct uk_test_case _uk_test_##tname = \
		{ #tname, __FILE__, _uk_test_fn_##tname }; \
	static void _uk_test_fn_##tname(void)

/* Records a failure of the running case (file, line, message). */
void _uk_test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prints a note from inside a case. */
void uk_test_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Runs fn(arg) with the console captured into buf (size bytes, NUL
 * terminated, the rest dropped).  Host programs only (linuxu's console
 * is stderr).  Returns 0, or -1 if the console could not be captured
 * (fn then did not run).
 */
int uk_test_capture(void (*fn)(void *), void *arg, char *buf, size_t size);

/*
 * Checks.  UK_TEST_EXPECT marks the case failed and goes on;
 * UK_TEST_ASSERT, UK_TEST_EQ and UK_TEST_STREQ mark it failed and return
 * from the case function (they never panic: a broken invariant of the code
 * under test is UK_ASSERT's job, in uk/assert.h).
 *
 * UK_TEST_EQ compares by type: integers by value whatever their width and
 * signedness (-1 never equals UINT64_MAX), a double with anything as a
 * double (so 0.1 + 0.2 != 0.3 fails and NaN equals nothing), pointers as
 * addresses.
 */
enum { _UK_TEST_S, _UK_TEST_U, _UK_TEST_D, _UK_TEST_P };

struct _uk_test_val {
	int kind;
	union {
		long long s;
		unsigned long long u;
		double d;
		const volatile void *p;
	};
};

static inline struct _uk_test_val _uk_test_vs(long long v)
{
	struct _uk_test_val r = { .kind = _UK_TEST_S, .s = v };
	return r;
}

static inline struct _uk_test_val _uk_test_vu(unsigned long long v)
{
	struct _uk_test_val r = { .kind = _UK_TEST_U, .u = v };
	return r;
}

static inline struct _uk_test_val _uk_test_vd(double v)
{
	struct _uk_test_val r = { .kind = _UK_TEST_D, .d = v };
	return r;
}

static inline struct _uk_test_val _uk_test_vp(const volatile void *v)
{
	struct _uk_test_val r = { .kind = _UK_TEST_P, .p = v };
	return r;
}

#define _UK_TEST_VAL(x) _Generic((x), \
	_Bool: _uk_test_vu, char: _uk_test_vs, signed char: _uk_test_vs, \
	unsigned char: _uk_test_vu, short: _uk_test_vs, \
	unsigned short: _uk_test_vu, int: _uk_test_vs, \
	unsigned int: _uk_test_vu, long: _uk_test_vs, \
	unsigned long: _uk_test_vu, long long: _uk_test_vs, \
	unsigned long long: _uk_test_vu, float: _uk_test_vd, \
	double: _uk_test_vd, default: _uk_test_vp)(x)

/*
 * Compares two captured values (see UK_TEST_EQ).  On a mismatch it records
 * the failure with both expressions and values and returns 0; returns 1
 * when they are equal.
 */
int _uk_test_eq(const char *file, int line, const char *ea,
		struct _uk_test_val a, const char *eb, struct _uk_test_val b);

/* The equality alone (1 or 0), recording nothing: for uktest's own test. */
int _uk_test_val_eq(struct _uk_test_val a, struct _uk_test_val b);

#define UK_TEST_EXPECT(cond) do { if (!(cond)) \
	_uk_test_fail(__FILE__, __LINE__, "expected %s", #cond); } while (0)
#define UK_TEST_ASSERT(cond) do { if (!(cond)) { \
	_uk_test_fail(__FILE__, __LINE__, "expected %s", #cond); \
	return; } } while (0)
#define UK_TEST_EQ(a, b) do { \
	if (!_uk_test_eq(__FILE__, __LINE__, #a, _UK_TEST_VAL(a), #b, \
			 _UK_TEST_VAL(b))) \
		return; } while (0)
#define UK_TEST_STREQ(a, b) do { const char *_a = (a), *_b = (b); \
	if (!_a || !_b || strcmp(_a, _b)) { _uk_test_fail(__FILE__, __LINE__, \
	"%s:\n---- got\n%s\n---- expected\n%s\n----", #a, _a ? _a : "(null)", \
	_b ? _b : "(null)"); return; } } while (0)

/*
 * Runs every linked case whose name contains filter (NULL: all).  Returns
 * the number of failed cases.
 */
int uk_test_run(const char *filter);

#endif
