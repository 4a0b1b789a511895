/*
 * The allocator front: the default-allocator pointer, the helpers every
 * allocator shares (calloc, posix_memalign), and the failing wrapper that
 * tests use to fail the Nth allocation or to prove a path allocates
 * nothing.
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

	if (!f->fail_nth)
		return 0;
	return n == f->fail_nth || (f->sticky && n > f->fail_nth);
}

static void *failing_malloc(struct uk_alloc *a, size_t size)
{
	struct uk_alloc_failing *f = (struct uk_alloc_failing *)a;

	if (failing_should_fail(f)) {
		__atomic_add_fetch(&a->stats.failures, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	return uk_malloc(f->inner, size);
}

static void *failing_memalign(struct uk_alloc *a, size_t align, size_t size)
{
	struct uk_alloc_failing *f = (struct uk_alloc_failing *)a;

	if (failing_should_fail(f)) {
		__atomic_add_fetch(&a->stats.failures, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	return f->inner->memalign(f->inner, align, size);
}

static void *failing_realloc(struct uk_alloc *a, void *p, size_t size)
{
	struct uk_alloc_failing *f = (struct uk_alloc_failing *)a;

	if (failing_should_fail(f)) {
		__atomic_add_fetch(&a->stats.failures, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	return uk_realloc(f->inner, p, size);
}

static void failing_free(struct uk_alloc *a, void *p)
{
	struct uk_alloc_failing *f = (struct uk_alloc_failing *)a;

	uk_free(f->inner, p);
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
}
