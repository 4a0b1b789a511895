/*
 * ukstore unit tests, part 3: enumeration.  Walk order (complete and
 * stable), stopping a walk, entry names read back without quotes, the
 * cursor's family order and family-start flags across batch boundaries
 * and removals while parked, and directory listings.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/store.h>
#include <uk/test.h>

#include "test_store.h"

UK_TEST(walk_order)
{
	static const char *const names[] = { "d", "b", "a \"q\"", "c" };
	struct uk_store_folder *f[4], *fb;
	struct ck c[4], cb;
	struct sbuf b1, b2;
	struct wctx w = { &b1, NULL, 0, NULL, 0, 0 };
	char exp[1024], st[128];
	int i, rc;

	for (i = 0; i < 4; i++) {
		f[i] = tsf_add("dev", names[i], tsf_tmpl_a, 2, &c[i], &rc);
		UK_TEST_EQ(rc, 0);
	}
	fb = tsf_add("code", "bb", tsf_tmpl_b, 1, &cb, &rc);
	UK_TEST_EQ(rc, 0);
	UK_TEST_EQ(walk_tsf(&b1), 2 + 4 * 2 + 1);
	snprintf(exp, sizeof(exp), "tsf\n%s%s",
		 tsf_statics(st, sizeof(st), "tsf/%s\n"),
			"tsf/a \"q\"/ dev\n"
			"tsf/a \"q\"/rx\n"
			"tsf/a \"q\"/temp\n"
			"tsf/b/ dev\n"
			"tsf/b/rx\n"
			"tsf/b/temp\n"
			"tsf/bb/ code\n"
			"tsf/bb/errs\n"
			"tsf/c/ dev\n"
			"tsf/c/rx\n"
			"tsf/c/temp\n"
			"tsf/d/ dev\n"
			"tsf/d/rx\n"
			"tsf/d/temp\n");
	UK_TEST_STREQ(b1.s, exp);
	UK_TEST_ASSERT(walk_tsf(&b2) > 0);
	UK_TEST_STREQ(b2.s, b1.s);
	/* The whole store: libraries in name order, names unquoted. */
	UK_TEST_EQ(uk_store_walk(&tsf_wops, &w), 0);
	UK_TEST_EQ(w.unordered, 0);
	/* A callback's non-zero result stops the walk. */
	UK_TEST_EQ(uk_store_folder_remove(f[1]), 0);
	UK_TEST_ASSERT(walk_tsf(&b2) > 0);
	UK_TEST_ASSERT(strstr(b2.s, "tsf/b/") == NULL);
	for (i = 0; i < 4; i++)
		if (i != 1)
			UK_TEST_EQ(uk_store_folder_remove(f[i]), 0);
	UK_TEST_EQ(uk_store_folder_remove(fb), 0);
	for (i = 0; i < 4; i++)
		UK_TEST_EQ(c[i].released, 1);
}

static int stop_at_second(void *arg, const struct uk_store_ref *ref)
{
	return ++*(int *)arg == 2 ? 77 : 0;
}

UK_TEST(walk_stops)
{
	struct uk_store_walk_ops ops = { NULL, NULL, stop_at_second };
	int n = 0;

	UK_TEST_EQ(uk_store_walk(&ops, &n), 77);
	UK_TEST_EQ(n, 2);
	UK_TEST_EQ(uk_store_walk(NULL, NULL), -EINVAL);
}

/* Entry names read back by every enumeration are the bare identifiers. */
UK_TEST(names_never_quoted)
{
	struct uk_store_folder *f, *g;
	struct uk_store_iter it;
	struct uk_store_ref ref;
	struct ck c, cg;
	int first, rc, seen = 0;

	f = tsf_add("dev", "\"quoted\"", tsf_tmpl_a, 2, &c, &rc);
	UK_TEST_EQ(rc, 0);
	g = tsf_add("code", "x", tsf_tmpl_b, 1, &cg, &rc);
	UK_TEST_EQ(rc, 0);
	uk_store_iter_init(&it);
	while (uk_store_iter_next(&it, &ref, &first)) {
		const char *n = ref.entry->name;

		UK_TEST_ASSERT(strchr(n, '"') == NULL);
		UK_TEST_ASSERT(strchr(ref.lib->name, '"') == NULL);
		if (ref.lib == &uk_store_lib_tsf) {
			UK_TEST_ASSERT(!strcmp(n, "stat1") ||
				       !strcmp(n, "stat2") ||
				       !strcmp(n, "rx") || !strcmp(n, "temp") ||
				       !strcmp(n, "errs"));
			seen++;
		}
		if (ref.lib == &uk_store_lib_tst)
			seen++;
	}
	UK_TEST_EQ(seen, 2 + 2 + 1 + 14);
	UK_TEST_STREQ(tsf_tmpl_a[0].name, "rx");
	UK_TEST_STREQ(tsf_tmpl_b[0].name, "errs");
	UK_TEST_EQ(uk_store_folder_remove(f), 0);
	UK_TEST_EQ(uk_store_folder_remove(g), 0);
}

/* Family order: statics, then per class, per entry, folders by name. */
UK_TEST(iter_family_order)
{
	static const char *const dev[] = { "d", "b" };
	static const char *const code[] = { "z", "a" };
	struct uk_store_folder *f[4];
	struct uk_store_iter it;
	struct uk_store_ref ref;
	struct ck c[4];
	struct sbuf b = { .n = 0 };
	int first, rc, i, total = 0, walked;
	struct wctx w = { &b, NULL, 0, NULL, 0, 0 };
	char exp[1024], st[128];

	for (i = 0; i < 2; i++) {
		f[i] = tsf_add("dev", dev[i], tsf_tmpl_a, 2, &c[i], &rc);
		UK_TEST_EQ(rc, 0);
		f[2 + i] = tsf_add("code", code[i], tsf_tmpl_b, 1, &c[2 + i], &rc);
		UK_TEST_EQ(rc, 0);
	}
	uk_store_iter_init(&it);
	while (uk_store_iter_next(&it, &ref, &first)) {
		total++;
		if (ref.lib != &uk_store_lib_tsf)
			continue;
		tsf_sb_add(&b, "%s%s%s\n", first ? "+" : " ",
		       ref.folder ? uk_store_folder_name(ref.folder) : "",
		       ref.entry->name);
	}
	/* Classes sort by their first entry: errs before rx. */
	snprintf(exp, sizeof(exp), "%s%s",
		 tsf_statics(st, sizeof(st), "+%s\n"),
			"+aerrs\n"
			" zerrs\n"
			"+brx\n"
			" drx\n"
			"+btemp\n"
			" dtemp\n");
	UK_TEST_STREQ(b.s, exp);
	/* The cursor and the walk see the same number of entries. */
	b.n = 0;
	UK_TEST_EQ(uk_store_walk(&tsf_wops, &w), 0);
	walked = w.entries;
	UK_TEST_EQ(total, walked);
	for (i = 0; i < 4; i++)
		UK_TEST_EQ(uk_store_folder_remove(f[i]), 0);
}

struct lctx {
	struct sbuf b;
	int stop_after;
};

static int list_cb(void *arg, const char *name, int is_dir)
{
	struct lctx *l = arg;

	tsf_sb_add(&l->b, "%s%s%s,", name, is_dir ? "/" : "", "");
	return --l->stop_after == 0 ? 5 : 0;
}

static const char *list(const char *path, int *rc)
{
	static struct lctx l;

	l.b.n = 0;
	l.b.s[0] = 0;
	l.stop_after = -1;
	*rc = uk_store_list(path, list_cb, &l);
	return l.b.s;
}

UK_TEST(list_paths)
{
	struct uk_store_folder *f, *g;
	struct lctx l = { .b.n = 0 };
	struct ck c, cg;
	char st[128], exp[256];
	const char *s;
	int rc;

	f = tsf_add("dev", "eth1", tsf_tmpl_a, 2, &c, &rc);
	UK_TEST_EQ(rc, 0);
	g = tsf_add("code", "404", tsf_tmpl_b, 1, &cg, &rc);
	UK_TEST_EQ(rc, 0);
	s = list("", &rc);
	UK_TEST_EQ(rc, 0);
	UK_TEST_ASSERT(strstr(s, "tsf/,tst/,") != NULL);
	UK_TEST_STREQ(list("/", &rc), s);
	snprintf(exp, sizeof(exp), "%s404/,eth1/,",
		 tsf_statics(st, sizeof(st), "%s,"));
	UK_TEST_STREQ(list("tsf", &rc), exp);
	UK_TEST_EQ(rc, 0);
	UK_TEST_STREQ(list("tsf/", &rc), exp);
	UK_TEST_STREQ(list("tsf/eth1", &rc), "rx,temp,");
	UK_TEST_EQ(rc, 0);
	UK_TEST_STREQ(list("tsf/404/", &rc), "errs,");
	list("tsf/stat1", &rc);
	UK_TEST_EQ(rc, -ENOTDIR);
	list("tsf/eth1/rx", &rc);
	UK_TEST_EQ(rc, -ENOTDIR);
	list("tsf/eth1/nope", &rc);
	UK_TEST_EQ(rc, -ENOENT);
	list("tsf/nope", &rc);
	UK_TEST_EQ(rc, -ENOENT);
	list("nolib", &rc);
	UK_TEST_EQ(rc, -ENOENT);
	list("tsf//eth1", &rc);
	UK_TEST_EQ(rc, -EINVAL);
	list("tsf/eth1/rx/x", &rc);
	UK_TEST_EQ(rc, -EINVAL);
	l.stop_after = 3;
	UK_TEST_EQ(uk_store_list("tsf", list_cb, &l), 5);
	snprintf(exp, sizeof(exp), "%s404/,", st);
	UK_TEST_STREQ(l.b.s, exp);
	UK_TEST_EQ(uk_store_folder_remove(f), 0);
	UK_TEST_EQ(uk_store_folder_remove(g), 0);
	UK_TEST_STREQ(list("tsf", &rc), st);
}

/*
 * A family longer than the cursor's batch: every folder exactly once, in
 * name order, with one family start; folders removed while the cursor is
 * parked are released only once it no longer holds them.
 */
UK_TEST(iter_batches)
{
	enum { N = 3 * UK_STORE_ITER_BATCH + 5 };
	struct uk_store_folder *f[N];
	struct ck c[N];
	struct uk_store_iter it;
	struct uk_store_ref ref;
	char name[16], prev[16] = "";
	int first, rc, i, seen = 0, firsts = 0, released;

	for (i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "n%03d", (i * 7) % N);
		f[i] = tsf_add("code", name, tsf_tmpl_b, 1, &c[i], &rc);
		UK_TEST_EQ(rc, 0);
	}
	uk_store_iter_init(&it);
	while (uk_store_iter_next(&it, &ref, &first)) {
		if (ref.lib != &uk_store_lib_tsf || !ref.folder)
			continue;
		UK_TEST_ASSERT(strcmp(prev, uk_store_folder_name(ref.folder)) <
			       0);
		snprintf(prev, sizeof(prev), "%s",
			 uk_store_folder_name(ref.folder));
		firsts += first;
		if (++seen == 3) {
			/* Parked: remove everything, in and beyond the batch. */
			for (i = 0; i < N; i++)
				UK_TEST_EQ(uk_store_folder_remove(f[i]), 0);
		}
	}
	/* The rest of the first batch was already taken; later ones not. */
	UK_TEST_EQ(seen, UK_STORE_ITER_BATCH);
	UK_TEST_EQ(firsts, 1);
	for (released = 0, i = 0; i < N; i++)
		released += c[i].released;
	UK_TEST_EQ(released, N);

	/* Undisturbed, the cursor sees all of them. */
	for (i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "n%03d", i);
		f[i] = tsf_add("code", name, tsf_tmpl_b, 1, &c[i], &rc);
		UK_TEST_EQ(rc, 0);
	}
	seen = firsts = 0;
	uk_store_iter_init(&it);
	while (uk_store_iter_next(&it, &ref, &first)) {
		if (ref.lib == &uk_store_lib_tsf && ref.folder) {
			seen++;
			firsts += first;
			if (seen == UK_STORE_ITER_BATCH + 2) {
				/* Parked in the second batch: hold-outs live. */
				UK_TEST_EQ(uk_store_folder_remove(f[0]), 0);
				UK_TEST_EQ(c[0].released, 1);
				UK_TEST_EQ(uk_store_folder_remove(
					f[UK_STORE_ITER_BATCH + 3]), 0);
				UK_TEST_EQ(c[UK_STORE_ITER_BATCH + 3].released,
					     0);
			}
		}
	}
	UK_TEST_EQ(c[UK_STORE_ITER_BATCH + 3].released, 1);
	UK_TEST_EQ(seen, N);
	UK_TEST_EQ(firsts, 1);
	for (i = 1; i < N; i++)
		if (i != UK_STORE_ITER_BATCH + 3)
			UK_TEST_EQ(uk_store_folder_remove(f[i]), 0);
	for (released = 0, i = 0; i < N; i++)
		released += c[i].released;
	UK_TEST_EQ(released, N);
}
