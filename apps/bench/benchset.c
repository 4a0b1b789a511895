/*
 * The benchmark series set (see benchset.h): n folders of library
 * "bench", each a counter and a gauge whose values derive from the
 * folder's index, which is the folder's cookie, so the set needs no
 * per-folder state besides the store's own.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include <uk/alloc.h>
#include <uk/store_publish.h>

#include "benchset.h"

UK_STORE_LIBRARY(bench);

static int get_counter(void *cookie, uint64_t *out)
{
	*out = (uint64_t)(uintptr_t)cookie;
	return 0;
}

static int get_gauge(void *cookie, double *out)
{
	*out = (double)(uintptr_t)cookie * 0.25;
	return 0;
}

static const struct uk_store_entry tmpl[] = {
	UK_STORE_ENTRY(counter, u64, counter, none, "Benchmark counter",
		       get_counter, NULL, NULL),
	UK_STORE_ENTRY(gauge, dbl, gauge, none, "Benchmark gauge", get_gauge,
		       NULL, NULL),
};

static struct uk_store_folder **folders;
static unsigned int nfolders;

/* See benchset.h. */
int bench_set_create(unsigned int n)
{
	struct uk_alloc *a = uk_alloc_get_default();
	unsigned int i;
	char name[16];
	int rc;

	if (folders)
		return -EBUSY;
	if (!n)
		return -EINVAL;
	folders = uk_calloc(a, n, sizeof(*folders));
	if (!folders)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%u", i);
		rc = uk_store_folder_add(&uk_store_lib_bench, "id", name, tmpl,
					 2, (void *)(uintptr_t)i, NULL,
					 &folders[i]);
		if (rc) {
			nfolders = i;
			bench_set_destroy();
			return rc;
		}
	}
	nfolders = n;
	return 0;
}

/* See benchset.h. */
void bench_set_destroy(void)
{
	unsigned int i;

	if (!folders)
		return;
	for (i = 0; i < nfolders; i++)
		uk_store_folder_remove(folders[i]);
	uk_free(uk_alloc_get_default(), folders);
	folders = NULL;
	nfolders = 0;
}

/* See benchset.h. */
unsigned int bench_set_series(void)
{
	return 2 * nfolders;
}
