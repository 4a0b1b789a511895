/*
 * Values as text: uk_store_write_text() parses integers and doubles,
 * uk_store_value_format() prints any value (an info's label pairs as
 * name="value" lines, escaped as the exposition escapes label values).  Doubles go through uknum
 * both ways: they print as the shortest text that reads back as the same
 * double, the very text the Prometheus encoder prints, so /store/<path>
 * and /metrics always agree; and they parse correctly rounded
 * (uk_num_strtod), however many digits the text has.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/num.h>
#include <uk/store.h>

#include "store_impl.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Parses an integer: optional sign, decimal or 0x hexadecimal digits.
 * Sets *neg and *mag.  Returns 0, -EINVAL, or -ERANGE beyond 64 bits.
 */
static int parse_int(const char *s, const char *end, int *neg, uint64_t *mag)
{
	unsigned int base = 10, d;
	uint64_t m = 0;

	*neg = 0;
	if (s < end && (*s == '-' || *s == '+'))
		*neg = *s++ == '-';
	if (end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (s == end)
		return -EINVAL;
	for (; s < end; s++) {
		char c = *s;

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned int)(c - 'A' + 10);
		else
			return -EINVAL;
		if (m > (UINT64_MAX - d) / base)
			return -ERANGE;
		m = m * base + d;
	}
	*mag = m;
	return 0;
}

/*
 * Parses a double: all of [s, end) must be one number as strtod reads it
 * (decimal, hexadecimal, inf, infinity, nan).  Returns 0 and *out, or
 * -EINVAL, or -ERANGE for a finite number beyond the largest double (a
 * tiny one rounds, to zero at worst, as it would be stored anyway).
 */
static int parse_double(const char *s, const char *end, double *out)
{
	char *e;
	int range;

	if (s == end)
		return -EINVAL;
	*out = uk_num_strtod(s, &e, &range);
	if (e != end)
		return -EINVAL;
	if (range && (*out > 1.7976931348623157e308 ||
		      *out < -1.7976931348623157e308))
		return -ERANGE;
	return 0;
}

/*
 * Parses text (surrounding white space ignored) as a value of the
 * entry's type and writes it.  Returns as uk_store_write(), -EINVAL for
 * unparsable text, or -ERANGE for a number out of range (an integer
 * beyond 64 bits, a double beyond the largest).
 */
int uk_store_write_text(const struct uk_store_ref *ref, const char *text)
{
	struct uk_store_value v = { 0 };
	const char *s, *end;
	uint64_t mag;
	int neg, rc;
	uint8_t t;

	if (!ref || !ref->entry || !text)
		return -EINVAL;
	t = ref->entry->type;
	if (!ref->entry->set.any)
		return -EPERM;
	if (t == UK_STORE_STRING) {
		v.type = UK_STORE_STRING;
		v.str = text;
		return uk_store_write(ref, &v);
	}
	s = text;
	end = text + _uk_store_strnlen(text, (size_t)-1);
	while (s < end && is_space(*s))
		s++;
	while (end > s && is_space(end[-1]))
		end--;
	if (t == UK_STORE_DOUBLE) {
		v.type = UK_STORE_DOUBLE;
		rc = parse_double(s, end, &v.d);
		return rc ? rc : uk_store_write(ref, &v);
	}
	if (!_uk_store_is_signed(t) && !_uk_store_is_unsigned(t))
		return -EINVAL;
	rc = parse_int(s, end, &neg, &mag);
	if (rc)
		return rc;
	if (neg) {
		if (mag > (uint64_t)INT64_MAX + 1)
			return -ERANGE;
		v.type = UK_STORE_S64;
		v.s = mag ? (int64_t)(0 - mag) : 0;
	} else {
		v.type = UK_STORE_U64;
		v.u = mag;
	}
	return uk_store_write(ref, &v);
}

/* A bounded output: counts every byte, stores those that fit. */
struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++, o->len++)
		if (o->size && o->len < o->size - 1)
			o->buf[o->len] = s[i];
}

static void put_str(struct out *o, const char *s)
{
	put(o, s, _uk_store_strnlen(s, (size_t)-1));
}

static void put_u64(struct out *o, uint64_t u)
{
	char b[UK_NUM_INT_LEN];

	put(o, b, (size_t)uk_num_fmt_u64(u, b));
}

static void put_s64(struct out *o, int64_t s)
{
	char b[UK_NUM_INT_LEN];

	put(o, b, (size_t)uk_num_fmt_s64(s, b));
}

/* The shortest text of d (uk_num_fmt_double), as the encoder prints it. */
static void put_double(struct out *o, double d)
{
	char b[UK_NUM_DOUBLE_LEN];

	put(o, b, (size_t)uk_num_fmt_double(d, b));
}

/* s with backslash, double quote and newline escaped, as in a label. */
static void put_escaped(struct out *o, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		if (*s != '\\' && *s != '"' && *s != '\n')
			continue;
		put(o, run, (size_t)(s - run));
		put(o, *s == '\n' ? "\\n" : *s == '"' ? "\\\"" : "\\\\", 2);
		run = s + 1;
	}
	put(o, run, (size_t)(s - run));
}

/*
 * Formats v as text into buf (NUL-terminated when size > 0).  Returns the
 * length the whole text needs, or -EINVAL for an unknown type or a label
 * set too large.
 */
int uk_store_value_format(const struct uk_store_value *v, char *buf,
			  size_t size)
{
	struct out o = { buf, size, 0 };
	uint32_t i;

	if (!v || (!buf && size))
		return -EINVAL;
	switch (v->type) {
	case UK_STORE_S8:
	case UK_STORE_S16:
	case UK_STORE_S32:
	case UK_STORE_S64:
		put_s64(&o, v->s);
		break;
	case UK_STORE_U8:
	case UK_STORE_U16:
	case UK_STORE_U32:
	case UK_STORE_U64:
	case UK_STORE_UPTR:
		put_u64(&o, v->u);
		break;
	case UK_STORE_DOUBLE:
		put_double(&o, v->d);
		break;
	case UK_STORE_STRING:
		put_str(&o, v->str ? v->str : "");
		break;
	case UK_STORE_HIST:
		if (v->hist.nbuckets > UK_STORE_HIST_MAX_BUCKETS)
			return -EINVAL;
		for (i = 0; i < v->hist.nbuckets; i++) {
			put_double(&o, v->hist.le[i]);
			put(&o, " ", 1);
			put_u64(&o, v->hist.cum[i]);
			put(&o, "\n", 1);
		}
		put_str(&o, "+Inf ");
		put_u64(&o, v->hist.count);
		put(&o, "\n", 1);
		break;
	case UK_STORE_LABELS:
		if (v->labels.n > UK_STORE_LABELS_MAX)
			return -EINVAL;
		for (i = 0; i < v->labels.n; i++) {
			const struct uk_store_label *l = &v->labels.l[i];

			put_str(&o, l->name ? l->name : "");
			put(&o, "=\"", 2);
			put_escaped(&o, l->value ? l->value : "");
			put(&o, "\"\n", 2);
		}
		break;
	default:
		return -EINVAL;
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return o.len > INT32_MAX ? -EOVERFLOW : (int)o.len;
}
