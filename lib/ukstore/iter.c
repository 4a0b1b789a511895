/*
 * Enumeration of the whole store: uk_store_walk() in tree order (library,
 * its static entries, its folders with their entries) and the resumable
 * cursor uk_store_iter_*() in metric-family order (per library its static
 * entries, then per class and per template entry every visible folder of
 * the class), which is the order an exposition format needs: all samples
 * of a family together, after one HELP/TYPE.  Both step from folder to
 * folder holding a reference on the current one and looking up its
 * successor under the store lock, so callbacks and the cursor's consumer
 * run unlocked while folders come and go.  The cursor takes the next few
 * folders of a family at once (a batch of references), because locking
 * the store once per sample would cost more than encoding the sample.  It
 * also holds its current class, which keeps the class linked (and its
 * successor reachable) even if all its folders vanish while it is parked.
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
	it->nfam = 0;
	it->bpos = 0;
	it->blen = 0;
}

/*
 * Drops the references of the cursor's batch; folders whose last
 * reference that was are appended to dead[*ndead] (finalise them after
 * unlocking).  The store lock is held.
 */
static void drop_batch_locked(struct uk_store_iter *it,
			      struct uk_store_folder **dead,
			      unsigned int *ndead)
{
	uint32_t i;

	for (i = 0; i < it->blen; i++) {
		struct uk_store_folder *d =
			_uk_store_folder_unref_locked(it->batch[i]);

		if (d)
			dead[(*ndead)++] = d;
	}
	it->blen = 0;
	it->bpos = 0;
	it->folder = NULL;
}

/*
 * Refills the consumed batch with the next visible folders of the current
 * family, moving on to the next family or class when one is exhausted.
 * The new batch starts after the last folder of the old one, which is
 * still referenced (hence linked) until the new batch holds its own.
 * Returns 1 with a non-empty batch, or 0 when the library has no more
 * samples.  The store lock is held; dead[] as for drop_batch_locked().
 */
static int refill_locked(struct uk_store_iter *it,
			 struct uk_store_folder **dead, unsigned int *ndead)
{
	const struct uk_store_lib *lib = it->lib;
	struct uk_store_folder *nb[UK_STORE_ITER_BATCH], *g;
	struct uk_store_class *nc;
	uint32_t n;

	if (!it->cls && it->eidx == 0 && !it->nfam) {
		it->cls = lib->state ? lib->state->classes : NULL;
		if (it->cls)
			_uk_store_class_ref_locked(it->cls);
	}
	while (it->cls) {
		g = it->blen ? it->batch[it->blen - 1] : NULL;
		for (n = 0; n < UK_STORE_ITER_BATCH; n++) {
			g = _uk_store_folder_next_locked(lib, g, it->cls);
			if (!g)
				break;
			_uk_store_folder_ref_locked(g);
			nb[n] = g;
		}
		drop_batch_locked(it, dead, ndead);
		if (n) {
			for (it->blen = 0; it->blen < n; it->blen++)
				it->batch[it->blen] = nb[it->blen];
			return 1;
		}
		/* The family is done. */
		it->nfam = 0;
		if (++it->eidx < it->cls->n)
			continue;
		nc = it->cls->next;
		if (nc)
			_uk_store_class_ref_locked(nc);
		_uk_store_class_unref_locked(it->cls);
		it->cls = nc;
		it->eidx = 0;
	}
	/* Mark the library's dynamic part as finished. */
	it->nfam = 1;
	return 0;
}

/* Returns the next sample of the cursor's batch, which is not empty. */
static inline int batch_next(struct uk_store_iter *it,
			     struct uk_store_ref *ref, int *first)
{
	struct uk_store_folder *f = it->folder = it->batch[it->bpos++];

	*ref = (struct uk_store_ref){ it->lib, f, &f->cls->tmpl[it->eidx],
				      f->cookie };
	if (first)
		*first = it->nfam == 0;
	it->nfam++;
	return 1;
}

static __attribute__((noinline)) int iter_next_slow(
	struct uk_store_iter *it, struct uk_store_ref *ref, int *first)
{
	struct uk_store_folder *dead[UK_STORE_ITER_BATCH];
	unsigned int ndead, i;
	int more;

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
			if (it->bpos < it->blen)
				return batch_next(it, ref, first);
			ndead = 0;
			_uk_store_lock();
			more = refill_locked(it, dead, &ndead);
			_uk_store_unlock();
			for (i = 0; i < ndead; i++)
				_uk_store_folder_final(dead[i]);
			if (!more)
				enter_lib(it, _uk_store_lib_next(it->lib));
			break;
		default:
			*ref = (struct uk_store_ref){ 0 };
			return 0;
		}
	}
}

/*
 * Moves the cursor to the next entry.  Returns 1 and fills *ref (valid
 * until the next call) and *first (1 when a family starts), or 0 at the
 * end, when the cursor holds nothing any more.  Most calls take the next
 * folder of the batch and touch nothing shared.
 */
int uk_store_iter_next(struct uk_store_iter *it, struct uk_store_ref *ref,
		       int *first)
{
	if (it->phase == PH_DYN && it->bpos < it->blen)
		return batch_next(it, ref, first);
	return iter_next_slow(it, ref, first);
}

/* Drops the folders and class the cursor holds and ends it. */
void uk_store_iter_fini(struct uk_store_iter *it)
{
	struct uk_store_folder *dead[UK_STORE_ITER_BATCH];
	unsigned int ndead = 0, i;

	_uk_store_lock();
	drop_batch_locked(it, dead, &ndead);
	if (it->cls)
		_uk_store_class_unref_locked(it->cls);
	_uk_store_unlock();
	for (i = 0; i < ndead; i++)
		_uk_store_folder_final(dead[i]);
	it->cls = NULL;
	it->phase = PH_END;
}
