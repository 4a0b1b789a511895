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
 * is published).  Nothing here allocates and nothing here publishes:
 * failing getters are counted in the encoding (e->getter_errors) for
 * its caller to report.  This file walks the store and sequences the
 * records; enc_render.c turns one record into bytes.
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

/*
 * Sets the family name and exposure of the entry that starts a family.
 * Returns 0, or -1 when the name does not fit (the family is skipped).
 */
static int family_setup(struct uk_prom_enc *e)
{
	const struct uk_store_entry *en = e->ref.entry;
	const char *lib = e->ref.lib->name, *sfx = NULL;
	size_t ll = strlen(lib), el = strlen(en->name), sl = 0, n;

	if (en->type == UK_STORE_HIST)
		e->mtype = UK_PROM_MT_HIST;
	else if (en->type == UK_STORE_STRING)
		e->mtype = UK_PROM_MT_INFO;
	else if (en->kind == UK_STORE_COUNTER)
		e->mtype = UK_PROM_MT_COUNTER;
	else
		e->mtype = UK_PROM_MT_GAUGE;
	/* The _total belongs to the samples, not to the family. */
	if (e->mtype == UK_PROM_MT_COUNTER && el > 6 &&
	    ends_with(en->name, el, "_total", 6))
		el -= 6;
	n = ll + 1 + el;
	if (n >= UK_PROM_NAME_MAX) {
		e->mtype = UK_PROM_MT_SKIP;
		return -1;
	}
	memcpy(e->name, lib, ll);
	e->name[ll] = '_';
	memcpy(e->name + ll + 1, en->name, el);
	/* Info families have no unit in OpenMetrics; ignore a stray one. */
	if (e->mtype == UK_PROM_MT_INFO)
		sfx = NULL;
	else if (en->unit == UK_STORE_UNIT_BYTES)
		sfx = "_bytes";
	else if (en->unit == UK_STORE_UNIT_SECONDS)
		sfx = "_seconds";
	if (sfx) {
		sl = strlen(sfx);
		if (ends_with(e->name, n, sfx, sl))
			sl = 0;
		if (n + sl >= UK_PROM_NAME_MAX) {
			e->mtype = UK_PROM_MT_SKIP;
			return -1;
		}
		memcpy(e->name + n, sfx, sl);
	}
	e->name_len = (uint16_t)(n + sl);
	/*
	 * All folders of a family share its label; keep a copy next to the
	 * name so that the fast path copies both in whole 16-byte blocks.
	 */
	e->label_len = 0;
	if (e->ref.folder) {
		const char *l = uk_store_folder_label(e->ref.folder);
		size_t len = strlen(l);

		if (len < sizeof(e->label)) {
			memcpy(e->label, l, len);
			e->label_len = (uint16_t)len;
		} else {
			e->label_len = UINT16_MAX;
		}
	}
	return 0;
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

/*
 * Moves to the next entry that has a record to show, reading its value.
 * Returns 1, or 0 at the end of the store.
 */
static int next_entry(struct uk_prom_enc *e)
{
	int rc;

	for (;;) {
		if (!uk_store_iter_next(&e->it, &e->ref, &e->first))
			return 0;
		if (e->libs && !lib_selected(e->libs, e->ref.lib->name))
			continue;
		if (e->first && family_setup(e) < 0) {
			count_error(e);
			continue;
		}
		if (e->mtype == UK_PROM_MT_SKIP) {
			count_error(e);
			continue;
		}
		rc = uk_store_read(&e->ref, &e->val);
		e->val_ok = !rc;
		if (!rc && ((e->mtype == UK_PROM_MT_HIST && hist_bad(&e->val.hist)) ||
			    (e->mtype == UK_PROM_MT_INFO && !e->val.str)))
			e->val_ok = 0;
		if (!e->val_ok)
			count_error(e);
		if (settle(e, e->first ? 0 : UK_PROM_ST_SAMPLE))
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

