/*
 * The allocator front: the default-allocator pointer, the helpers every
 * allocator shares (calloc, posix_memalign), and the failing wrapper that
 * tests use to fail the Nth (or every Nth) allocation or to prove a path
 * allocates nothing.
 */
#include <errno.h>
#include <string.h>

#include <uk/alloc.h>

/* Provided by the platform: libc on linuxu, the kernel heap on kvm. */
extern struct uk_alloc *_uk_alloc_platform_default(void);

static struct uk_alloc *dflt;

/* The default allocator; the platform's until a test replaces it. */
struct uk_alloc *uk_alloc_get_default(void)
{
	struct uk_alloc *a = __atomic_load_n(&dflt, __ATOMIC_ACQUIRE);

	return a ? a : _uk_alloc_platform_default();
}

/* Installs a as the default and returns the previous one. */
struct uk_alloc *uk_alloc_set_default(struct uk_alloc *a)
{
	struct uk_alloc *old = uk_alloc_get_default();

	__atomic_store_n(&dflt, a, __ATOMIC_RELEASE);
	return old;
}

/* Zeroed n*size bytes, or NULL on overflow or exhaustion. */
void *uk_calloc(struct uk_alloc *a, size_t n, size_t size)
{
	void *p;

	if (size && n > (size_t)-1 / size)
		return NULL;
	p = uk_malloc(a, n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

/* Returns 0 and sets *out, -EINVAL for a bad alignment, or -ENOMEM. */
int uk_posix_memalign(struct uk_alloc *a, void **out, size_t align,
		      size_t size)
{
	void *p;

	if (!align || (align & (align - 1)) || align % sizeof(void *))
		return -EINVAL;
	p = a->memalign(a, align, size);
	if (!p)
		return -ENOMEM;
	*out = p;
	return 0;
}

static int failing_should_fail(struct uk_alloc_failing *f)
{
	uint64_t n = __atomic_add_fetch(&f->calls, 1, __ATOMIC_RELAXED);
	uint64_t every = __atomic_load_n(&f->fail_every, __ATOMIC_RELAXED);

	if ((f->fail_nth && (n == f->fail_nth ||
			     (f->sticky && n > f->fail_nth))) ||
	    (every && n % every == 0)) {
		__atomic_add_fetch(&f->injected, 1, __ATOMIC_RELAXED);
		return 1;
	}
	return 0;
}

/* Raises a counter to v, never lowers it (syncs may race on linuxu). */
static void stat_raise(uint64_t *c, uint64_t v)
{
	uint64_t cur = __atomic_load_n(c, __ATOMIC_RELAXED);

	while (cur < v && !__atomic_compare_exchange_n(c, &cur, v, 1,
						       __ATOMIC_RELAXED,
						       __ATOMIC_RELAXED))
		;
}

/* The wrapper's statistics: inner's, plus the failures it made. */
static void failing_sync(struct uk_alloc_failing *f)
{
	const struct uk_alloc_stats *in = &f->inner->stats;
	struct uk_alloc_stats *st = &f->a.stats;

	stat_raise(&st->allocs, __atomic_load_n(&in->allocs,
						__ATOMIC_RELAXED));
	stat_raise(&st->frees, __atomic_load_n(&in->frees, __ATOMIC_RELAXED));
	stat_raise(&st->failures,
		   __atomic_load_n(&in->failures, __ATOMIC_RELAXED) +
		   __atomic_load_n(&f->injected, __ATOMIC_RELAXED));
	stat_raise(&st->bytes_peak, __atomic_load_n(&in->bytes_peak,
						    __ATOMIC_RELAXED));
	__atomic_store_n(&st->bytes_in_use,
			 __atomic_load_n(&in->bytes_in_use, __ATOMIC_RELAXED),
			 __ATOMIC_RELAXED);
}

static void *failing_malloc(struct uk_alloc *a, size_t size)
{
	struct uk_alloc_failing *f = (struct uk_alloc_failing *)a;
	void *p = failing_should_fail(f) ? NULL : uk_malloc(f->inner, size);

	failing_sync(f);
	return p;
}

static void *failing_memalign(struct uk_alloc *a, size_t align, size_t size)
{
	struct uk_alloc_failing *f = (struct uk_alloc_failing *)a;
	void *p = failing_should_fail(f) ? NULL :
		  f->inner->memalign(f->inner, align, size);

	failing_sync(f);
	return p;
}

static void *failing_realloc(struct uk_alloc *a, void *p, size_t size)
{
	struct uk_alloc_failing *f = (struct uk_alloc_failing *)a;
	void *q = failing_should_fail(f) ? NULL :
		  uk_realloc(f->inner, p, size);

	failing_sync(f);
	return q;
}

static void failing_free(struct uk_alloc *a, void *p)
{
	struct uk_alloc_failing *f = (struct uk_alloc_failing *)a;

	uk_free(f->inner, p);
	failing_sync(f);
}

/*
 * Wraps inner so that allocation number fail_nth (1-based, 0: never),
 * and every later one when sticky, returns NULL.  f->calls counts every
 * allocation attempt.
 */
void uk_alloc_failing_init(struct uk_alloc_failing *f, struct uk_alloc *inner,
			   uint64_t fail_nth, int sticky)
{
	memset(f, 0, sizeof(*f));
	f->a.malloc = failing_malloc;
	f->a.memalign = failing_memalign;
	f->a.realloc = failing_realloc;
	f->a.free = failing_free;
	f->inner = inner;
	f->fail_nth = fail_nth;
	f->sticky = sticky;
	failing_sync(f);
}

/* Also fails every allocation numbered a multiple of every (0: none). */
void uk_alloc_failing_set_every(struct uk_alloc_failing *f, uint64_t every)
{
	__atomic_store_n(&f->fail_every, every, __ATOMIC_RELAXED);
}
