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
 * is published).  Nothing here allocates.
 */
#include <stdint.h>
#include <string.h>

#include <uk/prom.h>
#include <uk/store.h>

#include "enc_impl.h"

UK_STORE_LIBRARY(ukprom);

static uint64_t getter_errors_total;

static int get_getter_errors(void *cookie, uint64_t *out)
{
	*out = __atomic_load_n(&getter_errors_total, __ATOMIC_RELAXED);
	return 0;
}

UK_STORE_STATIC_ENTRY(ukprom, getter_errors, u64, counter, none,
		      "Store getters that failed during a scrape, their "
		      "samples dropped", get_getter_errors, NULL, NULL);

/* How a family is exposed. */
enum { MT_GAUGE = 0, MT_COUNTER, MT_INFO, MT_HIST, MT_SKIP };

/* Longest folder name, as uk/store.h promises. */
#define FOLDER_NAME_MAX 63

/* Records of an entry: three header slots, then its samples. */
enum { ST_SAMPLE = 3 };
enum { H_NONE = 0, H_HELP, H_TYPE, H_UNIT };

/* A window [skip, skip + room) onto the record being rendered. */
struct wr {
	char *p, *end;
	uint32_t skip;
	uint32_t len; /* the record's full length so far */
};

static void w_put_slow(struct wr *w, const char *s, size_t n)
{
	size_t room;

	w->len += (uint32_t)n;
	if (w->skip) {
		if (w->skip >= n) {
			w->skip -= (uint32_t)n;
			return;
		}
		s += w->skip;
		n -= w->skip;
		w->skip = 0;
	}
	room = (size_t)(w->end - w->p);
	if (n > room)
		n = room;
	memcpy(w->p, s, n);
	w->p += n;
}

static inline void w_put(struct wr *w, const char *s, size_t n)
{
	if (__builtin_expect(!w->skip && (size_t)(w->end - w->p) >= n, 1)) {
		memcpy(w->p, s, n);
		w->p += n;
		w->len += (uint32_t)n;
		return;
	}
	w_put_slow(w, s, n);
}

static inline void w_str(struct wr *w, const char *s)
{
	w_put(w, s, strlen(s));
}

/*
 * Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong
 * forms, surrogates or code points past U+10FFFF), or 0.  The string's
 * NUL is never a continuation byte, so this never reads past it.
 */
static int utf8_len(const unsigned char *s)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	int n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/*
 * s with '\' and newline escaped, and '"' too when quote is set (label
 * values, OpenMetrics HELP).  Bytes that are not UTF-8 become U+FFFD:
 * folder names and strings may hold any bytes, and Prometheus refuses a
 * whole scrape over one invalid label value.
 */
static void w_esc(struct wr *w, const char *s, int quote)
{
	const char *run = s;
	int n;

	for (; *s; s++) {
		char c = *s;

		if ((unsigned char)c >= 0x80) {
			n = utf8_len((const unsigned char *)s);
			if (n) {
				s += n - 1;
				continue;
			}
			w_put(w, run, (size_t)(s - run));
			w_put(w, "\xef\xbf\xbd", 3);
			run = s + 1;
			continue;
		}
		if (c != '\\' && c != '\n' && (c != '"' || !quote))
			continue;
		w_put(w, run, (size_t)(s - run));
		w_put(w, c == '\n' ? "\\n" : c == '\\' ? "\\\\" : "\\\"", 2);
		run = s + 1;
	}
	w_put(w, run, (size_t)(s - run));
}

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
		e->mtype = MT_HIST;
	else if (en->type == UK_STORE_STRING)
		e->mtype = MT_INFO;
	else if (en->kind == UK_STORE_COUNTER)
		e->mtype = MT_COUNTER;
	else
		e->mtype = MT_GAUGE;
	/* The _total belongs to the samples, not to the family. */
	if (e->mtype == MT_COUNTER && el > 6 &&
	    ends_with(en->name, el, "_total", 6))
		el -= 6;
	n = ll + 1 + el;
	if (n >= UK_PROM_NAME_MAX) {
		e->mtype = MT_SKIP;
		return -1;
	}
	memcpy(e->name, lib, ll);
	e->name[ll] = '_';
	memcpy(e->name + ll + 1, en->name, el);
	/* Info families have no unit in OpenMetrics; ignore a stray one. */
	if (e->mtype == MT_INFO)
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
			e->mtype = MT_SKIP;
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

static void count_error(struct uk_prom_enc *e)
{
	e->getter_errors++;
	__atomic_add_fetch(&getter_errors_total, 1, __ATOMIC_RELAXED);
}

static int header_kind(const struct uk_prom_enc *e, unsigned int slot)
{
	const char *help = e->ref.entry->help;
	int has_help = help && *help;

	if (e->fmt == UK_PROM_FMT_TEXT)
		return slot == 0 ? (has_help ? H_HELP : H_NONE)
			: slot == 1 ? H_TYPE : H_NONE;
	if (slot == 0)
		return H_TYPE;
	if (slot == 1)
		return e->ref.entry->unit != UK_STORE_UNIT_NONE &&
		       e->mtype != MT_INFO ? H_UNIT : H_NONE;
	return has_help ? H_HELP : H_NONE;
}

static unsigned int nsamples(const struct uk_prom_enc *e)
{
	if (!e->val_ok)
		return 0;
	return e->mtype == MT_HIST ? e->val.hist.nbuckets + 3 : 1;
}

/*
 * Moves e->step to the first record at or after step s that exists;
 * returns 0 (and drops the entry) when there is none.
 */
static int settle(struct uk_prom_enc *e, unsigned int s)
{
	while (s < ST_SAMPLE && header_kind(e, s) == H_NONE)
		s++;
	if (s >= ST_SAMPLE && s - ST_SAMPLE >= nsamples(e)) {
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
 * Notes the folder of a dynamic sample.  Returns 1 when it has the same
 * name as the family's previous sample: a folder removed and added again
 * while the cursor was parked on it can come back once more, and the same
 * series twice would make Prometheus refuse the whole scrape.
 */
static int remember_folder(struct uk_prom_enc *e)
{
	const char *fn = uk_store_folder_name(e->ref.folder);
	int same = !e->first;
	unsigned int i;

	/* Compare and copy in one pass; names are short. */
	for (i = 0; i < sizeof(e->prev) - 1; i++) {
		char c = fn[i];

		same &= c == e->prev[i];
		e->prev[i] = c;
		if (!c)
			return same;
	}
	e->prev[i] = '\0';
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
		if (e->mtype == MT_SKIP) {
			count_error(e);
			continue;
		}
		if (e->ref.folder && remember_folder(e))
			continue;
		rc = uk_store_read(&e->ref, &e->val);
		e->val_ok = !rc;
		if (!rc && ((e->mtype == MT_HIST && hist_bad(&e->val.hist)) ||
			    (e->mtype == MT_INFO && !e->val.str)))
			e->val_ok = 0;
		if (!e->val_ok)
			count_error(e);
		if (settle(e, e->first ? 0 : ST_SAMPLE))
			return 1;
	}
}

/* ---- rendering ------------------------------------------------------ */

static void render_header(struct uk_prom_enc *e, struct wr *w, int kind)
{
	static const char *const text_types[] = {
		"gauge", "counter", "gauge", "histogram" };
	static const char *const om_types[] = {
		"gauge", "counter", "info", "histogram" };
	int text = e->fmt == UK_PROM_FMT_TEXT;

	w_str(w, kind == H_HELP ? "# HELP " : kind == H_TYPE ? "# TYPE "
							      : "# UNIT ");
	w_put(w, e->name, e->name_len);
	if (text && e->mtype == MT_COUNTER)
		w_put(w, "_total", 6);
	else if (text && e->mtype == MT_INFO)
		w_put(w, "_info", 5);
	w_put(w, " ", 1);
	if (kind == H_HELP)
		w_esc(w, e->ref.entry->help, !text);
	else if (kind == H_TYPE)
		w_str(w, (text ? text_types : om_types)[e->mtype]);
	else
		w_str(w, e->ref.entry->unit == UK_STORE_UNIT_BYTES ? "bytes"
								   : "seconds");
	w_put(w, "\n", 1);
}

/* label="value" of the entry's folder. */
static void w_folder_label(struct uk_prom_enc *e, struct wr *w)
{
	w_str(w, uk_store_folder_label(e->ref.folder));
	w_put(w, "=\"", 2);
	w_esc(w, uk_store_folder_name(e->ref.folder), 1);
	w_put(w, "\"", 1);
}

static int fmt_scalar(const struct uk_store_value *v, char *b)
{
	switch (v->type) {
	case UK_STORE_S8:
	case UK_STORE_S16:
	case UK_STORE_S32:
	case UK_STORE_S64:
		return _uk_prom_fmt_s64(v->s, b);
	case UK_STORE_DOUBLE:
		return uk_prom_fmt_double(v->d, b);
	default:
		return _uk_prom_fmt_u64(v->u, b);
	}
}

/*
 * A bucket bound.  OpenMetrics wants canonical numbers in le, where an
 * integral bound keeps a ".0" (le="1.0"); the text format writes the
 * shortest form, as Prometheus' own clients do (le="1").
 */
static void w_le(struct uk_prom_enc *e, struct wr *w, double le)
{
	char num[40];
	int n = uk_prom_fmt_double(le, num), i = 0;

	if (e->fmt == UK_PROM_FMT_OPENMETRICS) {
		if (num[0] == '-')
			i++;
		while (num[i] >= '0' && num[i] <= '9')
			i++;
		if (i == n) {
			memcpy(num + n, ".0", 2);
			n += 2;
		}
	}
	w_put(w, num, (size_t)n);
}

static void render_hist(struct uk_prom_enc *e, struct wr *w, unsigned int i)
{
	const struct uk_store_hist_val *h = &e->val.hist;
	uint32_t nb = h->nbuckets;
	char num[32];
	int n;

	w_put(w, e->name, e->name_len);
	if (i <= nb) {
		w_put(w, "_bucket{", 8);
		if (e->ref.folder) {
			w_folder_label(e, w);
			w_put(w, ",", 1);
		}
		w_put(w, "le=\"", 4);
		if (i < nb)
			w_le(e, w, h->le[i]);
		else
			w_put(w, "+Inf", 4);
		w_put(w, "\"} ", 3);
		n = _uk_prom_fmt_u64(i < nb ? h->cum[i] : h->count, num);
	} else {
		w_str(w, i == nb + 1 ? "_sum" : "_count");
		if (e->ref.folder) {
			w_put(w, "{", 1);
			w_folder_label(e, w);
			w_put(w, "}", 1);
		}
		w_put(w, " ", 1);
		n = i == nb + 1 ? uk_prom_fmt_double(h->sum, num)
				: _uk_prom_fmt_u64(h->count, num);
	}
	w_put(w, num, (size_t)n);
	w_put(w, "\n", 1);
}

/*
 * The common case, a number sample with room to spare in the window,
 * written without per-piece bounds checks.  Returns 1 if it did so, 0 if
 * the room is short (the caller takes the checked path).
 */
/*
 * Copies n bytes in whole 16-byte blocks, so up to 15 bytes too many:
 * the source must be an array rounded up to 16 bytes (name, label) and
 * the destination must have that much room (the caller's bound has 32
 * spare); bytes past n are overwritten by what follows.
 */
static inline void copy_blocks(char *d, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i += 16)
		__builtin_memcpy(d + i, s + i, 16);
}

static int fast_scalar(struct uk_prom_enc *e, struct wr *w)
{
	const char *fn = e->ref.folder ? uk_store_folder_name(e->ref.folder)
				       : NULL;
	char *p = w->p;
	int i;

	/*
	 * name, _total, {label="name"}, space, number (< 32), newline; a
	 * folder name is at most FOLDER_NAME_MAX bytes (uk/store.h), each
	 * escaped to at most two.
	 */
	if (e->label_len == UINT16_MAX ||
	    (size_t)(w->end - p) < (size_t)e->name_len + e->label_len +
				   2 * FOLDER_NAME_MAX + 48 + 32)
		return 0;
	copy_blocks(p, e->name, e->name_len);
	p += e->name_len;
	if (e->mtype == MT_COUNTER) {
		memcpy(p, "_total", 6);
		p += 6;
	}
	if (fn) {
		*p++ = '{';
		copy_blocks(p, e->label, e->label_len);
		p += e->label_len;
		*p++ = '=';
		*p++ = '"';
		for (i = 0; fn[i]; i++) {
			char c = fn[i];

			/*
			 * Longer than promised, or not ASCII (the checked
			 * path validates UTF-8).
			 */
			if (i == FOLDER_NAME_MAX || (unsigned char)c >= 0x80)
				return 0;
			if (c == '\\' || c == '"' || c == '\n') {
				*p++ = '\\';
				if (c == '\n')
					c = 'n';
			}
			*p++ = c;
		}
		*p++ = '"';
		*p++ = '}';
	}
	*p++ = ' ';
	p += fmt_scalar(&e->val, p);
	*p++ = '\n';
	w->len += (uint32_t)(p - w->p);
	w->p = p;
	return 1;
}

static void render_sample(struct uk_prom_enc *e, struct wr *w, unsigned int i)
{
	char num[32];

	if (e->mtype == MT_HIST) {
		render_hist(e, w, i);
		return;
	}
	if (e->mtype != MT_INFO && !w->skip && fast_scalar(e, w))
		return;
	w_put(w, e->name, e->name_len);
	if (e->mtype == MT_INFO) {
		w_put(w, "_info{", 6);
		if (e->ref.folder) {
			w_folder_label(e, w);
			w_put(w, ",", 1);
		}
		w_put(w, "value=\"", 7);
		w_esc(w, e->val.str, 1);
		w_put(w, "\"} 1\n", 5);
		return;
	}
	if (e->mtype == MT_COUNTER)
		w_put(w, "_total", 6);
	if (e->ref.folder) {
		w_put(w, "{", 1);
		w_folder_label(e, w);
		w_put(w, "}", 1);
	}
	num[0] = ' ';
	w_put(w, num, 1 + (size_t)fmt_scalar(&e->val, num + 1));
	w_put(w, "\n", 1);
}

static void render(struct uk_prom_enc *e, struct wr *w)
{
	if (e->step < ST_SAMPLE)
		render_header(e, w, header_kind(e, e->step));
	else
		render_sample(e, w, e->step - ST_SAMPLE);
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
	struct wr w;

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
			w = (struct wr){ p, end, e->rec_off, 0 };
			render(e, &w);
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
		w = (struct wr){ p, end, 0, 0 };
		render(e, &w);
		if (w.len <= (size_t)(end - p)) {
			p = w.p;
		} else if (w.len <= UK_PROM_LINE_MAX) {
			/* Straddles the chunk: hand it out from line. */
			w = (struct wr){ e->line, e->line + UK_PROM_LINE_MAX,
					 0, 0 };
			render(e, &w);
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
