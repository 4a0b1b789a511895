/*
 * ukstore unit tests, part 4: families of several entries and folders of
 * several labels.  Library "tfam" holds static entries of which two form
 * one family (not next to each other), a label-set info and an untyped
 * entry; its template has a family that the static entries own too, a
 * family of its own split by a plain entry, and plain entries.  The cases
 * check the cursor's order and family starts (also while parked and
 * folders come and go), the validation of templates, labels and static
 * entries (uk_store_lib_check() on every linked library, and on broken
 * libraries "tbad_*"), the accessors of a folder's labels, and how an
 * info's label pairs read and print.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/store.h>
#include <uk/store_test.h>
#include <uk/test.h>

#include "test_store.h"

static int get_seven(void *cookie, uint64_t *out)
{
	*out = 7;
	return 0;
}

static int get_temp(void *cookie, double *out)
{
	*out = ((struct ck *)cookie)->temp;
	return 0;
}

static struct uk_store_labels_val uname_val = {
	3, { { "sysname", "ukmon" }, { "release", "1.0 \"rc\"\\" },
	     { "version", "#1\nSMP" } } };

static int get_uname(void *cookie, struct uk_store_labels_val *out)
{
	*out = uname_val;
	return 0;
}

UK_STORE_LIBRARY(tfam);
/* GCC lays them out last first: a, m_x, b, m_y, u, uname. */
UK_STORE_STATIC_ENTRY(tfam, uname, labels, info, none, "Uname.", get_uname,
		      NULL, NULL);
UK_STORE_STATIC_ENTRY(tfam, u, u64, untyped, none, "Untyped.", get_seven,
		      NULL, NULL);
UK_STORE_STATIC_ENTRY_L(tfam, m_y, m, mode, "y", u64, counter, none,
			"Modes.", get_seven, NULL, NULL);
UK_STORE_STATIC_ENTRY(tfam, b, u64, gauge, none, "B.", get_seven, NULL,
		      NULL);
UK_STORE_STATIC_ENTRY_L(tfam, m_x, m, mode, "x", u64, counter, none,
			"Modes.", get_seven, NULL, NULL);
UK_STORE_STATIC_ENTRY(tfam, a, u64, gauge, none, "A.", get_seven, NULL,
		      NULL);

/* m_z joins the static family m; q is the template's own. */
static const struct uk_store_entry tfam_tmpl[] = {
	UK_STORE_ENTRY_L(m_z, m, mode, "z", u64, counter, none, "Modes.",
			 tsf_get_rx, NULL, NULL),
	UK_STORE_ENTRY(p, u64, gauge, none, "P.", tsf_get_rx, NULL, NULL),
	UK_STORE_ENTRY_L(q_1, q, k, "1", dbl, gauge, seconds, "Q.", get_temp,
			 NULL, NULL),
	UK_STORE_ENTRY(r, u64, untyped, none, "R.", tsf_get_rx, NULL, NULL),
	UK_STORE_ENTRY_L(q_2, q, k, "2", dbl, gauge, seconds, "Q.", get_temp,
			 NULL, NULL),
};
#define TFAM_N (sizeof(tfam_tmpl) / sizeof(tfam_tmpl[0]))

static const char *const cpu_label[] = { "cpu" };

static struct uk_store_folder *tfam_add(const char *name, struct ck *c,
					int *rc)
{
	struct uk_store_folder *f = NULL;

	c->magic = MAGIC;
	c->released = 0;
	*rc = uk_store_folder_add_labels(&uk_store_lib_tfam, cpu_label, NULL,
					 1, name, tfam_tmpl, TFAM_N, c,
					 tsf_release, &f);
	return *rc ? NULL : f;
}

/* Records tfam's samples as "+folder/entry" lines (+: a family starts). */
static int cursor_tfam(struct sbuf *b, struct uk_store_iter *it, int park,
		       void (*at_park)(void))
{
	struct uk_store_ref ref;
	int first, n = 0;

	b->n = 0;
	b->s[0] = 0;
	uk_store_iter_init(it);
	while (uk_store_iter_next(it, &ref, &first)) {
		if (ref.lib != &uk_store_lib_tfam)
			continue;
		tsf_sb_add(b, "%s%s%s\n", first ? "+" : " ",
			   ref.folder ? uk_store_folder_name(ref.folder) : "",
			   ref.entry->name);
		if (++n == park && at_park)
			at_park();
	}
	return n;
}

/*
 * The static family m is printed where its first static entry is, with
 * its other static entry and the template's part; then the template's
 * families, q's entries together though r sits between them.
 */
UK_TEST(family_cursor_order)
{
	struct uk_store_folder *f0, *f1;
	struct uk_store_iter it;
	struct sbuf b;
	struct ck c0, c1;
	int rc;

	f0 = tfam_add("0", &c0, &rc);
	UK_TEST_EQ(rc, 0);
	f1 = tfam_add("1", &c1, &rc);
	UK_TEST_EQ(rc, 0);
	UK_TEST_EQ(cursor_tfam(&b, &it, 0, NULL), 6 + 2 * 5);
	UK_TEST_STREQ(b.s,
		"+a\n"
		"+m_x\n"
		" m_y\n"
		" 0m_z\n"
		" 1m_z\n"
		"+b\n"
		"+u\n"
		"+uname\n"
		"+0p\n"
		" 1p\n"
		"+0q_1\n"
		" 1q_1\n"
		" 0q_2\n"
		" 1q_2\n"
		"+0r\n"
		" 1r\n");
	UK_TEST_EQ(uk_store_folder_remove(f0), 0);
	UK_TEST_EQ(uk_store_folder_remove(f1), 0);
	/* Without folders, the static family is what is left of it. */
	cursor_tfam(&b, &it, 0, NULL);
	UK_TEST_STREQ(b.s, "+a\n+m_x\n m_y\n+b\n+u\n+uname\n");
	UK_TEST_EQ(c0.released + c1.released, 2);
}

static struct uk_store_folder *park_f[3];
static struct ck park_c[3];

/* Parked in the sweep of family m: its folders go, others come. */
static void churn_in_sweep(void)
{
	int rc;

	UK_ASSERT(!uk_store_folder_remove(park_f[0]));
	UK_ASSERT(!uk_store_folder_remove(park_f[1]));
	park_f[2] = tfam_add("-", &park_c[2], &rc);
	UK_ASSERT(!rc);
}

/*
 * Folders removed and added while the cursor is parked in a family's
 * sweep: the batch already taken is returned, and a new folder that the
 * sweep has passed ("-" sorts first) appears in the template's own
 * families only, never in a second copy of the static one.
 */
UK_TEST(family_cursor_parked)
{
	struct uk_store_iter it;
	struct sbuf b;
	int rc;

	park_f[0] = tfam_add("0", &park_c[0], &rc);
	UK_TEST_EQ(rc, 0);
	park_f[1] = tfam_add("1", &park_c[1], &rc);
	UK_TEST_EQ(rc, 0);
	/* Parked after 0/m_z: 1/m_z is in the batch, still held. */
	cursor_tfam(&b, &it, 4, churn_in_sweep);
	UK_TEST_STREQ(b.s,
		"+a\n"
		"+m_x\n"
		" m_y\n"
		" 0m_z\n"
		" 1m_z\n"
		"+b\n"
		"+u\n"
		"+uname\n"
		"+-p\n"
		"+-q_1\n"
		" -q_2\n"
		"+-r\n");
	UK_TEST_EQ(park_c[0].released + park_c[1].released, 2);
	UK_TEST_EQ(uk_store_folder_remove(park_f[2]), 0);
	UK_TEST_EQ(park_c[2].released, 1);
}

/* Template entries that may not form or join a family. */
UK_TEST(family_template_rules)
{
#define TE(nm, fam, ln, lv, t, k, u, hp) \
	{ .name = nm, .help = hp, .type = t, .kind = k, .unit = u, \
	  .get = { .u64 = tsf_get_rx }, .family = fam, .lname = ln, \
	  .lvalue = lv }
#define C UK_STORE_COUNTER
#define G UK_STORE_GAUGE
	static char v255[256], v256[257];
	static const struct uk_store_entry ok_one[] = {
		TE("e", "f", "l", v255, UK_STORE_U64, C, 0, "H") };
	static const struct uk_store_entry long_value[] = {
		TE("e", "f", "l", v256, UK_STORE_U64, C, 0, "H") };
	static const struct uk_store_entry bad[][2] = {
		/* disagreeing members */
		{ TE("a", "f", "l", "1", UK_STORE_U64, C, 0, "H"),
		  TE("b", "f", "l", "2", UK_STORE_U32, C, 0, "H") },
		{ TE("a", "f", "l", "1", UK_STORE_U64, C, 0, "H"),
		  TE("b", "f", "l", "2", UK_STORE_U64, G, 0, "H") },
		{ TE("a", "f", "l", "1", UK_STORE_U64, C, 0, "H"),
		  TE("b", "f", "l", "2", UK_STORE_U64, C, 1, "H") },
		{ TE("a", "f", "l", "1", UK_STORE_U64, C, 0, "H"),
		  TE("b", "f", "l", "2", UK_STORE_U64, C, 0, "H2") },
		{ TE("a", "f", "l", "1", UK_STORE_U64, C, 0, "H"),
		  TE("b", "f", "l2", "2", UK_STORE_U64, C, 0, "H") },
		/* the same series twice */
		{ TE("a", "f", "l", "1", UK_STORE_U64, C, 0, "H"),
		  TE("b", "f", "l", "1", UK_STORE_U64, C, 0, "H") },
		/* a plain entry named like a family */
		{ TE("f", NULL, NULL, NULL, UK_STORE_U64, C, 0, "H"),
		  TE("b", "f", "l", "1", UK_STORE_U64, C, 0, "H") },
		/* a label name the folder has, or reserved */
		{ TE("a", "f", "cpu", "1", UK_STORE_U64, C, 0, "H"),
		  TE("b", NULL, NULL, NULL, UK_STORE_U64, C, 0, "H") },
		{ TE("a", "f", "__l", "1", UK_STORE_U64, C, 0, "H"),
		  TE("b", NULL, NULL, NULL, UK_STORE_U64, C, 0, "H") },
		{ TE("a", "f", "1l", "1", UK_STORE_U64, C, 0, "H"),
		  TE("b", NULL, NULL, NULL, UK_STORE_U64, C, 0, "H") },
		{ TE("a", "f", "le", "1", UK_STORE_HIST, UK_STORE_HISTOGRAM, 0,
		     "H"),
		  TE("b", NULL, NULL, NULL, UK_STORE_U64, C, 0, "H") },
		{ TE("a", "f", "value", "1", UK_STORE_STRING, UK_STORE_INFO, 0,
		     "H"),
		  TE("b", NULL, NULL, NULL, UK_STORE_U64, C, 0, "H") },
		/* half a family: no label, no value, no family, bad names */
		{ TE("a", "f", NULL, "1", UK_STORE_U64, C, 0, "H"),
		  TE("b", NULL, NULL, NULL, UK_STORE_U64, C, 0, "H") },
		{ TE("a", "f", "l", NULL, UK_STORE_U64, C, 0, "H"),
		  TE("b", NULL, NULL, NULL, UK_STORE_U64, C, 0, "H") },
		{ TE("a", "f", "l", "", UK_STORE_U64, C, 0, "H"),
		  TE("b", NULL, NULL, NULL, UK_STORE_U64, C, 0, "H") },
		{ TE("a", NULL, "l", "1", UK_STORE_U64, C, 0, "H"),
		  TE("b", NULL, NULL, NULL, UK_STORE_U64, C, 0, "H") },
		{ TE("a", "f-g", "l", "1", UK_STORE_U64, C, 0, "H"),
		  TE("b", NULL, NULL, NULL, UK_STORE_U64, C, 0, "H") },
		/* kinds and types that do not go together */
		{ TE("a", NULL, NULL, NULL, UK_STORE_STRING, UK_STORE_UNTYPED,
		     0, "H"),
		  TE("b", NULL, NULL, NULL, UK_STORE_U64, C, 0, "H") },
		{ TE("a", NULL, NULL, NULL, UK_STORE_HIST, UK_STORE_UNTYPED, 0,
		     "H"),
		  TE("b", NULL, NULL, NULL, UK_STORE_U64, C, 0, "H") },
		{ TE("a", NULL, NULL, NULL, UK_STORE_LABELS, G, 0, "H"),
		  TE("b", NULL, NULL, NULL, UK_STORE_U64, C, 0, "H") },
		{ TE("a", NULL, NULL, NULL, UK_STORE_U64, UK_STORE_UNTYPED + 1,
		     0, "H"),
		  TE("b", NULL, NULL, NULL, UK_STORE_U64, C, 0, "H") },
		{ TE("a", NULL, NULL, NULL, UK_STORE_LABELS + 1, UK_STORE_INFO,
		     0, "H"),
		  TE("b", NULL, NULL, NULL, UK_STORE_U64, C, 0, "H") },
	};
	static const struct uk_store_entry good[][2] = {
		{ TE("a", "f", "l", "1", UK_STORE_U64, C, 0, "H"),
		  TE("b", "f", "l", "2", UK_STORE_U64, C, 0, "H") },
		/* a family may be named like one of its entries */
		{ TE("f", "f", "l", "1", UK_STORE_U64, C, 0, "H"),
		  TE("b", "f", "l", "2", UK_STORE_U64, C, 0, "H") },
		{ TE("a", NULL, NULL, NULL, UK_STORE_LABELS, UK_STORE_INFO, 0,
		     "H"),
		  TE("b", NULL, NULL, NULL, UK_STORE_DOUBLE, UK_STORE_UNTYPED,
		     0, "H") },
	};
	struct uk_store_folder *f;
	unsigned int i;
	struct ck c;
	int rc;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (tsf_add("cpu", "x", bad[i], 2, &c, &rc) || rc != -EINVAL)
			uk_test_log("bad template %u: %d", i, rc);
		UK_TEST_EQ(rc, -EINVAL);
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		f = tsf_add("cpu", "x", good[i], 2, &c, &rc);
		if (rc)
			uk_test_log("good template %u: %d", i, rc);
		UK_TEST_EQ(rc, 0);
		UK_TEST_EQ(uk_store_folder_remove(f), 0);
	}
	memset(v255, 'v', 255);
	memset(v256, 'v', 256);
	f = tsf_add("cpu", "x", ok_one, 1, &c, &rc);
	UK_TEST_EQ(rc, 0);
	UK_TEST_EQ(uk_store_folder_remove(f), 0);
	UK_TEST_ASSERT(tsf_add("cpu", "x", long_value, 1, &c, &rc) == NULL);
	UK_TEST_EQ(rc, -EINVAL);
#undef C
#undef G
}

/* A family across static entries and a template, and across templates. */
UK_TEST(family_static_and_class_rules)
{
	static const struct uk_store_entry joins_m_help[] = {
		UK_STORE_ENTRY_L(m_w, m, mode, "w", u64, counter, none,
				 "Other help.", tsf_get_rx, NULL, NULL) };
	static const struct uk_store_entry joins_m_label[] = {
		UK_STORE_ENTRY_L(m_w, m, state, "w", u64, counter, none,
				 "Modes.", tsf_get_rx, NULL, NULL) };
	static const struct uk_store_entry plain_m[] = {
		UK_STORE_ENTRY(m, u64, counter, none, "Modes.", tsf_get_rx,
			       NULL, NULL) };
	static const struct uk_store_entry joins_plain_a[] = {
		UK_STORE_ENTRY_L(a_1, a, k, "1", u64, gauge, none, "A.",
				 tsf_get_rx, NULL, NULL) };
	/* The same value as a static member: other labels, no clash. */
	static const struct uk_store_entry joins_m_x[] = {
		UK_STORE_ENTRY_L(m_w, m, mode, "x", u64, counter, none,
				 "Modes.", tsf_get_rx, NULL, NULL) };
	static const struct uk_store_entry joins_q[] = {
		UK_STORE_ENTRY_L(q_3, q, k, "3", dbl, gauge, seconds, "Q.",
				 get_temp, NULL, NULL) };
	static const char *const lbl[] = { "cpu" };
	struct uk_store_folder *f, *g;
	struct ck c, c2;
	int rc;

#define ADD(t, name, out) \
	uk_store_folder_add_labels(&uk_store_lib_tfam, lbl, NULL, 1, name, \
				   t, 1, &c2, NULL, out)
	UK_TEST_EQ(ADD(joins_m_help, "x", &g), -EINVAL);
	UK_TEST_EQ(ADD(joins_m_label, "x", &g), -EINVAL);
	UK_TEST_EQ(ADD(plain_m, "x", &g), -EINVAL);
	UK_TEST_EQ(ADD(joins_plain_a, "x", &g), -EINVAL);
	UK_TEST_EQ(ADD(joins_m_x, "x", &g), 0);
	UK_TEST_EQ(uk_store_folder_remove(g), 0);
	/* Two templates may not share a family, a static one included. */
	f = tfam_add("0", &c, &rc);
	UK_TEST_EQ(rc, 0);
	UK_TEST_EQ(ADD(joins_q, "x", &g), -EINVAL);
	UK_TEST_EQ(ADD(joins_m_x, "x", &g), -EINVAL);
	/* Nor a folder take a static entry's name. */
	UK_TEST_ASSERT(tfam_add("m_x", &c2, &rc) == NULL);
	UK_TEST_EQ(rc, -EEXIST);
	UK_TEST_EQ(uk_store_folder_remove(f), 0);
	UK_TEST_EQ(ADD(joins_q, "x", &g), 0);
	UK_TEST_EQ(uk_store_folder_remove(g), 0);
#undef ADD
}

/* ---- static entries that break the rules ---------------------------- */

static int get_seven32(void *cookie, uint32_t *out)
{
	*out = 7;
	return 0;
}

UK_STORE_LIBRARY(tbad_type);
UK_STORE_STATIC_ENTRY_L(tbad_type, f_b, f, l, "b", u32, counter, none, "H",
			get_seven32, NULL, NULL);
UK_STORE_STATIC_ENTRY_L(tbad_type, f_a, f, l, "a", u64, counter, none, "H",
			get_seven, NULL, NULL);

UK_STORE_LIBRARY(tbad_value);
UK_STORE_STATIC_ENTRY_L(tbad_value, f_b, f, l, "a", u64, counter, none, "H",
			get_seven, NULL, NULL);
UK_STORE_STATIC_ENTRY_L(tbad_value, f_a, f, l, "a", u64, counter, none, "H",
			get_seven, NULL, NULL);

UK_STORE_LIBRARY(tbad_plain);
UK_STORE_STATIC_ENTRY(tbad_plain, f, u64, counter, none, "H", get_seven,
		      NULL, NULL);
UK_STORE_STATIC_ENTRY_L(tbad_plain, f_a, f, l, "a", u64, counter, none, "H",
			get_seven, NULL, NULL);

UK_STORE_LIBRARY(tbad_label);
UK_STORE_STATIC_ENTRY_L(tbad_label, f_a, f, __l, "a", u64, counter, none,
			"H", get_seven, NULL, NULL);

UK_STORE_LIBRARY(tbad_kind);
UK_STORE_STATIC_ENTRY(tbad_kind, s, u64, info, none, "H", get_seven, NULL,
		      NULL);

UK_STORE_LIB_EXTERN(tbad_type);
UK_STORE_LIB_EXTERN(tbad_value);
UK_STORE_LIB_EXTERN(tbad_plain);
UK_STORE_LIB_EXTERN(tbad_label);
UK_STORE_LIB_EXTERN(tbad_kind);

static int check_lib(void *arg, const struct uk_store_lib *lib)
{
	const struct uk_store_entry *bad = NULL;

	if (!strncmp(lib->name, "tbad_", 5))
		return 0;
	if (uk_store_lib_check(lib, &bad)) {
		uk_test_log("library %s, entry %s", lib->name,
			    bad ? bad->name : "?");
		++*(int *)arg;
	}
	return 0;
}

/*
 * Every linked library's static entries pass (in the kernel image, the
 * stats libraries' too); each broken one is caught at its second entry.
 */
UK_TEST(family_lib_check)
{
	struct uk_store_walk_ops ops = { check_lib, NULL, NULL };
	const struct uk_store_entry *bad;
	int nbad = 0;

	UK_TEST_EQ(uk_store_walk(&ops, &nbad), 0);
	UK_TEST_EQ(nbad, 0);
	UK_TEST_EQ(uk_store_lib_check(&uk_store_lib_tbad_type, &bad), -EINVAL);
	UK_TEST_STREQ(bad->name, "f_b");
	UK_TEST_EQ(uk_store_lib_check(&uk_store_lib_tbad_value, &bad), -EINVAL);
	UK_TEST_STREQ(bad->name, "f_b");
	UK_TEST_EQ(uk_store_lib_check(&uk_store_lib_tbad_plain, &bad), -EINVAL);
	UK_TEST_STREQ(bad->name, "f");
	UK_TEST_EQ(uk_store_lib_check(&uk_store_lib_tbad_label, &bad), -EINVAL);
	UK_TEST_STREQ(bad->name, "f_a");
	UK_TEST_EQ(uk_store_lib_check(&uk_store_lib_tbad_kind, NULL), -EINVAL);
	UK_TEST_EQ(uk_store_lib_check(&uk_store_lib_tfam, NULL), 0);
	UK_TEST_EQ(uk_store_lib_check(NULL, NULL), -EINVAL);
}

/* ---- folders with several labels ------------------------------------ */

static const struct uk_store_entry fs_tmpl[] = {
	UK_STORE_ENTRY(avail_bytes, u64, gauge, bytes, "Avail.", tsf_get_rx,
		       NULL, NULL),
};

static const char *const fs_names[] = { "mountpoint", "device", "fstype" };

static int fs_add(const char *name, const char *mp, const char *dev,
		  const char *fstype, struct ck *c, struct uk_store_folder **f)
{
	const char *values[] = { mp, dev, fstype };

	c->magic = MAGIC;
	c->released = 0;
	return uk_store_folder_add_labels(&uk_store_lib_tfam, fs_names, values,
					  3, name, fs_tmpl, 1, c, tsf_release,
					  f);
}

UK_TEST(folder_labels)
{
	static const char *const dup[] = { "a", "b", "a" };
	static const char *const bad1[] = { "a", "__b" };
	static const char *const nine[] = { "a", "b", "c", "d", "e", "f",
					    "g", "h", "i" };
	static const char *const vals9[9] = { "1", "2", "3", "4", "5", "6",
					      "7", "8", "9" };
	static const char *const other[] = { "mountpoint", "fstype",
					     "device" };
	const char *vals[3] = { NULL, "x", NULL };
	struct uk_store_folder *f, *g;
	struct uk_store_ref ref;
	struct ck c, c2;
	char big[300];

	UK_TEST_EQ(fs_add("root", "/", "/dev/vda", "ext4", &c, &f), 0);
	UK_TEST_STREQ(uk_store_folder_name(f), "root");
	UK_TEST_EQ(uk_store_folder_nlabels(f), 3);
	UK_TEST_STREQ(uk_store_folder_label(f), "mountpoint");
	UK_TEST_STREQ(uk_store_folder_value(f), "/");
	UK_TEST_STREQ(uk_store_folder_label_at(f, 1), "device");
	UK_TEST_STREQ(uk_store_folder_value_at(f, 1), "/dev/vda");
	UK_TEST_STREQ(uk_store_folder_label_at(f, 2), "fstype");
	UK_TEST_STREQ(uk_store_folder_value_at(f, 2), "ext4");
	UK_TEST_ASSERT(uk_store_folder_label_at(f, 3) == NULL);
	UK_TEST_ASSERT(uk_store_folder_value_at(f, 3) == NULL);
	UK_TEST_EQ(uk_store_lookup("tfam/root/avail_bytes", &ref), 0);
	UK_TEST_ASSERT(ref.folder == f);
	uk_store_ref_put(&ref);
	/* The first label identifies: unique in the class. */
	UK_TEST_EQ(fs_add("root2", "/", "/dev/vdb", "ext4", &c2, &g), -EEXIST);
	/* The others may repeat, and be empty; the first is the name. */
	UK_TEST_EQ(fs_add("data", NULL, "/dev/vda", "", &c2, &g), 0);
	UK_TEST_STREQ(uk_store_folder_value(g), "data");
	UK_TEST_STREQ(uk_store_folder_value_at(g, 2), "");
	UK_TEST_EQ(uk_store_folder_remove(g), 0);
	/* Every value given; within bounds. */
	UK_TEST_EQ(fs_add("y", "/y", NULL, "ext4", &c2, &g), -EINVAL);
	memset(big, 'a', sizeof(big));
	big[256] = 0;
	UK_TEST_EQ(fs_add("y", "/y", big, "ext4", &c2, &g), -EINVAL);
	big[255] = 0;
	UK_TEST_EQ(fs_add("y", "/y", big, "ext4", &c2, &g), 0);
	UK_TEST_EQ(strlen(uk_store_folder_value_at(g, 1)), 255);
	UK_TEST_EQ(uk_store_folder_remove(g), 0);
	/* Label names: valid, distinct, 1..8, values present. */
#define ADDL(names, values, n) \
	uk_store_folder_add_labels(&uk_store_lib_tfam, names, values, n, "z", \
				   fs_tmpl, 1, &c2, NULL, &g)
	UK_TEST_EQ(ADDL(dup, vals9, 3), -EINVAL);
	UK_TEST_EQ(ADDL(bad1, vals9, 2), -EINVAL);
	UK_TEST_EQ(ADDL(nine, vals9, 9), -EINVAL);
	UK_TEST_EQ(ADDL(nine, vals9, 0), -EINVAL);
	UK_TEST_EQ(ADDL(NULL, vals9, 1), -EINVAL);
	UK_TEST_EQ(ADDL(nine, NULL, 2), -EINVAL);
	UK_TEST_EQ(ADDL(fs_names, vals, 3), -EINVAL);
	/* Other label names or order: another class, a family clash. */
	UK_TEST_EQ(ADDL(other, vals9, 3), -EINVAL);
	UK_TEST_EQ(ADDL(fs_names, vals9, 2), -EINVAL);
	UK_TEST_EQ(ADDL(nine, vals9, 8), -EINVAL);
	UK_TEST_EQ(uk_store_folder_remove(f), 0);
	UK_TEST_EQ(ADDL(nine, vals9, 8), 0);
	UK_TEST_EQ(uk_store_folder_nlabels(g), 8);
	UK_TEST_STREQ(uk_store_folder_value(g), "1");
	UK_TEST_STREQ(uk_store_folder_value_at(g, 7), "8");
	UK_TEST_EQ(uk_store_folder_remove(g), 0);
#undef ADDL
	UK_TEST_EQ(c.released, 1);
}

/* A folder of three labels and its class: two allocations, or none. */
UK_TEST(folder_labels_alloc_failure)
{
	struct uk_alloc *dflt = uk_alloc_get_default();
	struct uk_alloc_failing fa;
	struct uk_store_folder *f = NULL;
	unsigned int n0 = uk_store_folder_count();
	int64_t use0 = (int64_t)(dflt->stats.allocs - dflt->stats.frees);
	uint64_t nth;
	struct ck c;
	int rc = -1;

	for (nth = 1; nth < 5 && rc; nth++) {
		uk_alloc_failing_init(&fa, dflt, nth, 1);
		uk_alloc_set_default(&fa.a);
		rc = fs_add("root", "/", "/dev/vda", "ext4", &c, &f);
		uk_alloc_set_default(dflt);
		if (rc) {
			UK_TEST_EQ(rc, -ENOMEM);
			UK_TEST_EQ(uk_store_folder_count(), n0);
			UK_TEST_EQ((int64_t)(dflt->stats.allocs -
					     dflt->stats.frees), use0);
		}
	}
	UK_TEST_EQ(rc, 0);
	UK_TEST_EQ(nth, 4);
	UK_TEST_STREQ(uk_store_folder_value_at(f, 2), "ext4");
	UK_TEST_EQ(uk_store_folder_remove(f), 0);
}

/* ---- values and listings -------------------------------------------- */

UK_TEST(family_values_and_listing)
{
	struct uk_store_folder *f;
	struct uk_store_value v;
	struct uk_store_ref ref;
	static struct sbuf b;
	char buf[256];
	struct ck c;
	int rc, n;

	UK_TEST_EQ(uk_store_read_path("tfam/uname", &v), 0);
	UK_TEST_EQ(v.type, UK_STORE_LABELS);
	UK_TEST_EQ(v.labels.n, 3);
	n = uk_store_value_format(&v, buf, sizeof(buf));
	UK_TEST_STREQ(buf, "sysname=\"ukmon\"\n"
			   "release=\"1.0 \\\"rc\\\"\\\\\"\n"
			   "version=\"#1\\nSMP\"\n");
	UK_TEST_EQ(n, (int)strlen(buf));
	/* Truncated, it still says how long it is. */
	UK_TEST_EQ(uk_store_value_format(&v, buf, 8), n);
	UK_TEST_STREQ(buf, "sysname");
	UK_TEST_EQ(uk_store_write_text_path("tfam/uname", "x"), -EPERM);
	uname_val.n = UK_STORE_LABELS_MAX + 1;
	UK_TEST_EQ(uk_store_read_path("tfam/uname", &v), -EINVAL);
	v.labels.n = UK_STORE_LABELS_MAX + 1;
	UK_TEST_EQ(uk_store_value_format(&v, buf, sizeof(buf)), -EINVAL);
	uname_val.n = 0;
	UK_TEST_EQ(uk_store_read_path("tfam/uname", &v), 0);
	UK_TEST_EQ(uk_store_value_format(&v, buf, sizeof(buf)), 0);
	uname_val.n = 3;

	/* Members of a family are entries of their own names. */
	UK_TEST_EQ(uk_store_read_path("tfam/m_y", &v), 0);
	UK_TEST_EQ(v.u, 7);
	UK_TEST_EQ(uk_store_read_path("tfam/u", &v), 0);
	UK_TEST_EQ(v.u, 7);
	f = tfam_add("0", &c, &rc);
	UK_TEST_EQ(rc, 0);
	c.temp = 2.5;
	UK_TEST_EQ(uk_store_lookup("tfam/0/q_2", &ref), 0);
	UK_TEST_STREQ(ref.entry->family, "q");
	UK_TEST_STREQ(ref.entry->lvalue, "2");
	UK_TEST_EQ(uk_store_read(&ref, &v), 0);
	UK_TEST_ASSERT(v.d == 2.5);
	uk_store_ref_put(&ref);
	b.n = 0;
	b.s[0] = 0;
	UK_TEST_EQ(uk_store_list("tfam/0", tsf_list_cb, &b), 0);
	UK_TEST_STREQ(b.s, "m_z,p,q_1,r,q_2,");
	b.n = 0;
	UK_TEST_EQ(uk_store_list("tfam", tsf_list_cb, &b), 0);
	UK_TEST_STREQ(b.s, "a,m_x,b,m_y,u,uname,0/,");
	UK_TEST_EQ(uk_store_folder_remove(f), 0);
}
