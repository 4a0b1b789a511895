/*
 * ukstore's private definitions, shared by its implementation files only.
 * One store-wide mutex protects every library's folder list, its class
 * list and all reference counts; getters and callbacks always run with it
 * released, protected instead by a reference on the folder they read.
 * A class is the set of a library's folders made from one template (and
 * label names): it owns the metric families named by the template's
 * entries, except those that static entries of the library own too, and
 * keeps the order in which the cursor visits its entries (each family's
 * entries together).  Classes and folders stay linked while referenced,
 * so a cursor parked on one can always find its successor, and are
 * unlinked by their last release.
 */
#ifndef UK_STORE_IMPL_H
#define UK_STORE_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/store.h>

#define _UK_STORE_NAME_MAX 63 /* folder and label name length */
#define _UK_STORE_ENTRY_MAX 127 /* dynamic entry name length */
#define _UK_STORE_VALUE_MAX 255 /* label value length (valued folders) */
#define _UK_STORE_TMPL_MAX 1024 /* entries in a template */

/* Flags of a position in a class's family order (uk_store_class.eflags). */
#define _UK_STORE_EF_START 1  /* the first entry of its family */
#define _UK_STORE_EF_STATIC 2 /* a family that static entries own too */

struct uk_store_class {
	struct uk_store_class *next;      /* library's classes, by key */
	const struct uk_store_lib *lib;
	struct uk_alloc *a;  /* that allocated it */
	const struct uk_store_entry *tmpl;
	unsigned int n;
	uint32_t refs;      /* linked folders + cursors parked on it */
	uint32_t nfolders;  /* linked folders (hidden ones included) */
	uint8_t valued;     /* ever held a folder with its own label value */
	uint8_t nlabels;    /* label names of its folders */
	uint8_t has_static; /* static entries own some of its families */
	uint32_t size;      /* bytes allocated */
	/* Label names, copied after the class. */
	const char *labels[UK_STORE_FOLDER_LABELS_MAX];
	/*
	 * The cursor's visiting order: n template indexes with each
	 * family's entries together, and a flag byte for each position
	 * (_UK_STORE_EF_*); both after the class.
	 */
	const uint16_t *order;
	const uint8_t *eflags;
	char key[_UK_STORE_ENTRY_MAX + 1]; /* tmpl[0].name: sort key */
};

struct uk_store_folder {
	/* What a scrape reads of every folder, in its first cache line. */
	struct uk_store_folder *next;     /* library's folders, by name */
	struct uk_store_class *cls;
	void *cookie;
	void *annex;        /* the consumer's annex, inline; NULL: none */
	uint32_t refs;
	uint32_t annex_len;
	uint8_t hidden;     /* removed: invisible to new lookups */
	/*
	 * A hint for the cursor: the folder _UK_STORE_AHEAD places further
	 * in its class's walk when a cursor last passed here (iter.c).
	 * Only ever prefetched, never dereferenced, so it may be stale or
	 * point at a folder freed since; written under the store lock.
	 */
	const struct uk_store_folder *ahead;
	const void *ahead_annex;  /* and its annex (the same rules) */
	/* The rest. */
	struct uk_store_folder *prev;
	const struct uk_store_lib *lib;
	struct uk_alloc *a;  /* that allocated it */
	uk_store_release_fn release;
	char *value;        /* first label value: name, or inline after it */
	char **xvalues;     /* the other labels' values, inline after it */
	uint32_t size;      /* bytes allocated, annex included */
	char name[_UK_STORE_NAME_MAX + 1];
};

/* The store mutex (folder.c). */
void _uk_store_lock(void);
void _uk_store_unlock(void);

/*
 * Reference helpers for callers that hold the store lock (inline: the
 * cursor calls them for every folder of a scrape).  _unref returns the
 * folder when that was its last reference: it is then unlinked and the
 * caller must pass it to _uk_store_folder_final() after unlocking.
 */
static inline void _uk_store_folder_ref_locked(struct uk_store_folder *f)
{
	UK_ASSERT(f->refs > 0);
	f->refs++;
}

struct uk_store_folder *_uk_store_folder_unlink_locked(
	struct uk_store_folder *f);

static inline struct uk_store_folder *_uk_store_folder_unref_locked(
	struct uk_store_folder *f)
{
	UK_ASSERT(f->refs > 0);
	if (--f->refs)
		return NULL;
	return _uk_store_folder_unlink_locked(f);
}

void _uk_store_folder_final(struct uk_store_folder *f);
void _uk_store_class_ref_locked(struct uk_store_class *c);
void _uk_store_class_unref_locked(struct uk_store_class *c);

/*
 * The first visible folder of lib after f (from the head when f is NULL)
 * that belongs to class c (any class when c is NULL).  Store lock held.
 */
static inline struct uk_store_folder *_uk_store_folder_next_locked(
	const struct uk_store_lib *lib, struct uk_store_folder *f,
	const struct uk_store_class *c)
{
	struct uk_store_folder *g = f ? f->next : lib->state->folders;

	while (g && (g->hidden || (c && g->cls != c)))
		g = g->next;
	return g;
}

/* Integer value types, by signedness. */
static inline int _uk_store_is_signed(uint8_t t)
{
	return t == UK_STORE_S8 || t == UK_STORE_S16 || t == UK_STORE_S32 ||
	       t == UK_STORE_S64;
}

static inline int _uk_store_is_unsigned(uint8_t t)
{
	return t == UK_STORE_U8 || t == UK_STORE_U16 || t == UK_STORE_U32 ||
	       t == UK_STORE_U64 || t == UK_STORE_UPTR;
}

/* ---- families (family.c) ------------------------------------------ */

/* An entry's family name: the one it was given, else its own name. */
static inline const char *_uk_store_family(const struct uk_store_entry *e)
{
	return e->family ? e->family : e->name;
}

/* Are a and b the same family name?  Often the same literal. */
int _uk_store_same_family(const char *a, const char *b);
/* A Prometheus label name (identifier of at most 63 bytes, no "__"). */
int _uk_store_label_ok(const char *l);
/*
 * Is tmpl[0..n) a valid template for folders with labels[0..nlabels)?
 * Entries, unique names, families of several agreeing, labels distinct
 * from the entries' constant labels.  Returns 1 or 0.
 */
int _uk_store_tmpl_ok(const struct uk_store_entry *tmpl, unsigned int n,
		      const char *const *labels, unsigned int nlabels);
/*
 * Do lib's static entries let tmpl[0..n) in?  A static entry of the same
 * family as a template entry must agree with it as a family of several.
 * Returns 1 or 0.
 */
int _uk_store_tmpl_statics_ok(const struct uk_store_lib *lib,
			      const struct uk_store_entry *tmpl,
			      unsigned int n);
/*
 * Fills a class's visiting order and flags for tmpl[0..n) in lib (see
 * struct uk_store_class); returns how many families static entries own.
 */
unsigned int _uk_store_class_plan(const struct uk_store_lib *lib,
				  const struct uk_store_entry *tmpl,
				  unsigned int n, uint16_t *order,
				  uint8_t *eflags);
/* Does a static entry of lib before s belong to s's family? */
int _uk_store_static_seen(const struct uk_store_lib *lib,
			  const struct uk_store_entry *s);

/* Libraries in name order: the one after prev (first when NULL). */
const struct uk_store_lib *_uk_store_lib_next(const struct uk_store_lib *prev);
/* Number of static entries of lib (0 when it has none). */
size_t _uk_store_lib_nstatic(const struct uk_store_lib *lib);

/* Compares the len bytes at s with the C string t, as strcmp would. */
int _uk_store_memstrcmp(const char *s, size_t len, const char *t);
int _uk_store_strcmp(const char *a, const char *b);
size_t _uk_store_strnlen(const char *s, size_t max);

#endif /* UK_STORE_IMPL_H */
