/*
 * ukstore for producers: what a library needs to lay down its metrics,
 * and nothing a consumer uses (lookups, reads, walks and cursors are in
 * uk/store.h, which includes this header).  A producer includes only
 * this one.
 *
 * A library publishes values as "library/entry" (static entries, laid
 * down at build time in a per-library linker section, costing no code at
 * boot) or as "library/folder/entry" (dynamic folders, created and
 * removed at run time from a template array of entries plus a cookie).
 * Every entry carries its metric metadata (kind, help, unit), so an
 * exporter needs no table of its own.
 *
 * Naming.  Library and entry names are C identifiers: the macros take
 * them as tokens and stringify them, so a static name can never hold a
 * stray quote or an invalid character.  Dynamic entry names are checked
 * at uk_store_folder_add() against [a-zA-Z_][a-zA-Z0-9_]*.  A folder's
 * name is the value of its label (any bytes but '/' and NUL, 1..63 long,
 * not "." or ".."); its label name follows the Prometheus label rules and
 * may not start with "__".  A folder whose label value cannot be a path
 * component (a mountpoint such as "/data") is created with
 * uk_store_folder_add_valued(): its name stays the path component and its
 * label value is given apart.
 *
 * Metric names.  An entry "rx_packets" of library "netdev" is the family
 * "netdev_rx_packets".  Counters are exported with a "_total" suffix, and
 * a unit appends "_bytes" or "_seconds" when the name lacks it.  All
 * folders of one library that share an entry name form one family,
 * labelled with the folder's label (netdev_rx_packets_total{device="eth0"}).
 *
 * Lifetime.  Folders are reference counted.  uk_store_folder_remove()
 * hides a folder from new lookups and drops the creator's reference; a
 * consumer still holding it (a scrape in progress) keeps it and its
 * cookie alive; the last release unlinks and frees it exactly once and
 * then calls the folder's release callback, which is the moment the
 * producer may free the cookie.  Getters run without any store lock held.
 *
 * Errors.  Functions return 0 or a negative errno.
 */
#ifndef UK_STORE_PUBLISH_H
#define UK_STORE_PUBLISH_H

#include <stddef.h>
#include <stdint.h>

#include <uk/hist.h>

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
#define UK_STORE_HIST_MAX_BUCKETS UK_HIST_MAX_BUCKETS

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
 * Getter for an entry whose cookie is a live struct uk_hist (uk/hist.h):
 * fills *out cumulatively.  Returns 0, or -EINVAL for a NULL cookie or a
 * histogram with too many buckets.
 */
int uk_store_hist_get(void *cookie, struct uk_store_hist_val *out);

/*
 * The names the live histogram had when it lived in the store, kept for
 * the producers written against them: struct uk_store_hist is struct
 * uk_hist, uk_store_hist_observe() is uk_hist_observe().  New code uses
 * uk/hist.h's names.
 */
#define uk_store_hist uk_hist
static inline void uk_store_hist_observe(struct uk_hist *h, double v)
{
	uk_hist_observe(h, v);
}

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
 * As uk_store_folder_add(), but the folder's label value, which exporters
 * print (label_name="value"), is value rather than name: 1..255 bytes,
 * any but NUL, '/' included.  name remains the folder's unique path
 * component ("lib/name/entry").  Within one class (template and label
 * name), label values are unique among visible folders, so a family
 * never holds two series with the same labels: -EEXIST if a visible
 * folder of the class already has this value (a plain folder's value
 * being its name).  value NULL is uk_store_folder_add().  Returns as
 * uk_store_folder_add(), -EINVAL also for a bad value.
 */
int uk_store_folder_add_valued(const struct uk_store_lib *lib,
			       const char *label_name, const char *name,
			       const char *value,
			       const struct uk_store_entry *tmpl,
			       unsigned int n, void *cookie,
			       uk_store_release_fn release,
			       struct uk_store_folder **out);

/**
 * Hides folder f from new lookups and drops the creator's reference.
 * Returns 0, or -EINVAL if f was already removed.
 */
int uk_store_folder_remove(struct uk_store_folder *f);

/** Drops a reference; the last one frees the folder. */
void uk_store_folder_put(struct uk_store_folder *f);

#ifdef __cplusplus
}
#endif

#endif /* UK_STORE_PUBLISH_H */
