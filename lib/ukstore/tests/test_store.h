/*
 * Shared between the ukstore unit test files: the static entries of the
 * test library "tst" (test_store.c), a formatting helper, and the folder
 * test fixture of library "tsf" (test_fixture.c).
 */
#ifndef UKSTORE_TEST_STORE_H
#define UKSTORE_TEST_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <uk/store.h>
#include <uk/store_test.h>

UK_STORE_LIB_EXTERN(tst);
extern const char *const tst_static_names[];

/* Formats v into buf with uk_store_value_format(); returns buf. */
const char *tst_fmt(struct uk_store_value *v, char *buf, size_t n);

/* ---- test library "tsf" (test_fixture.c) ------------------------- */

UK_STORE_LIB_EXTERN(tsf);

#define MAGIC 0x5eedf00dU

/* A folder's cookie: released must end at exactly 1. */
struct ck {
	uint32_t magic;
	int released;
	uint64_t rx;
	double temp;
	uint64_t errs;
};

/* tmpl_a: rx, temp (label dev); tmpl_b: errs (label code); tmpl_clash
 * reuses rx; tmpl_static reuses the static entry name stat1. */
extern const struct uk_store_entry tsf_tmpl_a[], tsf_tmpl_b[],
	tsf_tmpl_clash[], tsf_tmpl_static[];
void tsf_release(void *cookie);
int tsf_get_rx(void *cookie, uint64_t *out);
/* Adds folder name to tsf with cookie c (reset); NULL and *rc on error. */
struct uk_store_folder *tsf_add(const char *label, const char *name,
				const struct uk_store_entry *t,
				unsigned int n, struct ck *c, int *rc);

/* A bounded text buffer. */
struct sbuf {
	char s[8192];
	size_t n;
};
void tsf_sb_add(struct sbuf *b, const char *fmt, const char *a,
		const char *c, const char *d);
/* A uk_store_list() callback appending "name," or "name/," to sbuf arg. */
int tsf_list_cb(void *arg, const char *name, int is_dir);

/* Walk recording: library `only` (NULL: all) into b. */
struct wctx {
	struct sbuf *b;
	const char *only;  /* library to record */
	int in;
	const char *prev;  /* previous library name (order check) */
	int unordered;
	int entries;
};
extern const struct uk_store_walk_ops tsf_wops;
/* tsf's static entries in link order, each printed with fmt. */
const char *tsf_statics(char *buf, size_t size, const char *fmt);
/* Walks tsf into b; returns its entry count, or -1 if out of order. */
int walk_tsf(struct sbuf *b);

#endif
