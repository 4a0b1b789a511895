/*
 * ukstore unit tests, part 2: dynamic folders (validation, duplicates,
 * family clashes), reference counting and the release callback (the last
 * reference dropped by a lookup, a walk or a parked cursor), walk and
 * cursor order with the family-start flags, directory listings, and
 * allocation failures leaving the store exactly as it was.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/store.h>
#include <uk/test.h>

#include "test_store.h"

#define MAGIC 0x5eedf00dU

struct ck {
	uint32_t magic;
	int released;
	uint64_t rx;
	double temp;
	uint64_t errs;
};

static void ck_release(void *cookie)
{
	struct ck *c = cookie;

	if (c->magic != MAGIC)
		_uk_test_fail(__FILE__, __LINE__, "released twice or bogus");
	c->magic = 0;
	c->released++;
}

static int get_rx(void *cookie, uint64_t *out)
{
	struct ck *c = cookie;

	if (c->magic != MAGIC)
		return -EFAULT;
	*out = c->rx;
	return 0;
}

static int get_temp(void *cookie, double *out)
{
	*out = ((struct ck *)cookie)->temp;
	return 0;
}

static int set_temp(void *cookie, double in)
{
	((struct ck *)cookie)->temp = in;
	return 0;
}

static int get_errs(void *cookie, uint64_t *out)
{
	*out = ((struct ck *)cookie)->errs;
	return 0;
}

static int get_stat(void *cookie, uint32_t *out)
{
	*out = 7;
	return 0;
}

UK_STORE_LIBRARY(tsf);
UK_STORE_STATIC_ENTRY(tsf, stat1, u32, gauge, none, "A static one.",
		      get_stat, NULL, NULL);
UK_STORE_STATIC_ENTRY(tsf, stat2, u32, gauge, none, "Another.", get_stat,
		      NULL, NULL);

static const struct uk_store_entry tmpl_a[] = {
	UK_STORE_ENTRY(rx, u64, counter, none, "Received.", get_rx, NULL,
		       NULL),
	UK_STORE_ENTRY(temp, dbl, gauge, none, "Temperature.", get_temp,
		       set_temp, NULL),
};

static const struct uk_store_entry tmpl_b[] = {
	UK_STORE_ENTRY(errs, u64, counter, none, "Errors.", get_errs, NULL,
		       NULL),
};

/* Reuses family rx of tmpl_a. */
static const struct uk_store_entry tmpl_clash[] = {
	UK_STORE_ENTRY(rx, u64, counter, none, "Received.", get_rx, NULL,
		       NULL),
};

/* Reuses static entry name stat1. */
static const struct uk_store_entry tmpl_static[] = {
	UK_STORE_ENTRY(stat1, u64, counter, none, "Clash.", get_rx, NULL,
		       NULL),
};

static struct uk_store_folder *add(const char *label, const char *name,
				   const struct uk_store_entry *t,
				   unsigned int n, struct ck *c, int *rc)
{
	struct uk_store_folder *f = NULL;

	c->magic = MAGIC;
	c->released = 0;
	*rc = uk_store_folder_add(&uk_store_lib_tsf, label, name, t, n, c,
				  ck_release, &f);
	return *rc ? NULL : f;
}

/* Appends to a bounded string buffer. */
struct sbuf {
	char s[8192];
	size_t n;
};

static void sb_add(struct sbuf *b, const char *fmt, const char *a,
		   const char *c, const char *d)
{
	int w = snprintf(b->s + b->n, sizeof(b->s) - b->n, fmt, a, c, d);

	if (w > 0 && b->n + (size_t)w < sizeof(b->s))
		b->n += (size_t)w;
}

struct wctx {
	struct sbuf *b;
	const char *only;  /* library to record */
	int in;
	const char *prev;  /* previous library name (order check) */
	int unordered;
	int entries;
};

static int w_lib(void *arg, const struct uk_store_lib *lib)
{
	struct wctx *w = arg;

	if (w->prev && strcmp(w->prev, lib->name) >= 0)
		w->unordered = 1;
	w->prev = lib->name;
	w->in = !w->only || !strcmp(lib->name, w->only);
	if (w->in)
		sb_add(w->b, "%s%s%s\n", lib->name, "", "");
	return 0;
}

static int w_folder(void *arg, const struct uk_store_lib *lib,
		    struct uk_store_folder *f)
{
	struct wctx *w = arg;

	if (w->in)
		sb_add(w->b, "%s/%s/ %s\n", lib->name, uk_store_folder_name(f),
		       uk_store_folder_label(f));
	return 0;
}

static int w_entry(void *arg, const struct uk_store_ref *ref)
{
	struct wctx *w = arg;

	if (strchr(ref->entry->name, '"'))
		w->unordered = 1;
	if (!w->in)
		return 0;
	w->entries++;
	if (ref->folder)
		sb_add(w->b, "%s/%s/%s\n", ref->lib->name,
		       uk_store_folder_name(ref->folder), ref->entry->name);
	else
		sb_add(w->b, "%s/%s%s\n", ref->lib->name, ref->entry->name, "");
	return 0;
}

static const struct uk_store_walk_ops wops = { w_lib, w_folder, w_entry };

/*
 * tsf's static entries in link order (the toolchain's choice), each as
 * fmt with the entry name, concatenated into buf.
 */
static const char *statics(char *buf, size_t size, const char *fmt)
{
	const struct uk_store_entry *e;
	size_t n = 0;

	buf[0] = 0;
	for (e = uk_store_lib_tsf.start; e < uk_store_lib_tsf.stop; e++)
		n += (size_t)snprintf(buf + n, size - n, fmt, e->name);
	return buf;
}

/* The walk of library tsf as text. */
static int walk_tsf(struct sbuf *b)
{
	struct wctx w = { b, "tsf", 0, NULL, 0, 0 };

	b->n = 0;
	b->s[0] = 0;
	if (uk_store_walk(&wops, &w) || w.unordered)
		return -1;
	return w.entries;
}

UK_TEST(folder_add_remove)
{
	struct ck c1, c2;
	struct uk_store_folder *f, *g;
	unsigned int n0 = uk_store_folder_count();
	struct uk_store_value v;
	struct uk_store_ref ref;
	int rc;

	f = add("dev", "eth0", tmpl_a, 2, &c1, &rc);
	UK_ASSERT_EQ(rc, 0);
	UK_ASSERT_EQ(uk_store_folder_count(), n0 + 1);
	UK_ASSERT_STREQ(uk_store_folder_name(f), "eth0");
	UK_ASSERT_STREQ(uk_store_folder_label(f), "dev");
	c1.rx = 42;
	UK_ASSERT_EQ(uk_store_lookup("tsf/eth0/rx", &ref), 0);
	UK_ASSERT_TRUE(ref.folder == f && ref.cookie == &c1);
	UK_ASSERT_STREQ(ref.entry->name, "rx");
	UK_ASSERT_EQ(uk_store_read(&ref, &v), 0);
	UK_ASSERT_EQ(v.u, 42);
	UK_ASSERT_EQ(uk_store_write_text(&ref, "1"), -EPERM);
	uk_store_ref_put(&ref);
	UK_ASSERT_EQ(uk_store_lookup_parts("tsf", "eth0", "temp", &ref), 0);
	UK_ASSERT_EQ(uk_store_write_text(&ref, "36.6"), 0);
	UK_ASSERT_TRUE(c1.temp == 36.6);
	uk_store_ref_put(&ref);
	UK_ASSERT_EQ(uk_store_lookup("tsf/eth0/nope", &ref), -ENOENT);
	UK_ASSERT_TRUE(!ref.folder && !ref.entry);

	/* Duplicates: a visible folder or a static entry of that name. */
	UK_ASSERT_TRUE(add("dev", "eth0", tmpl_a, 2, &c2, &rc) == NULL);
	UK_ASSERT_EQ(rc, -EEXIST);
	UK_ASSERT_TRUE(add("code", "eth0", tmpl_b, 1, &c2, &rc) == NULL);
	UK_ASSERT_EQ(rc, -EEXIST);
	UK_ASSERT_TRUE(add("dev", "stat1", tmpl_a, 2, &c2, &rc) == NULL);
	UK_ASSERT_EQ(rc, -EEXIST);
	UK_ASSERT_EQ(uk_store_folder_count(), n0 + 1);

	g = uk_store_folder_get(&uk_store_lib_tsf, "eth0");
	UK_ASSERT_TRUE(g == f);
	uk_store_folder_put(g);
	UK_ASSERT_EQ(uk_store_folder_remove(f), 0);
	UK_ASSERT_EQ(c1.released, 1);
	UK_ASSERT_EQ(uk_store_folder_count(), n0);
	UK_ASSERT_TRUE(uk_store_folder_get(&uk_store_lib_tsf, "eth0") == NULL);
	UK_ASSERT_EQ(uk_store_lookup("tsf/eth0/rx", &ref), -ENOENT);
	UK_ASSERT_EQ(uk_store_folder_remove(NULL), -EINVAL);
}

UK_TEST(folder_bad_arguments)
{
	static const struct uk_store_entry bad_name[] = {
		{ "bad name", "", UK_STORE_U64, 0, 0, {0}, { .u64 = get_rx },
		  { 0 }, 0 } };
	static const struct uk_store_entry digit_name[] = {
		{ "1x", "", UK_STORE_U64, 0, 0, {0}, { .u64 = get_rx },
		  { 0 }, 0 } };
	static const struct uk_store_entry quoted_name[] = {
		{ "\"rx\"", "", UK_STORE_U64, 0, 0, {0}, { .u64 = get_rx },
		  { 0 }, 0 } };
	static const struct uk_store_entry null_name[] = {
		{ NULL, "", UK_STORE_U64, 0, 0, {0}, { .u64 = get_rx },
		  { 0 }, 0 } };
	static const struct uk_store_entry no_getter[] = {
		{ "x", "", UK_STORE_U64, 0, 0, {0}, { 0 }, { 0 }, 0 } };
	static const struct uk_store_entry hist_gauge[] = {
		{ "x", "", UK_STORE_HIST, UK_STORE_GAUGE, 0, {0},
		  { .u64 = get_rx }, { 0 }, 0 } };
	static const struct uk_store_entry u64_hist[] = {
		{ "x", "", UK_STORE_U64, UK_STORE_HISTOGRAM, 0, {0},
		  { .u64 = get_rx }, { 0 }, 0 } };
	static const struct uk_store_entry str_gauge[] = {
		{ "x", "", UK_STORE_STRING, UK_STORE_GAUGE, 0, {0},
		  { .u64 = get_rx }, { 0 }, 0 } };
	static const struct uk_store_entry bad_type[] = {
		{ "x", "", 99, 0, 0, {0}, { .u64 = get_rx }, { 0 }, 0 } };
	static const struct uk_store_entry bad_unit[] = {
		{ "x", "", UK_STORE_U64, 0, 9, {0}, { .u64 = get_rx },
		  { 0 }, 0 } };
	static const struct uk_store_entry dup[] = {
		UK_STORE_ENTRY(x, u64, counter, none, "", get_rx, NULL, NULL),
		UK_STORE_ENTRY(x, u64, counter, none, "", get_rx, NULL, NULL),
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
		{ NULL, 1 }, { tmpl_a, 0 }, { bad_name, 1 }, { digit_name, 1 },
		{ quoted_name, 1 }, { null_name, 1 }, { no_getter, 1 },
		{ hist_gauge, 1 }, { u64_hist, 1 }, { str_gauge, 1 },
		{ bad_type, 1 }, { bad_unit, 1 }, { dup, 2 },
	};
	unsigned int n0 = uk_store_folder_count(), i;
	struct uk_store_folder *f = NULL;
	struct ck c;
	int rc;

	for (i = 0; bad_names[i]; i++) {
		UK_ASSERT_TRUE(add("dev", bad_names[i], tmpl_a, 2, &c, &rc) ==
			       NULL);
		UK_ASSERT_EQ(rc, -EINVAL);
	}
	UK_ASSERT_TRUE(add("dev", NULL, tmpl_a, 2, &c, &rc) == NULL);
	UK_ASSERT_EQ(rc, -EINVAL);
	for (i = 0; bad_labels[i]; i++) {
		UK_ASSERT_TRUE(add(bad_labels[i], "x", tmpl_a, 2, &c, &rc) ==
			       NULL);
		UK_ASSERT_EQ(rc, -EINVAL);
	}
	UK_ASSERT_TRUE(add(NULL, "x", tmpl_a, 2, &c, &rc) == NULL);
	UK_ASSERT_EQ(rc, -EINVAL);
	for (i = 0; i < sizeof(bad_t) / sizeof(bad_t[0]); i++) {
		UK_ASSERT_TRUE(add("dev", "x", bad_t[i].t, bad_t[i].n, &c,
				   &rc) == NULL);
		if (rc != -EINVAL)
			uk_test_log("bad template %u", i);
		UK_ASSERT_EQ(rc, -EINVAL);
	}
	UK_ASSERT_EQ(uk_store_folder_add(NULL, "dev", "x", tmpl_a, 2, &c,
					 NULL, &f), -EINVAL);
	UK_ASSERT_EQ(uk_store_folder_add(&uk_store_lib_tsf, "dev", "x",
					 tmpl_a, 2, &c, NULL, NULL), -EINVAL);
	UK_ASSERT_EQ(uk_store_folder_count(), n0);

	/* Any byte but '/' and NUL makes a folder name. */
	for (i = 0; good_names[i]; i++) {
		struct uk_store_folder *g, *h;
		struct uk_store_ref ref;
		char path[128];

		g = add("dev", good_names[i], tmpl_a, 2, &c, &rc);
		UK_ASSERT_EQ(rc, 0);
		UK_ASSERT_STREQ(uk_store_folder_name(g), good_names[i]);
		h = uk_store_folder_get(&uk_store_lib_tsf, good_names[i]);
		UK_ASSERT_TRUE(h == g);
		uk_store_folder_put(h);
		snprintf(path, sizeof(path), "tsf/%s/temp", good_names[i]);
		UK_ASSERT_EQ(uk_store_lookup(path, &ref), 0);
		UK_ASSERT_TRUE(ref.folder == g);
		uk_store_ref_put(&ref);
		UK_ASSERT_EQ(uk_store_folder_remove(g), 0);
		UK_ASSERT_EQ(c.released, 1);
	}
	UK_ASSERT_EQ(uk_store_folder_count(), n0);
}

UK_TEST(folder_family_clash)
{
	struct uk_store_folder *a, *a2, *b, *x;
	struct ck ca, ca2, cb, cx;
	int rc;

	a = add("dev", "a", tmpl_a, 2, &ca, &rc);
	UK_ASSERT_EQ(rc, 0);
	/* Same template pointer: same class, same label required. */
	a2 = add("dev", "a2", tmpl_a, 2, &ca2, &rc);
	UK_ASSERT_EQ(rc, 0);
	UK_ASSERT_TRUE(add("other", "a3", tmpl_a, 2, &cx, &rc) == NULL);
	UK_ASSERT_EQ(rc, -EINVAL);
	UK_ASSERT_TRUE(add("dev", "a3", tmpl_a, 1, &cx, &rc) == NULL);
	UK_ASSERT_EQ(rc, -EINVAL);
	/* Another template may not reuse a family or static name. */
	UK_ASSERT_TRUE(add("dev", "c", tmpl_clash, 1, &cx, &rc) == NULL);
	UK_ASSERT_EQ(rc, -EINVAL);
	UK_ASSERT_TRUE(add("dev", "c", tmpl_static, 1, &cx, &rc) == NULL);
	UK_ASSERT_EQ(rc, -EINVAL);
	b = add("code", "b", tmpl_b, 1, &cb, &rc);
	UK_ASSERT_EQ(rc, 0);
	UK_ASSERT_STREQ(uk_store_folder_label(b), "code");
	UK_ASSERT_EQ(uk_store_folder_remove(a), 0);
	UK_ASSERT_TRUE(add("dev", "c", tmpl_clash, 1, &cx, &rc) == NULL);
	UK_ASSERT_EQ(rc, -EINVAL);
	UK_ASSERT_EQ(uk_store_folder_remove(a2), 0);
	/* The family is gone with its last folder: the name is free. */
	x = add("dev", "c", tmpl_clash, 1, &cx, &rc);
	UK_ASSERT_EQ(rc, 0);
	UK_ASSERT_EQ(uk_store_folder_remove(x), 0);
	UK_ASSERT_EQ(uk_store_folder_remove(b), 0);
	UK_ASSERT_EQ(ca.released + ca2.released + cb.released + cx.released,
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

	f = add("dev", "held", tmpl_a, 2, &c, &rc);
	UK_ASSERT_EQ(rc, 0);
	c.rx = 5;
	g = uk_store_folder_get(&uk_store_lib_tsf, "held");
	UK_ASSERT_TRUE(g == f);
	uk_store_folder_hold(g);
	UK_ASSERT_EQ(uk_store_lookup("tsf/held/rx", &ref), 0);
	UK_ASSERT_EQ(uk_store_folder_remove(f), 0);
	/* Hidden from lookups, alive for holders. */
	UK_ASSERT_EQ(c.released, 0);
	UK_ASSERT_TRUE(uk_store_folder_get(&uk_store_lib_tsf, "held") == NULL);
	UK_ASSERT_EQ(uk_store_folder_remove(g), -EINVAL);
	UK_ASSERT_EQ(uk_store_read(&ref, &v), 0);
	UK_ASSERT_EQ(v.u, 5);
	UK_ASSERT_STREQ(uk_store_folder_name(g), "held");
	/* A new folder may take the name while the old one is held. */
	f2 = add("dev", "held", tmpl_a, 2, &c2, &rc);
	UK_ASSERT_EQ(rc, 0);
	UK_ASSERT_TRUE(f2 != g);
	uk_store_folder_put(g);
	UK_ASSERT_EQ(c.released, 0);
	uk_store_folder_put(g);
	UK_ASSERT_EQ(c.released, 0);
	uk_store_ref_put(&ref);   /* the last one */
	UK_ASSERT_EQ(c.released, 1);
	UK_ASSERT_EQ(c.magic, 0);
	UK_ASSERT_EQ(uk_store_lookup("tsf/held/rx", &ref), 0);
	UK_ASSERT_TRUE(ref.folder == f2);
	uk_store_ref_put(&ref);
	UK_ASSERT_EQ(uk_store_folder_remove(f2), 0);
	UK_ASSERT_EQ(c2.released, 1);
	UK_ASSERT_EQ(c.released, 1);

	/* Without a release callback the last put just frees. */
	UK_ASSERT_EQ(uk_store_folder_add(&uk_store_lib_tsf, "dev", "norel",
					 tmpl_a, 2, &c, NULL, &f), 0);
	uk_store_folder_hold(f);
	UK_ASSERT_EQ(uk_store_folder_remove(f), 0);
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

	f = add("dev", "parked", tmpl_a, 2, &c, &rc);
	UK_ASSERT_EQ(rc, 0);
	uk_store_iter_init(&it);
	while (uk_store_iter_next(&it, &ref, &first)) {
		if (ref.folder == f) {
			found = 1;
			break;
		}
	}
	UK_ASSERT_TRUE(found);
	UK_ASSERT_EQ(uk_store_folder_remove(f), 0);
	UK_ASSERT_EQ(c.released, 0);
	/* Finishing the scrape moves on and drops it. */
	while (uk_store_iter_next(&it, &ref, &first)) {
		UK_ASSERT_TRUE(ref.folder != f || n > 0);
		n++;
	}
	UK_ASSERT_EQ(c.released, 1);

	/* iter_fini on a parked cursor drops it too. */
	f = add("dev", "parked", tmpl_a, 2, &c, &rc);
	UK_ASSERT_EQ(rc, 0);
	uk_store_iter_init(&it);
	while (uk_store_iter_next(&it, &ref, &first) && ref.folder != f)
		;
	UK_ASSERT_TRUE(ref.folder == f);
	UK_ASSERT_EQ(uk_store_folder_remove(f), 0);
	UK_ASSERT_EQ(c.released, 0);
	uk_store_iter_fini(&it);
	UK_ASSERT_EQ(c.released, 1);
	UK_ASSERT_EQ(uk_store_iter_next(&it, &ref, &first), 0);
}

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
		f[i] = add("dev", names[i], tmpl_a, 2, &c[i], &rc);
		UK_ASSERT_EQ(rc, 0);
	}
	fb = add("code", "bb", tmpl_b, 1, &cb, &rc);
	UK_ASSERT_EQ(rc, 0);
	UK_ASSERT_EQ(walk_tsf(&b1), 2 + 4 * 2 + 1);
	snprintf(exp, sizeof(exp), "tsf\n%s%s",
		 statics(st, sizeof(st), "tsf/%s\n"),
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
	UK_ASSERT_STREQ(b1.s, exp);
	UK_ASSERT_TRUE(walk_tsf(&b2) > 0);
	UK_ASSERT_STREQ(b2.s, b1.s);
	/* The whole store: libraries in name order, names unquoted. */
	UK_ASSERT_EQ(uk_store_walk(&wops, &w), 0);
	UK_ASSERT_EQ(w.unordered, 0);
	/* A callback's non-zero result stops the walk. */
	UK_ASSERT_EQ(uk_store_folder_remove(f[1]), 0);
	UK_ASSERT_TRUE(walk_tsf(&b2) > 0);
	UK_ASSERT_TRUE(strstr(b2.s, "tsf/b/") == NULL);
	for (i = 0; i < 4; i++)
		if (i != 1)
			UK_ASSERT_EQ(uk_store_folder_remove(f[i]), 0);
	UK_ASSERT_EQ(uk_store_folder_remove(fb), 0);
	for (i = 0; i < 4; i++)
		UK_ASSERT_EQ(c[i].released, 1);
}

static int stop_at_second(void *arg, const struct uk_store_ref *ref)
{
	return ++*(int *)arg == 2 ? 77 : 0;
}

UK_TEST(walk_stops)
{
	struct uk_store_walk_ops ops = { NULL, NULL, stop_at_second };
	int n = 0;

	UK_ASSERT_EQ(uk_store_walk(&ops, &n), 77);
	UK_ASSERT_EQ(n, 2);
	UK_ASSERT_EQ(uk_store_walk(NULL, NULL), -EINVAL);
}

/* Entry names read back by every enumeration are the bare identifiers. */
UK_TEST(names_never_quoted)
{
	struct uk_store_folder *f, *g;
	struct uk_store_iter it;
	struct uk_store_ref ref;
	struct ck c, cg;
	int first, rc, seen = 0;

	f = add("dev", "\"quoted\"", tmpl_a, 2, &c, &rc);
	UK_ASSERT_EQ(rc, 0);
	g = add("code", "x", tmpl_b, 1, &cg, &rc);
	UK_ASSERT_EQ(rc, 0);
	uk_store_iter_init(&it);
	while (uk_store_iter_next(&it, &ref, &first)) {
		const char *n = ref.entry->name;

		UK_ASSERT_TRUE(strchr(n, '"') == NULL);
		UK_ASSERT_TRUE(strchr(ref.lib->name, '"') == NULL);
		if (ref.lib == &uk_store_lib_tsf) {
			UK_ASSERT_TRUE(!strcmp(n, "stat1") ||
				       !strcmp(n, "stat2") ||
				       !strcmp(n, "rx") || !strcmp(n, "temp") ||
				       !strcmp(n, "errs"));
			seen++;
		}
		if (ref.lib == &uk_store_lib_tst)
			seen++;
	}
	UK_ASSERT_EQ(seen, 2 + 2 + 1 + 14);
	UK_ASSERT_STREQ(tmpl_a[0].name, "rx");
	UK_ASSERT_STREQ(tmpl_b[0].name, "errs");
	UK_ASSERT_EQ(uk_store_folder_remove(f), 0);
	UK_ASSERT_EQ(uk_store_folder_remove(g), 0);
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
		f[i] = add("dev", dev[i], tmpl_a, 2, &c[i], &rc);
		UK_ASSERT_EQ(rc, 0);
		f[2 + i] = add("code", code[i], tmpl_b, 1, &c[2 + i], &rc);
		UK_ASSERT_EQ(rc, 0);
	}
	uk_store_iter_init(&it);
	while (uk_store_iter_next(&it, &ref, &first)) {
		total++;
		if (ref.lib != &uk_store_lib_tsf)
			continue;
		sb_add(&b, "%s%s%s\n", first ? "+" : " ",
		       ref.folder ? uk_store_folder_name(ref.folder) : "",
		       ref.entry->name);
	}
	/* Classes sort by their first entry: errs before rx. */
	snprintf(exp, sizeof(exp), "%s%s",
		 statics(st, sizeof(st), "+%s\n"),
			"+aerrs\n"
			" zerrs\n"
			"+brx\n"
			" drx\n"
			"+btemp\n"
			" dtemp\n");
	UK_ASSERT_STREQ(b.s, exp);
	/* The cursor and the walk see the same number of entries. */
	b.n = 0;
	UK_ASSERT_EQ(uk_store_walk(&wops, &w), 0);
	walked = w.entries;
	UK_ASSERT_EQ(total, walked);
	for (i = 0; i < 4; i++)
		UK_ASSERT_EQ(uk_store_folder_remove(f[i]), 0);
}

struct lctx {
	struct sbuf b;
	int stop_after;
};

static int list_cb(void *arg, const char *name, int is_dir)
{
	struct lctx *l = arg;

	sb_add(&l->b, "%s%s%s,", name, is_dir ? "/" : "", "");
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

	f = add("dev", "eth1", tmpl_a, 2, &c, &rc);
	UK_ASSERT_EQ(rc, 0);
	g = add("code", "404", tmpl_b, 1, &cg, &rc);
	UK_ASSERT_EQ(rc, 0);
	s = list("", &rc);
	UK_ASSERT_EQ(rc, 0);
	UK_ASSERT_TRUE(strstr(s, "tsf/,tst/,") != NULL);
	UK_ASSERT_STREQ(list("/", &rc), s);
	snprintf(exp, sizeof(exp), "%s404/,eth1/,",
		 statics(st, sizeof(st), "%s,"));
	UK_ASSERT_STREQ(list("tsf", &rc), exp);
	UK_ASSERT_EQ(rc, 0);
	UK_ASSERT_STREQ(list("tsf/", &rc), exp);
	UK_ASSERT_STREQ(list("tsf/eth1", &rc), "rx,temp,");
	UK_ASSERT_EQ(rc, 0);
	UK_ASSERT_STREQ(list("tsf/404/", &rc), "errs,");
	list("tsf/stat1", &rc);
	UK_ASSERT_EQ(rc, -ENOTDIR);
	list("tsf/eth1/rx", &rc);
	UK_ASSERT_EQ(rc, -ENOTDIR);
	list("tsf/eth1/nope", &rc);
	UK_ASSERT_EQ(rc, -ENOENT);
	list("tsf/nope", &rc);
	UK_ASSERT_EQ(rc, -ENOENT);
	list("nolib", &rc);
	UK_ASSERT_EQ(rc, -ENOENT);
	list("tsf//eth1", &rc);
	UK_ASSERT_EQ(rc, -EINVAL);
	list("tsf/eth1/rx/x", &rc);
	UK_ASSERT_EQ(rc, -EINVAL);
	l.stop_after = 3;
	UK_ASSERT_EQ(uk_store_list("tsf", list_cb, &l), 5);
	snprintf(exp, sizeof(exp), "%s404/,", st);
	UK_ASSERT_STREQ(l.b.s, exp);
	UK_ASSERT_EQ(uk_store_folder_remove(f), 0);
	UK_ASSERT_EQ(uk_store_folder_remove(g), 0);
	UK_ASSERT_STREQ(list("tsf", &rc), st);
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
					 c, ck_release, out);
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
	UK_ASSERT_EQ(fail_loop(tmpl_a, 2, "dev", "m", &c1, &f), 2);
	/* A folder of an existing class: one. */
	UK_ASSERT_EQ(fail_loop(tmpl_a, 2, "dev", "k", &c2, &g), 1);
	UK_ASSERT_EQ(fail_loop(tmpl_b, 1, "code", "500", &c3, &h), 2);
	n = 0;
	uk_store_iter_init(&it);
	while (uk_store_iter_next(&it, &ref, &first))
		n += ref.lib == &uk_store_lib_tsf && ref.folder;
	UK_ASSERT_EQ(n, 5);
	UK_ASSERT_EQ(uk_store_folder_remove(f), 0);
	UK_ASSERT_EQ(uk_store_folder_remove(g), 0);
	UK_ASSERT_EQ(uk_store_folder_remove(h), 0);
	UK_ASSERT_EQ(c1.released + c2.released + c3.released, 3);
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

	f = add("dev", "noalloc", tmpl_a, 2, &c, &rc);
	UK_ASSERT_EQ(rc, 0);
	uk_alloc_failing_init(&fa, dflt, 1, 1);
	uk_alloc_set_default(&fa.a);
	rc = uk_store_lookup("tsf/noalloc/rx", &ref);
	uk_store_ref_put(&ref);
	uk_store_iter_init(&it);
	while (uk_store_iter_next(&it, &ref, &first))
		;
	walk_tsf(&(struct sbuf){ .n = 0 });
	uk_alloc_set_default(dflt);
	UK_ASSERT_EQ(rc, 0);
	UK_ASSERT_EQ(fa.calls, 0);
	UK_ASSERT_EQ(uk_store_folder_remove(f), 0);
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
		f[i] = add("code", name, tmpl_b, 1, &c[i], &rc);
		UK_ASSERT_EQ(rc, 0);
	}
	uk_store_iter_init(&it);
	while (uk_store_iter_next(&it, &ref, &first)) {
		if (ref.lib != &uk_store_lib_tsf || !ref.folder)
			continue;
		UK_ASSERT_TRUE(strcmp(prev, uk_store_folder_name(ref.folder)) <
			       0);
		snprintf(prev, sizeof(prev), "%s",
			 uk_store_folder_name(ref.folder));
		firsts += first;
		if (++seen == 3) {
			/* Parked: remove everything, in and beyond the batch. */
			for (i = 0; i < N; i++)
				UK_ASSERT_EQ(uk_store_folder_remove(f[i]), 0);
		}
	}
	/* The rest of the first batch was already taken; later ones not. */
	UK_ASSERT_EQ(seen, UK_STORE_ITER_BATCH);
	UK_ASSERT_EQ(firsts, 1);
	for (released = 0, i = 0; i < N; i++)
		released += c[i].released;
	UK_ASSERT_EQ(released, N);

	/* Undisturbed, the cursor sees all of them. */
	for (i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "n%03d", i);
		f[i] = add("code", name, tmpl_b, 1, &c[i], &rc);
		UK_ASSERT_EQ(rc, 0);
	}
	seen = firsts = 0;
	uk_store_iter_init(&it);
	while (uk_store_iter_next(&it, &ref, &first)) {
		if (ref.lib == &uk_store_lib_tsf && ref.folder) {
			seen++;
			firsts += first;
			if (seen == UK_STORE_ITER_BATCH + 2) {
				/* Parked in the second batch: hold-outs live. */
				UK_ASSERT_EQ(uk_store_folder_remove(f[0]), 0);
				UK_ASSERT_EQ(c[0].released, 1);
				UK_ASSERT_EQ(uk_store_folder_remove(
					f[UK_STORE_ITER_BATCH + 3]), 0);
				UK_ASSERT_EQ(c[UK_STORE_ITER_BATCH + 3].released,
					     0);
			}
		}
	}
	UK_ASSERT_EQ(c[UK_STORE_ITER_BATCH + 3].released, 1);
	UK_ASSERT_EQ(seen, N);
	UK_ASSERT_EQ(firsts, 1);
	for (i = 1; i < N; i++)
		if (i != UK_STORE_ITER_BATCH + 3)
			UK_ASSERT_EQ(uk_store_folder_remove(f[i]), 0);
	for (released = 0, i = 0; i < N; i++)
		released += c[i].released;
	UK_ASSERT_EQ(released, N);
}
