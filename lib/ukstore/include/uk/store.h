/*
 * ukstore for consumers: a procfs-like store of typed values, read by
 * path, walked, or iterated in metric-family order (the exporter, the
 * shell).  What producers use to publish (entries, libraries, folders)
 * is in uk/store_publish.h, included here; see it for naming, metric
 * names and folder lifetime.  Functions that exist only for tests and
 * self-checks are in uk/store_test.h.
 *
 * Threads.  Lookups, walks and iteration are safe while other threads add
 * and remove folders.  Getters run without any store lock held.  The
 * store guards its lists with the bare mutex core of uk/fmutex.h, not
 * with a uklock mutex, so reading the store never moves the lock metrics
 * it reports.
 *
 * Errors.  Functions return 0 or a negative errno; lookups of a missing
 * name return -ENOENT (or NULL), never a bogus pointer.
 */
#ifndef UK_STORE_H
#define UK_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <uk/store_publish.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- folders, as a consumer holds them ---------------------------- */

/** The folder's name: its path component in store paths. */
const char *uk_store_folder_name(const struct uk_store_folder *f);
/** The folder's label name. */
const char *uk_store_folder_label(const struct uk_store_folder *f);
/** The folder's label value: the value given at creation, else its name. */
const char *uk_store_folder_value(const struct uk_store_folder *f);
/** How many labels the folder carries (1..UK_STORE_FOLDER_LABELS_MAX). */
unsigned int uk_store_folder_nlabels(const struct uk_store_folder *f);
/** The name of the folder's label i; NULL when i is out of range. */
const char *uk_store_folder_label_at(const struct uk_store_folder *f,
				     unsigned int i);
/** The value of the folder's label i; NULL when i is out of range. */
const char *uk_store_folder_value_at(const struct uk_store_folder *f,
				     unsigned int i);

/* ---- a consumer's annex: text made once per folder ----------------- */

/**
 * What an annex builder sees of a folder being added: its library,
 * template and labels (values[0] resolved: the folder's value, else its
 * name).  Valid only during the call.
 */
struct uk_store_annex_src {
	const struct uk_store_lib *lib;
	const struct uk_store_entry *tmpl;
	unsigned int n;
	const char *const *names;
	const char *const *values;
	unsigned int nlabels;
};

/**
 * An annex builder: a consumer's bytes about a folder that stay the same
 * while it lives (ukprom's encoder keeps each series' name and labels,
 * rendered, so that a scrape writes only the values).  build() writes
 * the annex into buf[0..size) and returns the size it needs; the store
 * calls it once with size 0 to measure, then with that much room inside
 * the folder's own allocation.  It must be deterministic, allocate
 * nothing and take no store lock.  An annex is freed with its folder.
 */
struct uk_store_annex_builder {
	size_t (*build)(const struct uk_store_annex_src *src, void *buf,
			size_t size);
};

/** An annex larger than this is not kept (the consumer does without). */
#define UK_STORE_ANNEX_MAX 65536

/**
 * Declares the program's annex builder (at most one may be linked; the
 * store then gives every folder added an annex).
 */
#define UK_STORE_ANNEX_BUILDER(sym) \
	__attribute__((used, section("ukstore_annex"), aligned(8))) \
	const struct uk_store_annex_builder *const _uk_store_annex_##sym = \
		&(sym)

/**
 * The annex of folder f and its size in *len; NULL (and *len 0) when it
 * has none (no builder linked, or one too large).  The bytes live as
 * long as the folder and are 8-byte aligned.
 */
const void *uk_store_folder_annex(const struct uk_store_folder *f,
				  size_t *len);

/** What the store's folders cost in memory (uk_store_mem_get()). */
struct uk_store_mem {
	uint64_t folders;      /**< folders linked (removed ones still held too) */
	uint64_t folder_bytes; /**< their allocations, annexes included */
	uint64_t annex_bytes;  /**< of which annexes */
	uint64_t classes;      /**< classes linked */
	uint64_t class_bytes;  /**< their allocations */
};

/** Fills *m with the store's current memory use. */
void uk_store_mem_get(struct uk_store_mem *m);

/* ---- lookup, values ------------------------------------------------ */

/**
 * A resolved entry.  When folder is non-NULL the reference holds it;
 * release with uk_store_ref_put().
 */
struct uk_store_ref {
	const struct uk_store_lib *lib;
	struct uk_store_folder *folder;
	const struct uk_store_entry *entry;
	void *cookie;
};

/**
 * Resolves "lib/entry" or "lib/folder/entry".  Returns 0 and fills *ref,
 * -ENOENT if any part is missing, or -EINVAL for a malformed path.
 */
int uk_store_lookup(const char *path, struct uk_store_ref *ref);
/** The same by parts; folder NULL means a static entry. */
int uk_store_lookup_parts(const char *lib, const char *folder,
			  const char *entry, struct uk_store_ref *ref);
void uk_store_ref_put(struct uk_store_ref *ref);

/** A value read from or written to an entry. */
struct uk_store_value {
	uint8_t type;
	union {
		int64_t s;      /* S8..S64 */
		uint64_t u;     /* U8..U64, UPTR */
		double d;
		const char *str;
		struct uk_store_hist_val hist;
		struct uk_store_labels_val labels;
	};
};

/**
 * Calls the entry's getter.  Returns 0, or the getter's own negative
 * error (which a consumer reports, never a value).
 */
int uk_store_read(const struct uk_store_ref *ref, struct uk_store_value *v);
/**
 * uk_store_read() with the commonest types (u64, double) read inline,
 * for a consumer that reads every sample of a scrape: the same results.
 */
static inline int uk_store_read_inline(const struct uk_store_ref *ref,
				       struct uk_store_value *v)
{
	const struct uk_store_entry *e = ref->entry;

	if (e->type == UK_STORE_U64 && e->get.u64) {
		v->type = UK_STORE_U64;
		v->u = 0;
		return e->get.u64(ref->cookie, &v->u);
	}
	if (e->type == UK_STORE_DOUBLE && e->get.dbl) {
		v->type = UK_STORE_DOUBLE;
		v->d = 0;
		return e->get.dbl(ref->cookie, &v->d);
	}
	return uk_store_read(ref, v);
}

/**
 * Calls the setter with v converted to the entry's type.  Returns 0,
 * -EPERM for a read-only entry, -ERANGE if v does not fit, -EINVAL for
 * an impossible conversion, or the setter's error.
 */
int uk_store_write(const struct uk_store_ref *ref,
		   const struct uk_store_value *v);
/**
 * Parses text (white space around it ignored) as a value for the entry's
 * type and writes it: an integer in decimal or 0x hexadecimal, a double
 * as strtod reads it (correctly rounded), a string as is.  Returns as
 * uk_store_write(), -EINVAL for unparsable text, or -ERANGE for an
 * integer beyond 64 bits or a double beyond the largest finite one.
 */
int uk_store_write_text(const struct uk_store_ref *ref, const char *text);
/**
 * Formats v as text ("42", "0.25", a string as is, a histogram as one
 * "le count" line per bucket, an info's label pairs as one name="value"
 * line each, the value escaped as in the exposition) into buf.  Doubles print as
 * uk_num_fmt_double() does (uk/num.h): the shortest text that reads back
 * as the same double, the same text as in the Prometheus exposition.
 * Returns the length it needs (snprintf-style), or a negative errno.
 */
int uk_store_value_format(const struct uk_store_value *v, char *buf,
			  size_t size);

/**
 * Looks path up, reads the entry and lets it go: the one-call form of
 * uk_store_lookup() + uk_store_read() + uk_store_ref_put().  Returns as
 * those do.  A string value points at the producer's own string.
 */
int uk_store_read_path(const char *path, struct uk_store_value *v);
/**
 * Looks path up and writes text to it (uk_store_write_text()).  Returns
 * 0, -ENOENT, -EINVAL, -EPERM, -ERANGE or the setter's error.
 */
int uk_store_write_text_path(const char *path, const char *text);

/* ---- enumeration ---------------------------------------------------- */

/**
 * Callbacks for uk_store_walk(), all optional.  Returning non-zero from
 * any of them stops the walk with that value.
 */
struct uk_store_walk_ops {
	int (*lib)(void *arg, const struct uk_store_lib *lib);
	int (*folder)(void *arg, const struct uk_store_lib *lib,
		      struct uk_store_folder *f);
	int (*entry)(void *arg, const struct uk_store_ref *ref);
};

/**
 * Visits the tree in a stable order: libraries by name; in each, its
 * static entries in link order, then its visible folders by name with
 * their entries in template order.  Returns 0 or the first non-zero
 * callback result.
 */
int uk_store_walk(const struct uk_store_walk_ops *ops, void *arg);

/** Folders a cursor takes from the store per lock acquisition. */
#define UK_STORE_ITER_BATCH 16

/**
 * A resumable cursor over all entries in metric-family order, every
 * family's samples together: for each library (by name), its static
 * entries in link order, where a static entry of a family of several
 * (UK_STORE_ENTRY_L) brings the family's other static entries and its
 * template entries in every visible folder along; then per folder
 * template, the rest of its families, each entry in every visible
 * folder, by folder name.  It holds a reference on its current folder
 * (and on the next few of the family, taken in one batch so that a scrape
 * locks the store once per UK_STORE_ITER_BATCH samples), so it may be
 * parked between calls (a scrape sent in chunks).
 */
struct uk_store_iter {
	const struct uk_store_lib *lib;
	uint32_t libidx;
	uint32_t phase;
	const struct uk_store_entry *sentry;
	const struct uk_store_entry *fstatic; /* static owning the family */
	const struct uk_store_entry *fpos;    /* its next static to look at */
	const struct uk_store_entry *entry;   /* the batch's entry */
	struct uk_store_class *cls;
	uint32_t eidx;
	struct uk_store_folder *folder;
	uint32_t nfam;   /* samples returned in the current family */
	uint32_t bpos;   /* next batch slot to return */
	uint32_t blen;   /* filled batch slots */
	struct uk_store_folder *batch[UK_STORE_ITER_BATCH];
	/* The batch's folders' cookies and annexes, for the inline step. */
	void *bcookie[UK_STORE_ITER_BATCH];
	const void *bannex[UK_STORE_ITER_BATCH];
};

void uk_store_iter_init(struct uk_store_iter *it);
/**
 * Moves to the next entry.  Returns 1 and fills *ref (valid until the
 * next call; do not put it), or 0 at the end.  *first is set to 1 when
 * this entry starts a new metric family.
 */
int uk_store_iter_next(struct uk_store_iter *it, struct uk_store_ref *ref,
		       int *first);
/**
 * uk_store_iter_next() for the common step, inline: when the cursor
 * already holds the next folder of the entry it is on, moves to it,
 * fills *ref as uk_store_iter_next() would (it starts no family) and
 * sets *annex to the folder's annex (uk_store_folder_annex()), and
 * returns 1; otherwise returns 0 and changes nothing (call
 * uk_store_iter_next()).
 */
static inline int uk_store_iter_next_held(struct uk_store_iter *it,
					  struct uk_store_ref *ref,
					  const void **annex)
{
	uint32_t i = it->bpos;

	if (i >= it->blen || !it->nfam)
		return 0;
	it->bpos = i + 1;
	it->folder = it->batch[i];
	it->nfam++;
	ref->folder = it->batch[i];
	ref->cookie = it->bcookie[i];
	*annex = it->bannex[i];
	return 1;
}

/**
 * The folders the cursor holds past its current one for the entry it is
 * on (those uk_store_iter_next_held() would move to, in order), for a
 * consumer that reads a whole batch in one loop: points *cookies and
 * *annexes at their cookies and annexes and returns how many there are,
 * 0 when none (then call uk_store_iter_next()).  The arrays stay valid
 * until the cursor moves past them.
 */
static inline uint32_t uk_store_iter_held(const struct uk_store_iter *it,
					  void *const **cookies,
					  const void *const **annexes)
{
	uint32_t i = it->bpos;

	if (i >= it->blen || !it->nfam)
		return 0;
	*cookies = &it->bcookie[i];
	*annexes = &it->bannex[i];
	return it->blen - i;
}

/**
 * Moves the cursor n folders on (1 <= n <= uk_store_iter_held()), as n
 * calls of uk_store_iter_next_held() would, and fills *ref's folder and
 * cookie for the last of them (the entry and library stay the same).
 */
static inline void uk_store_iter_skip_held(struct uk_store_iter *it,
					   uint32_t n,
					   struct uk_store_ref *ref)
{
	uint32_t i = it->bpos + n - 1;

	it->bpos = i + 1;
	it->folder = it->batch[i];
	it->nfam += n;
	ref->folder = it->batch[i];
	ref->cookie = it->bcookie[i];
}

/** Releases what the cursor holds; needed only when stopping early. */
void uk_store_iter_fini(struct uk_store_iter *it);

/**
 * Lists the children of path: "" lists libraries, "lib" its static
 * entries and folders, "lib/folder" the folder's entries (one trailing
 * '/' is accepted).  fn gets each child's name and whether it is a
 * directory; it runs without the store lock.  Returns 0, -ENOENT,
 * -ENOTDIR (path names an entry), -EINVAL (malformed path), or the
 * first non-zero value fn returned, which stops the listing.
 */
int uk_store_list(const char *path,
		  int (*fn)(void *arg, const char *name, int is_dir),
		  void *arg);

#ifdef __cplusplus
}
#endif

#endif /* UK_STORE_H */
