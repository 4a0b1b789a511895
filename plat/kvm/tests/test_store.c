/*
 * ukstore in the kernel (plat-store-test image): the store finds the
 * static entries that the linker script gathered from several real
 * libraries (the platform's kvm, ukalloc, uksched, uklock and this
 * test's kvmtest_b), reads them through their getters, and walks
 * them all.  The image links the cooperative scheduler, so main runs in
 * a uksched thread as in a real application.
 */
#include <string.h>

#include <uk/store.h>
#include <uk/store_test.h>
#include <uk/test.h>

#include <kvm/plat.h>

static uint64_t read_u64(const char *path, int *err)
{
	struct uk_store_value v;

	*err = uk_store_read_path(path, &v);
	return *err ? 0 : v.u;
}

UK_TEST(store_kernel_libraries)
{
	static const char *const libs[] = { "kvm", "ukalloc", "uksched",
					    "uklock", "kvmtest_b" };
	unsigned int i;

	for (i = 0; i < sizeof(libs) / sizeof(libs[0]); i++) {
		const struct uk_store_lib *l = uk_store_lib_find(libs[i]);

		UK_TEST_ASSERT(l != NULL);
		uk_test_log("%s: %d static entries", libs[i],
			    (int)(l->stop - l->start));
		UK_TEST_EXPECT(l->stop > l->start);
	}
	UK_TEST_EXPECT(uk_store_lib_find("no_such_lib") == NULL);
}

UK_TEST(store_kernel_read)
{
	int err;
	uint64_t v;

	v = read_u64("kvm/ram_bytes", &err);
	UK_TEST_EQ(err, 0);
	UK_TEST_EQ(v, uk_kvm_ram_total());
	v = read_u64("kvm/tsc_hz", &err);
	UK_TEST_EQ(err, 0);
	UK_TEST_EXPECT(v == uk_kvm_tsc_hz());
	v = read_u64("kvmtest_b/second", &err);
	UK_TEST_EQ(err, 0);
	UK_TEST_EQ(v, 2);
	read_u64("ukalloc/allocs", &err);
	UK_TEST_EQ(err, 0);
	read_u64("kvm/nope", &err);
	UK_TEST_EXPECT(err < 0);
}

static int count_entry(void *arg, const struct uk_store_ref *ref)
{
	(*(int *)arg)++;
	return 0;
}

UK_TEST(store_kernel_walk)
{
	struct uk_store_walk_ops ops = { .entry = count_entry };
	int n = 0;

	UK_TEST_EQ(uk_store_walk(&ops, &n), 0);
	uk_test_log("%d entries in the store", n);
	UK_TEST_EXPECT(n >= 6 + 3 + 6);
}
