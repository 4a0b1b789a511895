/*
 * The exporter's metrics about itself, published in ukstore as library
 * ukprom, which this file declares: scrapes by format and HTTP errors by
 * status code as dynamic folders (labels "format" and "code", every code
 * the server can send created up front so that a family never appears
 * out of nowhere), and static entries for the scrape duration histogram,
 * getter failures met by scrapes, bytes sent, open connections,
 * evictions, rejections and clients refused by the allow-list.  The
 * encoder publishes nothing itself; the server adds what an encoding
 * counted when it ends.  The numbers are process-wide: several servers
 * add into the same counters (atomically), and the folders are created
 * once, by the first server to start, and never removed.
 */
#include <errno.h>

#include <uk/assert.h>
#include <uk/counter.h>
#include <uk/fmutex.h>
#include <uk/plat/time.h>
#include <uk/store_publish.h>

#include "server_impl.h"

UK_STORE_LIBRARY(ukprom);

static const unsigned int codes[] = {
	400, 401, 404, 405, 408, 414, 431, 500, 503,
};
#define NCODES (sizeof(codes) / sizeof(codes[0]))

static const char *const fmt_names[] = { "text", "openmetrics" };

static uint64_t scrapes[2];
static uint64_t errors[NCODES];
static uint64_t sent_bytes;
static uint64_t connections;
static uint64_t evicted;
static uint64_t rejected;
static uint64_t denied;
static uint64_t getter_errors;

static const double scrape_le[] = {
	0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
	0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
};
static struct uk_store_hist scrape_hist = {
	sizeof(scrape_le) / sizeof(scrape_le[0]), scrape_le, {0}, 0, 0,
};
/*
 * Serialises observations of servers running on parallel threads.  This
 * lock and init_lock are bare fmutexes, not uklock mutexes: a scrape
 * takes hist_lock, and must not count itself in the lock metrics it
 * reports.
 */
static struct uk_fmutex hist_lock = UK_FMUTEX_INITIALIZER;

static struct uk_fmutex init_lock = UK_FMUTEX_INITIALIZER;
static int initialised;

static int get_u64(void *cookie, uint64_t *out)
{
	*out = uk_counter_read(cookie);
	return 0;
}

UK_STORE_STATIC_ENTRY(ukprom, scrape_duration_seconds, hist, histogram,
		      seconds, "Time to serve one GET /metrics, from the "
		      "request to the last byte handed to the network.",
		      uk_store_hist_get, NULL, &scrape_hist);
UK_STORE_STATIC_ENTRY(ukprom, sent_bytes, u64, counter, bytes,
		      "Bytes the exporter wrote to its connections.",
		      get_u64, NULL, &sent_bytes);
UK_STORE_STATIC_ENTRY(ukprom, connections, u64, gauge, none,
		      "Open exporter connections.",
		      get_u64, NULL, &connections);
UK_STORE_STATIC_ENTRY(ukprom, evicted_connections, u64, counter, none,
		      "Connections with an unfinished request, or idle, reset "
		      "to admit a new one at the connection limit.", get_u64,
		      NULL, &evicted);
UK_STORE_STATIC_ENTRY(ukprom, rejected_connections, u64, counter, none,
		      "Connections refused with 503 at the connection limit "
		      "(every slot busy answering).", get_u64, NULL,
		      &rejected);
UK_STORE_STATIC_ENTRY(ukprom, denied_connections, u64, counter, none,
		      "Connections from addresses outside the allow-list, "
		      "reset unread.", get_u64, NULL, &denied);
UK_STORE_STATIC_ENTRY(ukprom, getter_errors, u64, counter, none,
		      "Store getters that failed during a scrape, their "
		      "samples dropped", get_u64, NULL, &getter_errors);

/* The encoder's prefix cache: the store's annexes (enc_prefix.c). */
static int get_prefix_bytes(void *cookie, uint64_t *out)
{
	struct uk_store_mem m;

	uk_store_mem_get(&m);
	*out = m.annex_bytes;
	return 0;
}

UK_STORE_STATIC_ENTRY(ukprom, prefix_cache, u64, gauge, bytes,
		      "Memory held by the prefixes of folder series rendered "
		      "when their folders were added (freed with them).",
		      get_prefix_bytes, NULL, NULL);

static const struct uk_store_entry scrape_tmpl[] = {
	UK_STORE_ENTRY(scrapes, u64, counter, none,
		       "Scrapes of /metrics served, by format.",
		       get_u64, NULL, NULL),
};

static const struct uk_store_entry error_tmpl[] = {
	UK_STORE_ENTRY(http_errors, u64, counter, none,
		       "Error responses sent, by HTTP status code.",
		       get_u64, NULL, NULL),
};

static void u32_to_str(unsigned int v, char *buf)
{
	char tmp[12];
	int n = 0, i;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
}

/* Creates one folder unless it already exists.  Returns 0 or -errno. */
static int add_folder(const char *label, const char *name,
		      const struct uk_store_entry *tmpl, void *cookie)
{
	struct uk_store_folder *f;
	int rc;

	rc = uk_store_folder_add(&uk_store_lib_ukprom, label, name, tmpl, 1,
				 cookie, NULL, &f);
	return rc == -EEXIST ? 0 : rc;
}

/*
 * Creates the self-metric folders once per process.  Returns 0, or the
 * store's error (then a later start tries again).
 */
int _uk_prom_stats_init(void)
{
	char name[12];
	unsigned int i;
	int rc = 0;

	uk_fmutex_lock(&init_lock);
	if (initialised)
		goto out;
	for (i = 0; i < 2 && !rc; i++)
		rc = add_folder("format", fmt_names[i], scrape_tmpl,
				&scrapes[i]);
	for (i = 0; i < NCODES && !rc; i++) {
		u32_to_str(codes[i], name);
		rc = add_folder("code", name, error_tmpl, &errors[i]);
	}
	if (!rc)
		initialised = 1;
out:
	UK_ASSERT(uk_fmutex_unlock(&init_lock));
	return rc;
}

/* Counts a scrape in format fmt (enum uk_prom_format). */
void _uk_prom_stats_scrape(unsigned int fmt)
{
	uk_counter_add_mt(&scrapes[fmt ? 1 : 0], 1);
}

/* Records how long a scrape took, in ns, in the duration histogram. */
void _uk_prom_stats_scrape_done(uint64_t ns)
{
	uk_fmutex_lock(&hist_lock);
	uk_store_hist_observe(&scrape_hist, (double)ns / UK_NSEC_PER_SEC);
	UK_ASSERT(uk_fmutex_unlock(&hist_lock));
}

/* Adds the n getter failures an encoding met. */
void _uk_prom_stats_getter_errors(uint64_t n)
{
	uk_counter_add_mt(&getter_errors, n);
}

/* Counts an error response with this status; a status outside codes[]
 * is not counted (the server sends none). */
void _uk_prom_stats_error(unsigned int status)
{
	unsigned int i;

	for (i = 0; i < NCODES; i++)
		if (codes[i] == status) {
			uk_counter_add_mt(&errors[i], 1);
			return;
		}
}

/* Adds bytes handed to the network. */
void _uk_prom_stats_sent(uint64_t bytes)
{
	uk_counter_add_mt(&sent_bytes, bytes);
}

/* Moves the open-connection gauge by delta (+1 opened, -1 closed). */
void _uk_prom_stats_conns(int delta)
{
	uk_counter_add_mt(&connections, (uint64_t)(int64_t)delta);
}

/* Counts a connection reset to make room for a newcomer. */
void _uk_prom_stats_evicted(void)
{
	uk_counter_add_mt(&evicted, 1);
}

/* Counts a newcomer answered 503 for want of a slot. */
void _uk_prom_stats_rejected(void)
{
	uk_counter_add_mt(&rejected, 1);
}

/* Counts a connection refused by the allow-list. */
void _uk_prom_stats_denied(void)
{
	uk_counter_add_mt(&denied, 1);
}
