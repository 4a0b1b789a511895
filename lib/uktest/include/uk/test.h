/*
 * uktest: a tiny test framework shared by the linuxu test programs and the
 * in-kernel test images.  UK_TEST() places a test case in a linker
 * section, so a test program is just the cases it links; uk_test_run()
 * runs them all (or those whose name contains a filter), prints one line
 * per case and a closing "N passed, N failed", and returns the number
 * failed.  Checks never abort the run: a failed check marks its case
 * failed and returns from it.
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

#define UK_EXPECT(cond) do { if (!(cond)) \
	_uk_test_fail(__FILE__, __LINE__, "expected %s", #cond); } while (0)
#define UK_ASSERT_TRUE(cond) do { if (!(cond)) { \
	_uk_test_fail(__FILE__, __LINE__, "expected %s", #cond); \
	return; } } while (0)
#define UK_ASSERT_EQ(a, b) do { long long _a = (long long)(a), \
	_b = (long long)(b); if (_a != _b) { \
	_uk_test_fail(__FILE__, __LINE__, "%s == %lld, expected %s == %lld", \
		      #a, _a, #b, _b); return; } } while (0)
#define UK_ASSERT_STREQ(a, b) do { const char *_a = (a), *_b = (b); \
	if (!_a || !_b || strcmp(_a, _b)) { _uk_test_fail(__FILE__, __LINE__, \
	"%s:\n---- got\n%s\n---- expected\n%s\n----", #a, _a ? _a : "(null)", \
	_b ? _b : "(null)"); return; } } while (0)

/*
 * Runs every linked case whose name contains filter (NULL: all).  Returns
 * the number of failed cases.
 */
int uk_test_run(const char *filter);

#endif
