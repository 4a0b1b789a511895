/*
 * strtol and friends.  One parser reads the magnitude with an exact
 * overflow check against the limit of the target type; the four public
 * functions differ only in that limit and in how a minus sign is applied,
 * which is where C's rules for the unsigned variants ("-1" is ULONG_MAX,
 * without an error) come from.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

static int is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static int digit_val(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/*
 * Parses s.  For a signed type, lim_pos/lim_neg are the largest
 * magnitudes of a positive/negative result; for an unsigned one both are
 * its maximum.  Returns the magnitude (saturated at the applicable limit,
 * with *range set), sets *neg for a minus sign, and *end as C requires.
 */
static unsigned long long parse(const char *s, char **end, int base,
				unsigned long long lim_pos,
				unsigned long long lim_neg, int *neg,
				int *range)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long long v = 0, lim;
	int any = 0;

	*neg = 0;
	*range = 0;
	if (base < 0 || base == 1 || base > 36) {
		if (end)
			*end = (char *)s;
		errno = EINVAL;
		return 0;
	}
	while (is_space(*p))
		p++;
	if (*p == '+' || *p == '-')
		*neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' &&
	    (p[1] == 'x' || p[1] == 'X') && digit_val(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	lim = *neg ? lim_neg : lim_pos;
	for (;; p++) {
		int d = digit_val(*p);

		if (d >= base)
			break;
		any = 1;
		if (*range)
			continue;
		if (v > (lim - (unsigned)d) / (unsigned)base) {
			*range = 1;
			v = lim;
		} else {
			v = v * (unsigned)base + (unsigned)d;
		}
	}
	if (end)
		*end = (char *)(any ? p : (const unsigned char *)s);
	return any ? v : 0;
}

/* long and long long are both 64-bit on x86-64 (LP64). */
_Static_assert(sizeof(long) == sizeof(long long), "LP64 expected");

/* See stdlib.h: saturates to LONG_MIN/LONG_MAX with errno ERANGE. */
long strtol(const char *s, char **end, int base)
{
	return (long)strtoll(s, end, base);
}

/* See stdlib.h. */
long long strtoll(const char *s, char **end, int base)
{
	int neg, range;
	unsigned long long v = parse(s, end, base, LLONG_MAX,
				     (unsigned long long)LLONG_MAX + 1, &neg,
				     &range);

	if (range) {
		errno = ERANGE;
		return neg ? LLONG_MIN : LLONG_MAX;
	}
	return neg ? (long long)(0 - v) : (long long)v;
}

/* See stdlib.h: "-n" gives the negation of n in the unsigned type. */
unsigned long long strtoull(const char *s, char **end, int base)
{
	int neg, range;
	unsigned long long v = parse(s, end, base, ULLONG_MAX, ULLONG_MAX,
				     &neg, &range);

	if (range) {
		errno = ERANGE;
		return ULLONG_MAX;
	}
	return neg ? 0 - v : v;
}

/* See stdlib.h. */
unsigned long strtoul(const char *s, char **end, int base)
{
	return (unsigned long)strtoull(s, end, base);
}

/* See inttypes.h. */
intmax_t strtoimax(const char *s, char **end, int base)
{
	return strtoll(s, end, base);
}

/* See inttypes.h. */
uintmax_t strtoumax(const char *s, char **end, int base)
{
	return strtoull(s, end, base);
}

/* strtol(s, NULL, 10) truncated to int (no error reporting, as in C). */
int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

/* strtol(s, NULL, 10). */
long atol(const char *s)
{
	return strtol(s, NULL, 10);
}

/* strtoll(s, NULL, 10). */
long long atoll(const char *s)
{
	return strtoll(s, NULL, 10);
}
