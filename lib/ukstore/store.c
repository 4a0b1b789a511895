/*
 * The store's namespace: libraries found in the ukstore_libs linker
 * section (visited in name order by repeated min-greater-than selection,
 * so enumeration allocates nothing and needs no boot-time sorting),
 * resolution of "lib/entry" and "lib/folder/entry" paths to entry
 * references, and directory listings.  Paths are parsed in place as
 * (pointer, length) parts, because a folder name may hold any byte but
 * '/' and NUL and must not be copied into a bounded buffer to be compared.
 */
#include <errno.h>
#include <stddef.h>

#include <uk/assert.h>
#include <uk/store.h>
#include <uk/store_test.h>

#include "store_impl.h"

extern const struct uk_store_lib __start_ukstore_libs[] __attribute__((weak));
extern const struct uk_store_lib __stop_ukstore_libs[] __attribute__((weak));

/* As strcmp(3), on unsigned bytes. */
int _uk_store_strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	return (int)*x - (int)*y;
}

/* Compares the len bytes at s (no NUL among them) with the string t. */
int _uk_store_memstrcmp(const char *s, size_t len, const char *t)
{
	const unsigned char *x = (const unsigned char *)s;
	const unsigned char *y = (const unsigned char *)t;
	size_t i;

	for (i = 0; i < len; i++) {
		if (!y[i] || x[i] != y[i])
			return y[i] ? (int)x[i] - (int)y[i] : 1;
	}
	return y[len] ? -1 : 0;
}

/* Length of s, at most max. */
size_t _uk_store_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/*
 * The library whose name follows prev's (the first one for NULL), or NULL
 * after the last.  Names are unique: each is a global symbol.
 */
const struct uk_store_lib *_uk_store_lib_next(const struct uk_store_lib *prev)
{
	const struct uk_store_lib *l, *best = NULL;

	if (!__start_ukstore_libs)
		return NULL;
	for (l = __start_ukstore_libs; l < __stop_ukstore_libs; l++) {
		if (prev && _uk_store_strcmp(l->name, prev->name) <= 0)
			continue;
		if (!best || _uk_store_strcmp(l->name, best->name) < 0)
			best = l;
	}
	return best;
}

/* Number of static entries in lib's section. */
size_t _uk_store_lib_nstatic(const struct uk_store_lib *lib)
{
	if (!lib->start || !lib->stop || lib->stop <= lib->start)
		return 0;
	return (size_t)(lib->stop - lib->start);
}

static const struct uk_store_lib *lib_find_n(const char *name, size_t len)
{
	const struct uk_store_lib *l;

	if (!__start_ukstore_libs)
		return NULL;
	for (l = __start_ukstore_libs; l < __stop_ukstore_libs; l++)
		if (!_uk_store_memstrcmp(name, len, l->name))
			return l;
	return NULL;
}

/* Library named name, or NULL (also for a NULL name). */
const struct uk_store_lib *uk_store_lib_find(const char *name)
{
	if (!name)
		return NULL;
	return lib_find_n(name, _uk_store_strnlen(name, (size_t)-1));
}

static const struct uk_store_entry *static_find_n(
	const struct uk_store_lib *lib, const char *name, size_t len)
{
	size_t i, n = _uk_store_lib_nstatic(lib);

	for (i = 0; i < n; i++)
		if (!_uk_store_memstrcmp(name, len, lib->start[i].name))
			return &lib->start[i];
	return NULL;
}

static const struct uk_store_entry *tmpl_find_n(
	const struct uk_store_class *c, const char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < c->n; i++)
		if (!_uk_store_memstrcmp(name, len, c->tmpl[i].name))
			return &c->tmpl[i];
	return NULL;
}

/* Finds a visible folder by (name, len) and takes a reference. */
static struct uk_store_folder *folder_get_n(const struct uk_store_lib *lib,
					    const char *name, size_t len)
{
	struct uk_store_folder *f;
	int cmp;

	_uk_store_lock();
	for (f = lib->state->folders; f; f = f->next) {
		cmp = _uk_store_memstrcmp(name, len, f->name);
		if (cmp < 0)
			break;
		if (cmp == 0 && !f->hidden) {
			_uk_store_folder_ref_locked(f);
			_uk_store_unlock();
			return f;
		}
	}
	_uk_store_unlock();
	return NULL;
}

/*
 * The visible folder name of lib, with a reference taken; NULL when
 * missing or for NULL arguments.
 */
struct uk_store_folder *uk_store_folder_get(const struct uk_store_lib *lib,
					    const char *name)
{
	if (!lib || !name || !lib->state)
		return NULL;
	return folder_get_n(lib, name, _uk_store_strnlen(name, (size_t)-1));
}

/* A path component: bytes p[0..len), never containing '/' or NUL. */
struct part {
	const char *p;
	size_t len;
};

/*
 * Splits the len bytes at path at '/' into at most max parts.  Returns
 * the number of parts (0 for an empty path), or -EINVAL for an empty
 * component or too many parts.
 */
static int split(const char *path, size_t len, struct part *parts, int max)
{
	const char *s = path, *end = path + len;
	int n = 0;

	if (!len)
		return 0;
	for (;;) {
		const char *e = s;

		while (e < end && *e != '/')
			e++;
		if (e == s || n == max)
			return -EINVAL;
		parts[n].p = s;
		parts[n].len = (size_t)(e - s);
		n++;
		if (e == end)
			return n;
		s = e + 1;
	}
}

static int lookup_n(const struct part *lp, const struct part *fp,
		    const struct part *ep, struct uk_store_ref *ref)
{
	const struct uk_store_lib *lib = lib_find_n(lp->p, lp->len);
	const struct uk_store_entry *e;
	struct uk_store_folder *f;

	if (!lib)
		return -ENOENT;
	if (!fp) {
		e = static_find_n(lib, ep->p, ep->len);
		if (!e)
			return -ENOENT;
		ref->lib = lib;
		ref->entry = e;
		ref->cookie = e->cookie;
		return 0;
	}
	f = folder_get_n(lib, fp->p, fp->len);
	if (!f)
		return -ENOENT;
	e = tmpl_find_n(f->cls, ep->p, ep->len);
	if (!e) {
		uk_store_folder_put(f);
		return -ENOENT;
	}
	ref->lib = lib;
	ref->folder = f;
	ref->entry = e;
	ref->cookie = f->cookie;
	return 0;
}

/*
 * Resolves "lib/entry" or "lib/folder/entry" into *ref.  Returns 0 (the
 * reference holds the folder, if any), -ENOENT when a part is missing or
 * -EINVAL for a malformed path; on error *ref is all NULL.
 */
int uk_store_lookup(const char *path, struct uk_store_ref *ref)
{
	struct part parts[3];
	int n;

	if (!ref)
		return -EINVAL;
	*ref = (struct uk_store_ref){ 0 };
	if (!path)
		return -EINVAL;
	n = split(path, _uk_store_strnlen(path, (size_t)-1), parts, 3);
	if (n == 2)
		return lookup_n(&parts[0], NULL, &parts[1], ref);
	if (n == 3)
		return lookup_n(&parts[0], &parts[1], &parts[2], ref);
	return -EINVAL;
}

static int part_of(const char *s, struct part *p, int allow_slash)
{
	p->p = s;
	p->len = _uk_store_strnlen(s, (size_t)-1);
	if (!p->len)
		return -EINVAL;
	if (!allow_slash) {
		size_t i;

		for (i = 0; i < p->len; i++)
			if (s[i] == '/')
				return -EINVAL;
	}
	return 0;
}

/*
 * As uk_store_lookup() with the parts given apart; folder NULL names a
 * static entry.  Returns 0, -ENOENT, or -EINVAL for a NULL lib or entry,
 * an empty part or a part containing '/'.
 */
int uk_store_lookup_parts(const char *lib, const char *folder,
			  const char *entry, struct uk_store_ref *ref)
{
	struct part lp, fp, ep;

	if (!ref)
		return -EINVAL;
	*ref = (struct uk_store_ref){ 0 };
	if (!lib || !entry || part_of(lib, &lp, 0) || part_of(entry, &ep, 0))
		return -EINVAL;
	if (folder && part_of(folder, &fp, 0))
		return -EINVAL;
	return lookup_n(&lp, folder ? &fp : NULL, &ep, ref);
}

/* Drops the folder reference *ref holds, if any, and clears *ref. */
void uk_store_ref_put(struct uk_store_ref *ref)
{
	if (!ref)
		return;
	if (ref->folder)
		uk_store_folder_put(ref->folder);
	*ref = (struct uk_store_ref){ 0 };
}

static int list_libs(int (*fn)(void *, const char *, int), void *arg)
{
	const struct uk_store_lib *l = NULL;
	int rc;

	while ((l = _uk_store_lib_next(l)))
		if ((rc = fn(arg, l->name, 1)))
			return rc;
	return 0;
}

static int list_lib(const struct uk_store_lib *lib,
		    int (*fn)(void *, const char *, int), void *arg)
{
	size_t i, n = _uk_store_lib_nstatic(lib);
	struct uk_store_folder *f = NULL, *nf, *dead;
	int rc;

	for (i = 0; i < n; i++)
		if ((rc = fn(arg, lib->start[i].name, 0)))
			return rc;
	for (;;) {
		_uk_store_lock();
		nf = _uk_store_folder_next_locked(lib, f, NULL);
		if (nf)
			_uk_store_folder_ref_locked(nf);
		dead = f ? _uk_store_folder_unref_locked(f) : NULL;
		_uk_store_unlock();
		if (dead)
			_uk_store_folder_final(dead);
		f = nf;
		if (!f)
			return 0;
		if ((rc = fn(arg, f->name, 1))) {
			uk_store_folder_put(f);
			return rc;
		}
	}
}

/*
 * Calls fn for each child of path ("" or "/": libraries; "lib": static
 * entries then folders; "lib/folder": its entries; a trailing '/' is
 * allowed).  Returns 0, -ENOENT, -ENOTDIR when path names an entry,
 * -EINVAL for a malformed path, or fn's first non-zero result.
 */
int uk_store_list(const char *path,
		  int (*fn)(void *arg, const char *name, int is_dir),
		  void *arg)
{
	const struct uk_store_lib *lib;
	struct uk_store_folder *f;
	struct part parts[3];
	size_t len;
	unsigned int i;
	int n, rc = 0;

	if (!path || !fn)
		return -EINVAL;
	len = _uk_store_strnlen(path, (size_t)-1);
	if (len && path[len - 1] == '/')
		len--;
	n = split(path, len, parts, 3);
	if (n < 0)
		return n;
	if (n == 0)
		return list_libs(fn, arg);
	lib = lib_find_n(parts[0].p, parts[0].len);
	if (!lib)
		return -ENOENT;
	if (n == 1)
		return list_lib(lib, fn, arg);
	f = folder_get_n(lib, parts[1].p, parts[1].len);
	if (n == 3) {
		const struct uk_store_entry *e =
			f ? tmpl_find_n(f->cls, parts[2].p, parts[2].len)
			  : NULL;

		if (f)
			uk_store_folder_put(f);
		return e ? -ENOTDIR : -ENOENT;
	}
	if (!f)
		return static_find_n(lib, parts[1].p, parts[1].len) ? -ENOTDIR
								 : -ENOENT;
	for (i = 0; i < f->cls->n && !rc; i++)
		rc = fn(arg, f->cls->tmpl[i].name, 0);
	uk_store_folder_put(f);
	return rc;
}

/* Number of visible folders over all libraries. */
unsigned int uk_store_folder_count(void)
{
	const struct uk_store_lib *l;
	unsigned int n = 0;

	if (!__start_ukstore_libs)
		return 0;
	_uk_store_lock();
	for (l = __start_ukstore_libs; l < __stop_ukstore_libs; l++)
		if (l->state)
			n += l->state->nfolders;
	_uk_store_unlock();
	return n;
}

/* Lookup, read, release in one call; see uk/store.h. */
int uk_store_read_path(const char *path, struct uk_store_value *v)
{
	struct uk_store_ref ref;
	int rc = uk_store_lookup(path, &ref);

	if (rc)
		return rc;
	rc = uk_store_read(&ref, v);
	uk_store_ref_put(&ref);
	return rc;
}

/* Lookup, write as text, release in one call; see uk/store.h. */
int uk_store_write_text_path(const char *path, const char *text)
{
	struct uk_store_ref ref;
	int rc = uk_store_lookup(path, &ref);

	if (rc)
		return rc;
	rc = uk_store_write_text(&ref, text);
	uk_store_ref_put(&ref);
	return rc;
}
