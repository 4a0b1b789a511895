/*
 * The encoder's prefix cache.  A folder's labels and its entries' names
 * do not change while it lives, so the text before each number sample's
 * value, `name{labels} `, is the same in every scrape and in both
 * formats.  The store gives each folder an annex (uk/store.h), built
 * here once when the folder is added, in the folder's own allocation and
 * freed with it: a small table (the template it was made for and, per
 * template entry, where its prefix lies) then the prefixes, then 16 bytes
 * of padding so that they copy in whole 16-byte blocks.  A scrape then
 * writes, for each number sample of a folder, one block copy, the value
 * and a newline: no name assembly, no label escaping.
 *
 * The prefixes are rendered by the same code as the samples'
 * (_uk_prom_render_prefix() in enc_render.c), so the bytes are the same
 * whichever path writes a sample.  Histograms and info entries, entries
 * whose family name does not fit and prefixes longer than
 * PFX_MAX take the general path, as do static entries and samples that
 * straddle the caller's chunk.
 *
 * Memory: per folder, 16 bytes of table header and padding, 8 per
 * template entry, and each number entry's prefix (at most PFX_MAX
 * bytes); the store counts annexes (uk_store_mem_get()).  Building one
 * allocates nothing of its own: the store sizes the folder's allocation
 * with a measuring call, so an add that cannot get the memory fails as a
 * whole with -ENOMEM.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <uk/assert.h>
#include <uk/prom.h>
#include <uk/store.h>

#include "enc_impl.h"

/* Longest prefix cached: a line of it and a number fits the line buffer. */
#define PFX_MAX (UK_PROM_LINE_MAX - UK_NUM_DOUBLE_LEN - 16)
/* Readable bytes past the last prefix (whole-block copies). */
#define PFX_PAD 16

struct pfx_slot {
	uint32_t off; /* from the annex's start */
	uint32_t len; /* 0: no prefix, the general path */
};

struct pfx_annex {
	const struct uk_store_entry *tmpl; /* the template it was made for */
	uint32_t n;
	uint32_t pad;
	struct pfx_slot slot[];
};

/* Number samples (gauge, counter, untyped) are the ones cached. */
static int cached_mtype(uint8_t mt)
{
	return mt == UK_PROM_MT_GAUGE || mt == UK_PROM_MT_COUNTER ||
	       mt == UK_PROM_MT_UNTYPED;
}

/* Length of entry j's prefix, 0 when it is not cached. */
static size_t prefix_len(const struct uk_store_annex_src *src, unsigned int j)
{
	char name[UK_PROM_NAME_MAX], one;
	struct uk_prom_wr w = { &one, &one, 0, 0 };
	uint8_t mt;

	if (_uk_prom_family_name(src->lib, &src->tmpl[j], name, &mt) < 0 ||
	    !cached_mtype(mt))
		return 0;
	_uk_prom_render_prefix(src, j, &w);
	return w.len <= PFX_MAX ? w.len : 0;
}

/*
 * The store's annex builder: measures (size 0) or writes the prefix
 * table of a folder.  Returns the annex's size, 0 when no entry of the
 * template is cached (the folder then has no annex).
 */
static size_t pfx_build(const struct uk_store_annex_src *src, void *buf,
			size_t size)
{
	struct pfx_annex *a = buf;
	size_t off = sizeof(*a) + src->n * sizeof(struct pfx_slot), len;
	size_t text = 0;
	unsigned int j;

	for (j = 0; j < src->n; j++) {
		len = prefix_len(src, j);
		if (size) {
			struct uk_prom_wr w;

			UK_ASSERT(off + text + len + PFX_PAD <= size);
			a->slot[j].off = (uint32_t)(off + text);
			a->slot[j].len = (uint32_t)len;
			w = (struct uk_prom_wr){ (char *)a + off + text,
						 (char *)a + off + text + len,
						 0, 0 };
			if (len)
				_uk_prom_render_prefix(src, j, &w);
		}
		text += len;
	}
	if (!text)
		return 0;
	if (size) {
		a->tmpl = src->tmpl;
		a->n = src->n;
		memset((char *)a + off + text, 0, PFX_PAD);
	}
	return off + text + PFX_PAD;
}

static const struct uk_store_annex_builder pfx_builder = { pfx_build };
UK_STORE_ANNEX_BUILDER(pfx_builder);

/* The cached prefix of entry en in annex a, NULL when there is none. */
static inline const struct pfx_slot *prefix_of(const struct pfx_annex *a,
					       const struct uk_store_entry *en)
{
	uintptr_t d;

	if (!a)
		return NULL;
	d = (uintptr_t)en - (uintptr_t)a->tmpl;
	if (d >= (uintptr_t)a->n * sizeof(*a->tmpl))
		return NULL;
	return &a->slot[d / sizeof(*a->tmpl)];
}

/* See enc_impl.h. */
int _uk_prom_fast_run(struct uk_prom_enc *e, char **pp, char *end)
{
	const struct uk_store_entry *en = e->ref.entry;
	char *p = *pp, *start = p;
	const struct pfx_annex *a;
	const struct pfx_slot *s;
	size_t alen;

	if (!cached_mtype(e->mtype))
		return 0;
	a = uk_store_folder_annex(e->ref.folder, &alen);
	for (;;) {
		s = prefix_of(a, en);
		if (!s || !s->len ||
		    (size_t)(end - p) < s->len + PFX_PAD + UK_NUM_DOUBLE_LEN + 1)
			break;
		_uk_prom_copy_blocks(p, (const char *)a + s->off, s->len);
		p += s->len;
		p += _uk_prom_fmt_scalar(&e->val, p);
		*p++ = '\n';
		/*
		 * On to the same entry in the next folder; anything else (a
		 * new family, another entry, the end) goes the general way.
		 */
		for (;;) {
			if (uk_store_iter_next_held(&e->it, &e->ref,
						    (const void **)&a)) {
				if (!uk_store_read_inline(&e->ref, &e->val))
					break;
				/* A failing getter drops its own sample. */
				e->getter_errors++;
				continue;
			}
			if (!uk_store_iter_next(&e->it, &e->ref, &e->first)) {
				e->it_end = 1;
				e->have_ref = 0;
				goto out;
			}
			if (e->first || e->ref.entry != en) {
				if (!_uk_prom_take_ref(e))
					e->have_ref = 0;
				goto out;
			}
			a = uk_store_folder_annex(e->ref.folder, &alen);
			if (!uk_store_read_inline(&e->ref, &e->val))
				break;
			e->getter_errors++;
		}
	}
out:
	*pp = p;
	return p != start;
}
