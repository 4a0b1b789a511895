/*
 * nolibc against glibc on random inputs: snprintf with random format
 * strings (conversions, flags, widths, precisions, length modifiers,
 * truncating buffer sizes), strto* with random number-like strings and
 * bases (result, errno and end pointer), the string functions, ctype and
 * qsort/bsearch.  Inputs come from a fixed-seed generator, so a failure
 * reproduces; the first mismatches of each kind are printed in full.
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

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static unsigned rndn(unsigned n)
{
	return (unsigned)(rnd() % n);
}

#define MAX_REPORTS 8

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
	UK_ASSERT_EQ(n2, n1);
	UK_ASSERT_EQ(hh2, hh1);
	UK_ASSERT_EQ(l2, l1);
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

/* ---- string functions ---------------------------------------------- */

static int sgn(long v)
{
	return (v > 0) - (v < 0);
}

/* A short string over a small alphabet, so matches and ties are common. */
static size_t rnd_str(char *s, size_t max)
{
	static const char alpha[] = "abcABC0 \x80\xff";
	size_t n = rndn((unsigned)max), i;

	for (i = 0; i < n; i++)
		s[i] = alpha[rndn(sizeof(alpha) - 1)];
	s[n] = 0;
	return n;
}

#define CHECK(cond, ...) do { if (!(cond)) { if (++bad <= MAX_REPORTS) \
	_uk_test_fail(__FILE__, __LINE__, __VA_ARGS__); } } while (0)

UK_TEST(nolibc_string_vs_glibc)
{
	long i, cases = 300000, bad = 0;

	for (i = 0; i < cases; i++) {
		char a[48], b[48], d1[128], d2[128];
		size_t la = rnd_str(a, 40), lb = rnd_str(b, 8);
		size_t n = rndn(50);
		int c = "abcA0 \x80\xff"[rndn(8)];
		char *s1, *s2, *sv1, *sv2;

		if (!rndn(4)) { /* common prefix */
			memcpy(b, a, lb < la ? lb : la);
		}
		CHECK(strlen(a) == nolibc_strlen(a), "strlen");
		CHECK(strnlen(a, n) == nolibc_strnlen(a, n), "strnlen");
		CHECK(sgn(strcmp(a, b)) == sgn(nolibc_strcmp(a, b)),
		      "strcmp %s %s", a, b);
		CHECK(sgn(strncmp(a, b, n)) == sgn(nolibc_strncmp(a, b, n)),
		      "strncmp");
		CHECK(sgn(strcasecmp(a, b)) == sgn(nolibc_strcasecmp(a, b)),
		      "strcasecmp %s %s", a, b);
		CHECK(sgn(strncasecmp(a, b, n)) ==
		      sgn(nolibc_strncasecmp(a, b, n)), "strncasecmp");
		CHECK(sgn(memcmp(a, b, lb < la ? lb : la)) ==
		      sgn(nolibc_memcmp(a, b, lb < la ? lb : la)), "memcmp");
		CHECK(strchr(a, c) == nolibc_strchr(a, c), "strchr");
		CHECK(strchr(a, 0) == nolibc_strchr(a, 0), "strchr 0");
		CHECK(strrchr(a, c) == nolibc_strrchr(a, c), "strrchr");
		CHECK(memchr(a, c, la) == nolibc_memchr(a, c, la), "memchr");
		CHECK(memrchr(a, c, la) == nolibc_memrchr(a, c, la),
		      "memrchr");
		CHECK(strstr(a, b) == nolibc_strstr(a, b), "strstr %s %s",
		      a, b);
		CHECK(strcasestr(a, b) == nolibc_strcasestr(a, b),
		      "strcasestr %s %s", a, b);
		CHECK(memmem(a, la, b, lb) == nolibc_memmem(a, la, b, lb),
		      "memmem");
		CHECK(strspn(a, b) == nolibc_strspn(a, b), "strspn");
		CHECK(strcspn(a, b) == nolibc_strcspn(a, b), "strcspn");
		CHECK(strpbrk(a, b) == nolibc_strpbrk(a, b), "strpbrk");

		memset(d1, 'q', sizeof(d1));
		memset(d2, 'q', sizeof(d2));
		strcpy(d1, b);
		nolibc_strcpy(d2, b);
		strcat(d1, a);
		nolibc_strcat(d2, a);
		strncat(d1, b, n % 10);
		nolibc_strncat(d2, b, n % 10);
		CHECK(!memcmp(d1, d2, sizeof(d1)), "strcpy/strcat/strncat");
		strncpy(d1, a, n);
		nolibc_strncpy(d2, a, n);
		CHECK(!memcmp(d1, d2, sizeof(d1)), "strncpy");
		CHECK(stpcpy(d1 + 3, b) - d1 == nolibc_stpcpy(d2 + 3, b) - d2,
		      "stpcpy");
		CHECK(!memcmp(d1, d2, sizeof(d1)), "stpcpy contents");

		/* memmove both ways over the same bytes, memset, memcpy. */
		{
			size_t off = rndn(40), dst = rndn(40), len = rndn(60);

			memmove(d1 + dst, d1 + off, len);
			nolibc_memmove(d2 + dst, d2 + off, len);
			CHECK(!memcmp(d1, d2, sizeof(d1)), "memmove %zu %zu %zu",
			      off, dst, len);
			memset(d1 + off, c, len);
			nolibc_memset(d2 + off, c, len);
			CHECK(!memcmp(d1, d2, sizeof(d1)), "memset");
			memcpy(d1 + dst, a, la);
			nolibc_memcpy(d2 + dst, a, la);
			CHECK(!memcmp(d1, d2, sizeof(d1)), "memcpy");
		}

		/* strtok_r walks the same tokens. */
		strcpy(d1, a);
		strcpy(d2, a);
		s1 = strtok_r(d1, b, &sv1);
		s2 = nolibc_strtok_r(d2, b, &sv2);
		for (;;) {
			CHECK((s1 ? s1 - d1 : -1) == (s2 ? s2 - d2 : -1),
			      "strtok_r \"%s\" by \"%s\"", a, b);
			if (!s1 || !s2)
				break;
			s1 = strtok_r(NULL, b, &sv1);
			s2 = nolibc_strtok_r(NULL, b, &sv2);
		}

		/* strsep walks the same pieces. */
		strcpy(d1, a);
		strcpy(d2, a);
		sv1 = d1;
		sv2 = d2;
		do {
			s1 = strsep(&sv1, b);
			s2 = nolibc_strsep(&sv2, b);
			CHECK((s1 ? s1 - d1 : -1) == (s2 ? s2 - d2 : -1) &&
			      (sv1 ? sv1 - d1 : -1) == (sv2 ? sv2 - d2 : -1),
			      "strsep \"%s\" by \"%s\"", a, b);
		} while (s1 && s2);

		s1 = strndup(a, n);
		s2 = nolibc_strndup(a, n);
		CHECK(s1 && s2 && !strcmp(s1, s2), "strndup");
		free(s1);
		free(s2);
	}
	uk_test_log("%ld rounds of 30 string functions compared, %ld differ",
		    cases, bad);
}

UK_TEST(nolibc_ctype_strerror_vs_glibc)
{
	int c, bad = 0, e;

	for (c = -1; c < 256; c++) {
		CHECK(!isalnum(c) == !nolibc_isalnum(c), "isalnum %d", c);
		CHECK(!isalpha(c) == !nolibc_isalpha(c), "isalpha %d", c);
		CHECK(!isblank(c) == !nolibc_isblank(c), "isblank %d", c);
		CHECK(!iscntrl(c) == !nolibc_iscntrl(c), "iscntrl %d", c);
		CHECK(!isdigit(c) == !nolibc_isdigit(c), "isdigit %d", c);
		CHECK(!isgraph(c) == !nolibc_isgraph(c), "isgraph %d", c);
		CHECK(!islower(c) == !nolibc_islower(c), "islower %d", c);
		CHECK(!isprint(c) == !nolibc_isprint(c), "isprint %d", c);
		CHECK(!ispunct(c) == !nolibc_ispunct(c), "ispunct %d", c);
		CHECK(!isspace(c) == !nolibc_isspace(c), "isspace %d", c);
		CHECK(!isupper(c) == !nolibc_isupper(c), "isupper %d", c);
		CHECK(!isxdigit(c) == !nolibc_isxdigit(c), "isxdigit %d", c);
		CHECK(!isascii(c) == !nolibc_isascii(c), "isascii %d", c);
		CHECK(tolower(c) == nolibc_tolower(c), "tolower %d", c);
		CHECK(toupper(c) == nolibc_toupper(c), "toupper %d", c);
	}
	/* Every message nolibc knows is glibc's. */
	for (e = 0; e < 134; e++) {
		const char *m = nolibc_strerror(e);

		if (strcmp(m, "Unknown error"))
			CHECK(!strcmp(m, strerror(e)), "strerror(%d): %s / %s",
			      e, m, strerror(e));
	}
	UK_ASSERT_EQ(bad, 0);
}

/* ---- qsort ---------------------------------------------------------- */

struct rec {
	int key;
	int payload;
	char pad[16];
};

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int cmp_u8(const void *a, const void *b)
{
	return *(const unsigned char *)a - *(const unsigned char *)b;
}

static int cmp_rec(const void *a, const void *b)
{
	return cmp_int(&((const struct rec *)a)->key,
		       &((const struct rec *)b)->key);
}

static int cmp_rec_full(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	if (x->key != y->key)
		return (x->key > y->key) - (x->key < y->key);
	return (x->payload > y->payload) - (x->payload < y->payload);
}

UK_TEST(nolibc_qsort_vs_glibc)
{
	static int a1[5000], a2[5000];
	static struct rec r1[600], r2[600];
	static unsigned char u1[300], u2[300];
	long round, bad = 0, elems = 0;

	for (round = 0; round < 3000; round++) {
		size_t n = rndn(round % 10 ? 300 : 5000), i;
		unsigned range = rndn(3) ? 1 + rndn(20) : 1u << 30;
		int shape = (int)rndn(5);

		for (i = 0; i < n; i++) {
			switch (shape) {
			case 0: a1[i] = (int)i; break;             /* sorted */
			case 1: a1[i] = (int)(n - i); break;       /* reversed */
			case 2: a1[i] = (int)(i % 7); break;       /* organ pipe */
			default: a1[i] = (int)rndn(range); break;
			}
		}
		memcpy(a2, a1, n * sizeof(int));
		qsort(a1, n, sizeof(int), cmp_int);
		nolibc_qsort(a2, n, sizeof(int), cmp_int);
		CHECK(!memcmp(a1, a2, n * sizeof(int)), "qsort int n=%zu", n);
		for (i = 0; i < n && i < 50; i++) {
			int *hit = nolibc_bsearch(&a1[i], a2, n, sizeof(int),
						  cmp_int);

			CHECK(hit && *hit == a1[i], "bsearch");
		}
		{
			int missing = -1;

			CHECK(!nolibc_bsearch(&missing, a2, n, sizeof(int),
					      cmp_int), "bsearch missing");
		}
		elems += (long)n;

		/* Wide records: keys sorted, and the same multiset. */
		n = rndn(600);
		for (i = 0; i < n; i++) {
			r1[i].key = (int)rndn(range);
			r1[i].payload = (int)i;
			memset(r1[i].pad, (int)i, sizeof(r1[i].pad));
		}
		memcpy(r2, r1, n * sizeof(*r1));
		nolibc_qsort(r2, n, sizeof(*r2), cmp_rec);
		for (i = 1; i < n; i++)
			CHECK(r2[i - 1].key <= r2[i].key, "qsort rec order");
		qsort(r1, n, sizeof(*r1), cmp_rec_full);
		qsort(r2, n, sizeof(*r2), cmp_rec_full);
		CHECK(!memcmp(r1, r2, n * sizeof(*r1)), "qsort rec multiset");

		n = rndn(300);
		for (i = 0; i < n; i++)
			u1[i] = (unsigned char)rnd();
		memcpy(u2, u1, n);
		qsort(u1, n, 1, cmp_u8);
		nolibc_qsort(u2, n, 1, cmp_u8);
		CHECK(!memcmp(u1, u2, n), "qsort bytes");
		elems += (long)n;
	}
	uk_test_log("qsort: 9000 arrays (%ld elements) compared, %ld differ",
		    elems, bad);
	UK_ASSERT_EQ(bad, 0);
}

/*
 * An adversary that makes any plain quicksort quadratic (after McIlroy,
 * "A Killer Adversary for Quicksort"): values are decided lazily, so
 * every pivot turns out to be nearly the smallest.  nolibc's qsort must
 * still sort (by the values the adversary settled on) in O(n log n)
 * comparisons, which needs its heapsort fallback.
 */
#define KILLER_N 20000

static int kval[KILLER_N], kgas, knext, kcand;
static long kcmps;

static int cmp_killer(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	kcmps++;
	if (kval[x] == kgas && kval[y] == kgas)
		kval[x == kcand ? x : y] = knext++;
	if (kval[x] == kgas)
		kcand = x;
	else if (kval[y] == kgas)
		kcand = y;
	return (kval[x] > kval[y]) - (kval[x] < kval[y]);
}

UK_TEST(nolibc_qsort_adversary)
{
	static int idx[KILLER_N];
	int i;
	long limit;

	kgas = KILLER_N;
	knext = 0;
	kcand = -1;
	kcmps = 0;
	for (i = 0; i < KILLER_N; i++) {
		kval[i] = kgas;
		idx[i] = i;
	}
	nolibc_qsort(idx, KILLER_N, sizeof(int), cmp_killer);
	for (i = 1; i < KILLER_N; i++)
		UK_ASSERT_TRUE(kval[idx[i - 1]] <= kval[idx[i]]);
	/* n log2 n is about 286000; quadratic would be 2e8. */
	limit = 20L * KILLER_N * 15;
	uk_test_log("adversarial input of %d: %ld comparisons", KILLER_N,
		    kcmps);
	UK_ASSERT_TRUE(kcmps < limit);
}
