/*
 * uknum: the one place where numbers become text and text becomes
 * numbers, so that every layer prints and reads them alike.  The store's
 * text (/store/<path>), the Prometheus encoder (/metrics) and nolibc's
 * printf and strtod all call it.
 *
 * Three services:
 *  - the shortest text of a double that reads back as the same double
 *    (and exact integer text), the canonical number text of ukmon;
 *  - the exact decimal expansion of a double, rounded to any number of
 *    digits (what printf's %e, %f and %g need at any precision);
 *  - a correctly rounded strtod/strtof.
 *
 * The library is freestanding: it needs nothing but the compiler (no
 * libc, not even errno), which is why it can sit below nolibc.
 */
#ifndef UK_NUM_H
#define UK_NUM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- integers ------------------------------------------------------- */

/** Longest decimal text of a 64-bit integer ("-9223372036854775808"). */
#define UK_NUM_INT_LEN 20

/**
 * Writes v in decimal into buf (at least UK_NUM_INT_LEN bytes; no
 * terminator is written).
 * @return the length, 1..20
 */
int uk_num_fmt_u64(uint64_t v, char *buf);

/**
 * Writes v in decimal, with a '-' when negative, into buf (at least
 * UK_NUM_INT_LEN bytes; no terminator is written).
 * @return the length, 1..20
 */
int uk_num_fmt_s64(int64_t v, char *buf);

/* ---- the shortest text of a double ---------------------------------- */

/** Buffer size for uk_num_fmt_double (its longest text is 24 bytes). */
#define UK_NUM_DOUBLE_LEN 32

/**
 * Writes the shortest decimal text that strtod() reads back as exactly d
 * (of several equally short ones, the closest to d), NUL-terminated, into
 * buf (at least UK_NUM_DOUBLE_LEN bytes).  The layout is C's %g with the
 * precision the digits need: plain for decimal exponents -4..15 ("0.25",
 * "123.456", "1000000000000000"), otherwise "d.ddde+XX" with at least two
 * exponent digits ("1e+16", "5e-324", "2.5e-07").  Integers below 2^53
 * print in full.  Zero prints as "0" or "-0"; the others as "NaN",
 * "+Inf" and "-Inf", the spelling Prometheus reads.
 * @return the length (without the terminator)
 */
int uk_num_fmt_double(double d, char *buf);

/* ---- exact digits ----------------------------------------------------- */

/** Most significant digits in the exact decimal expansion of a double. */
#define UK_NUM_DECIMAL_MAX 767

/** A decimal number: digit[0..len) times 10^(exp - len + 1). */
struct uk_num_decimal {
	int len;        /**< digits held (0 once rounded away entirely) */
	int exp;        /**< power of ten of digit[0] */
	char digit[UK_NUM_DECIMAL_MAX + 1]; /**< ASCII digits, no leading 0 */
};

/**
 * Sets dec to the exact decimal value of |v|, every digit of it (a double
 * is a dyadic fraction, so its expansion ends).  v must be finite.  Zero
 * is the single digit "0" with exp 0.
 */
void uk_num_decimal_exact(struct uk_num_decimal *dec, double v);

/**
 * Rounds dec to its n leading digits, half to even on the exact value
 * (as glibc's printf does).  n may be 0 or negative: the rounding place
 * is then above the leading digit and the result is either a single "1"
 * one place up or nothing (len 0, a zero).  Nothing happens when n >=
 * len.
 */
void uk_num_decimal_round(struct uk_num_decimal *dec, int n);

/**
 * @return the digit of dec worth 10^pos, '0' outside its digits
 */
char uk_num_decimal_digit(const struct uk_num_decimal *dec, int pos);

/* ---- parsing ---------------------------------------------------------- */

/**
 * Reads a double from s as C's strtod() does in the "C" locale, glibc's
 * way in every detail: leading white space, an optional sign, then a
 * decimal number (digits with an optional point, an optional exponent
 * e[+-]digits), a hexadecimal one ("0x" hex digits with an optional
 * point, an optional binary exponent p[+-]digits), "inf", "infinity" or
 * "nan", "nan(chars)" (any case).  The result is correctly rounded (to
 * nearest, ties to even) however many digits the text has.  A nan(n)
 * whose n reads as an integer (strtoull, base 0) carries its low bits as
 * payload.
 * @param end   if not NULL, set past the text used, or to s when there
 *              is no number (the result is then +0)
 * @param erange if not NULL, set to 1 where strtod would set errno to
 *              ERANGE: the result overflowed to an infinity, or it is
 *              tiny (below the smallest normal after rounding) and
 *              inexact, zero included; also when the integer of a
 *              nan(n) overflows, as glibc does; else set to 0
 * @return the value
 */
double uk_num_strtod(const char *s, char **end, int *erange);

/**
 * uk_num_strtod() for a float: the text is rounded once, straight to
 * float (never through a double).
 */
float uk_num_strtof(const char *s, char **end, int *erange);

#ifdef __cplusplus
}
#endif

#endif
