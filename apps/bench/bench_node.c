/*
 * bench-node: what the node view (lib/node's libraries "node" and
 * "process") costs the encoder, measured in one run: the store of lib/
 * node's test fixture (real allocator, scheduler, VFS mounts, a network
 * and a block device) is encoded in the text format (a) without the
 * node view (every other library), (b) with it, and (c) the node view
 * alone, each many times; it prints the median time per encoding and
 * per series of each, and the node view's share of a scrape.  Usage:
 * bench-node [rounds].
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <uk/prom.h>
#include <uk/store.h>

#include "../../lib/node/tests/fixture.h"

#define MAXLIBS 32

static const char *native[MAXLIBS + 1], *with[MAXLIBS + 3];
static const char *const view[] = { "node", "process", NULL };
static char names[MAXLIBS][64];
static unsigned int nlibs;

static int add_lib(void *arg, const char *name, int dir)
{
	if (!strcmp(name, "node") || !strcmp(name, "process") ||
	    nlibs == MAXLIBS)
		return 0;
	snprintf(names[nlibs], sizeof(names[nlibs]), "%s", name);
	native[nlibs] = with[nlibs] = names[nlibs];
	nlibs++;
	return 0;
}

static char buf[16384];

/* One encoding of libs, as a scrape makes it: into a 16 KiB window. */
static void encode(const char *const *libs)
{
	struct uk_prom_enc e;

	uk_prom_enc_init_filter(&e, UK_PROM_FMT_TEXT, libs);
	while (uk_prom_enc_read(&e, buf, sizeof(buf)) > 0)
		;
}

/* The series (samples) of an encoding of libs, counted untimed. */
static unsigned int count(const char *const *libs)
{
	struct uk_prom_enc e;
	unsigned int series = 0;
	int bol = 1;
	size_t n, i;

	uk_prom_enc_init_filter(&e, UK_PROM_FMT_TEXT, libs);
	while ((n = uk_prom_enc_read(&e, buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++) {
			if (bol && buf[i] != '#')
				series++;
			bol = buf[i] == '\n';
		}
	return series;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Median ns of an encoding of libs over rounds; *series set. */
static uint64_t median(const char *const *libs, unsigned int rounds,
		       uint64_t *t, unsigned int *series)
{
	unsigned int r;

	*series = count(libs);
	for (r = 0; r < rounds; r++) {
		uint64_t t0 = now_ns();

		encode(libs);
		t[r] = now_ns() - t0;
	}
	qsort(t, rounds, sizeof(t[0]), cmp);
	return t[rounds / 2];
}

int main(int argc, char **argv)
{
	unsigned int rounds = argc > 1 ? (unsigned int)atoi(argv[1]) : 2000;
	unsigned int sa, sb, sc, i;
	uint64_t *t, a, b, c;

	if (rounds < 1 || fixture_setup()) {
		fprintf(stderr, "bench-node: setup failed\n");
		return 1;
	}
	uk_store_list("", add_lib, NULL);
	with[nlibs] = "node";
	with[nlibs + 1] = "process";
	t = malloc(rounds * sizeof(*t));
	if (!t)
		return 1;
	/* Interleave the three so that drift hits them alike. */
	a = b = c = 0;
	for (i = 0; i < 3; i++) {
		a += median(native, rounds, t, &sa);
		b += median(with, rounds, t, &sb);
		c += median(view, rounds, t, &sc);
	}
	a /= 3;
	b /= 3;
	c /= 3;
	printf("bench-node: text encoding, median of %u rounds x3\n", rounds);
	printf("  without the node view: %4u series %8.1f us %6.1f ns/series\n",
	       sa, a / 1e3, (double)a / sa);
	printf("  with the node view:    %4u series %8.1f us %6.1f ns/series\n",
	       sb, b / 1e3, (double)b / sb);
	printf("  the node view alone:   %4u series %8.1f us %6.1f ns/series\n",
	       sc, c / 1e3, (double)c / sc);
	printf("  the node view adds %.1f us per scrape (%.2fx)\n",
	       ((double)b - (double)a) / 1e3, (double)b / (double)a);
	free(t);
	return 0;
}
