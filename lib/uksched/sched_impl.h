/*
 * uksched internals shared by its files (threads, switching and the
 * clock in sched.c, wait queues and sleepers in wait.c) and by its
 * statistics library uksched_stats (stats.c, ukstore publication).  Not
 * for other libraries: they use uk/sched.h.
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
	uint32_t refs;     /* the joiner's, and uksched_stats' */

	uint64_t cpu_ns;   /* finished slices, interrupt time left out */
	uint64_t run_start;
	enum uk_sched_cpu_mode cls; /* user, system or softirq (cpu.c) */
	uint64_t switches;

	void *stats;       /* uksched_stats' handle (its store folder) */
	char folder_name[_UKSCHED_FOLDER_MAX]; /* "" when unpublished */

	/* AddressSanitizer fiber bookkeeping (unused elsewhere). */
	void *asan_fake_stack;
	const void *asan_stack_lo;
	size_t asan_stack_size;
};

extern struct uk_thread *_uksched_cur;
extern const struct uk_sched_clock *_uksched_clock;

/* Now on the scheduler's clock. */
static inline uint64_t _uksched_now(void)
{
	return _uksched_clock->now_ns();
}

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

/* cpu.c (irqs masked): modes, counts and load; see there. */
/* Running and ready threads, idle excluded. */
extern unsigned int _uksched_nrunning;
/* Starts the accounting: main runs from now. */
void _uksched_cpu_init(uint64_t now);
/* Charges the running slice up to now to its mode; a new one starts. */
void _uksched_cpu_charge(uint64_t now);
/* The running thread's own time (no interrupts) in its slice so far. */
uint64_t _uksched_cpu_slice_ns(uint64_t now);
/* Applies the load samples due by now; call before the count changes. */
void _uksched_load_account(uint64_t now);
/* The clock changed, its now from old_now to new_now. */
void _uksched_cpu_clock_changed(uint64_t old_now, uint64_t new_now);

/* wait.c (irqs masked) */
/* Adds t to the sleeper list, woken at deadline (non-zero). */
void _uksched_sleep_insert(struct uk_thread *t, uint64_t deadline);
/* Takes t off the sleeper list and its wait queue, if it is on them. */
void _uksched_unwait(struct uk_thread *t);
/* Makes every sleeper whose deadline is <= now ready. */
void _uksched_wake_expired(uint64_t now);
/* The nearest sleeper deadline, or 0 if nobody sleeps. */
uint64_t _uksched_next_deadline(void);

/*
 * The statistics hooks, defined by uksched_stats (stats.c).  sched.c
 * refers to them weakly: without uksched_stats they are NULL and
 * skipped.  Both run in the scheduler's own thread context, never with
 * interrupts masked, and may allocate.
 *
 * _uksched_stats_thread_new: t has started (main and idle included).
 * It may publish t, taking a reference on it (t->refs) that it drops
 * when the publication is gone, and record the name it published t
 * under in t->folder_name.  Errors are its own: t runs unpublished.
 *
 * _uksched_stats_thread_exit: t is exiting (never main or idle); its
 * publication must end (the reference may be dropped later, once no
 * reader holds it).
 */
void _uksched_stats_thread_new(struct uk_thread *t);
void _uksched_stats_thread_exit(struct uk_thread *t);

#endif
