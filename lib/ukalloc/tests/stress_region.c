/*
 * Threads sharing one region allocator (ThreadSanitizer build): each of
 * four threads runs random allocations, reallocations and frees over its
 * own slots, checking every block's pattern, while a fifth reads the
 * statistics and runs the consistency check.  Blocks move between
 * threads too: a thread frees a block another thread allocated, through
 * a shared hand-off slot.
 */
#include <stdint.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/test.h>
#include <uk/thread.h>

#define NTHREADS 4
#define SLOTS 200
#define OPS 20000

static char smem[16u << 20] __attribute__((aligned(4096)));
static struct uk_alloc *ra;
static void *handoff[NTHREADS];
static int stop_checker, bad;

struct worker {
	unsigned id;
	uint64_t rng;
	void *p[SLOTS];
	size_t n[SLOTS];
	unsigned char tag[SLOTS];
};

static uint64_t rnd(struct worker *w)
{
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return w->rng * 2685821657736338717ULL;
}

static int intact(const unsigned char *p, size_t n, unsigned char tag)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != tag)
			return 0;
	return 1;
}

static void work(void *arg)
{
	struct worker *w = arg;
	long i;

	for (i = 0; i < OPS; i++) {
		unsigned k = (unsigned)(rnd(w) % SLOTS);
		size_t n = rnd(w) % 4 ? rnd(w) % 2000 : rnd(w) % 40000;

		if (w->p[k] && !intact(w->p[k], w->n[k], w->tag[k]))
			__atomic_store_n(&bad, 1, __ATOMIC_RELAXED);
		if (!w->p[k]) {
			w->p[k] = uk_malloc(ra, n);
		} else if (rnd(w) % 3) {
			/* Give the block to the next thread to free. */
			void *old = __atomic_exchange_n(
				&handoff[(w->id + 1) % NTHREADS], w->p[k],
				__ATOMIC_ACQ_REL);

			uk_free(ra, old);
			w->p[k] = NULL;
			continue;
		} else {
			void *q = uk_realloc(ra, w->p[k], n);

			if (!q)
				continue;
			w->p[k] = q;
		}
		if (!w->p[k])
			continue;
		w->n[k] = n;
		w->tag[k] = (unsigned char)(w->id * 64 + k);
		memset(w->p[k], w->tag[k], n);
	}
	for (i = 0; i < SLOTS; i++)
		uk_free(ra, w->p[i]);
}

static void checker(void *arg)
{
	uint64_t t, f;

	while (!__atomic_load_n(&stop_checker, __ATOMIC_ACQUIRE)) {
		if (uk_alloc_region_check(ra) ||
		    uk_alloc_region_pages(ra, &t, &f) || f > t)
			__atomic_store_n(&bad, 1, __ATOMIC_RELAXED);
		(void)__atomic_load_n(&ra->stats.bytes_in_use,
				      __ATOMIC_RELAXED);
		uk_thread_sleep_ns(5000000);
	}
}

UK_TEST(region_threads)
{
	static struct worker w[NTHREADS];
	struct uk_thread *t[NTHREADS], *ct;
	uint64_t total, nfree;
	unsigned i;

	ra = uk_alloc_region_create(smem, sizeof(smem));
	UK_TEST_ASSERT(ra != NULL);
	UK_TEST_EQ(uk_thread_create(&ct, "checker", checker, NULL, 0), 0);
	for (i = 0; i < NTHREADS; i++) {
		w[i].id = i;
		w[i].rng = 0x9e3779b97f4a7c15ULL * (i + 1);
		UK_TEST_EQ(uk_thread_create(&t[i], "worker", work, &w[i], 0),
			     0);
	}
	for (i = 0; i < NTHREADS; i++)
		UK_TEST_EQ(uk_thread_join(t[i]), 0);
	__atomic_store_n(&stop_checker, 1, __ATOMIC_RELEASE);
	UK_TEST_EQ(uk_thread_join(ct), 0);
	for (i = 0; i < NTHREADS; i++)
		uk_free(ra, handoff[i]);
	UK_TEST_EQ(bad, 0);
	UK_TEST_EQ(uk_alloc_region_check(ra), 0);
	UK_TEST_EQ(ra->stats.bytes_in_use, 0);
	UK_TEST_EQ(ra->stats.allocs, ra->stats.frees);
	UK_TEST_EQ(uk_alloc_region_pages(ra, &total, &nfree), 0);
	UK_TEST_EQ(nfree, total);
	uk_test_log("%d threads x %d operations, %llu allocations",
		    NTHREADS, OPS, (unsigned long long)ra->stats.allocs);
}
