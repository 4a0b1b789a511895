/*
 * The shortest text of a double, and exact integer text: the canonical
 * number text of ukmon, used by the Prometheus encoder for every sample
 * and by the store for /store/<path>, so the two always agree.  It is
 * freestanding (no printf, no strtod, no libm) because it also runs in
 * the kernel, and fast because every sample goes through it.
 *
 * The double algorithm follows the idea of Giulietti's "Schubfach": scale
 * the rounding interval of v = c * 2^q by 10^-k, chosen so that the scaled
 * interval is between 1 and 10 wide; then either one multiple of 10 lies
 * in it (one digit shorter, and unique) or the shortest candidates are
 * the integers next to the scaled v, of which we keep the closest.  The
 * scaled bounds are computed with a 128-bit approximation of 10^-k and
 * rounded to odd, which keeps every comparison against an integer (times
 * four) exact: the sticky bit records that the true product is not an
 * integer.  Where the true product can be an integer while the table
 * entry is rounded up (0 < k <= 23 and 5^k divides the scaled bound) the
 * sticky bit is recomputed exactly.
 */
#include <stdint.h>

#include <uk/num.h>

#include "num_impl.h"

typedef _uk_num_u128 u128;

#define DBL_C_MIN (1ULL << 52)
#define DBL_Q_MIN (-1074)

static const char digits2[200] =
	"0001020304050607080910111213141516171819"
	"2021222324252627282930313233343536373839"
	"4041424344454647484950515253545556575859"
	"6061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

static int u64_digits(uint64_t v)
{
	static const uint64_t p10[] = {
		1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
		10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
		100000000000ULL, 1000000000000ULL, 10000000000000ULL,
		100000000000000ULL, 1000000000000000ULL,
		10000000000000000ULL, 100000000000000000ULL,
		1000000000000000000ULL, 10000000000000000000ULL,
	};
	/* log10(2) ~ 1233/4096 turns the bit length into a digit count
	 * that is exact or one short. */
	int n = ((64 - __builtin_clzll(v | 1)) * 1233) >> 12;

	return n + (n < 20 && v >= p10[n]);
}

/*
 * Writes the n decimal digits of v ending just before end, two at a
 * time, in 32-bit arithmetic once v fits (cheaper than 64-bit division).
 */
static inline void put_digits(char *end, uint64_t v)
{
	uint32_t w;

	while (v > 0xffffffffULL) {
		uint64_t q = v / 100;

		end -= 2;
		__builtin_memcpy(end, digits2 + 2 * (v - q * 100), 2);
		v = q;
	}
	w = (uint32_t)v;
	while (w >= 100) {
		uint32_t q = w / 100;

		end -= 2;
		__builtin_memcpy(end, digits2 + 2 * (w - q * 100), 2);
		w = q;
	}
	if (w >= 10) {
		end -= 2;
		__builtin_memcpy(end, digits2 + 2 * w, 2);
	} else {
		*--end = (char)('0' + w);
	}
}

/* v (at least 10^4) in decimal at buf; its length.  Out of line. */
static __attribute__((noinline)) int put_u64_big(uint64_t v, char *buf)
{
	int n = u64_digits(v);

	put_digits(buf + n, v);
	return n;
}

/*
 * w (below 10^4) in decimal at buf; its length.  Counters and integer
 * gauges mostly hold small values: the digit count comes from two
 * comparisons (no table) and the digits from at most one division by
 * 100, written two at a time.
 */
static inline __attribute__((always_inline)) int put_small(uint32_t w,
							   char *buf)
{
	uint32_t hi, lo;

	if (w < 100) {
		if (w < 10) {
			buf[0] = (char)('0' + w);
			return 1;
		}
		__builtin_memcpy(buf, digits2 + 2 * w, 2);
		return 2;
	}
	hi = w / 100;
	lo = w - hi * 100;
	if (w < 1000) {
		buf[0] = (char)('0' + hi);
		__builtin_memcpy(buf + 1, digits2 + 2 * lo, 2);
		return 3;
	}
	__builtin_memcpy(buf, digits2 + 2 * hi, 2);
	__builtin_memcpy(buf + 2, digits2 + 2 * lo, 2);
	return 4;
}

/* v in decimal at buf; its length. */
static inline __attribute__((always_inline)) int put_u64(uint64_t v,
							 char *buf)
{
	if (v < 10000)
		return put_small((uint32_t)v, buf);
	return put_u64_big(v, buf);
}

/* See uk/num.h. */
int uk_num_fmt_u64(uint64_t v, char *buf)
{
	return put_u64(v, buf);
}

/* See uk/num.h. */
int uk_num_fmt_s64(int64_t v, char *buf)
{
	if (v >= 0)
		return uk_num_fmt_u64((uint64_t)v, buf);
	buf[0] = '-';
	/* Negating in unsigned arithmetic keeps INT64_MIN exact. */
	return 1 + uk_num_fmt_u64(-(uint64_t)v, buf + 1);
}

/*
 * cp * g / 2^128 rounded to odd: the integer part, with bit 0 forced to 1
 * when the product has a fractional part.
 */
static inline uint64_t mul_round_odd(const uint64_t g[2], uint64_t cp)
{
	u128 lo = (u128)g[1] * cp;
	u128 mid = (u128)g[0] * cp + (uint64_t)(lo >> 64);

	return (uint64_t)(mid >> 64) | (((uint64_t)mid | (uint64_t)lo) != 0);
}

/*
 * For 0 < k <= 23 the table entry for 10^-k is rounded up, so a product
 * that is truly an integer (5^k divides cp) came out with a stray sticky
 * bit; clear it.
 */
static uint64_t fix_exact(uint64_t r, uint64_t cp, int k)
{
	uint64_t p5 = 1;
	int i;

	for (i = 0; i < k; i++)
		p5 *= 5;
	return cp % p5 ? r : r & ~1ULL;
}

/* See num_impl.h. */
int _uk_num_shortest(uint64_t c, int q, uint64_t *digits)
{
	uint64_t cb = c << 2, cbl, cbr = cb + 2;
	uint64_t vb, vbl, vbr, s, t, sp10;
	/* Ties at the interval's ends round to the even significand. */
	uint64_t out = c & 1;
	const uint64_t *g;
	int k, h, upin, wpin, uin, win;
	int64_t cmp;

	if (c != DBL_C_MIN || q == DBL_Q_MIN) {
		cbl = cb - 2;
		k = _uk_num_flog10_pow2(q);
	} else {
		/* At a power of two the lower neighbour is closer. */
		cbl = cb - 1;
		k = _uk_num_flog10_34pow2(q);
	}
	g = _uk_num_pow10[-k - UK_NUM_POW10_MIN];
	h = q + _uk_num_flog2_pow10(-k) + 1;
	vb = mul_round_odd(g, cb << h);
	vbl = mul_round_odd(g, cbl << h);
	vbr = mul_round_odd(g, cbr << h);
	if (__builtin_expect(k > 0 && k <= 23, 0)) {
		vb = fix_exact(vb, cb, k);
		vbl = fix_exact(vbl, cbl, k);
		vbr = fix_exact(vbr, cbr, k);
	}

	s = vb >> 2;
	/* One digit shorter: the multiple of ten in the interval, if any. */
	sp10 = s / 10 * 10;
	upin = vbl + out <= sp10 << 2;
	wpin = ((sp10 + 10) << 2) + out <= vbr;
	if (upin != wpin) {
		*digits = upin ? sp10 : sp10 + 10;
		return k;
	}
	t = s + 1;
	uin = vbl + out <= s << 2;
	win = (t << 2) + out <= vbr;
	if (uin != win) {
		*digits = uin ? s : t;
		return k;
	}
	/* Both are in: the closer one, the even one on a tie. */
	cmp = (int64_t)(vb - ((s + t) << 1));
	*digits = (cmp < 0 || (cmp == 0 && !(s & 1))) ? s : t;
	return k;
}

/* Drops the trailing zeros of *d into *k. */
static inline void strip_zeros(uint64_t *d, int *k)
{
	uint64_t v = *d;
	int e = *k;

	/* Up to 16 zeros (17 digits, the first non-zero). */
	while (v % 100000000 == 0) {
		v /= 100000000;
		e += 8;
	}
	if (v % 10000 == 0) {
		v /= 10000;
		e += 4;
	}
	if (v % 100 == 0) {
		v /= 100;
		e += 2;
	}
	if (v % 10 == 0) {
		v /= 10;
		e += 1;
	}
	*d = v;
	*k = e;
}

/*
 * Lays out digits * 10^k: plainly for decimal exponents -4..15 (the
 * leading digit's), else as d.ddde+XX with at least two exponent digits,
 * as C's %g does, so strtod and Prometheus read it.
 */
static int layout(uint64_t d, int k, char *buf)
{
	char tmp[20];
	int n, x, i;
	char *p = buf;

	strip_zeros(&d, &k);
	n = u64_digits(d);
	put_digits(tmp + n, d);
	x = n - 1 + k;
	if (x >= 0 && x <= 15) {
		if (k >= 0) {
			_uk_num_copy(p, tmp, n);
			p += n;
			for (i = 0; i < k; i++)
				*p++ = '0';
		} else {
			_uk_num_copy(p, tmp, x + 1);
			p += x + 1;
			*p++ = '.';
			_uk_num_copy(p, tmp + x + 1, n - x - 1);
			p += n - x - 1;
		}
		return (int)(p - buf);
	}
	if (x < 0 && x >= -4) {
		*p++ = '0';
		*p++ = '.';
		for (i = -1; i > x; i--)
			*p++ = '0';
		_uk_num_copy(p, tmp, n);
		return (int)(p + n - buf);
	}
	*p++ = tmp[0];
	if (n > 1) {
		*p++ = '.';
		_uk_num_copy(p, tmp + 1, n - 1);
		p += n - 1;
	}
	*p++ = 'e';
	if (x < 0) {
		*p++ = '-';
		x = -x;
	} else {
		*p++ = '+';
	}
	if (x >= 100) {
		*p++ = (char)('0' + x / 100);
		x %= 100;
	}
	__builtin_memcpy(p, digits2 + 2 * x, 2);
	return (int)(p + 2 - buf);
}

/* See num_impl.h: the shortest text without the fast paths. */
__attribute__((noinline)) int _uk_num_fmt_double_general(double v, char *buf)
{
	uint64_t bits, c, d;
	int be, q, k;
	char *p = buf;

	__builtin_memcpy(&bits, &v, sizeof(bits));
	be = (int)((bits >> 52) & 0x7ff);
	c = bits & (DBL_C_MIN - 1);
	if (be == 0x7ff) {
		if (c) {
			__builtin_memcpy(buf, "NaN", 4);
			return 3;
		}
		__builtin_memcpy(buf, bits >> 63 ? "-Inf" : "+Inf", 5);
		return 4;
	}
	if (bits >> 63)
		*p++ = '-';
	if (be) {
		c |= DBL_C_MIN;
		q = be - 1075;
	} else {
		q = DBL_Q_MIN;
	}
	k = _uk_num_shortest(c, q, &d);
	p += layout(d, k, p);
	*p = '\0';
	return (int)(p - buf);
}

/* m / 10^k (0 < k <= 3) as "int.frac", k fraction digits; the length. */
static int put_fixed(uint64_t m, int k, char *p)
{
	static const uint32_t p10[4] = { 1, 10, 100, 1000 };
	uint64_t ip = m / p10[k];
	/* The fraction as three digits, of which the first k are kept. */
	uint32_t fr = (uint32_t)(m - ip * p10[k]) * p10[3 - k];
	int n = put_u64(ip, p);

	p[n] = '.';
	p[n + 1] = (char)('0' + fr / 100);
	__builtin_memcpy(p + n + 2, digits2 + 2 * (fr % 100), 2);
	return n + 1 + k;
}

/* The text after an eighth's integer part, NUL-padded: by m & 7. */
static const char frac8[8][8] = {
	"", ".125", ".25", ".375", ".5", ".625", ".75", ".875"
};
static const uint8_t frac8_len[8] = { 0, 4, 3, 4, 2, 4, 3, 4 };

/*
 * uk_num_fmt_double() past its first fast path (an integer or an eighth
 * below 10^4): out of line, so that the hot path saves no registers.
 */
static __attribute__((noinline)) int fmt_double_rest(double v, char *buf)
{
	double a = __builtin_fabs(v);
	char *p = buf;
	uint64_t m, bits;
	int k;

	__builtin_memcpy(&bits, &v, sizeof(bits));
	/*
	 * Integers and eighths below 2^40, in one test: a * 8 is exact, and
	 * an integer exactly when a is a multiple of 1/8.  An integer
	 * prints as such; an eighth's exact decimal ends in a 5 at most
	 * three places after the point, so every shorter decimal is at
	 * least 0.005 away while half an ulp is under 2^-14: the exact text
	 * is the shortest, and the closest.  The fraction's text (and the
	 * terminator) is one 8-byte copy.
	 */
	if (a < 1099511627776.0) {
		double a8 = a * 8.0;

		m = (uint64_t)(int64_t)a8;
		if ((double)m == a8) {
			if (bits >> 63)
				*p++ = '-';
			p += put_u64(m >> 3, p);
			__builtin_memcpy(p, frac8[m & 7], 8);
			return (int)(p + frac8_len[m & 7] - buf);
		}
	} else if (a < 9007199254740992.0) {
		/* Integers below 2^53 are exact in an int64. */
		m = (uint64_t)a;
		if ((double)m == a) {
			if (bits >> 63)
				*p++ = '-';
			p += put_u64(m, p);
			*p = '\0';
			return (int)(p - buf);
		}
	}
	if (!(a < 1099511627776.0))
		return _uk_num_fmt_double_general(v, buf);
	/*
	 * Other decimals of up to three places between 0.001 and 2^40 (0.5 s,
	 * 0.25, 12.34, 0.001): half an ulp there is under 2^-14, so any two
	 * multiples of 0.001 in v's rounding interval would be at least
	 * 0.001 apart, more than the interval is wide.  When m / 1000
	 * (correctly rounded, by the division) is v, its digits with the
	 * zeros at the end stripped are therefore the only candidate of
	 * that length or shorter: the shortest text, the general path's.
	 * The exponent is then -3..12, which the layout prints plainly.
	 */
	if (a >= 0.001 && a < 1099511627776.0) {
		m = (uint64_t)(a * 1000.0 + 0.5);
		if ((double)m / 1000.0 == a) {
			/* m is no multiple of 1000: a is no integer. */
			k = 3;
			while (k > 1 && m % 10 == 0) {
				m /= 10;
				k--;
			}
			if (bits >> 63)
				*p++ = '-';
			p += put_fixed(m, k, p);
			*p = '\0';
			return (int)(p - buf);
		}
	}
	return _uk_num_fmt_double_general(v, buf);
}

/* See uk/num.h. */
int uk_num_fmt_double(double v, char *buf)
{
	double a = __builtin_fabs(v), a8;
	char *p = buf;
	uint64_t bits;
	int64_t m;

	__builtin_memcpy(&bits, &v, sizeof(bits));
	/*
	 * Fast paths for the values metrics mostly hold; each gives the
	 * text the general path would (test-uknum compares them).  This one
	 * takes integers and eighths below 10^4 (3, 0.5 s, 12.25...) with
	 * no call, so that it saves no registers; fmt_double_rest() has the
	 * others, and says why an eighth's exact text is its shortest.
	 */
	if (a < 10000.0) {
		a8 = a * 8.0;
		m = (int64_t)a8;
		if ((double)m == a8) {
			if (bits >> 63) /* "-0" too */
				*p++ = '-';
			p += put_small((uint32_t)(m >> 3), p);
			__builtin_memcpy(p, frac8[m & 7], 8);
			return (int)(p + frac8_len[m & 7] - buf);
		}
	}
	return fmt_double_rest(v, buf);
}
