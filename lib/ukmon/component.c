/*
 * Component status (see uk/mon.h).  Components live in a fixed table, so
 * declaring one allocates nothing but its store folder (one gauge,
 * ukmon_component_up, labelled component), and reporting never
 * allocates: a start that failed for lack of memory can still be
 * reported.  The totals are static entries computed from the table when
 * scraped.  Slots are claimed with an atomic counter and published by a
 * release store of the name, so declaring from several threads is safe;
 * the up flag is a relaxed atomic word.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <uk/mon.h>
#include <uk/print.h>
#include <uk/store_publish.h>

UK_STORE_LIBRARY(ukmon);

struct uk_mon_component {
	char name[UK_MON_NAME_MAX + 1];
	int ready;     /* name written: the slot is visible */
	int up;
	int failed;    /* reported a failure, or set down */
};

static struct uk_mon_component comps[UK_MON_COMPONENTS_MAX];
static unsigned int ncomps;

static int get_up(void *cookie, uint64_t *out)
{
	*out = (uint64_t)__atomic_load_n(&((struct uk_mon_component *)cookie)
					 ->up, __ATOMIC_RELAXED);
	return 0;
}

static const struct uk_store_entry comp_tmpl[] = {
	UK_STORE_ENTRY(component_up, u64, gauge, none,
		       "1 when the component of the image is up, 0 when it "
		       "failed or has not started.", get_up, NULL, NULL),
};

/* Declared components (which == 0) or failed ones (which == 1). */
static int get_count(void *cookie, uint64_t *out)
{
	unsigned int i, n = __atomic_load_n(&ncomps, __ATOMIC_ACQUIRE);
	uint64_t c = 0;

	if (n > UK_MON_COMPONENTS_MAX)
		n = UK_MON_COMPONENTS_MAX;
	for (i = 0; i < n; i++) {
		if (!__atomic_load_n(&comps[i].ready, __ATOMIC_ACQUIRE))
			continue;
		c += cookie ? (uint64_t)__atomic_load_n(&comps[i].failed,
							__ATOMIC_RELAXED) : 1;
	}
	*out = c;
	return 0;
}

UK_STORE_STATIC_ENTRY(ukmon, components, u64, gauge, none,
		      "Components the image declared.", get_count, NULL, 0);
UK_STORE_STATIC_ENTRY(ukmon, components_failed, u64, gauge, none,
		      "Components that failed to start or went down.",
		      get_count, NULL, 1);

static int name_ok(const char *name)
{
	size_t len = name ? strlen(name) : 0;

	return len && len <= UK_MON_NAME_MAX && !strchr(name, '/') &&
	       strcmp(name, ".") && strcmp(name, "..");
}

/* See uk/mon.h. */
int uk_mon_component_add(const char *name, struct uk_mon_component **out)
{
	struct uk_mon_component *c;
	struct uk_store_folder *f;
	unsigned int i, n;
	int rc;

	if (!name_ok(name) || !out)
		return -EINVAL;
	n = __atomic_load_n(&ncomps, __ATOMIC_ACQUIRE);
	for (i = 0; i < n && i < UK_MON_COMPONENTS_MAX; i++)
		if (__atomic_load_n(&comps[i].ready, __ATOMIC_ACQUIRE) &&
		    !strcmp(comps[i].name, name))
			return -EINVAL;
	do {
		if (n >= UK_MON_COMPONENTS_MAX)
			return -ENOSPC;
	} while (!__atomic_compare_exchange_n(&ncomps, &n, n + 1, 0,
					      __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
	c = &comps[n];
	strcpy(c->name, name);
	__atomic_store_n(&c->ready, 1, __ATOMIC_RELEASE);
	*out = c;
	rc = uk_store_folder_add(&uk_store_lib_ukmon, "component", c->name,
				 comp_tmpl, 1, c, NULL, &f);
	if (rc)
		uk_pr_err("ukmon: cannot publish component %s (%d)\n", name,
			  rc);
	return rc;
}

/* See uk/mon.h. */
void uk_mon_component_set_up(struct uk_mon_component *c, int up)
{
	if (!up && __atomic_load_n(&c->up, __ATOMIC_RELAXED))
		uk_pr_err("ukmon: %s is down\n", c->name);
	__atomic_store_n(&c->failed, !up, __ATOMIC_RELAXED);
	__atomic_store_n(&c->up, !!up, __ATOMIC_RELAXED);
}

/* See uk/mon.h.  Returns rc. */
int uk_mon_component_started(struct uk_mon_component *c, int rc)
{
	if (rc) {
		uk_pr_err("ukmon: %s failed to start (%d)\n", c->name, rc);
		__atomic_store_n(&c->failed, 1, __ATOMIC_RELAXED);
		__atomic_store_n(&c->up, 0, __ATOMIC_RELAXED);
	} else {
		uk_mon_component_set_up(c, 1);
	}
	return rc;
}

/* See uk/mon.h. */
int uk_mon_component_is_up(const struct uk_mon_component *c)
{
	return __atomic_load_n(&c->up, __ATOMIC_RELAXED);
}
