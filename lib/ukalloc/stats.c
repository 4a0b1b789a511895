/*
 * The default allocator's statistics as ukstore static entries of
 * library "ukalloc".  Entries are data in ukstore's linker sections and
 * the getters read uk_alloc_get_default() when scraped, so publishing
 * costs nothing on the allocation paths and adds no link dependency on
 * the store's code.  Page counts come from a region allocator (the kvm
 * heap); with another default (linuxu's libc) they read as 0.
 */
#include <stdint.h>

#include <uk/alloc.h>
#include <uk/store_publish.h>

UK_STORE_LIBRARY(ukalloc);

static struct uk_alloc_stats *dstats(void)
{
	return &uk_alloc_get_default()->stats;
}

#define STAT_GETTER(field) \
	static int get_##field(void *cookie, uint64_t *out) \
	{ \
		*out = __atomic_load_n(&dstats()->field, __ATOMIC_RELAXED); \
		return 0; \
	}

STAT_GETTER(allocs)
STAT_GETTER(frees)
STAT_GETTER(failures)
STAT_GETTER(bytes_in_use)
STAT_GETTER(bytes_peak)

static int get_pages(int which, uint64_t *out)
{
	uint64_t total = 0, nfree = 0;

	uk_alloc_region_pages(uk_alloc_get_default(), &total, &nfree);
	*out = which ? nfree : total;
	return 0;
}

static int get_pages_all(void *cookie, uint64_t *out)
{
	return get_pages(0, out);
}

static int get_pages_free(void *cookie, uint64_t *out)
{
	return get_pages(1, out);
}

UK_STORE_STATIC_ENTRY(ukalloc, allocs, u64, counter, none,
		      "Successful allocations from the default allocator.",
		      get_allocs, NULL, NULL);
UK_STORE_STATIC_ENTRY(ukalloc, frees, u64, counter, none,
		      "Blocks given back to the default allocator.",
		      get_frees, NULL, NULL);
UK_STORE_STATIC_ENTRY(ukalloc, failures, u64, counter, none,
		      "Allocations the default allocator could not serve.",
		      get_failures, NULL, NULL);
UK_STORE_STATIC_ENTRY(ukalloc, in_use_bytes, u64, gauge, bytes,
		      "Bytes in live blocks of the default allocator.",
		      get_bytes_in_use, NULL, NULL);
UK_STORE_STATIC_ENTRY(ukalloc, peak_bytes, u64, gauge, bytes,
		      "Highest in_use_bytes seen.",
		      get_bytes_peak, NULL, NULL);
UK_STORE_STATIC_ENTRY(ukalloc, pages, u64, gauge, none,
		      "4 KiB pages of the heap (0 when not page-based).",
		      get_pages_all, NULL, NULL);
UK_STORE_STATIC_ENTRY(ukalloc, pages_free, u64, gauge, none,
		      "Heap pages in no allocation (0 when not page-based).",
		      get_pages_free, NULL, NULL);
