/*
 * bench-enc: the encoder's cost per series.  It builds the bench set
 * (benchset.h), encodes the whole store into a 16 KiB buffer repeatedly
 * (text format, as a scrape would, and OpenMetrics) and prints the
 * median and best cost per series next to a naive snprintf("%.17g")
 * rendering of the same series as a reference, plus the cost of
 * formatting one double both ways.  It counts
 * allocations during encoding in two places: the uk_alloc default (a
 * counting wrapper) and libc itself, by interposing malloc, calloc,
 * realloc and free here and forwarding to glibc's __libc_* functions.
 * Usage: bench-enc [N folders]; exits non-zero if encoding allocated.
 *
 * bench-enc --scale prints how the costs grow with the set: for 20,000,
 * 100,000 and 1,000,000 series, the encoder's ns per series (median of
 * a few text encodings), the store's bytes per series (folders with
 * their prefix annexes, and classes: uk_store_mem_get()), and the cost
 * of adding and of removing one folder; then each per-series figure at
 * the largest set over the smallest, PASS when within 20% (flat: the
 * costs grow linearly in the series count), MISS otherwise.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <uk/alloc.h>
#include <uk/num.h>
#include <uk/prom.h>

#include "benchset.h"

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);

static int counting;
static uint64_t libc_calls;

static void note_call(void)
{
	if (__atomic_load_n(&counting, __ATOMIC_RELAXED))
		__atomic_add_fetch(&libc_calls, 1, __ATOMIC_RELAXED);
}

/* libc's allocator, counted while the benchmark encodes. */
void *malloc(size_t size)
{
	note_call();
	return __libc_malloc(size);
}

/* libc's calloc, counted. */
void *calloc(size_t n, size_t size)
{
	note_call();
	return __libc_calloc(n, size);
}

/* libc's realloc, counted. */
void *realloc(void *p, size_t size)
{
	note_call();
	return __libc_realloc(p, size);
}

/* libc's free, counted. */
void free(void *p)
{
	if (p)
		note_call();
	__libc_free(p);
}

#define CHUNK 16384
#define RUNS 15

static char buf[CHUNK];

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorts v and returns its median (v[0] is then the best). */
static uint64_t median(uint64_t *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_u64);
	return v[n / 2];
}

/* One full encoding; returns the bytes produced. */
static size_t encode_once(enum uk_prom_format fmt)
{
	struct uk_prom_enc e;
	size_t total = 0, n;

	uk_prom_enc_init(&e, fmt);
	while ((n = uk_prom_enc_read(&e, buf, sizeof(buf))) > 0)
		total += n;
	uk_prom_enc_fini(&e);
	return total;
}

/* The reference: the same lines with snprintf and %.17g. */
static size_t naive_once(unsigned int n)
{
	size_t off = 0, total = 0;
	unsigned int i;
	int k;

	for (k = 0; k < 2; k++)
		for (i = 0; i < n; i++) {
			int len;

			if (CHUNK - off < 256) {
				total += off;
				off = 0;
			}
			len = k ? snprintf(buf + off, CHUNK - off,
					   "bench_gauge{id=\"%u\"} %.17g\n",
					   i, (double)i * 0.25)
				: snprintf(buf + off, CHUNK - off,
					   "bench_counter_total{id=\"%u\"} "
					   "%.17g\n", i, (double)i);
			off += (size_t)len;
		}
	return total + off;
}

/* Checks a few lines of a full encoding against the set's definition. */
static int sanity(unsigned int n)
{
	static char all[8 << 20];
	struct uk_prom_enc e;
	size_t len = 0, k;
	char want[96];

	uk_prom_enc_init(&e, UK_PROM_FMT_TEXT);
	while (len + CHUNK < sizeof(all) &&
	       (k = uk_prom_enc_read(&e, all + len, CHUNK)) > 0)
		len += k;
	uk_prom_enc_fini(&e);
	all[len] = '\0';
	snprintf(want, sizeof(want), "\nbench_counter_total{id=\"%u\"} %u\n",
		 n - 1, n - 1);
	if (!strstr(all, want))
		return -1;
	snprintf(want, sizeof(want), "\nbench_gauge{id=\"%u\"} %.17g\n", 3u,
		 0.75);
	return strstr(all, want) ? 0 : -1;
}

static void bench_doubles(void)
{
	enum { NV = 1 << 20 };
	static double v[NV];
	uint64_t x = 88172645463325252ULL, t0, t1, t2;
	uint64_t best_ours = UINT64_MAX, best_libc = UINT64_MAX;
	size_t sink = 0;
	char b[40];
	int i, r;

	for (i = 0; i < NV; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* Metric-like values: a few digits, some fractions. */
		v[i] = (double)(x % 100000000) / (double)(1 << (x >> 60));
	}
	/* Best of a few passes each. */
	for (r = 0; r < 5; r++) {
		t0 = now_ns();
		for (i = 0; i < NV; i++)
			sink += (size_t)uk_num_fmt_double(v[i], b);
		t1 = now_ns();
		for (i = 0; i < NV; i++)
			sink += (size_t)snprintf(b, sizeof(b), "%.17g", v[i]);
		t2 = now_ns();
		if (t1 - t0 < best_ours)
			best_ours = t1 - t0;
		if (t2 - t1 < best_libc)
			best_libc = t2 - t1;
	}
	printf("one double (8-digit values /2^0..15): uk_num_fmt_double "
	       "%.1f ns, snprintf(%%.17g) %.1f ns (checksum %zu)\n",
	       (double)best_ours / NV, (double)best_libc / NV, sink);
}

/* One scale point: n folders (2n series). */
struct scale_pt {
	unsigned int n;
	double enc_ns, bytes, add_ns, rm_ns, annex;
};

static int scale_one(struct scale_pt *pt, int runs)
{
	uint64_t t[RUNS], t0;
	struct uk_store_mem m;
	int i, rc;

	t0 = now_ns();
	rc = bench_set_create(pt->n);
	if (rc) {
		fprintf(stderr, "bench-enc: bench_set_create(%u): %d\n", pt->n,
			rc);
		return -1;
	}
	pt->add_ns = (double)(now_ns() - t0) / pt->n;
	uk_store_mem_get(&m);
	pt->bytes = (double)(m.folder_bytes + m.class_bytes) / (2.0 * pt->n);
	pt->annex = (double)m.annex_bytes / (2.0 * pt->n);
	encode_once(UK_PROM_FMT_TEXT);
	for (i = 0; i < runs; i++) {
		t0 = now_ns();
		encode_once(UK_PROM_FMT_TEXT);
		t[i] = now_ns() - t0;
	}
	pt->enc_ns = (double)median(t, runs) / (2.0 * pt->n);
	t0 = now_ns();
	bench_set_destroy();
	pt->rm_ns = (double)(now_ns() - t0) / pt->n;
	return 0;
}

static void verdict(const char *what, double small, double big)
{
	double r = big / small;

	printf("  %-34s 1M/20k = %.2f  %s\n", what, r,
	       r <= 1.2 ? "PASS" : "MISS (grows faster than linearly)");
}

/* bench-enc --scale: see the top of the file. */
static int scale(void)
{
	struct scale_pt pt[3] = { { .n = 10000 }, { .n = 50000 },
				  { .n = 500000 } };
	int i;

	printf("scale: series  encoder ns/series  store bytes/series "
	       "(prefixes)  add ns/folder  remove ns/folder\n");
	for (i = 0; i < 3; i++) {
		if (scale_one(&pt[i], i == 2 ? 5 : 9))
			return 1;
		printf("scale: %7u  %17.1f  %18.1f (%8.1f)  %13.0f  %16.0f\n",
		       2 * pt[i].n, pt[i].enc_ns, pt[i].bytes, pt[i].annex,
		       pt[i].add_ns, pt[i].rm_ns);
	}
	verdict("encoder ns per series", pt[0].enc_ns, pt[2].enc_ns);
	verdict("store bytes per series", pt[0].bytes, pt[2].bytes);
	verdict("folder add per folder", pt[0].add_ns, pt[2].add_ns);
	verdict("folder remove per folder", pt[0].rm_ns, pt[2].rm_ns);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int n = argc > 1 ? (unsigned int)atoi(argv[1])
				  : BENCHSET_DEFAULT_N;
	uint64_t enc[RUNS], om[RUNS], naive[RUNS], t0;
	uint64_t med_enc, med_om, med_naive;
	struct uk_alloc_failing fa;
	struct uk_alloc *old;
	unsigned int series;
	size_t bytes = 0;
	int rc, i;

	if (argc > 1 && !strcmp(argv[1], "--scale"))
		return scale();
	rc = bench_set_create(n);
	if (rc) {
		fprintf(stderr, "bench-enc: bench_set_create: %d\n", rc);
		return 1;
	}
	series = bench_set_series();
	if (sanity(n)) {
		fprintf(stderr, "bench-enc: the encoding is not as expected\n");
		return 1;
	}
	encode_once(UK_PROM_FMT_TEXT);

	uk_alloc_failing_init(&fa, uk_alloc_get_default(), 0, 0);
	old = uk_alloc_set_default(&fa.a);
	__atomic_store_n(&counting, 1, __ATOMIC_RELAXED);
	for (i = 0; i < RUNS; i++) {
		t0 = now_ns();
		bytes = encode_once(UK_PROM_FMT_TEXT);
		enc[i] = now_ns() - t0;
		t0 = now_ns();
		encode_once(UK_PROM_FMT_OPENMETRICS);
		om[i] = now_ns() - t0;
	}
	__atomic_store_n(&counting, 0, __ATOMIC_RELAXED);
	uk_alloc_set_default(old);
	for (i = 0; i < RUNS; i++) {
		t0 = now_ns();
		naive_once(n);
		naive[i] = now_ns() - t0;
	}

	/* Sort first: each array's [0] is then its best run. */
	med_enc = median(enc, RUNS);
	med_om = median(om, RUNS);
	med_naive = median(naive, RUNS);
	printf("series: %u (%u folders), body %zu bytes, chunk %d bytes, "
	       "median of %d runs\n", series, n, bytes, CHUNK, RUNS);
	/* The best run too: other processes inflate the median. */
	printf("ukprom encoder, text: %.1f ns/series median, %.1f best "
	       "(%.2f ms per scrape)\n", (double)med_enc / series,
	       (double)enc[0] / series, (double)med_enc / 1e6);
	printf("ukprom encoder, OpenMetrics: %.1f ns/series median, %.1f "
	       "best\n", (double)med_om / series, (double)om[0] / series);
	printf("naive snprintf(%%.17g): %.1f ns/series median, %.1f best "
	       "(%.2f ms)\n", (double)med_naive / series,
	       (double)naive[0] / series, (double)med_naive / 1e6);
	bench_doubles();
	printf("allocations while encoding: uk_alloc %llu, libc %llu\n",
	       (unsigned long long)fa.calls,
	       (unsigned long long)libc_calls);
	bench_set_destroy();
	return fa.calls || libc_calls ? 1 : 0;
}
