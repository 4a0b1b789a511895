/*
 * Tests of the region allocator, shared by the linuxu test (test-ukalloc,
 * under ASan/UBSan) and the kernel image (alloc-test).  The region is a
 * static, page-aligned array, so both platforms run the same code and a
 * test may read freed memory (it is the test's own array) to see the
 * junk fill.  Random operations come from a fixed-seed generator and are
 * checked against a shadow model: every live block carries a pattern
 * derived from its slot and generation, checked on free and in sweeps,
 * so overlap or corruption shows as a wrong byte.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/test.h>

#define MEM_SIZE (8u << 20)
#define PAGE 4096u

static char mem[MEM_SIZE] __attribute__((aligned(4096)));

static uint64_t rng = 0x243f6a8885a308d3ULL;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static size_t rndn(size_t n)
{
	return (size_t)(rnd() % n);
}

/* Mixed sizes: mostly small, some around page sizes, a few large. */
static size_t rnd_size(void)
{
	switch (rndn(10)) {
	case 0: return rndn(17);
	case 1: case 2: case 3: return 1 + rndn(128);
	case 4: case 5: return 1 + rndn(1024);
	case 6: return 1 + rndn(3584);
	case 7: return 3000 + rndn(6000);
	case 8: return PAGE * (1 + rndn(4)) + rndn(3) - 1;
	default: return 1 + rndn(64 * 1024);
	}
}

static uint64_t pages_free(struct uk_alloc *a)
{
	uint64_t t, f;

	UK_ASSERT(!uk_alloc_region_pages(a, &t, &f));
	return f;
}

static uint64_t pages_total(struct uk_alloc *a)
{
	uint64_t t, f;

	UK_ASSERT(!uk_alloc_region_pages(a, &t, &f));
	return t;
}

static int in_mem(const void *p, size_t n)
{
	return (const char *)p >= mem && (const char *)p + n <= mem + MEM_SIZE;
}

static uint8_t pat(size_t slot, uint32_t gen, size_t i)
{
	return (uint8_t)(slot * 31 + gen * 7 + i * 13 + (i >> 8));
}

static void fill(void *p, size_t n, size_t slot, uint32_t gen)
{
	uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = pat(slot, gen, i);
}

static int intact(const void *p, size_t n, size_t slot, uint32_t gen)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != pat(slot, gen, i))
			return 0;
	return 1;
}

UK_TEST(region_create)
{
	struct uk_alloc *a;
	uint64_t total;

	UK_TEST_ASSERT(uk_alloc_region_create(mem, 1000) == NULL);
	UK_TEST_ASSERT(uk_alloc_region_create(NULL, MEM_SIZE) == NULL);
	/* An odd base works: state and pages are aligned inside. */
	a = uk_alloc_region_create(mem + 13, MEM_SIZE - 13);
	UK_TEST_ASSERT(a != NULL);
	UK_TEST_ASSERT(uk_alloc_is_region(a));
	total = pages_total(a);
	UK_TEST_ASSERT(total > MEM_SIZE / PAGE - 32 && total < MEM_SIZE / PAGE);
	UK_TEST_EQ(pages_free(a), total);
	UK_TEST_EQ(uk_alloc_region_check(a), 0);
	UK_TEST_EQ(a->stats.allocs, 0);
	UK_TEST_EQ(a->stats.bytes_in_use, 0);
	/* The smallest region that works has a page or two. */
	a = uk_alloc_region_create(mem, 3 * PAGE);
	UK_TEST_ASSERT(a != NULL);
	UK_TEST_ASSERT(pages_total(a) >= 1);
	UK_TEST_ASSERT(uk_malloc(a, 100) != NULL);
	UK_TEST_EQ(uk_alloc_region_check(a), 0);
}

UK_TEST(region_sizes)
{
	struct uk_alloc *a = uk_alloc_region_create(mem, MEM_SIZE);
	static void *p[3000];
	size_t s;

	UK_TEST_ASSERT(a != NULL);
	for (s = 0; s < 3000; s++) {
		size_t u;

		p[s] = uk_malloc(a, s);
		UK_TEST_ASSERT(p[s] != NULL);
		UK_TEST_ASSERT(in_mem(p[s], s));
		UK_TEST_EQ((uintptr_t)p[s] % 16, 0);
		u = uk_alloc_region_usable(a, p[s]);
		UK_TEST_ASSERT(u >= s && u >= 1);
		/* Classes waste at most a quarter (pages: under a page). */
		UK_TEST_ASSERT(s <= 16 || s > 3584 || u <= s + s / 4 + 16);
		fill(p[s], s, s, 0);
	}
	UK_TEST_EQ(uk_alloc_region_check(a), 0);
	for (s = 0; s < 3000; s++) {
		UK_TEST_ASSERT(intact(p[s], s, s, 0));
		uk_free(a, p[s]);
	}
	UK_TEST_EQ(a->stats.bytes_in_use, 0);
	UK_TEST_EQ(a->stats.allocs, 3000);
	UK_TEST_EQ(a->stats.frees, 3000);
	UK_TEST_EQ(pages_free(a), pages_total(a));
	UK_TEST_EQ(uk_alloc_region_check(a), 0);
	uk_free(a, NULL);
}

#define SLOTS 1500

struct slot {
	char *p;
	size_t n;
	uint32_t gen;
};

UK_TEST(region_random_shadow)
{
	static struct slot sl[SLOTS];
	struct uk_alloc *a = uk_alloc_region_create(mem, MEM_SIZE);
	long ops = 200000, i, fails = 0, reallocs = 0;
	uint64_t allocs = 0, frees = 0, live_bytes = 0;
	size_t k;

	UK_TEST_ASSERT(a != NULL);
	memset(sl, 0, sizeof(sl));
	for (i = 0; i < ops; i++) {
		struct slot *s = &sl[rndn(SLOTS)];
		size_t slot = (size_t)(s - sl);

		if (!s->p) {
			size_t n = rnd_size();

			s->p = rndn(8) ? uk_malloc(a, n) :
				uk_calloc(a, 1, n);
			if (!s->p) {
				fails++;
				continue;
			}
			allocs++;
			UK_TEST_ASSERT(in_mem(s->p, n));
			s->n = n;
			s->gen++;
			fill(s->p, n, slot, s->gen);
			live_bytes += uk_alloc_region_usable(a, s->p);
		} else if (rndn(4)) {
			UK_TEST_ASSERT(intact(s->p, s->n, slot, s->gen));
			live_bytes -= uk_alloc_region_usable(a, s->p);
			uk_free(a, s->p);
			frees++;
			s->p = NULL;
		} else {
			size_t n = rnd_size(), keep = n < s->n ? n : s->n;
			size_t old = uk_alloc_region_usable(a, s->p);
			char *q = uk_realloc(a, s->p, n);

			if (!q) {
				fails++;
				UK_TEST_ASSERT(intact(s->p, s->n, slot, s->gen));
				continue;
			}
			reallocs++;
			UK_TEST_ASSERT(intact(q, keep, slot, s->gen));
			live_bytes += uk_alloc_region_usable(a, q) - old;
			s->p = q;
			s->n = n;
			s->gen++;
			fill(q, n, slot, s->gen);
		}
		if (i % 20000 == 0) {
			for (k = 0; k < SLOTS; k++)
				if (sl[k].p)
					UK_TEST_ASSERT(intact(sl[k].p, sl[k].n,
							      k, sl[k].gen));
			UK_TEST_EQ(uk_alloc_region_check(a), 0);
			UK_TEST_EQ(a->stats.bytes_in_use, live_bytes);
		}
	}
	/* No two live blocks overlap (sizes as the allocator sees them). */
	for (k = 0; k < SLOTS; k++) {
		size_t j;

		if (!sl[k].p)
			continue;
		for (j = k + 1; j < SLOTS; j++) {
			size_t uk, uj;

			if (!sl[j].p)
				continue;
			uk = uk_alloc_region_usable(a, sl[k].p);
			uj = uk_alloc_region_usable(a, sl[j].p);
			UK_TEST_ASSERT(sl[k].p + uk <= sl[j].p ||
				       sl[j].p + uj <= sl[k].p);
		}
	}
	for (k = 0; k < SLOTS; k++)
		if (sl[k].p) {
			UK_TEST_ASSERT(intact(sl[k].p, sl[k].n, k, sl[k].gen));
			uk_free(a, sl[k].p);
			frees++;
		}
	UK_TEST_EQ(a->stats.bytes_in_use, 0);
	UK_TEST_ASSERT(a->stats.bytes_peak > 0);
	UK_TEST_EQ(a->stats.failures, (uint64_t)fails);
	UK_TEST_EQ(a->stats.allocs, allocs + (uint64_t)reallocs);
	UK_TEST_EQ(a->stats.frees, frees + (uint64_t)reallocs);
	UK_TEST_EQ(pages_free(a), pages_total(a));
	UK_TEST_EQ(uk_alloc_region_check(a), 0);
	uk_test_log("%ld random operations, %ld reallocs, %ld failed "
		    "(region full), peak %llu KiB", ops, reallocs, fails,
		    (unsigned long long)a->stats.bytes_peak / 1024);
}

UK_TEST(region_exhaustion_recovery)
{
	static void *p[4096];
	struct uk_alloc *a = uk_alloc_region_create(mem, 1u << 20);
	uint64_t total;
	size_t n = 0, i, big;
	void *q;

	UK_TEST_ASSERT(a != NULL);
	total = pages_total(a);
	/* Small objects until the region is full. */
	while (n < 4096 && (p[n] = uk_malloc(a, 1000)) != NULL)
		n++;
	UK_TEST_ASSERT(n < 4096 && n > 200);
	UK_TEST_EQ(a->stats.failures, 1);
	UK_TEST_ASSERT(pages_free(a) < 4);
	UK_TEST_ASSERT(uk_malloc(a, 10 * PAGE) == NULL);
	UK_TEST_EQ(uk_alloc_region_check(a), 0);
	for (i = 0; i < n; i++)
		uk_free(a, p[i]);
	UK_TEST_EQ(pages_free(a), total);
	/* Everything coalesced: one block of nearly the whole region. */
	big = (size_t)(total - 1) * PAGE;
	q = uk_malloc(a, big);
	UK_TEST_ASSERT(q != NULL);
	memset(q, 0x5a, big);
	uk_free(a, q);

	/* Page runs: fill, free every other one, fill the holes again. */
	for (n = 0; n < 4096 && (p[n] = uk_malloc(a, 3 * PAGE)) != NULL; n++)
		;
	/* Buddy blocks of 4 pages, a page given back each: a quarter. */
	UK_TEST_ASSERT(n >= total / 4 - 2);
	for (i = 0; i < n; i += 2)
		uk_free(a, p[i]);
	UK_TEST_ASSERT(pages_free(a) >= (n / 2) * 3);
	for (i = 0; i < n; i += 2) {
		p[i] = uk_malloc(a, 3 * PAGE);
		UK_TEST_ASSERT(p[i] != NULL);
	}
	UK_TEST_EQ(uk_alloc_region_check(a), 0);
	for (i = 0; i < n; i++)
		uk_free(a, p[i]);
	UK_TEST_EQ(pages_free(a), total);
	q = uk_malloc(a, big);
	UK_TEST_ASSERT(q != NULL);
	UK_TEST_ASSERT(uk_malloc(a, 2 * PAGE) == NULL);
	uk_free(a, q);
	UK_TEST_EQ(uk_alloc_region_check(a), 0);
}

UK_TEST(region_empty_slabs_given_back)
{
	static void *p[1024];
	struct uk_alloc *a = uk_alloc_region_create(mem, 1u << 20);
	uint64_t total;
	size_t i, c;

	UK_TEST_ASSERT(a != NULL);
	total = pages_total(a);
	/* One empty slab cached for each of many classes... */
	for (c = 16; c <= 3584; c += 100) {
		for (i = 0; i < 8; i++)
			p[i] = uk_malloc(a, c);
		for (i = 0; i < 8; i++)
			uk_free(a, p[i]);
	}
	UK_TEST_EQ(pages_free(a), total);
	/* ...does not stop a run that needs every page. */
	UK_TEST_ASSERT(uk_malloc(a, (size_t)(total - 1) * PAGE) != NULL);
	UK_TEST_EQ(uk_alloc_region_check(a), 0);
}

UK_TEST(region_alignment)
{
	struct uk_alloc *a = uk_alloc_region_create(mem, MEM_SIZE);
	size_t align, i;
	void *p, *q, *keep[40];

	UK_TEST_ASSERT(a != NULL);
	for (align = 1; align <= 256 * 1024; align <<= 1) {
		for (i = 0; i < 40; i++) {
			size_t n = rndn(3) ? rndn(align * 2 + 1) :
				rnd_size();

			p = a->memalign(a, align, n);
			if (!p)
				uk_test_log("memalign(%zu, %zu) failed", align, n);
			UK_TEST_ASSERT(p != NULL);
			UK_TEST_EQ((uintptr_t)p % align, 0);
			UK_TEST_ASSERT(uk_alloc_region_usable(a, p) >= n);
			memset(p, 0x77, n);
			keep[i] = NULL;
			if (i % 4)
				uk_free(a, p);
			else
				keep[i] = p;
		}
		UK_TEST_EQ(uk_alloc_region_check(a), 0);
		for (i = 0; i < 40; i++)
			uk_free(a, keep[i]);
	}
	UK_TEST_EQ(pages_free(a), pages_total(a));
	/* Alignment from the slow path: a fragmented region. */
	for (i = 0; i < 40; i++)
		keep[i] = uk_malloc(a, 100 * 1024);
	for (i = 0; i < 40; i += 2)
		uk_free(a, keep[i]);
	p = a->memalign(a, 64 * 1024, 20 * 1024);
	UK_TEST_ASSERT(p != NULL && (uintptr_t)p % (64 * 1024) == 0);
	uk_free(a, p);
	for (i = 1; i < 40; i += 2)
		uk_free(a, keep[i]);
	UK_TEST_EQ(uk_posix_memalign(a, &q, 4096, 10), 0);
	UK_TEST_EQ((uintptr_t)q % 4096, 0);
	uk_free(a, q);
	UK_TEST_EQ(uk_posix_memalign(a, &q, 24, 10), -EINVAL);
	UK_TEST_EQ(uk_posix_memalign(a, &q, 4, 10), -EINVAL);
	UK_TEST_ASSERT(a->memalign(a, 48, 10) == NULL);
	UK_TEST_ASSERT(a->memalign(a, (size_t)1 << 63, 10) == NULL);
	UK_TEST_ASSERT(a->memalign(a, 16u << 20, 10) == NULL);
	UK_TEST_ASSERT(uk_malloc(a, (size_t)-1) == NULL);
	UK_TEST_ASSERT(uk_malloc(a, (size_t)-1 - 4095) == NULL);
	UK_TEST_EQ(uk_alloc_region_check(a), 0);
}

UK_TEST(region_realloc)
{
	struct uk_alloc *a = uk_alloc_region_create(mem, MEM_SIZE);
	char *p = NULL, *q;
	size_t n, prev = 0;
	uint64_t before;

	UK_TEST_ASSERT(a != NULL);
	/* Growth keeps the contents. */
	for (n = 1; n <= 300000; n = n * 5 / 4 + 1) {
		q = uk_realloc(a, p, n);
		UK_TEST_ASSERT(q != NULL);
		UK_TEST_ASSERT(intact(q, prev, 1, 1));
		fill(q, n, 1, 1);
		p = q;
		prev = n;
	}
	/* Shrinking a page run gives its tail back and stays in place. */
	before = pages_free(a);
	q = uk_realloc(a, p, 100000);
	UK_TEST_ASSERT(q == p);
	UK_TEST_ASSERT(pages_free(a) > before);
	UK_TEST_ASSERT(intact(q, 100000, 1, 1));
	/* Shrinking to a small size moves to a slab, keeping the prefix. */
	q = uk_realloc(a, q, 100);
	UK_TEST_ASSERT(q != NULL);
	UK_TEST_ASSERT(uk_alloc_region_usable(a, q) < 200);
	UK_TEST_ASSERT(intact(q, 100, 1, 1));
	/* Within the same class: in place. */
	p = uk_realloc(a, q, 90);
	UK_TEST_ASSERT(p == q);
	p = uk_realloc(a, p, 0);
	UK_TEST_ASSERT(p != NULL);
	uk_free(a, p);
	UK_TEST_EQ(a->stats.bytes_in_use, 0);
	UK_TEST_EQ(pages_free(a), pages_total(a));
	/* Too big: NULL, and the old block is untouched. */
	p = uk_malloc(a, 64);
	fill(p, 64, 2, 2);
	UK_TEST_ASSERT(uk_realloc(a, p, (size_t)MEM_SIZE * 2) == NULL);
	UK_TEST_ASSERT(intact(p, 64, 2, 2));
	UK_TEST_EQ(uk_alloc_region_check(a), 0);
}

static int all_junk(const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != UK_ALLOC_JUNK)
			return 0;
	return 1;
}

UK_TEST(region_junk_after_free)
{
	struct uk_alloc *a = uk_alloc_region_create(mem, MEM_SIZE);
	char *p, *q, *r;
	size_t u;

	UK_TEST_ASSERT(a != NULL);
	uk_alloc_region_set_junk(a, 1);
	/* A small object: all of its class size is junk after free. */
	p = uk_malloc(a, 100);
	q = uk_malloc(a, 100);
	u = uk_alloc_region_usable(a, p);
	memset(p, 0x11, u);
	memset(q, 0x22, u);
	uk_free(a, p);
	UK_TEST_ASSERT(all_junk(p, u));
	UK_TEST_EQ(q[0], 0x22); /* the neighbour is left alone */
	/* A page run, and the tail a shrinking realloc gives back. */
	r = uk_malloc(a, 5 * PAGE);
	memset(r, 0x33, 5 * PAGE);
	r = uk_realloc(a, r, 2 * PAGE);
	UK_TEST_ASSERT(all_junk(r + 2 * PAGE, 3 * PAGE));
	UK_TEST_EQ(r[2 * PAGE - 1], 0x33);
	uk_free(a, r);
	UK_TEST_ASSERT(all_junk(r, 2 * PAGE));
	/* A moving realloc junks the old block. */
	p = uk_malloc(a, 40);
	memset(p, 0x44, 40);
	q = uk_realloc(a, p, 2000);
	UK_TEST_ASSERT(q != p);
	UK_TEST_ASSERT(all_junk(p, 48));
	UK_TEST_EQ(q[39], 0x44);
	/* Off: freed memory keeps its bytes. */
	uk_alloc_region_set_junk(a, 0);
	p = uk_malloc(a, 64);
	memset(p, 0x55, 64);
	uk_free(a, p);
	UK_TEST_EQ(p[10], 0x55);
}

UK_TEST(region_stats)
{
	struct uk_alloc *a = uk_alloc_region_create(mem, 1u << 20);
	void *p, *q, *r;

	UK_TEST_ASSERT(a != NULL);
	p = uk_malloc(a, 10);          /* class 16 */
	q = uk_malloc(a, 5000);        /* 2 pages */
	UK_TEST_EQ(a->stats.allocs, 2);
	UK_TEST_EQ(a->stats.bytes_in_use, 16 + 2 * PAGE);
	r = uk_calloc(a, 1, 100);      /* class 112 */
	UK_TEST_EQ(a->stats.bytes_in_use, 16 + 2 * PAGE + 112);
	UK_TEST_ASSERT(uk_malloc(a, 2u << 20) == NULL);
	UK_TEST_ASSERT(uk_calloc(a, (size_t)1 << 40, 1 << 30) == NULL);
	UK_TEST_EQ(a->stats.failures, 1); /* calloc overflow: no call */
	uk_free(a, q);
	UK_TEST_EQ(a->stats.frees, 1);
	UK_TEST_EQ(a->stats.bytes_in_use, 16 + 112);
	UK_TEST_EQ(a->stats.bytes_peak, 16 + 2 * PAGE + 112);
	uk_free(a, p);
	uk_free(a, r);
	UK_TEST_EQ(a->stats.bytes_in_use, 0);
	UK_TEST_EQ(a->stats.allocs, 3);
	UK_TEST_EQ(a->stats.frees, 3);
}

UK_TEST(region_failing_wrapper)
{
	struct uk_alloc *a = uk_alloc_region_create(mem, 1u << 20);
	struct uk_alloc_failing f;
	void *p[8];
	int i;

	UK_TEST_ASSERT(a != NULL);
	uk_alloc_failing_init(&f, a, 3, 0);
	for (i = 0; i < 5; i++)
		p[i] = uk_malloc(&f.a, 100);
	UK_TEST_ASSERT(p[0] && p[1] && !p[2] && p[3] && p[4]);
	UK_TEST_EQ(f.calls, 5);
	UK_TEST_EQ(f.a.stats.failures, 1);
	UK_TEST_EQ(a->stats.allocs, 4);
	UK_TEST_EQ(a->stats.failures, 0);
	for (i = 0; i < 5; i++)
		uk_free(&f.a, p[i]);
	UK_TEST_EQ(a->stats.bytes_in_use, 0);

	/* Sticky: every call from the 2nd on fails, whatever the kind. */
	uk_alloc_failing_init(&f, a, 2, 1);
	p[0] = uk_malloc(&f.a, 10);
	UK_TEST_ASSERT(p[0] != NULL);
	UK_TEST_ASSERT(uk_malloc(&f.a, 10) == NULL);
	UK_TEST_ASSERT(uk_calloc(&f.a, 2, 10) == NULL);
	UK_TEST_ASSERT(uk_realloc(&f.a, p[0], 1000) == NULL);
	UK_TEST_EQ(uk_posix_memalign(&f.a, &p[1], 64, 10), -ENOMEM);
	UK_TEST_EQ(f.calls, 5);
	UK_TEST_EQ(f.a.stats.failures, 4);
	uk_free(&f.a, p[0]);

	/* Never failing: a counter proving a path allocates n times. */
	uk_alloc_failing_init(&f, a, 0, 0);
	p[0] = uk_calloc(&f.a, 4, 4);
	p[0] = uk_realloc(&f.a, p[0], 64);
	UK_TEST_ASSERT(p[0] != NULL);
	uk_free(&f.a, p[0]);
	UK_TEST_EQ(f.calls, 2);
	UK_TEST_EQ(uk_alloc_region_check(a), 0);
	UK_TEST_EQ(a->stats.bytes_in_use, 0);
}

UK_TEST(region_failing_every_nth)
{
	struct uk_alloc *a = uk_alloc_region_create(mem, 1u << 20);
	struct uk_alloc_failing f;
	uint64_t allocs0;
	void *p[10];
	int i;

	UK_TEST_ASSERT(a != NULL);
	p[0] = uk_malloc(a, 100);
	UK_TEST_ASSERT(uk_malloc(a, 2u << 20) == NULL); /* a real failure */
	allocs0 = a->stats.allocs;
	/* The wrapper starts from inner's statistics: as the default, its
	 * counters carry on instead of dropping to zero. */
	uk_alloc_failing_init(&f, a, 0, 0);
	UK_TEST_EQ(f.a.stats.allocs, allocs0);
	UK_TEST_EQ(f.a.stats.failures, 1);
	UK_TEST_EQ(f.a.stats.bytes_in_use, a->stats.bytes_in_use);
	uk_alloc_failing_set_every(&f, 3);
	for (i = 1; i < 10; i++)
		p[i] = uk_malloc(&f.a, 64);
	/* Calls 3, 6 and 9 fail. */
	for (i = 1; i < 10; i++)
		UK_TEST_EXPECT((p[i] == NULL) == (i % 3 == 0));
	UK_TEST_EQ(f.calls, 9);
	UK_TEST_EQ(f.injected, 3);
	UK_TEST_EQ(f.a.stats.allocs, allocs0 + 6);
	UK_TEST_EQ(f.a.stats.failures, 1 + 3);
	UK_TEST_EQ(a->stats.failures, 1);
	UK_TEST_EQ(f.a.stats.bytes_in_use, a->stats.bytes_in_use);
	for (i = 0; i < 10; i++)
		uk_free(&f.a, p[i]);
	UK_TEST_EQ(f.a.stats.frees, a->stats.frees);
	UK_TEST_EQ(f.a.stats.bytes_in_use, 0);
	UK_TEST_EQ(f.a.stats.bytes_peak, a->stats.bytes_peak);
	UK_TEST_EQ(uk_alloc_region_check(a), 0);
}
