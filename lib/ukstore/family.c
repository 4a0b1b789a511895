/*
 * Metric families: which entries form one family, and whether they may.
 * An entry's family is the name it was given (UK_STORE_ENTRY_L) or else
 * its own name.  A plain entry is a family of its own; the entries of a
 * family of several each carry a constant label and must agree on all
 * but that label's value, so that an exporter prints one HELP and TYPE
 * for them and never the same series twice.  Such a family may gather
 * static entries of a library and the entries of one folder template:
 * the static entries then own it, and the cursor visits the template's
 * part with them.  This file checks entries, templates (with their
 * folders' label names) and a library's static entries against these
 * rules, and plans a class's visiting order, with each family's entries
 * together.  Nothing here allocates or takes the store lock: static
 * entries never change, and templates are constant.
 */
#include <errno.h>
#include <stddef.h>

#include <uk/assert.h>
#include <uk/store.h>
#include <uk/store_test.h>

#include "store_impl.h"

static int is_ident(const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		char c = s[i];

		if (i == max)
			return 0;
		if (c == '_' || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z'))
			continue;
		if (i > 0 && c >= '0' && c <= '9')
			continue;
		return 0;
	}
	return i > 0;
}

/*
 * Is l a Prometheus label name of at most 63 bytes that is not reserved
 * ("__" prefix)?  Returns 1 or 0 (also for NULL).
 */
int _uk_store_label_ok(const char *l)
{
	return l && is_ident(l, _UK_STORE_NAME_MAX) &&
	       !(l[0] == '_' && l[1] == '_');
}

/* Two optional strings (help texts, label names) that read the same. */
static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && !_uk_store_strcmp(a, b));
}

/* Returns 1 if family names a and b are the same (often one pointer). */
int _uk_store_same_family(const char *a, const char *b)
{
	return a == b || !_uk_store_strcmp(a, b);
}

/*
 * Would label l clash with a label the exporter adds to e's samples: le
 * on a histogram's buckets, value on a string info?
 */
static int reserved_for(const struct uk_store_entry *e, const char *l)
{
	if (e->type == UK_STORE_HIST)
		return !_uk_store_strcmp(l, "le");
	if (e->type == UK_STORE_STRING)
		return !_uk_store_strcmp(l, "value");
	return 0;
}

/* A constant label value: 1.._UK_STORE_VALUE_MAX bytes, any but NUL. */
static int lvalue_ok(const char *v)
{
	size_t n = v ? _uk_store_strnlen(v, _UK_STORE_VALUE_MAX + 1) : 0;

	return n > 0 && n <= _UK_STORE_VALUE_MAX;
}

/* One entry on its own: names, type, kind, unit, family and label. */
static int entry_ok(const struct uk_store_entry *e)
{
	if (!e->name || !is_ident(e->name, _UK_STORE_ENTRY_MAX) || !e->get.any)
		return 0;
	if (e->type < UK_STORE_S8 || e->type > UK_STORE_LABELS ||
	    e->kind > UK_STORE_UNTYPED || e->unit > UK_STORE_UNIT_SECONDS)
		return 0;
	if ((e->type == UK_STORE_HIST) != (e->kind == UK_STORE_HISTOGRAM))
		return 0;
	if ((e->type == UK_STORE_STRING || e->type == UK_STORE_LABELS) !=
	    (e->kind == UK_STORE_INFO))
		return 0;
	if (!e->family)
		return !e->lname && !e->lvalue;
	return is_ident(e->family, _UK_STORE_ENTRY_MAX) &&
	       _uk_store_label_ok(e->lname) && lvalue_ok(e->lvalue) &&
	       !reserved_for(e, e->lname);
}

/*
 * May entries a and b, of the same family, be in it together?  Only as
 * a family of several whose members agree on everything but the value
 * of their constant label.  Whether the values differ depends on where
 * they are (two static entries, or two entries of one template, print
 * the same labels; a static entry and a folder's do not) and is checked
 * by the callers.
 */
static int agree(const struct uk_store_entry *a,
		 const struct uk_store_entry *b)
{
	return a->family && b->family && a->type == b->type &&
	       a->kind == b->kind && a->unit == b->unit &&
	       same_str(a->help, b->help) && same_str(a->lname, b->lname);
}

/* Two entries printed with the same other labels: see agree(). */
static int agree_apart(const struct uk_store_entry *a,
		       const struct uk_store_entry *b)
{
	return agree(a, b) && _uk_store_strcmp(a->lvalue, b->lvalue);
}

/*
 * Checks a template for folders labelled labels[0..nlabels) (see
 * store_impl.h).  Returns 1 if it is valid, else 0.
 */
int _uk_store_tmpl_ok(const struct uk_store_entry *tmpl, unsigned int n,
		      const char *const *labels, unsigned int nlabels)
{
	unsigned int i, j;

	if (!tmpl || n == 0 || n > _UK_STORE_TMPL_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		const struct uk_store_entry *e = &tmpl[i];

		if (!entry_ok(e))
			return 0;
		for (j = 0; j < i; j++) {
			if (!_uk_store_strcmp(e->name, tmpl[j].name))
				return 0;
			if (_uk_store_same_family(_uk_store_family(e),
						  _uk_store_family(&tmpl[j])) &&
			    !agree_apart(e, &tmpl[j]))
				return 0;
		}
		for (j = 0; j < nlabels; j++)
			if ((e->lname &&
			     !_uk_store_strcmp(e->lname, labels[j])) ||
			    reserved_for(e, labels[j]))
				return 0;
	}
	return 1;
}

/* The first static entry of lib in family fam, or NULL. */
static const struct uk_store_entry *static_of_family(
	const struct uk_store_lib *lib, const char *fam)
{
	size_t i, n = _uk_store_lib_nstatic(lib);

	for (i = 0; i < n; i++)
		if (_uk_store_same_family(_uk_store_family(&lib->start[i]),
					  fam))
			return &lib->start[i];
	return NULL;
}

/*
 * Template entries may share a family with static entries only as a
 * family of several, agreeing with them.  Returns 1 if tmpl passes.
 */
int _uk_store_tmpl_statics_ok(const struct uk_store_lib *lib,
			      const struct uk_store_entry *tmpl,
			      unsigned int n)
{
	const struct uk_store_entry *s;
	unsigned int i;

	for (i = 0; i < n; i++) {
		s = static_of_family(lib, _uk_store_family(&tmpl[i]));
		if (s && !agree(s, &tmpl[i]))
			return 0;
	}
	return 1;
}

/* Does tmpl[j] for some j < i belong to tmpl[i]'s family of several? */
static int seen_before(const struct uk_store_entry *tmpl, unsigned int i)
{
	unsigned int j;

	for (j = 0; j < i; j++)
		if (tmpl[j].family &&
		    _uk_store_same_family(tmpl[j].family, tmpl[i].family))
			return 1;
	return 0;
}

/*
 * Plans the visiting order of a class of template tmpl[0..n) (valid, and
 * checked against lib's static entries): families in the order of their
 * first entry, each one's entries together in template order; the first
 * position of a family flagged _UK_STORE_EF_START, every position of a
 * family that static entries own too flagged _UK_STORE_EF_STATIC.
 * Returns how many such families the template has.
 */
unsigned int _uk_store_class_plan(const struct uk_store_lib *lib,
				  const struct uk_store_entry *tmpl,
				  unsigned int n, uint16_t *order,
				  uint8_t *eflags)
{
	unsigned int i, j, p = 0, nstatic = 0;
	uint8_t fl;

	for (i = 0; i < n; i++) {
		const struct uk_store_entry *e = &tmpl[i];

		if (e->family && seen_before(tmpl, i))
			continue;
		fl = _UK_STORE_EF_START;
		if (e->family && static_of_family(lib, e->family)) {
			fl |= _UK_STORE_EF_STATIC;
			nstatic++;
		}
		order[p] = (uint16_t)i;
		eflags[p++] = fl;
		if (!e->family)
			continue;
		for (j = i + 1; j < n; j++) {
			if (!tmpl[j].family ||
			    !_uk_store_same_family(tmpl[j].family, e->family))
				continue;
			order[p] = (uint16_t)j;
			eflags[p++] = fl & ~_UK_STORE_EF_START;
		}
	}
	UK_ASSERT(p == n);
	return nstatic;
}

/*
 * Does a static entry of lib before s belong to s's family of several?
 * Returns 1 or 0.  The cursor asks for each such entry: the first one of
 * a family brings the others along, the later ones are skipped.
 */
int _uk_store_static_seen(const struct uk_store_lib *lib,
			  const struct uk_store_entry *s)
{
	const struct uk_store_entry *x;

	for (x = lib->start; x < s; x++)
		if (x->family && _uk_store_same_family(x->family, s->family))
			return 1;
	return 0;
}

/*
 * Checks lib's static entries (see uk/store_test.h).  Returns 0, or
 * -EINVAL with *bad (if bad) set to the first entry at fault.
 */
int uk_store_lib_check(const struct uk_store_lib *lib,
		       const struct uk_store_entry **bad)
{
	size_t i, j, n;

	if (!lib)
		return -EINVAL;
	n = _uk_store_lib_nstatic(lib);
	for (i = 0; i < n; i++) {
		const struct uk_store_entry *e = &lib->start[i];
		int ok = entry_ok(e);

		for (j = 0; ok && j < i; j++) {
			const struct uk_store_entry *x = &lib->start[j];

			if (!_uk_store_strcmp(e->name, x->name))
				ok = 0;
			else if (_uk_store_same_family(_uk_store_family(e),
						       _uk_store_family(x)))
				ok = agree_apart(e, x);
		}
		if (!ok) {
			if (bad)
				*bad = e;
			return -EINVAL;
		}
	}
	return 0;
}
