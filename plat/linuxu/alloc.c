/*
 * linuxu default allocator: libc's malloc behind the uk_alloc interface,
 * counting allocations and bytes (with malloc_usable_size) so the ukalloc
 * statistics mean the same thing as on kvm.
 */
#include <malloc.h>
#include <stdlib.h>

#include <uk/alloc.h>

static void note_alloc(struct uk_alloc *a, void *p)
{
	uint64_t in_use, peak;

	if (!p) {
		__atomic_add_fetch(&a->stats.failures, 1, __ATOMIC_RELAXED);
		return;
	}
	__atomic_add_fetch(&a->stats.allocs, 1, __ATOMIC_RELAXED);
	in_use = __atomic_add_fetch(&a->stats.bytes_in_use,
				    malloc_usable_size(p), __ATOMIC_RELAXED);
	peak = __atomic_load_n(&a->stats.bytes_peak, __ATOMIC_RELAXED);
	while (in_use > peak &&
	       !__atomic_compare_exchange_n(&a->stats.bytes_peak, &peak, in_use,
					    0, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED))
		;
}

static void note_free(struct uk_alloc *a, void *p)
{
	__atomic_add_fetch(&a->stats.frees, 1, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&a->stats.bytes_in_use, malloc_usable_size(p),
			   __ATOMIC_RELAXED);
}

static void *libc_malloc(struct uk_alloc *a, size_t size)
{
	void *p = malloc(size ? size : 1);

	note_alloc(a, p);
	return p;
}

static void *libc_memalign(struct uk_alloc *a, size_t align, size_t size)
{
	void *p = NULL;

	if (posix_memalign(&p, align, size ? size : 1))
		p = NULL;
	note_alloc(a, p);
	return p;
}

static void *libc_realloc(struct uk_alloc *a, void *p, size_t size)
{
	void *q;

	if (!p)
		return libc_malloc(a, size);
	/* Count a realloc as a free of the old block and a new allocation. */
	note_free(a, p);
	q = realloc(p, size ? size : 1);
	if (!q) {
		note_alloc(a, p); /* the old block is still there */
		__atomic_add_fetch(&a->stats.failures, 1, __ATOMIC_RELAXED);
		__atomic_sub_fetch(&a->stats.allocs, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	note_alloc(a, q);
	return q;
}

static void libc_free(struct uk_alloc *a, void *p)
{
	if (!p)
		return;
	note_free(a, p);
	free(p);
}

static struct uk_alloc libc_alloc = {
	.malloc = libc_malloc,
	.memalign = libc_memalign,
	.realloc = libc_realloc,
	.free = libc_free,
};

struct uk_alloc *_uk_alloc_platform_default(void)
{
	return &libc_alloc;
}
