/*
 * uksched internals shared by its files (threads and switching in
 * sched.c, wait queues and sleepers in wait.c, ukstore publication in
 * stats.c).  Not for other libraries: they use uk/sched.h.
 *
 * Locking: there is one CPU and threads are cooperative, so the only
 * concurrency is interrupt handlers calling uk_wake().  Every function
 * here marked "irqs masked" must be called between uk_plat_irq_save() and
 * uk_plat_irq_restore().
 */
#ifndef UKSCHED_IMPL_H
#define UKSCHED_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <uk/arch/ctx.h>
#include <uk/sched.h>
#include <uk/store.h>
#include <uk/thread.h>

#define _UKSCHED_NAME_MAX 32
#define _UKSCHED_FOLDER_MAX 48

/* Why a blocked thread was made ready again. */
#define _UKSCHED_WOKEN 1
#define _UKSCHED_TIMEOUT 2

struct uk_thread {
	struct uk_arch_ctx ctx;
	uint64_t id;
	char name[_UKSCHED_NAME_MAX];
	enum uk_sched_state state;
	int is_idle;
	uk_thread_fn fn;
	void *arg;
	void *stack;            /* NULL for main (the boot stack) */
	size_t stack_size;

	struct uk_thread *rq_next;             /* run queue */
	struct uk_thread *all_next, *all_prev; /* every unjoined thread */

	const uint32_t *wait_addr;  /* uk_wait_on() address, or NULL */
	struct uk_thread *wq_next;  /* wait-queue bucket */
	uint64_t deadline;          /* on the sleeper list when non-zero */
	struct uk_thread *sl_next;  /* sleeper list, by deadline */
	int wake_reason;

	uint32_t exited;   /* futex word joiners wait on */
	int joining;
	int err;           /* errno of this thread */
	uint32_t refs;     /* the joiner's, and the store folder's */

	uint64_t cpu_ns;   /* finished slices */
	uint64_t run_start;
	uint64_t switches;

	struct uk_store_folder *folder;
	char folder_name[_UKSCHED_FOLDER_MAX];

	/* AddressSanitizer fiber bookkeeping (unused elsewhere). */
	void *asan_fake_stack;
	const void *asan_stack_lo;
	size_t asan_stack_size;
};

extern struct uk_thread *_uksched_cur;

/* sched.c */
/* Makes t runnable at the tail of the run queue (irqs masked). */
void _uksched_make_ready(struct uk_thread *t);
/*
 * Switches to the next runnable thread, or idle (irqs masked).  The
 * caller has set the current thread's state (READY and queued, BLOCKED
 * or EXITED); returns when the thread runs again.
 */
void _uksched_schedule(void);
/* CPU time of t including its running slice. */
uint64_t _uksched_thread_cpu_ns(const struct uk_thread *t);
/* Drops a reference on t; the last one frees it. */
void _uksched_thread_put(struct uk_thread *t);

/* wait.c (irqs masked) */
/* Adds t to the sleeper list, woken at deadline (non-zero). */
void _uksched_sleep_insert(struct uk_thread *t, uint64_t deadline);
/* Takes t off the sleeper list and its wait queue, if it is on them. */
void _uksched_unwait(struct uk_thread *t);
/* Makes every sleeper whose deadline is <= now ready. */
void _uksched_wake_expired(uint64_t now);
/* The nearest sleeper deadline, or 0 if nobody sleeps. */
uint64_t _uksched_next_deadline(void);

/* stats.c */
/* Publishes t as folder uksched/<name> (or <name>-<id>); errors ignored. */
void _uksched_publish(struct uk_thread *t);
/* Removes t's folder, if any. */
void _uksched_unpublish(struct uk_thread *t);

#endif
