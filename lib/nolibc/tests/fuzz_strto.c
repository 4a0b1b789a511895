/*
 * libFuzzer target: nolibc's strto* and strtod/strtof (uknum's parser)
 * and snprintf of the parsed values against glibc, and uknum's shortest
 * text of the parsed double read back by glibc.  The input's first byte
 * picks the integer base (0, 2..36, or an invalid one) and a precision,
 * the rest is the string.  Any difference in value (bit for bit), errno
 * or end pointer aborts, which the fuzzer reports with the input.  The
 * one known glibc bug (glibc_quirks.h) is allowed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/num.h>

#include "nolibc_test.h"
#include "../../uknum/tests/glibc_quirks.h"

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
	char s[256], b1[256], b2[256];
	char *e1, *e2;
	int base, valid, e_1, e_2, prec;
	unsigned long long u1, u2;
	long long l1, l2;
	double d1, d2;
	float f1, f2;
	uint32_t w1;

	if (!size)
		return 0;
	base = data[0] % 40 - 1;
	prec = data[0] % 41;
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

	errno = 0;
	d1 = strtod(s, &e1);
	e_1 = errno;
	errno = 0;
	d2 = nolibc_strtod(s, &e2);
	e_2 = errno;
	memcpy(&u1, &d1, sizeof(u1));
	check(e1 == e2 && ((!memcmp(&d1, &d2, sizeof(d1)) && e_1 == e_2) ||
			   quirk_strtod(s, u1, e_1 == ERANGE)),
	      "strtod", s, base);
	errno = 0;
	f1 = strtof(s, &e1);
	e_1 = errno;
	errno = 0;
	f2 = nolibc_strtof(s, &e2);
	e_2 = errno;
	memcpy(&w1, &f1, sizeof(w1));
	check(e1 == e2 && ((!memcmp(&f1, &f2, sizeof(f1)) && e_1 == e_2) ||
			   quirk_strtof(s, w1, e_1 == ERANGE)),
	      "strtof", s, base);
	/* The double printed back, exact digits at any precision. */
	snprintf(b1, sizeof(b1), "%.*e|%.*g|%.17g|%#.*f", prec, d2, prec, d2,
		 d2, prec % 20, d2 / 1e290);
	nolibc_snprintf(b2, sizeof(b2), "%.*e|%.*g|%.17g|%#.*f", prec, d2,
			prec, d2, d2, prec % 20, d2 / 1e290);
	check(!strcmp(b1, b2), "snprintf of the double", s, base);
	/* The shortest text reads back as the same double (NaN aside). */
	uk_num_fmt_double(d2, b2);
	d1 = strtod(b2, NULL);
	check(d2 != d2 || !memcmp(&d1, &d2, sizeof(d1)), "shortest text", s,
	      base);
	return 0;
}
