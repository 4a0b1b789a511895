/*
 * uklock's statistics in ukstore (library uklock_stats): the totals over
 * every lock as static entries (in the store from the first instruction,
 * with no registration at boot), and one folder uklock/<name> (label
 * "lock") per named lock, whose statistics this file allocates when the
 * core names a lock (the hooks of lock_impl.h).  The statistics outlive
 * the lock until the last scrape holding the folder lets it go: the
 * folder's release callback frees them.
 */
#include <errno.h>
#include <stddef.h>

#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/counter.h>
#include <uk/hist.h>
#include <uk/lock.h>
#include <uk/store_publish.h>

#include "lock_impl.h"

UK_STORE_LIBRARY(uklock);

/* A named lock's statistics and their folder, in one allocation. */
struct named {
	struct uk_lock_stats st; /* first: the core's pointer is to it */
	struct uk_store_folder *folder;
	struct uk_alloc *a;
};

static uint64_t named_locks;

static int get_total(void *cookie, uint64_t *out)
{
	*out = uk_counter_read(cookie);
	return 0;
}

UK_STORE_STATIC_ENTRY(uklock, all_acquisitions, u64, counter, none,
		      "Acquisitions of all locks, named or not.", get_total,
		      NULL, &_uklock_all_acquisitions);
UK_STORE_STATIC_ENTRY(uklock, all_contended, u64, counter, none,
		      "Acquisitions of all locks that had to wait.", get_total,
		      NULL, &_uklock_all_contended);
UK_STORE_STATIC_ENTRY(uklock, named_locks, u64, gauge, none,
		      "Locks published with a name (folders uklock/<name>).",
		      get_total, NULL, &named_locks);

/* Wait-time buckets, in seconds: 1 us to 1 s by decades. */
static const double wait_le[] = { 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1 };

static int get_acq(void *cookie, uint64_t *out)
{
	*out = uk_counter_read(&((struct uk_lock_stats *)cookie)->acquisitions);
	return 0;
}

static int get_cont(void *cookie, uint64_t *out)
{
	*out = uk_counter_read(&((struct uk_lock_stats *)cookie)->contended);
	return 0;
}

static int get_wait(void *cookie, struct uk_store_hist_val *out)
{
	return uk_store_hist_get(&((struct uk_lock_stats *)cookie)->wait, out);
}

static const struct uk_store_entry lock_tmpl[] = {
	UK_STORE_ENTRY(acquisitions, u64, counter, none,
		       "Times the lock was acquired.", get_acq, NULL, NULL),
	UK_STORE_ENTRY(contended, u64, counter, none,
		       "Acquisitions that had to wait.", get_cont, NULL, NULL),
	UK_STORE_ENTRY(wait_seconds, hist, histogram, seconds,
		       "Time spent waiting to acquire the lock.", get_wait,
		       NULL, NULL),
};

static void named_release(void *cookie)
{
	struct named *n = cookie;

	uk_free(n->a, n);
}

/*
 * The core names a lock (see lock_impl.h): allocates its statistics and
 * publishes them as uklock/<name>.  Returns 0 and sets *out, or -ENOMEM
 * or the store's error (-EEXIST, -EINVAL), with *out NULL.
 */
int _uklock_stats_attach(const char *name, struct uk_lock_stats **out)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct named *n = uk_calloc(a, 1, sizeof(*n));
	int rc;

	*out = NULL;
	if (!n)
		return -ENOMEM;
	n->a = a;
	uk_hist_init(&n->st.wait, wait_le,
		     sizeof(wait_le) / sizeof(wait_le[0]));
	rc = uk_store_folder_add(&uk_store_lib_uklock, "lock", name, lock_tmpl,
				 sizeof(lock_tmpl) / sizeof(lock_tmpl[0]), n,
				 named_release, &n->folder);
	if (rc) {
		uk_free(a, n);
		return rc;
	}
	uk_counter_add_mt(&named_locks, 1);
	*out = &n->st;
	return 0;
}

/*
 * The core finishes a named lock: its folder goes, and its statistics
 * are freed by named_release() once no scrape holds the folder.
 */
void _uklock_stats_detach(struct uk_lock_stats *st)
{
	struct named *n = (struct named *)st;
	int rc;

	__atomic_fetch_sub(&named_locks, 1, __ATOMIC_RELAXED);
	rc = uk_store_folder_remove(n->folder);
	UK_ASSERT(rc == 0);
}
