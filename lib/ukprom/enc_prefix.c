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
 * and a newline: no name assembly, no label escaping.  The folders the
 * store's cursor holds (a batch) are written in one loop per value type
 * (u64, double) that calls the entry's getter directly, the entry's
 * slot in the annexes found once per run: a sample then costs little
 * more than its copy, its getter and its digits.
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

/*
 * Writes at p the prefix of template entry j in folder annex a, which
 * must have been made for tmpl, when there is one and the line fits
 * before end (the prefix, a value and a newline, with the block copy's
 * slack).  Returns the position after the prefix, NULL when the sample
 * must take the general path.
 */
static inline char *prefix_put(const struct pfx_annex *a,
			       const struct uk_store_entry *tmpl, uint32_t j,
			       char *p, char *end)
{
	const char *src;
	struct pfx_slot s;

	if (!a || a->tmpl != tmpl)
		return NULL;
	s = a->slot[j];
	if (!s.len ||
	    (size_t)(end - p) < s.len + PFX_PAD + UK_NUM_DOUBLE_LEN + 1)
		return NULL;
	src = (const char *)a + s.off;
	/* Most prefixes are 17 to 32 bytes: two blocks, no loop. */
	__builtin_memcpy(p, src, 16);
	if (s.len > 16) {
		__builtin_memcpy(p + 16, src + 16, 16);
		if (s.len > 32)
			_uk_prom_copy_blocks(p + 32, src + 32, s.len - 32);
	}
	return p + s.len;
}

/*
 * The samples of template entry j (en, of value type type: UK_STORE_U64
 * or UK_STORE_DOUBLE, with that getter) in n folders the cursor holds
 * (their cookies ck and annexes ax), written at *pp from the folders'
 * prefixes: one loop per value type, the getter called directly, so a
 * sample costs a prefix copy, a call and the digits.  A failing getter
 * drops its own sample (counted).  Returns how many folders it went
 * through: n, or i + 1 when it stopped at folder i because that sample
 * must take the general path (*stop set, its value in *v).
 */
static inline __attribute__((always_inline)) uint32_t held_run(
	const struct uk_store_entry *tmpl, uint32_t j, uint8_t type,
	void *const *ck, const void *const *ax, uint32_t n, char **pp,
	char *end, struct uk_store_value *v, uint64_t *errs, int *stop)
{
	const struct uk_store_entry *en = &tmpl[j];
	char *p = *pp, *q;
	uint32_t i;

	for (i = 0; i < n; i++) {
		uint64_t u = 0;
		double d = 0;
		int rc;

		/* As uk_store_read_inline() reads them. */
		if (type == UK_STORE_U64)
			rc = en->get.u64(ck[i], &u);
		else
			rc = en->get.dbl(ck[i], &d);
		if (rc) {
			(*errs)++;
			continue;
		}
		q = prefix_put(ax[i], tmpl, j, p, end);
		if (!q) {
			v->type = type;
			if (type == UK_STORE_U64)
				v->u = u;
			else
				v->d = d;
			*stop = 1;
			i++;
			break;
		}
		if (type == UK_STORE_U64)
			q += uk_num_fmt_u64(u, q);
		else
			q += uk_num_fmt_double(d, q);
		*q++ = '\n';
		p = q;
	}
	*pp = p;
	return i;
}

/* See enc_impl.h. */
int _uk_prom_fast_run(struct uk_prom_enc *e, char **pp, char *end)
{
	const struct uk_store_entry *en = e->ref.entry, *tmpl;
	char *p = *pp, *start = p, *q;
	const struct pfx_annex *a;
	const struct pfx_slot *s;
	const void *const *ax;
	void *const *ck;
	uint32_t j, n, k;
	uint8_t type = 0;
	size_t alen;
	int stop = 0;

	if (!cached_mtype(e->mtype))
		return 0;
	a = uk_store_folder_annex(e->ref.folder, &alen);
	s = prefix_of(a, en);
	if (!s)
		return 0;
	/*
	 * The run's folders are of one class, so their annexes were made
	 * for one template and the entry's slot is the same in each.
	 */
	tmpl = a->tmpl;
	j = (uint32_t)(s - a->slot);
	if (en->type == UK_STORE_U64 && en->get.u64)
		type = UK_STORE_U64;
	else if (en->type == UK_STORE_DOUBLE && en->get.dbl)
		type = UK_STORE_DOUBLE;
	for (;;) {
		/* The sample e stands on, its value read. */
		q = prefix_put(a, tmpl, j, p, end);
		if (!q)
			break;
		q += _uk_prom_fmt_scalar(&e->val, q);
		*q++ = '\n';
		p = q;
		/*
		 * On to the same entry in the next folders: those the cursor
		 * holds in one loop, then a refill; anything else (a new
		 * family, another entry, the end) goes the general way.
		 */
		for (;;) {
			if (type && (n = uk_store_iter_held(&e->it, &ck, &ax))) {
				k = type == UK_STORE_U64
				    ? held_run(tmpl, j, UK_STORE_U64, ck, ax, n,
					       &p, end, &e->val,
					       &e->getter_errors, &stop)
				    : held_run(tmpl, j, UK_STORE_DOUBLE, ck, ax,
					       n, &p, end, &e->val,
					       &e->getter_errors, &stop);
				uk_store_iter_skip_held(&e->it, k, &e->ref);
				if (stop)
					goto out;
				continue;
			}
			if (!type && uk_store_iter_next_held(&e->it, &e->ref,
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
