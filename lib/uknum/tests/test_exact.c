/*
 * uk_num_decimal_* against glibc's printf, which prints exact digits
 * rounded half to even: every digit of random doubles (against
 * "%.800e"), rounding to n significant digits (against "%.{n-1}e") and
 * at a fixed place, n <= 0 included (against "%.{p}f").  Subnormals,
 * integers, halves and huge values are mixed in.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/num.h>
#include <uk/test.h>

static uint64_t rng = 0x853c49e6748fea9bULL;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double rnd_double(int i)
{
	uint64_t b = rnd();
	double d;

	switch (i % 4) {
	case 0:
		b &= ~(1ULL << 63);
		if ((b >> 52) == 0x7ff)
			b >>= 1;
		memcpy(&d, &b, sizeof(d));
		return d;
	case 1:	/* subnormal */
		b >>= 12 + b % 52;
		memcpy(&d, &b, sizeof(d));
		return d;
	case 2:	/* halves and integers: ties */
		return (double)(b >> (11 + b % 50)) / 2;
	default:
		return ldexp((double)(b >> 11), (int)(b % 200) - 100);
	}
}

/* "%.Ne" output as digits (no point, no exponent) and exponent. */
static int glibc_digits(const char *fmt_out, char *dig, int *exp)
{
	int n = 0;
	const char *p;

	for (p = fmt_out; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9')
			dig[n++] = *p;
	dig[n] = '\0';
	*exp = *p ? atoi(p + 1) : 0;
	return n;
}

/* dec's digits as text, zero-padded to n. */
static void dec_text(const struct uk_num_decimal *dec, int n, char *out)
{
	int i;

	for (i = 0; i < n; i++)
		out[i] = i < dec->len ? dec->digit[i] : '0';
	out[n] = '\0';
}

UK_TEST(exact_every_digit)
{
	static struct uk_num_decimal dec;
	static char ref[1000], dig[1000], mine[1000];
	int i, n, exp, bad = 0;

	for (i = 0; i < 10000; i++) {
		double d = rnd_double(i);

		uk_num_decimal_exact(&dec, d);
		snprintf(ref, sizeof(ref), "%.800e", d);
		n = glibc_digits(ref, dig, &exp);
		/* glibc pads with zeros past the last digit. */
		while (n > 1 && dig[n - 1] == '0')
			dig[--n] = '\0';
		/* An integer's digits may end in zeros too. */
		n = dec.len;
		while (n > 1 && dec.digit[n - 1] == '0')
			n--;
		dec_text(&dec, n, mine);
		if ((strcmp(mine, dig) || (d != 0 && dec.exp != exp)) &&
		    bad++ < 5)
			uk_test_log("%a: uknum %s e%d, glibc %s e%d", d, mine,
				    dec.exp, dig, exp);
	}
	UK_TEST_EQ(bad, 0);
}

UK_TEST(exact_round_significant)
{
	static struct uk_num_decimal dec;
	static char ref[400], dig[400], mine[400];
	int i, n, exp, bad = 0;

	for (i = 0; i < 60000; i++) {
		double d = rnd_double(i);
		int p = (int)(rnd() % (i % 8 ? 20 : 120));

		if (d == 0)
			continue;
		uk_num_decimal_exact(&dec, d);
		uk_num_decimal_round(&dec, p + 1);
		snprintf(ref, sizeof(ref), "%.*e", p, d);
		n = glibc_digits(ref, dig, &exp);
		dec_text(&dec, n, mine);
		if ((strcmp(mine, dig) || dec.exp != exp) && bad++ < 5)
			uk_test_log("%a to %d digits: uknum %s e%d, glibc %s",
				    d, p + 1, mine, dec.exp, ref);
	}
	UK_TEST_EQ(bad, 0);
}

/* Rounding at the place 10^-p, as %f does: n = exp + 1 + p may be <= 0. */
UK_TEST(exact_round_fixed)
{
	static struct uk_num_decimal dec;
	static char ref[1200], mine[1200];
	int i, k, pos, bad = 0;

	for (i = 0; i < 60000; i++) {
		double d = rnd_double(i);
		int p = (int)(rnd() % 25);
		char *q = mine;

		if (fabs(d) > 1e30)
			d = fmod(d, 1e30);
		uk_num_decimal_exact(&dec, d);
		uk_num_decimal_round(&dec, dec.exp + 1 + p);
		snprintf(ref, sizeof(ref), "%.*f", p, d);
		/* The same layout from the digit accessor. */
		pos = dec.len && dec.exp > 0 ? dec.exp : 0;
		for (k = pos; k >= -p; k--) {
			if (k == -1)
				*q++ = '.';
			*q++ = uk_num_decimal_digit(&dec, k);
		}
		*q = '\0';
		if (strcmp(mine, ref) && bad++ < 5)
			uk_test_log("%a at 10^-%d: uknum %s, glibc %s", d, p,
				    mine, ref);
	}
	UK_TEST_EQ(bad, 0);
}
