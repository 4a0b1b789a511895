/*
 * The parser's exact fallback, for what the fast paths of parse.c cannot
 * decide: exact halfway cases, subnormal results, and long mantissas next
 * to a rounding boundary.  It reads the decimal M * 10^E (M the
 * significant digits as a big integer) and compares it, exactly, with the
 * midpoints between the candidate the fast path gave and its neighbours,
 * stepping the candidate until the value lies between the midpoints on
 * either side (a tie goes to the even significand).  A comparison of
 * M * 10^E with m * 2^e needs only multiplications by small numbers,
 * shifts and one comparison of big integers: M * 5^E * 2^E against
 * m * 2^e, each power on the side where its exponent is positive.
 *
 * Only the first 800 significant digits are kept; any further non-zero
 * digit just says the value lies above them (sticky).  That is exact: a
 * midpoint or a double has at most 768 significant digits (the longest
 * is 2^-1076-ish at the bottom of the normal range), so a truncated
 * value below a midpoint stays below it with all its digits.
 *
 * Sizes: M < 10^800 (2658 bits), 5^-E <= 5^1123 (2608 bits) times a
 * significand (55 bits); the two sides of a comparison are within a few
 * ulps of each other, so 48 limbs of 64 bits (3072) hold them.  It runs
 * rarely, so it favours plainness over speed, and only its own frame
 * (about 2 KiB) sits on the stack while it does.
 */
#include <stdint.h>

#include <uk/num.h>

#include "num_impl.h"

typedef _uk_num_u128 u128;

#define LIMBS 48
#define KEEP 800

struct big {
	int n;                  /* limbs in use; l[n - 1] != 0 */
	uint64_t l[LIMBS];      /* little-endian */
};

static void big_set(struct big *b, uint64_t v)
{
	b->n = v != 0;
	b->l[0] = v;
}

static void big_copy(struct big *d, const struct big *s)
{
	int i;

	d->n = s->n;
	for (i = 0; i < s->n; i++)
		d->l[i] = s->l[i];
}

/* b = b * m + a. */
static void big_muladd(struct big *b, uint64_t m, uint64_t a)
{
	u128 carry = a;
	int i;

	for (i = 0; i < b->n; i++) {
		u128 t = (u128)b->l[i] * m + carry;

		b->l[i] = (uint64_t)t;
		carry = t >> 64;
	}
	if (carry) {
		if (b->n == LIMBS)
			__builtin_trap();
		b->l[b->n++] = (uint64_t)carry;
	}
}

/* b *= 5^n. */
static void big_mul_pow5(struct big *b, int n)
{
	static const uint64_t p5_27 = 7450580596923828125ULL;
	uint64_t p = 1;

	for (; n >= 27; n -= 27)
		big_muladd(b, p5_27, 0);
	while (n-- > 0)
		p *= 5;
	big_muladd(b, p, 0);
}

/* b <<= n (n >= 0). */
static void big_shl(struct big *b, int n)
{
	int w = n / 64, r = n % 64, i;
	uint64_t hi;

	if (!b->n)
		return;
	if (b->n + w + 1 > LIMBS)
		__builtin_trap();
	hi = r ? b->l[b->n - 1] >> (64 - r) : 0;
	for (i = b->n - 1; i >= 0; i--)
		b->l[i + w] = b->l[i] << r |
			      (r && i ? b->l[i - 1] >> (64 - r) : 0);
	for (i = 0; i < w; i++)
		b->l[i] = 0;
	b->n += w;
	if (hi)
		b->l[b->n++] = hi;
}

static int big_cmp(const struct big *a, const struct big *b)
{
	int i;

	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	for (i = a->n - 1; i >= 0; i--)
		if (a->l[i] != b->l[i])
			return a->l[i] < b->l[i] ? -1 : 1;
	return 0;
}

/* The decimal as the comparisons see it: A * 2^e10 / B, plus sticky. */
struct exact {
	struct big a, b;
	int e10;
	int sticky;
};

/*
 * Compares the decimal x with m * 2^e exactly: A * 2^E vs m * B * 2^e.
 * Returns -1, 0 or 1.
 */
static int cmp_exact(const struct exact *x, uint64_t m, int e)
{
	struct big l, r;
	int d = x->e10 - e, c;

	big_copy(&l, &x->a);
	big_copy(&r, &x->b);
	big_muladd(&r, m, 0);
	if (d > 0)
		big_shl(&l, d);
	else
		big_shl(&r, -d);
	c = big_cmp(&l, &r);
	return c ? c : x->sticky;
}

/* bits (finite, >= 0) as m * 2^e. */
static void split(const struct _uk_num_fmt *f, uint64_t bits, uint64_t *m,
		  int *e)
{
	uint64_t one = 1ULL << (f->p - 1);
	int be = (int)(bits >> (f->p - 1));

	*m = bits & (one - 1);
	*e = _uk_num_qmin(f);
	if (be) {
		*m |= one;
		*e += be - 1;
	}
}

/* Compares x with the midpoint between bits and the next double up. */
static int cmp_mid(const struct exact *x, const struct _uk_num_fmt *f,
		   uint64_t bits)
{
	uint64_t m;
	int e;

	split(f, bits, &m, &e);
	return cmp_exact(x, 2 * m + 1, e - 1);
}

/* See num_impl.h. */
uint64_t _uk_num_slow(const struct _uk_num_dec *d,
		      const struct _uk_num_fmt *f, uint64_t cand, int *erange)
{
	static const uint64_t p10[] = {
		1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
		10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
		100000000000ULL, 1000000000000ULL, 10000000000000ULL,
		100000000000000ULL, 1000000000000000ULL,
		10000000000000000ULL, 100000000000000000ULL,
		1000000000000000000ULL, 10000000000000000000ULL,
	};
	uint64_t inf = _uk_num_inf(f), one = 1ULL << (f->p - 1), chunk = 0;
	uint64_t c = cand < inf ? cand : inf, m;
	int nd = 0, cn = 0, e, r, inexact;
	struct exact x;
	const char *s;

	/* M: the first KEEP significant digits, 19 at a time. */
	big_set(&x.a, 0);
	x.sticky = 0;
	for (s = d->mant; s < d->mant_end; s++) {
		int v = *s - '0';

		if (*s == '.' || (!nd && !v))
			continue;
		if (nd == KEEP) {
			x.sticky |= v != 0;
			continue;
		}
		chunk = chunk * 10 + (uint64_t)v;
		nd++;
		if (++cn == 19) {
			big_muladd(&x.a, p10[19], chunk);
			chunk = 0;
			cn = 0;
		}
	}
	big_muladd(&x.a, p10[cn], chunk);
	/* The place of M's last digit: the leading one's, nd - 1 lower. */
	x.e10 = (int)(d->e10 + d->nw - 1) - (nd - 1);
	big_set(&x.b, 1);
	if (x.e10 >= 0)
		big_mul_pow5(&x.a, x.e10);
	else
		big_mul_pow5(&x.b, -x.e10);

	/* Step to the double whose rounding interval holds the value. */
	for (;;) {
		if (c < inf) {
			r = cmp_mid(&x, f, c);
			if (r > 0 || (r == 0 && (c & 1))) {
				c++;
				continue;
			}
		}
		if (c > 0) {
			r = cmp_mid(&x, f, c - 1);
			if (r < 0 || (r == 0 && (c & 1))) {
				c--;
				continue;
			}
		}
		break;
	}

	if (c == inf) {
		*erange = 1;
	} else if (c <= one) {
		/*
		 * Underflow, as x86 detects it: inexact, and tiny after
		 * rounding, i.e. below the midpoint between 2^emin and the
		 * p-bit number under it, (2^(p+1) - 1) * 2^(qmin - 2).
		 */
		inexact = 1;
		if (c) {
			split(f, c, &m, &e);
			inexact = cmp_exact(&x, m, e) != 0;
		}
		if (inexact && (c < one ||
				cmp_exact(&x, (one << 2) - 1,
					  _uk_num_qmin(f) - 2) < 0))
			*erange = 1;
	}
	return c;
}
