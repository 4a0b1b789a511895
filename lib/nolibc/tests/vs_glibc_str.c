/*
 * nolibc against glibc on random inputs, part 2: the string functions
 * (results, pointers and the bytes they write), ctype and strerror, and
 * qsort/bsearch on arrays of many shapes and element sizes, plus an
 * adversarial comparator.  Inputs come from a fixed-seed generator.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/test.h>

#include "nolibc_test.h"
#include "vs_glibc.h"

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
			/* From every offset of the source, so that source
			 * and destination disagree on alignment. */
			off = la ? rndn(la) : 0;
			memcpy(d1 + dst, a + off, la - off);
			nolibc_memcpy(d2 + dst, a + off, la - off);
			CHECK(!memcmp(d1, d2, sizeof(d1)), "memcpy %zu %zu %zu",
			      off, dst, la - off);
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
	UK_TEST_EQ(bad, 0);
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
	UK_TEST_EQ(bad, 0);
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
		UK_TEST_ASSERT(kval[idx[i - 1]] <= kval[idx[i]]);
	/* n log2 n is about 286000; quadratic would be 2e8. */
	limit = 20L * KILLER_N * 15;
	uk_test_log("adversarial input of %d: %ld comparisons", KILLER_N,
		    kcmps);
	UK_TEST_ASSERT(kcmps < limit);
}
