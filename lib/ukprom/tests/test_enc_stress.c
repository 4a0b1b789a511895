/*
 * Stress test of the encoder under ThreadSanitizer: three threads keep
 * adding and removing folders of library "encstress" (two of one label,
 * one of three labels whose template has a family of two entries; the
 * one-label template joins a family of two static entries) while two
 * others encode the store in small chunks (the cursor is parked between
 * chunks holding its folders).  Every body must stay well formed: each
 * line a comment or a sample of the library, HELP/TYPE once per family
 * and before its samples, a family's samples contiguous (the static ones
 * first in the static family), no series twice, and each sample's value
 * the one its folder's name implies.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/num.h>
#include <uk/prom.h>
#include <uk/store.h>
#include <uk/test.h>
#include <uk/thread.h>

UK_STORE_LIBRARY(encstress);

#define NSLOTS 64

static int get_val(void *cookie, uint64_t *out)
{
	*out = (uint64_t)(uintptr_t)cookie;
	return 0;
}

static int get_half(void *cookie, double *out)
{
	*out = (double)(uintptr_t)cookie / 2;
	return 0;
}

static uint64_t one = 1;

static int get_one(void *cookie, uint64_t *out)
{
	*out = *(uint64_t *)cookie;
	return 0;
}

/* Family up: these two (a, b in link order), then up_f of each folder. */
UK_STORE_STATIC_ENTRY_L(encstress, up_b, up, k, "b", u64, gauge, none, "Up",
			get_one, NULL, &one);
UK_STORE_STATIC_ENTRY_L(encstress, up_a, up, k, "a", u64, gauge, none, "Up",
			get_one, NULL, &one);

static const struct uk_store_entry tmpl[] = {
	UK_STORE_ENTRY(ops, u64, counter, none, "Ops", get_val, NULL, NULL),
	UK_STORE_ENTRY_L(up_f, up, k, "f", u64, gauge, none, "Up", get_val,
			 NULL, NULL),
	UK_STORE_ENTRY(half, dbl, gauge, none, "Half", get_half, NULL, NULL),
};

/* Three labels (id, x="x<id>", y=""), a family of two entries. */
static const struct uk_store_entry tmpl3[] = {
	UK_STORE_ENTRY_L(ops3_a, ops3_total, k, "a", u64, counter, none,
			 "Ops3", get_val, NULL, NULL),
	UK_STORE_ENTRY_L(ops3_b, ops3_total, k, "b", u64, counter, none,
			 "Ops3", get_val, NULL, NULL),
};
static const char *const labels3[] = { "id", "x", "y" };

static int stop;
static uint64_t bodies, churns;

struct churner {
	unsigned int base;
	int three;        /* three-label folders of tmpl3 */
	struct uk_store_folder *f[NSLOTS];
};

static void churn(void *arg)
{
	struct churner *c = arg;
	uint64_t x = 0x1234567 + c->base;
	char name[16];

	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		unsigned int i;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		i = (unsigned int)(x % NSLOTS);
		if (c->f[i]) {
			uk_store_folder_remove(c->f[i]);
			c->f[i] = NULL;
		} else {
			unsigned int id = c->base + i;

			char x[16];
			const char *values[3] = { NULL, x, "" };
			int rc;

			snprintf(name, sizeof(name), "%u", id);
			snprintf(x, sizeof(x), "x%u", id);
			if (c->three)
				rc = uk_store_folder_add_labels(
					&uk_store_lib_encstress, labels3,
					values, 3, name, tmpl3, 2,
					(void *)(uintptr_t)id, NULL, &c->f[i]);
			else
				rc = uk_store_folder_add(
					&uk_store_lib_encstress, "id", name,
					tmpl, 3, (void *)(uintptr_t)id, NULL,
					&c->f[i]);
			if (rc)
				c->f[i] = NULL;
		}
		__atomic_add_fetch(&churns, 1, __ATOMIC_RELAXED);
	}
	for (unsigned int i = 0; i < NSLOTS; i++)
		if (c->f[i])
			uk_store_folder_remove(c->f[i]);
}

#define BODY_MAX (256 * 1024)

/* Why check_body() refused a line, when the line alone does not say. */
static __thread char why[64];

enum { F_OPS, F_HALF, F_UP, F_OPS3, NFAM };
static const char *const names[NFAM] = {
	"encstress_ops_total", "encstress_half", "encstress_up",
	"encstress_ops3_total" };

/* The family whose name is the len bytes at s, or NFAM. */
static int family_of(const char *s, size_t len)
{
	int k;

	for (k = 0; k < NFAM; k++)
		if (strlen(names[k]) == len && !memcmp(s, names[k], len))
			return k;
	return NFAM;
}

/*
 * Checks one sample of family k, which must be the current one; sub
 * indexes its series (k's value: 0 none or f, 1 a, 2 b), whose folders
 * must come by strictly increasing name.  Returns 0 or -1.
 */
static int check_sample(char *line, int k, char last[NFAM][3][16],
			int *up_state)
{
	const char *p = line + strlen(names[k]);
	char idtxt[16], kv[2] = "", want[160], num[32];
	unsigned int id = 0;
	int sub = 0;

	if (k == F_UP && (!strcmp(p, "{k=\"a\"} 1") ||
			  !strcmp(p, "{k=\"b\"} 1"))) {
		/* The static entries, a then b, before any folder. */
		if (*up_state != (p[4] == 'a' ? 0 : 1))
			return -1;
		++*up_state;
		return 0;
	}
	if (sscanf(p, "{id=\"%15[0-9]\"", idtxt) != 1)
		return -1;
	id = (unsigned int)atoi(idtxt);
	switch (k) {
	case F_OPS:
	case F_HALF:
		uk_num_fmt_double(k == F_HALF ? (double)id / 2 : (double)id,
				  num);
		snprintf(want, sizeof(want), "%s{id=\"%s\"} %s", names[k],
			 idtxt, num);
		break;
	case F_UP:
		if (*up_state != 2)
			return -1;
		snprintf(want, sizeof(want), "%s{id=\"%s\",k=\"f\"} %u",
			 names[k], idtxt, id);
		break;
	default:
		if (sscanf(p, "{id=\"%*[0-9]\",x=\"x%*[0-9]\",y=\"\",k=\"%1[ab]",
			   kv) != 1)
			return -1;
		sub = kv[0] == 'a' ? 1 : 2;
		/* Entry a in every folder, then b: a never after b. */
		if (sub == 1 && last[k][2][0])
			return -1;
		snprintf(want, sizeof(want),
			 "%s{id=\"%s\",x=\"x%s\",y=\"\",k=\"%s\"} %u",
			 names[k], idtxt, idtxt, kv, id);
		break;
	}
	if (strcmp(line, want))
		return -1;
	/* Folders by name: strictly increasing, so none twice. */
	if (last[k][sub][0] && strcmp(idtxt, last[k][sub]) <= 0) {
		snprintf(why, sizeof(why), "after id %s: ", last[k][sub]);
		return -1;
	}
	strcpy(last[k][sub], idtxt);
	return 0;
}

/* Returns 0 if the body is well formed, else the offending line. */
static const char *check_body(char *b)
{
	int seen_help[NFAM] = { 0 }, done[NFAM] = { 0 }, cur = -1;
	char last[NFAM][3][16];
	char *line, *save = NULL;
	int up_state = 0;

	memset(last, 0, sizeof(last));
	for (line = strtok_r(b, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t n;
		int k;

		if (line[0] == '#') {
			if (strncmp(line, "# HELP ", 7) &&
			    strncmp(line, "# TYPE ", 7))
				return line;
			n = strcspn(line + 7, " ");
			k = family_of(line + 7, n);
			if (k == NFAM)
				return line;
			if (!strncmp(line, "# HELP ", 7)) {
				if (seen_help[k]++ || done[k])
					return line;
				if (cur >= 0)
					done[cur] = 1;
				cur = k;
			} else if (k != cur) {
				return line;
			}
			continue;
		}
		n = strcspn(line, "{ ");
		k = family_of(line, n);
		if (k == NFAM || k != cur ||
		    check_sample(line, k, last, &up_state))
			return line;
	}
	return NULL;
}

static char *bad_line;

static void encoder(void *arg)
{
	static const char *const libs[] = { "encstress", NULL };
	char *b = malloc(BODY_MAX);
	size_t chunk = (size_t)(uintptr_t)arg;

	while (b && !__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		struct uk_prom_enc e;
		size_t len = 0, n;
		const char *bad;

		uk_prom_enc_init_filter(&e, UK_PROM_FMT_TEXT, libs);
		while (len + chunk < BODY_MAX &&
		       (n = uk_prom_enc_read(&e, b + len, chunk)) > 0)
			len += n;
		uk_prom_enc_fini(&e);
		b[len] = '\0';
		bad = check_body(b);
		if (bad && !__atomic_load_n(&bad_line, __ATOMIC_RELAXED)) {
			char *m = malloc(strlen(why) + strlen(bad) + 1);

			if (m) {
				strcpy(m, why);
				strcat(m, bad);
			}
			__atomic_store_n(&bad_line, m, __ATOMIC_RELEASE);
		}
		why[0] = '\0';
		__atomic_add_fetch(&bodies, 1, __ATOMIC_RELAXED);
	}
	free(b);
}

UK_TEST(enc_stress_churn)
{
	static struct churner c[3] = { { .base = 0 }, { .base = 1000 },
				       { .base = 2000, .three = 1 } };
	struct uk_thread *t[5];
	int i;

	UK_TEST_EQ(uk_thread_create(&t[0], "churn0", churn, &c[0], 0), 0);
	UK_TEST_EQ(uk_thread_create(&t[1], "churn1", churn, &c[1], 0), 0);
	UK_TEST_EQ(uk_thread_create(&t[2], "churn3", churn, &c[2], 0), 0);
	UK_TEST_EQ(uk_thread_create(&t[3], "enc7", encoder,
				      (void *)(uintptr_t)7, 0), 0);
	UK_TEST_EQ(uk_thread_create(&t[4], "enc4k", encoder,
				      (void *)(uintptr_t)4096, 0), 0);
	/* Two seconds of churn, and however long it takes the encoders to
	 * finish a few bodies meanwhile on a loaded host (the bound only
	 * turns a stuck encoder into a failure). */
	uk_thread_sleep_ns(2000000000ULL);
	for (i = 0; i < 6000 &&
		    __atomic_load_n(&bodies, __ATOMIC_RELAXED) <= 10; i++)
		uk_thread_sleep_ns(10000000ULL);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 5; i++)
		UK_TEST_EQ(uk_thread_join(t[i]), 0);
	uk_test_log("%llu bodies encoded during %llu folder changes",
		    (unsigned long long)bodies, (unsigned long long)churns);
	if (bad_line)
		uk_test_log("bad line: %s", bad_line);
	UK_TEST_ASSERT(bad_line == NULL);
	UK_TEST_ASSERT(bodies > 10);
}
