/*
 * ukstore stress test, run under ThreadSanitizer: four producer threads
 * churn 100,000 folder add/remove cycles in total (each keeping a small
 * window of live folders and sometimes holding one past its removal),
 * while a scraper thread runs the family-order cursor (parking it now and
 * then so folders vanish under it), the walk, lookups and listings.  Every
 * cookie carries a magic value that its release callback clears, so a
 * getter called on a released cookie is caught; every value must match
 * the folder it was read from; at the end every created folder has been
 * released exactly once.
 */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/plat/time.h>
#include <uk/store.h>
#include <uk/store_test.h>
#include <uk/test.h>
#include <uk/thread.h>

#define NPROD 4
#define CYCLES 100000
#define WINDOW 8
#define MAGIC 0xc0ffee11U
#define DEAD 0xdeadU

struct ck {
	uint32_t magic;     /* atomic: MAGIC while alive, DEAD once released */
	uint32_t released;  /* atomic */
	uint64_t id;        /* producer * 1e9 + sequence */
	struct ck *next;    /* graveyard link, producer-owned */
};

static uint64_t n_created, n_released, n_bad_cookie, n_bad_value,
		n_bad_order, n_samples, n_scrapes, n_walks, n_lookups,
		n_released_by_scraper;
static int done;
static __thread int is_scraper;

static void count(uint64_t *c)
{
	__atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

static void release(void *cookie)
{
	struct ck *c = cookie;

	if (__atomic_exchange_n(&c->magic, DEAD, __ATOMIC_ACQ_REL) != MAGIC)
		count(&n_bad_cookie);
	if (__atomic_fetch_add(&c->released, 1, __ATOMIC_RELAXED))
		count(&n_bad_cookie);
	count(&n_released);
	/* The scraper dropped the last reference: a cursor, walk or lookup. */
	if (is_scraper)
		count(&n_released_by_scraper);
}

static int get_id(void *cookie, uint64_t *out)
{
	struct ck *c = cookie;

	if (__atomic_load_n(&c->magic, __ATOMIC_ACQUIRE) != MAGIC) {
		count(&n_bad_cookie);
		return -EFAULT;
	}
	*out = c->id;
	return 0;
}

static int get_half(void *cookie, double *out)
{
	struct ck *c = cookie;

	if (__atomic_load_n(&c->magic, __ATOMIC_ACQUIRE) != MAGIC) {
		count(&n_bad_cookie);
		return -EFAULT;
	}
	*out = (double)c->id / 2;
	return 0;
}

static int get_alive(void *cookie, uint32_t *out)
{
	*out = (uint32_t)(__atomic_load_n(&n_created, __ATOMIC_RELAXED) -
			  __atomic_load_n(&n_released, __ATOMIC_RELAXED));
	return 0;
}

UK_STORE_LIBRARY(stress);
UK_STORE_STATIC_ENTRY(stress, alive, u32, gauge, none, "Live folders.",
		      get_alive, NULL, NULL);

static const struct uk_store_entry tmpl[] = {
	UK_STORE_ENTRY(id, u64, gauge, none, "The folder's id.", get_id, NULL,
		       NULL),
	UK_STORE_ENTRY(half, dbl, gauge, none, "Half the id.", get_half, NULL,
		       NULL),
};

static void name_of(char *buf, size_t size, uint64_t id)
{
	snprintf(buf, size, "p%llu-%llu", (unsigned long long)(id / 1000000000),
		 (unsigned long long)(id % 1000000000));
}

static uint64_t id_of(const char *name)
{
	unsigned long long p, s;

	if (sscanf(name, "p%llu-%llu", &p, &s) != 2)
		return UINT64_MAX;
	return p * 1000000000ull + s;
}

/* Checks one sample read through ref against its folder's name. */
static void check_ref(const struct uk_store_ref *ref)
{
	struct uk_store_value v;
	uint64_t id;

	if (ref->lib != &uk_store_lib_stress || !ref->folder)
		return;
	id = id_of(uk_store_folder_name(ref->folder));
	if (uk_store_read(ref, &v)) {
		count(&n_bad_value);
		return;
	}
	count(&n_samples);
	if (v.type == UK_STORE_U64 ? v.u != id : v.d != (double)id / 2)
		count(&n_bad_value);
}

struct prod {
	unsigned int idx;
	unsigned int cycles;
	struct ck *graveyard;
	int errors;
};

static void producer(void *arg)
{
	struct prod *p = arg;
	struct uk_store_folder *win[WINDOW] = { 0 }, *held = NULL;
	unsigned int i, slot;
	char name[32];

	for (i = 0; i < p->cycles; i++) {
		struct ck *c = calloc(1, sizeof(*c));

		slot = i % WINDOW;
		if (win[slot]) {
			if (uk_store_folder_remove(win[slot]))
				p->errors++;
			win[slot] = NULL;
		}
		if (!c) {
			p->errors++;
			break;
		}
		c->magic = MAGIC;
		c->id = (uint64_t)p->idx * 1000000000ull + i;
		c->next = p->graveyard;
		p->graveyard = c;
		name_of(name, sizeof(name), c->id);
		count(&n_created);
		if (uk_store_folder_add(&uk_store_lib_stress, "folder", name,
					tmpl, 2, c, release, &win[slot])) {
			p->errors++;
			count(&n_released);
			c->magic = DEAD;
			continue;
		}
		/* Now and then keep one alive past its removal. */
		if (i % 97 == 0) {
			if (held)
				uk_store_folder_put(held);
			held = win[slot];
			uk_store_folder_hold(held);
		}
		if (i % 4 == 0)
			sched_yield();
	}
	for (slot = 0; slot < WINDOW; slot++)
		if (win[slot] && uk_store_folder_remove(win[slot]))
			p->errors++;
	if (held)
		uk_store_folder_put(held);
}

static int w_entry(void *arg, const struct uk_store_ref *ref)
{
	check_ref(ref);
	return 0;
}

static int l_count(void *arg, const char *name, int is_dir)
{
	++*(int *)arg;
	return 0;
}

/* One cursor pass, checking the family order of library stress. */
static void scrape(unsigned int round)
{
	struct uk_store_iter it;
	struct uk_store_ref ref;
	char prev[64] = "";
	int first, n = 0;
	unsigned int fam = 0;

	uk_store_iter_init(&it);
	while (uk_store_iter_next(&it, &ref, &first)) {
		if (ref.lib != &uk_store_lib_stress || !ref.folder)
			continue;
		if (first) {
			fam++;
			prev[0] = 0;
		} else if (strcmp(prev, uk_store_folder_name(ref.folder)) >=
			   0) {
			count(&n_bad_order);
		}
		snprintf(prev, sizeof(prev), "%s",
			 uk_store_folder_name(ref.folder));
		check_ref(&ref);
		/* Park the cursor for a while now and then. */
		if (++n % 50 == (int)(round % 50))
			sched_yield();
		if (round % 7 == 3 && n == 9) {
			uk_store_iter_fini(&it);
			break;
		}
	}
	if (fam > 2)
		count(&n_bad_order);
	count(&n_scrapes);
}

static void scraper(void *arg)
{
	static const struct uk_store_walk_ops ops = { NULL, NULL, w_entry };
	unsigned int round = 0;

	is_scraper = 1;
	while (!__atomic_load_n(&done, __ATOMIC_ACQUIRE)) {
		struct uk_store_ref ref;
		char path[96], name[32];
		int n = 0;
		unsigned int p;

		scrape(round);
		if (round % 3 == 0) {
			uk_store_walk(&ops, NULL);
			count(&n_walks);
		}
		for (p = 0; p < NPROD; p++) {
			uint64_t recent = (uint64_t)p * 1000000000ull +
				(__atomic_load_n(&n_created, __ATOMIC_RELAXED) /
				 NPROD);

			name_of(name, sizeof(name), recent);
			snprintf(path, sizeof(path), "stress/%s/id", name);
			if (!uk_store_lookup(path, &ref)) {
				check_ref(&ref);
				uk_store_ref_put(&ref);
			}
			count(&n_lookups);
		}
		uk_store_list("stress", l_count, &n);
		round++;
	}
}

UK_TEST(stress_churn_and_scrape)
{
	struct uk_thread *pt[NPROD], *st;
	struct prod prods[NPROD];
	uint64_t t0 = uk_plat_time_mono_ns();
	struct uk_store_iter it;
	struct uk_store_ref ref;
	int first, left = 0, errors = 0;
	unsigned int i;

	for (i = 0; i < NPROD; i++) {
		prods[i] = (struct prod){ i, CYCLES / NPROD, NULL, 0 };
		UK_TEST_EQ(uk_thread_create(&pt[i], "producer", producer,
					      &prods[i], 0), 0);
	}
	UK_TEST_EQ(uk_thread_create(&st, "scraper", scraper, NULL, 0), 0);
	for (i = 0; i < NPROD; i++)
		UK_TEST_EQ(uk_thread_join(pt[i]), 0);
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	UK_TEST_EQ(uk_thread_join(st), 0);

	uk_store_iter_init(&it);
	while (uk_store_iter_next(&it, &ref, &first))
		left += ref.lib == &uk_store_lib_stress && ref.folder;
	for (i = 0; i < NPROD; i++) {
		errors += prods[i].errors;
		while (prods[i].graveyard) {
			struct ck *c = prods[i].graveyard;

			if (c->magic != DEAD || c->released != 1)
				errors++;
			prods[i].graveyard = c->next;
			free(c);
		}
	}
	uk_test_log("%llu folders created, %llu released in %llu ms; "
		    "%llu scrapes, %llu walks, %llu lookups, %llu samples; "
		    "%llu folders freed by the scraper's last reference",
		    (unsigned long long)n_created,
		    (unsigned long long)n_released,
		    (unsigned long long)((uk_plat_time_mono_ns() - t0) / 1000000),
		    (unsigned long long)n_scrapes,
		    (unsigned long long)n_walks,
		    (unsigned long long)n_lookups,
		    (unsigned long long)n_samples,
		    (unsigned long long)n_released_by_scraper);
	UK_TEST_EQ(n_created, CYCLES);
	UK_TEST_EQ(n_released, n_created);
	UK_TEST_EQ(errors, 0);
	UK_TEST_EQ(n_bad_cookie, 0);
	UK_TEST_EQ(n_bad_value, 0);
	UK_TEST_EQ(n_bad_order, 0);
	UK_TEST_EQ(left, 0);
	UK_TEST_ASSERT(n_scrapes > 0 && n_samples > 0);
	/* The interesting case happened: a consumer's put was the last. */
	UK_TEST_ASSERT(n_released_by_scraper > 0);
	UK_TEST_EQ(uk_store_lib_stress.state->nfolders, 0);
	UK_TEST_ASSERT(uk_store_lib_stress.state->folders == NULL);
	UK_TEST_ASSERT(uk_store_lib_stress.state->classes == NULL);
}
