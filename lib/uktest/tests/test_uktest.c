/*
 * uktest's own checks: UK_TEST_EQ compares by type, so a signed value
 * never equals a large unsigned one with the same bits, doubles compare
 * as doubles (not truncated to integers) and NaN equals nothing.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <uk/test.h>

#define EQ(a, b) _uk_test_val_eq(_UK_TEST_VAL(a), _UK_TEST_VAL(b))

UK_TEST(uktest_eq_integers)
{
	UK_TEST_EXPECT(EQ(1, 1u));
	UK_TEST_EXPECT(EQ((uint8_t)200, 200));
	UK_TEST_EXPECT(EQ(-5L, (int8_t)-5));
	UK_TEST_EXPECT(!EQ(-1, UINT64_MAX));
	UK_TEST_EXPECT(!EQ(UINT64_MAX, (int64_t)-1));
	UK_TEST_EXPECT(!EQ(-1, 4294967295u));
	UK_TEST_EXPECT(EQ(INT64_MIN, INT64_MIN));
	UK_TEST_EXPECT(EQ((_Bool)1, 1));
	UK_TEST_EXPECT(EQ('a', 97));
}

UK_TEST(uktest_eq_doubles)
{
	double third = 1.0 / 3.0;

	UK_TEST_EXPECT(EQ(0.5, 0.5));
	UK_TEST_EXPECT(!EQ(0.1 + 0.2, 0.3));
	UK_TEST_EXPECT(!EQ(2.5, 2));  /* was equal when cast to long long */
	UK_TEST_EXPECT(EQ(2.0, 2));
	UK_TEST_EXPECT(!EQ(third, 0.333333333333333));
	UK_TEST_EXPECT(!EQ(NAN, NAN));
	UK_TEST_EXPECT(EQ(-0.0, 0.0));
	UK_TEST_EXPECT(EQ(1.5f, 1.5));
}

UK_TEST(uktest_eq_pointers)
{
	int x[2];

	UK_TEST_EXPECT(EQ(&x[0], x));
	UK_TEST_EXPECT(!EQ(&x[1], x));
	UK_TEST_EXPECT(EQ((void *)0, NULL));
	UK_TEST_EXPECT(!EQ(x, NULL));
}

UK_TEST(uktest_macros_pass)
{
	UK_TEST_EQ(3 + 4, 7);
	UK_TEST_EQ(1.25 * 2, 2.5);
	UK_TEST_STREQ("abc", "abc");
	UK_TEST_ASSERT(strlen("ab") == 2);
}
