/*
 * The encoder's rendering half: turns the record the encoder stands on
 * (a HELP, TYPE or UNIT line, or one sample line of the current entry)
 * into bytes, through a window that keeps only the part of the record a
 * call still needs (see struct uk_prom_wr).  A sample's labels are its
 * folder's (in order), then its entry's constant label, then what the
 * sample adds (le, an info's value or label pairs).  It escapes label
 * values and HELP text, keeps them valid UTF-8, formats numbers, and has
 * a fast path for the common number sample (no label or one folder
 * label) that writes without per-piece checks when the caller's buffer
 * has room to spare.
 */
#include <stdint.h>
#include <string.h>

#include <uk/assert.h>
#include <uk/num.h>
#include <uk/prom.h>
#include <uk/store.h>

#include "enc_impl.h"

static void w_put_slow(struct uk_prom_wr *w, const char *s, size_t n)
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

static inline void w_put(struct uk_prom_wr *w, const char *s, size_t n)
{
	if (__builtin_expect(!w->skip && (size_t)(w->end - w->p) >= n, 1)) {
		memcpy(w->p, s, n);
		w->p += n;
		w->len += (uint32_t)n;
		return;
	}
	w_put_slow(w, s, n);
}

static inline void w_str(struct uk_prom_wr *w, const char *s)
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
static void w_esc(struct uk_prom_wr *w, const char *s, int quote)
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

static void render_header(struct uk_prom_enc *e, struct uk_prom_wr *w, int kind)
{
	static const char *const text_types[] = {
		"gauge", "counter", "gauge", "histogram", "untyped" };
	static const char *const om_types[] = {
		"gauge", "counter", "info", "histogram", "unknown" };
	int text = e->fmt == UK_PROM_FMT_TEXT;

	w_str(w, kind == UK_PROM_H_HELP ? "# HELP " : kind == UK_PROM_H_TYPE ? "# TYPE "
							      : "# UNIT ");
	w_put(w, e->name, e->name_len);
	if (text && e->mtype == UK_PROM_MT_COUNTER)
		w_put(w, "_total", 6);
	else if (text && e->mtype == UK_PROM_MT_INFO)
		w_put(w, "_info", 5);
	w_put(w, " ", 1);
	if (kind == UK_PROM_H_HELP)
		w_esc(w, e->ref.entry->help, !text);
	else if (kind == UK_PROM_H_TYPE)
		w_str(w, (text ? text_types : om_types)[e->mtype]);
	else
		w_str(w, e->ref.entry->unit == UK_STORE_UNIT_BYTES ? "bytes"
								   : "seconds");
	w_put(w, "\n", 1);
}

/* name="value", value escaped. */
static void w_pair(struct uk_prom_wr *w, const char *name, const char *value)
{
	w_str(w, name);
	w_put(w, "=\"", 2);
	w_esc(w, value, 1);
	w_put(w, "\"", 1);
}

/* Does every sample of the current entry carry labels of its own? */
static int has_labels(const struct uk_prom_enc *e)
{
	return e->ref.folder || e->ref.entry->lname;
}

/*
 * The labels every sample of the current entry carries, comma-separated:
 * its folder's in order, then its constant one.  Returns how many.
 */
static unsigned int w_labels(struct uk_prom_enc *e, struct uk_prom_wr *w)
{
	const struct uk_store_folder *f = e->ref.folder;
	const struct uk_store_entry *en = e->ref.entry;
	unsigned int i, nl, n = 0;

	if (f) {
		nl = uk_store_folder_nlabels(f);
		for (i = 0; i < nl; i++) {
			if (n++)
				w_put(w, ",", 1);
			w_pair(w, uk_store_folder_label_at(f, i),
			       uk_store_folder_value_at(f, i));
		}
	}
	if (en->lname && en->lvalue) {
		if (n++)
			w_put(w, ",", 1);
		w_pair(w, en->lname, en->lvalue);
	}
	return n;
}

/*
 * A bucket bound.  OpenMetrics wants canonical numbers in le, where an
 * integral bound keeps a ".0" (le="1.0"); the text format writes the
 * shortest form, as Prometheus' own clients do (le="1").
 */
static void w_le(struct uk_prom_enc *e, struct uk_prom_wr *w, double le)
{
	char num[40];
	int n = uk_num_fmt_double(le, num), i = 0;

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

static void render_hist(struct uk_prom_enc *e, struct uk_prom_wr *w, unsigned int i)
{
	const struct uk_store_hist_val *h = &e->val.hist;
	uint32_t nb = h->nbuckets;
	char num[32];
	int n;

	w_put(w, e->name, e->name_len);
	if (i <= nb) {
		w_put(w, "_bucket{", 8);
		if (w_labels(e, w))
			w_put(w, ",", 1);
		w_put(w, "le=\"", 4);
		if (i < nb)
			w_le(e, w, h->le[i]);
		else
			w_put(w, "+Inf", 4);
		w_put(w, "\"} ", 3);
		n = uk_num_fmt_u64(i < nb ? h->cum[i] : h->count, num);
	} else {
		w_str(w, i == nb + 1 ? "_sum" : "_count");
		if (has_labels(e)) {
			w_put(w, "{", 1);
			w_labels(e, w);
			w_put(w, "}", 1);
		}
		w_put(w, " ", 1);
		n = i == nb + 1 ? uk_num_fmt_double(h->sum, num)
				: uk_num_fmt_u64(h->count, num);
	}
	w_put(w, num, (size_t)n);
	w_put(w, "\n", 1);
}

/*
 * The common case, a number sample with room to spare in the window,
 * written without per-piece bounds checks.  Returns 1 if it did so, 0 if
 * the room is short (the caller takes the checked path).
 */
static int fast_scalar(struct uk_prom_enc *e, struct uk_prom_wr *w)
{
	const char *fn = e->ref.folder ? uk_store_folder_value(e->ref.folder)
				       : NULL;
	char *p = w->p;
	int i;

	/*
	 * name, _total, {label="value"}, space, number (< 32), newline; a
	 * folder's label value of at most UK_PROM_FOLDER_NAME_MAX bytes
	 * (every plain folder's, uk/store.h), each escaped to at most two;
	 * a longer one (a valued folder's) takes the checked path.
	 */
	if (e->label_len == UINT16_MAX ||
	    (size_t)(w->end - p) < (size_t)e->name_len + e->label_len +
				   2 * UK_PROM_FOLDER_NAME_MAX + 48 + 32)
		return 0;
	_uk_prom_copy_blocks(p, e->name, e->name_len);
	p += e->name_len;
	if (e->mtype == UK_PROM_MT_COUNTER) {
		memcpy(p, "_total", 6);
		p += 6;
	}
	if (fn) {
		*p++ = '{';
		_uk_prom_copy_blocks(p, e->label, e->label_len);
		p += e->label_len;
		*p++ = '=';
		*p++ = '"';
		for (i = 0; fn[i]; i++) {
			char c = fn[i];

			/*
			 * Longer than promised, or not ASCII (the checked
			 * path validates UTF-8).
			 */
			if (i == UK_PROM_FOLDER_NAME_MAX || (unsigned char)c >= 0x80)
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
	p += _uk_prom_fmt_scalar(&e->val, p);
	*p++ = '\n';
	w->len += (uint32_t)(p - w->p);
	w->p = p;
	return 1;
}

/*
 * The rest of an info sample after its family name: a string info is
 * _info{labels,value="..."} 1, a label set _info{labels,pairs...} 1 (no
 * braces when there is no label at all).
 */
static void render_info(struct uk_prom_enc *e, struct uk_prom_wr *w)
{
	const struct uk_store_labels_val *lv = &e->val.labels;
	unsigned int i, n;

	if (e->val.type != UK_STORE_LABELS) {
		w_put(w, "_info{", 6);
		if (w_labels(e, w))
			w_put(w, ",", 1);
		w_put(w, "value=\"", 7);
		w_esc(w, e->val.str, 1);
		w_put(w, "\"} 1\n", 5);
		return;
	}
	if (!lv->n && !has_labels(e)) {
		w_put(w, "_info 1\n", 8);
		return;
	}
	w_put(w, "_info{", 6);
	n = w_labels(e, w);
	for (i = 0; i < lv->n; i++) {
		if (n++)
			w_put(w, ",", 1);
		w_pair(w, lv->l[i].name, lv->l[i].value ? lv->l[i].value : "");
	}
	w_put(w, "} 1\n", 4);
}

static void render_sample(struct uk_prom_enc *e, struct uk_prom_wr *w, unsigned int i)
{
	char num[32];

	if (e->mtype == UK_PROM_MT_HIST) {
		render_hist(e, w, i);
		return;
	}
	if (e->mtype != UK_PROM_MT_INFO && !w->skip && fast_scalar(e, w))
		return;
	w_put(w, e->name, e->name_len);
	if (e->mtype == UK_PROM_MT_INFO) {
		render_info(e, w);
		return;
	}
	if (e->mtype == UK_PROM_MT_COUNTER)
		w_put(w, "_total", 6);
	if (has_labels(e)) {
		w_put(w, "{", 1);
		w_labels(e, w);
		w_put(w, "}", 1);
	}
	num[0] = ' ';
	w_put(w, num, 1 + (size_t)_uk_prom_fmt_scalar(&e->val, num + 1));
	w_put(w, "\n", 1);
}

/* See enc_impl.h: the scalar sample's layout of render_sample(). */
void _uk_prom_render_prefix(const struct uk_store_annex_src *src,
			    unsigned int j, struct uk_prom_wr *w)
{
	const struct uk_store_entry *en = &src->tmpl[j];
	char name[UK_PROM_NAME_MAX];
	unsigned int i;
	uint8_t mt;
	int n = _uk_prom_family_name(src->lib, en, name, &mt);

	UK_ASSERT(n >= 0);
	w_put(w, name, (size_t)n);
	if (mt == UK_PROM_MT_COUNTER)
		w_put(w, "_total", 6);
	w_put(w, "{", 1);
	for (i = 0; i < src->nlabels; i++) {
		if (i)
			w_put(w, ",", 1);
		w_pair(w, src->names[i], src->values[i]);
	}
	if (en->lname && en->lvalue) {
		w_put(w, ",", 1);
		w_pair(w, en->lname, en->lvalue);
	}
	w_put(w, "} ", 2);
}

/* See enc_impl.h. */
void _uk_prom_render(struct uk_prom_enc *e, struct uk_prom_wr *w)
{
	if (e->step < UK_PROM_ST_SAMPLE)
		render_header(e, w, _uk_prom_header_kind(e, e->step));
	else
		render_sample(e, w, e->step - UK_PROM_ST_SAMPLE);
}
