/*
 * nolibc against glibc on random inputs, part 1: snprintf with random
 * format strings (conversions, flags, widths, precisions, length
 * modifiers, truncating buffer sizes) and strto* with random
 * number-like strings and bases (result, errno and end pointer), and
 * strtod/strtof/atof with random number texts.  Inputs come from a
 * fixed-seed generator, so a failure reproduces; the first mismatches of
 * each kind are printed in full.
 *
 * snprintf's arguments: every conversion takes its integer-class
 * arguments (int, long, pointers) from one array and its doubles from
 * another, and both implementations are called with all of them.  On
 * x86-64 the va_list walks the two classes separately, so whatever
 * the format consumes, both see the same values.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/test.h>

#include "nolibc_test.h"
#include "vs_glibc.h"

/* ---- snprintf ------------------------------------------------------- */

#define NGP 12
#define NFP 8

static const char *const strpool[] = {
	"", "a", "hello", "Hello, world!", "x y z", "%d%s",
	"a much longer string that goes on and on for a while, past widths",
	"\t\n", "0123456789abcdef",
};

static double rnd_double(void)
{
	static const double specials[] = {
		0.0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.375, 1e-5, 9.9999e-5,
		0.0001, 123456.5, 999999.5, 9.5, 99.5, 0.05, 0.15, 0.25,
		1e21, 1e22, 1e23, 1e-300, 5e-324, 2.2250738585072014e-308,
		1.7976931348623157e308, 3.141592653589793, 2.718281828459045,
		1.0 / 3, 2.0 / 3, 100, 1e15, 1e16, 1e17, 4503599627370496.5,
		0.1, 0.2, 0.3, 1e6, 1e-6, 123.456, INFINITY, -INFINITY, NAN,
	};
	uint64_t bits;
	double d;

	switch (rndn(6)) {
	case 0:
		return specials[rndn(sizeof(specials) / sizeof(specials[0]))];
	case 1:
		bits = rnd();
		memcpy(&d, &bits, sizeof(d));
		return d;
	case 2:  /* an integer or a half */
		return (double)(int64_t)(rnd() % 2000001 - 1000000) / 2;
	case 3:  /* a small decimal fraction */
		return (double)(int64_t)(rnd() % 200001 - 100000) /
			pow(10, rndn(8));
	case 4:  /* around a power of ten */
		return pow(10, (int)rndn(40) - 20) * (rndn(2) ? 1 : 9.999999);
	default: /* any magnitude, ordinary mantissa */
		return ldexp((double)(rnd() >> 11), (int)rndn(200) - 150) *
			(rndn(2) ? 1 : -1);
	}
}

static uint64_t rnd_int(void)
{
	static const uint64_t specials[] = {
		0, 1, (uint64_t)-1, 0x7fffffff, 0x80000000, 0xffffffff,
		0x7fffffffffffffffULL, 0x8000000000000000ULL, 127, 128, 255,
		256, 32767, 32768, 65535, 65536, 10, 100, 8, 16,
	};

	switch (rndn(4)) {
	case 0:
		return specials[rndn(sizeof(specials) / sizeof(specials[0]))];
	case 1:
		return rnd();
	case 2:
		return rnd() >> rndn(64);
	default:
		return (uint64_t)(int64_t)(int32_t)rnd() >> rndn(2);
	}
}

/*
 * Appends one random conversion to fmt, its integer-class arguments to
 * gp (*ngp) and doubles to fp (*nfp).  Only combinations C defines are
 * made (no "0" flag on %s, no "#" on %d, ...), plus glibc's %s of NULL
 * and %p of NULL, which nolibc copies.
 */
static void rnd_conv(char *fmt, uint64_t *gp, int *ngp, double *fp, int *nfp)
{
	static const char convs[] = "diuoxXcspfFeEgG%";
	static const char *const lens[] = { "hh", "h", "l", "ll", "j", "z",
					     "t", "" };
	char conv = convs[rndn(sizeof(convs) - 1)];
	int isint = strchr("diuoxX", conv) != NULL;
	int isfloat = strchr("fFeEgG", conv) != NULL;
	char *p = fmt + strlen(fmt);
	unsigned i;

	*p++ = '%';
	if (conv == '%') {
		*p++ = '%';
		*p = 0;
		return;
	}
	for (i = rndn(4); i; i--) {
		char f = "-+ #0"[rndn(5)];

		/* "#g" is compared in the float test (glibc bug there). */
		if (f == '#' && !(strchr("fFeE", conv) || strchr("oxX", conv)))
			continue;
		if (f == '0' && !(isint || isfloat))
			continue;
		if ((f == '+' || f == ' ') && !(isfloat || conv == 'd' ||
						conv == 'i'))
			continue;
		*p++ = f;
	}
	switch (rndn(4)) {
	case 0:
		break;
	case 1:
		*p++ = '*';
		gp[(*ngp)++] = (uint64_t)(int64_t)((int)rndn(41) - 20);
		break;
	default:
		p += sprintf(p, "%u", rndn(rndn(8) ? 25 : 120));
		break;
	}
	if (conv != 'c' && conv != 'p') {
		switch (rndn(5)) {
		case 0:
		case 1:
			break;
		case 2:
			*p++ = '.';
			break;
		case 3:
			*p++ = '.';
			*p++ = '*';
			gp[(*ngp)++] = (uint64_t)(int64_t)((int)rndn(40) - 8);
			break;
		default:
			p += sprintf(p, ".%u", isfloat && !rndn(20) ?
				     rndn(400) : rndn(30));
			break;
		}
	}
	if (isint)
		p = stpcpy(p, lens[rndn(8)]);
	*p++ = conv;
	*p = 0;
	if (isfloat) {
		fp[(*nfp)++] = rnd_double();
	} else if (conv == 's') {
		unsigned k = rndn(sizeof(strpool) / sizeof(strpool[0]) + 1);

		gp[(*ngp)++] = k ? (uint64_t)(uintptr_t)strpool[k - 1] : 0;
	} else if (conv == 'p') {
		gp[(*ngp)++] = rndn(5) ? rnd_int() : 0;
	} else {
		gp[(*ngp)++] = rnd_int();
	}
}

static void rnd_literal(char *fmt)
{
	static const char *const lits[] = { "", "", "x", " = ", "abc ",
					    "[", "]\n", "long literal text " };

	strcat(fmt, lits[rndn(sizeof(lits) / sizeof(lits[0]))]);
}

#define CALL_PRINTF(f, buf, size, fmt) f(buf, size, fmt, \
	gp[0], gp[1], gp[2], gp[3], gp[4], gp[5], gp[6], gp[7], gp[8], \
	gp[9], gp[10], gp[11], fp[0], fp[1], fp[2], fp[3], fp[4], fp[5], \
	fp[6], fp[7])

UK_TEST(nolibc_snprintf_vs_glibc)
{
	static char b1[4096], b2[4096];
	long cases = 2000000, bad = 0, i, truncated = 0;

	for (i = 0; i < cases; i++) {
		char fmt[256] = "";
		uint64_t gp[NGP] = { 0 };
		double fp[NFP] = { 0 };
		int ngp = 0, nfp = 0, r1, r2, k, nconv = 1 + (int)rndn(3);
		size_t size;

		for (k = 0; k < nconv; k++) {
			rnd_literal(fmt);
			rnd_conv(fmt, gp, &ngp, fp, &nfp);
		}
		rnd_literal(fmt);
		/* Sizes: often roomy, often cutting the output short. */
		r1 = CALL_PRINTF(snprintf, NULL, 0, fmt);
		size = rndn(3) ? sizeof(b1) : rndn((unsigned)r1 + 3);
		if (size <= (size_t)r1)
			truncated++;
		memset(b1, 0x5a, sizeof(b1));
		memset(b2, 0x5a, sizeof(b2));
		r1 = CALL_PRINTF(snprintf, b1, size, fmt);
		r2 = CALL_PRINTF(nolibc_snprintf, b2, size, fmt);
		if (r1 != r2 || memcmp(b1, b2, sizeof(b1))) {
			if (++bad <= MAX_REPORTS)
				_uk_test_fail(__FILE__, __LINE__,
					      "fmt \"%s\" size %zu: glibc %d "
					      "\"%.200s\", nolibc %d \"%.200s\"",
					      fmt, size, r1, b1, r2, b2);
		}
	}
	uk_test_log("%ld snprintf cases compared (%ld truncated), %ld differ",
		    cases, truncated, bad);
}

/*
 * glibc prints "%#.3g" of 999.9 as "1.e+03": when rounding carries into
 * a new leading digit it loses the precision's zeros, which C's "#"
 * keeps ("1.00e+03", nolibc's answer).  Recognises exactly that case:
 * both outputs equal once nolibc's zeros after "1." are dropped.
 */
static int glibc_alt_g_bug(const char *fmt, const char *g, const char *n)
{
	const char *gp = strstr(g, "1.e"), *np = strstr(n, "1.0");
	size_t pre;

	if (!strchr(fmt, '#') || !strpbrk(fmt, "gG") || !gp || !np)
		return 0;
	pre = (size_t)(gp - g);
	if (pre != (size_t)(np - n) || strncmp(g, n, pre))
		return 0;
	np += 2;
	while (*np == '0')
		np++;
	return !strcmp(gp + 2, np) && (*np == 'e' || *np == 'E');
}

/* Floats alone, many per conversion type: the hardest part to get exact. */
UK_TEST(nolibc_snprintf_float_vs_glibc)
{
	static const char convs[] = "feg";
	char b1[512], b2[512], fmt[32];
	long cases = 1000000, bad = 0, i, glibc_bugs = 0;

	for (i = 0; i < cases; i++) {
		double d = rnd_double();
		int prec = (int)rndn(rndn(10) ? 20 : 60), r1, r2;
		char conv = convs[rndn(3)];

		if (rndn(2))
			sprintf(fmt, "%%%s.%d%c", rndn(4) ? "" : "#", prec,
				conv);
		else
			sprintf(fmt, "%%%c", conv);
		r1 = snprintf(b1, sizeof(b1), fmt, d);
		r2 = nolibc_snprintf(b2, sizeof(b2), fmt, d);
		if (glibc_alt_g_bug(fmt, b1, b2)) {
			glibc_bugs++;
			continue;
		}
		if (r1 != r2 || strcmp(b1, b2)) {
			if (++bad <= MAX_REPORTS)
				_uk_test_fail(__FILE__, __LINE__,
					      "fmt \"%s\" %a: glibc \"%s\", "
					      "nolibc \"%s\"", fmt, d, b1, b2);
		}
	}
	uk_test_log("%ld float cases compared, %ld differ, %ld where glibc's "
		    "%%#g drops zeros after a carry", cases, bad, glibc_bugs);
}

UK_TEST(nolibc_snprintf_count)
{
	char b[64];
	int n1 = -1, n2 = -1;
	signed char hh1 = 0, hh2 = 0;
	long l1 = 0, l2 = 0;

	snprintf(b, sizeof(b), "abc%n%5d%hhn%s%ln", &n1, 42, &hh1, "xy", &l1);
	nolibc_snprintf(b, sizeof(b), "abc%n%5d%hhn%s%ln", &n2, 42, &hh2,
			"xy", &l2);
	UK_TEST_EQ(n2, n1);
	UK_TEST_EQ(hh2, hh1);
	UK_TEST_EQ(l2, l1);
}

/* ---- strto* -------------------------------------------------------- */

static void rnd_number(char *s, int base)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz"
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	static const char *const pre[] = { "0x", "0X", "0", "0x", "00",
					   "0b" };
	static const char *const junk[] = { "", "", "", " ", "z", "-", "+",
					    "0x", ".5", "x", "\xff" };
	unsigned n, i, lim;

	for (n = rndn(4) ? 0 : rndn(4); n; n--)
		*s++ = " \t\n\v\f\r"[rndn(6)];
	switch (rndn(4)) {
	case 0: *s++ = '-'; break;
	case 1: *s++ = '+'; break;
	default: break;
	}
	if (!rndn(3))
		s = stpcpy(s, pre[rndn(6)]);
	/* Mostly digits valid in the base, sometimes any. */
	lim = base >= 2 ? (unsigned)base : 16;
	n = rndn(6) ? rndn(24) : rndn(70);
	for (i = 0; i < n; i++)
		*s++ = rndn(20) ? digits[rndn(lim)] :
			digits[rndn(sizeof(digits) - 1)];
	if (!rndn(10)) /* a run of the top digit: just below/above limits */
		for (i = rndn(30); i; i--)
			*s++ = digits[lim - 1];
	s = stpcpy(s, junk[rndn(sizeof(junk) / sizeof(junk[0]))]);
	*s = 0;
}

#define CMP_STRTO(type, fn, fmt) do { \
	type v1, v2; int e1, e2; \
	errno = 0; v1 = fn(str, &end1, base); e1 = errno; \
	errno = 0; v2 = nolibc_##fn(str, &end2, base); e2 = errno; \
	if (v1 != v2 || e1 != e2 || (valid && end1 != end2)) { \
		if (++bad <= MAX_REPORTS) \
			_uk_test_fail(__FILE__, __LINE__, "%s(\"%s\", %d): " \
				"glibc " fmt " errno %d end +%td, nolibc " fmt \
				" errno %d end +%td", #fn, str, base, v1, e1, \
				end1 - str, v2, e2, end2 - str); \
	} \
	compared++; \
} while (0)

UK_TEST(nolibc_strto_vs_glibc)
{
	long i, cases = 1000000, bad = 0, compared = 0;

	for (i = 0; i < cases; i++) {
		char str[256];
		char *end1 = NULL, *end2 = NULL;
		int base, valid;

		switch (rndn(6)) {
		case 0: base = 0; break;
		case 1: base = 10; break;
		case 2: base = 16; break;
		case 3: base = rndn(50) ? 2 + (int)rndn(35) : (int)rndn(40) - 1;
			break;
		default: base = (int)"\x02\x08\x0a\x10\x24"[rndn(5)]; break;
		}
		/* glibc leaves *end alone for a bad base; nolibc sets it. */
		valid = base == 0 || (base >= 2 && base <= 36);
		rnd_number(str, base);
		CMP_STRTO(long, strtol, "%ld");
		CMP_STRTO(unsigned long, strtoul, "%lu");
		CMP_STRTO(long long, strtoll, "%lld");
		CMP_STRTO(unsigned long long, strtoull, "%llu");
		if (valid && base == 10) {
			compared++;
			if (atoi(str) != nolibc_atoi(str) && ++bad <= MAX_REPORTS)
				_uk_test_fail(__FILE__, __LINE__, "atoi(\"%s\")",
					      str);
		}
	}
	uk_test_log("%ld strto* calls compared, %ld differ", compared, bad);
}

/* ---- strtod, strtof, atof ------------------------------------------- */

/* A random floating-point text: decimal, hexadecimal, inf or nan, with
 * white space, signs and trailing junk. */
static void rnd_float_text(char *s)
{
	static const char *const word[] = { "inf", "INFINITY", "nan",
					     "NaN(0x1f)", "nan(", "in", "0x",
					     "0x.p", "." };
	unsigned n, i;

	for (n = rndn(4) ? 0 : rndn(3); n; n--)
		*s++ = " \t\n"[rndn(3)];
	if (rndn(3) == 0)
		*s++ = "-+"[rndn(2)];
	switch (rndn(8)) {
	case 0:
		s = stpcpy(s, word[rndn(sizeof(word) / sizeof(word[0]))]);
		break;
	case 1:
		s += sprintf(s, "%a", ldexp((double)(rnd() >> 11),
					    (int)rndn(2200) - 1150));
		break;
	default:
		n = 1 + rndn(rndn(8) ? 20 : 400);
		for (i = 0; i < n; i++) {
			if (rndn(n) == 0)
				*s++ = '.';
			*s++ = (char)('0' + rndn(10));
		}
		if (rndn(3))
			s += sprintf(s, "%c%d", "eE"[rndn(2)],
				     (int)rndn(700) - 350);
		break;
	}
	s = stpcpy(s, (const char *[]){ "", "", "x", "e", "e+", "p1", ".5",
					"(" }[rndn(8)]);
	*s = 0;
}

/* Bit for bit, with errno and the end pointer (NaN payloads included). */
UK_TEST(nolibc_strtod_vs_glibc)
{
	long i, cases = 200000, bad = 0;

	for (i = 0; i < cases; i++) {
		char str[600], *e1, *e2;
		double d1, d2;
		float f1, f2;
		int r1, r2;

		rnd_float_text(str);
		errno = 0;
		d1 = strtod(str, &e1);
		r1 = errno;
		errno = 0;
		d2 = nolibc_strtod(str, &e2);
		r2 = errno;
		CHECK(!memcmp(&d1, &d2, sizeof(d1)) && r1 == r2 && e1 == e2,
		      "strtod(\"%s\"): glibc %a errno %d end +%td, nolibc %a "
		      "errno %d end +%td", str, d1, r1, e1 - str, d2, r2,
		      e2 - str);
		errno = 0;
		f1 = strtof(str, &e1);
		r1 = errno;
		errno = 0;
		f2 = nolibc_strtof(str, &e2);
		r2 = errno;
		CHECK(!memcmp(&f1, &f2, sizeof(f1)) && r1 == r2 && e1 == e2,
		      "strtof(\"%s\"): glibc %a errno %d end +%td, nolibc %a "
		      "errno %d end +%td", str, f1, r1, e1 - str, f2, r2,
		      e2 - str);
		d1 = atof(str);
		d2 = nolibc_atof(str);
		CHECK(!memcmp(&d1, &d2, sizeof(d1)), "atof(\"%s\")", str);
	}
	uk_test_log("%ld strtod/strtof/atof inputs compared, %ld differ",
		    cases, bad);
	UK_TEST_EQ(bad, 0);
}
