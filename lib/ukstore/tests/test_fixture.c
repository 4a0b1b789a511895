/*
 * The fixture shared by the folder and enumeration tests: test library
 * "tsf" with two static entries, folder templates (two compatible, two
 * that clash), cookies whose release callback checks it runs once, and
 * helpers that record a walk or a listing as text.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <uk/store.h>
#include <uk/test.h>

#include "test_store.h"

void tsf_release(void *cookie)
{
	struct ck *c = cookie;

	if (c->magic != MAGIC)
		_uk_test_fail(__FILE__, __LINE__, "released twice or bogus");
	c->magic = 0;
	c->released++;
}

int tsf_get_rx(void *cookie, uint64_t *out)
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

const struct uk_store_entry tsf_tmpl_a[] = {
	UK_STORE_ENTRY(rx, u64, counter, none, "Received.", tsf_get_rx, NULL,
		       NULL),
	UK_STORE_ENTRY(temp, dbl, gauge, none, "Temperature.", get_temp,
		       set_temp, NULL),
};

const struct uk_store_entry tsf_tmpl_b[] = {
	UK_STORE_ENTRY(errs, u64, counter, none, "Errors.", get_errs, NULL,
		       NULL),
};

/* Reuses family rx of tsf_tmpl_a. */
const struct uk_store_entry tsf_tmpl_clash[] = {
	UK_STORE_ENTRY(rx, u64, counter, none, "Received.", tsf_get_rx, NULL,
		       NULL),
};

/* Reuses static entry name stat1. */
const struct uk_store_entry tsf_tmpl_static[] = {
	UK_STORE_ENTRY(stat1, u64, counter, none, "Clash.", tsf_get_rx, NULL,
		       NULL),
};

struct uk_store_folder *tsf_add(const char *label, const char *name,
				   const struct uk_store_entry *t,
				   unsigned int n, struct ck *c, int *rc)
{
	struct uk_store_folder *f = NULL;

	c->magic = MAGIC;
	c->released = 0;
	*rc = uk_store_folder_add(&uk_store_lib_tsf, label, name, t, n, c,
				  tsf_release, &f);
	return *rc ? NULL : f;
}


void tsf_sb_add(struct sbuf *b, const char *fmt, const char *a,
		   const char *c, const char *d)
{
	int w = snprintf(b->s + b->n, sizeof(b->s) - b->n, fmt, a, c, d);

	if (w > 0 && b->n + (size_t)w < sizeof(b->s))
		b->n += (size_t)w;
}

int tsf_list_cb(void *arg, const char *name, int is_dir)
{
	tsf_sb_add(arg, "%s%s%s,", name, is_dir ? "/" : "", "");
	return 0;
}

static int w_lib(void *arg, const struct uk_store_lib *lib)
{
	struct wctx *w = arg;

	if (w->prev && strcmp(w->prev, lib->name) >= 0)
		w->unordered = 1;
	w->prev = lib->name;
	w->in = !w->only || !strcmp(lib->name, w->only);
	if (w->in)
		tsf_sb_add(w->b, "%s%s%s\n", lib->name, "", "");
	return 0;
}

static int w_folder(void *arg, const struct uk_store_lib *lib,
		    struct uk_store_folder *f)
{
	struct wctx *w = arg;

	if (w->in)
		tsf_sb_add(w->b, "%s/%s/ %s\n", lib->name, uk_store_folder_name(f),
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
		tsf_sb_add(w->b, "%s/%s/%s\n", ref->lib->name,
		       uk_store_folder_name(ref->folder), ref->entry->name);
	else
		tsf_sb_add(w->b, "%s/%s%s\n", ref->lib->name, ref->entry->name, "");
	return 0;
}

const struct uk_store_walk_ops tsf_wops = { w_lib, w_folder, w_entry };

/*
 * tsf's static entries in link order (the toolchain's choice), each as
 * fmt with the entry name, concatenated into buf.
 */
const char *tsf_statics(char *buf, size_t size, const char *fmt)
{
	const struct uk_store_entry *e;
	size_t n = 0;

	buf[0] = 0;
	for (e = uk_store_lib_tsf.start; e < uk_store_lib_tsf.stop; e++)
		n += (size_t)snprintf(buf + n, size - n, fmt, e->name);
	return buf;
}

/* The walk of library tsf as text. */
int walk_tsf(struct sbuf *b)
{
	struct wctx w = { b, "tsf", 0, NULL, 0, 0 };

	b->n = 0;
	b->s[0] = 0;
	if (uk_store_walk(&tsf_wops, &w) || w.unordered)
		return -1;
	return w.entries;
}
