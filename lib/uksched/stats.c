/*
 * uksched's statistics in ukstore (library uksched_stats): one dynamic
 * folder per live thread (label "thread";
 * uksched_cpu_seconds_total{thread="main"} and uksched_switches_total)
 * and static entries for the whole scheduler: threads, context switches,
 * idle time, CPU time by mode (one family, label mode:
 * uksched_cpu_mode_seconds_total{mode="idle"}), forks, running and
 * blocked threads and the load averages (uksched_load_average{minutes=
 * "1"}).  The core calls the
 * two hooks below (weakly, see sched_impl.h) as threads start and exit.
 * A folder keeps a reference on its thread, so a scrape that still holds
 * the folder after the thread was joined reads valid memory; the
 * folder's release callback drops that reference.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include <uk/counter.h>
#include <uk/sched.h>
#include <uk/store_publish.h>

#include "sched_impl.h"

UK_STORE_LIBRARY(uksched);

static int get_cpu(void *cookie, double *out)
{
	*out = (double)_uksched_thread_cpu_ns(cookie) / 1e9;
	return 0;
}

static int get_switches(void *cookie, uint64_t *out)
{
	*out = uk_counter_read(&((struct uk_thread *)cookie)->switches);
	return 0;
}

static const struct uk_store_entry thread_tmpl[] = {
	UK_STORE_ENTRY(cpu_seconds, dbl, counter, seconds,
		       "CPU time the thread has run.", get_cpu, NULL, NULL),
	UK_STORE_ENTRY(switches, u64, counter, none,
		       "Times the thread was switched in.", get_switches,
		       NULL, NULL),
};

static int get_threads(void *cookie, uint32_t *out)
{
	*out = uk_sched_thread_count();
	return 0;
}

static int get_ctx_switches(void *cookie, uint64_t *out)
{
	*out = uk_sched_switch_count();
	return 0;
}

static int get_idle(void *cookie, double *out)
{
	*out = (double)uk_sched_idle_ns() / 1e9;
	return 0;
}

UK_STORE_STATIC_ENTRY(uksched, threads, u32, gauge, none,
		      "Threads alive (main and idle included).", get_threads,
		      NULL, NULL);
UK_STORE_STATIC_ENTRY(uksched, context_switches, u64, counter, none,
		      "Context switches between threads.", get_ctx_switches,
		      NULL, NULL);
UK_STORE_STATIC_ENTRY(uksched, idle_seconds, dbl, counter, seconds,
		      "Time the CPU spent in the idle thread.", get_idle, NULL,
		      NULL);

static int get_mode(void *cookie, double *out)
{
	struct uk_sched_cpu_times ct;

	uk_sched_cpu_times(&ct);
	*out = (double)ct.ns[(uintptr_t)cookie] / 1e9;
	return 0;
}

#define MODE_ENTRY(m, M) \
	UK_STORE_STATIC_ENTRY_L(uksched, cpu_mode_##m, cpu_mode_seconds, \
				mode, #m, dbl, counter, seconds, \
				"CPU time by mode (user, system, irq, " \
				"softirq, idle); the modes add up to the " \
				"time since the scheduler started.", \
				get_mode, NULL, \
				(void *)(uintptr_t)UK_SCHED_CPU_##M)
MODE_ENTRY(user, USER);
MODE_ENTRY(system, SYSTEM);
MODE_ENTRY(irq, IRQ);
MODE_ENTRY(softirq, SOFTIRQ);
MODE_ENTRY(idle, IDLE);

static int get_forks(void *cookie, uint64_t *out)
{
	*out = uk_sched_fork_count();
	return 0;
}

static int get_running(void *cookie, uint32_t *out)
{
	*out = uk_sched_running_count();
	return 0;
}

static int get_blocked(void *cookie, uint32_t *out)
{
	*out = uk_sched_blocked_count();
	return 0;
}

static int get_load(void *cookie, double *out)
{
	uint32_t avg[3];

	uk_sched_loadavg(avg);
	*out = (double)avg[(uintptr_t)cookie] /
	       (double)(1u << UK_SCHED_LOAD_SHIFT);
	return 0;
}

UK_STORE_STATIC_ENTRY(uksched, forks, u64, counter, none,
		      "Threads created (main and idle included).", get_forks,
		      NULL, NULL);
UK_STORE_STATIC_ENTRY(uksched, running_threads, u32, gauge, none,
		      "Threads running or ready to run (idle excluded).",
		      get_running, NULL, NULL);
UK_STORE_STATIC_ENTRY(uksched, blocked_threads, u32, gauge, none,
		      "Threads waiting with no deadline (sleepers excluded).",
		      get_blocked, NULL, NULL);

#define LOAD_ENTRY(n, i) \
	UK_STORE_STATIC_ENTRY_L(uksched, load_##n, load_average, minutes, \
				#n, dbl, gauge, none, \
				"Load average: running and ready threads " \
				"damped over 1, 5 and 15 minutes (Linux's " \
				"method).", \
				get_load, NULL, (void *)(uintptr_t)(i))
LOAD_ENTRY(1, 0);
LOAD_ENTRY(5, 1);
LOAD_ENTRY(15, 2);

static void folder_release(void *cookie)
{
	_uksched_thread_put(cookie);
}

/*
 * Hook: t has started.  Publishes it as uksched/<name>, or
 * uksched/<name>-<id> when the name is taken.  A store error leaves the
 * thread unpublished but working.
 */
void _uksched_stats_thread_new(struct uk_thread *t)
{
	struct uk_store_folder *f = NULL;
	int rc, i;

	__atomic_add_fetch(&t->refs, 1, __ATOMIC_RELAXED);
	for (i = 0; i < 2; i++) {
		if (i == 0)
			snprintf(t->folder_name, sizeof(t->folder_name), "%s",
				 t->name);
		else
			snprintf(t->folder_name, sizeof(t->folder_name),
				 "%s-%llu", t->name,
				 (unsigned long long)t->id);
		rc = uk_store_folder_add(&uk_store_lib_uksched, "thread",
					 t->folder_name, thread_tmpl,
					 sizeof(thread_tmpl) /
					 sizeof(thread_tmpl[0]),
					 t, folder_release, &f);
		if (rc != -EEXIST)
			break;
	}
	if (rc) {
		t->folder_name[0] = '\0';
		__atomic_sub_fetch(&t->refs, 1, __ATOMIC_RELAXED);
		return;
	}
	t->stats = f;
}

/*
 * Hook: t is exiting.  Removes its folder; the release callback drops
 * the thread reference once no scrape holds the folder.
 */
void _uksched_stats_thread_exit(struct uk_thread *t)
{
	if (t->stats) {
		uk_store_folder_remove(t->stats);
		t->stats = NULL;
		t->folder_name[0] = '\0';
	}
}
