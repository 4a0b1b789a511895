/*
 * The ukalloc entries in ukstore follow the default allocator: with a
 * region allocator installed as the default, reading "ukalloc/..."
 * through the store gives its statistics and page counts.
 */
#include <errno.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/store.h>
#include <uk/test.h>

static char smem[1u << 20] __attribute__((aligned(4096)));

static uint64_t read_u64(const char *path)
{
	struct uk_store_value v;
	int rc = uk_store_read_path(path, &v);

	if (rc == -ENOENT || rc == -EINVAL)
		return (uint64_t)-1;
	return rc ? (uint64_t)-2 : v.u;
}

UK_TEST(alloc_stats_in_store)
{
	struct uk_alloc *a = uk_alloc_region_create(smem, sizeof(smem));
	struct uk_alloc *old;
	uint64_t total, nfree;
	void *p, *q;

	UK_TEST_ASSERT(a != NULL);
	old = uk_alloc_set_default(a);
	p = uk_malloc(a, 100);
	q = uk_malloc(a, 3 * 4096);
	uk_free(a, p);
	UK_TEST_ASSERT(uk_malloc(a, 4u << 20) == NULL);
	UK_TEST_EQ(read_u64("ukalloc/allocs"), 2);
	UK_TEST_EQ(read_u64("ukalloc/frees"), 1);
	UK_TEST_EQ(read_u64("ukalloc/failures"), 1);
	UK_TEST_EQ(read_u64("ukalloc/in_use_bytes"), 3 * 4096);
	UK_TEST_EQ(read_u64("ukalloc/peak_bytes"), 3 * 4096 + 112);
	UK_TEST_EQ(uk_alloc_region_pages(a, &total, &nfree), 0);
	UK_TEST_EQ(read_u64("ukalloc/pages"), total);
	UK_TEST_EQ(read_u64("ukalloc/pages_free"), nfree);
	UK_TEST_EQ(nfree, total - 3);
	uk_free(a, q);
	UK_TEST_EQ(read_u64("ukalloc/pages_free"), total);
	uk_alloc_set_default(old);
	/* A default that is not page-based reads as 0 pages. */
	UK_TEST_EQ(read_u64("ukalloc/pages"), 0);
}
