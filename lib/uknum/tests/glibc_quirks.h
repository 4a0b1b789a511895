/*
 * Test-only: the one known way glibc's strtod and strtof (2.36) round
 * wrongly, shared by the tests and fuzzers that compare uknum's parser
 * with them.  For a hexadecimal number whose value is below the smallest
 * normal, glibc shifts its p-bit significand right to make it subnormal
 * and loses the bit that was just below it (the (p+1)-th significant
 * bit, its first rounding bit): it rounds, and reports ERANGE, as if
 * that bit were zero.  "0x1.00000000000008p-1075" is above half the
 * smallest subnormal but gives 0; "0x1.ffffffffffff08p-1023" is inexact
 * but gives no ERANGE.  Decimal numbers are not affected.
 *
 * quirk_hex_glibc_text() writes the text glibc effectively reads (that
 * bit cleared); quirk_strtod() and quirk_strtof() accept glibc's answer
 * when it is uknum's on that rewritten text, below the smallest normal.
 */
#ifndef UKNUM_TEST_GLIBC_QUIRKS_H
#define UKNUM_TEST_GLIBC_QUIRKS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <uk/num.h>

static inline int quirk_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

/*
 * If s is a hexadecimal number whose (p+1)-th significant bit is set,
 * copies s into out (size bytes) with that bit cleared and returns 1;
 * else returns 0.
 */
static inline int quirk_hex_glibc_text(const char *s, int p, char *out,
				       size_t size)
{
	size_t n = strlen(s);
	char *q;
	int v, bits = -1, frac = 0, b;

	if (n >= size)
		return 0;
	memcpy(out, s, n + 1);
	q = out;
	while (*q == ' ' || (*q >= '\t' && *q <= '\r'))
		q++;
	if (*q == '+' || *q == '-')
		q++;
	if (q[0] != '0' || (q[1] | 0x20) != 'x')
		return 0;
	/* bits: significant bits seen before this digit (-1: none yet). */
	for (q += 2;; q++) {
		if (*q == '.' && !frac) {
			frac = 1;
			continue;
		}
		v = quirk_hexval(*q);
		if (v < 0)
			return 0;
		for (b = 3; b >= 0; b--) {
			if (bits < 0 && !(v >> b & 1))
				continue;
			bits = bits < 0 ? 1 : bits + 1;
			if (bits == p + 1) {
				if (!(v >> b & 1))
					return 0;
				v &= ~(1 << b);
				*q = "0123456789abcdef"[v];
				return 1;
			}
		}
	}
}

/*
 * 1 if glibc's strtod answer (bits, erange) on s is its known bug: what
 * uknum reads in s with the lost bit cleared, below the smallest normal.
 */
static inline int quirk_strtod(const char *s, uint64_t bits, int erange)
{
	static char alt[4096];
	uint64_t b;
	double d;
	int r;

	if ((bits << 1) > (0x0010000000000000ULL << 1) ||
	    !quirk_hex_glibc_text(s, 53, alt, sizeof(alt)))
		return 0;
	d = uk_num_strtod(alt, NULL, &r);
	memcpy(&b, &d, sizeof(b));
	return b == bits && r == erange;
}

/* quirk_strtod() for strtof. */
static inline int quirk_strtof(const char *s, uint32_t bits, int erange)
{
	static char alt[4096];
	uint32_t b;
	float f;
	int r;

	if ((uint32_t)(bits << 1) > (0x00800000u << 1) ||
	    !quirk_hex_glibc_text(s, 24, alt, sizeof(alt)))
		return 0;
	f = uk_num_strtof(alt, NULL, &r);
	memcpy(&b, &f, sizeof(b));
	return b == bits && r == erange;
}

#endif
