/*
 * uk_num_strtod and uk_num_strtof against glibc's strtod and strtof,
 * bit for bit (NaN payloads and the sign of zero included), with the
 * same end pointer and the same ERANGE.  Inputs: hard cases by hand;
 * random bit patterns printed with %.17g, with uknum's shortest text and
 * with random precisions up to 800 digits; random decimal strings with
 * long mantissas and extreme exponents; the exact midpoints between
 * neighbouring doubles (and floats), and values a hair above and below
 * them; subnormals; the overflow and underflow boundaries; hexadecimal
 * numbers; and random strings of number characters for the syntax.  The
 * one difference allowed is glibc's hexadecimal rounding bug described
 * in glibc_quirks.h.  Fixed seeds: a failure reproduces.
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/num.h>
#include <uk/test.h>

#include "glibc_quirks.h"

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned int rndn(unsigned int n)
{
	return (unsigned int)(rnd() % n);
}

static long compared, differ, quirks;

/* Compares both parsers, double and float, on s; counts and reports. */
static void cmp(const char *s)
{
	char *e1, *e2;
	double d1, d2;
	float f1, f2;
	uint64_t b1, b2;
	uint32_t g1, g2;
	int r1, r2, q, bug;

	errno = 0;
	d1 = strtod(s, &e1);
	r1 = errno == ERANGE;
	d2 = uk_num_strtod(s, &e2, &r2);
	memcpy(&b1, &d1, sizeof(b1));
	memcpy(&b2, &d2, sizeof(b2));
	compared++;
	bug = (b1 != b2 || r1 != r2) && quirk_strtod(s, b1, r1);
	q = bug;
	if (e1 != e2 || (!bug && (b1 != b2 || r1 != r2))) {
		if (differ++ < 8)
			uk_test_log("strtod(\"%.200s\"): glibc %016llx end +%td "
				    "erange %d, uknum %016llx end +%td erange "
				    "%d", s, (unsigned long long)b1, e1 - s, r1,
				    (unsigned long long)b2, e2 - s, r2);
	}
	errno = 0;
	f1 = strtof(s, &e1);
	r1 = errno == ERANGE;
	f2 = uk_num_strtof(s, &e2, &r2);
	memcpy(&g1, &f1, sizeof(g1));
	memcpy(&g2, &f2, sizeof(g2));
	compared++;
	bug = (g1 != g2 || r1 != r2) && quirk_strtof(s, g1, r1);
	q |= bug;
	if (e1 != e2 || (!bug && (g1 != g2 || r1 != r2))) {
		if (differ++ < 8)
			uk_test_log("strtof(\"%.200s\"): glibc %08x end +%td "
				    "erange %d, uknum %08x end +%td erange %d",
				    s, g1, e1 - s, r1, g2, e2 - s, r2);
	}
	quirks += q;
}

static double rnd_bits(void)
{
	uint64_t b = rnd();
	double d;

	memcpy(&d, &b, sizeof(d));
	return d;
}

static void report(const char *what)
{
	uk_test_log("%s: %ld conversions compared so far, %ld differ, %ld "
		    "glibc hexadecimal rounding bugs", what, compared, differ,
		    quirks);
}

UK_TEST(parse_by_hand)
{
	static const char *const c[] = {
		"0", "-0", "+0.0e-999999999999", "0e99999999999999999999",
		"1", "-1", "0.1", "1e23", "8.98846567431158e307",
		"9007199254740993", "9007199254740993.0000000000000000001",
		"9007199254740992.9999999999999999999",
		"123456789012345678901234567890",
		"7.2057594037927933e16", "2.2250738585072014e-308",
		"2.2250738585072013e-308", "2.2250738585072012e-308",
		"2.2250738585072011e-308", "2.22507385850720126e-308",
		"2.22507385850720125e-308", "4.9406564584124654e-324",
		"5e-324", "2.4703282292062328e-324",
		"2.4703282292062327e-324", "1e-400", "1e400", "-1e400",
		"1.7976931348623157e308", "1.7976931348623158e308",
		"1.7976931348623159e308", "179769313486231580793728971405301e276",
		"1.00000000000000011102230246251565404236316680908203125",
		"1.00000000000000011102230246251565404236316680908203124",
		"1.00000000000000011102230246251565404236316680908203126",
		"3.4028235677973366e38", "3.4028235677973367e38",
		"1.401298464324817e-45", "7.006492321624085e-46",
		"7.006492321624086e-46", "1.17549435e-38", "1e-45", "1e-46",
		"0x1p-1022", "0x1.fffffffffffffp-1023",
		"0x1.fffffffffffff8p-1023", "0x1.fffffffffffff7p-1023",
		"0x1p-1074", "0x1p-1075", "0x1.0000001p-1075", "0x1P-1074",
		"0x0p99999999999999999", "0x1.fffffep127", "0x1.ffffffp127",
		"0x1p-149", "0x1p-150", "0x.8", "0x1.p1", "0x1p", "0x1p+",
		"0x", "0x.", "0x.p1", "0xg", "-0x1.8p+1x",
		"0x123456789abcdef0123456789p-300",
		"nan", "-nan", "NaN", "nan(0x123)", "nan(123)", "nan(010)",
		"nan(08)", "nan(abc)", "nan(0x8000000000000)",
		"nan(0xffffffffffffffff)", "nan(0xfffffffffffffffff)",
		"nan(99999999999999999999999z)", "nan(", "nan(12", "nan()",
		"NaN(_)", "nan(0x)", "-nan(1)x",
		"inf", "-inf", "infinity", "INFINITY", "infin", "-INFINITYx",
		"in", "i", "n", "na", "1e", "1e+", "1e-x", ".e1", ".", "-",
		"+", "", " ", " +.5e-1x", "\t\n\v\f\r 42", "1.", "-.5",
		"00000000000000000000000000000001e-5", "0.000001e6",
		"1e0000000000000000000000000000000000000000000023",
		"\xff""1", "1\xff",
		/* glibc's bug: rounding, ERANGE (glibc_quirks.h) */
		"0x1.00000000000008p-1075", "0x1.000001p-150",
		"0x1.ffffffffffff08p-1023",
	};
	long q0 = quirks;
	unsigned int i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		cmp(c[i]);
	report("by hand");
	UK_TEST_EQ(differ, 0);
	/* The bug recognised exactly where it is, nowhere else. */
	UK_TEST_EQ(quirks - q0, 3);
}

/* Known answers for the contract (the first checks run against glibc). */
UK_TEST(parse_contract)
{
	char *e;
	int r;
	const char *s = "  -12.5e1xyz";

	UK_TEST_EQ(uk_num_strtod(s, &e, &r), -125.0);
	UK_TEST_EQ(e - s, 9);
	UK_TEST_EQ(r, 0);
	UK_TEST_EQ(uk_num_strtod("1e999", NULL, &r), INFINITY);
	UK_TEST_EQ(r, 1);
	UK_TEST_EQ(uk_num_strtod("1e-999", NULL, &r), 0.0);
	UK_TEST_EQ(r, 1);
	UK_TEST_EQ(uk_num_strtod("5e-324", NULL, &r), 4.9406564584124654e-324);
	UK_TEST_EQ(r, 1);
	UK_TEST_EQ(uk_num_strtod("0x1p-1074", NULL, &r), 4.9406564584124654e-324);
	UK_TEST_EQ(r, 0);
	s = "x";
	UK_TEST_EQ(uk_num_strtod(s, &e, NULL), 0.0);
	UK_TEST_ASSERT(e == s);
	UK_TEST_EQ(uk_num_strtof("0.1", NULL, NULL), 0.1f);
	UK_TEST_EQ(uk_num_strtof("16777217", NULL, NULL), 16777216.0f);
	UK_TEST_EQ(uk_num_strtof("16777219", NULL, NULL), 16777220.0f);
}

/* Random doubles as printed by %.17g, shortest, and %.Ne. */
UK_TEST(parse_printed_doubles)
{
	char b[1000];
	int i;

	for (i = 0; i < 100000; i++) {
		double d = rnd_bits();

		if (i & 1)
			d = ldexp((double)(rnd() >> 11), (int)rndn(120) - 60);
		snprintf(b, sizeof(b), "%.17g", d);
		cmp(b);
		uk_num_fmt_double(d, b);
		cmp(b);
		snprintf(b, sizeof(b), "%.*e", (int)rndn(rndn(8) ? 25 : 780), d);
		cmp(b);
	}
	for (i = 0; i < 30000; i++) {
		uint32_t u = (uint32_t)rnd();
		float f;

		memcpy(&f, &u, sizeof(f));
		snprintf(b, sizeof(b), "%.9g", f);
		cmp(b);
		snprintf(b, sizeof(b), "%.*g", 1 + (int)rndn(12), f);
		cmp(b);
	}
	report("printed doubles and floats");
	UK_TEST_EQ(differ, 0);
}

/* Random decimal strings: long mantissas, points anywhere, any exponent. */
UK_TEST(parse_random_decimals)
{
	char b[1200], *p;
	int i, k, nd, pt, ex;

	for (i = 0; i < 120000; i++) {
		p = b;
		if (rndn(3) == 0)
			*p++ = "-+"[rndn(2)];
		nd = 1 + (int)rndn(rndn(5) ? 30 : 1000);
		pt = (int)rndn((unsigned int)nd + 1);
		/* Runs of 0 or 9 make values near round ones. */
		for (k = 0; k < nd; k++) {
			if (k == pt && rndn(2))
				*p++ = '.';
			*p++ = k > 17 && i % 3 == 0 ? "09"[i % 2] :
				(char)('0' + rndn(10));
		}
		ex = (int)rndn(800) - 400;
		if (rndn(4) == 0)
			ex = (int)rndn(60) - 30;
		if (rndn(3) == 0)
			ex -= nd;
		if (rndn(10))
			sprintf(p, "e%d", ex);
		else
			*p = '\0';
		cmp(b);
	}
	report("random decimals");
	UK_TEST_EQ(differ, 0);
}

/* ---- midpoints -------------------------------------------------------- */

/* The exact digits of x > 0 (no trailing zeros); *last: the place of the
 * last digit.  glibc prints every digit exactly. */
static int exact_digits(double x, char *dig, int *last)
{
	char b[1300], *p;
	int nd = 0, e;

	snprintf(b, sizeof(b), "%.1100e", x);
	e = atoi(strchr(b, 'e') + 1);
	for (p = b; *p != 'e'; p++)
		if (*p >= '0' && *p <= '9')
			dig[nd++] = *p;
	while (nd > 1 && dig[nd - 1] == '0')
		nd--;
	*last = e - (nd - 1);
	return nd;
}

/*
 * Writes the exact midpoint of a and b (> 0) as "DIGITSe<exp>" into out,
 * followed by how: 0 exactly, 1 a hair above (digits ...00001 appended),
 * -1 a hair below (last digit one less, 9s appended).
 */
static void midpoint(double a, double b, int how, char *out)
{
	static char da[1200], db[1200];
	static int sum[1300];
	int la, lb, na = exact_digits(a, da, &la), nb = exact_digits(b, db, &lb);
	int last = la < lb ? la : lb, n = 0, i, carry = 0, rem = 0;
	char *p = out;

	/* Digits least significant first, aligned on place last. */
	memset(sum, 0, sizeof(sum));
	for (i = 0; i < na; i++)
		sum[la - last + i] += da[na - 1 - i] - '0';
	for (i = 0; i < nb; i++)
		sum[lb - last + i] += db[nb - 1 - i] - '0';
	n = (la - last + na > lb - last + nb ? la - last + na : lb - last + nb);
	for (i = 0; i < n; i++) {
		sum[i] += carry;
		carry = sum[i] / 10;
		sum[i] %= 10;
	}
	if (carry)
		sum[n++] = carry;
	/* Halve from the top; an odd sum leaves a 5 one place lower. */
	for (i = n - 1; i >= 0; i--) {
		int v = rem * 10 + sum[i];

		sum[i] = v / 2;
		rem = v % 2;
	}
	while (n > 1 && !sum[n - 1])
		n--;
	for (i = n - 1; i >= 0; i--)
		*p++ = (char)('0' + sum[i]);
	if (rem) {
		*p++ = '5';
		last--;
	}
	while (p[-1] == '0' && p - out > 1) {
		p--;
		last++;
	}
	if (how > 0) {
		p = stpcpy(p, "0000000001");
		last -= 10;
	} else if (how < 0) {
		p[-1]--;
		p = stpcpy(p, "9999999999");
		last -= 10;
	}
	sprintf(p, "e%d", last);
}

UK_TEST(parse_midpoints)
{
	static char b[1400];
	int i, how;

	/* Half the smallest subnormal, and a hair either side. */
	for (how = -1; how <= 1; how++) {
		midpoint(0, 4.9406564584124654e-324, how, b);
		cmp(b);
	}
	for (i = 0; i < 3000; i++) {
		double d = fabs(rnd_bits()), n;

		if (i % 3 == 0) /* subnormals, and the normals above them */
			d = ldexp((double)(rnd() >> rndn(64)), -1074 + (int)rndn(60));
		if (i % 5 == 0) /* a short significand: a short midpoint */
			d = ldexp((double)(rnd() >> 40), (int)rndn(200) - 100);
		n = nextafter(d, INFINITY);
		if (!isfinite(n) || d == 0)
			continue;
		for (how = -1; how <= 1; how++) {
			midpoint(d, n, how, b);
			cmp(b);
		}
	}
	for (i = 0; i < 10000; i++) {
		uint32_t u = (uint32_t)rnd() & 0x7fffffff;
		float f, g;

		memcpy(&f, &u, sizeof(f));
		g = nextafterf(f, INFINITY);
		if (!isfinite(g) || isnan(f))
			continue;
		/* A float midpoint is a double: glibc prints it exactly. */
		snprintf(b, sizeof(b), "%.200e", ((double)f + g) / 2);
		cmp(b);
	}
	report("midpoints");
	UK_TEST_EQ(differ, 0);
}

/* Subnormals, the normal boundary, overflow: values and neighbours. */
UK_TEST(parse_boundaries)
{
	static const double v[] = {
		DBL_MIN, DBL_MAX, 4.9406564584124654e-324, FLT_MIN, FLT_MAX,
		1.401298464324817e-45, 1e-300, 1e300, 1e22, 1e23, 9e15,
	};
	char b[1000];
	unsigned int i;
	int k, p;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		double d = v[i];

		for (k = 0; k < 40; k++) {
			for (p = 14; p <= 26; p += 3) {
				snprintf(b, sizeof(b), "%.*e", p, d);
				cmp(b);
			}
			uk_num_fmt_double(d, b);
			cmp(b);
			d = k < 20 ? nextafter(d, 0) : nextafter(d, INFINITY);
			if (k == 19)
				d = v[i];
		}
	}
	/* Subnormals of every length. */
	for (i = 0; i < 60000; i++) {
		uint64_t bits = rnd() >> (12 + rndn(52));
		double d;

		memcpy(&d, &bits, sizeof(d));
		snprintf(b, sizeof(b), "%.*e", (int)rndn(30), d);
		cmp(b);
	}
	for (k = -330; k <= 310; k++) {
		snprintf(b, sizeof(b), "1e%d", k);
		cmp(b);
		snprintf(b, sizeof(b), "9.999999999999999999e%d", k);
		cmp(b);
	}
	report("boundaries");
	UK_TEST_EQ(differ, 0);
}

/* Hexadecimal numbers: printed doubles, then long random ones. */
UK_TEST(parse_hex)
{
	char b[200], *p;
	int i, k, nd;

	for (i = 0; i < 40000; i++) {
		snprintf(b, sizeof(b), i & 1 ? "%a" : "%A", rnd_bits());
		cmp(b);
		p = b;
		if (rndn(3) == 0)
			*p++ = '-';
		p = stpcpy(p, rndn(2) ? "0x" : "0X");
		nd = 1 + (int)rndn(30);
		for (k = 0; k < nd; k++) {
			if (rndn(nd) == 0)
				*p++ = '.';
			*p++ = "0123456789abcdefABCDEF"[rndn(k < 2 || rndn(2)
						      ? 22 : 1)];
		}
		/* Any exponent, or near the subnormal range of either. */
		if (rndn(8))
			sprintf(p, "p%d", rndn(2) ? (int)rndn(2400) - 1200 :
				(rndn(2) ? -1074 : -149) + (int)rndn(60) - 40);
		cmp(b);
	}
	report("hexadecimal");
	UK_TEST_EQ(differ, 0);
}

/* Random strings of number characters: the syntax and the end pointer. */
UK_TEST(parse_syntax)
{
	static const char *const parts[] = {
		"0", "1", "9", "5", "00", ".", ".", "e", "E", "+", "-", "x",
		"X", "p", "P", "inf", "INF", "inity", "nan", "NAN", "(", ")",
		"_", "a", "f", "z", " ", "\t", "0x", "1e", "e-", "e+",
		"12345678901234567890", "9999999999", "0000000000",
	};
	char b[128];
	int i, k, n;

	for (i = 0; i < 200000; i++) {
		b[0] = '\0';
		n = 1 + (int)rndn(8);
		for (k = 0; k < n; k++)
			strcat(b, parts[rndn(sizeof(parts) / sizeof(parts[0]))]);
		cmp(b);
	}
	report("syntax");
	UK_TEST_EQ(differ, 0);
}
