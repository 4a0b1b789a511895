/*
 * The exact decimal value of a double, for printf's %e, %f and %g at any
 * precision.  A finite double is m * 2^e with integer m, so its decimal
 * expansion ends: for e >= 0 it is the integer m * 2^e, for e < 0 it is
 * m * 5^-e / 10^-e.  That big integer is built in base 10^9 limbs and
 * written out as digits, so no digit is ever guessed; rounding then
 * happens once, on the exact digits, half to even (as glibc's printf
 * does).  At most 767 significant digits (2^-1074 * (2^53 - 1)).
 */
#include <stdint.h>

#include <uk/num.h>

#include "num_impl.h"

#define LIMB_BASE 1000000000u
/* m * 5^1074 (m < 2^53) has at most 767 digits: 86 limbs. */
#define NLIMBS 88

/* l[0..*n) *= m, in base 10^9. */
static void limbs_mul(uint32_t *l, int *n, uint32_t m)
{
	uint64_t carry = 0;
	int i;

	for (i = 0; i < *n; i++) {
		uint64_t t = (uint64_t)l[i] * m + carry;

		l[i] = (uint32_t)(t % LIMB_BASE);
		carry = t / LIMB_BASE;
	}
	while (carry) {
		if (*n == NLIMBS)
			__builtin_trap();
		l[(*n)++] = (uint32_t)(carry % LIMB_BASE);
		carry /= LIMB_BASE;
	}
}

/* See uk/num.h. */
void uk_num_decimal_exact(struct uk_num_decimal *dec, double v)
{
	uint32_t limb[NLIMBS];
	uint64_t bits, m;
	int n = 0, e2, k, i, j, bexp;
	char *p = dec->digit;

	__builtin_memcpy(&bits, &v, sizeof(bits));
	m = bits & ((1ULL << 52) - 1);
	bexp = (int)((bits >> 52) & 0x7ff);
	if (bexp == 0x7ff)
		__builtin_trap();
	if (bexp) {
		m |= 1ULL << 52;
		e2 = bexp - 1075;
	} else {
		e2 = -1074;
	}
	if (!m) {
		dec->digit[0] = '0';
		dec->len = 1;
		dec->exp = 0;
		return;
	}
	/* Fewer digits to carry around; the value is unchanged. */
	while (!(m & 1) && e2 < 0) {
		m >>= 1;
		e2++;
	}
	for (; m; m /= LIMB_BASE)
		limb[n++] = (uint32_t)(m % LIMB_BASE);
	/* m * 2^-k == m * 5^k / 10^k */
	k = e2 < 0 ? -e2 : 0;
	for (; e2 > 0; e2 -= 29)
		limbs_mul(limb, &n, 1u << (e2 < 29 ? e2 : 29));
	for (j = k; j > 0; j -= 13) {
		uint32_t f = 1;

		for (i = 0; i < (j < 13 ? j : 13); i++)
			f *= 5;
		limbs_mul(limb, &n, f);
	}
	for (i = n - 1; i >= 0; i--) {
		char nine[9];
		uint32_t x = limb[i];

		for (j = 8; j >= 0; j--, x /= 10)
			nine[j] = (char)('0' + x % 10);
		/* The top limb without its leading zeros. */
		j = 0;
		if (i == n - 1)
			while (j < 8 && nine[j] == '0')
				j++;
		_uk_num_copy(p, nine + j, 9 - j);
		p += 9 - j;
	}
	dec->len = (int)(p - dec->digit);
	dec->exp = dec->len - 1 - k;
}

/* See uk/num.h. */
void uk_num_decimal_round(struct uk_num_decimal *dec, int n)
{
	int up, i;

	if (n >= dec->len)
		return;
	if (n < 0) {
		dec->len = 0;
		return;
	}
	if (dec->digit[n] > '5') {
		up = 1;
	} else if (dec->digit[n] < '5') {
		up = 0;
	} else {
		/* A 5: a tie unless a non-zero digit follows; ties to even. */
		up = n > 0 && ((dec->digit[n - 1] - '0') & 1);
		for (i = n + 1; i < dec->len && !up; i++)
			up = dec->digit[i] != '0';
	}
	dec->len = n;
	if (!up)
		return;
	for (i = n - 1; i >= 0 && dec->digit[i] == '9'; i--)
		dec->digit[i] = '0';
	if (i >= 0) {
		dec->digit[i]++;
		return;
	}
	/* 99..9 carried into a new leading digit: 1 followed by zeros. */
	dec->digit[0] = '1';
	for (i = 1; i <= n; i++)
		dec->digit[i] = '0';
	dec->len = n + 1;
	dec->exp++;
}

/* See uk/num.h. */
char uk_num_decimal_digit(const struct uk_num_decimal *dec, int pos)
{
	int i = dec->exp - pos;

	return i >= 0 && i < dec->len ? dec->digit[i] : '0';
}
