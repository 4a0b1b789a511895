/*
 * uknum internals shared by its files and its tests: the power-of-ten
 * table (pow10.c, written by tools/gen_pow10.c), the binary exponent
 * that goes with each entry, the shortest-digits core, the description
 * of a binary floating-point format for the parser, and the parser's
 * exact fallback.  Not part of the contract.
 */
#ifndef UK_NUM_IMPL_H
#define UK_NUM_IMPL_H

#include <stdint.h>

#include <uk/num.h>

typedef unsigned __int128 _uk_num_u128;

/*
 * Decimal exponents covered by _uk_num_pow10: the shortest formatter
 * needs 10^-292..10^324, the parser 10^-342..10^308.
 */
#define UK_NUM_POW10_MIN (-342)
#define UK_NUM_POW10_MAX 324
#define UK_NUM_POW10_N (UK_NUM_POW10_MAX - UK_NUM_POW10_MIN + 1)

/*
 * Entry e - UK_NUM_POW10_MIN holds 10^e as a 128-bit g in [2^127, 2^128)
 * with 10^e = g * 2^(_uk_num_flog2_pow10(e) - 127), rounded up where it
 * is not exact (exact for 0 <= e <= 55).  { high 64 bits, low 64 bits }.
 */
extern const uint64_t _uk_num_pow10[UK_NUM_POW10_N][2];

/*
 * Logarithms by fixed-point multiplication, exact over the ranges given
 * (tools/gen_pow10.c checks them with exact arithmetic):
 * floor(e * log2(10)) for -400 <= e <= 400,
 * floor(q * log10(2)) for -1100 <= q <= 1100,
 * floor(log10(3/4 * 2^q)) for -1080 <= q <= 980.
 */
static inline int _uk_num_flog2_pow10(int e)
{
	return (e * 1741647) >> 19;
}

static inline int _uk_num_flog10_pow2(int q)
{
	return (q * 78913) >> 18;
}

static inline int _uk_num_flog10_34pow2(int q)
{
	return (q * 315653 - 130968) >> 20;
}

/*
 * The shortest decimal of a finite, positive double given as its
 * significand c (with the hidden bit) and binary exponent q, so that the
 * value is c * 2^q.  Returns the decimal exponent k and sets *digits so
 * that digits * 10^k is the shortest (then closest) decimal that rounds
 * back to the double; digits may carry trailing zeros.
 */
int _uk_num_shortest(uint64_t c, int q, uint64_t *digits);

/*
 * The shortest text of v (uk_num_fmt_double()'s contract) by the general
 * algorithm alone, without the fast paths: the reference they are tested
 * against.
 */
int _uk_num_fmt_double_general(double v, char *buf);

/* Copies n bytes; uknum calls no libc, not even memcpy. */
static inline void _uk_num_copy(char *dst, const char *src, int n)
{
	while (n-- > 0)
		*dst++ = *src++;
}

/*
 * A binary interchange format for the parser: binary64 or binary32.
 * Results travel as bit patterns in a uint64_t (sign bit included).
 */
struct _uk_num_fmt {
	int p;          /* significand bits, the hidden one included */
	int ebits;      /* exponent bits */
	/*
	 * Leading decimal digit positions outside which a number is
	 * certainly out of range: 10^(lmin - 1) is below half the
	 * smallest subnormal (rounds to 0), 10^(lmax + 1) above the
	 * largest finite value (rounds to infinity).
	 */
	int lmin, lmax;
};

/* Derived quantities of a format. */
static inline int _uk_num_bias(const struct _uk_num_fmt *f)
{
	return (1 << (f->ebits - 1)) - 1;
}

static inline uint64_t _uk_num_inf(const struct _uk_num_fmt *f)
{
	return (((uint64_t)1 << f->ebits) - 1) << (f->p - 1);
}

/* Exponent of the unit in the last place of a subnormal. */
static inline int _uk_num_qmin(const struct _uk_num_fmt *f)
{
	return 2 - _uk_num_bias(f) - f->p;
}

/* A decimal mantissa as the parser scanned it. */
struct _uk_num_dec {
	uint64_t w;       /* the first (up to 19) significant digits */
	int nw;           /* how many digits w holds */
	int sticky;       /* a non-zero digit follows them */
	int64_t e10;      /* the value is w * 10^e10 (plus the sticky rest) */
	const char *mant; /* the mantissa text (digits, maybe one point) */
	const char *mant_end;
};

/*
 * The exact fallback: the correctly rounded bits of the positive decimal
 * d (whose leading digit's place is within [f->lmin, f->lmax]), given a
 * candidate cand within a few units in the last place.  Sets *erange as
 * uk_num_strtod() documents.
 */
uint64_t _uk_num_slow(const struct _uk_num_dec *d,
		      const struct _uk_num_fmt *f, uint64_t cand,
		      int *erange);

#endif
