/*
 * Stress test of the encoder under ThreadSanitizer: two threads keep
 * adding and removing folders of library "encstress" while two others
 * encode the store in small chunks (the cursor is parked between chunks
 * holding its folder).  Every body must stay well formed: each line a
 * comment or a sample of the library, HELP/TYPE once per family and
 * before its samples, a family's samples contiguous, no folder twice, and
 * each sample's value the one its folder's name implies.
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

static const struct uk_store_entry tmpl[] = {
	UK_STORE_ENTRY(ops, u64, counter, none, "Ops", get_val, NULL, NULL),
	UK_STORE_ENTRY(half, dbl, gauge, none, "Half", get_half, NULL, NULL),
};

static int stop;
static uint64_t bodies, churns;

struct churner {
	unsigned int base;
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

			snprintf(name, sizeof(name), "%u", id);
			if (uk_store_folder_add(&uk_store_lib_encstress, "id",
						name, tmpl, 2,
						(void *)(uintptr_t)id, NULL,
						&c->f[i]))
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

/* Returns 0 if the body is well formed, else the offending line. */
static const char *check_body(char *b)
{
	static const char *const names[] = { "encstress_ops_total",
					     "encstress_half" };
	int seen_help[2] = { 0, 0 }, cur = -1, done[2] = { 0, 0 };
	char last_id[2][16] = { "", "" };
	char *line, *save = NULL;

	for (line = strtok_r(b, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned int id;
		char idtxt[16];
		int k;

		if (line[0] == '#') {
			for (k = 0; k < 2; k++)
				if (strstr(line, names[k]))
					break;
			if (k == 2)
				return line;
			if (!strncmp(line, "# HELP ", 7)) {
				if (seen_help[k]++ || done[k])
					return line;
				if (cur >= 0)
					done[cur] = 1;
				cur = k;
			}
			continue;
		}
		for (k = 0; k < 2; k++)
			if (!strncmp(line, names[k], strlen(names[k])) &&
			    line[strlen(names[k])] == '{')
				break;
		if (k == 2 || k != cur)
			return line;
		if (sscanf(line + strlen(names[k]), "{id=\"%15[0-9]\"}",
			   idtxt) != 1)
			return line;
		/* Folders by name: strictly increasing, so none twice. */
		if (last_id[k][0] && strcmp(idtxt, last_id[k]) <= 0) {
			snprintf(why, sizeof(why), "after id %s: ",
				 last_id[k]);
			return line;
		}
		strcpy(last_id[k], idtxt);
		id = (unsigned int)atoi(idtxt);
		{
			char want[96], num[32];

			uk_num_fmt_double(k ? (double)id / 2 : (double)id,
					  num);
			snprintf(want, sizeof(want), "%s{id=\"%s\"} %s",
				 names[k], idtxt, num);
			if (strcmp(line, want))
				return line;
		}
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
	static struct churner c[2] = { { .base = 0 }, { .base = 1000 } };
	struct uk_thread *t[4];
	int i;

	UK_TEST_EQ(uk_thread_create(&t[0], "churn0", churn, &c[0], 0), 0);
	UK_TEST_EQ(uk_thread_create(&t[1], "churn1", churn, &c[1], 0), 0);
	UK_TEST_EQ(uk_thread_create(&t[2], "enc7", encoder,
				      (void *)(uintptr_t)7, 0), 0);
	UK_TEST_EQ(uk_thread_create(&t[3], "enc4k", encoder,
				      (void *)(uintptr_t)4096, 0), 0);
	uk_thread_sleep_ns(2000000000ULL);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 4; i++)
		UK_TEST_EQ(uk_thread_join(t[i]), 0);
	uk_test_log("%llu bodies encoded during %llu folder changes",
		    (unsigned long long)bodies, (unsigned long long)churns);
	if (bad_line)
		uk_test_log("bad line: %s", bad_line);
	UK_TEST_ASSERT(bad_line == NULL);
	UK_TEST_ASSERT(bodies > 10);
}
