/*
 * Values as text: uk_store_write_text() parses integers and doubles,
 * uk_store_value_format() prints any value.  Written here rather than
 * borrowed from libc because the kernel's minimal libc has neither
 * floating-point printf nor strtod.  Doubles print with the fewest digits
 * that provably read back to the same double; the arithmetic uses x87
 * long doubles (64-bit mantissa), whose extra bits bound the error of the
 * decimal scaling well below what the digit choice needs.  The exporter
 * has its own exact shortest formatter for the hot path.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/store.h>

#include "store_impl.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Parses an integer: optional sign, decimal or 0x hexadecimal digits.
 * Sets *neg and *mag.  Returns 0, -EINVAL, or -ERANGE beyond 64 bits.
 */
static int parse_int(const char *s, const char *end, int *neg, uint64_t *mag)
{
	unsigned int base = 10, d;
	uint64_t m = 0;

	*neg = 0;
	if (s < end && (*s == '-' || *s == '+'))
		*neg = *s++ == '-';
	if (end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (s == end)
		return -EINVAL;
	for (; s < end; s++) {
		char c = *s;

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned int)(c - 'A' + 10);
		else
			return -EINVAL;
		if (m > (UINT64_MAX - d) / base)
			return -ERANGE;
		m = m * base + d;
	}
	*mag = m;
	return 0;
}

static int lower_eq(const char *s, const char *end, const char *word)
{
	for (; s < end && *word; s++, word++)
		if ((*s | 0x20) != *word)
			return 0;
	return s == end && !*word;
}

/*
 * 10^e as a long double: a product of correctly rounded constants
 * 10^(2^i), so even 10^±4000 is off by a few units of the last place
 * only (squaring at run time would double the error at each step).
 */
static long double pow10l_(int e)
{
	static const long double p2[] = {
		1e1L, 1e2L, 1e4L, 1e8L, 1e16L, 1e32L, 1e64L, 1e128L, 1e256L,
		1e512L, 1e1024L, 1e2048L,
	};
	unsigned int n = (unsigned int)(e < 0 ? -e : e), i;
	long double r = 1;

	for (i = 0; n && i < sizeof(p2) / sizeof(p2[0]); i++, n >>= 1)
		if (n & 1)
			r *= p2[i];
	return e < 0 ? 1 / r : r;
}

/*
 * Parses a decimal floating-point number (also inf, infinity, nan).
 * Returns 0 and *out, or -EINVAL.
 */
static int parse_double(const char *s, const char *end, double *out)
{
	uint64_t m = 0;
	int neg = 0, exp10 = 0, digits = 0, any = 0;
	long double r;

	if (s < end && (*s == '-' || *s == '+'))
		neg = *s++ == '-';
	if (lower_eq(s, end, "inf") || lower_eq(s, end, "infinity")) {
		*out = neg ? -__builtin_inf() : __builtin_inf();
		return 0;
	}
	if (lower_eq(s, end, "nan")) {
		*out = __builtin_nan("");
		return 0;
	}
	for (; s < end && *s >= '0' && *s <= '9'; s++, any = 1) {
		if (digits < 19) {
			m = m * 10 + (uint64_t)(*s - '0');
			digits += m != 0;
		} else {
			exp10++;
		}
	}
	if (s < end && *s == '.') {
		for (s++; s < end && *s >= '0' && *s <= '9'; s++, any = 1) {
			if (digits < 19) {
				m = m * 10 + (uint64_t)(*s - '0');
				digits += m != 0;
				exp10--;
			}
		}
	}
	if (!any)
		return -EINVAL;
	if (s < end && (*s == 'e' || *s == 'E')) {
		int eneg = 0, e = 0;

		s++;
		if (s < end && (*s == '-' || *s == '+'))
			eneg = *s++ == '-';
		if (s == end)
			return -EINVAL;
		for (; s < end && *s >= '0' && *s <= '9'; s++)
			if (e < 100000)
				e = e * 10 + (*s - '0');
		exp10 += eneg ? -e : e;
	}
	if (s != end)
		return -EINVAL;
	if (m == 0 || exp10 < -400) {
		r = 0;
	} else if (exp10 > 400) {
		r = __builtin_infl();
	} else if (m < (1ull << 53) && exp10 >= -22 && exp10 <= 22) {
		/* Both operands exact: one correctly rounded operation. */
		double d = (double)m, p = (double)pow10l_(exp10 < 0 ? -exp10
							      : exp10);

		*out = exp10 < 0 ? d / p : d * p;
		if (neg)
			*out = -*out;
		return 0;
	} else if (exp10 < -300) {
		/* Two steps so the power of ten stays normal. */
		r = (long double)m * pow10l_(-300) * pow10l_(exp10 + 300);
	} else {
		r = (long double)m * pow10l_(exp10);
	}
	*out = neg ? -(double)r : (double)r;
	return 0;
}

/*
 * Parses text (surrounding white space ignored) as a value of the
 * entry's type and writes it.  Returns as uk_store_write(), or -EINVAL for
 * unparsable text.
 */
int uk_store_write_text(const struct uk_store_ref *ref, const char *text)
{
	struct uk_store_value v = { 0 };
	const char *s, *end;
	uint64_t mag;
	int neg, rc;
	uint8_t t;

	if (!ref || !ref->entry || !text)
		return -EINVAL;
	t = ref->entry->type;
	if (!ref->entry->set.any)
		return -EPERM;
	if (t == UK_STORE_STRING) {
		v.type = UK_STORE_STRING;
		v.str = text;
		return uk_store_write(ref, &v);
	}
	s = text;
	end = text + _uk_store_strnlen(text, (size_t)-1);
	while (s < end && is_space(*s))
		s++;
	while (end > s && is_space(end[-1]))
		end--;
	if (t == UK_STORE_DOUBLE) {
		v.type = UK_STORE_DOUBLE;
		rc = parse_double(s, end, &v.d);
		return rc ? rc : uk_store_write(ref, &v);
	}
	if (!_uk_store_is_signed(t) && !_uk_store_is_unsigned(t))
		return -EINVAL;
	rc = parse_int(s, end, &neg, &mag);
	if (rc)
		return rc;
	if (neg) {
		if (mag > (uint64_t)INT64_MAX + 1)
			return -ERANGE;
		v.type = UK_STORE_S64;
		v.s = mag ? (int64_t)(0 - mag) : 0;
	} else {
		v.type = UK_STORE_U64;
		v.u = mag;
	}
	return uk_store_write(ref, &v);
}

/* A bounded output: counts every byte, stores those that fit. */
struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++, o->len++)
		if (o->size && o->len < o->size - 1)
			o->buf[o->len] = s[i];
}

static void put_str(struct out *o, const char *s)
{
	put(o, s, _uk_store_strnlen(s, (size_t)-1));
}

static void put_u64(struct out *o, uint64_t u)
{
	char tmp[24];
	int i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	put(o, tmp + i, sizeof(tmp) - (size_t)i);
}

static void put_s64(struct out *o, int64_t s)
{
	if (s < 0) {
		put(o, "-", 1);
		put_u64(o, (uint64_t)0 - (uint64_t)s);
	} else {
		put_u64(o, (uint64_t)s);
	}
}

/*
 * The 19 leading decimal digits of x > 0 as an integer in [1e18, 1e19)
 * (off by a few units: long double carries 64 bits), and the decimal
 * exponent of the first digit.
 */
static int digits19(double x, uint64_t *d19)
{
	uint64_t bits, m;
	int e10;

	/* Estimate the exponent from the binary one, then adjust. */
	__builtin_memcpy(&bits, &x, sizeof(bits));
	e10 = (int)(((int)((bits >> 52) & 0x7ff) - 1023) * 0.30103);
	for (;;) {
		long double v = (long double)x * pow10l_(18 - e10);

		if (v >= 1e19L) {
			e10++;
			continue;
		}
		m = (uint64_t)(v + 0.5L);
		if (m < 1000000000000000000ull) {
			e10--;
			continue;
		}
		if (m >= 10000000000000000000ull) {
			e10++;
			continue;
		}
		break;
	}
	*d19 = m;
	return e10;
}

/* The distance from x > 0 to its successor (predecessor at the top). */
static double ulp_of(double x)
{
	uint64_t bits;
	double y;

	__builtin_memcpy(&bits, &x, sizeof(bits));
	bits++;
	__builtin_memcpy(&y, &bits, sizeof(y));
	if (y == __builtin_inf()) {
		bits -= 2;
		__builtin_memcpy(&y, &bits, sizeof(y));
		return x - y;
	}
	return y - x;
}

/*
 * Does the prec-digit decimal dp * 10^exp read back as x?  Returns 1 or
 * 0 when that is certain, -1 when it cannot be decided exactly (only
 * when both dp and 10^|exp| are exact doubles is one division or
 * multiplication the correctly rounded conversion).
 */
static int reads_back(uint64_t dp, int exp, double x)
{
	double p;

	if (dp >= (1ull << 53) || exp < -22 || exp > 22)
		return -1;
	p = (double)pow10l_(exp < 0 ? -exp : exp);
	return (exp < 0 ? (double)dp / p : (double)dp * p) == x;
}

/*
 * Prints x with the fewest significant digits (up to 17) that read back
 * as x: decided exactly when reads_back() can, otherwise by requiring the
 * candidate to be within half an ulp of x with a margin for the error of
 * the 19-digit estimate.  17 digits always read back (an ulp is at least
 * 1.1 units of the 17th digit), so the output is always exact, and
 * shortest except in rare cases near a rounding boundary.
 */
static void put_double(struct out *o, double d)
{
	char dig[17];
	uint64_t d19, dp = 0, back, diff, lim, unit;
	long double half;
	int prec, e10, nd, i, rb;

	if (d != d) {
		put_str(o, "NaN");
		return;
	}
	if (d == __builtin_inf() || d == -__builtin_inf()) {
		put_str(o, d > 0 ? "+Inf" : "-Inf");
		return;
	}
	if (d < 0 || (d == 0 && __builtin_signbit(d))) {
		put(o, "-", 1);
		d = -d;
	}
	if (d == 0) {
		put(o, "0", 1);
		return;
	}
	if (d < 1e15 && d == (double)(uint64_t)d) {
		put_u64(o, (uint64_t)d);
		return;
	}
	e10 = digits19(d, &d19);
	half = (long double)ulp_of(d) * pow10l_(18 - e10) / 2;
	for (prec = 1; prec <= 17; prec++) {
		for (unit = 1, i = 0; i < 19 - prec; i++)
			unit *= 10;
		dp = (d19 + unit / 2) / unit;
		if (prec == 17)
			break;
		rb = reads_back(dp, e10 - prec + 1, d);
		if (rb == 1)
			break;
		if (rb == 0)
			continue;
		back = dp * unit;
		diff = back > d19 ? back - d19 : d19 - back;
		if ((long double)diff + 4 < half)
			break;
	}
	for (lim = 1, i = 0; i < prec; i++)
		lim *= 10;
	if (dp == lim) {
		/* Rounding carried into a new digit: 99.9.. -> 100. */
		dp /= 10;
		e10++;
	}
	for (i = prec - 1; i >= 0; i--) {
		dig[i] = (char)('0' + dp % 10);
		dp /= 10;
	}
	for (nd = prec; nd > 1 && dig[nd - 1] == '0'; nd--)
		;
	if (e10 >= -5 && e10 < 17) {
		if (e10 < 0) {
			put(o, "0.", 2);
			for (i = -1; i > e10; i--)
				put(o, "0", 1);
			put(o, dig, (size_t)nd);
		} else if (nd <= e10 + 1) {
			put(o, dig, (size_t)nd);
			for (i = nd; i <= e10; i++)
				put(o, "0", 1);
		} else {
			put(o, dig, (size_t)e10 + 1);
			put(o, ".", 1);
			put(o, dig + e10 + 1, (size_t)(nd - e10 - 1));
		}
		return;
	}
	put(o, dig, 1);
	if (nd > 1) {
		put(o, ".", 1);
		put(o, dig + 1, (size_t)nd - 1);
	}
	put(o, e10 < 0 ? "e-" : "e+", 2);
	put_u64(o, (uint64_t)(e10 < 0 ? -e10 : e10));
}

/*
 * Formats v as text into buf (NUL-terminated when size > 0).  Returns the
 * length the whole text needs, or -EINVAL for an unknown type.
 */
int uk_store_value_format(const struct uk_store_value *v, char *buf,
			  size_t size)
{
	struct out o = { buf, size, 0 };
	uint32_t i;

	if (!v || (!buf && size))
		return -EINVAL;
	switch (v->type) {
	case UK_STORE_S8:
	case UK_STORE_S16:
	case UK_STORE_S32:
	case UK_STORE_S64:
		put_s64(&o, v->s);
		break;
	case UK_STORE_U8:
	case UK_STORE_U16:
	case UK_STORE_U32:
	case UK_STORE_U64:
	case UK_STORE_UPTR:
		put_u64(&o, v->u);
		break;
	case UK_STORE_DOUBLE:
		put_double(&o, v->d);
		break;
	case UK_STORE_STRING:
		put_str(&o, v->str ? v->str : "");
		break;
	case UK_STORE_HIST:
		if (v->hist.nbuckets > UK_STORE_HIST_MAX_BUCKETS)
			return -EINVAL;
		for (i = 0; i < v->hist.nbuckets; i++) {
			put_double(&o, v->hist.le[i]);
			put(&o, " ", 1);
			put_u64(&o, v->hist.cum[i]);
			put(&o, "\n", 1);
		}
		put_str(&o, "+Inf ");
		put_u64(&o, v->hist.count);
		put(&o, "\n", 1);
		break;
	default:
		return -EINVAL;
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return o.len > INT32_MAX ? -EOVERFLOW : (int)o.len;
}
