/*
 * The exposition encoder: a pure function from a ukstore cursor to the
 * bytes of a Prometheus text 0.0.4 or OpenMetrics 1.0.0 body, produced in
 * whatever chunks the caller's buffer allows.  The output is a sequence
 * of records (one line each: a HELP, TYPE or UNIT line, or one sample);
 * a record is rendered straight into the caller's buffer when it fits,
 * else into the encoder's line buffer and handed out from there, and a
 * record longer than that buffer (a long HELP or info string) is rendered
 * again on every call, skipping the bytes already handed out.  Values are
 * read once per entry and cached, so re-rendering is deterministic and
 * the bytes do not depend on the chunk sizes (for an info string only the
 * pointer is cached: its producer must not rewrite it in place while it
 * is published; likewise an info's label pairs).  A family is named
 * <lib>_<family> (an entry's family is its name unless it was given one),
 * and its samples come from the store's cursor all together, whether from
 * one entry in every folder of a class or from several entries with a
 * constant label each.  Nothing here allocates and nothing here
 * publishes: failing getters are counted in the encoding
 * (e->getter_errors) for its caller to report.  This file walks the
 * store and sequences the records; enc_render.c turns one record into
 * bytes; enc_prefix.c writes runs of folder samples from the prefixes
 * rendered when their folders were added.
 */
#include <stdint.h>
#include <string.h>

#include <uk/prom.h>
#include <uk/store.h>

#include "enc_impl.h"

/* ---- families ------------------------------------------------------- */

static int ends_with(const char *s, size_t n, const char *sfx, size_t m)
{
	return n >= m && !memcmp(s + n - m, sfx, m);
}

/* How an entry's samples are exposed. */
static uint8_t entry_mtype(const struct uk_store_entry *en)
{
	if (en->type == UK_STORE_HIST)
		return UK_PROM_MT_HIST;
	if (en->type == UK_STORE_STRING || en->type == UK_STORE_LABELS)
		return UK_PROM_MT_INFO;
	if (en->kind == UK_STORE_COUNTER)
		return UK_PROM_MT_COUNTER;
	if (en->kind == UK_STORE_UNTYPED)
		return UK_PROM_MT_UNTYPED;
	return UK_PROM_MT_GAUGE;
}

/* See enc_impl.h. */
int _uk_prom_family_name(const struct uk_store_lib *lib,
			 const struct uk_store_entry *en, char *name,
			 uint8_t *mtype)
{
	const char *sfx = NULL;
	const char *fam = en->family ? en->family : en->name;
	size_t ll = strlen(lib->name), el = strlen(fam), sl = 0, n;

	*mtype = entry_mtype(en);
	/* The _total and _info belong to the samples, not to the family. */
	if (*mtype == UK_PROM_MT_COUNTER && el > 6 &&
	    ends_with(fam, el, "_total", 6))
		el -= 6;
	else if (*mtype == UK_PROM_MT_INFO && el > 5 &&
		 ends_with(fam, el, "_info", 5))
		el -= 5;
	n = ll + 1 + el;
	if (n >= UK_PROM_NAME_MAX) {
		*mtype = UK_PROM_MT_SKIP;
		return -1;
	}
	memcpy(name, lib->name, ll);
	name[ll] = '_';
	memcpy(name + ll + 1, fam, el);
	/* Info families have no unit in OpenMetrics; ignore a stray one. */
	if (*mtype == UK_PROM_MT_INFO)
		sfx = NULL;
	else if (en->unit == UK_STORE_UNIT_BYTES)
		sfx = "_bytes";
	else if (en->unit == UK_STORE_UNIT_SECONDS)
		sfx = "_seconds";
	if (sfx) {
		sl = strlen(sfx);
		if (ends_with(name, n, sfx, sl))
			sl = 0;
		if (n + sl >= UK_PROM_NAME_MAX) {
			*mtype = UK_PROM_MT_SKIP;
			return -1;
		}
		memcpy(name + n, sfx, sl);
	}
	return (int)(n + sl);
}

/*
 * Sets the family name and exposure of the entry that starts a family.
 * Returns 0, or -1 when the name does not fit (the family is skipped).
 */
static int family_setup(struct uk_prom_enc *e)
{
	const struct uk_store_entry *en = e->ref.entry;
	int n = _uk_prom_family_name(e->ref.lib, en, e->name, &e->mtype);

	e->fentry = en;
	if (n < 0)
		return -1;
	e->name_len = (uint16_t)n;
	/*
	 * All folders of a plain family share its one label; keep a copy
	 * next to the name so that the fast path copies both in whole
	 * 16-byte blocks.  Families of several entries (constant labels,
	 * samples from static entries and folders) and folders with several
	 * labels take the checked path.
	 */
	e->label_len = 0;
	if (en->family) {
		e->label_len = UINT16_MAX;
	} else if (e->ref.folder) {
		const char *l = uk_store_folder_label(e->ref.folder);
		size_t len = strlen(l);

		if (len < sizeof(e->label) &&
		    uk_store_folder_nlabels(e->ref.folder) == 1) {
			memcpy(e->label, l, len);
			e->label_len = (uint16_t)len;
		} else {
			e->label_len = UINT16_MAX;
		}
	}
	return 0;
}

/* A label name as Prometheus takes it, not one of its reserved ones. */
static int label_name_ok(const char *l)
{
	size_t i;

	if (!l || !*l || (l[0] == '_' && l[1] == '_'))
		return 0;
	for (i = 0; l[i]; i++) {
		char c = l[i];

		if (!(c == '_' || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z') || (i && c >= '0' && c <= '9')))
			return 0;
	}
	return 1;
}

/*
 * Are the label pairs of an info value fit to print: valid names, none
 * twice, none among the sample's other labels (its folder's, its
 * constant one)?
 */
static int info_labels_ok(const struct uk_prom_enc *e)
{
	const struct uk_store_labels_val *lv = &e->val.labels;
	const struct uk_store_folder *f = e->ref.folder;
	unsigned int i, j, nl = f ? uk_store_folder_nlabels(f) : 0;

	for (i = 0; i < lv->n; i++) {
		const char *l = lv->l[i].name;

		if (!label_name_ok(l))
			return 0;
		for (j = 0; j < i; j++)
			if (!strcmp(l, lv->l[j].name))
				return 0;
		for (j = 0; j < nl; j++)
			if (!strcmp(l, uk_store_folder_label_at(f, j)))
				return 0;
		if (e->ref.entry->lname && !strcmp(l, e->ref.entry->lname))
			return 0;
	}
	return 1;
}

static int is_finite(double d)
{
	return d - d == 0;
}

/* A histogram that breaks the uk_store_hist_val rules. */
static int hist_bad(const struct uk_store_hist_val *h)
{
	uint32_t i;

	if (h->nbuckets > UK_STORE_HIST_MAX_BUCKETS ||
	    (h->nbuckets && !h->le))
		return 1;
	for (i = 0; i < h->nbuckets; i++) {
		if (!is_finite(h->le[i]))
			return 1;
		if (i && (!(h->le[i - 1] < h->le[i]) ||
			  h->cum[i] < h->cum[i - 1]))
			return 1;
	}
	return h->nbuckets && h->count < h->cum[h->nbuckets - 1];
}

/* Counted in the encoding only: the caller publishes the total. */
static void count_error(struct uk_prom_enc *e)
{
	e->getter_errors++;
}

/* See enc_impl.h. */
int _uk_prom_header_kind(const struct uk_prom_enc *e, unsigned int slot)
{
	const char *help = e->ref.entry->help;
	int has_help = help && *help;

	if (e->fmt == UK_PROM_FMT_TEXT)
		return slot == 0 ? (has_help ? UK_PROM_H_HELP : UK_PROM_H_NONE)
			: slot == 1 ? UK_PROM_H_TYPE : UK_PROM_H_NONE;
	if (slot == 0)
		return UK_PROM_H_TYPE;
	if (slot == 1)
		return e->ref.entry->unit != UK_STORE_UNIT_NONE &&
		       e->mtype != UK_PROM_MT_INFO ? UK_PROM_H_UNIT : UK_PROM_H_NONE;
	return has_help ? UK_PROM_H_HELP : UK_PROM_H_NONE;
}

static unsigned int nsamples(const struct uk_prom_enc *e)
{
	if (!e->val_ok)
		return 0;
	return e->mtype == UK_PROM_MT_HIST ? e->val.hist.nbuckets + 3 : 1;
}

/*
 * Moves e->step to the first record at or after step s that exists;
 * returns 0 (and drops the entry) when there is none.
 */
static int settle(struct uk_prom_enc *e, unsigned int s)
{
	while (s < UK_PROM_ST_SAMPLE && _uk_prom_header_kind(e, s) == UK_PROM_H_NONE)
		s++;
	if (s >= UK_PROM_ST_SAMPLE && s - UK_PROM_ST_SAMPLE >= nsamples(e)) {
		e->have_ref = 0;
		return 0;
	}
	e->step = (uint16_t)s;
	e->have_ref = 1;
	return 1;
}

static int lib_selected(const char *const *libs, const char *name)
{
	for (; *libs; libs++)
		if (!strcmp(*libs, name))
			return 1;
	return 0;
}

/* See enc_impl.h. */
int _uk_prom_take_ref(struct uk_prom_enc *e)
{
	int rc;

	if (e->libs && !lib_selected(e->libs, e->ref.lib->name))
		return 0;
	if (e->first && family_setup(e) < 0) {
		count_error(e);
		return 0;
	}
	if (e->mtype == UK_PROM_MT_SKIP) {
		count_error(e);
		return 0;
	}
	/*
	 * Another entry of a family of several: the store checked that they
	 * agree, but static entries only in tests, so one that would not
	 * print as the family does is dropped.
	 */
	if (!e->first && e->ref.entry != e->fentry &&
	    (entry_mtype(e->ref.entry) != e->mtype ||
	     e->ref.entry->type != e->fentry->type)) {
		count_error(e);
		return 0;
	}
	rc = uk_store_read(&e->ref, &e->val);
	e->val_ok = !rc;
	if (!rc && ((e->mtype == UK_PROM_MT_HIST && hist_bad(&e->val.hist)) ||
		    (e->mtype == UK_PROM_MT_INFO &&
		     (e->val.type == UK_STORE_LABELS ? !info_labels_ok(e)
						     : !e->val.str))))
		e->val_ok = 0;
	if (!e->val_ok)
		count_error(e);
	return settle(e, e->first ? 0 : UK_PROM_ST_SAMPLE);
}

/*
 * Moves to the next entry that has a record to show, reading its value.
 * Returns 1, or 0 at the end of the store.
 */
static int next_entry(struct uk_prom_enc *e)
{
	for (;;) {
		if (e->it_end || !uk_store_iter_next(&e->it, &e->ref, &e->first)) {
			e->it_end = 1;
			return 0;
		}
		if (_uk_prom_take_ref(e))
			return 1;
	}
}

/* ---- the public interface ------------------------------------------- */

/* See uk/prom.h. */
void uk_prom_enc_init_filter(struct uk_prom_enc *e, enum uk_prom_format fmt,
			     const char *const *libs)
{
	memset(e, 0, sizeof(*e));
	e->fmt = (uint8_t)fmt;
	e->libs = libs;
	uk_store_iter_init(&e->it);
}

/* See uk/prom.h. */
void uk_prom_enc_init(struct uk_prom_enc *e, enum uk_prom_format fmt)
{
	uk_prom_enc_init_filter(e, fmt, NULL);
}

/* See uk/prom.h; returns the bytes written, 0 once the body is complete. */
size_t uk_prom_enc_read(struct uk_prom_enc *e, char *buf, size_t size)
{
	char *p = buf, *end = buf + size;
	struct uk_prom_wr w;

	while (p < end) {
		if (e->line_off < e->line_len) {
			size_t n = e->line_len - e->line_off;

			if (n > (size_t)(end - p))
				n = (size_t)(end - p);
			memcpy(p, e->line + e->line_off, n);
			p += n;
			e->line_off += (uint32_t)n;
			if (e->line_off == e->line_len)
				e->line_off = e->line_len = 0;
			continue;
		}
		if (e->rec_big) {
			w = (struct uk_prom_wr){ p, end, e->rec_off, 0 };
			_uk_prom_render(e, &w);
			e->rec_off += (uint32_t)(w.p - p);
			p = w.p;
			if (e->rec_off >= w.len) {
				e->rec_big = 0;
				e->rec_off = 0;
				settle(e, e->step + 1u);
			}
			continue;
		}
		if (!e->have_ref) {
			if (e->done)
				break;
			if (!next_entry(e)) {
				e->done = 1;
				if (e->fmt == UK_PROM_FMT_OPENMETRICS &&
				    !e->eof_sent) {
					memcpy(e->line, "# EOF\n", 6);
					e->line_len = 6;
					e->eof_sent = 1;
				}
				continue;
			}
		}
		/* A run of samples of cached prefixes (enc_prefix.c). */
		if (e->step == UK_PROM_ST_SAMPLE && e->ref.folder &&
		    _uk_prom_fast_run(e, &p, end))
			continue;
		w = (struct uk_prom_wr){ p, end, 0, 0 };
		_uk_prom_render(e, &w);
		if (w.len <= (size_t)(end - p)) {
			p = w.p;
		} else if (w.len <= UK_PROM_LINE_MAX) {
			/* Straddles the chunk: hand it out from line. */
			w = (struct uk_prom_wr){ e->line, e->line + UK_PROM_LINE_MAX,
					 0, 0 };
			_uk_prom_render(e, &w);
			e->line_len = w.len;
			e->line_off = 0;
		} else {
			e->rec_off = (uint32_t)(w.p - p);
			e->rec_big = 1;
			p = w.p;
			continue;
		}
		settle(e, e->step + 1u);
	}
	e->bytes += (uint64_t)(p - buf);
	return (size_t)(p - buf);
}

/* See uk/prom.h. */
void uk_prom_enc_fini(struct uk_prom_enc *e)
{
	if (!e->done)
		uk_store_iter_fini(&e->it);
	e->done = 1;
	e->have_ref = 0;
	e->line_len = e->line_off = 0;
	e->rec_big = 0;
}

