/*
 * Golden tests of the exposition encoder in both formats: every value
 * type (the fixture in test_enc_fixture.c), no label, one label, a label
 * needing escapes, HELP escaping, units, NaN and infinities, an empty
 * store, failing getters and bad histograms, chunked output equal to the
 * one-shot output for many chunk sizes, and no allocation while encoding.
 * The value text equals the store's (/store/<path>) for tricky and
 * random doubles.  Content negotiation has its own cases at the end.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/num.h>
#include <uk/prom.h>
#include <uk/store.h>
#include <uk/test.h>

void enc_fixture_setup(void);

#define BUFSZ 65536
static char out[BUFSZ], out2[BUFSZ];

/* Encodes the libraries libs in chunks of at most chunk bytes into b. */
static size_t encode(enum uk_prom_format fmt, const char *const *libs,
		     size_t chunk, char *b)
{
	struct uk_prom_enc e;
	size_t len = 0, n;

	uk_prom_enc_init_filter(&e, fmt, libs);
	while (len + chunk < BUFSZ && (n = uk_prom_enc_read(&e, b + len,
							  chunk)) > 0) {
		UK_ASSERT(n <= chunk);
		len += n;
	}
	uk_prom_enc_fini(&e);
	b[len] = '\0';
	return len;
}

static const char *const lib_int[] = { "encint", NULL };
static const char *const lib_dyn[] = { "encdyn", NULL };

/* OpenMetrics writes integral bounds as canonical numbers: le="1.0". */
#define HIST_LINES_F(name, lbl, one) \
	name "_bucket{" lbl "le=\"0.001\"} 1\n" \
	name "_bucket{" lbl "le=\"0.5\"} 3\n" \
	name "_bucket{" lbl "le=\"" one "\"} 3\n" \
	name "_bucket{" lbl "le=\"2.5\"} 7\n" \
	name "_bucket{" lbl "le=\"+Inf\"} 9\n"
#define HIST_LINES(name, lbl) HIST_LINES_F(name, lbl, "1")
#define HIST_LINES_OM(name, lbl) HIST_LINES_F(name, lbl, "1.0")

static const char int_text[] =
	"# HELP encint_v_s8 an s8\n"
	"# TYPE encint_v_s8 gauge\n"
	"encint_v_s8 -128\n"
	"# HELP encint_v_u8 a u8\n"
	"# TYPE encint_v_u8 gauge\n"
	"encint_v_u8 255\n"
	"# HELP encint_v_s16 an s16\n"
	"# TYPE encint_v_s16 gauge\n"
	"encint_v_s16 -32768\n"
	"# HELP encint_v_u16 a u16\n"
	"# TYPE encint_v_u16 gauge\n"
	"encint_v_u16 65535\n"
	"# HELP encint_v_s32 an s32\n"
	"# TYPE encint_v_s32 gauge\n"
	"encint_v_s32 -2147483648\n"
	"# HELP encint_v_u32 a u32\n"
	"# TYPE encint_v_u32 gauge\n"
	"encint_v_u32 4294967295\n"
	"# HELP encint_v_s64 an s64\n"
	"# TYPE encint_v_s64 gauge\n"
	"encint_v_s64 -9223372036854775808\n"
	"# HELP encint_ops_total Ops done\n"
	"# TYPE encint_ops_total counter\n"
	"encint_ops_total 18446744073709551615\n"
	"# HELP encint_v_uptr_bytes a uptr\n"
	"# TYPE encint_v_uptr_bytes gauge\n"
	"encint_v_uptr_bytes 18446744073709551615\n"
	"# HELP encint_ratio A \"ratio\" with \\\\ and\\nnewline\n"
	"# TYPE encint_ratio gauge\n"
	"encint_ratio 0.25\n"
	"# HELP encint_version_info Build version\n"
	"# TYPE encint_version_info gauge\n"
	"encint_version_info{value=\"v1.2 \\\"rc\\\"\\\\x\"} 1\n"
	"# HELP encint_latency_seconds Latency\n"
	"# TYPE encint_latency_seconds histogram\n"
	HIST_LINES("encint_latency_seconds", "")
	"encint_latency_seconds_sum 12.75\n"
	"encint_latency_seconds_count 9\n"
	"# HELP encint_cpu_seconds_total CPU time\n"
	"# TYPE encint_cpu_seconds_total counter\n"
	"encint_cpu_seconds_total 0.25\n"
	"# HELP encint_rx_bytes_total Received\n"
	"# TYPE encint_rx_bytes_total counter\n"
	"encint_rx_bytes_total 4294967295\n";

static const char int_om[] =
	"# TYPE encint_v_s8 gauge\n"
	"# HELP encint_v_s8 an s8\n"
	"encint_v_s8 -128\n"
	"# TYPE encint_v_u8 gauge\n"
	"# HELP encint_v_u8 a u8\n"
	"encint_v_u8 255\n"
	"# TYPE encint_v_s16 gauge\n"
	"# HELP encint_v_s16 an s16\n"
	"encint_v_s16 -32768\n"
	"# TYPE encint_v_u16 gauge\n"
	"# HELP encint_v_u16 a u16\n"
	"encint_v_u16 65535\n"
	"# TYPE encint_v_s32 gauge\n"
	"# HELP encint_v_s32 an s32\n"
	"encint_v_s32 -2147483648\n"
	"# TYPE encint_v_u32 gauge\n"
	"# HELP encint_v_u32 a u32\n"
	"encint_v_u32 4294967295\n"
	"# TYPE encint_v_s64 gauge\n"
	"# HELP encint_v_s64 an s64\n"
	"encint_v_s64 -9223372036854775808\n"
	"# TYPE encint_ops counter\n"
	"# HELP encint_ops Ops done\n"
	"encint_ops_total 18446744073709551615\n"
	"# TYPE encint_v_uptr_bytes gauge\n"
	"# UNIT encint_v_uptr_bytes bytes\n"
	"# HELP encint_v_uptr_bytes a uptr\n"
	"encint_v_uptr_bytes 18446744073709551615\n"
	"# TYPE encint_ratio gauge\n"
	"# HELP encint_ratio A \\\"ratio\\\" with \\\\ and\\nnewline\n"
	"encint_ratio 0.25\n"
	"# TYPE encint_version info\n"
	"# HELP encint_version Build version\n"
	"encint_version_info{value=\"v1.2 \\\"rc\\\"\\\\x\"} 1\n"
	"# TYPE encint_latency_seconds histogram\n"
	"# UNIT encint_latency_seconds seconds\n"
	"# HELP encint_latency_seconds Latency\n"
	HIST_LINES_OM("encint_latency_seconds", "")
	"encint_latency_seconds_sum 12.75\n"
	"encint_latency_seconds_count 9\n"
	"# TYPE encint_cpu_seconds counter\n"
	"# UNIT encint_cpu_seconds seconds\n"
	"# HELP encint_cpu_seconds CPU time\n"
	"encint_cpu_seconds_total 0.25\n"
	"# TYPE encint_rx_bytes counter\n"
	"# UNIT encint_rx_bytes bytes\n"
	"# HELP encint_rx_bytes Received\n"
	"encint_rx_bytes_total 4294967295\n"
	"# EOF\n";

#define L_ETH "dev=\"eth0\""
#define L_LO "dev=\"lo\""
#define L_Q "dev=\"q\\\"uo\\\\te\\nnl\""

#define DYN_SAMPLES(rx, model) \
	rx "{" L_ETH "} 42\n" \
	rx "{" L_LO "} 0\n" \
	rx "{" L_Q "} 7\n"

#define DYN_LOAD \
	"encdyn_load{" L_ETH "} 1.5\n" \
	"encdyn_load{" L_LO "} -Inf\n" \
	"encdyn_load{" L_Q "} NaN\n"

#define DYN_MODEL \
	"encdyn_model_info{" L_ETH ",value=\"e1000\"} 1\n" \
	"encdyn_model_info{" L_LO ",value=\"x\\\\y\"} 1\n" \
	"encdyn_model_info{" L_Q ",value=\"virtio \\\"net\\\"\"} 1\n"

#define DYN_RTT_F(lbl, H) \
	H("encdyn_rtt_seconds", lbl ",") \
	"encdyn_rtt_seconds_sum{" lbl "} 12.75\n" \
	"encdyn_rtt_seconds_count{" lbl "} 9\n"
#define DYN_RTT(lbl) DYN_RTT_F(lbl, HIST_LINES)
#define DYN_RTT_OM(lbl) DYN_RTT_F(lbl, HIST_LINES_OM)

static const char dyn_text[] =
	"# HELP encdyn_rx_packets_total Packets received\n"
	"# TYPE encdyn_rx_packets_total counter\n"
	DYN_SAMPLES("encdyn_rx_packets_total", 0)
	"# HELP encdyn_load Load\n"
	"# TYPE encdyn_load gauge\n"
	DYN_LOAD
	"# HELP encdyn_model_info Model\n"
	"# TYPE encdyn_model_info gauge\n"
	DYN_MODEL
	"# HELP encdyn_rtt_seconds Round trips\n"
	"# TYPE encdyn_rtt_seconds histogram\n"
	DYN_RTT(L_ETH) DYN_RTT(L_LO) DYN_RTT(L_Q);

static const char dyn_om[] =
	"# TYPE encdyn_rx_packets counter\n"
	"# HELP encdyn_rx_packets Packets received\n"
	DYN_SAMPLES("encdyn_rx_packets_total", 0)
	"# TYPE encdyn_load gauge\n"
	"# HELP encdyn_load Load\n"
	DYN_LOAD
	"# TYPE encdyn_model info\n"
	"# HELP encdyn_model Model\n"
	DYN_MODEL
	"# TYPE encdyn_rtt_seconds histogram\n"
	"# UNIT encdyn_rtt_seconds seconds\n"
	"# HELP encdyn_rtt_seconds Round trips\n"
	DYN_RTT_OM(L_ETH) DYN_RTT_OM(L_LO) DYN_RTT_OM(L_Q)
	"# EOF\n";

UK_TEST(enc_static_text)
{
	enc_fixture_setup();
	encode(UK_PROM_FMT_TEXT, lib_int, BUFSZ - 1, out);
	UK_TEST_STREQ(out, int_text);
}

UK_TEST(enc_static_openmetrics)
{
	enc_fixture_setup();
	encode(UK_PROM_FMT_OPENMETRICS, lib_int, BUFSZ - 1, out);
	UK_TEST_STREQ(out, int_om);
}

UK_TEST(enc_folders_text)
{
	enc_fixture_setup();
	encode(UK_PROM_FMT_TEXT, lib_dyn, BUFSZ - 1, out);
	UK_TEST_STREQ(out, dyn_text);
}

UK_TEST(enc_folders_openmetrics)
{
	enc_fixture_setup();
	encode(UK_PROM_FMT_OPENMETRICS, lib_dyn, BUFSZ - 1, out);
	UK_TEST_STREQ(out, dyn_om);
}

UK_TEST(enc_empty)
{
	static const char *const none[] = { "no_such_library", NULL };
	static const char *const nothing[] = { NULL };

	UK_TEST_EQ(encode(UK_PROM_FMT_TEXT, none, 100, out), 0);
	UK_TEST_EQ(encode(UK_PROM_FMT_OPENMETRICS, none, 100, out), 6);
	UK_TEST_STREQ(out, "# EOF\n");
	UK_TEST_EQ(encode(UK_PROM_FMT_OPENMETRICS, nothing, 1, out), 6);
	UK_TEST_STREQ(out, "# EOF\n");
}

/* Both libraries, each chunk size, both formats: always the same bytes. */
UK_TEST(enc_chunks)
{
	static const char *const both[] = { "encdyn", "encint", "encfail",
					    "enclong", NULL };
	static const size_t sizes[] = { 1, 2, 3, 7, 64, 511, 512, 513, 4096 };
	unsigned int i, f;

	enc_fixture_setup();
	for (f = 0; f < 2; f++) {
		size_t len = encode(f, both, BUFSZ - 1, out);

		UK_TEST_ASSERT(len > 2000);
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			size_t l2 = encode(f, both, sizes[i], out2);

			UK_TEST_EQ(l2, len);
			UK_TEST_ASSERT(!memcmp(out, out2, len));
		}
	}
}

/* ---- failures ------------------------------------------------------- */

UK_STORE_LIBRARY(encfail);

static int get_ok(void *c, uint64_t *out)
{
	*out = 5;
	return 0;
}

static int get_eio(void *c, uint64_t *out)
{
	return -EIO;
}

static const double bad_le[] = { 1, 1, 3 };
static const double good_le[] = { 1, 2, 3 };

static int get_hist_over(void *c, struct uk_store_hist_val *h)
{
	h->nbuckets = UK_STORE_HIST_MAX_BUCKETS + 1;
	h->le = good_le;
	return 0;
}

static int get_hist_le(void *c, struct uk_store_hist_val *h)
{
	h->nbuckets = 3;
	h->le = bad_le;
	h->count = 0;
	return 0;
}

static int get_hist_cum(void *c, struct uk_store_hist_val *h)
{
	h->nbuckets = 3;
	h->le = good_le;
	h->cum[0] = 2;
	h->cum[1] = 1;
	h->cum[2] = 4;
	h->count = 4;
	return 0;
}

static int get_hist_count(void *c, struct uk_store_hist_val *h)
{
	h->nbuckets = 3;
	h->le = good_le;
	h->cum[0] = 1;
	h->cum[1] = 2;
	h->cum[2] = 4;
	h->count = 3;
	h->sum = 1;
	return 0;
}

static int get_null_str(void *c, const char **out)
{
	*out = NULL;
	return 0;
}

/*
 * GCC lays static entries of one section out in reverse order of
 * definition, so they are defined last first to read naturally.
 */
UK_STORE_STATIC_ENTRY(encfail, s, str, info, none, "null string",
		      get_null_str, NULL, NULL);
UK_STORE_STATIC_ENTRY(encfail, h4, hist, histogram, none, "count < cum",
		      get_hist_count, NULL, NULL);
UK_STORE_STATIC_ENTRY(encfail, h3, hist, histogram, none, "cum goes down",
		      get_hist_cum, NULL, NULL);
UK_STORE_STATIC_ENTRY(encfail, h2, hist, histogram, none, "le repeats",
		      get_hist_le, NULL, NULL);
UK_STORE_STATIC_ENTRY(encfail, h1, hist, histogram, none, "too many",
		      get_hist_over, NULL, NULL);
UK_STORE_STATIC_ENTRY(encfail, c, u64, gauge, none, "last", get_ok, NULL,
		      NULL);
UK_STORE_STATIC_ENTRY(encfail, b, u64, gauge, none, "broken", get_eio, NULL,
		      NULL);
UK_STORE_STATIC_ENTRY(encfail, a, u64, gauge, none, "first", get_ok, NULL,
		      NULL);

UK_TEST(enc_getter_failures)
{
	static const char *const libs[] = { "encfail", NULL };
	static const char expect[] =
		"# HELP encfail_a first\n# TYPE encfail_a gauge\nencfail_a 5\n"
		"# HELP encfail_b broken\n# TYPE encfail_b gauge\n"
		"# HELP encfail_c last\n# TYPE encfail_c gauge\nencfail_c 5\n"
		"# HELP encfail_h1 too many\n# TYPE encfail_h1 histogram\n"
		"# HELP encfail_h2 le repeats\n# TYPE encfail_h2 histogram\n"
		"# HELP encfail_h3 cum goes down\n"
		"# TYPE encfail_h3 histogram\n"
		"# HELP encfail_h4 count < cum\n# TYPE encfail_h4 histogram\n"
		"# HELP encfail_s_info null string\n"
		"# TYPE encfail_s_info gauge\n"
		"encfail_s_info{value=\"\"} 1\n";
	struct uk_store_value total, after;
	int have_total = !uk_store_read_path("ukprom/getter_errors", &total);
	struct uk_prom_enc e;
	size_t len = 0, n;

	uk_prom_enc_init_filter(&e, UK_PROM_FMT_TEXT, libs);
	while ((n = uk_prom_enc_read(&e, out + len, 100)) > 0)
		len += n;
	out[len] = '\0';
	UK_TEST_STREQ(out, expect);
	/* The store reads a NULL string as "", so that is no failure. */
	UK_TEST_EQ(e.getter_errors, 5);
	UK_TEST_EQ(e.bytes, len);
	/* The pure encoder publishes nothing (the exporter adds these up;
	 * a kernel image without the exporter has no such entry). */
	if (have_total)
		UK_TEST_EXPECT(!uk_store_read_path("ukprom/getter_errors",
						   &after) &&
			       after.u == total.u);
	uk_prom_enc_fini(&e);
}

/* ---- long records: a HELP and an info value beyond the line buffer --- */

UK_STORE_LIBRARY(enclong);

static char long_str[3000];

static int get_long(void *c, const char **out)
{
	*out = long_str;
	return 0;
}

#define H10 "help text\\"
#define H100 H10 H10 H10 H10 H10 H10 H10 H10 H10 H10
UK_STORE_STATIC_ENTRY(enclong, big, str, info, none,
		      H100 H100 H100 H100 H100 H100 H100, get_long, NULL,
		      NULL);

UK_TEST(enc_long_records)
{
	static const char *const libs[] = { "enclong", NULL };
	char *p;
	size_t len, i;

	for (i = 0; i < sizeof(long_str) - 1; i++)
		long_str[i] = "ab\"\n"[i % 4];
	len = encode(UK_PROM_FMT_TEXT, libs, BUFSZ - 1, out);
	/* HELP: 700 chars, 70 backslashes doubled. */
	UK_TEST_ASSERT(!strncmp(out, "# HELP enclong_big_info help text\\\\",
				35));
	p = strchr(out, '\n');
	UK_TEST_ASSERT(p != NULL);
	UK_TEST_EQ(p - out, 7 + 16 + 1 + 770);
	/* HELP, TYPE, then the sample with 1500 escapes in 2999 chars. */
	UK_TEST_EQ(len, 795 + 30 + 24 + 2999 + 1499 + 5);
	for (i = 1; i < 600; i += 37) {
		size_t l2 = encode(UK_PROM_FMT_TEXT, libs, i, out2);

		UK_TEST_EQ(l2, len);
		UK_TEST_ASSERT(!memcmp(out, out2, len));
	}
}

/* ---- UTF-8: label values and strings stay valid ----------------------- */

UK_STORE_LIBRARY(encutf);

static int get_utf_str(void *c, const char **out)
{
	*out = c;
	return 0;
}

/* The unit is ignored: info families have none. */
static const struct uk_store_entry utf_tmpl[] = {
	UK_STORE_ENTRY(s, str, info, bytes, "H\xc3\xa9lp \xff", get_utf_str,
		       NULL, NULL),
};

UK_TEST(enc_utf8)
{
	static const char *const libs[] = { "encutf", NULL };
	static const char *const names[] = {
		"a_caf\xc3\xa9", "b_\xe2\x82\xac\xf0\x9f\x98\x80",
		"c_bad\xff", "d_cut\xe2\x82", "e_over\xc0\xaf",
		"f_surr\xed\xa0\x80" };
	struct uk_store_folder *f[6];
	unsigned int i;

	for (i = 0; i < 6; i++)
		UK_TEST_EQ(uk_store_folder_add(&uk_store_lib_encutf, "k",
						 names[i], utf_tmpl, 1,
						 (void *)"x\xc3\xa9\xfe", NULL,
						 &f[i]), 0);
	encode(UK_PROM_FMT_TEXT, libs, BUFSZ - 1, out);
	for (i = 0; i < 6; i++)
		uk_store_folder_remove(f[i]);
	UK_TEST_STREQ(out,
		"# HELP encutf_s_info H\xc3\xa9lp \xef\xbf\xbd\n"
		"# TYPE encutf_s_info gauge\n"
		"encutf_s_info{k=\"a_caf\xc3\xa9\",value=\"x\xc3\xa9\xef\xbf\xbd\"} 1\n"
		"encutf_s_info{k=\"b_\xe2\x82\xac\xf0\x9f\x98\x80\","
		"value=\"x\xc3\xa9\xef\xbf\xbd\"} 1\n"
		"encutf_s_info{k=\"c_bad\xef\xbf\xbd\",value=\"x\xc3\xa9\xef\xbf\xbd\"} 1\n"
		"encutf_s_info{k=\"d_cut\xef\xbf\xbd\xef\xbf\xbd\","
		"value=\"x\xc3\xa9\xef\xbf\xbd\"} 1\n"
		"encutf_s_info{k=\"e_over\xef\xbf\xbd\xef\xbf\xbd\","
		"value=\"x\xc3\xa9\xef\xbf\xbd\"} 1\n"
		"encutf_s_info{k=\"f_surr\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\","
		"value=\"x\xc3\xa9\xef\xbf\xbd\"} 1\n");
}

UK_STORE_LIBRARY(encval);

static int get_val_u64(void *c, uint64_t *out)
{
	*out = (uint64_t)(uintptr_t)c;
	return 0;
}

static const struct uk_store_entry val_tmpl[] = {
	UK_STORE_ENTRY(reads, u64, counter, none, "Reads.", get_val_u64,
		       NULL, NULL),
};

/* A valued folder prints its label value, not its name (a mountpoint),
 * on the fast path and, past 63 bytes, on the checked one. */
UK_TEST(enc_folder_value)
{
	static const char *const libs[] = { "encval", NULL };
	static const char long_mp[] = "/a/very/long/mountpoint/that/is/longer/"
				      "than/sixty-three/bytes/for/sure";
	struct uk_store_folder *f[3];

	UK_TEST_EQ(uk_store_folder_add_valued(&uk_store_lib_encval,
		   "mountpoint", "-", "/", val_tmpl, 1, (void *)1, NULL,
		   &f[0]), 0);
	UK_TEST_EQ(uk_store_folder_add_valued(&uk_store_lib_encval,
		   "mountpoint", "data", "/data\"x\"", val_tmpl, 1, (void *)2,
		   NULL, &f[1]), 0);
	UK_TEST_EQ(uk_store_folder_add_valued(&uk_store_lib_encval,
		   "mountpoint", "long", long_mp, val_tmpl, 1, (void *)3, NULL,
		   &f[2]), 0);
	encode(UK_PROM_FMT_TEXT, libs, BUFSZ - 1, out);
	uk_store_folder_remove(f[0]);
	uk_store_folder_remove(f[1]);
	uk_store_folder_remove(f[2]);
	UK_TEST_STREQ(out,
		"# HELP encval_reads_total Reads.\n"
		"# TYPE encval_reads_total counter\n"
		"encval_reads_total{mountpoint=\"/\"} 1\n"
		"encval_reads_total{mountpoint=\"/data\\\"x\\\"\"} 2\n"
		"encval_reads_total{mountpoint=\"/a/very/long/mountpoint/that/"
		"is/longer/than/sixty-three/bytes/for/sure\"} 3\n");
}

/* ---- allocation ------------------------------------------------------ */

UK_TEST(enc_no_alloc)
{
	static const char *const libs[] = { "encdyn", "encint", "encfail",
					    "enclong", "ukprom", NULL };
	struct uk_alloc_failing fa;
	struct uk_alloc *old;
	size_t a, b;

	enc_fixture_setup();
	uk_alloc_failing_init(&fa, uk_alloc_get_default(), 1, 1);
	old = uk_alloc_set_default(&fa.a);
	a = encode(UK_PROM_FMT_TEXT, libs, 4096, out);
	b = encode(UK_PROM_FMT_OPENMETRICS, libs, 7, out2);
	uk_alloc_set_default(old);
	UK_TEST_ASSERT(a > 1000 && b > 1000);
	UK_TEST_EQ(fa.calls, 0);
}

/* Stopping early releases the folder the cursor holds. */
UK_TEST(enc_stop_early)
{
	struct uk_prom_enc e;
	char b[10];

	enc_fixture_setup();
	uk_prom_enc_init_filter(&e, UK_PROM_FMT_TEXT, lib_dyn);
	UK_TEST_EQ(uk_prom_enc_read(&e, b, sizeof(b)), 10);
	uk_prom_enc_fini(&e);
	UK_TEST_EQ(uk_prom_enc_read(&e, b, sizeof(b)), 0);
	uk_prom_enc_fini(&e);
}

/* ---- number formatting, also in the kernel build ---------------------- */

UK_TEST(enc_fmt_double)
{
	static const struct { double v; const char *s; } c[] = {
		{ 0.1, "0.1" }, { 2.0 / 3, "0.6666666666666666" },
		{ 1e300, "1e+300" }, { 5e-324, "5e-324" }, { -0.0, "-0" },
		{ 1.7976931348623157e308, "1.7976931348623157e+308" },
		{ 2.2250738585072014e-308, "2.2250738585072014e-308" },
		{ 123.456, "123.456" }, { 1e-5, "1e-05" }, { 1e16, "1e+16" },
		{ 9007199254740991.0, "9007199254740991" }, { 0.3, "0.3" },
		{ 2.5e-7, "2.5e-07" }, { 1e23, "1e+23" }, { 0.125, "0.125" },
		{ 7.291122019556398e-304, "7.291122019556398e-304" },
		{ 2.2026630000000002e+20, "2.202663e+20" },
		{ 1099511627776.5, "1099511627776.5" },
	};
	char b[32];
	unsigned int i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		UK_TEST_EQ(uk_num_fmt_double(c[i].v, b), strlen(c[i].s));
		UK_TEST_STREQ(b, c[i].s);
	}
}

/* ---- the same number text in /store and /metrics --------------------- */

UK_STORE_LIBRARY(encnum);

static double encnum_val;

static int encnum_get(void *c, double *out)
{
	*out = encnum_val;
	return 0;
}

UK_STORE_STATIC_ENTRY(encnum, v, dbl, gauge, none, "A double.", encnum_get,
		      NULL, NULL);

/*
 * /store/<path> prints uk_store_value_format()'s text, /metrics the
 * encoder's: for every value, in both formats, the sample's value text
 * must be the store's text exactly.  Tricky values, then random bit
 * patterns.
 */
UK_TEST(enc_same_text_as_store)
{
	static const double tricky[] = {
		0.1, 1e21, 5e-324, 1.0 / 3, 123456789012345680000.0, -0.0,
		0.0, 1e-7, 1e-5, 0.0001, 1e15, 1e16, 9007199254740993.0,
		2.2250738585072014e-308, 1.7976931348623157e308, 2.5e-7, 1e23,
		-1e300, 12.25, 0.3, 2.0 / 3, 1099511627776.5, -4.5e-320,
		__builtin_nan(""), __builtin_inf(), -__builtin_inf(),
	};
	static const char *const libs[] = { "encnum", NULL };
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	struct uk_store_value v;
	char txt[64], want[96];
	int i, k;

	for (i = 0; i < 2000; i++) {
		if (i < (int)(sizeof(tricky) / sizeof(tricky[0]))) {
			encnum_val = tricky[i];
		} else {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			memcpy(&encnum_val, &x, sizeof(x));
		}
		UK_TEST_EQ(uk_store_read_path("encnum/v", &v), 0);
		uk_store_value_format(&v, txt, sizeof(txt));
		for (k = 0; k < 2; k++) {
			encode(k ? UK_PROM_FMT_OPENMETRICS : UK_PROM_FMT_TEXT,
			       libs, BUFSZ - 1, out);
			snprintf(want, sizeof(want), "\nencnum_v %s\n", txt);
			if (!strstr(out, want))
				UK_TEST_STREQ(out, want);
		}
	}
}

/* ---- negotiation ----------------------------------------------------- */

UK_TEST(enc_negotiate)
{
	static const struct { const char *accept; int om; } c[] = {
		{ NULL, 0 },
		{ "", 0 },
		{ "*/*", 0 },
		{ "text/plain", 0 },
		{ "application/openmetrics-text", 1 },
		{ "application/openmetrics-text; version=1.0.0", 1 },
		{ "application/openmetrics-text;version=0.0.1", 0 },
		{ "application/openmetrics-text;version=1.0.0,"
		  "application/openmetrics-text;version=0.0.1;q=0.75,"
		  "text/plain;version=0.0.4;q=0.5,*/*;q=0.1", 1 },
		{ "application/openmetrics-text;q=0.5,text/plain;q=0.5", 0 },
		{ "application/openmetrics-text;q=0.6,text/plain;q=0.5", 1 },
		{ "text/plain;q=0.9, application/openmetrics-text;q=0.8", 0 },
		{ "application/openmetrics-text;q=0", 0 },
		{ "application/openmetrics-text;q=0,*/*", 0 },
		{ "text/plain;q=0, application/openmetrics-text;q=0.001", 1 },
		{ "text/plain;q=0,*/*;q=0.5,application/openmetrics-text;"
		  "q=0.2", 1 },
		{ "text/*;q=0.1, application/*", 1 },
		{ "APPLICATION/OpenMetrics-Text ; Version=\"1.0.0\" ; Q=1", 1 },
		{ "application/openmetrics-text;q=2", 0 },
		{ "application/openmetrics-text;q=0.5x", 0 },
		{ "application/openmetrics-text;q=", 0 },
		{ "application/openmetrics-text;q=0.1234", 0 },
		{ "text/html, application/json", 0 },
		{ ";;;,,,/;=\"\\", 0 },
		{ "application/openmetrics-text;foo=\"a,b;c\";q=0.9,"
		  "text/plain;q=0.8", 1 },
		{ "application/openmetrics-text;foo=\"unterminated", 1 },
		{ "application/openmetrics-text;;=;q=1;", 1 },
		{ "application/openmetrics-text/x", 0 },
		{ "application", 0 },
		{ "application/", 0 },
		{ "/openmetrics-text", 0 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		int got = uk_prom_negotiate(c[i].accept) ==
			  UK_PROM_FMT_OPENMETRICS;

		if (got != c[i].om)
			uk_test_log("case %u: \"%s\"", i,
				    c[i].accept ? c[i].accept : "(null)");
		UK_TEST_EQ(got, c[i].om);
	}
}
