/*
 * strtod and strtof, correctly rounded.  The scanner reads the text the
 * way glibc's strtod does (white space, sign, a decimal or hexadecimal
 * mantissa and exponent, inf, infinity, nan, nan(chars)) and keeps the
 * first 19 significant decimal digits as an integer w with a decimal
 * exponent q; further digits only tell the fast paths that something
 * non-zero follows (sticky).  Then, cheapest first:
 *
 *  - Clinger: w and 10^|q| are both exact (w <= 2^53, |q| <= 22 for a
 *    double), so one multiplication or division, rounded by the hardware,
 *    is the correctly rounded result;
 *  - Eisel-Lemire: w * 10^q through the 128-bit table (pow10.c, rounded
 *    up) gives the top 128 bits of the product to within one unit, so the
 *    rounding is certain unless the bits below the kept significand read
 *    exactly one half.  With a truncated mantissa the value lies between
 *    w and w + 1 (times 10^q): both must round alike;
 *  - otherwise (exact halfway cases, subnormal results, long mantissas
 *    next to a rounding boundary) the exact fallback, parse_slow.c,
 *    compares the whole decimal with the midpoints around the candidate
 *    the table gave.
 *
 * A hexadecimal mantissa is binary already and is rounded directly.  A
 * float goes through the same code with the binary32 parameters (its
 * Clinger step computes in float), so it is rounded once, never through a
 * double.
 */
#include <stddef.h>
#include <stdint.h>

#include <uk/num.h>

#include "num_impl.h"

typedef _uk_num_u128 u128;

static const struct _uk_num_fmt fmt64 = { .p = 53, .ebits = 11,
					  .lmin = -324, .lmax = 308 };
static const struct _uk_num_fmt fmt32 = { .p = 24, .ebits = 8,
					  .lmin = -46, .lmax = 38 };

/* Explicit exponents saturate here: far outside any format already. */
#define EXP_LIMIT 100000000000LL

static int is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The value of c as a digit, 99 if it is none (letters are 10..35). */
static int digit_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
		return (c | 0x20) - 'a' + 10;
	return 99;
}

/* Length of word (lower case) if s starts with it in any case, else 0. */
static int match(const char *s, const char *word)
{
	int n = 0;

	for (; word[n]; n++)
		if ((s[n] | 0x20) != word[n])
			return 0;
	return n;
}

/*
 * An exponent: p is at its letter (e or p); if [+-]digits follow, adds
 * their value (saturated) to *exp and returns the end, else returns p
 * (the letter is then not part of the number).
 */
static const char *scan_exp(const char *p, int64_t *exp)
{
	const char *q = p + 1;
	int64_t x = 0;
	int neg = 0;

	if (*q == '+' || *q == '-')
		neg = *q++ == '-';
	if (!is_digit(*q))
		return p;
	for (; is_digit(*q); q++)
		if (x < EXP_LIMIT)
			x = x * 10 + (*q - '0');
	*exp += neg ? -x : x;
	return q;
}

/* ---- decimal ---------------------------------------------------------- */

/* Adds one mantissa digit to d; frac says it is after the point. */
static void dec_digit(struct _uk_num_dec *d, int v, int frac)
{
	if (d->nw < 19) {
		/* Leading zeros are no digits of w, only places. */
		if (d->w || v) {
			d->w = d->w * 10 + (uint64_t)v;
			d->nw++;
		}
		d->e10 -= frac;
	} else {
		d->e10 += !frac;
		d->sticky |= v != 0;
	}
}

/*
 * Scans a decimal mantissa and its exponent at p into d.  Returns the
 * end, or NULL when there is no digit.
 */
static const char *scan_dec(const char *p, struct _uk_num_dec *d)
{
	int any = 0;

	*d = (struct _uk_num_dec){ .mant = p };
	for (; is_digit(*p); p++, any = 1)
		dec_digit(d, *p - '0', 0);
	if (*p == '.' && (any || is_digit(p[1])))
		for (p++; is_digit(*p); p++, any = 1)
			dec_digit(d, *p - '0', 1);
	if (!any)
		return NULL;
	d->mant_end = p;
	return (*p | 0x20) == 'e' ? scan_exp(p, &d->e10) : p;
}

/*
 * Clinger's fast path: *bits, and 1, when w and 10^|q| are exact in the
 * format, so the hardware's one rounding is the answer; else 0.
 */
static int clinger(const struct _uk_num_dec *d, const struct _uk_num_fmt *f,
		   uint64_t *bits)
{
	static const double p10[] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
		1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
		1e21, 1e22,
	};
	static const float p10f[] = {
		1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f,
		1e10f,
	};
	int q = (int)d->e10;

	if (d->sticky)
		return 0;
	if (f == &fmt64) {
		double x;

		if (d->w > (1ULL << 53) || q < -22 || q > 22)
			return 0;
		x = (double)d->w;
		x = q < 0 ? x / p10[-q] : x * p10[q];
		__builtin_memcpy(bits, &x, sizeof(x));
	} else {
		uint32_t b;
		float x;

		if (d->w > (1ULL << 24) || q < -10 || q > 10)
			return 0;
		x = (float)d->w;
		x = q < 0 ? x / p10f[-q] : x * p10f[q];
		__builtin_memcpy(&b, &x, sizeof(x));
		*bits = b;
	}
	return 1;
}

/*
 * Eisel-Lemire: w * 10^q (w != 0, q within the table) rounded through
 * the 128-bit table.  The table entry g is 10^q's rounded up, so the top
 * 128 bits x of w * g are within one unit of the exact product's: the
 * rounding is certain unless the bits below the significand read
 * exactly one half.  *sure says whether the bits returned are certainly
 * right; else (that case, or a subnormal result) they are a candidate
 * within an ulp or so for the exact fallback.
 */
static uint64_t eisel_lemire(uint64_t w, int q, const struct _uk_num_fmt *f,
			     int *sure)
{
	const uint64_t *g = _uk_num_pow10[q - UK_NUM_POW10_MIN];
	int lz = __builtin_clzll(w), p = f->p, top, s, be;
	uint64_t wn = w << lz, m, inf = _uk_num_inf(f);
	u128 x, rem, half;

	x = (u128)wn * g[0] + (uint64_t)(((u128)wn * g[1]) >> 64);
	/* x is in [2^126, 2^128); s bits lie below the significand. */
	top = (int)(x >> 127);
	s = 127 + top - p;
	/*
	 * w * 10^q = x * 2^(flog2(10^q) - 63 - lz) (within x's error), so
	 * the significand x >> s has the binary exponent s plus that.
	 */
	be = s + _uk_num_flog2_pow10(q) - 63 - lz + p - 1 + _uk_num_bias(f);
	if (be <= 0) {
		/* Subnormal (or zero): fewer bits, truncated. */
		int sh = s + 1 - be;

		*sure = 0;
		return sh >= 128 ? 0 : (uint64_t)(x >> sh);
	}
	if (be > (1 << f->ebits) - 2) {
		*sure = 1;
		return inf;
	}
	m = (uint64_t)(x >> s);
	rem = x & (((u128)1 << s) - 1);
	half = (u128)1 << (s - 1);
	*sure = rem != half;
	m += rem > half || (rem == half && (m & 1));
	/* m may have carried to 2^p: that is the next binade's 1.0. */
	return ((uint64_t)(be - 1) << (p - 1)) + m;
}

/* The bits of the positive decimal d in format f. */
static uint64_t convert_dec(const struct _uk_num_dec *d,
			    const struct _uk_num_fmt *f, int *erange)
{
	int64_t lead = d->e10 + d->nw - 1;
	uint64_t bits, bits1;
	int sure, sure1;

	if (!d->w)
		return 0;
	if (lead > f->lmax) {
		*erange = 1;
		return _uk_num_inf(f);
	}
	if (lead < f->lmin) {
		*erange = 1;
		return 0;
	}
	if (clinger(d, f, &bits))
		return bits;
	bits = eisel_lemire(d->w, (int)d->e10, f, &sure);
	if (sure && d->sticky) {
		bits1 = eisel_lemire(d->w + 1, (int)d->e10, f, &sure1);
		sure = sure1 && bits1 == bits;
	}
	if (!sure)
		return _uk_num_slow(d, f, bits, erange);
	if (bits == _uk_num_inf(f))
		*erange = 1;
	return bits;
}

/* ---- hexadecimal ------------------------------------------------------ */

/*
 * m * 2^e2 (m != 0), plus a non-zero rest below m's last bit if sticky,
 * rounded to format f, with *erange set as uk_num_strtod() says:
 * overflow, or tiny after rounding (as x86 detects it) and inexact.
 */
static uint64_t round_bin(uint64_t m, int64_t e2, int sticky,
			  const struct _uk_num_fmt *f, int *erange)
{
	int p = f->p, bias = _uk_num_bias(f), emin = 1 - bias, drop, lz;
	uint64_t kept, rest, bits, inf = _uk_num_inf(f);
	int64_t lead;
	int inexact;

	lz = __builtin_clzll(m);
	m <<= lz;
	lead = e2 - lz + 63;	/* the value is in [2^lead, 2^(lead+1)) */
	if (lead > bias) {
		*erange = 1;
		return inf;
	}
	if (lead < _uk_num_qmin(f) - 1) {
		*erange = 1;
		return 0;
	}
	/* Bits dropped: the significand's rest, more for a subnormal. */
	drop = 64 - p + (lead < emin ? emin - (int)lead : 0);
	kept = drop < 64 ? m >> drop : 0;
	rest = drop < 64 ? m << (64 - drop) : m;
	inexact = rest || sticky;
	kept += (rest >> 63) && ((rest << 1) || sticky || (kept & 1));
	bits = lead < emin ? kept :
		((uint64_t)(lead + bias - 1) << (p - 1)) + kept;
	if (bits >= inf) {
		*erange = 1;
		return inf;
	}
	if (inexact && lead < emin) {
		/* Tiny unless rounding p bits carries up to 2^emin. */
		uint64_t k = m >> (64 - p), r = m << p;

		k += (r >> 63) && ((r << 1) || sticky || (k & 1));
		if (lead < emin - 1 || k < (1ULL << p))
			*erange = 1;
	}
	return bits;
}

/*
 * Scans a hexadecimal mantissa (after "0x") and binary exponent at p and
 * rounds it into *bits.  Returns the end, or NULL when there is no hex
 * digit (the text is then the number 0 before the x).
 */
static const char *scan_hex(const char *p, const struct _uk_num_fmt *f,
			    uint64_t *bits, int *erange)
{
	uint64_t m = 0;
	int64_t e2 = 0;
	int any = 0, sticky = 0, nd = 0, frac = 0, v;

	for (;; p++) {
		if (*p == '.' && !frac && (any || digit_val(p[1]) < 16)) {
			frac = 1;
			continue;
		}
		v = digit_val(*p);
		if (v >= 16)
			break;
		any = 1;
		if (nd < 16) {
			/* Leading zeros are no digits, only places. */
			if (m || v) {
				m = m << 4 | (uint64_t)v;
				nd++;
			}
			e2 -= frac * 4;
		} else {
			e2 += !frac * 4;
			sticky |= v != 0;
		}
	}
	if (!any)
		return NULL;
	if ((*p | 0x20) == 'p')
		p = scan_exp(p, &e2);
	*bits = m ? round_bin(m, e2, sticky, f, erange) : 0;
	return p;
}

/* ---- inf and nan ------------------------------------------------------ */

/*
 * After "nan": an optional "(chars)" of letters, digits and '_'.  When
 * the chars read entirely as an unsigned integer (strtoull, base 0),
 * their low bits become the payload of the quiet NaN, as glibc does; an
 * integer that overflows sets *erange, as glibc's strtoull does even
 * there.  Returns the end.
 */
static const char *scan_nan(const char *p, const struct _uk_num_fmt *f,
			    uint64_t *bits, int *erange)
{
	uint64_t quiet = 1ULL << (f->p - 2), v = 0;
	const char *cp = p + 1, *q = p + 1;
	unsigned int base = 10, d;

	*bits = _uk_num_inf(f) | quiet;
	if (*p != '(')
		return p;
	while (digit_val(*cp) < 36 || *cp == '_')
		cp++;
	if (*cp != ')')
		return p;
	if (q[0] == '0' && (q[1] | 0x20) == 'x' && digit_val(q[2]) < 16) {
		base = 16;
		q += 2;
	} else if (q[0] == '0') {
		base = 8;
	}
	for (; (d = (unsigned int)digit_val(*q)) < base; q++) {
		if (v > (UINT64_MAX - d) / base) {
			v = UINT64_MAX;
			*erange = 1;
		} else {
			v = v * base + d;
		}
	}
	if (q == cp)
		*bits |= v & (quiet - 1);
	return cp + 1;
}

/* ---- the whole text ---------------------------------------------------- */

/* Parses s in format f; see uk_num_strtod(). */
static uint64_t parse(const char *s, char **end, const struct _uk_num_fmt *f,
		      int *erange)
{
	const char *p = s, *e;
	struct _uk_num_dec d;
	uint64_t bits = 0, sign;
	int n;

	while (is_space(*p))
		p++;
	sign = 0;
	if (*p == '+' || *p == '-')
		sign = (uint64_t)(*p++ == '-') << (f->p - 1 + f->ebits);
	e = NULL;
	if (p[0] == '0' && (p[1] | 0x20) == 'x')
		e = scan_hex(p + 2, f, &bits, erange);
	if (e) {
		/* a hexadecimal number */
	} else if ((e = scan_dec(p, &d))) {
		bits = convert_dec(&d, f, erange);
	} else if ((n = match(p, "inf"))) {
		e = p + n + match(p + n, "inity");
		bits = _uk_num_inf(f);
	} else if ((n = match(p, "nan"))) {
		e = scan_nan(p + n, f, &bits, erange);
	} else {
		/* No number: +0, and the end at the very start. */
		e = s;
		sign = 0;
	}
	if (end)
		*end = (char *)e;
	return bits | sign;
}

/* See uk/num.h. */
double uk_num_strtod(const char *s, char **end, int *erange)
{
	int range = 0;
	uint64_t bits = parse(s, end, &fmt64, &range);
	double d;

	if (erange)
		*erange = range;
	__builtin_memcpy(&d, &bits, sizeof(d));
	return d;
}

/* See uk/num.h. */
float uk_num_strtof(const char *s, char **end, int *erange)
{
	int range = 0;
	uint32_t bits = (uint32_t)parse(s, end, &fmt32, &range);
	float x;

	if (erange)
		*erange = range;
	__builtin_memcpy(&x, &bits, sizeof(x));
	return x;
}
