/*
 * Entry values: calling getters and setters with the right C type,
 * converting between value types with range checks, and the getter of
 * a live histogram (uk/hist.h: plain single-writer adds, read here as a
 * cumulative value).  Text
 * parsing and formatting are in text.c.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/counter.h>
#include <uk/store.h>

#include "store_impl.h"

/*
 * Fills *out from the struct uk_hist (uk/hist.h) at cookie, cumulatively.
 * Returns 0, or -EINVAL for a histogram with too many buckets.  Read
 * while an observer runs, count is raised to at least the cumulative
 * total, so the value stays self-consistent.
 */
int uk_store_hist_get(void *cookie, struct uk_store_hist_val *out)
{
	const struct uk_hist *h = cookie;
	uint64_t cum = 0, count;
	uint32_t i;

	if (!h || h->nbuckets > UK_STORE_HIST_MAX_BUCKETS)
		return -EINVAL;
	out->nbuckets = h->nbuckets;
	out->le = h->le;
	for (i = 0; i < h->nbuckets; i++) {
		cum += uk_counter_read(&h->bucket[i]);
		out->cum[i] = cum;
	}
	cum += uk_counter_read(&h->bucket[h->nbuckets]);
	count = uk_counter_read(&h->count);
	out->count = count > cum ? count : cum;
	__atomic_load(&h->sum, &out->sum, __ATOMIC_RELAXED);
	return 0;
}

/*
 * Calls ref's getter.  Returns 0, -EINVAL for an unresolved reference,
 * an unknown type or more than UK_STORE_LABELS_MAX label pairs, or the
 * getter's error.
 */
int uk_store_read(const struct uk_store_ref *ref, struct uk_store_value *v)
{
	const struct uk_store_entry *e;
	void *ck;
	int rc;

	if (!ref || !ref->entry || !v || !ref->entry->get.any)
		return -EINVAL;
	e = ref->entry;
	ck = ref->cookie;
	v->type = e->type;
	switch (e->type) {
	case UK_STORE_S8: {
		int8_t x = 0;

		rc = e->get.s8(ck, &x);
		v->s = x;
		break;
	}
	case UK_STORE_U8: {
		uint8_t x = 0;

		rc = e->get.u8(ck, &x);
		v->u = x;
		break;
	}
	case UK_STORE_S16: {
		int16_t x = 0;

		rc = e->get.s16(ck, &x);
		v->s = x;
		break;
	}
	case UK_STORE_U16: {
		uint16_t x = 0;

		rc = e->get.u16(ck, &x);
		v->u = x;
		break;
	}
	case UK_STORE_S32: {
		int32_t x = 0;

		rc = e->get.s32(ck, &x);
		v->s = x;
		break;
	}
	case UK_STORE_U32: {
		uint32_t x = 0;

		rc = e->get.u32(ck, &x);
		v->u = x;
		break;
	}
	case UK_STORE_S64: {
		int64_t x = 0;

		rc = e->get.s64(ck, &x);
		v->s = x;
		break;
	}
	case UK_STORE_U64: {
		uint64_t x = 0;

		rc = e->get.u64(ck, &x);
		v->u = x;
		break;
	}
	case UK_STORE_UPTR: {
		uintptr_t x = 0;

		rc = e->get.uptr(ck, &x);
		v->u = x;
		break;
	}
	case UK_STORE_DOUBLE: {
		double x = 0;

		rc = e->get.dbl(ck, &x);
		v->d = x;
		break;
	}
	case UK_STORE_STRING: {
		const char *x = NULL;

		rc = e->get.str(ck, &x);
		v->str = x ? x : "";
		break;
	}
	case UK_STORE_HIST:
		v->hist = (struct uk_store_hist_val){ 0 };
		rc = e->get.hist(ck, &v->hist);
		break;
	case UK_STORE_LABELS:
		v->labels.n = 0;
		rc = e->get.labels(ck, &v->labels);
		if (!rc && v->labels.n > UK_STORE_LABELS_MAX)
			rc = -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	return rc > 0 ? -EIO : rc;
}

/*
 * Converts v to an integer in [lo, hi] (signed view) or [0, uhi]
 * (unsigned view).  Returns 0, -ERANGE or -EINVAL.
 */
static int to_int(const struct uk_store_value *v, int sgn, int64_t lo,
		  int64_t hi, uint64_t uhi, int64_t *s, uint64_t *u)
{
	if (_uk_store_is_signed(v->type)) {
		if (sgn) {
			if (v->s < lo || v->s > hi)
				return -ERANGE;
			*s = v->s;
		} else {
			if (v->s < 0 || (uint64_t)v->s > uhi)
				return -ERANGE;
			*u = (uint64_t)v->s;
		}
		return 0;
	}
	if (_uk_store_is_unsigned(v->type)) {
		if (sgn) {
			if (v->u > (uint64_t)hi)
				return -ERANGE;
			*s = (int64_t)v->u;
		} else {
			if (v->u > uhi)
				return -ERANGE;
			*u = v->u;
		}
		return 0;
	}
	if (v->type == UK_STORE_DOUBLE) {
		double d = v->d;

		if (d != d)
			return -EINVAL;
		/* Below 2^52 a double may hold a fraction; above it cannot. */
		if (d > -4503599627370496.0 && d < 4503599627370496.0 &&
		    (double)(int64_t)d != d)
			return -EINVAL;
		if (sgn) {
			if (!(d >= -9223372036854775808.0 &&
			      d < 9223372036854775808.0) ||
			    (int64_t)d < lo || (int64_t)d > hi)
				return -ERANGE;
			*s = (int64_t)d;
		} else {
			if (!(d >= 0 && d < 18446744073709551616.0) ||
			    (uint64_t)d > uhi)
				return -ERANGE;
			*u = (uint64_t)d;
		}
		return 0;
	}
	return -EINVAL;
}

/*
 * Calls ref's setter with v converted to the entry's type.  Returns 0,
 * -EPERM (read-only), -ERANGE, -EINVAL, or the setter's error.
 */
int uk_store_write(const struct uk_store_ref *ref,
		   const struct uk_store_value *v)
{
	const struct uk_store_entry *e;
	int64_t s = 0;
	uint64_t u = 0;
	void *ck;
	int rc;

	if (!ref || !ref->entry || !v)
		return -EINVAL;
	e = ref->entry;
	ck = ref->cookie;
	if (!e->set.any)
		return -EPERM;
	switch (e->type) {
	case UK_STORE_S8:
		rc = to_int(v, 1, INT8_MIN, INT8_MAX, 0, &s, &u);
		rc = rc ? rc : e->set.s8(ck, (int8_t)s);
		break;
	case UK_STORE_U8:
		rc = to_int(v, 0, 0, 0, UINT8_MAX, &s, &u);
		rc = rc ? rc : e->set.u8(ck, (uint8_t)u);
		break;
	case UK_STORE_S16:
		rc = to_int(v, 1, INT16_MIN, INT16_MAX, 0, &s, &u);
		rc = rc ? rc : e->set.s16(ck, (int16_t)s);
		break;
	case UK_STORE_U16:
		rc = to_int(v, 0, 0, 0, UINT16_MAX, &s, &u);
		rc = rc ? rc : e->set.u16(ck, (uint16_t)u);
		break;
	case UK_STORE_S32:
		rc = to_int(v, 1, INT32_MIN, INT32_MAX, 0, &s, &u);
		rc = rc ? rc : e->set.s32(ck, (int32_t)s);
		break;
	case UK_STORE_U32:
		rc = to_int(v, 0, 0, 0, UINT32_MAX, &s, &u);
		rc = rc ? rc : e->set.u32(ck, (uint32_t)u);
		break;
	case UK_STORE_S64:
		rc = to_int(v, 1, INT64_MIN, INT64_MAX, 0, &s, &u);
		rc = rc ? rc : e->set.s64(ck, s);
		break;
	case UK_STORE_U64:
		rc = to_int(v, 0, 0, 0, UINT64_MAX, &s, &u);
		rc = rc ? rc : e->set.u64(ck, u);
		break;
	case UK_STORE_UPTR:
		rc = to_int(v, 0, 0, 0, UINTPTR_MAX, &s, &u);
		rc = rc ? rc : e->set.uptr(ck, (uintptr_t)u);
		break;
	case UK_STORE_DOUBLE:
		if (v->type == UK_STORE_DOUBLE)
			rc = e->set.dbl(ck, v->d);
		else if (_uk_store_is_signed(v->type))
			rc = e->set.dbl(ck, (double)v->s);
		else if (_uk_store_is_unsigned(v->type))
			rc = e->set.dbl(ck, (double)v->u);
		else
			rc = -EINVAL;
		break;
	case UK_STORE_STRING:
		if (v->type != UK_STORE_STRING || !v->str)
			return -EINVAL;
		rc = e->set.str(ck, v->str);
		break;
	default:
		return -EINVAL;
	}
	return rc > 0 ? -EIO : rc;
}
