/*
 * libFuzzer target: a region allocator driven by the input.  Every 4
 * bytes are one operation (malloc, memalign, realloc or free on one of
 * 64 slots, with a size and alignment from the bytes).  Live blocks hold
 * a pattern checked on every free and realloc, alignment is checked on
 * every allocation, and uk_alloc_region_check() runs at the end, with
 * the statistics matched against the live blocks.  A broken invariant
 * aborts (or panics inside the allocator), which the fuzzer reports.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/alloc.h>

#define SLOTS 64

static char fmem[2u << 20] __attribute__((aligned(4096)));

struct slot {
	unsigned char *p;
	size_t n;
	unsigned char tag;
};

static void need(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_region: %s\n", what);
		abort();
	}
}

static int intact(const struct slot *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->p[i] != s->tag)
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	struct slot sl[SLOTS];
	struct uk_alloc *a = uk_alloc_region_create(fmem, sizeof(fmem));
	uint64_t t, f, live = 0;
	size_t i, k;

	need(a != NULL, "create");
	uk_alloc_region_set_junk(a, d && size && (d[0] & 1));
	memset(sl, 0, sizeof(sl));
	for (i = 0; i + 4 <= size; i += 4) {
		struct slot *s = &sl[d[i] % SLOTS];
		unsigned op = d[i] / SLOTS;
		/* Mostly small sizes; now and then up to a MiB. */
		size_t n = d[i + 3] % 8 ? (size_t)(d[i + 1] | d[i + 2] << 8) >>
			(d[i + 3] % 8 * 2) : (size_t)d[i + 1] << (d[i + 2] % 13);
		size_t align = (size_t)1 << (d[i + 3] / 8 % 20);
		unsigned char *q;

		if (s->p)
			need(intact(s), "block contents changed");
		switch (op) {
		case 0: /* free */
			uk_free(a, s->p);
			s->p = NULL;
			continue;
		case 1: /* realloc */
			if (!s->p)
				break;
			q = uk_realloc(a, s->p, n);
			if (!q)
				continue;
			s->p = q;
			s->n = n < s->n ? n : s->n;
			need(intact(s), "realloc lost the contents");
			s->p = q;
			s->n = n;
			s->tag = d[i + 1];
			memset(q, s->tag, n);
			continue;
		case 2: /* memalign */
			uk_free(a, s->p);
			s->p = a->memalign(a, align, n);
			need(!s->p || (uintptr_t)s->p % align == 0,
			     "misaligned");
			break;
		default:
			uk_free(a, s->p);
			s->p = uk_malloc(a, n);
			need(!s->p || (uintptr_t)s->p % 16 == 0, "misaligned");
			break;
		}
		if (!s->p)
			continue;
		need((char *)s->p >= fmem &&
		     (char *)s->p + n <= fmem + sizeof(fmem), "outside");
		s->n = n;
		s->tag = d[i + 2];
		memset(s->p, s->tag, n);
	}
	for (k = 0; k < SLOTS; k++)
		if (sl[k].p) {
			need(intact(&sl[k]), "block contents changed");
			live += uk_alloc_region_usable(a, sl[k].p);
		}
	need(uk_alloc_region_check(a) == 0, "region check");
	need(a->stats.bytes_in_use == live, "bytes_in_use");
	for (k = 0; k < SLOTS; k++)
		uk_free(a, sl[k].p);
	need(!uk_alloc_region_pages(a, &t, &f) && t == f, "pages leaked");
	need(a->stats.allocs == a->stats.frees, "allocs != frees");
	return 0;
}
