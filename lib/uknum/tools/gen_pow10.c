/*
 * gen-pow10: writes lib/uknum/pow10.c, uknum's table of 128-bit powers of
 * ten, to standard output.  `make gen-pow10` regenerates the committed
 * file with it, and lib/uknum/tests/pow10_table.sh checks that the
 * committed file is exactly its output.
 *
 * Everything is computed with exact integer arithmetic on a small bignum
 * (no floating point): 10^e for e >= 0 is 5^e shifted, for e < 0 a long
 * quotient 2^N / 5^-e.  Before printing, it also checks the three
 * logarithm approximations of num_impl.h over the ranges uknum uses them,
 * and exits with status 1 (printing nothing) if one is wrong.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../num_impl.h"

#define LIMBS 128 /* 4096 bits */

struct big {
	uint32_t l[LIMBS]; /* little-endian */
};

static void big_set(struct big *b, uint32_t v)
{
	memset(b, 0, sizeof(*b));
	b->l[0] = v;
}

static int big_mul(struct big *b, uint32_t m)
{
	uint64_t carry = 0;
	int i;

	for (i = 0; i < LIMBS; i++) {
		uint64_t x = (uint64_t)b->l[i] * m + carry;

		b->l[i] = (uint32_t)x;
		carry = x >> 32;
	}
	return carry ? -1 : 0;
}

/* b *= base^n; -1 if it no longer fits. */
static int big_mul_pow(struct big *b, uint32_t base, int n)
{
	while (n-- > 0)
		if (big_mul(b, base))
			return -1;
	return 0;
}

/* b /= d, rounded down (floor of floors is the floor of the whole). */
static void big_div(struct big *b, uint32_t d)
{
	uint64_t rem = 0;
	int i;

	for (i = LIMBS - 1; i >= 0; i--) {
		uint64_t x = (rem << 32) | b->l[i];

		b->l[i] = (uint32_t)(x / d);
		rem = x % d;
	}
}

static int big_cmp(const struct big *a, const struct big *b)
{
	int i;

	for (i = LIMBS - 1; i >= 0; i--)
		if (a->l[i] != b->l[i])
			return a->l[i] < b->l[i] ? -1 : 1;
	return 0;
}

/* Position of the leading bit (b != 0). */
static long big_lead(const struct big *b)
{
	int i = LIMBS - 1, bit = 31;

	while (i > 0 && !b->l[i])
		i--;
	while (bit > 0 && !(b->l[i] >> bit))
		bit--;
	return i * 32L + bit;
}

static int big_bit(const struct big *b, long pos)
{
	return pos < 0 ? 0 : (b->l[pos / 32] >> (pos % 32)) & 1;
}

/*
 * The 128 bits of a from its leading one down, rounded up when a non-zero
 * bit is cut off or when force_up says the value a stands for is larger.
 */
static void top128(const struct big *a, int force_up, uint64_t out[2])
{
	long lead = big_lead(a), pos;
	uint64_t hi = 0, lo = 0;
	int sticky = force_up, i;

	for (i = 0; i < 128; i++) {
		hi = (hi << 1) | (lo >> 63);
		lo = (lo << 1) | (uint64_t)big_bit(a, lead - i);
	}
	for (pos = lead - 128; pos >= 0; pos--)
		sticky |= big_bit(a, pos);
	if (sticky && !++lo)
		hi++;
	out[0] = hi;
	out[1] = lo;
}

/* The table entry for 10^e. */
static void entry(int e, uint64_t out[2])
{
	struct big a;
	int i;

	if (e >= 0) {
		/* 10^e = 5^e * 2^e: the normalised bits are 5^e's. */
		big_set(&a, 1);
		big_mul_pow(&a, 5, e);
		top128(&a, 0, out);
		return;
	}
	/* 2^4095 / 5^-e, never an integer: always rounded up. */
	big_set(&a, 0);
	a.l[LIMBS - 1] = 1u << 31;
	for (i = 0; i < -e; i++)
		big_div(&a, 5);
	top128(&a, 1, out);
}

/*
 * Compares x = 2^x2 * 5^x5 * mx with y = 2^y2 * 5^y5 * my exactly;
 * returns -1, 0 or 1 (2 if the bignum is too small, which fails the run).
 */
static int cmp25(uint32_t mx, int x2, int x5, uint32_t my, int y2, int y5)
{
	struct big x, y;
	int d2 = x2 - y2, d5 = x5 - y5;

	big_set(&x, mx);
	big_set(&y, my);
	if (big_mul_pow(d2 > 0 ? &x : &y, 2, d2 > 0 ? d2 : -d2) ||
	    big_mul_pow(d5 > 0 ? &x : &y, 5, d5 > 0 ? d5 : -d5))
		return 2;
	return big_cmp(&x, &y);
}

/* Checks k = floor(log10(m * 2^q)): 10^k <= m * 2^q < 10^(k+1). */
static int check_log10(const char *what, int q, uint32_t m, int q2, int k)
{
	if (cmp25(1, k, k, m, q2, 0) <= 0 &&
	    cmp25(m, q2, 0, 1, k + 1, k + 1) < 0)
		return 0;
	fprintf(stderr, "gen-pow10: %s wrong for %d\n", what, q);
	return 1;
}

/* The approximations of num_impl.h, over the ranges uknum uses. */
static int check_logs(void)
{
	int q, bad = 0;

	for (q = -1100; q <= 1100; q++)
		bad |= check_log10("_uk_num_flog10_pow2", q, 1, q,
				   _uk_num_flog10_pow2(q));
	for (q = -1080; q <= 980; q++)
		bad |= check_log10("_uk_num_flog10_34pow2", q, 3, q - 2,
				   _uk_num_flog10_34pow2(q));
	for (q = -400; q <= 400; q++) {
		int f = _uk_num_flog2_pow10(q);

		/* 2^f <= 10^q < 2^(f+1) */
		if (cmp25(1, f, 0, 1, q, q) <= 0 &&
		    cmp25(1, q, q, 1, f + 1, 0) < 0)
			continue;
		fprintf(stderr, "gen-pow10: _uk_num_flog2_pow10 wrong for %d\n",
			q);
		bad = 1;
	}
	return bad;
}

int main(void)
{
	int e;

	if (check_logs())
		return 1;
	printf("/*\n"
	       " * Powers of ten for uknum, written by tools/gen_pow10.c "
	       "(make gen-pow10;\n"
	       " * do not edit): entry e - UK_NUM_POW10_MIN holds 10^e for "
	       "e in [%d, %d],\n"
	       " * normalised to a 128-bit integer g in [2^127, 2^128) with\n"
	       " * 10^e = g * 2^(floor(log2 10^e) - 127), rounded up when not "
	       "exact (exact\n"
	       " * for 0 <= e <= 55).  The shortest formatter (shortest.c) "
	       "and the\n"
	       " * parser's fast path (parse.c) read it.  Each row is "
	       "{ high 64 bits,\n"
	       " * low 64 bits }.\n"
	       " */\n"
	       "#include \"num_impl.h\"\n"
	       "\n"
	       "const uint64_t _uk_num_pow10[UK_NUM_POW10_N][2] = {\n",
	       UK_NUM_POW10_MIN, UK_NUM_POW10_MAX);
	for (e = UK_NUM_POW10_MIN; e <= UK_NUM_POW10_MAX; e++) {
		uint64_t g[2];

		entry(e, g);
		printf("\t{ 0x%016llxULL, 0x%016llxULL }, /* 10^%d */\n",
		       (unsigned long long)g[0], (unsigned long long)g[1], e);
	}
	printf("};\n");
	return 0;
}
