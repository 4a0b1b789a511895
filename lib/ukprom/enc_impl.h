/*
 * ukprom encoder internals shared by enc.c, dtoa.c, enc_pow10.c and the
 * encoder's tests: the power-of-ten table and the number formatters.
 * Not part of the public contract.
 */
#ifndef UK_PROM_ENC_IMPL_H
#define UK_PROM_ENC_IMPL_H

#include <stdint.h>

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
