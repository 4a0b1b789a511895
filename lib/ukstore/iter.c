/*
 * Enumeration of the whole store: uk_store_walk() in tree order (library,
 * its static entries, its folders with their entries) and the resumable
 * cursor uk_store_iter_*() in metric-family order (per library its static
 * entries, then per class and per template entry every visible folder of
 * the class), which is the order an exposition format needs: all samples
 * of a family together, after one HELP/TYPE.  Both step from folder to
 * folder holding a reference on the current one and looking up its
 * successor under the store lock, so callbacks and the cursor's consumer
 * run unlocked while folders come and go.  The cursor also holds its
 * current class, which keeps the class linked (and its successor
 * reachable) even if all its folders vanish while it is parked.
 */
#include <errno.h>
#include <stddef.h>

#include <uk/assert.h>
#include <uk/store.h>

#include "store_impl.h"

enum { PH_START = 0, PH_STATIC, PH_DYN, PH_END };

/*
 * Moves the walk's or cursor's folder reference from *cur to the next
 * visible folder of lib (of class c when non-NULL); returns the new one.
 */
static struct uk_store_folder *step(const struct uk_store_lib *lib,
				    struct uk_store_folder *cur,
				    const struct uk_store_class *c)
{
	struct uk_store_folder *nf, *dead = NULL;

	_uk_store_lock();
	nf = _uk_store_folder_next_locked(lib, cur, c);
	if (nf)
		_uk_store_folder_ref_locked(nf);
	if (cur)
		dead = _uk_store_folder_unref_locked(cur);
	_uk_store_unlock();
	if (dead)
		_uk_store_folder_final(dead);
	return nf;
}

static int walk_lib(const struct uk_store_walk_ops *ops, void *arg,
		    const struct uk_store_lib *lib)
{
	size_t i, n = _uk_store_lib_nstatic(lib);
	struct uk_store_folder *f = NULL;
	struct uk_store_ref ref;
	int rc;

	if (ops->lib && (rc = ops->lib(arg, lib)))
		return rc;
	for (i = 0; i < n && ops->entry; i++) {
		ref = (struct uk_store_ref){ lib, NULL, &lib->start[i],
					     lib->start[i].cookie };
		if ((rc = ops->entry(arg, &ref)))
			return rc;
	}
	if (!lib->state)
		return 0;
	while ((f = step(lib, f, NULL))) {
		unsigned int j;

		rc = ops->folder ? ops->folder(arg, lib, f) : 0;
		for (j = 0; !rc && ops->entry && j < f->cls->n; j++) {
			ref = (struct uk_store_ref){ lib, f, &f->cls->tmpl[j],
						     f->cookie };
			rc = ops->entry(arg, &ref);
		}
		if (rc) {
			uk_store_folder_put(f);
			return rc;
		}
	}
	return 0;
}

/*
 * Visits the store in tree order (see uk/store.h).  Returns 0, the first
 * non-zero callback result, or -EINVAL for NULL ops.
 */
int uk_store_walk(const struct uk_store_walk_ops *ops, void *arg)
{
	const struct uk_store_lib *lib = NULL;
	int rc;

	if (!ops)
		return -EINVAL;
	while ((lib = _uk_store_lib_next(lib)))
		if ((rc = walk_lib(ops, arg, lib)))
			return rc;
	return 0;
}

/* Starts a cursor before the first entry. */
void uk_store_iter_init(struct uk_store_iter *it)
{
	*it = (struct uk_store_iter){ 0 };
}

static void enter_lib(struct uk_store_iter *it,
		      const struct uk_store_lib *lib)
{
	it->lib = lib;
	it->libidx++;
	it->phase = lib ? PH_STATIC : PH_END;
	it->sentry = lib && _uk_store_lib_nstatic(lib) ? lib->start : NULL;
	it->cls = NULL;
	it->eidx = 0;
	it->folder = NULL;
}

/*
 * The next dynamic sample of the cursor's library, or NULL when the
 * library has no more; the store lock is held.  *dead receives a folder
 * whose last reference the cursor dropped (finalise it after unlocking).
 */
static struct uk_store_folder *dyn_next_locked(struct uk_store_iter *it,
					       int *first,
					       struct uk_store_folder **dead)
{
	const struct uk_store_lib *lib = it->lib;
	struct uk_store_class *nc;
	struct uk_store_folder *f;

	if (!it->cls) {
		it->cls = lib->state ? lib->state->classes : NULL;
		if (it->cls)
			_uk_store_class_ref_locked(it->cls);
		it->eidx = 0;
	}
	while (it->cls) {
		f = _uk_store_folder_next_locked(lib, it->folder, it->cls);
		if (f) {
			_uk_store_folder_ref_locked(f);
			*first = !it->folder;
			if (it->folder)
				*dead = _uk_store_folder_unref_locked(
					it->folder);
			it->folder = f;
			return f;
		}
		/* This family is done; at most one folder is dropped here. */
		if (it->folder) {
			*dead = _uk_store_folder_unref_locked(it->folder);
			it->folder = NULL;
		}
		if (++it->eidx < it->cls->n)
			continue;
		nc = it->cls->next;
		if (nc)
			_uk_store_class_ref_locked(nc);
		_uk_store_class_unref_locked(it->cls);
		it->cls = nc;
		it->eidx = 0;
	}
	return NULL;
}

/*
 * Moves the cursor to the next entry.  Returns 1 and fills *ref (valid
 * until the next call) and *first (1 when a family starts), or 0 at the
 * end, when the cursor holds nothing any more.
 */
int uk_store_iter_next(struct uk_store_iter *it, struct uk_store_ref *ref,
		       int *first)
{
	struct uk_store_folder *f, *dead = NULL;
	int fst = 0;

	for (;;) {
		switch (it->phase) {
		case PH_START:
			enter_lib(it, _uk_store_lib_next(NULL));
			break;
		case PH_STATIC:
			if (it->sentry && it->sentry < it->lib->stop) {
				*ref = (struct uk_store_ref){
					it->lib, NULL, it->sentry,
					it->sentry->cookie };
				it->sentry++;
				if (first)
					*first = 1;
				return 1;
			}
			it->phase = PH_DYN;
			break;
		case PH_DYN:
			_uk_store_lock();
			f = dyn_next_locked(it, &fst, &dead);
			_uk_store_unlock();
			if (dead)
				_uk_store_folder_final(dead);
			dead = NULL;
			if (f) {
				*ref = (struct uk_store_ref){
					it->lib, f, &f->cls->tmpl[it->eidx],
					f->cookie };
				if (first)
					*first = fst;
				return 1;
			}
			enter_lib(it, _uk_store_lib_next(it->lib));
			break;
		default:
			*ref = (struct uk_store_ref){ 0 };
			return 0;
		}
	}
}

/* Drops the folder and class the cursor holds and ends it. */
void uk_store_iter_fini(struct uk_store_iter *it)
{
	struct uk_store_folder *dead = NULL;

	_uk_store_lock();
	if (it->folder)
		dead = _uk_store_folder_unref_locked(it->folder);
	if (it->cls)
		_uk_store_class_unref_locked(it->cls);
	_uk_store_unlock();
	if (dead)
		_uk_store_folder_final(dead);
	it->folder = NULL;
	it->cls = NULL;
	it->phase = PH_END;
}
