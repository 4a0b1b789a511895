/*
 * ukalloc: the allocator interface.
 *
 * Every library allocates through a struct uk_alloc, so the allocator is
 * injectable: tests wrap one that fails the Nth allocation or counts
 * allocations.  The default allocator is the platform's (libc malloc on
 * linuxu, the kernel heap on kvm), and its statistics are published in
 * ukstore as library ukalloc.
 *
 * Results: a pointer or NULL (out of memory or a failing wrapper);
 * functions returning int give 0 or a negative errno.
 */
#ifndef UK_ALLOC_H
#define UK_ALLOC_H

#include <stddef.h>
#include <stdint.h>

struct uk_alloc_stats {
	uint64_t allocs;      /* successful allocations */
	uint64_t frees;
	uint64_t failures;    /* allocations that returned NULL */
	uint64_t bytes_in_use;
	uint64_t bytes_peak;
};

struct uk_alloc {
	void *(*malloc)(struct uk_alloc *a, size_t size);
	void *(*memalign)(struct uk_alloc *a, size_t align, size_t size);
	void *(*realloc)(struct uk_alloc *a, void *p, size_t size);
	void (*free)(struct uk_alloc *a, void *p);
	struct uk_alloc_stats stats;
};

/** The process-wide default allocator. */
struct uk_alloc *uk_alloc_get_default(void);
/** Replaces the default (tests); returns the previous one. */
struct uk_alloc *uk_alloc_set_default(struct uk_alloc *a);

static inline void *uk_malloc(struct uk_alloc *a, size_t size)
{
	return a->malloc(a, size);
}
void *uk_calloc(struct uk_alloc *a, size_t n, size_t size);
static inline void *uk_realloc(struct uk_alloc *a, void *p, size_t size)
{
	return a->realloc(a, p, size);
}
static inline void uk_free(struct uk_alloc *a, void *p)
{
	a->free(a, p);
}
/** Returns 0 and sets *out, -EINVAL for a bad alignment, or -ENOMEM. */
int uk_posix_memalign(struct uk_alloc *a, void **out, size_t align,
		      size_t size);

/**
 * A wrapper that passes calls to inner but fails allocation number
 * fail_nth (1-based; 0: never) and, when sticky, every one after it, and
 * with fail_every set, every allocation whose number is a multiple of
 * it.  It also counts calls, so a test can assert a path allocates
 * nothing.  Its statistics are inner's, with the failures it made added,
 * so it can stand in as the default allocator (see
 * uk_alloc_failing_boot()).
 */
struct uk_alloc_failing {
	struct uk_alloc a;
	struct uk_alloc *inner;
	uint64_t calls;
	uint64_t fail_nth;
	int sticky;
	uint64_t fail_every;
	uint64_t injected;   /* failures made by the wrapper */
};

void uk_alloc_failing_init(struct uk_alloc_failing *f, struct uk_alloc *inner,
			   uint64_t fail_nth, int sticky);
/** Makes f also fail every allocation numbered a multiple of every. */
void uk_alloc_failing_set_every(struct uk_alloc_failing *f, uint64_t every);

/**
 * The boot option ukalloc.fail_every=N (N >= 1): wraps the default
 * allocator in a failing wrapper that fails every Nth allocation from
 * now on, and installs it as the default.  Returns 0 and sets *every to
 * N, or to 0 when the option is absent (nothing changes); -EINVAL for a
 * malformed value; -EALREADY on a second call with the option set.
 */
int uk_alloc_failing_boot(uint64_t *every);

/**
 * A general-purpose allocator carved out of one memory region (the
 * kernel heap on kvm; an mmap()ed block in linuxu tests).  The region
 * holds the allocator's own state.  Returns the allocator, or NULL if
 * the region is too small.
 */
struct uk_alloc *uk_alloc_region_create(void *base, size_t len);

/** The byte freed memory is filled with when junk filling is on. */
#define UK_ALLOC_JUNK 0xdb

/** Whether a is a region allocator. */
int uk_alloc_is_region(const struct uk_alloc *a);
/**
 * Turns junk filling of freed memory on or off for region allocator a
 * (on from creation when built with -DUK_ALLOC_DEBUG).
 */
void uk_alloc_region_set_junk(struct uk_alloc *a, int on);
/**
 * Page-level statistics of region allocator a: its 4 KiB pages and how
 * many are free (in no allocation and no slab holding a live object:
 * empty slabs kept for reuse count as free, as they are given back on
 * demand).  Returns 0, or
 * -EINVAL if a is not a region allocator.
 */
int uk_alloc_region_pages(struct uk_alloc *a, uint64_t *total,
			  uint64_t *free);
/** The usable size of live block p of region allocator a. */
size_t uk_alloc_region_usable(struct uk_alloc *a, const void *p);
/**
 * Checks region allocator a's internal consistency (free lists, page
 * runs, slab bitmaps, bytes_in_use) in O(pages).  Returns 0, -EFAULT if
 * broken, or -EINVAL if a is not a region allocator.
 */
int uk_alloc_region_check(struct uk_alloc *a);

#endif
