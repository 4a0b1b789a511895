/*
 * ukprom encoder internals shared by enc.c, enc_render.c and the
 * encoder's tests: the record model between the encoder and its
 * renderer.  Numbers are formatted by uknum (uk/num.h).  Not part of the
 * public contract.
 */
#ifndef UK_PROM_ENC_IMPL_H
#define UK_PROM_ENC_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <uk/num.h>
#include <uk/prom.h>

/* How a family is exposed (struct uk_prom_enc's mtype). */
enum { UK_PROM_MT_GAUGE = 0, UK_PROM_MT_COUNTER, UK_PROM_MT_INFO,
       UK_PROM_MT_HIST, UK_PROM_MT_UNTYPED, UK_PROM_MT_SKIP };

/* Longest folder name, as uk/store.h promises. */
#define UK_PROM_FOLDER_NAME_MAX 63

/*
 * Records of an entry (struct uk_prom_enc's step): three header slots,
 * which hold a HELP, TYPE or UNIT line or nothing, then its samples.
 */
enum { UK_PROM_ST_SAMPLE = 3 };
enum { UK_PROM_H_NONE = 0, UK_PROM_H_HELP, UK_PROM_H_TYPE, UK_PROM_H_UNIT };

/*
 * A window [skip, skip + (end - p)) onto the record being rendered: the
 * renderer writes only the bytes that fall in it, at p, and counts the
 * record's full length in len.
 */
struct uk_prom_wr {
	char *p, *end;
	uint32_t skip;
	uint32_t len;
};

/*
 * Copies n bytes in whole 16-byte blocks, so up to 15 bytes too many:
 * the source must be readable that far (an array rounded up to 16
 * bytes: the family name and label, a prefix annex's padding) and the
 * destination must have that much room; bytes past n are overwritten by
 * what follows.
 */
static inline void _uk_prom_copy_blocks(char *d, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i += 16)
		__builtin_memcpy(d + i, s + i, 16);
}

/* A number value's text into b (UK_NUM_DOUBLE_LEN bytes); its length. */
static inline int _uk_prom_fmt_scalar(const struct uk_store_value *v, char *b)
{
	switch (v->type) {
	case UK_STORE_S8:
	case UK_STORE_S16:
	case UK_STORE_S32:
	case UK_STORE_S64:
		return uk_num_fmt_s64(v->s, b);
	case UK_STORE_DOUBLE:
		return uk_num_fmt_double(v->d, b);
	default:
		return uk_num_fmt_u64(v->u, b);
	}
}

/* What header slot slot of the current family holds (UK_PROM_H_*). */
int _uk_prom_header_kind(const struct uk_prom_enc *e, unsigned int slot);

/*
 * Renders the record e stands on (e->step of its current entry) through
 * window w.  Deterministic: the same record renders the same bytes.
 */
void _uk_prom_render(struct uk_prom_enc *e, struct uk_prom_wr *w);

/*
 * The family name of entry en of library lib into name (at least
 * UK_PROM_NAME_MAX bytes, not terminated) and its exposure into *mtype.
 * Returns the name's length, or -1 (and UK_PROM_MT_SKIP) when it does
 * not fit.
 */
int _uk_prom_family_name(const struct uk_store_lib *lib,
			 const struct uk_store_entry *en, char *name,
			 uint8_t *mtype);

/*
 * Takes the entry the store cursor just returned into e->ref: family,
 * value, first record.  Returns 1 when it has a record to show (e->step
 * set), 0 when it is dropped or empty.
 */
int _uk_prom_take_ref(struct uk_prom_enc *e);

/*
 * Renders through w the prefix of template entry j's samples in a folder
 * described by src: the sample's name, its labels in braces and the
 * space before the value, exactly as the sample renders them.
 */
void _uk_prom_render_prefix(const struct uk_store_annex_src *src,
			    unsigned int j, struct uk_prom_wr *w);

/*
 * Writes at *p (before end) the sample e stands on and those after it
 * that come from the same entry in the following folders, each from its
 * folder's prefix, and moves e on.  Returns 1 when it wrote any (*p
 * moved), 0 when the record must take the general path (no prefix, no
 * room).
 */
int _uk_prom_fast_run(struct uk_prom_enc *e, char **p, char *end);

#endif
