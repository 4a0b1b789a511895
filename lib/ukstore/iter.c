/*
 * Enumeration of the whole store: uk_store_walk() in tree order (library,
 * its static entries, its folders with their entries) and the resumable
 * cursor uk_store_iter_*() in metric-family order, which is the order an
 * exposition format needs: all samples of a family together, after one
 * HELP/TYPE.  Per library, the cursor visits its static entries in link
 * order; the first static entry of a family of several (family.c) brings
 * along the family's later static entries and then its entries in every
 * class, so those are skipped when met again.  Then it visits every class
 * in its planned order (each family's entries together, the families
 * static entries own left out), each entry in every visible folder of the
 * class.  Which static entry owns a family, and where a class's families
 * start, depend on static entries and templates only, never on what
 * folders exist, so a cursor parked while folders and classes come and go
 * never prints a family twice.
 *
 * Both step from folder to folder holding a reference on the current one
 * and looking up its successor under the store lock, so callbacks and the
 * cursor's consumer run unlocked while folders come and go.  The cursor
 * takes the next few folders of a family at once (a batch of references),
 * because locking the store once per sample would cost more than encoding
 * the sample, and it prefetches the folders (and annexes) a walk will
 * reach a batch later through hints the previous walk left in them
 * (folder->ahead, folder->ahead_annex).  It also holds its current class, which keeps the class
 * linked (and its successor reachable) even if all its folders vanish
 * while it is parked.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/assert.h>
#include <uk/store.h>

#include "store_impl.h"

/*
 * Phases of a library: its static entries; the rest of a static entry's
 * family among the static entries, then in the classes; the classes.
 */
enum { PH_START = 0, PH_STATIC, PH_FSTATIC, PH_FCLASS, PH_DYN, PH_END };

/* The cursor's eidx before a pass over the classes has started. */
#define EIDX_NONE UINT32_MAX

/*
 * How far ahead a cursor prefetches.  A class's walk is a chain of
 * dependent loads through folders spread over the heap, one cache miss
 * each once the folders outgrow the cache, so the cursor leaves in each
 * folder it passes a pointer to the folder this many places further
 * (folder->ahead) and to that folder's annex, and, on the next walk (the
 * next entry's, the next scrape's), prefetches both: misses overlap
 * instead of adding up.
 */
#define _UK_STORE_AHEAD 16
_Static_assert(_UK_STORE_AHEAD <= UK_STORE_ITER_BATCH,
	       "the hints reach back into the previous batch only");

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
	it->fstatic = NULL;
	it->fpos = NULL;
	it->entry = NULL;
	it->cls = NULL;
	it->eidx = EIDX_NONE;
	it->folder = NULL;
	it->nfam = 0;
	it->bpos = 0;
	it->blen = 0;
}

/*
 * Drops a reference the cursor held on f; when that was f's last, f is
 * appended to dead[*ndead] (finalise it after unlocking).  The store lock
 * is held.
 */
static inline void drop_locked(struct uk_store_folder *f,
			       struct uk_store_folder **dead,
			       unsigned int *ndead)
{
	struct uk_store_folder *d = _uk_store_folder_unref_locked(f);

	if (d)
		dead[(*ndead)++] = d;
}

/* Drops the references of the cursor's batch (see drop_locked()). */
static void drop_batch_locked(struct uk_store_iter *it,
			      struct uk_store_folder **dead,
			      unsigned int *ndead)
{
	uint32_t i;

	for (i = 0; i < it->blen; i++)
		drop_locked(it->batch[i], dead, ndead);
	it->blen = 0;
	it->bpos = 0;
	it->folder = NULL;
}

/*
 * The first position at or after p in class c's order that a pass
 * visits: in the pass over the classes (fam NULL), one of a family that
 * no static entry owns; in a static entry's sweep, one of its family fam.
 * c->n when there is none.
 */
static uint32_t pos_next(const struct uk_store_class *c, uint32_t p,
			 const char *fam)
{
	if (fam && !c->has_static)
		return c->n;
	for (; p < c->n; p++) {
		if (!(c->eflags[p] & _UK_STORE_EF_STATIC)) {
			if (!fam)
				break;
		} else if (fam && _uk_store_same_family(
					  c->tmpl[c->order[p]].family, fam)) {
			break;
		}
	}
	return p;
}

/* Makes c (referenced) the cursor's class, at its first position. */
static void enter_class(struct uk_store_iter *it, struct uk_store_class *c,
			const char *fam)
{
	it->cls = c;
	it->eidx = pos_next(c, 0, fam);
	/* A pass over the classes starts a family with each class. */
	if (!fam)
		it->nfam = 0;
}

/*
 * Leaves in f the hints to g, _UK_STORE_AHEAD places further.  Mostly
 * they are there already (the last walk left them), so they are
 * compared first: a load and a test instead of a load and two stores
 * (about 2 instructions per series fewer on the bench set).  The line
 * is written anyway, by f's reference count.
 */
static inline void hint(struct uk_store_folder *f,
			const struct uk_store_folder *g)
{
	if (f->ahead != g) {
		f->ahead = g;
		f->ahead_annex = g->annex;
	}
}

/*
 * Refills the consumed batch with the next visible folders of the current
 * entry, moving on to the next entry of the pass or class when one is
 * exhausted.  The pass (fam: see pos_next()) starts at the library's
 * first class.  The new batch starts after the last folder of the old
 * one, which is still referenced (hence linked) until the new batch holds
 * its own.  Returns 1 with a non-empty batch, or 0 when the pass is over.
 * The store lock is held; dead[] as for drop_batch_locked().
 */
static int refill_locked(struct uk_store_iter *it, const char *fam,
			 struct uk_store_folder **dead, unsigned int *ndead)
{
	const struct uk_store_lib *lib = it->lib;
	struct uk_store_folder *g;
	struct uk_store_class *c;
	uint32_t n, old, i;

	if (it->eidx == EIDX_NONE) {
		c = lib->state ? lib->state->classes : NULL;
		if (c) {
			_uk_store_class_ref_locked(c);
			enter_class(it, c, fam);
		}
	}
	while ((c = it->cls)) {
		if (it->eidx < c->n) {
			/*
			 * One pass takes the new batch into the slots of the
			 * old one: old folder n is dropped once new folder n
			 * is referenced (the walk goes on from the new ones,
			 * so the old ones may be unlinked) and its hint, if
			 * it gets one, written (a hint goes to a slot at or
			 * after n).
			 */
			old = it->blen;
			g = old ? it->batch[old - 1] : NULL;
			for (n = 0; n < UK_STORE_ITER_BATCH; n++) {
				g = _uk_store_folder_next_locked(lib, g, c);
				if (!g)
					break;
				/* The folder a batch later, and the first
				 * two lines of its annex (a third measured
				 * no better on the bench set); a prefetch
				 * of NULL (no hint yet, no annex) does
				 * nothing, cheaper than testing for it. */
				__builtin_prefetch(g->ahead);
				__builtin_prefetch(g->ahead_annex);
				__builtin_prefetch((const void *)
					((uintptr_t)g->ahead_annex + 64));
				_uk_store_folder_ref_locked(g);
				/* The consumer reads it next (a prefix). */
				__builtin_prefetch(g->annex);
				/* The folder _UK_STORE_AHEAD places back, in
				 * this batch or the previous one (a full
				 * batch of the same walk, or none). */
				if (n >= _UK_STORE_AHEAD)
					hint(it->batch[n - _UK_STORE_AHEAD], g);
				else if (old == UK_STORE_ITER_BATCH)
					hint(it->batch[UK_STORE_ITER_BATCH -
						       _UK_STORE_AHEAD + n], g);
				if (n < old)
					drop_locked(it->batch[n], dead, ndead);
				it->batch[n] = g;
				it->bcookie[n] = g->cookie;
				it->bannex[n] = g->annex;
			}
			for (i = n; i < old; i++)
				drop_locked(it->batch[i], dead, ndead);
			it->blen = n;
			it->bpos = 0;
			it->folder = NULL;
			if (n) {
				it->entry = &c->tmpl[c->order[it->eidx]];
				return 1;
			}
			/* The entry is done; a family may start next. */
			it->eidx = pos_next(c, it->eidx + 1, fam);
			if (!fam && it->eidx < c->n &&
			    (c->eflags[it->eidx] & _UK_STORE_EF_START))
				it->nfam = 0;
			continue;
		}
		it->cls = c->next;
		if (it->cls)
			_uk_store_class_ref_locked(it->cls);
		_uk_store_class_unref_locked(c);
		if (it->cls)
			enter_class(it, it->cls, fam);
	}
	it->eidx = EIDX_NONE;
	return 0;
}

/* Returns the next sample of the cursor's batch, which is not empty. */
static inline int batch_next(struct uk_store_iter *it,
			     struct uk_store_ref *ref, int *first)
{
	struct uk_store_folder *f = it->folder = it->batch[it->bpos++];

	*ref = (struct uk_store_ref){ it->lib, f, it->entry, f->cookie };
	if (first)
		*first = it->nfam == 0;
	it->nfam++;
	return 1;
}

/* Returns static entry s, the start of a family when fam_start. */
static int static_next(struct uk_store_iter *it,
		       const struct uk_store_entry *s, struct uk_store_ref *ref,
		       int *first, int fam_start)
{
	*ref = (struct uk_store_ref){ it->lib, NULL, s, s->cookie };
	if (first)
		*first = fam_start;
	it->nfam = fam_start ? 1 : it->nfam + 1;
	return 1;
}

static __attribute__((noinline)) int iter_next_slow(
	struct uk_store_iter *it, struct uk_store_ref *ref, int *first)
{
	struct uk_store_folder *dead[UK_STORE_ITER_BATCH];
	const struct uk_store_entry *s;
	unsigned int ndead, i;
	int more;

	for (;;) {
		switch (it->phase) {
		case PH_START:
			enter_lib(it, _uk_store_lib_next(NULL));
			break;
		case PH_STATIC:
			if (!it->sentry || it->sentry >= it->lib->stop) {
				it->phase = PH_DYN;
				break;
			}
			s = it->sentry++;
			if (s->family) {
				/* Already visited with its family's first. */
				if (_uk_store_static_seen(it->lib, s))
					break;
				it->fstatic = s;
				it->fpos = s + 1;
				it->phase = PH_FSTATIC;
			}
			return static_next(it, s, ref, first, 1);
		case PH_FSTATIC:
			for (s = it->fpos; s < it->lib->stop; s++)
				if (s->family && _uk_store_same_family(
						 s->family, it->fstatic->family))
					break;
			if (s < it->lib->stop) {
				it->fpos = s + 1;
				return static_next(it, s, ref, first, 0);
			}
			it->phase = it->lib->state ? PH_FCLASS : PH_STATIC;
			break;
		case PH_FCLASS:
		case PH_DYN:
			if (it->bpos < it->blen)
				return batch_next(it, ref, first);
			ndead = 0;
			_uk_store_lock();
			more = refill_locked(it, it->phase == PH_FCLASS ?
						 it->fstatic->family : NULL,
					     dead, &ndead);
			_uk_store_unlock();
			for (i = 0; i < ndead; i++)
				_uk_store_folder_final(dead[i]);
			if (more)
				break;
			if (it->phase == PH_FCLASS)
				it->phase = PH_STATIC;
			else
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
	if (it->bpos < it->blen)
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
