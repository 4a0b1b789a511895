/*
 * Dynamic folders and their classes.  A folder is one allocation (its
 * name and label values inline) linked into its library's name-sorted
 * list; a class is created for the first folder of a template and label
 * names (one allocation too, with its label names and the visiting order
 * that family.c plans) and owns that template's metric families, which is
 * why a different template may not reuse one of the library's family
 * names, nor a plain entry a static entry's: the exporter would otherwise
 * print a family twice or with mismatching metadata.  Every
 * reference count changes under the store mutex, so a cursor that looks
 * for a successor under the lock can never revive a folder whose count
 * reached zero; the last put unlinks the folder under the lock, then frees
 * it and calls its release callback outside it, exactly once.
 *
 * A consumer may link an annex builder (uk/store.h; ukprom's encoder
 * renders each series' name and labels once, here, so that a scrape
 * writes only values): its bytes go at the end of the folder's one
 * allocation, so an add still either gets everything or fails with
 * -ENOMEM leaving nothing behind, and the annex is freed with the
 * folder.  What folders, annexes and classes cost is counted under the
 * store mutex (uk_store_mem_get()).
 *
 * The store mutex is the bare core of uk/fmutex.h rather than a uklock
 * mutex: the store sits below uklock, and its own lock must not count in
 * the lock metrics that a scrape reads through it.
 */
#include <errno.h>
#include <stddef.h>

#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/fmutex.h>
#include <uk/store.h>
#include <uk/store_test.h>

#include "store_impl.h"

static struct uk_fmutex store_lock = UK_FMUTEX_INITIALIZER;
static struct uk_store_mem mem; /* under store_lock */

extern const struct uk_store_annex_builder *const __start_ukstore_annex[]
	__attribute__((weak));
extern const struct uk_store_annex_builder *const __stop_ukstore_annex[]
	__attribute__((weak));

/* The program's annex builder, NULL when none is linked. */
static const struct uk_store_annex_builder *annex_builder(void)
{
	const struct uk_store_annex_builder *const *b = __start_ukstore_annex;
	const struct uk_store_annex_builder *const *end = __stop_ukstore_annex;

	if (!b || b == end)
		return NULL;
	/* Two consumers cannot share one annex. */
	UK_ASSERT(end - b == 1);
	return b[0];
}

/* Takes the store mutex. */
void _uk_store_lock(void)
{
	uk_fmutex_lock(&store_lock);
}

/* Releases the store mutex, which must be held. */
void _uk_store_unlock(void)
{
	uint32_t was = uk_fmutex_unlock(&store_lock);

	UK_ASSERT(was != 0);
}

static int folder_name_ok(const char *s)
{
	size_t i;

	if (!s)
		return 0;
	for (i = 0; s[i]; i++)
		if (s[i] == '/' || i == _UK_STORE_NAME_MAX)
			return 0;
	if (i == 0)
		return 0;
	if (s[0] == '.' && (s[1] == 0 || (s[1] == '.' && s[2] == 0)))
		return 0;
	return 1;
}

static size_t copy_name(char *dst, const char *src)
{
	size_t i;

	for (i = 0; src[i]; i++)
		dst[i] = src[i];
	dst[i] = 0;
	return i;
}

static int static_has(const struct uk_store_lib *lib, const char *name)
{
	size_t i, n = _uk_store_lib_nstatic(lib);

	for (i = 0; i < n; i++)
		if (!_uk_store_strcmp(lib->start[i].name, name))
			return 1;
	return 0;
}

/*
 * Does a template of n entries clash with the families of lib: a static
 * entry's that it may not join, or any of another class's (which could
 * not be printed together with its own)?
 */
static int clashes_locked(const struct uk_store_lib *lib,
			  const struct uk_store_entry *tmpl, unsigned int n)
{
	const struct uk_store_class *c;
	unsigned int i, j;

	if (!_uk_store_tmpl_statics_ok(lib, tmpl, n))
		return 1;
	for (i = 0; i < n; i++) {
		const char *fam = _uk_store_family(&tmpl[i]);

		for (c = lib->state->classes; c; c = c->next) {
			/* A class without folders may have a dead template. */
			if (!c->nfolders)
				continue;
			for (j = 0; j < c->n; j++)
				if (_uk_store_same_family(
					    _uk_store_family(&c->tmpl[j]), fam))
					return 1;
		}
	}
	return 0;
}

/*
 * Finds where a folder called name goes in lib's list: after every folder
 * whose name sorts before it, and so before any hidden folder of the same
 * name.  That order matters: a cursor parked on a hidden folder moves on
 * past it and never meets its re-added namesake, which it has already
 * visited under that name (a scrape must not show a series twice).
 * Returns the folder to link it after (NULL: at the head) and sets *dup
 * when a visible folder already has that name.  Scanning starts at the
 * last insertion when that sorts before name, so adding folders in
 * (nearly) sorted order is not quadratic.
 */
static struct uk_store_folder *place_locked(struct uk_store_lib_state *st,
					    const char *name, int *dup)
{
	struct uk_store_folder *prev = NULL, *cur = st->folders, *q;

	if (st->hint && _uk_store_strcmp(st->hint->name, name) < 0) {
		prev = st->hint;
		cur = prev->next;
	}
	while (cur && _uk_store_strcmp(cur->name, name) < 0) {
		prev = cur;
		cur = cur->next;
	}
	/* Folders of the same name sit just after the insertion point. */
	*dup = 0;
	for (q = cur; q && !_uk_store_strcmp(q->name, name); q = q->next)
		if (!q->hidden)
			*dup = 1;
	return prev;
}

static void link_after_locked(struct uk_store_lib_state *st,
			      struct uk_store_folder *prev,
			      struct uk_store_folder *f)
{
	f->prev = prev;
	f->next = prev ? prev->next : st->folders;
	if (f->next)
		f->next->prev = f;
	if (prev)
		prev->next = f;
	else
		st->folders = f;
	st->hint = f;
}

/* A label value: 1.._UK_STORE_VALUE_MAX bytes, any but NUL. */
static int value_ok(const char *s)
{
	size_t n = s ? _uk_store_strnlen(s, _UK_STORE_VALUE_MAX + 1) : 0;

	return n > 0 && n <= _UK_STORE_VALUE_MAX;
}

/*
 * Is label value v taken by a visible folder of class c?  Names are
 * unique, so only a class that holds (or is about to hold) a folder with
 * a value of its own can clash; plain classes never pay for the scan.
 */
static int value_taken_locked(const struct uk_store_lib *lib,
			      const struct uk_store_class *c, const char *v)
{
	struct uk_store_folder *g = NULL;

	while ((g = _uk_store_folder_next_locked(lib, g, c)))
		if (!_uk_store_strcmp(g->value, v))
			return 1;
	return 0;
}

/*
 * Creates folder name in lib (see uk/store.h).  Returns 0 and *out, or
 * -EINVAL, -EEXIST (a visible folder or a static entry has that name), or
 * -ENOMEM; on error nothing is left allocated or linked.
 */
int uk_store_folder_add(const struct uk_store_lib *lib,
			const char *label_name, const char *name,
			const struct uk_store_entry *tmpl, unsigned int n,
			void *cookie, uk_store_release_fn release,
			struct uk_store_folder **out)
{
	return uk_store_folder_add_labels(lib, &label_name, NULL, 1, name,
					  tmpl, n, cookie, release, out);
}

/*
 * Creates folder name in lib whose label value is value (NULL: name); see
 * uk/store.h.  Returns as uk_store_folder_add_labels().
 */
int uk_store_folder_add_valued(const struct uk_store_lib *lib,
			       const char *label_name, const char *name,
			       const char *value,
			       const struct uk_store_entry *tmpl,
			       unsigned int n, void *cookie,
			       uk_store_release_fn release,
			       struct uk_store_folder **out)
{
	return uk_store_folder_add_labels(lib, &label_name, &value, 1, name,
					  tmpl, n, cookie, release, out);
}

/*
 * Label names and values of a folder: 1..UK_STORE_FOLDER_LABELS_MAX
 * distinct valid names; the values of the labels after the first given,
 * 0.._UK_STORE_VALUE_MAX bytes each.  Returns 1 or 0.
 */
static int labels_ok(const char *const *names, const char *const *values,
		     unsigned int nlabels)
{
	unsigned int i, j;

	if (!names || nlabels == 0 || nlabels > UK_STORE_FOLDER_LABELS_MAX ||
	    (nlabels > 1 && !values))
		return 0;
	for (i = 0; i < nlabels; i++) {
		if (!_uk_store_label_ok(names[i]))
			return 0;
		for (j = 0; j < i; j++)
			if (!_uk_store_strcmp(names[i], names[j]))
				return 0;
		if (i && (!values[i] ||
			  _uk_store_strnlen(values[i], _UK_STORE_VALUE_MAX + 1) >
				  _UK_STORE_VALUE_MAX))
			return 0;
	}
	return 1;
}

/* Is c the class of template tmpl[0..n) with these label names? */
static int class_is(const struct uk_store_class *c,
		    const struct uk_store_entry *tmpl, unsigned int n,
		    const char *const *names, unsigned int nlabels)
{
	unsigned int i;

	if (c->tmpl != tmpl || c->n != n || c->nlabels != nlabels)
		return 0;
	for (i = 0; i < nlabels; i++)
		if (_uk_store_strcmp(c->labels[i], names[i]))
			return 0;
	return 1;
}

/*
 * Allocates the class of template tmpl[0..n) with label names
 * names[0..nlabels) in lib, its visiting order planned; store lock held.
 * Returns it (not linked, no reference yet), or NULL.
 */
static struct uk_store_class *class_new_locked(
	struct uk_alloc *a, const struct uk_store_lib *lib,
	const struct uk_store_entry *tmpl, unsigned int n,
	const char *const *names, unsigned int nlabels)
{
	struct uk_store_class *c;
	size_t size = sizeof(*c) + n * (sizeof(uint16_t) + 1);
	unsigned int i;
	uint16_t *order;
	uint8_t *eflags;
	char *p;

	for (i = 0; i < nlabels; i++)
		size += _uk_store_strnlen(names[i], _UK_STORE_NAME_MAX) + 1;
	c = uk_calloc(a, 1, size);
	if (!c)
		return NULL;
	c->size = (uint32_t)size;
	c->a = a;
	c->lib = lib;
	c->tmpl = tmpl;
	c->n = n;
	c->nlabels = (uint8_t)nlabels;
	order = (uint16_t *)(c + 1);
	eflags = (uint8_t *)(order + n);
	c->has_static = (uint8_t)(_uk_store_class_plan(lib, tmpl, n, order,
						    eflags) != 0);
	c->order = order;
	c->eflags = eflags;
	p = (char *)(eflags + n);
	for (i = 0; i < nlabels; i++) {
		c->labels[i] = p;
		p += copy_name(p, names[i]) + 1;
	}
	copy_name(c->key, tmpl[0].name);
	return c;
}

/*
 * Creates folder name in lib with labels names[i]=values[i] (values[0]
 * NULL: name); see uk/store_publish.h.  Returns 0 and *out, or -EINVAL,
 * -EEXIST (a visible folder or a static entry has that name, or a visible
 * folder of the same class has that first label value), or -ENOMEM; on
 * error nothing is left allocated or linked.
 */
int uk_store_folder_add_labels(const struct uk_store_lib *lib,
			       const char *const *names,
			       const char *const *values,
			       unsigned int nlabels, const char *name,
			       const struct uk_store_entry *tmpl,
			       unsigned int n, void *cookie,
			       uk_store_release_fn release,
			       struct uk_store_folder **out)
{
	struct uk_alloc *a = uk_alloc_get_default();
	const struct uk_store_annex_builder *b = annex_builder();
	const char *vals[UK_STORE_FOLDER_LABELS_MAX];
	struct uk_store_annex_src src;
	struct uk_store_class *c, *newc = NULL, **cp;
	struct uk_store_folder *f, *prev;
	const char *value;
	size_t size, annex = 0, aoff = 0;
	unsigned int i;
	int rc = 0, dup;
	char *p;

	if (!lib || !lib->state || !out || !labels_ok(names, values, nlabels) ||
	    !folder_name_ok(name) || !_uk_store_tmpl_ok(tmpl, n, names, nlabels))
		return -EINVAL;
	value = values ? values[0] : NULL;
	if (value && !value_ok(value))
		return -EINVAL;
	size = sizeof(*f) + (nlabels - 1) * sizeof(char *);
	if (value)
		size += _uk_store_strnlen(value, _UK_STORE_VALUE_MAX) + 1;
	for (i = 1; i < nlabels; i++)
		size += _uk_store_strnlen(values[i], _UK_STORE_VALUE_MAX) + 1;
	if (b) {
		for (i = 0; i < nlabels; i++)
			vals[i] = i ? values[i] : value ? value : name;
		src = (struct uk_store_annex_src){ lib, tmpl, n, names, vals,
						   nlabels };
		annex = b->build(&src, NULL, 0);
		if (annex > UK_STORE_ANNEX_MAX)
			annex = 0;
		if (annex) {
			aoff = (size + 7) & ~(size_t)7;
			size = aoff + annex;
		}
	}
	f = uk_calloc(a, 1, size);
	if (!f)
		return -ENOMEM;
	f->size = (uint32_t)size;
	if (annex) {
		f->annex = (char *)f + aoff;
		f->annex_len = (uint32_t)annex;
		/* Deterministic, as the contract says. */
		UK_ASSERT(b->build(&src, f->annex, annex) == annex);
	}
	f->a = a;
	f->lib = lib;
	f->cookie = cookie;
	f->release = release;
	f->refs = 1;
	copy_name(f->name, name);
	p = (char *)(f + 1);
	if (nlabels > 1) {
		f->xvalues = (char **)p;
		p += (nlabels - 1) * sizeof(char *);
	}
	f->value = f->name;
	if (value) {
		f->value = p;
		p += copy_name(p, value) + 1;
	}
	for (i = 1; i < nlabels; i++) {
		f->xvalues[i - 1] = p;
		p += copy_name(p, values[i]) + 1;
	}

	_uk_store_lock();
	prev = place_locked(lib->state, name, &dup);
	if (dup || static_has(lib, name)) {
		rc = -EEXIST;
		goto out_unlock;
	}
	for (c = lib->state->classes; c; c = c->next)
		if (class_is(c, tmpl, n, names, nlabels))
			break;
	if (c && (value || c->valued) &&
	    value_taken_locked(lib, c, f->value)) {
		rc = -EEXIST;
		goto out_unlock;
	}
	if (!c) {
		if (clashes_locked(lib, tmpl, n)) {
			rc = -EINVAL;
			goto out_unlock;
		}
		newc = class_new_locked(a, lib, tmpl, n, names, nlabels);
		if (!newc) {
			rc = -ENOMEM;
			goto out_unlock;
		}
		/*
		 * Classes sort by their first entry's name, so one that is
		 * removed and created again while a cursor is parked keeps
		 * its place and is not visited twice.
		 */
		for (cp = &lib->state->classes; *cp; cp = &(*cp)->next)
			if (_uk_store_strcmp((*cp)->key, tmpl[0].name) > 0)
				break;
		newc->next = *cp;
		*cp = newc;
		c = newc;
		mem.classes++;
		mem.class_bytes += c->size;
	}
	c->refs++;
	c->nfolders++;
	if (value)
		c->valued = 1;
	f->cls = c;
	link_after_locked(lib->state, prev, f);
	lib->state->nfolders++;
	mem.folders++;
	mem.folder_bytes += f->size;
	mem.annex_bytes += f->annex_len;
out_unlock:
	_uk_store_unlock();
	if (rc) {
		uk_free(a, f);
		return rc;
	}
	*out = f;
	return 0;
}

/* Takes a reference on class c; the store lock is held. */
void _uk_store_class_ref_locked(struct uk_store_class *c)
{
	UK_ASSERT(c->refs > 0);
	c->refs++;
}

/*
 * Drops a reference on class c, unlinking and freeing it on the last one;
 * the store lock is held (freeing under it calls only the allocator).
 */
void _uk_store_class_unref_locked(struct uk_store_class *c)
{
	struct uk_store_class **cp;

	UK_ASSERT(c->refs > 0);
	if (--c->refs)
		return;
	for (cp = &c->lib->state->classes; *cp != c; cp = &(*cp)->next)
		UK_ASSERT(*cp);
	*cp = c->next;
	mem.classes--;
	mem.class_bytes -= c->size;
	uk_free(c->a, c);
}

/*
 * Unlinks f, whose last reference is gone, with the store lock held, and
 * returns it for _uk_store_folder_final() once the lock is released.
 */
struct uk_store_folder *_uk_store_folder_unlink_locked(
	struct uk_store_folder *f)
{
	struct uk_store_lib_state *st = f->lib->state;
	struct uk_store_class *c = f->cls;

	UK_ASSERT(f->refs == 0 && f->hidden);
	if (f->prev)
		f->prev->next = f->next;
	else
		st->folders = f->next;
	if (f->next)
		f->next->prev = f->prev;
	if (st->hint == f)
		st->hint = f->prev;
	f->next = f->prev = NULL;
	UK_ASSERT(c->nfolders > 0);
	c->nfolders--;
	mem.folders--;
	mem.folder_bytes -= f->size;
	mem.annex_bytes -= f->annex_len;
	_uk_store_class_unref_locked(c);
	f->cls = NULL;
	return f;
}

/* Frees an unlinked folder and then tells its producer. */
void _uk_store_folder_final(struct uk_store_folder *f)
{
	uk_store_release_fn release = f->release;
	void *cookie = f->cookie;

	uk_free(f->a, f);
	if (release)
		release(cookie);
}

/*
 * Hides f and drops the creator's reference.  Returns 0, or -EINVAL when
 * f is NULL or was already removed.
 */
int uk_store_folder_remove(struct uk_store_folder *f)
{
	struct uk_store_folder *dead;

	if (!f)
		return -EINVAL;
	_uk_store_lock();
	if (f->hidden) {
		_uk_store_unlock();
		return -EINVAL;
	}
	f->hidden = 1;
	UK_ASSERT(f->lib->state->nfolders > 0);
	f->lib->state->nfolders--;
	dead = _uk_store_folder_unref_locked(f);
	_uk_store_unlock();
	if (dead)
		_uk_store_folder_final(dead);
	return 0;
}

/* Takes another reference on f, which the caller already holds. */
void uk_store_folder_hold(struct uk_store_folder *f)
{
	_uk_store_lock();
	_uk_store_folder_ref_locked(f);
	_uk_store_unlock();
}

/* Drops a reference on f; the last one frees it and calls its release. */
void uk_store_folder_put(struct uk_store_folder *f)
{
	struct uk_store_folder *dead;

	if (!f)
		return;
	_uk_store_lock();
	dead = _uk_store_folder_unref_locked(f);
	_uk_store_unlock();
	if (dead)
		_uk_store_folder_final(dead);
}

/* The folder's name: its path component. */
const char *uk_store_folder_name(const struct uk_store_folder *f)
{
	return f->name;
}

/* The folder's first label value: its name unless it was given one. */
const char *uk_store_folder_value(const struct uk_store_folder *f)
{
	return f->value;
}

/* The folder's first label name. */
const char *uk_store_folder_label(const struct uk_store_folder *f)
{
	return f->cls->labels[0];
}

/* How many labels f carries. */
unsigned int uk_store_folder_nlabels(const struct uk_store_folder *f)
{
	return f->cls->nlabels;
}

/* The name of f's label i, or NULL past the last. */
const char *uk_store_folder_label_at(const struct uk_store_folder *f,
				     unsigned int i)
{
	return i < f->cls->nlabels ? f->cls->labels[i] : NULL;
}

/* The value of f's label i, or NULL past the last. */
const char *uk_store_folder_value_at(const struct uk_store_folder *f,
				     unsigned int i)
{
	if (i >= f->cls->nlabels)
		return NULL;
	return i ? f->xvalues[i - 1] : f->value;
}

/* The annex of f (see uk/store.h): NULL and *len 0 when it has none. */
const void *uk_store_folder_annex(const struct uk_store_folder *f,
				  size_t *len)
{
	*len = f->annex_len;
	return f->annex;
}

/* Copies the store's memory figures (see uk/store.h). */
void uk_store_mem_get(struct uk_store_mem *m)
{
	_uk_store_lock();
	*m = mem;
	_uk_store_unlock();
}
