/*
 * libFuzzer target: nolibc's strto* and snprintf of the parsed values
 * against glibc.  The input's first byte picks the base (0, 2..36, or an
 * invalid one), the rest is the string.  Any difference in value, errno
 * or end pointer aborts, which the fuzzer reports with the input.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nolibc_test.h"

static void check(int ok, const char *what, const char *s, int base)
{
	if (!ok) {
		fprintf(stderr, "fuzz_strto: %s differs for \"%s\" base %d\n",
			what, s, base);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[256], b1[128], b2[128];
	char *e1, *e2;
	int base, valid, e_1, e_2;
	unsigned long long u1, u2;
	long long l1, l2;

	if (!size)
		return 0;
	base = data[0] % 40 - 1;
	valid = base == 0 || (base >= 2 && base <= 36);
	size = size - 1 < sizeof(s) - 1 ? size - 1 : sizeof(s) - 1;
	memcpy(s, data + 1, size);
	s[size] = 0;

	errno = 0;
	u1 = strtoull(s, &e1, base);
	e_1 = errno;
	errno = 0;
	u2 = nolibc_strtoull(s, &e2, base);
	e_2 = errno;
	check(u1 == u2 && e_1 == e_2 && (!valid || e1 == e2), "strtoull", s,
	      base);
	errno = 0;
	l1 = strtoll(s, &e1, base);
	e_1 = errno;
	errno = 0;
	l2 = nolibc_strtoll(s, &e2, base);
	e_2 = errno;
	check(l1 == l2 && e_1 == e_2 && (!valid || e1 == e2), "strtoll", s,
	      base);
	/* The values printed back, with the string as a literal prefix. */
	snprintf(b1, sizeof(b1), "%.20s|%lld|%#llx|%-+25lld|%.30llo", s, l1,
		 u1, l1, u1);
	nolibc_snprintf(b2, sizeof(b2), "%.20s|%lld|%#llx|%-+25lld|%.30llo",
			s, l1, u1, l1, u1);
	check(!strcmp(b1, b2), "snprintf", s, base);
	return 0;
}
