/*
 * ukprom encoder internals shared by enc.c, enc_render.c, dtoa.c,
 * enc_pow10.c and the encoder's tests: the record model between the
 * encoder and its renderer, the power-of-ten table and the number
 * formatters.  Not part of the public contract.
 */
#ifndef UK_PROM_ENC_IMPL_H
#define UK_PROM_ENC_IMPL_H

#include <stdint.h>

#include <uk/prom.h>

/* How a family is exposed (struct uk_prom_enc's mtype). */
enum { UK_PROM_MT_GAUGE = 0, UK_PROM_MT_COUNTER, UK_PROM_MT_INFO,
       UK_PROM_MT_HIST, UK_PROM_MT_SKIP };

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

/* Decimal exponents covered by _uk_prom_pow10 (see enc_pow10.c). */
#define UK_PROM_POW10_MIN (-292)
#define UK_PROM_POW10_MAX 324
#define UK_PROM_POW10_N (UK_PROM_POW10_MAX - UK_PROM_POW10_MIN + 1)

extern const uint64_t _uk_prom_pow10[UK_PROM_POW10_N][2];

/* Longest text of a formatted integer ("-9223372036854775808"). */
#define UK_PROM_INT_MAX_LEN 20

/* Formats v in decimal into buf (>= 20 bytes, not terminated); returns
 * the length. */
int _uk_prom_fmt_u64(uint64_t v, char *buf);
/* Formats v in decimal into buf (>= 20 bytes, not terminated); returns
 * the length. */
int _uk_prom_fmt_s64(int64_t v, char *buf);

/*
 * The shortest decimal of a finite, positive double given as its
 * significand c (with the hidden bit) and binary exponent q, so that the
 * value is c * 2^q.  Returns the decimal exponent k and sets *digits so
 * that digits * 10^k is the shortest (then closest) decimal that rounds
 * back to the double; digits may carry trailing zeros.
 */
int _uk_prom_shortest(uint64_t c, int q, uint64_t *digits);

#endif
