/*
 * ukstore unit tests, part 2: dynamic folders (validation, duplicates,
 * family clashes), reference counting and the release callback (the last
 * reference dropped by a lookup or a parked cursor), and allocation
 * failures leaving the store exactly as it was.  Enumeration is in
 * test_iter.c; the fixture in test_fixture.c.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/store.h>
#include <uk/store_test.h>
#include <uk/test.h>

#include "test_store.h"

UK_TEST(folder_add_remove)
{
	struct ck c1, c2;
	struct uk_store_folder *f, *g;
	unsigned int n0 = uk_store_folder_count();
	struct uk_store_value v;
	struct uk_store_ref ref;
	int rc;

	f = tsf_add("dev", "eth0", tsf_tmpl_a, 2, &c1, &rc);
	UK_TEST_EQ(rc, 0);
	UK_TEST_EQ(uk_store_folder_count(), n0 + 1);
	UK_TEST_STREQ(uk_store_folder_name(f), "eth0");
	UK_TEST_STREQ(uk_store_folder_label(f), "dev");
	c1.rx = 42;
	UK_TEST_EQ(uk_store_lookup("tsf/eth0/rx", &ref), 0);
	UK_TEST_ASSERT(ref.folder == f && ref.cookie == &c1);
	UK_TEST_STREQ(ref.entry->name, "rx");
	UK_TEST_EQ(uk_store_read(&ref, &v), 0);
	UK_TEST_EQ(v.u, 42);
	UK_TEST_EQ(uk_store_write_text(&ref, "1"), -EPERM);
	uk_store_ref_put(&ref);
	UK_TEST_EQ(uk_store_lookup_parts("tsf", "eth0", "temp", &ref), 0);
	UK_TEST_EQ(uk_store_write_text(&ref, "36.6"), 0);
	UK_TEST_ASSERT(c1.temp == 36.6);
	uk_store_ref_put(&ref);
	UK_TEST_EQ(uk_store_lookup("tsf/eth0/nope", &ref), -ENOENT);
	UK_TEST_ASSERT(!ref.folder && !ref.entry);

	/* Duplicates: a visible folder or a static entry of that name. */
	UK_TEST_ASSERT(tsf_add("dev", "eth0", tsf_tmpl_a, 2, &c2, &rc) == NULL);
	UK_TEST_EQ(rc, -EEXIST);
	UK_TEST_ASSERT(tsf_add("code", "eth0", tsf_tmpl_b, 1, &c2, &rc) == NULL);
	UK_TEST_EQ(rc, -EEXIST);
	UK_TEST_ASSERT(tsf_add("dev", "stat1", tsf_tmpl_a, 2, &c2, &rc) == NULL);
	UK_TEST_EQ(rc, -EEXIST);
	UK_TEST_EQ(uk_store_folder_count(), n0 + 1);

	g = uk_store_folder_get(&uk_store_lib_tsf, "eth0");
	UK_TEST_ASSERT(g == f);
	uk_store_folder_put(g);
	UK_TEST_EQ(uk_store_folder_remove(f), 0);
	UK_TEST_EQ(c1.released, 1);
	UK_TEST_EQ(uk_store_folder_count(), n0);
	UK_TEST_ASSERT(uk_store_folder_get(&uk_store_lib_tsf, "eth0") == NULL);
	UK_TEST_EQ(uk_store_lookup("tsf/eth0/rx", &ref), -ENOENT);
	UK_TEST_EQ(uk_store_folder_remove(NULL), -EINVAL);
}

UK_TEST(folder_bad_arguments)
{
	/* Hand-made entries, as no macro would make them. */
#define BAD(nm, t, k, u, g) \
	{ .name = nm, .help = "", .type = t, .kind = k, .unit = u, \
	  .get = { .u64 = g } }
	static const struct uk_store_entry bad_name[] = {
		BAD("bad name", UK_STORE_U64, 0, 0, tsf_get_rx) };
	static const struct uk_store_entry digit_name[] = {
		BAD("1x", UK_STORE_U64, 0, 0, tsf_get_rx) };
	static const struct uk_store_entry quoted_name[] = {
		BAD("\"rx\"", UK_STORE_U64, 0, 0, tsf_get_rx) };
	static const struct uk_store_entry null_name[] = {
		BAD(NULL, UK_STORE_U64, 0, 0, tsf_get_rx) };
	static const struct uk_store_entry no_getter[] = {
		BAD("x", UK_STORE_U64, 0, 0, NULL) };
	static const struct uk_store_entry hist_gauge[] = {
		BAD("x", UK_STORE_HIST, UK_STORE_GAUGE, 0, tsf_get_rx) };
	static const struct uk_store_entry u64_hist[] = {
		BAD("x", UK_STORE_U64, UK_STORE_HISTOGRAM, 0, tsf_get_rx) };
	static const struct uk_store_entry str_gauge[] = {
		BAD("x", UK_STORE_STRING, UK_STORE_GAUGE, 0, tsf_get_rx) };
	static const struct uk_store_entry bad_type[] = {
		BAD("x", 99, 0, 0, tsf_get_rx) };
	static const struct uk_store_entry bad_unit[] = {
		BAD("x", UK_STORE_U64, 0, 9, tsf_get_rx) };
	static const struct uk_store_entry dup[] = {
		UK_STORE_ENTRY(x, u64, counter, none, "", tsf_get_rx, NULL, NULL),
		UK_STORE_ENTRY(x, u64, counter, none, "", tsf_get_rx, NULL, NULL),
	};
	static const char *const bad_names[] = {
		"", ".", "..", "a/b", "/", "eth0/",
		"0123456789012345678901234567890123456789012345678901234567890123",
		NULL
	};
	static const char *const good_names[] = {
		"...", ".x", "a b", "q\"uote", "back\\slash", "new\nline",
		"\xc3\xa9t\xc3\xa9", "{}=,",
		"012345678901234567890123456789012345678901234567890123456789012",
		NULL
	};
	static const char *const bad_labels[] = {
		"", "1a", "__x", "a-b", "a b", "a\"",
		"l123456789012345678901234567890123456789012345678901234567890123",
		NULL
	};
	static const struct {
		const struct uk_store_entry *t;
		unsigned int n;
	} bad_t[] = {
		{ NULL, 1 }, { tsf_tmpl_a, 0 }, { bad_name, 1 }, { digit_name, 1 },
		{ quoted_name, 1 }, { null_name, 1 }, { no_getter, 1 },
		{ hist_gauge, 1 }, { u64_hist, 1 }, { str_gauge, 1 },
		{ bad_type, 1 }, { bad_unit, 1 }, { dup, 2 },
	};
	unsigned int n0 = uk_store_folder_count(), i;
	struct uk_store_folder *f = NULL;
	struct ck c;
	int rc;

	for (i = 0; bad_names[i]; i++) {
		UK_TEST_ASSERT(tsf_add("dev", bad_names[i], tsf_tmpl_a, 2, &c, &rc) ==
			       NULL);
		UK_TEST_EQ(rc, -EINVAL);
	}
	UK_TEST_ASSERT(tsf_add("dev", NULL, tsf_tmpl_a, 2, &c, &rc) == NULL);
	UK_TEST_EQ(rc, -EINVAL);
	for (i = 0; bad_labels[i]; i++) {
		UK_TEST_ASSERT(tsf_add(bad_labels[i], "x", tsf_tmpl_a, 2, &c, &rc) ==
			       NULL);
		UK_TEST_EQ(rc, -EINVAL);
	}
	UK_TEST_ASSERT(tsf_add(NULL, "x", tsf_tmpl_a, 2, &c, &rc) == NULL);
	UK_TEST_EQ(rc, -EINVAL);
	for (i = 0; i < sizeof(bad_t) / sizeof(bad_t[0]); i++) {
		UK_TEST_ASSERT(tsf_add("dev", "x", bad_t[i].t, bad_t[i].n, &c,
				   &rc) == NULL);
		if (rc != -EINVAL)
			uk_test_log("bad template %u", i);
		UK_TEST_EQ(rc, -EINVAL);
	}
	UK_TEST_EQ(uk_store_folder_add(NULL, "dev", "x", tsf_tmpl_a, 2, &c,
					 NULL, &f), -EINVAL);
	UK_TEST_EQ(uk_store_folder_add(&uk_store_lib_tsf, "dev", "x",
					 tsf_tmpl_a, 2, &c, NULL, NULL), -EINVAL);
	UK_TEST_EQ(uk_store_folder_count(), n0);

	/* Any byte but '/' and NUL makes a folder name. */
	for (i = 0; good_names[i]; i++) {
		struct uk_store_folder *g, *h;
		struct uk_store_ref ref;
		char path[128];

		g = tsf_add("dev", good_names[i], tsf_tmpl_a, 2, &c, &rc);
		UK_TEST_EQ(rc, 0);
		UK_TEST_STREQ(uk_store_folder_name(g), good_names[i]);
		h = uk_store_folder_get(&uk_store_lib_tsf, good_names[i]);
		UK_TEST_ASSERT(h == g);
		uk_store_folder_put(h);
		snprintf(path, sizeof(path), "tsf/%s/temp", good_names[i]);
		UK_TEST_EQ(uk_store_lookup(path, &ref), 0);
		UK_TEST_ASSERT(ref.folder == g);
		uk_store_ref_put(&ref);
		UK_TEST_EQ(uk_store_folder_remove(g), 0);
		UK_TEST_EQ(c.released, 1);
	}
	UK_TEST_EQ(uk_store_folder_count(), n0);
}

UK_TEST(folder_family_clash)
{
	struct uk_store_folder *a, *a2, *b, *x;
	struct ck ca, ca2, cb, cx;
	int rc;

	a = tsf_add("dev", "a", tsf_tmpl_a, 2, &ca, &rc);
	UK_TEST_EQ(rc, 0);
	/* Same template pointer: same class, same label required. */
	a2 = tsf_add("dev", "a2", tsf_tmpl_a, 2, &ca2, &rc);
	UK_TEST_EQ(rc, 0);
	UK_TEST_ASSERT(tsf_add("other", "a3", tsf_tmpl_a, 2, &cx, &rc) == NULL);
	UK_TEST_EQ(rc, -EINVAL);
	UK_TEST_ASSERT(tsf_add("dev", "a3", tsf_tmpl_a, 1, &cx, &rc) == NULL);
	UK_TEST_EQ(rc, -EINVAL);
	/* Another template may not reuse a family or static name. */
	UK_TEST_ASSERT(tsf_add("dev", "c", tsf_tmpl_clash, 1, &cx, &rc) == NULL);
	UK_TEST_EQ(rc, -EINVAL);
	UK_TEST_ASSERT(tsf_add("dev", "c", tsf_tmpl_static, 1, &cx, &rc) == NULL);
	UK_TEST_EQ(rc, -EINVAL);
	b = tsf_add("code", "b", tsf_tmpl_b, 1, &cb, &rc);
	UK_TEST_EQ(rc, 0);
	UK_TEST_STREQ(uk_store_folder_label(b), "code");
	UK_TEST_EQ(uk_store_folder_remove(a), 0);
	UK_TEST_ASSERT(tsf_add("dev", "c", tsf_tmpl_clash, 1, &cx, &rc) == NULL);
	UK_TEST_EQ(rc, -EINVAL);
	UK_TEST_EQ(uk_store_folder_remove(a2), 0);
	/* The family is gone with its last folder: the name is free. */
	x = tsf_add("dev", "c", tsf_tmpl_clash, 1, &cx, &rc);
	UK_TEST_EQ(rc, 0);
	UK_TEST_EQ(uk_store_folder_remove(x), 0);
	UK_TEST_EQ(uk_store_folder_remove(b), 0);
	UK_TEST_EQ(ca.released + ca2.released + cb.released + cx.released,
		     4);
}

/* The Unikraft pitfall: dropping the last reference must not crash. */
UK_TEST(refcount_last_put)
{
	struct uk_store_folder *f, *g, *f2;
	struct uk_store_ref ref;
	struct uk_store_value v;
	struct ck c, c2;
	int rc;

	f = tsf_add("dev", "held", tsf_tmpl_a, 2, &c, &rc);
	UK_TEST_EQ(rc, 0);
	c.rx = 5;
	g = uk_store_folder_get(&uk_store_lib_tsf, "held");
	UK_TEST_ASSERT(g == f);
	uk_store_folder_hold(g);
	UK_TEST_EQ(uk_store_lookup("tsf/held/rx", &ref), 0);
	UK_TEST_EQ(uk_store_folder_remove(f), 0);
	/* Hidden from lookups, alive for holders. */
	UK_TEST_EQ(c.released, 0);
	UK_TEST_ASSERT(uk_store_folder_get(&uk_store_lib_tsf, "held") == NULL);
	UK_TEST_EQ(uk_store_folder_remove(g), -EINVAL);
	UK_TEST_EQ(uk_store_read(&ref, &v), 0);
	UK_TEST_EQ(v.u, 5);
	UK_TEST_STREQ(uk_store_folder_name(g), "held");
	/* A new folder may take the name while the old one is held. */
	f2 = tsf_add("dev", "held", tsf_tmpl_a, 2, &c2, &rc);
	UK_TEST_EQ(rc, 0);
	UK_TEST_ASSERT(f2 != g);
	uk_store_folder_put(g);
	UK_TEST_EQ(c.released, 0);
	uk_store_folder_put(g);
	UK_TEST_EQ(c.released, 0);
	uk_store_ref_put(&ref);   /* the last one */
	UK_TEST_EQ(c.released, 1);
	UK_TEST_EQ(c.magic, 0);
	UK_TEST_EQ(uk_store_lookup("tsf/held/rx", &ref), 0);
	UK_TEST_ASSERT(ref.folder == f2);
	uk_store_ref_put(&ref);
	UK_TEST_EQ(uk_store_folder_remove(f2), 0);
	UK_TEST_EQ(c2.released, 1);
	UK_TEST_EQ(c.released, 1);

	/* Without a release callback the last put just frees. */
	UK_TEST_EQ(uk_store_folder_add(&uk_store_lib_tsf, "dev", "norel",
					 tsf_tmpl_a, 2, &c, NULL, &f), 0);
	uk_store_folder_hold(f);
	UK_TEST_EQ(uk_store_folder_remove(f), 0);
	uk_store_folder_put(f);
}

/* The cursor parked on a removed folder drops the last reference. */
UK_TEST(refcount_parked_cursor)
{
	struct uk_store_folder *f;
	struct uk_store_iter it;
	struct uk_store_ref ref;
	struct ck c;
	int first, rc, found = 0, n = 0;

	f = tsf_add("dev", "parked", tsf_tmpl_a, 2, &c, &rc);
	UK_TEST_EQ(rc, 0);
	uk_store_iter_init(&it);
	while (uk_store_iter_next(&it, &ref, &first)) {
		if (ref.folder == f) {
			found = 1;
			break;
		}
	}
	UK_TEST_ASSERT(found);
	UK_TEST_EQ(uk_store_folder_remove(f), 0);
	UK_TEST_EQ(c.released, 0);
	/* Finishing the scrape moves on and drops it. */
	while (uk_store_iter_next(&it, &ref, &first)) {
		UK_TEST_ASSERT(ref.folder != f || n > 0);
		n++;
	}
	UK_TEST_EQ(c.released, 1);

	/* iter_fini on a parked cursor drops it too. */
	f = tsf_add("dev", "parked", tsf_tmpl_a, 2, &c, &rc);
	UK_TEST_EQ(rc, 0);
	uk_store_iter_init(&it);
	while (uk_store_iter_next(&it, &ref, &first) && ref.folder != f)
		;
	UK_TEST_ASSERT(ref.folder == f);
	UK_TEST_EQ(uk_store_folder_remove(f), 0);
	UK_TEST_EQ(c.released, 0);
	uk_store_iter_fini(&it);
	UK_TEST_EQ(c.released, 1);
	UK_TEST_EQ(uk_store_iter_next(&it, &ref, &first), 0);
}

static int64_t in_use(struct uk_alloc *a)
{
	return (int64_t)(a->stats.allocs - a->stats.frees);
}

/*
 * Fails the Nth allocation of an add for N = 1, 2, ... until it succeeds;
 * every failure must leave the store and the heap as they were.
 */
static int fail_loop(const struct uk_store_entry *t, unsigned int n,
		     const char *label, const char *name, struct ck *c,
		     struct uk_store_folder **out)
{
	struct uk_alloc *dflt = uk_alloc_get_default();
	struct uk_alloc_failing fa;
	struct sbuf before, after;
	unsigned int cnt0 = uk_store_folder_count();
	int64_t use0 = in_use(dflt);
	uint64_t nth;
	int rc, failures = 0;

	walk_tsf(&before);
	for (nth = 1; nth < 20; nth++) {
		uk_alloc_failing_init(&fa, dflt, nth, 1);
		uk_alloc_set_default(&fa.a);
		c->magic = MAGIC;
		c->released = 0;
		rc = uk_store_folder_add(&uk_store_lib_tsf, label, name, t, n,
					 c, tsf_release, out);
		uk_alloc_set_default(dflt);
		if (rc == 0)
			return failures;
		if (rc != -ENOMEM || fa.calls != nth)
			return -1;
		failures++;
		walk_tsf(&after);
		if (strcmp(before.s, after.s) ||
		    uk_store_folder_count() != cnt0 || in_use(dflt) != use0 ||
		    c->released)
			return -2;
	}
	return -3;
}

UK_TEST(alloc_failure_leaves_store_unchanged)
{
	struct uk_store_folder *f, *g, *h;
	struct uk_store_iter it;
	struct uk_store_ref ref;
	struct ck c1, c2, c3;
	int first, n;

	/* A new class and its folder: two allocations. */
	UK_TEST_EQ(fail_loop(tsf_tmpl_a, 2, "dev", "m", &c1, &f), 2);
	/* A folder of an existing class: one. */
	UK_TEST_EQ(fail_loop(tsf_tmpl_a, 2, "dev", "k", &c2, &g), 1);
	UK_TEST_EQ(fail_loop(tsf_tmpl_b, 1, "code", "500", &c3, &h), 2);
	n = 0;
	uk_store_iter_init(&it);
	while (uk_store_iter_next(&it, &ref, &first))
		n += ref.lib == &uk_store_lib_tsf && ref.folder;
	UK_TEST_EQ(n, 5);
	UK_TEST_EQ(uk_store_folder_remove(f), 0);
	UK_TEST_EQ(uk_store_folder_remove(g), 0);
	UK_TEST_EQ(uk_store_folder_remove(h), 0);
	UK_TEST_EQ(c1.released + c2.released + c3.released, 3);
}

static const struct uk_store_entry tsf_tmpl_mnt[] = {
	UK_STORE_ENTRY(mnt_reads, u64, counter, none, "Reads.", tsf_get_rx,
		       NULL, NULL),
};

static int add_mnt(const char *name, const char *value, struct ck *c,
		   struct uk_store_folder **f)
{
	c->magic = MAGIC;
	c->released = 0;
	return uk_store_folder_add_valued(&uk_store_lib_tsf, "mountpoint",
					  name, value, tsf_tmpl_mnt, 1, c,
					  tsf_release, f);
}

/* A folder whose label value is not its name (a mountpoint). */
UK_TEST(folder_valued)
{
	struct uk_store_folder *f, *g, *p;
	struct uk_store_ref ref;
	struct ck c1, c2, c3;
	char big[300];

	UK_TEST_EQ(add_mnt("data", "/data", &c1, &f), 0);
	UK_TEST_STREQ(uk_store_folder_name(f), "data");
	UK_TEST_STREQ(uk_store_folder_value(f), "/data");
	UK_TEST_STREQ(uk_store_folder_label(f), "mountpoint");
	/* The path uses the name; the value is no path component. */
	UK_TEST_EQ(uk_store_lookup("tsf/data/mnt_reads", &ref), 0);
	UK_TEST_ASSERT(ref.folder == f && ref.cookie == &c1);
	uk_store_ref_put(&ref);
	UK_TEST_EQ(uk_store_lookup("tsf//data/mnt_reads", &ref), -EINVAL);
	/* Values are unique in a class: another name, the same value. */
	UK_TEST_EQ(add_mnt("data2", "/data", &c2, &g), -EEXIST);
	/* A plain folder's value is its name: a valued folder may not take
	 * it, nor a plain one take a valued one's value. */
	UK_TEST_EQ(add_mnt("p1", NULL, &c3, &p), 0);
	UK_TEST_STREQ(uk_store_folder_value(p), "p1");
	UK_TEST_EQ(add_mnt("v", "p1", &c2, &g), -EEXIST);
	UK_TEST_EQ(add_mnt("v", "v1", &c2, &g), 0);
	UK_TEST_EQ(uk_store_folder_remove(g), 0);
	UK_TEST_EQ(add_mnt("w", "w1", &c2, &g), 0);
	UK_TEST_EQ(add_mnt("w1", NULL, &c2, &g), -EEXIST);
	UK_TEST_EQ(uk_store_folder_remove(g), 0);
	UK_TEST_EQ(uk_store_folder_remove(p), 0);
	/* Bad values: empty, over 255 bytes; names keep their rules. */
	memset(big, 'a', sizeof(big));
	big[256] = 0;
	UK_TEST_EQ(add_mnt("y", "", &c2, &g), -EINVAL);
	UK_TEST_EQ(add_mnt("y", big, &c2, &g), -EINVAL);
	big[255] = 0;
	UK_TEST_EQ(add_mnt("y", big, &c2, &g), 0);
	UK_TEST_EQ(strlen(uk_store_folder_value(g)), 255);
	UK_TEST_EQ(add_mnt("a/b", "/a/b", &c3, &p), -EINVAL);
	UK_TEST_EQ(uk_store_folder_remove(g), 0);
	UK_TEST_EQ(c2.released, 1);
	/* Once removed, a value may be taken again. */
	UK_TEST_EQ(uk_store_folder_remove(f), 0);
	UK_TEST_EQ(c1.released, 1);
	UK_TEST_EQ(add_mnt("data2", "/data", &c1, &f), 0);
	UK_TEST_EQ(uk_store_folder_remove(f), 0);
}

/* Reading paths allocates nothing. */
UK_TEST(lookup_allocates_nothing)
{
	struct uk_store_folder *f;
	struct uk_alloc *dflt = uk_alloc_get_default();
	struct uk_alloc_failing fa;
	struct uk_store_iter it;
	struct uk_store_ref ref;
	struct ck c;
	int first, rc;

	f = tsf_add("dev", "noalloc", tsf_tmpl_a, 2, &c, &rc);
	UK_TEST_EQ(rc, 0);
	uk_alloc_failing_init(&fa, dflt, 1, 1);
	uk_alloc_set_default(&fa.a);
	rc = uk_store_lookup("tsf/noalloc/rx", &ref);
	uk_store_ref_put(&ref);
	uk_store_iter_init(&it);
	while (uk_store_iter_next(&it, &ref, &first))
		;
	walk_tsf(&(struct sbuf){ .n = 0 });
	uk_alloc_set_default(dflt);
	UK_TEST_EQ(rc, 0);
	UK_TEST_EQ(fa.calls, 0);
	UK_TEST_EQ(uk_store_folder_remove(f), 0);
}
