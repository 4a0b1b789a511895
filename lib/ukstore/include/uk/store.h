/*
 * ukstore: a procfs-like store of typed values.
 *
 * A library publishes values as "library/entry" (static entries, laid
 * down at build time in a per-library linker section, costing no code at
 * boot) or as "library/folder/entry" (dynamic folders, created and removed
 * at run time from a template array of entries plus a cookie).  Every
 * entry carries its metric metadata (kind, help, unit), so an exporter
 * needs no table of its own.
 *
 * Naming.  Library and entry names are C identifiers: the macros take them
 * as tokens and stringify them, so a static name can never hold a stray
 * quote or an invalid character.  Dynamic entry names are checked at
 * uk_store_folder_add() against [a-zA-Z_][a-zA-Z0-9_]*.  A folder's name is
 * the value of its label (any bytes but '/' and NUL, 1..63 long, not "."
 * or ".."); its label name follows the Prometheus label rules and may not
 * start with "__".
 *
 * Metric names.  An entry "rx_packets" of library "netdev" is the family
 * "netdev_rx_packets".  Counters are exported with a "_total" suffix, and a
 * unit appends "_bytes" or "_seconds" when the name lacks it.  All folders
 * of one library that share an entry name form one family, labelled with
 * the folder's label (netdev_rx_packets_total{device="eth0"}).
 *
 * Lifetime.  Folders are reference counted.  uk_store_folder_remove()
 * hides a folder from new lookups and drops the creator's reference; a
 * consumer still holding it (a scrape in progress) keeps it and its cookie
 * alive; the last release unlinks and frees it exactly once and then calls
 * the folder's release callback, which is the moment the producer may free
 * the cookie.
 *
 * Threads.  Lookups, walks and iteration are safe while other threads add
 * and remove folders.  Getters run without any store lock held.
 *
 * Errors.  Functions return 0 or a negative errno; lookups of a missing
 * name return -ENOENT (or NULL), never a bogus pointer.
 */
#ifndef UK_STORE_H
#define UK_STORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Value types. */
enum uk_store_type {
	UK_STORE_S8 = 1,
	UK_STORE_U8,
	UK_STORE_S16,
	UK_STORE_U16,
	UK_STORE_S32,
	UK_STORE_U32,
	UK_STORE_S64,
	UK_STORE_U64,
	UK_STORE_UPTR,
	UK_STORE_DOUBLE,
	UK_STORE_STRING,    /**< const char *, NUL-terminated */
	UK_STORE_HIST,      /**< struct uk_store_hist_val */
};

/** What an entry means as a metric. */
enum uk_store_kind {
	UK_STORE_GAUGE = 0,
	UK_STORE_COUNTER,
	UK_STORE_HISTOGRAM, /**< type must be UK_STORE_HIST */
	UK_STORE_INFO,      /**< type must be UK_STORE_STRING */
};

enum uk_store_unit {
	UK_STORE_UNIT_NONE = 0,
	UK_STORE_UNIT_BYTES,
	UK_STORE_UNIT_SECONDS,
};

/** Most finite buckets a histogram may have (the +Inf bucket is extra). */
#define UK_STORE_HIST_MAX_BUCKETS 32

/**
 * A histogram value, as a getter returns it.  le[] holds nbuckets
 * strictly increasing finite upper bounds; cum[i] is the number of
 * observations <= le[i] (cumulative); count is the +Inf bucket.
 */
struct uk_store_hist_val {
	uint32_t nbuckets;
	const double *le;
	uint64_t cum[UK_STORE_HIST_MAX_BUCKETS];
	uint64_t count;
	double sum;
};

/**
 * A live histogram that a producer observes into.  Observing costs a few
 * plain adds (single writer, see uk/counter.h); uk_store_hist_get() is a
 * ready getter that turns it into a uk_store_hist_val.
 */
struct uk_store_hist {
	uint32_t nbuckets;
	const double *le;
	uint64_t bucket[UK_STORE_HIST_MAX_BUCKETS + 1]; /* not cumulative */
	uint64_t count;
	double sum;
};

/** Records one observation v into h. */
void uk_store_hist_observe(struct uk_store_hist *h, double v);
/** Getter for an entry whose cookie is a struct uk_store_hist. */
int uk_store_hist_get(void *cookie, struct uk_store_hist_val *out);

/* Getter and setter signatures, one per type. */
#define _UK_STORE_FN(T, t) \
	typedef int (*uk_store_get_##t##_fn)(void *cookie, T *out); \
	typedef int (*uk_store_set_##t##_fn)(void *cookie, T in);
_UK_STORE_FN(int8_t, s8)
_UK_STORE_FN(uint8_t, u8)
_UK_STORE_FN(int16_t, s16)
_UK_STORE_FN(uint16_t, u16)
_UK_STORE_FN(int32_t, s32)
_UK_STORE_FN(uint32_t, u32)
_UK_STORE_FN(int64_t, s64)
_UK_STORE_FN(uint64_t, u64)
_UK_STORE_FN(uintptr_t, uptr)
_UK_STORE_FN(double, dbl)
_UK_STORE_FN(const char *, str)
typedef int (*uk_store_get_hist_fn)(void *cookie,
				    struct uk_store_hist_val *out);

/**
 * An entry descriptor.  Static ones live in read-only linker sections;
 * dynamic folders point at a const template array of them.  Build them
 * with the UK_STORE_* macros below rather than by hand.
 */
struct uk_store_entry {
	const char *name;
	const char *help;
	uint8_t type;   /* enum uk_store_type */
	uint8_t kind;   /* enum uk_store_kind */
	uint8_t unit;   /* enum uk_store_unit */
	uint8_t _pad[5];
	union {
		void *any;
		uk_store_get_s8_fn s8; uk_store_get_u8_fn u8;
		uk_store_get_s16_fn s16; uk_store_get_u16_fn u16;
		uk_store_get_s32_fn s32; uk_store_get_u32_fn u32;
		uk_store_get_s64_fn s64; uk_store_get_u64_fn u64;
		uk_store_get_uptr_fn uptr; uk_store_get_dbl_fn dbl;
		uk_store_get_str_fn str; uk_store_get_hist_fn hist;
	} get;
	union {
		void *any;
		uk_store_set_s8_fn s8; uk_store_set_u8_fn u8;
		uk_store_set_s16_fn s16; uk_store_set_u16_fn u16;
		uk_store_set_s32_fn s32; uk_store_set_u32_fn u32;
		uk_store_set_s64_fn s64; uk_store_set_u64_fn u64;
		uk_store_set_uptr_fn uptr; uk_store_set_dbl_fn dbl;
		uk_store_set_str_fn str;
	} set;          /* NULL: read-only */
	void *cookie;   /* static entries only; folders pass their own */
};

struct uk_store_lib_state;

/** A library's descriptor, one per UK_STORE_LIBRARY(). */
struct uk_store_lib {
	const char *name;
	const struct uk_store_entry *start; /* its static entries */
	const struct uk_store_entry *stop;
	struct uk_store_lib_state *state;   /* its dynamic folders (bss) */
};

/** Mutable per-library state; zero-initialised, so it needs no boot code. */
struct uk_store_lib_state {
	struct uk_store_class *classes;
	struct uk_store_folder *folders; /* sorted by name */
	uint32_t nfolders;
	struct uk_store_folder *hint;    /* last one added: insertion hint */
};

/**
 * Declares library `lib` once, in one of its .c files.  It defines the
 * global descriptor uk_store_lib_<lib> (for uk_store_folder_add) in the
 * section that the store enumerates.
 */
#define UK_STORE_LIBRARY(lib) \
	extern const struct uk_store_entry __start_ukstore_e_##lib[] \
		__attribute__((weak)); \
	extern const struct uk_store_entry __stop_ukstore_e_##lib[] \
		__attribute__((weak)); \
	static struct uk_store_lib_state _uk_store_state_##lib; \
	__attribute__((used, section("ukstore_libs"), aligned(8))) \
	const struct uk_store_lib uk_store_lib_##lib = { \
		#lib, __start_ukstore_e_##lib, __stop_ukstore_e_##lib, \
		&_uk_store_state_##lib }

/** Refers to a library declared elsewhere. */
#define UK_STORE_LIB_EXTERN(lib) \
	extern const struct uk_store_lib uk_store_lib_##lib

/* Maps a C type to its enum and union member. */
#define _UK_STORE_T_s8 UK_STORE_S8
#define _UK_STORE_T_u8 UK_STORE_U8
#define _UK_STORE_T_s16 UK_STORE_S16
#define _UK_STORE_T_u16 UK_STORE_U16
#define _UK_STORE_T_s32 UK_STORE_S32
#define _UK_STORE_T_u32 UK_STORE_U32
#define _UK_STORE_T_s64 UK_STORE_S64
#define _UK_STORE_T_u64 UK_STORE_U64
#define _UK_STORE_T_uptr UK_STORE_UPTR
#define _UK_STORE_T_dbl UK_STORE_DOUBLE
#define _UK_STORE_T_str UK_STORE_STRING
#define _UK_STORE_T_hist UK_STORE_HIST

#define _UK_STORE_K_gauge UK_STORE_GAUGE
#define _UK_STORE_K_counter UK_STORE_COUNTER
#define _UK_STORE_K_histogram UK_STORE_HISTOGRAM
#define _UK_STORE_K_info UK_STORE_INFO

#define _UK_STORE_U_none UK_STORE_UNIT_NONE
#define _UK_STORE_U_bytes UK_STORE_UNIT_BYTES
#define _UK_STORE_U_seconds UK_STORE_UNIT_SECONDS

/**
 * An entry initializer.  name: identifier; t: s8 u8 s16 u16 s32 u32 s64
 * u64 uptr dbl str hist; kind: gauge counter histogram info; unit: none
 * bytes seconds; help: a string literal; getter: a uk_store_get_<t>_fn;
 * setter: a uk_store_set_<t>_fn or NULL; cookie: passed to both (ignored
 * in folder templates, where the folder's cookie is passed).
 */
#define UK_STORE_ENTRY(name, t, kind, unit, help, getter, setter, cookie) \
	{ #name, help, _UK_STORE_T_##t, _UK_STORE_K_##kind, \
	  _UK_STORE_U_##unit, {0, 0, 0, 0, 0}, \
	  { .t = (getter) }, { .any = (void *)(setter) }, (void *)(cookie) }

/**
 * Lays down a static entry library/name in library lib's section.  The
 * library must be declared with UK_STORE_LIBRARY(lib) in some .c file.
 */
#define UK_STORE_STATIC_ENTRY(lib, name, t, kind, unit, help, getter, \
			      setter, cookie) \
	__attribute__((used, section("ukstore_e_" #lib), aligned(8))) \
	static const struct uk_store_entry _uk_store_e_##lib##_##name = \
		UK_STORE_ENTRY(name, t, kind, unit, help, getter, setter, \
			       cookie)

/* ---- dynamic folders ---------------------------------------------- */

struct uk_store_folder;

typedef void (*uk_store_release_fn)(void *cookie);

/**
 * Creates folder `name` in library lib, labelled label_name=name, holding
 * the n entries of tmpl (a const array that must outlive the folder).
 * cookie is passed to every getter and setter; release (optional) is
 * called with it exactly once, after the last reference is gone.
 *
 * Returns 0 and sets *out (holding the creator's reference), or
 * -EINVAL (bad name, label or template, or a template whose entry
 * clashes in type, kind or label with the library's existing family of
 * the same name), -EEXIST (a visible folder of that name exists), or
 * -ENOMEM.
 *
 * Precisely: folders made from one template pointer, count and label
 * name form one class, which owns the families named by its entries; a
 * different template reusing one of those names, or a static entry name
 * of the library, is -EINVAL even if the metadata agrees (the family
 * would otherwise be split).  A folder named like a static entry of the
 * library is -EEXIST.  On error nothing is left allocated or linked.
 */
int uk_store_folder_add(const struct uk_store_lib *lib,
			const char *label_name, const char *name,
			const struct uk_store_entry *tmpl, unsigned int n,
			void *cookie, uk_store_release_fn release,
			struct uk_store_folder **out);

/**
 * Hides folder f from new lookups and drops the creator's reference.
 * Returns 0, or -EINVAL if f was already removed.
 */
int uk_store_folder_remove(struct uk_store_folder *f);

/** Finds a visible folder and takes a reference; NULL if missing. */
struct uk_store_folder *uk_store_folder_get(const struct uk_store_lib *lib,
					    const char *name);
/** Takes another reference on a folder already held. */
void uk_store_folder_hold(struct uk_store_folder *f);
/** Drops a reference; the last one frees the folder. */
void uk_store_folder_put(struct uk_store_folder *f);

const char *uk_store_folder_name(const struct uk_store_folder *f);
const char *uk_store_folder_label(const struct uk_store_folder *f);

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

/** Finds a library by name; NULL if missing. */
const struct uk_store_lib *uk_store_lib_find(const char *name);

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
	};
};

/**
 * Calls the entry's getter.  Returns 0, or the getter's own negative
 * error (which a consumer reports, never a value).
 */
int uk_store_read(const struct uk_store_ref *ref, struct uk_store_value *v);
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
 * "le count" line per bucket) into buf.  Doubles print as
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
 * A resumable cursor over all entries in metric-family order: for each
 * library (by name), its static entries, then for each dynamic family
 * (entry name shared by the library's folders) the entry in every visible
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
	struct uk_store_class *cls;
	uint32_t eidx;
	struct uk_store_folder *folder;
	uint32_t nfam;   /* samples returned in the current family */
	uint32_t bpos;   /* next batch slot to return */
	uint32_t blen;   /* filled batch slots */
	struct uk_store_folder *batch[UK_STORE_ITER_BATCH];
};

void uk_store_iter_init(struct uk_store_iter *it);
/**
 * Moves to the next entry.  Returns 1 and fills *ref (valid until the
 * next call; do not put it), or 0 at the end.  *first is set to 1 when
 * this entry starts a new metric family.
 */
int uk_store_iter_next(struct uk_store_iter *it, struct uk_store_ref *ref,
		       int *first);
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

/** Number of visible folders in all libraries (tests, self-checks). */
unsigned int uk_store_folder_count(void);

#ifdef __cplusplus
}
#endif

#endif /* UK_STORE_H */
