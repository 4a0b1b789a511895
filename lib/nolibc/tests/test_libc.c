/*
 * Known-answer tests of the C library functions nolibc provides, written
 * against the standard names.  In the kernel image (libc-test) they test
 * nolibc itself; in test-nolibc on linuxu they run against glibc, which
 * checks that the expected answers are the C library's.
 */
#include <assert.h>
#include <ctype.h>
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/test.h>

#define SNP_EQ(expect, ...) do { char _b[256]; \
	int _n = snprintf(_b, sizeof(_b), __VA_ARGS__); \
	UK_TEST_STREQ(_b, expect); \
	UK_TEST_EQ(_n, (int)strlen(expect)); } while (0)

UK_TEST(libc_snprintf_ints)
{
	SNP_EQ("42", "%d", 42);
	SNP_EQ("-42", "%i", -42);
	SNP_EQ("+42", "%+d", 42);
	SNP_EQ(" 42", "% d", 42);
	SNP_EQ("   42", "%5d", 42);
	SNP_EQ("42   |", "%-5d|", 42);
	SNP_EQ("00042", "%05d", 42);
	SNP_EQ("  042", "%5.3d", 42);
	SNP_EQ("-0042", "%05d", -42);
	SNP_EQ("", "%.0d", 0);
	SNP_EQ("0", "%#.0o", 0);
	SNP_EQ("0x2a 0X2A 052", "%#x %#X %#o", 42, 42, 42);
	SNP_EQ("0", "%#x", 0);
	SNP_EQ("ffffffff", "%x", -1);
	SNP_EQ("18446744073709551615", "%llu", ULLONG_MAX);
	SNP_EQ("-9223372036854775808", "%lld", LLONG_MIN);
	SNP_EQ("-128 255", "%hhd %hhu", 128, 255);
	SNP_EQ("-1 65535", "%hd %hu", 65535, 65535);
	SNP_EQ("123 -5", "%zu %td", (size_t)123, (ptrdiff_t)-5);
	SNP_EQ("7 8", "%jd %ju", (intmax_t)7, (uintmax_t)8);
	SNP_EQ("    7|7    |", "%*d|%-*d|", 5, 7, 5, 7);
	SNP_EQ("7    |", "%*d|", -5, 7);
	SNP_EQ("007", "%.*d", 3, 7);
	SNP_EQ("100%", "%d%%", 100);
}

UK_TEST(libc_snprintf_strings)
{
	SNP_EQ("hi", "%s", "hi");
	SNP_EQ("   hi", "%5s", "hi");
	SNP_EQ("hi   |", "%-5s|", "hi");
	SNP_EQ("he", "%.2s", "hello");
	SNP_EQ("x", "%c", 'x');
	SNP_EQ("  x", "%3c", 'x');
	SNP_EQ("0x1234", "%p", (void *)0x1234);
}

UK_TEST(libc_snprintf_floats)
{
	SNP_EQ("3.141593", "%f", 3.14159265);
	SNP_EQ("3.14", "%.2f", 3.14159265);
	SNP_EQ("2", "%.0f", 2.5);
	SNP_EQ("4", "%.0f", 3.5);
	SNP_EQ("0.125", "%.3f", 0.125);
	SNP_EQ("1.000000e+00", "%e", 1.0);
	SNP_EQ("1.5E-07", "%.1E", 1.5e-7);
	SNP_EQ("0.0001", "%g", 0.0001);
	SNP_EQ("1e-05", "%g", 0.00001);
	SNP_EQ("1e+06", "%g", 1e6);
	SNP_EQ("123456", "%g", 123456.0);
	SNP_EQ("0.1", "%g", 0.1);
	SNP_EQ("0.30000000000000004", "%.17g", 0.1 + 0.2);
	SNP_EQ("1.7976931348623157e+308", "%.17g", 1.7976931348623157e308);
	SNP_EQ("4.9406564584124654e-324", "%.17g", 5e-324);
	SNP_EQ("100.000", "%#.6g", 100.0);
	SNP_EQ("-0", "%g", -0.0);
	SNP_EQ("inf -inf", "%f %g", 1.0 / 0.0, -1.0 / 0.0);
	SNP_EQ("  INF", "%05F", 1.0 / 0.0);
	SNP_EQ("+001.50", "%+07.2f", 1.5);
}

UK_TEST(libc_snprintf_truncation)
{
	char b[8];
	int n;
	/* Hidden from the compiler, which would warn of the truncation. */
	volatile size_t four = 4, one = 1;

	memset(b, 'x', sizeof(b));
	n = snprintf(b, four, "%s", "abcdef");
	UK_TEST_EQ(n, 6);
	UK_TEST_STREQ(b, "abc");
	UK_TEST_EQ(b[4], 'x');
	n = snprintf(b, one, "%d", 12345);
	UK_TEST_EQ(n, 5);
	UK_TEST_EQ(b[0], 0);
	n = snprintf(NULL, 0, "%d-%s", 12, "ab");
	UK_TEST_EQ(n, 5);
	n = sprintf(b, "%03d", 7);
	UK_TEST_EQ(n, 3);
	UK_TEST_STREQ(b, "007");
}

UK_TEST(libc_strtol)
{
	char *end;
	const char *s;

	errno = 0;
	UK_TEST_EQ(strtol("  -123xyz", &end, 10), -123);
	UK_TEST_STREQ(end, "xyz");
	UK_TEST_EQ(strtol("0x1f", &end, 0), 31);
	UK_TEST_EQ(*end, 0);
	UK_TEST_EQ(strtol("0755", NULL, 0), 0755);
	UK_TEST_EQ(strtol("z", NULL, 36), 35);
	UK_TEST_EQ(strtol("1010", NULL, 2), 10);
	UK_TEST_EQ(errno, 0);
	s = "0xg";
	UK_TEST_EQ(strtol(s, &end, 16), 0);
	UK_TEST_ASSERT(end == s + 1);
	s = "  +";
	UK_TEST_EQ(strtol(s, &end, 10), 0);
	UK_TEST_ASSERT(end == s);
	UK_TEST_EQ(strtol("9223372036854775807", NULL, 10), LONG_MAX);
	UK_TEST_EQ(errno, 0);
	UK_TEST_EQ(strtol("9223372036854775808", &end, 10), LONG_MAX);
	UK_TEST_EQ(errno, ERANGE);
	UK_TEST_EQ(*end, 0);
	errno = 0;
	UK_TEST_EQ(strtol("-9223372036854775808", NULL, 10), LONG_MIN);
	UK_TEST_EQ(errno, 0);
	UK_TEST_EQ(strtol("-9223372036854775809", NULL, 10), LONG_MIN);
	UK_TEST_EQ(errno, ERANGE);
	errno = 0;
	UK_TEST_ASSERT(strtoul("-1", NULL, 10) == ULONG_MAX);
	UK_TEST_EQ(errno, 0);
	UK_TEST_ASSERT(strtoul("18446744073709551616", NULL, 10) ==
		       ULONG_MAX);
	UK_TEST_EQ(errno, ERANGE);
	errno = 0;
	UK_TEST_ASSERT(strtoull("ffffffffffffffff", NULL, 16) == ULLONG_MAX);
	UK_TEST_EQ(errno, 0);
	UK_TEST_EQ(strtoll("-0x10", NULL, 16), -16);
	UK_TEST_EQ(atoi(" 42abc"), 42);
}

UK_TEST(libc_strtod)
{
	char *end;
	const char *s;
	uint64_t bits;
	double d;

	errno = 0;
	s = "  -12.5e1xyz";
	UK_TEST_EQ(strtod(s, &end), -125.0);
	UK_TEST_ASSERT(end == s + 9);
	UK_TEST_EQ(strtod("0.1", NULL), 0.1);
	UK_TEST_EQ(strtod("1e23", NULL), 1e23);
	UK_TEST_EQ(strtod("9007199254740993", NULL), 9007199254740992.0);
	UK_TEST_EQ(strtod("9007199254740993.000000000000000000001", NULL),
		   9007199254740994.0);
	UK_TEST_EQ(strtod("1.7976931348623157e308", NULL),
		   1.7976931348623157e308);
	UK_TEST_EQ(strtod("0x1.8p1", NULL), 3.0);
	UK_TEST_EQ(strtod("-0x.8P-2", NULL), -0.125);
	UK_TEST_EQ(strtof("0.1", NULL), 0.1f);
	UK_TEST_EQ(strtof("3.4028235e38", NULL), 3.4028235e38f);
	UK_TEST_EQ(atof(" 2.5"), 2.5);
	UK_TEST_EQ(errno, 0);
	/* Overflow and underflow. */
	UK_TEST_EQ(strtod("1e309", NULL), 1.0 / 0.0);
	UK_TEST_EQ(errno, ERANGE);
	errno = 0;
	UK_TEST_EQ(strtod("-1e-400", NULL), 0.0);
	UK_TEST_EQ(errno, ERANGE);
	errno = 0;
	UK_TEST_EQ(strtod("4e-320", NULL), 4e-320);
	UK_TEST_EQ(errno, ERANGE);
	errno = 0;
	UK_TEST_EQ(strtod("2.2250738585072011e-308", NULL),
		   2.2250738585072009e-308);
	UK_TEST_EQ(errno, ERANGE);
	errno = 0;
	UK_TEST_EQ(strtof("1e39", NULL), 1.0f / 0.0f);
	UK_TEST_EQ(errno, ERANGE);
	errno = 0;
	/* The words, and no number at all. */
	UK_TEST_EQ(strtod("-Infinity", NULL), -1.0 / 0.0);
	s = "infx";
	UK_TEST_EQ(strtod(s, &end), 1.0 / 0.0);
	UK_TEST_ASSERT(end == s + 3);
	d = strtod("nan(0x7)", &end);
	memcpy(&bits, &d, sizeof(bits));
	UK_TEST_EQ(bits, 0x7ff8000000000007ULL);
	UK_TEST_EQ(*end, 0);
	d = strtod("-nan", NULL);
	memcpy(&bits, &d, sizeof(bits));
	UK_TEST_EQ(bits, 0xfff8000000000000ULL);
	s = " .e5";
	UK_TEST_EQ(strtod(s, &end), 0.0);
	UK_TEST_ASSERT(end == s);
	s = "1e+";
	UK_TEST_EQ(strtod(s, &end), 1.0);
	UK_TEST_ASSERT(end == s + 1);
	s = "0x";
	UK_TEST_EQ(strtod(s, &end), 0.0);
	UK_TEST_ASSERT(end == s + 1);
	UK_TEST_EQ(errno, 0);
}

UK_TEST(libc_string)
{
	char b[32];
	char *save, *tok;
	char *d;

	UK_TEST_EQ(strlen("hello"), 5);
	UK_TEST_EQ(strnlen("hello", 3), 3);
	UK_TEST_EXPECT(strcmp("a", "b") < 0);
	UK_TEST_EXPECT(strcmp("b", "a") > 0);
	UK_TEST_EXPECT(strcmp("\xff", "a") > 0);
	UK_TEST_EXPECT(strncmp("abcx", "abcy", 3) == 0);
	UK_TEST_EXPECT(strcasecmp("HeLLo", "hello") == 0);
	UK_TEST_EXPECT(strncasecmp("ABx", "aby", 2) == 0);
	UK_TEST_STREQ(strchr("hello", 'l'), "llo");
	UK_TEST_STREQ(strrchr("hello", 'l'), "lo");
	UK_TEST_ASSERT(strchr("hello", 'z') == NULL);
	UK_TEST_STREQ(strstr("a needle in", "needle"), "needle in");
	UK_TEST_ASSERT(strstr("abc", "abd") == NULL);
	UK_TEST_EQ(strspn("aabbc", "ab"), 4);
	UK_TEST_EQ(strcspn("hello world", " "), 5);
	strcpy(b, "foo");
	strcat(b, "bar");
	UK_TEST_STREQ(b, "foobar");
	memset(b, 'x', sizeof(b));
	strncpy(b, "ab", 5);
	UK_TEST_EQ(memcmp(b, "ab\0\0\0x", 6), 0);
	memcpy(b, "0123456789", 11);
	memmove(b + 2, b, 5);
	UK_TEST_STREQ(b, "0101234789");
	memmove(b, b + 2, 5);
	UK_TEST_STREQ(b, "0123434789");
	UK_TEST_ASSERT(memchr(b, '4', 10) == b + 4);
	strcpy(b, ",a,,b,");
	tok = strtok_r(b, ",", &save);
	UK_TEST_STREQ(tok, "a");
	tok = strtok_r(NULL, ",", &save);
	UK_TEST_STREQ(tok, "b");
	UK_TEST_ASSERT(strtok_r(NULL, ",", &save) == NULL);
	d = strdup("copy");
	UK_TEST_STREQ(d, "copy");
	free(d);
	d = strndup("copy", 2);
	UK_TEST_STREQ(d, "co");
	free(d);
	UK_TEST_STREQ(strerror(ENOMEM), "Cannot allocate memory");
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

UK_TEST(libc_stdlib)
{
	int v[] = { 5, 3, 9, 1, 5, 0, -2, 7 };
	int key = 7, *hit;
	void *p = NULL;
	char *q;
	unsigned i;

	qsort(v, 8, sizeof(int), cmp_int);
	for (i = 1; i < 8; i++)
		UK_TEST_ASSERT(v[i - 1] <= v[i]);
	hit = bsearch(&key, v, 8, sizeof(int), cmp_int);
	UK_TEST_ASSERT(hit && *hit == 7);
	UK_TEST_EQ(abs(-3), 3);
	UK_TEST_EQ(labs(-3L), 3);
	UK_TEST_EQ(posix_memalign(&p, 64, 100), 0);
	UK_TEST_EQ((uintptr_t)p % 64, 0);
	free(p);
	q = calloc(10, 10);
	UK_TEST_ASSERT(q != NULL);
	for (i = 0; i < 100; i++)
		UK_TEST_EQ(q[i], 0);
	q = realloc(q, 1000);
	UK_TEST_ASSERT(q != NULL);
	UK_TEST_EQ(q[99], 0);
	free(q);
	p = aligned_alloc(4096, 4096);
	UK_TEST_ASSERT(p && (uintptr_t)p % 4096 == 0);
	free(p);
}

/*
 * In the kernel, malloc is the region allocator over the heap: turn its
 * junk filling on and see a freed block overwritten (the heap is the
 * kernel's own memory, so reading it is defined there).  On linuxu the
 * default is glibc's and only the round trip is checked.
 */
UK_TEST(libc_malloc_junk_on_heap)
{
	struct uk_alloc *a = uk_alloc_get_default();
	unsigned char *p = malloc(200);
	/* The compiler must not know that q outlives the block. */
	unsigned char *volatile q = p;
	size_t i;

	UK_TEST_ASSERT(p != NULL);
	memset(p, 0x3c, 200);
	if (!uk_alloc_is_region(a)) {
		free(p);
		return;
	}
	uk_alloc_region_set_junk(a, 1);
	free(p);
	for (i = 0; i < 200; i++)
		UK_TEST_EQ(q[i], UK_ALLOC_JUNK);
	UK_TEST_EQ(uk_alloc_region_check(a), 0);
}

UK_TEST(libc_headers)
{
	char b[64];
	uint64_t v = 18446744073709551615ULL;
	int64_t s = -5;
	int checked = 0;

	/* assert() evaluates its argument (nolibc ignores NDEBUG). */
	assert(++checked == 1);
	UK_TEST_EQ(checked, 1);
	snprintf(b, sizeof(b), "%" PRIu64 " %" PRId64 " %" PRIx32, v, s,
		 (uint32_t)0xbeef);
	UK_TEST_STREQ(b, "18446744073709551615 -5 beef");
	UK_TEST_EQ(htobe16(0x1234), 0x3412);
	UK_TEST_EQ(be32toh(htobe32(0xdeadbeef)), 0xdeadbeef);
	UK_TEST_ASSERT(isdigit('7') && !isdigit('a') && isxdigit('F'));
	UK_TEST_ASSERT(isspace('\v') && !isspace(0) && isalpha('q'));
	UK_TEST_EQ(toupper('a'), 'A');
	UK_TEST_EQ(tolower('Z'), 'z');
	UK_TEST_EQ(tolower('1'), '1');
	UK_TEST_ASSERT(INT_MAX == 2147483647 && CHAR_BIT == 8);
	UK_TEST_ASSERT(LLONG_MIN < 0 && ULONG_MAX == 18446744073709551615UL);
}

/*
 * Kernel only (the default allocator tells): on linuxu stdout is a
 * buffered stream apart from the console, whose late flush would land
 * after the runner's closing line.
 */
UK_TEST(libc_console_output)
{
	/* Longer than nolibc's staging buffer, so it is flushed midway. */
	char line[400];

	if (!uk_alloc_is_region(uk_alloc_get_default()))
		return;
	memset(line, '=', sizeof(line) - 1);
	line[sizeof(line) - 1] = 0;
	UK_TEST_EQ(printf("  printf %d %s\n", 42, "ok"), 15);
	UK_TEST_EQ(printf("  %s\n", line), (int)sizeof(line) + 2);
	UK_TEST_ASSERT(puts("  puts ok") >= 0);
	UK_TEST_EQ(putchar('\n'), '\n');
}
