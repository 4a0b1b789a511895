/*
 * Test-only: the one known way glibc's strtod and strtof (2.36) round
 * wrongly, shared by the tests and fuzzers that compare uknum's parser
 * with them.  A hexadecimal number whose leading bit is worth half the
 * smallest subnormal and which has more bits below it is above that
 * half, so it rounds up to the smallest subnormal; glibc drops the lower
 * bits at exactly that place and returns zero ("0x1.00000000000008p-1075"
 * gives 0; "0x1.0000001p-1075", with the extra bit higher, gives 2^-1074).
 * The test recognises the case from the text itself, with its own exact
 * reading of the hexadecimal digits.
 */
#ifndef UKNUM_TEST_GLIBC_QUIRKS_H
#define UKNUM_TEST_GLIBC_QUIRKS_H

#include <stdint.h>
#include <stdlib.h>

static inline int quirk_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

/*
 * 1 if s is a hexadecimal number whose value v has 2^(qmin-1) < v <
 * 2^qmin: one that must round to the smallest subnormal 2^qmin (qmin:
 * -1074 for double, -149 for float).
 */
static inline int quirk_hex_above_half_min(const char *s, int qmin)
{
	long long nint = 0, i = 0, first = -1, exp = 0, lead;
	int v, fv = 0, more = 0, frac = 0, b, eneg = 0;

	while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		s++;
	if (*s == '+' || *s == '-')
		s++;
	if (s[0] != '0' || (s[1] | 0x20) != 'x')
		return 0;
	/* Digit i is worth 16^(nint - 1 - i). */
	for (s += 2;; s++) {
		if (*s == '.' && !frac) {
			frac = 1;
			continue;
		}
		v = quirk_hexval(*s);
		if (v < 0)
			break;
		if (v && first < 0) {
			first = i;
			fv = v;
		} else if (v) {
			more = 1;
		}
		nint += !frac;
		i++;
	}
	if (first < 0)
		return 0;
	if ((*s | 0x20) == 'p') {
		s++;
		if (*s == '+' || *s == '-')
			eneg = *s++ == '-';
		for (; *s >= '0' && *s <= '9'; s++)
			if (exp < 100000)
				exp = exp * 10 + (*s - '0');
	}
	for (b = 3; !(fv >> b); b--)
		;
	more |= (fv & ((1 << b) - 1)) != 0;
	lead = 4 * (nint - 1 - first) + b + (eneg ? -exp : exp);
	return lead == qmin - 1 && more;
}

#endif
