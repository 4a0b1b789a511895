/*
 * Tests of uk_num_fmt_double and the integer formatters.  Every output
 * must be read back by the C library's strtod as the very same double
 * (bit for bit, -0 included); on a large subset it must also be no
 * longer than the shortest "%.{1..17}e" that reads back, and have the
 * same digits when it is as long (the closest of the shortest).  The inputs are random
 * bit patterns over the whole range, short random decimals, integers,
 * every power of two, powers of ten, subnormals and the boundaries, each
 * with its neighbours.  (The power-of-ten table has its own check,
 * pow10_table.sh.)
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/num.h>
#include <uk/test.h>

#include "../num_impl.h"

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double from_bits(uint64_t b)
{
	double d;

	memcpy(&d, &b, sizeof(d));
	return d;
}

static uint64_t to_bits(double d)
{
	uint64_t b;

	memcpy(&b, &d, sizeof(b));
	return b;
}

/*
 * The significant digits of a formatted number into d (no sign, point
 * or exponent, zeros trimmed); returns how many.
 */
static int sig_digits_of(const char *s, char *d)
{
	char t[40];
	int n = 0, i = 0, j;

	for (; *s && *s != 'e'; s++)
		if (*s >= '0' && *s <= '9' && n < 39)
			t[n++] = *s;
	while (i < n && t[i] == '0')
		i++;
	j = n;
	while (j > i && t[j - 1] == '0')
		j--;
	if (j == i)
		t[j++] = '0';
	memcpy(d, t + i, (size_t)(j - i));
	d[j - i] = '\0';
	return j - i;
}

static int sig_digits(const char *s)
{
	char d[40];

	return sig_digits_of(s, d);
}

/* printf's shortest round-tripping "%.*e", into b; returns its digits. */
static int shortest_printf_str(double v, char *b, size_t size)
{
	int p;

	for (p = 1; p <= 17; p++) {
		snprintf(b, size, "%.*e", p - 1, v);
		if (strtod(b, NULL) == v)
			return p;
	}
	return 99;
}


static uint64_t checked, minimal_checked, failures;

/* Checks one value; with_min also checks minimality. */
static int check_one(double v, int with_min)
{
	char buf[32];
	int n = uk_num_fmt_double(v, buf);
	double back;

	checked++;
	if (n <= 0 || n > 31 || (int)strlen(buf) != n) {
		if (failures++ < 10)
			uk_test_log("bad length %d for %a", n, v);
		return -1;
	}
	if (isnan(v))
		return strcmp(buf, "NaN") ? -1 : 0;
	back = strtod(buf, NULL);
	if (to_bits(back) != to_bits(v)) {
		if (failures++ < 10)
			uk_test_log("%a -> \"%s\" -> %a", v, buf, back);
		return -1;
	}
	if (with_min && isfinite(v) && v != 0) {
		minimal_checked++;
		/*
		 * Not longer than printf's shortest; it may be shorter at a
		 * power of two, where the interval is lopsided and the
		 * correctly rounded candidate misses it while its neighbour
		 * does not.
		 */
		char ref[64], d1[40], d2[40];
		int p = shortest_printf_str(v, ref, sizeof(ref));

		if (sig_digits(buf) > p) {
			if (failures++ < 10)
				uk_test_log("%a (%.17g) -> \"%s\" not shortest (%d)",
					    v, v, buf, p);
			return -1;
		}
		/*
		 * At the same length it must be printf's correctly rounded
		 * digits: the closest candidate.
		 */
		if (sig_digits_of(buf, d1) == p &&
		    (sig_digits_of(ref, d2), strcmp(d1, d2))) {
			if (failures++ < 10)
				uk_test_log("%a: \"%s\" but closest is \"%s\"",
					    v, buf, ref);
			return -1;
		}
	}
	return 0;
}

/* Running totals, so the log says how much was checked. */
static void report(void)
{
	uk_test_log("%llu doubles read back exactly so far, %llu of them "
		    "also checked for minimal length and closest digits",
		    (unsigned long long)checked,
		    (unsigned long long)minimal_checked);
}

/* The value and both neighbours. */
static void check_around(double v, int with_min)
{
	check_one(v, with_min);
	check_one(nextafter(v, INFINITY), with_min);
	check_one(nextafter(v, -INFINITY), with_min);
	check_one(-v, with_min);
}

UK_TEST(shortest_specials)
{
	char b[32];

	uk_num_fmt_double(NAN, b);
	UK_TEST_STREQ(b, "NaN");
	uk_num_fmt_double(INFINITY, b);
	UK_TEST_STREQ(b, "+Inf");
	uk_num_fmt_double(-INFINITY, b);
	UK_TEST_STREQ(b, "-Inf");
	uk_num_fmt_double(0.0, b);
	UK_TEST_STREQ(b, "0");
	uk_num_fmt_double(-0.0, b);
	UK_TEST_STREQ(b, "-0");
}

UK_TEST(shortest_layout)
{
	static const struct { double v; const char *s; } c[] = {
		{ 3, "3" }, { -3, "-3" }, { 0.25, "0.25" }, { 0.1, "0.1" },
		{ 1.5, "1.5" }, { 123.456, "123.456" }, { 1e6, "1000000" },
		{ 9007199254740991.0, "9007199254740991" },
		{ 9007199254740992.0, "9007199254740992" },
		{ 1e15, "1000000000000000" }, { 1e16, "1e+16" },
		{ 1.5e17, "1.5e+17" }, { 1e21, "1e+21" },
		{ 1e300, "1e+300" }, { 5e-324, "5e-324" },
		{ 0.0001, "0.0001" }, { 0.00012, "0.00012" },
		{ 1e-5, "1e-05" }, { 1.25e-7, "1.25e-07" },
		{ 1.7976931348623157e308, "1.7976931348623157e+308" },
		{ 2.2250738585072014e-308, "2.2250738585072014e-308" },
		{ 0.3, "0.3" }, { 2.0 / 3, "0.6666666666666666" },
		{ 1234567.125, "1234567.125" }, { 18446744073709551616.0,
		  "1.8446744073709552e+19" }, { -1e-300, "-1e-300" },
		{ 4.9406564584124654e-324, "5e-324" },
		{ 9.5e15, "9500000000000000" }, { 123456789012345680.0,
		  "1.2345678901234568e+17" },
	};
	char b[32];
	unsigned int i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		uk_num_fmt_double(c[i].v, b);
		UK_TEST_STREQ(b, c[i].s);
	}
}

UK_TEST(shortest_integers)
{
	char b[32];
	int n;

	n = uk_num_fmt_u64(UINT64_MAX, b);
	b[n] = 0;
	UK_TEST_STREQ(b, "18446744073709551615");
	n = uk_num_fmt_s64(INT64_MIN, b);
	b[n] = 0;
	UK_TEST_STREQ(b, "-9223372036854775808");
	n = uk_num_fmt_s64(INT64_MAX, b);
	b[n] = 0;
	UK_TEST_STREQ(b, "9223372036854775807");
	n = uk_num_fmt_u64(0, b);
	b[n] = 0;
	UK_TEST_STREQ(b, "0");
	for (int i = 0; i < 200000; i++) {
		uint64_t v = rnd() >> (rnd() & 63);
		char ref[32];

		n = uk_num_fmt_u64(v, b);
		b[n] = 0;
		snprintf(ref, sizeof(ref), "%llu", (unsigned long long)v);
		UK_TEST_STREQ(b, ref);
		n = uk_num_fmt_s64((int64_t)v * ((v & 1) ? -1 : 1), b);
		b[n] = 0;
		snprintf(ref, sizeof(ref), "%lld",
			 (long long)((int64_t)v * ((v & 1) ? -1 : 1)));
		UK_TEST_STREQ(b, ref);
	}
}

/* The fast path for eighths prints their exact decimal, like %.3f. */
UK_TEST(shortest_eighths)
{
	char b[32], ref[64];
	int i;

	for (i = 0; i < 300000; i++) {
		int64_t m = (int64_t)(rnd() >> (21 + rnd() % 40));
		double v = (double)(i & 1 ? -m : m) / 8;
		char *e;

		uk_num_fmt_double(v, b);
		snprintf(ref, sizeof(ref), "%.3f", v);
		e = ref + strlen(ref);
		while (e[-1] == '0')
			*--e = '\0';
		if (e[-1] == '.')
			*--e = '\0';
		if (!strcmp(ref, "-0"))
			strcpy(ref, "0");
		UK_TEST_STREQ(b, ref);
	}
}

/*
 * Small values, where the formatters take their shortest paths (digit
 * counts by comparison, eighths and integers in one test): every integer
 * below 2^17 against printf, and it and every eighth below it, both
 * signs, against the general algorithm, with the terminator.
 */
UK_TEST(shortest_small_exhaustive)
{
	char b[32], ref[32];
	int i, n;

	for (i = 0; i < 1 << 17; i++) {
		n = uk_num_fmt_u64((uint64_t)i, b);
		b[n] = 0;
		snprintf(ref, sizeof(ref), "%d", i);
		UK_TEST_STREQ(b, ref);
	}
	for (i = 1; i < 8 << 17; i++) {
		double v = (double)i / 8;

		n = uk_num_fmt_double(v, b);
		UK_TEST_EQ(n, _uk_num_fmt_double_general(v, ref));
		UK_TEST_STREQ(b, ref);
		n = uk_num_fmt_double(-v, b);
		UK_TEST_EQ(n, _uk_num_fmt_double_general(-v, ref));
		UK_TEST_STREQ(b, ref);
	}
}

/*
 * The fast paths (integers, decimals of up to three places) give the
 * general algorithm's text byte for byte (zero, which the general one
 * does not take, is checked by shortest_specials): values of a few places
 * (as strtod reads them, and as products like i * 0.25 or i * 0.1 make
 * them), near the bounds of the paths, both signs.
 */
UK_TEST(shortest_fast_paths_as_general)
{
	static const double edge[] = {
		0.001, 0.0015, 0.00099999999999999, 0.0009999, 0.001000001,
		1099511627775.999, 1099511627775.875, 1099511627776.5,
		1099511627775.5, 9007199254740991.0, 9007199254740992.0,
		9007199254740993.0, 0.1, 0.2, 0.3, 0.7, 1.1, 2.675, 1e15 + 0.3,
		4503599627370495.5, 0.125, 0.0625, 123.456, 1e-3 * 3,
		5e-324, 2.5e-07,
	};
	char a[32], b[32], s[64];
	unsigned int i;
	int n;

	for (i = 0; i < sizeof(edge) / sizeof(edge[0]); i++) {
		n = uk_num_fmt_double(edge[i], a);
		UK_TEST_EQ(n, _uk_num_fmt_double_general(edge[i], b));
		UK_TEST_STREQ(a, b);
		n = uk_num_fmt_double(-edge[i], a);
		UK_TEST_EQ(n, _uk_num_fmt_double_general(-edge[i], b));
		UK_TEST_STREQ(a, b);
	}
	for (i = 0; i < 2000000; i++) {
		uint64_t m = rnd() >> (rnd() % 64);
		double v;

		switch (i % 4) {
		case 0:
			snprintf(s, sizeof(s), "%llue-%d",
				 (unsigned long long)(m % 10000000000000ULL),
				 (int)(rnd() % 5));
			v = strtod(s, NULL);
			break;
		case 1:
			v = (double)(m % 100000000) * 0.1;
			break;
		case 2:
			v = (double)(m % 100000000) * 0.01;
			break;
		default:
			v = (double)m * 0.001;
			break;
		}
		if (v == 0)
			continue;
		if (i & 8)
			v = -v;
		n = uk_num_fmt_double(v, a);
		if (n != _uk_num_fmt_double_general(v, b) || strcmp(a, b)) {
			uk_test_log("%a: fast \"%s\", general \"%s\"", v, a, b);
			UK_TEST_STREQ(a, b);
		}
	}
}

/* ---- round trips ---------------------------------------------------- */

UK_TEST(shortest_random_bits)
{
	int i;

	failures = 0;
	for (i = 0; i < 3000000; i++) {
		double v = from_bits(rnd());

		if (isnan(v))
			continue;
		check_one(v, (i & 15) == 0);
	}
	UK_TEST_EQ(failures, 0);
	report();
}

UK_TEST(shortest_short_decimals)
{
	char s[64];
	int i;

	failures = 0;
	for (i = 0; i < 600000; i++) {
		int nd = 1 + (int)(rnd() % 7);
		uint64_t m = rnd() % 10000000;
		int e = (int)(rnd() % 80) - 40;

		if (i % 5 == 0)
			e = (int)(rnd() % 640) - 330;
		m %= (uint64_t[]){ 1, 10, 100, 1000, 10000, 100000, 1000000,
				   10000000 }[nd];
		snprintf(s, sizeof(s), "%llue%d", (unsigned long long)m, e);
		check_one(strtod(s, NULL), (i & 7) == 0);
	}
	UK_TEST_EQ(failures, 0);
	report();
}

UK_TEST(shortest_integer_values)
{
	int i;

	failures = 0;
	for (i = 0; i < 300000; i++) {
		uint64_t m = rnd() >> (rnd() & 63);

		check_one((double)m, (i & 15) == 0);
		check_one((double)(int64_t)m, 0);
		check_one((double)(m & 0xffffff) * 0.25, (i & 15) == 0);
	}
	UK_TEST_EQ(failures, 0);
	report();
}

UK_TEST(shortest_powers_and_boundaries)
{
	char s[32];
	int e;

	failures = 0;
	for (e = -1074; e <= 1023; e++)
		check_around(ldexp(1.0, e), 1);
	for (e = -325; e <= 309; e++) {
		snprintf(s, sizeof(s), "1e%d", e);
		check_around(strtod(s, NULL), 1);
		snprintf(s, sizeof(s), "5e%d", e);
		check_around(strtod(s, NULL), 1);
		snprintf(s, sizeof(s), "9.999999999999999e%d", e);
		check_around(strtod(s, NULL), 1);
	}
	check_around(DBL_MAX, 1);
	check_around(DBL_MIN, 1);
	check_around(from_bits(1), 1);
	check_around(from_bits(0x000fffffffffffffULL), 1);
	check_around(9007199254740992.0, 1);
	check_around(18446744073709551616.0, 1);
	UK_TEST_EQ(failures, 0);
	report();
}

UK_TEST(shortest_subnormals)
{
	int i;

	failures = 0;
	for (i = 0; i < 200000; i++)
		check_one(from_bits(rnd() >> (12 + (rnd() % 52))),
			  (i & 15) == 0);
	UK_TEST_EQ(failures, 0);
	report();
}

/* Every significand near the top and bottom of many binades. */
UK_TEST(shortest_binade_edges)
{
	int be, j;

	failures = 0;
	for (be = 1; be < 2047; be += 3)
		for (j = 0; j < 40; j++) {
			uint64_t b = (uint64_t)be << 52;

			check_one(from_bits(b + (uint64_t)j), (j & 3) == 0);
			check_one(from_bits(b - 1 - (uint64_t)j), 0);
		}
	UK_TEST_EQ(failures, 0);
	report();
}
