/*
 * ukstore unit tests, part 1: static entries of every type declared with
 * the public macros, getters and setters through lookups, the handling of
 * missing and malformed names (never a stray pointer), entry names read
 * back exactly as their identifiers, value formatting and parsing, and
 * histograms.  Folders and enumeration are in test_folder.c; checks that
 * need the host's libc (strtod) in test_value_host.c.  Only freestanding
 * libc functions are used, so the cases also run in the kernel.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <uk/store.h>
#include <uk/store_test.h>
#include <uk/test.h>

#include "test_store.h"

#define NAN_ __builtin_nan("")
#define INF_ __builtin_inf()
#define isnan_(x) ((x) != (x))

/* ---- a test library with one static entry of every type ---------- */

static int8_t v_s8 = -8;
static uint8_t v_u8 = 8;
static int16_t v_s16 = -16;
static uint16_t v_u16 = 16;
static int32_t v_s32 = -32;
static uint32_t v_u32 = 32;
static int64_t v_s64 = INT64_MIN;
static uint64_t v_u64 = UINT64_MAX;
static uintptr_t v_uptr = 0x1234;
static double v_dbl = 0.25;
static char v_str[32] = "hello";
static struct uk_hist v_hist;
static const double hist_le[] = { 1, 2.5, 10 };

#define GETSET(t, T) \
	static int get_##t(void *c, T *o) { *o = *(T *)c; return 0; } \
	__attribute__((unused)) \
	static int set_##t(void *c, T i) { *(T *)c = i; return 0; }
GETSET(s8, int8_t)
GETSET(u8, uint8_t)
GETSET(s16, int16_t)
GETSET(u16, uint16_t)
GETSET(s32, int32_t)
GETSET(u32, uint32_t)
GETSET(s64, int64_t)
GETSET(u64, uint64_t)
GETSET(uptr, uintptr_t)
GETSET(dbl, double)

static int get_str(void *c, const char **o)
{
	*o = c;
	return 0;
}

static int set_str(void *c, const char *i)
{
	if (strlen(i) >= sizeof(v_str))
		return -ENAMETOOLONG;
	strcpy(c, i);
	return 0;
}

static int get_fail(void *c, uint64_t *o)
{
	return -EAGAIN;
}

static int set_small(void *c, uint32_t i)
{
	if (i > 100)
		return -ERANGE;
	*(uint32_t *)c = i;
	return 0;
}

static uint32_t v_small = 5;

UK_STORE_LIBRARY(tst);
UK_STORE_STATIC_ENTRY(tst, s8, s8, gauge, none, "An s8.", get_s8, set_s8,
		      &v_s8);
UK_STORE_STATIC_ENTRY(tst, u8, u8, gauge, none, "A u8.", get_u8, set_u8,
		      &v_u8);
UK_STORE_STATIC_ENTRY(tst, s16, s16, gauge, none, "An s16.", get_s16,
		      set_s16, &v_s16);
UK_STORE_STATIC_ENTRY(tst, u16, u16, gauge, none, "A u16.", get_u16,
		      set_u16, &v_u16);
UK_STORE_STATIC_ENTRY(tst, s32, s32, gauge, none, "An s32.", get_s32,
		      set_s32, &v_s32);
UK_STORE_STATIC_ENTRY(tst, u32, u32, counter, none, "A u32.", get_u32,
		      set_u32, &v_u32);
UK_STORE_STATIC_ENTRY(tst, s64, s64, gauge, none, "An s64.", get_s64,
		      set_s64, &v_s64);
UK_STORE_STATIC_ENTRY(tst, u64, u64, counter, bytes, "A u64.", get_u64,
		      NULL, &v_u64);
UK_STORE_STATIC_ENTRY(tst, uptr, uptr, gauge, none, "A uptr.", get_uptr,
		      set_uptr, &v_uptr);
UK_STORE_STATIC_ENTRY(tst, dbl, dbl, gauge, seconds, "A double.", get_dbl,
		      set_dbl, &v_dbl);
UK_STORE_STATIC_ENTRY(tst, str, str, info, none, "A string.", get_str,
		      set_str, v_str);
UK_STORE_STATIC_ENTRY(tst, hist, hist, histogram, seconds, "A histogram.",
		      uk_store_hist_get, NULL, &v_hist);
UK_STORE_STATIC_ENTRY(tst, failing, u64, counter, none, "Always fails.",
		      get_fail, NULL, NULL);
UK_STORE_STATIC_ENTRY(tst, small, u32, gauge, none, "At most 100.",
		      get_u32, set_small, &v_small);

const char *const tst_static_names[] = {
	"s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64", "uptr", "dbl",
	"str", "hist", "failing", "small", NULL
};

/* The one-call path forms are what these tests read and write with. */
#define readp uk_store_read_path
#define writep uk_store_write_text_path

static int fmtp(const char *path, char *buf, size_t size)
{
	struct uk_store_value v;
	int rc = readp(path, &v);

	return rc ? rc : uk_store_value_format(&v, buf, size);
}

UK_TEST(static_every_type)
{
	struct uk_store_value v;
	char buf[256];

	/* Cases run in any order: start from known values. */
	v_s8 = -8;
	v_u8 = 8;
	v_s16 = -16;
	v_u16 = 16;
	v_s32 = -32;
	v_u32 = 32;
	v_s64 = INT64_MIN;
	v_u64 = UINT64_MAX;
	v_uptr = 0x1234;
	v_dbl = 0.25;
	strcpy(v_str, "hello");
	v_hist.nbuckets = 3;
	v_hist.le = hist_le;
	UK_TEST_EQ(readp("tst/s8", &v), 0);
	UK_TEST_EQ(v.type, UK_STORE_S8);
	UK_TEST_EQ(v.s, -8);
	UK_TEST_EQ(readp("tst/u8", &v), 0);
	UK_TEST_EQ(v.type, UK_STORE_U8);
	UK_TEST_EQ(v.u, 8);
	UK_TEST_EQ(readp("tst/s16", &v), 0);
	UK_TEST_EQ(v.s, -16);
	UK_TEST_EQ(readp("tst/u16", &v), 0);
	UK_TEST_EQ(v.u, 16);
	UK_TEST_EQ(readp("tst/s32", &v), 0);
	UK_TEST_EQ(v.s, -32);
	UK_TEST_EQ(readp("tst/u32", &v), 0);
	UK_TEST_EQ(v.u, 32);
	UK_TEST_EQ(readp("tst/s64", &v), 0);
	UK_TEST_ASSERT(v.s == INT64_MIN);
	UK_TEST_EQ(readp("tst/u64", &v), 0);
	UK_TEST_ASSERT(v.u == UINT64_MAX);
	UK_TEST_EQ(readp("tst/uptr", &v), 0);
	UK_TEST_EQ(v.type, UK_STORE_UPTR);
	UK_TEST_EQ(v.u, 0x1234);
	UK_TEST_EQ(readp("tst/dbl", &v), 0);
	UK_TEST_ASSERT(v.type == UK_STORE_DOUBLE && v.d == 0.25);
	UK_TEST_EQ(readp("tst/str", &v), 0);
	UK_TEST_STREQ(v.str, "hello");
	UK_TEST_EQ(readp("tst/hist", &v), 0);
	UK_TEST_EQ(v.type, UK_STORE_HIST);
	UK_TEST_EQ(v.hist.nbuckets, 3);
	UK_TEST_EQ(readp("tst/failing", &v), -EAGAIN);

	UK_TEST_EQ(fmtp("tst/s64", buf, sizeof(buf)), 20);
	UK_TEST_STREQ(buf, "-9223372036854775808");
	UK_TEST_EQ(fmtp("tst/u64", buf, sizeof(buf)), 20);
	UK_TEST_STREQ(buf, "18446744073709551615");
	fmtp("tst/dbl", buf, sizeof(buf));
	UK_TEST_STREQ(buf, "0.25");
	fmtp("tst/uptr", buf, sizeof(buf));
	UK_TEST_STREQ(buf, "4660");
}

UK_TEST(static_metadata)
{
	struct uk_store_ref ref;

	UK_TEST_EQ(uk_store_lookup("tst/u64", &ref), 0);
	UK_TEST_ASSERT(ref.lib == uk_store_lib_find("tst"));
	UK_TEST_ASSERT(ref.folder == NULL);
	UK_TEST_ASSERT(ref.cookie == &v_u64);
	UK_TEST_EQ(ref.entry->kind, UK_STORE_COUNTER);
	UK_TEST_EQ(ref.entry->unit, UK_STORE_UNIT_BYTES);
	UK_TEST_STREQ(ref.entry->help, "A u64.");
	uk_store_ref_put(&ref);
	UK_TEST_EQ(uk_store_lookup_parts("tst", NULL, "hist", &ref), 0);
	UK_TEST_EQ(ref.entry->kind, UK_STORE_HISTOGRAM);
	UK_TEST_EQ(ref.entry->unit, UK_STORE_UNIT_SECONDS);
	UK_TEST_STREQ(ref.entry->name, "hist");
	uk_store_ref_put(&ref);
}

UK_TEST(setters)
{
	struct uk_store_value v = { 0 };
	struct uk_store_ref ref;
	char buf[64];

	UK_TEST_EQ(writep("tst/s8", "-128"), 0);
	UK_TEST_EQ(v_s8, -128);
	UK_TEST_EQ(writep("tst/s8", "-129"), -ERANGE);
	UK_TEST_EQ(writep("tst/s8", "128"), -ERANGE);
	UK_TEST_EQ(writep("tst/u8", "255"), 0);
	UK_TEST_EQ(v_u8, 255);
	UK_TEST_EQ(writep("tst/u8", "256"), -ERANGE);
	UK_TEST_EQ(writep("tst/u8", "-1"), -ERANGE);
	UK_TEST_EQ(writep("tst/u16", "0xffff"), 0);
	UK_TEST_EQ(v_u16, 0xffff);
	UK_TEST_EQ(writep("tst/s16", " -300\n"), 0);
	UK_TEST_EQ(v_s16, -300);
	UK_TEST_EQ(writep("tst/s32", "12x"), -EINVAL);
	UK_TEST_EQ(writep("tst/s32", ""), -EINVAL);
	UK_TEST_EQ(writep("tst/s32", "-"), -EINVAL);
	UK_TEST_EQ(writep("tst/u32", "4294967295"), 0);
	UK_TEST_ASSERT(v_u32 == UINT32_MAX);
	UK_TEST_EQ(writep("tst/s64", "-9223372036854775808"), 0);
	UK_TEST_ASSERT(v_s64 == INT64_MIN);
	UK_TEST_EQ(writep("tst/s64", "9223372036854775808"), -ERANGE);
	UK_TEST_EQ(writep("tst/s64", "99999999999999999999"), -ERANGE);
	UK_TEST_EQ(writep("tst/uptr", "42"), 0);
	UK_TEST_EQ(v_uptr, 42);
	/* Read-only entries refuse writes. */
	UK_TEST_EQ(writep("tst/u64", "1"), -EPERM);
	UK_TEST_EQ(writep("tst/hist", "1"), -EPERM);
	UK_TEST_EQ(writep("tst/failing", "1"), -EPERM);
	/* The setter's own error comes back. */
	UK_TEST_EQ(writep("tst/small", "101"), -ERANGE);
	UK_TEST_EQ(writep("tst/small", "100"), 0);
	UK_TEST_EQ(v_small, 100);
	/* Doubles. */
	UK_TEST_EQ(writep("tst/dbl", "0.1"), 0);
	UK_TEST_ASSERT(v_dbl == 0.1);
	UK_TEST_EQ(writep("tst/dbl", "-2.5e-3"), 0);
	UK_TEST_ASSERT(v_dbl == -2.5e-3);
	UK_TEST_EQ(writep("tst/dbl", "1e300"), 0);
	UK_TEST_ASSERT(v_dbl == 1e300);
	UK_TEST_EQ(writep("tst/dbl", "-inf"), 0);
	UK_TEST_ASSERT(v_dbl == -INF_);
	UK_TEST_EQ(writep("tst/dbl", "NaN"), 0);
	UK_TEST_ASSERT(isnan_(v_dbl));
	UK_TEST_EQ(writep("tst/dbl", "1.5.2"), -EINVAL);
	UK_TEST_EQ(writep("tst/dbl", "e5"), -EINVAL);
	UK_TEST_EQ(writep("tst/dbl", "42"), 0);
	UK_TEST_ASSERT(v_dbl == 42);
	/* Strings go to the setter as they are. */
	UK_TEST_EQ(writep("tst/str", "a \"b\"\n"), 0);
	UK_TEST_STREQ(v_str, "a \"b\"\n");
	UK_TEST_EQ(writep("tst/str", "0123456789012345678901234567890123"),
		     -ENAMETOOLONG);
	UK_TEST_EQ(writep("tst/str", "hello"), 0);

	/* uk_store_write converts between value types. */
	UK_TEST_EQ(uk_store_lookup("tst/u8", &ref), 0);
	v.type = UK_STORE_DOUBLE;
	v.d = 7;
	UK_TEST_EQ(uk_store_write(&ref, &v), 0);
	UK_TEST_EQ(v_u8, 7);
	v.d = 7.5;
	UK_TEST_EQ(uk_store_write(&ref, &v), -EINVAL);
	v.d = NAN_;
	UK_TEST_EQ(uk_store_write(&ref, &v), -EINVAL);
	v.d = 1e30;
	UK_TEST_EQ(uk_store_write(&ref, &v), -ERANGE);
	v.type = UK_STORE_S64;
	v.s = -1;
	UK_TEST_EQ(uk_store_write(&ref, &v), -ERANGE);
	v.type = UK_STORE_STRING;
	v.str = "5";
	UK_TEST_EQ(uk_store_write(&ref, &v), -EINVAL);
	uk_store_ref_put(&ref);
	UK_TEST_EQ(uk_store_lookup("tst/dbl", &ref), 0);
	v.type = UK_STORE_U64;
	v.u = 3;
	UK_TEST_EQ(uk_store_write(&ref, &v), 0);
	UK_TEST_ASSERT(v_dbl == 3);
	uk_store_ref_put(&ref);
	v_dbl = 0.25;
	fmtp("tst/s16", buf, sizeof(buf));
	UK_TEST_STREQ(buf, "-300");
}

static int ref_is_null(const struct uk_store_ref *r)
{
	return !r->lib && !r->folder && !r->entry && !r->cookie;
}

/* A missing name must never come back as a pointer. */
UK_TEST(missing_names)
{
	static const char *const enoent[] = {
		"tst/nope", "tst/u", "tst/u8x", "tst/U8", "nolib/u8",
		"ts/u8", "tstx/u8", "tst/nofolder/x", "tst/u8/x", NULL
	};
	static const char *const einval[] = {
		"", "tst", "/tst/u8", "tst/", "tst//u8", "tst/a/b/c",
		"tst/u8/", "//", NULL
	};
	struct uk_store_ref ref;
	int i;

	for (i = 0; enoent[i]; i++) {
		memset(&ref, 0x5a, sizeof(ref));
		if (uk_store_lookup(enoent[i], &ref) != -ENOENT) {
			uk_test_log("path %s", enoent[i]);
			UK_TEST_ASSERT(0);
		}
		UK_TEST_ASSERT(ref_is_null(&ref));
	}
	for (i = 0; einval[i]; i++) {
		memset(&ref, 0x5a, sizeof(ref));
		if (uk_store_lookup(einval[i], &ref) != -EINVAL) {
			uk_test_log("path '%s'", einval[i]);
			UK_TEST_ASSERT(0);
		}
		UK_TEST_ASSERT(ref_is_null(&ref));
	}
	memset(&ref, 0x5a, sizeof(ref));
	UK_TEST_EQ(uk_store_lookup(NULL, &ref), -EINVAL);
	UK_TEST_ASSERT(ref_is_null(&ref));
	UK_TEST_EQ(uk_store_lookup_parts("tst", NULL, "nope", &ref),
		     -ENOENT);
	UK_TEST_ASSERT(ref_is_null(&ref));
	UK_TEST_EQ(uk_store_lookup_parts("tst", "nofolder", "u8", &ref),
		     -ENOENT);
	UK_TEST_ASSERT(ref_is_null(&ref));
	UK_TEST_EQ(uk_store_lookup_parts("nolib", NULL, "u8", &ref),
		     -ENOENT);
	UK_TEST_EQ(uk_store_lookup_parts(NULL, NULL, "u8", &ref), -EINVAL);
	UK_TEST_EQ(uk_store_lookup_parts("tst", NULL, NULL, &ref), -EINVAL);
	UK_TEST_EQ(uk_store_lookup_parts("tst", NULL, "", &ref), -EINVAL);
	UK_TEST_EQ(uk_store_lookup_parts("tst", "a/b", "u8", &ref),
		     -EINVAL);
	UK_TEST_ASSERT(ref_is_null(&ref));
	UK_TEST_ASSERT(uk_store_lib_find("nolib") == NULL);
	UK_TEST_ASSERT(uk_store_lib_find("ts") == NULL);
	UK_TEST_ASSERT(uk_store_lib_find("") == NULL);
	UK_TEST_ASSERT(uk_store_lib_find(NULL) == NULL);
	UK_TEST_ASSERT(uk_store_lib_find("tst") == &uk_store_lib_tst);
	UK_TEST_ASSERT(uk_store_folder_get(&uk_store_lib_tst, "none") == NULL);
	UK_TEST_ASSERT(uk_store_folder_get(&uk_store_lib_tst, "") == NULL);
	UK_TEST_ASSERT(uk_store_folder_get(NULL, "x") == NULL);
	/* Putting an empty reference is harmless. */
	uk_store_ref_put(&ref);
}

UK_TEST(lookup_parts_found)
{
	struct uk_store_ref ref;
	struct uk_store_value v;

	UK_TEST_EQ(uk_store_lookup_parts("tst", NULL, "u16", &ref), 0);
	UK_TEST_ASSERT(ref.cookie == &v_u16);
	UK_TEST_EQ(uk_store_read(&ref, &v), 0);
	UK_TEST_EQ(v.u, v_u16);
	uk_store_ref_put(&ref);
	UK_TEST_ASSERT(ref_is_null(&ref));
}

UK_TEST(static_names_exact)
{
	const struct uk_store_lib *lib = uk_store_lib_find("tst");
	const struct uk_store_entry *e;
	int i, n = 0, seen;

	UK_TEST_ASSERT(lib != NULL);
	UK_TEST_STREQ(lib->name, "tst");
	/* Link order is the toolchain's: compare as sets. */
	for (e = lib->start; e < lib->stop; e++, n++) {
		UK_TEST_ASSERT(strchr(e->name, '"') == NULL);
		for (seen = 0, i = 0; tst_static_names[i]; i++)
			seen += !strcmp(e->name, tst_static_names[i]);
		if (seen != 1)
			uk_test_log("unexpected name '%s'", e->name);
		UK_TEST_EQ(seen, 1);
	}
	for (i = 0; tst_static_names[i]; i++)
		;
	UK_TEST_EQ(n, i);
}

const char *tst_fmt(struct uk_store_value *v, char *buf, size_t n)
{
	uk_store_value_format(v, buf, n);
	return buf;
}

/* Doubles print exactly and as short as they can. */
UK_TEST(format_doubles)
{
	static const struct {
		double d;
		const char *s;
	} cases[] = {
		{ 0, "0" }, { 1, "1" }, { -3, "-3" }, { 0.25, "0.25" },
		{ 0.1, "0.1" }, { 1.0 / 3, "0.3333333333333333" },
		{ 123456.789, "123456.789" }, { 1e15, "1000000000000000" },
		{ 1e16, "1e+16" }, { 1e21, "1e+21" },
		{ 1e300, "1e+300" }, { 5e-324, "5e-324" }, { 1e-7, "1e-07" },
		{ 1.5e-6, "1.5e-06" }, { 0.0001, "0.0001" }, { 1e-5, "1e-05" },
		{ 0.000123, "0.000123" }, { -2.5e-3, "-0.0025" },
		{ 2.2250738585072014e-308, "2.2250738585072014e-308" },
		{ 1.7976931348623157e308, "1.7976931348623157e+308" },
		{ 0.30000000000000004, "0.30000000000000004" },
		{ 123456789012345678.0, "1.2345678901234568e+17" },
		{ 9007199254740993.0, "9007199254740992" },
		{ -0.0, "-0" },
	};
	struct uk_store_value v = { .type = UK_STORE_DOUBLE };
	char buf[64];
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v.d = cases[i].d;
		UK_TEST_STREQ(tst_fmt(&v, buf, sizeof(buf)), cases[i].s);
	}
	v.d = NAN_;
	UK_TEST_STREQ(tst_fmt(&v, buf, sizeof(buf)), "NaN");
	v.d = INF_;
	UK_TEST_STREQ(tst_fmt(&v, buf, sizeof(buf)), "+Inf");
	v.d = -INF_;
	UK_TEST_STREQ(tst_fmt(&v, buf, sizeof(buf)), "-Inf");
}

UK_TEST(format_other_types)
{
	struct uk_store_value v = { 0 };
	char buf[64];

	v.type = UK_STORE_S8;
	v.s = -5;
	UK_TEST_STREQ(tst_fmt(&v, buf, sizeof(buf)), "-5");
	v.type = UK_STORE_U32;
	v.u = 0;
	UK_TEST_STREQ(tst_fmt(&v, buf, sizeof(buf)), "0");
	v.type = UK_STORE_STRING;
	v.str = "a\"b";
	UK_TEST_STREQ(tst_fmt(&v, buf, sizeof(buf)), "a\"b");
	/* snprintf-style truncation and length. */
	v.type = UK_STORE_U64;
	v.u = 1234567;
	UK_TEST_EQ(uk_store_value_format(&v, buf, 4), 7);
	UK_TEST_STREQ(buf, "123");
	UK_TEST_EQ(uk_store_value_format(&v, NULL, 0), 7);
	buf[0] = 'x';
	UK_TEST_EQ(uk_store_value_format(&v, buf, 1), 7);
	UK_TEST_EQ(buf[0], 0);
	v.type = 99;
	UK_TEST_EQ(uk_store_value_format(&v, buf, sizeof(buf)), -EINVAL);
}

UK_TEST(histogram)
{
	static const double le[] = { 0.5, 1, 2 };
	struct uk_hist h = { .nbuckets = 3, .le = le };
	struct uk_store_value v = { .type = UK_STORE_HIST };
	char buf[256];

	uk_hist_observe(&h, 0.1);   /* bucket 0 */
	uk_hist_observe(&h, 0.5);   /* bucket 0: le is inclusive */
	uk_hist_observe(&h, 0.75);  /* bucket 1 */
	uk_hist_observe(&h, 2);     /* bucket 2 */
	uk_hist_observe(&h, 3);     /* +Inf */
	uk_hist_observe(&h, INF_); /* +Inf */
	uk_hist_observe(&h, -INF_); /* bucket 0 */
	uk_hist_observe(&h, NAN_);   /* count and sum only */
	UK_TEST_EQ(h.bucket[0], 3);
	UK_TEST_EQ(h.bucket[1], 1);
	UK_TEST_EQ(h.bucket[2], 1);
	UK_TEST_EQ(h.bucket[3], 2);
	UK_TEST_EQ(h.count, 8);
	UK_TEST_EQ(uk_store_hist_get(&h, &v.hist), 0);
	UK_TEST_EQ(v.hist.nbuckets, 3);
	UK_TEST_ASSERT(v.hist.le == le);
	UK_TEST_EQ(v.hist.cum[0], 3);
	UK_TEST_EQ(v.hist.cum[1], 4);
	UK_TEST_EQ(v.hist.cum[2], 5);
	UK_TEST_EQ(v.hist.count, 8);
	UK_TEST_ASSERT(isnan_(v.hist.sum));
	uk_store_value_format(&v, buf, sizeof(buf));
	UK_TEST_STREQ(buf, "0.5 3\n1 4\n2 5\n+Inf 8\n");

	/* The names the histogram had in the store still work. */
	h = (struct uk_store_hist){ .nbuckets = 3, .le = le };
	uk_store_hist_observe(&h, 1.5);
	uk_hist_observe(&h, 0.25);
	UK_TEST_EQ(uk_store_hist_get(&h, &v.hist), 0);
	UK_TEST_ASSERT(v.hist.sum == 1.75);
	UK_TEST_EQ(v.hist.count, 2);
	h.nbuckets = UK_STORE_HIST_MAX_BUCKETS + 1;
	UK_TEST_EQ(uk_store_hist_get(&h, &v.hist), -EINVAL);
}
