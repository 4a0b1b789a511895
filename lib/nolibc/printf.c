/*
 * The printf engine and the snprintf family.  Integers follow C99 to the
 * letter (flags, width, precision, the "#" forms of o and x, a zero
 * precision printing no digit for 0).  Floating conversions print the
 * exact decimal value of the double, rounded once, half to even, as glibc
 * does: uknum expands the double into all its decimal digits and rounds
 * them (uk_num_decimal_*); this file only lays them out.  %a and the L
 * length (%Le...) are not supported: the conversion prints as written.
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <uk/num.h>

#include "fmt.h"

enum {
	F_LEFT = 1, F_PLUS = 2, F_SPACE = 4, F_ALT = 8, F_ZERO = 16,
};

enum len { L_NONE, L_HH, L_H, L_L, L_LL, L_J, L_Z, L_T, L_LD };

struct spec {
	int flags;
	int width;
	int prec;     /* -1: none */
	enum len len;
	char conv;
};

static void emit(struct _nolibc_sink *s, const char *p, size_t n)
{
	s->total += n;
	while (n) {
		size_t room = s->cap - s->pos, k;

		if (!room) {
			if (!s->flush)
				return;
			s->flush(s);
			continue;
		}
		k = n < room ? n : room;
		memcpy(s->buf + s->pos, p, k);
		s->pos += k;
		p += k;
		n -= k;
	}
}

static void emit_c(struct _nolibc_sink *s, char c)
{
	emit(s, &c, 1);
}

static void emit_rep(struct _nolibc_sink *s, char c, size_t n)
{
	char run[32];

	memset(run, c, sizeof(run));
	while (n) {
		size_t k = n < sizeof(run) ? n : sizeof(run);

		emit(s, run, k);
		n -= k;
	}
}

/* Pads a field of body length len (plus prefix) to the width. */
static void pad_before(struct _nolibc_sink *s, const struct spec *sp,
		       size_t len)
{
	if (!(sp->flags & (F_LEFT | F_ZERO)) && (size_t)sp->width > len)
		emit_rep(s, ' ', (size_t)sp->width - len);
}

static void pad_zero(struct _nolibc_sink *s, const struct spec *sp,
		     size_t len)
{
	if ((sp->flags & (F_LEFT | F_ZERO)) == F_ZERO &&
	    (size_t)sp->width > len)
		emit_rep(s, '0', (size_t)sp->width - len);
}

static void pad_after(struct _nolibc_sink *s, const struct spec *sp,
		      size_t len)
{
	if ((sp->flags & F_LEFT) && (size_t)sp->width > len)
		emit_rep(s, ' ', (size_t)sp->width - len);
}

/* A string field: %s, %c, "(nil)"; no zero padding. */
static void fmt_str(struct _nolibc_sink *s, struct spec sp, const char *str,
		    size_t len)
{
	sp.flags &= ~F_ZERO;
	pad_before(s, &sp, len);
	emit(s, str, len);
	pad_after(s, &sp, len);
}

static void fmt_int(struct _nolibc_sink *s, struct spec sp, uintmax_t v,
		    int neg)
{
	char digits[24], prefix[3];
	const char *xd = sp.conv == 'X' ? "0123456789ABCDEF" :
		"0123456789abcdef";
	unsigned base = 10;
	size_t nd = 0, np = 0, zeros = 0, len;
	int signed_conv = sp.conv == 'd' || sp.conv == 'i';

	if (sp.conv == 'o')
		base = 8;
	else if (sp.conv == 'x' || sp.conv == 'X' || sp.conv == 'p')
		base = 16;
	for (uintmax_t t = v; t; t /= base)
		digits[sizeof(digits) - ++nd] = xd[t % base];
	if (!v && sp.prec != 0)
		digits[sizeof(digits) - ++nd] = '0';

	if (signed_conv || sp.conv == 'p') {
		if (neg)
			prefix[np++] = '-';
		else if (sp.flags & F_PLUS)
			prefix[np++] = '+';
		else if (sp.flags & F_SPACE)
			prefix[np++] = ' ';
	}
	if ((sp.conv == 'x' || sp.conv == 'X') && (sp.flags & F_ALT) && v) {
		prefix[np++] = '0';
		prefix[np++] = sp.conv;
	}
	if (sp.conv == 'p') {
		prefix[np++] = '0';
		prefix[np++] = 'x';
	}
	if (sp.prec >= 0) {
		sp.flags &= ~F_ZERO;
		if ((size_t)sp.prec > nd)
			zeros = (size_t)sp.prec - nd;
	}
	/* "#o" makes the first digit a 0 (it is not a precision). */
	if (sp.conv == 'o' && (sp.flags & F_ALT) && !zeros &&
	    (!nd || digits[sizeof(digits) - nd] != '0'))
		zeros = 1;
	len = np + zeros + nd;
	pad_before(s, &sp, len);
	emit(s, prefix, np);
	pad_zero(s, &sp, len);
	emit_rep(s, '0', zeros);
	emit(s, digits + sizeof(digits) - nd, nd);
	pad_after(s, &sp, len);
}

/* ---- floating point ----------------------------------------------- */

static void fmt_special(struct _nolibc_sink *s, struct spec sp, char sign,
			const char *word)
{
	size_t len = 3 + (sign != 0);

	sp.flags &= ~F_ZERO;
	pad_before(s, &sp, len);
	if (sign)
		emit_c(s, sign);
	emit(s, word, 3);
	pad_after(s, &sp, len);
}

static void fmt_float(struct _nolibc_sink *s, struct spec sp, double x)
{
	struct uk_num_decimal dec;
	uint64_t bits;
	char sign = 0, conv = sp.conv, expbuf[8];
	int upper = conv >= 'A' && conv <= 'Z', prec, style, frac, i, x10;
	int nexp = 0, point, trim, top;
	size_t len;

	memcpy(&bits, &x, sizeof(bits));
	if (bits >> 63)
		sign = '-';
	else if (sp.flags & F_PLUS)
		sign = '+';
	else if (sp.flags & F_SPACE)
		sign = ' ';
	if (((bits >> 52) & 0x7ff) == 0x7ff) {
		if (bits & ((1ULL << 52) - 1))
			fmt_special(s, sp, sign, upper ? "NAN" : "nan");
		else
			fmt_special(s, sp, sign, upper ? "INF" : "inf");
		return;
	}
	uk_num_decimal_exact(&dec, x);
	prec = sp.prec < 0 ? 6 : sp.prec;
	conv |= 0x20;
	trim = 0;
	if (conv == 'g') {
		if (!prec)
			prec = 1;
		uk_num_decimal_round(&dec, prec);
		x10 = dec.len ? dec.exp : 0;
		if (x10 < prec && x10 >= -4) {
			style = 'f';
			prec = prec - 1 - x10;
		} else {
			style = 'e';
			prec = prec - 1;
		}
		trim = !(sp.flags & F_ALT);
	} else {
		style = conv;
	}
	if (style == 'e') {
		uk_num_decimal_round(&dec, prec + 1);
		x10 = dec.exp;
		if (dec.len == 1 && dec.digit[0] == '0')
			x10 = 0;
	} else {
		uk_num_decimal_round(&dec, dec.exp + 1 + prec);
		x10 = 0;
	}
	/* frac: digits after the point that are printed; top: the place
	 * of the digit before the point. */
	frac = prec;
	top = style == 'e' ? x10 : 0;
	while (trim && frac > 0 &&
	       uk_num_decimal_digit(&dec, top - frac) == '0')
		frac--;
	point = frac > 0 || (sp.flags & F_ALT);
	if (style == 'e') {
		unsigned ae = (unsigned)(x10 < 0 ? -x10 : x10);

		do {
			expbuf[sizeof(expbuf) - ++nexp] = (char)('0' + ae % 10);
			ae /= 10;
		} while (ae);
		if (nexp < 2)
			expbuf[sizeof(expbuf) - ++nexp] = '0';
		expbuf[sizeof(expbuf) - ++nexp] = x10 < 0 ? '-' : '+';
		expbuf[sizeof(expbuf) - ++nexp] = upper ? 'E' : 'e';
		len = 1 + (size_t)point + (size_t)frac + (size_t)nexp;
	} else {
		int ilen = dec.len && dec.exp > 0 ? dec.exp + 1 : 1;

		len = (size_t)ilen + (size_t)point + (size_t)frac;
	}
	len += sign != 0;
	pad_before(s, &sp, len);
	if (sign)
		emit_c(s, sign);
	pad_zero(s, &sp, len);
	if (style == 'e') {
		emit_c(s, dec.digit[0]);
	} else {
		for (i = dec.len && dec.exp > 0 ? dec.exp : 0; i >= 0; i--)
			emit_c(s, uk_num_decimal_digit(&dec, i));
	}
	if (point)
		emit_c(s, '.');
	for (i = 1; i <= frac; i++)
		emit_c(s, uk_num_decimal_digit(&dec, top - i));
	if (style == 'e')
		emit(s, expbuf + sizeof(expbuf) - nexp, (size_t)nexp);
	pad_after(s, &sp, len);
}

/* ---- the engine ----------------------------------------------------- */

static int read_int(const char **p)
{
	long v = 0;

	while (**p >= '0' && **p <= '9') {
		if (v < INT_MAX)
			v = v * 10 + (**p - '0');
		(*p)++;
	}
	return v > INT_MAX ? INT_MAX : (int)v;
}

static uintmax_t arg_unsigned(va_list *ap, enum len len)
{
	switch (len) {
	case L_HH: return (unsigned char)va_arg(*ap, unsigned int);
	case L_H: return (unsigned short)va_arg(*ap, unsigned int);
	case L_L: return va_arg(*ap, unsigned long);
	case L_LL: return va_arg(*ap, unsigned long long);
	case L_J: return va_arg(*ap, uintmax_t);
	case L_Z: return va_arg(*ap, size_t);
	case L_T: return (uintmax_t)va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, unsigned int);
	}
}

static intmax_t arg_signed(va_list *ap, enum len len)
{
	switch (len) {
	case L_HH: return (signed char)va_arg(*ap, int);
	case L_H: return (short)va_arg(*ap, int);
	case L_L: return va_arg(*ap, long);
	case L_LL: return va_arg(*ap, long long);
	case L_J: return va_arg(*ap, intmax_t);
	case L_Z: return va_arg(*ap, long);
	case L_T: return va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, int);
	}
}

static void store_count(va_list *ap, enum len len, size_t n)
{
	switch (len) {
	case L_HH: *va_arg(*ap, signed char *) = (signed char)n; break;
	case L_H: *va_arg(*ap, short *) = (short)n; break;
	case L_L: *va_arg(*ap, long *) = (long)n; break;
	case L_LL: *va_arg(*ap, long long *) = (long long)n; break;
	case L_J: *va_arg(*ap, intmax_t *) = (intmax_t)n; break;
	case L_Z: *va_arg(*ap, size_t *) = n; break;
	case L_T: *va_arg(*ap, ptrdiff_t *) = (ptrdiff_t)n; break;
	default: *va_arg(*ap, int *) = (int)n; break;
	}
}

/* See fmt.h. */
int _nolibc_vformat(struct _nolibc_sink *s, const char *fmt, va_list ap0)
{
	va_list ap;
	const char *p = fmt;

	va_copy(ap, ap0);
	while (*p) {
		const char *start;
		struct spec sp = { 0, 0, -1, L_NONE, 0 };
		size_t lit = strcspn(p, "%");

		emit(s, p, lit);
		p += lit;
		if (!*p)
			break;
		start = p++;
		for (;; p++) {
			if (*p == '-')
				sp.flags |= F_LEFT;
			else if (*p == '+')
				sp.flags |= F_PLUS;
			else if (*p == ' ')
				sp.flags |= F_SPACE;
			else if (*p == '#')
				sp.flags |= F_ALT;
			else if (*p == '0')
				sp.flags |= F_ZERO;
			else
				break;
		}
		if (*p == '*') {
			p++;
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.flags |= F_LEFT;
				sp.width = sp.width == INT_MIN ? INT_MAX :
					-sp.width;
			}
		} else {
			sp.width = read_int(&p);
		}
		if (*p == '.') {
			p++;
			if (*p == '*') {
				p++;
				sp.prec = va_arg(ap, int);
				if (sp.prec < 0)
					sp.prec = -1;
			} else {
				sp.prec = read_int(&p);
			}
		}
		switch (*p) {
		case 'h':
			sp.len = p[1] == 'h' ? L_HH : L_H;
			p += sp.len == L_HH ? 2 : 1;
			break;
		case 'l':
			sp.len = p[1] == 'l' ? L_LL : L_L;
			p += sp.len == L_LL ? 2 : 1;
			break;
		case 'q': sp.len = L_LL; p++; break;
		case 'j': sp.len = L_J; p++; break;
		case 'z': sp.len = L_Z; p++; break;
		case 't': sp.len = L_T; p++; break;
		case 'L': sp.len = L_LD; p++; break;
		default: break;
		}
		sp.conv = *p;
		switch (sp.conv) {
		case 'd':
		case 'i': {
			intmax_t v = arg_signed(&ap, sp.len);

			fmt_int(s, sp, v < 0 ? 0 - (uintmax_t)v : (uintmax_t)v,
				v < 0);
			break;
		}
		case 'u':
		case 'o':
		case 'x':
		case 'X':
			fmt_int(s, sp, arg_unsigned(&ap, sp.len), 0);
			break;
		case 'p': {
			void *v = va_arg(ap, void *);

			if (!v)
				fmt_str(s, sp, "(nil)", 5);
			else
				fmt_int(s, sp, (uintptr_t)v, 0);
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);

			fmt_str(s, sp, &c, 1);
			break;
		}
		case 's': {
			const char *str = va_arg(ap, const char *);

			if (!str)
				str = sp.prec < 0 || sp.prec >= 6 ?
					"(null)" : "";
			fmt_str(s, sp, str, sp.prec < 0 ? strlen(str) :
				strnlen(str, (size_t)sp.prec));
			break;
		}
		case 'f':
		case 'F':
		case 'e':
		case 'E':
		case 'g':
		case 'G':
			/* No L (x87 extended) floats: printed as written. */
			if (sp.len == L_LD) {
				emit(s, start, (size_t)(p + 1 - start));
				break;
			}
			fmt_float(s, sp, va_arg(ap, double));
			break;
		case 'n':
			store_count(&ap, sp.len, s->total);
			break;
		case '%':
			emit_c(s, '%');
			break;
		default:
			/* Unknown: print it as written, as glibc does. */
			if (!*p) {
				emit(s, start, (size_t)(p - start));
				continue;
			}
			emit(s, start, (size_t)(p + 1 - start));
			break;
		}
		p++;
	}
	va_end(ap);
	return s->total > INT_MAX ? -1 : (int)s->total;
}

/*
 * Formats into buf, storing at most size - 1 bytes and a terminator
 * (nothing if size is 0).  Returns the length of the whole output.
 */
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt,
	      va_list ap)
{
	struct _nolibc_sink s = { buf, size ? size - 1 : 0, 0, 0, NULL };
	int n = _nolibc_vformat(&s, fmt, ap);

	if (size)
		buf[s.pos] = 0;
	return n;
}

/* See vsnprintf. */
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* vsnprintf without a bound: buf must be large enough. */
int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
{
	return vsnprintf(buf, INT_MAX, fmt, ap);
}

/* See vsprintf. */
int sprintf(char *restrict buf, const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsprintf(buf, fmt, ap);
	va_end(ap);
	return n;
}
