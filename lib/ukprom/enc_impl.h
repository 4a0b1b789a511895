/*
 * ukprom encoder internals shared by enc.c, enc_render.c and the
 * encoder's tests: the record model between the encoder and its
 * renderer.  Numbers are formatted by uknum (uk/num.h).  Not part of the
 * public contract.
 */
#ifndef UK_PROM_ENC_IMPL_H
#define UK_PROM_ENC_IMPL_H

#include <stdint.h>

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

/* What header slot slot of the current family holds (UK_PROM_H_*). */
int _uk_prom_header_kind(const struct uk_prom_enc *e, unsigned int slot);

/*
 * Renders the record e stands on (e->step of its current entry) through
 * window w.  Deterministic: the same record renders the same bytes.
 */
void _uk_prom_render(struct uk_prom_enc *e, struct uk_prom_wr *w);

#endif
