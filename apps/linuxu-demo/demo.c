/*
 * The demo workload.  Library "demo" publishes static entries (uptime, a
 * tick counter, a version string, the live worker count, a job latency
 * histogram and a settable tick period) and one dynamic folder per
 * simulated worker, labelled worker="wN".  A single background thread
 * ticks every demo/tick_period milliseconds: each live worker may run a job
 * (bumping its counters and observing the histogram), and every few ticks
 * a worker is hired or retired, so folders really appear and disappear
 * while a scrape walks the store.  Being the only writer of every value,
 * the thread uses the single-writer counters of uk/counter.h.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/counter.h>
#include <uk/hist.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#include <uk/store_publish.h>
#include <uk/thread.h>

#include "demo.h"

#define DEMO_VERSION "0.1.0"
#define MAX_WORKERS 8
#define MIN_WORKERS 2
/* Workers are hired or retired every CHURN_TICKS ticks. */
#define CHURN_TICKS 5
/* Longest nap between stop checks, so SIGTERM never waits for a tick. */
#define NAP_NS (20 * UK_NSEC_PER_MSEC)

UK_STORE_LIBRARY(demo);

struct worker {
	uint64_t jobs;
	uint64_t busy_us;   /* simulated time spent on jobs */
	uint64_t busy;      /* 0 or 1, a gauge */
	struct uk_store_folder *folder;
	char name[8];
};

static uint64_t start_ns;
static uint64_t ticks;
static uint64_t nworkers;
static uint32_t tick_period = 100;
static int stopping;
static struct uk_thread *thread;
static struct worker *workers[MAX_WORKERS];
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static const double latency_le[] = {
	0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
};
static struct uk_hist latency = {
	.nbuckets = sizeof(latency_le) / sizeof(latency_le[0]),
	.le = latency_le,
};

/* ---- static entries ------------------------------------------------ */

static int uptime_get(void *cookie, double *out)
{
	*out = (double)(uk_plat_time_mono_ns() - start_ns) / 1e9;
	return 0;
}

static int u64_get(void *cookie, uint64_t *out)
{
	*out = uk_counter_read(cookie);
	return 0;
}

static int version_get(void *cookie, const char **out)
{
	*out = DEMO_VERSION;
	return 0;
}

static int workers_get(void *cookie, uint16_t *out)
{
	*out = (uint16_t)uk_counter_read(&nworkers);
	return 0;
}

static int tick_period_get(void *cookie, uint32_t *out)
{
	*out = __atomic_load_n(&tick_period, __ATOMIC_RELAXED);
	return 0;
}

/* The period is what the thread sleeps; out of range would stall or spin. */
static int tick_period_set(void *cookie, uint32_t in)
{
	if (in < DEMO_TICK_PERIOD_MIN || in > DEMO_TICK_PERIOD_MAX)
		return -ERANGE;
	__atomic_store_n(&tick_period, in, __ATOMIC_RELAXED);
	return 0;
}

UK_STORE_STATIC_ENTRY(demo, uptime, dbl, gauge, seconds,
		      "Time since the demo started.", uptime_get, NULL, NULL);
UK_STORE_STATIC_ENTRY(demo, ticks, u64, counter, none,
		      "Ticks of the workload thread.", u64_get, NULL, &ticks);
UK_STORE_STATIC_ENTRY(demo, version, str, info, none,
		      "Version of the demo.", version_get, NULL, NULL);
UK_STORE_STATIC_ENTRY(demo, workers, u16, gauge, none,
		      "Workers currently hired.", workers_get, NULL, NULL);
/* Milliseconds, though unnamed: promtool's lint refuses "_ms" names. */
UK_STORE_STATIC_ENTRY(demo, tick_period, u32, gauge, none,
		      "Tick period of the workload thread in milliseconds "
		      "(settable, 10..10000).", tick_period_get,
		      tick_period_set, NULL);
UK_STORE_STATIC_ENTRY(demo, job_latency, hist, histogram, seconds,
		      "Simulated job latency.", uk_store_hist_get, NULL,
		      &latency);

/* ---- worker folders ------------------------------------------------ */

static int w_jobs_get(void *cookie, uint64_t *out)
{
	*out = uk_counter_read(&((struct worker *)cookie)->jobs);
	return 0;
}

static int w_busy_get(void *cookie, uint8_t *out)
{
	*out = (uint8_t)uk_counter_read(&((struct worker *)cookie)->busy);
	return 0;
}

static int w_busy_seconds_get(void *cookie, double *out)
{
	*out = (double)uk_counter_read(&((struct worker *)cookie)->busy_us)
		/ 1e6;
	return 0;
}

static const struct uk_store_entry worker_tmpl[] = {
	UK_STORE_ENTRY(jobs, u64, counter, none, "Jobs done by the worker.",
		       w_jobs_get, NULL, NULL),
	UK_STORE_ENTRY(busy, u8, gauge, none,
		       "1 while the worker is running a job.",
		       w_busy_get, NULL, NULL),
	UK_STORE_ENTRY(busy_time, dbl, counter, seconds,
		       "Simulated time the worker spent on jobs.",
		       w_busy_seconds_get, NULL, NULL),
};

/* Runs when the last reference (maybe a scrape's) is gone. */
static void worker_release(void *cookie)
{
	uk_free(uk_alloc_get_default(), cookie);
}

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int hire(unsigned int slot)
{
	struct worker *w;
	int rc;

	UK_ASSERT(slot < MAX_WORKERS && !workers[slot]);
	w = uk_calloc(uk_alloc_get_default(), 1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	snprintf(w->name, sizeof(w->name), "w%u", slot);
	rc = uk_store_folder_add(&uk_store_lib_demo, "worker", w->name,
				 worker_tmpl,
				 sizeof(worker_tmpl) / sizeof(worker_tmpl[0]),
				 w, worker_release, &w->folder);
	if (rc) {
		uk_free(uk_alloc_get_default(), w);
		return rc;
	}
	workers[slot] = w;
	uk_counter_add(&nworkers, 1);
	return 0;
}

/* After this the worker belongs to the store: never touch it again. */
static void retire(unsigned int slot)
{
	struct worker *w = workers[slot];
	int rc;

	UK_ASSERT(w);
	workers[slot] = NULL;
	uk_counter_set(&nworkers, uk_counter_read(&nworkers) - 1);
	rc = uk_store_folder_remove(w->folder);
	UK_ASSERT(rc == 0);
}

/* Picks the n-th free (want_free) or used slot, counting from a random one. */
static int pick_slot(int want_free)
{
	unsigned int i, s, start = rnd() % MAX_WORKERS;

	for (i = 0; i < MAX_WORKERS; i++) {
		s = (start + i) % MAX_WORKERS;
		if ((workers[s] == NULL) == want_free)
			return (int)s;
	}
	return -1;
}

static void churn(void)
{
	uint64_t n = uk_counter_read(&nworkers);
	int hiring, slot, rc;

	if (n <= MIN_WORKERS)
		hiring = 1;
	else if (n >= MAX_WORKERS)
		hiring = 0;
	else
		hiring = rnd() & 1;
	slot = pick_slot(hiring);
	UK_ASSERT(slot >= 0);
	if (!hiring) {
		retire(slot);
		return;
	}
	rc = hire(slot);
	if (rc)
		uk_pr_warn("demo: cannot hire worker %d: %d\n", slot, rc);
}

static void work(struct worker *w)
{
	uint64_t r = rnd();
	uint64_t us;

	if ((r & 3) == 0) {
		uk_counter_set(&w->busy, 0);
		return;
	}
	uk_counter_set(&w->busy, 1);
	/* 0.5 ms .. 128 ms, skewed towards short jobs. */
	us = 500 * (1 + (r >> 8) % 64) * (1u << ((r >> 20) & 3)) / 4;
	if (us < 500)
		us = 500;
	uk_counter_add(&w->jobs, 1);
	uk_counter_add(&w->busy_us, us);
	uk_hist_observe(&latency, (double)us / 1e6);
}

static void nap(uint64_t ns)
{
	uint64_t end = uk_plat_time_mono_ns() + ns, now;

	while (!__atomic_load_n(&stopping, __ATOMIC_ACQUIRE)) {
		now = uk_plat_time_mono_ns();
		if (now >= end)
			break;
		uk_thread_sleep_ns(end - now < NAP_NS ? end - now : NAP_NS);
	}
}

static void loop(void *arg)
{
	unsigned int i;

	while (!__atomic_load_n(&stopping, __ATOMIC_ACQUIRE)) {
		for (i = 0; i < MAX_WORKERS; i++)
			if (workers[i])
				work(workers[i]);
		uk_counter_add(&ticks, 1);
		if (uk_counter_read(&ticks) % CHURN_TICKS == 0)
			churn();
		nap((uint64_t)__atomic_load_n(&tick_period, __ATOMIC_RELAXED)
		    * UK_NSEC_PER_MSEC);
	}
}

/* See demo.h.  Returns 0 or a negative errno. */
int demo_start(void)
{
	unsigned int i;
	int rc;

	start_ns = uk_plat_time_mono_ns();
	for (i = 0; i < MIN_WORKERS + 1; i++) {
		rc = hire(i);
		if (rc)
			goto fail;
	}
	rc = uk_thread_create(&thread, "demo", loop, NULL, 0);
	if (rc)
		goto fail;
	return 0;
fail:
	for (i = 0; i < MAX_WORKERS; i++)
		if (workers[i])
			retire(i);
	return rc;
}

/* See demo.h. */
void demo_stop(void)
{
	unsigned int i;

	__atomic_store_n(&stopping, 1, __ATOMIC_RELEASE);
	if (thread) {
		uk_thread_join(thread);
		thread = NULL;
	}
	for (i = 0; i < MAX_WORKERS; i++)
		if (workers[i])
			retire(i);
}
