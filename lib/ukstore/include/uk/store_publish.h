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
 * label value is given apart.  A folder may carry up to 8 labels
 * (uk_store_folder_add_labels(): {mountpoint, device, fstype}): the first
 * identifies it as above, the others are constant for its life.
 *
 * Metric names.  An entry "rx_packets" of library "netdev" is the family
 * "netdev_rx_packets".  Counters are exported with a "_total" suffix (one
 * already in the name is not doubled), info entries with "_info" (the
 * same), and a unit appends "_bytes" or "_seconds" when the name lacks
 * it; untyped entries get no suffix but their unit's.  So the exact names
 * of other exporters come out of a library of that name: library "node",
 * untyped entry netstat_Tcp_InSegs is node_netstat_Tcp_InSegs; gauge
 * memory_MemTotal_bytes is node_memory_MemTotal_bytes.  All folders of
 * one library that share an entry name form one family, labelled with the
 * folder's labels (netdev_rx_packets_total{device="eth0"}).
 *
 * Families of several entries.  An entry made with UK_STORE_ENTRY_L() or
 * UK_STORE_STATIC_ENTRY_L() names its family apart from itself and adds
 * a constant label: entries cpu_user and cpu_idle of family
 * cpu_seconds_total, label mode, values "user" and "idle", are the two
 * series node_cpu_seconds_total{mode="user"} and {mode="idle"} (with the
 * folder's labels in front, cpu="0").  Entries that share a family must
 * agree on type, kind, unit, help and label name and differ in label
 * value; a family may gather static entries of the library and entries of
 * one folder template (never of two templates).  An entry's family name
 * (its family, else its name) may not be another plain entry's.
 * uk_store_folder_add*() enforces this (-EINVAL); static entries are
 * checked by uk_store_lib_check() (uk/store_test.h), which tests run, as
 * nothing runs at boot.
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
	UK_STORE_LABELS,    /**< struct uk_store_labels_val (info only) */
};

/** What an entry means as a metric. */
enum uk_store_kind {
	UK_STORE_GAUGE = 0,
	UK_STORE_COUNTER,
	UK_STORE_HISTOGRAM, /**< type must be UK_STORE_HIST */
	UK_STORE_INFO,      /**< type must be UK_STORE_STRING or _LABELS */
	/**
	 * A number of unknown meaning: text "untyped", OpenMetrics
	 * "unknown", never a "_total" suffix (node_netstat_*, node_vmstat_*).
	 * Integer and double types only.
	 */
	UK_STORE_UNTYPED,
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

/** Most label pairs an info value may have. */
#define UK_STORE_LABELS_MAX 16

/** One label pair of an info value. */
struct uk_store_label {
	const char *name;   /**< Prometheus label name, not "__"-prefixed */
	const char *value;  /**< any bytes but NUL (escaped by exporters) */
};

/**
 * An info value, as a getter returns it: n label pairs, exported as
 * name_info{pairs...} 1 (node_uname_info{sysname="...",...} 1).  The
 * strings must stay unchanged while published, as a string value's.
 * Names must be distinct and differ from the folder's and the entry's
 * labels; an exporter drops a sample that breaks this (as a failing
 * getter's).
 */
struct uk_store_labels_val {
	uint32_t n;
	struct uk_store_label l[UK_STORE_LABELS_MAX];
};

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
typedef int (*uk_store_get_labels_fn)(void *cookie,
				      struct uk_store_labels_val *out);

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
		uk_store_get_labels_fn labels;
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
	/*
	 * UK_STORE_ENTRY_L: the family this entry belongs to and its
	 * constant label lname="lvalue"; all NULL for a plain entry, which
	 * is a family of its own named after it.
	 */
	const char *family;
	const char *lname;
	const char *lvalue;
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
#define _UK_STORE_T_labels UK_STORE_LABELS

#define _UK_STORE_K_gauge UK_STORE_GAUGE
#define _UK_STORE_K_counter UK_STORE_COUNTER
#define _UK_STORE_K_histogram UK_STORE_HISTOGRAM
#define _UK_STORE_K_info UK_STORE_INFO
#define _UK_STORE_K_untyped UK_STORE_UNTYPED

#define _UK_STORE_U_none UK_STORE_UNIT_NONE
#define _UK_STORE_U_bytes UK_STORE_UNIT_BYTES
#define _UK_STORE_U_seconds UK_STORE_UNIT_SECONDS

/**
 * An entry initializer.  name: identifier; t: s8 u8 s16 u16 s32 u32 s64
 * u64 uptr dbl str hist labels; kind: gauge counter histogram info
 * untyped; unit: none bytes seconds; help: a string literal; getter: a
 * uk_store_get_<t>_fn; setter: a uk_store_set_<t>_fn or NULL (always NULL
 * for hist and labels); cookie: passed to both (ignored in folder
 * templates, where the folder's cookie is passed).
 */
#define UK_STORE_ENTRY(name, t, kind, unit, help, getter, setter, cookie) \
	{ #name, help, _UK_STORE_T_##t, _UK_STORE_K_##kind, \
	  _UK_STORE_U_##unit, {0, 0, 0, 0, 0}, \
	  { .t = (getter) }, { .any = (void *)(setter) }, (void *)(cookie), \
	  NULL, NULL, NULL }

/**
 * An entry of family `family` (an identifier) carrying the constant label
 * lname="lvalue" (lname an identifier, lvalue a string literal of 1..255
 * bytes, any but NUL): UK_STORE_ENTRY_L(cpu_idle, cpu_seconds_total,
 * mode, "idle", dbl, counter, seconds, ...) is the series
 * <lib>_cpu_seconds_total{mode="idle"}.  name stays the entry's own,
 * unique name (its store path); the other arguments are UK_STORE_ENTRY's.
 */
#define UK_STORE_ENTRY_L(name, family, lname, lvalue, t, kind, unit, help, \
			 getter, setter, cookie) \
	{ #name, help, _UK_STORE_T_##t, _UK_STORE_K_##kind, \
	  _UK_STORE_U_##unit, {0, 0, 0, 0, 0}, \
	  { .t = (getter) }, { .any = (void *)(setter) }, (void *)(cookie), \
	  #family, #lname, lvalue }

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

/**
 * Lays down a static entry library/name of family `family` with constant
 * label lname="lvalue" (see UK_STORE_ENTRY_L).  Static entries of one
 * family may sit anywhere in the library's section, in several files.
 */
#define UK_STORE_STATIC_ENTRY_L(lib, name, family, lname, lvalue, t, kind, \
				unit, help, getter, setter, cookie) \
	__attribute__((used, section("ukstore_e_" #lib), aligned(8))) \
	static const struct uk_store_entry _uk_store_e_##lib##_##name = \
		UK_STORE_ENTRY_L(name, family, lname, lvalue, t, kind, unit, \
				 help, getter, setter, cookie)

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
 * names form one class, which owns the families named by its entries; a
 * different template reusing one of those names is -EINVAL even if the
 * metadata agrees (the family would otherwise be split).  A family may
 * also hold static entries of the library when every entry of it is made
 * with the _L macros and they agree (see "Families of several entries"
 * above); a plain template entry named like a static one's family is
 * -EINVAL.  A folder named like a static entry of the library is -EEXIST.
 * On error nothing is left allocated or linked.
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

/** Most labels a folder may carry. */
#define UK_STORE_FOLDER_LABELS_MAX 8

/**
 * As uk_store_folder_add_valued(), for a folder that carries nlabels
 * (1..UK_STORE_FOLDER_LABELS_MAX) labels: label_names[i]=label_values[i],
 * printed in that order, node_filesystem_avail_bytes{mountpoint="/data",
 * device="/dev/vda",fstype="ext4"}.  The first label identifies the
 * folder: its value is label_values[0], or name when that is NULL (or
 * label_values is NULL), with uk_store_folder_add_valued()'s rules and
 * uniqueness; the others are constant for the folder's life, 0..255 bytes
 * each (any but NUL, so "" is allowed), all given.  Label names follow
 * Prometheus' rules, may not start with "__", are distinct, and differ
 * from the template's constant label names (and from "le" for a template
 * with histograms, "value" for one with string infos).  Folders of one
 * class (template, count and label names in order) share the label
 * names.  Label names and values are copied.  Returns as
 * uk_store_folder_add_valued().
 */
int uk_store_folder_add_labels(const struct uk_store_lib *lib,
			       const char *const *label_names,
			       const char *const *label_values,
			       unsigned int nlabels, const char *name,
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
