/*
 * ukstore unit tests that compare with the host's C library (linuxu
 * only): doubles printed by uk_store_value_format() must read back
 * exactly with strtod and be as short as the shortest "%.Ng" that does,
 * and uk_store_write_text() must parse what printf prints, and long
 * decimals of any exponent, into the very double glibc's strtod gives.
 * Random bit patterns cover the whole range, subnormals included.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/store.h>
#include <uk/test.h>

#include "test_store.h"

#define N 200000

static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* A random double: any bit pattern, or one of moderate magnitude. */
static double rnd_double(uint64_t *x, int i)
{
	uint64_t bits = rnd(x);
	double d;

	if (i & 1)
		bits = (bits & 0x800fffffffffffffull) |
		       ((uint64_t)(1023 + (int)(bits % 80) - 40) << 52);
	if (i % 7 == 0) /* short decimals: k / 10^j */
		return (double)(int64_t)(bits % 2000001 - 1000000) /
		       pow(10, (double)(bits % 9));
	memcpy(&d, &bits, sizeof(d));
	return d;
}

static int sig_digits(const char *s)
{
	int n = 0, lead = 1;

	for (; *s && *s != 'e'; s++) {
		if (*s < '0' || *s > '9')
			continue;
		if (lead && *s == '0')
			continue;
		lead = 0;
		n++;
	}
	return n;
}

UK_TEST(format_doubles_roundtrip)
{
	struct uk_store_value v = { .type = UK_STORE_DOUBLE };
	uint64_t x = 88172645463325252ull;
	int i, p, bad = 0, longer = 0, checked = 0;
	char buf[64], ref[64];

	for (i = 0; i < N; i++) {
		v.d = rnd_double(&x, i);
		if (isnan(v.d) || isinf(v.d))
			continue;
		checked++;
		tst_fmt(&v, buf, sizeof(buf));
		if (strtod(buf, NULL) != v.d && bad++ < 5)
			uk_test_log("%.17g printed as %s", v.d, buf);
		for (p = 1; p <= 17; p++) {
			snprintf(ref, sizeof(ref), "%.*g", p, v.d);
			if (strtod(ref, NULL) == v.d)
				break;
		}
		/* Integers below 2^53 print in full, never shortened. */
		if (sig_digits(buf) > p && !(fabs(v.d) < 9007199254740992.0 &&
					     v.d == (double)(int64_t)v.d))
			longer++;
	}
	uk_test_log("%d doubles: %d misprinted, %d longer than shortest",
		    checked, bad, longer);
	UK_TEST_EQ(bad, 0);
	UK_TEST_EQ(longer, 0);
}

static double v_parsed;

static int set_parsed(void *c, double d)
{
	v_parsed = d;
	return 0;
}

static int get_parsed(void *c, double *d)
{
	*d = v_parsed;
	return 0;
}

UK_STORE_LIBRARY(tsthost);
UK_STORE_STATIC_ENTRY(tsthost, parsed, dbl, gauge, none, "Parsed.", get_parsed,
		      set_parsed, NULL);

UK_TEST(parse_doubles)
{
	struct uk_store_ref ref;
	uint64_t x = 1234567891011ull;
	int i, exact = 0, checked = 0;
	char buf[64];

	UK_TEST_EQ(uk_store_lookup("tsthost/parsed", &ref), 0);
	for (i = 0; i < N; i++) {
		double d = rnd_double(&x, i);

		if (isnan(d) || isinf(d))
			continue;
		checked++;
		snprintf(buf, sizeof(buf), i & 2 ? "%.17g" : "%g", d);
		d = strtod(buf, NULL);
		UK_TEST_EQ(uk_store_write_text(&ref, buf), 0);
		if (!memcmp(&v_parsed, &d, sizeof(d)))
			exact++;
		else if (checked - exact <= 5)
			uk_test_log("%s parsed as %.17g", buf, v_parsed);
	}
	uk_store_ref_put(&ref);
	uk_test_log("%d decimals parsed: %d exact", checked, exact);
	UK_TEST_EQ(exact, checked);
}

/*
 * Long decimals (up to 800 digits, any exponent, surrounded by white
 * space) parse exactly: the double glibc's strtod gives, bit for bit;
 * out of range ones return -ERANGE (too large) or round (too small).
 */
UK_TEST(parse_long_decimals)
{
	static char buf[1000];
	struct uk_store_ref ref;
	uint64_t x = 55511155511ull;
	int i, k, n, exact = 0, ranged = 0;

	UK_TEST_EQ(uk_store_lookup("tsthost/parsed", &ref), 0);
	for (i = 0; i < 20000; i++) {
		char *p = buf;
		double d;
		int rc;

		*p++ = ' ';
		if (rnd(&x) % 3 == 0)
			*p++ = '-';
		n = 1 + (int)(rnd(&x) % (i % 10 ? 40 : 800));
		for (k = 0; k < n; k++) {
			if (k == n / 2)
				*p++ = '.';
			*p++ = (char)('0' + rnd(&x) % 10);
		}
		sprintf(p, "e%d\n", (int)(rnd(&x) % 700) - 350 - n / 2);
		d = strtod(buf, NULL);
		rc = uk_store_write_text(&ref, buf);
		if (isinf(d)) {
			UK_TEST_EQ(rc, -ERANGE);
			ranged++;
			continue;
		}
		UK_TEST_EQ(rc, 0);
		if (!memcmp(&v_parsed, &d, sizeof(d)))
			exact++;
		else if (i - exact - ranged < 5)
			uk_test_log("%.60s... parsed as %a, strtod %a", buf,
				    v_parsed, d);
	}
	uk_store_ref_put(&ref);
	uk_test_log("%d long decimals: %d exact, %d out of range", i, exact,
		    ranged);
	UK_TEST_EQ(exact + ranged, i);
}
