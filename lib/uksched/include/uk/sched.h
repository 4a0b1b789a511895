/*
 * uksched: cooperative threads on one CPU.
 *
 * Threads switch only when they block (uk_wait_on), yield, sleep or exit;
 * runnable threads take turns round-robin.  When nothing is runnable a
 * separate idle thread halts the CPU until the nearest sleep deadline
 * (tickless) or an interrupt, then wakes the sleepers whose deadline has
 * passed.  Interrupt handlers may call uk_wake(): every run-queue update
 * is made with interrupts masked.
 *
 * uksched implements the shared contracts uk/thread.h and uk/wait.h, so
 * uklock runs on it unchanged; this header adds what only a scheduler can
 * tell (the current thread, per-thread CPU time and switch counts).
 *
 * Statistics are kept here (per-thread CPU time and switches, totals) and
 * published by a separate library, uksched_stats, as ukstore library
 * "uksched": a folder per live thread (label "thread": cpu_seconds,
 * switches) and static entries threads, context_switches and
 * idle_seconds.  The core tells it about threads through weak hooks
 * (sched_impl.h), so a program that does not link uksched_stats has no
 * store in its scheduler and pays nothing for it.
 *
 * Time.  Every sleep, timeout, CPU time and idle period is measured on
 * the scheduler's clock: the platform's monotonic clock and idle, unless
 * a test injects another with uk_sched_clock_set() (a virtual clock that
 * jumps to the next deadline when every thread sleeps makes timing tests
 * exact and independent of the host's load).  uk_wait_now_ns() reads it.
 *
 * The scheduler starts itself on first use (the calling context becomes
 * the thread "main"); on kvm, uk_boot_main() starts it before main().
 */
#ifndef UK_SCHED_H
#define UK_SCHED_H

#include <stddef.h>
#include <stdint.h>

#include <uk/thread.h>

/** Stack size of a thread created with stack_size 0. */
#define UK_SCHED_STACK_DEFAULT (64 * 1024)
/** Smallest stack uk_thread_create() accepts (smaller ones are raised). */
#define UK_SCHED_STACK_MIN (8 * 1024)

enum uk_sched_state {
	UK_SCHED_READY = 0, /**< on the run queue */
	UK_SCHED_RUNNING,   /**< the current thread */
	UK_SCHED_BLOCKED,   /**< waiting, sleeping or joining */
	UK_SCHED_EXITED,    /**< finished, not yet joined */
};

/** A snapshot of one thread. */
struct uk_sched_thread_info {
	uint64_t id;         /**< 1 for main, then increasing */
	const char *name;    /**< valid while the thread is not joined */
	const char *folder;  /**< its ukstore folder name, or NULL */
	enum uk_sched_state state;
	int is_idle;         /**< the idle thread */
	uint64_t cpu_ns;     /**< CPU time, including the current slice */
	uint64_t switches;   /**< times it was switched in */
};

/** Starts the scheduler if it is not running yet (idempotent). */
void uk_sched_init(void);

/** The calling thread. */
struct uk_thread *uk_sched_current(void);

/** Fills *out for thread t.  Returns 0, or -EINVAL for a NULL t. */
int uk_sched_thread_info(struct uk_thread *t,
			 struct uk_sched_thread_info *out);

/**
 * Calls fn for every thread not yet joined (the idle thread included),
 * in creation order.  fn must not block.  Returns 0 or the first non-zero
 * value fn returns.
 */
int uk_sched_thread_foreach(int (*fn)(void *arg,
				      const struct uk_sched_thread_info *ti),
			    void *arg);

/** The scheduler's clock. */
struct uk_sched_clock {
	/** Monotonic time, in ns. */
	uint64_t (*now_ns)(void);
	/**
	 * Called by the idle thread, interrupts masked, when nothing can
	 * run: returns once the deadline (ns on now_ns's clock; 0: none) has
	 * passed or an interrupt may have made a thread ready.  It may
	 * return early: the idle thread checks again.
	 */
	void (*idle_until)(uint64_t deadline_ns);
	/**
	 * Time spent in interrupt handlers so far, in ns on now_ns's scale
	 * (non-decreasing), or NULL: none.  The platform's clock has
	 * uk_plat_irq_time_ns(); a test clock may inject interrupt time.
	 */
	uint64_t (*irq_ns)(void);
};

/**
 * Makes c the scheduler's clock (NULL: the platform's,
 * uk_plat_time_mono_ns() and uk_plat_idle_until()).  Only while no
 * thread sleeps or waits with a deadline (else: crash): deadlines do not
 * move between clocks.  The running thread's CPU time is carried over.
 * Returns the previous clock (NULL for the platform's).
 */
const struct uk_sched_clock *
uk_sched_clock_set(const struct uk_sched_clock *c);

/** Threads alive: created (main and idle included) and not exited. */
unsigned int uk_sched_thread_count(void);
/** Context switches since the scheduler started. */
uint64_t uk_sched_switch_count(void);
/** Time the idle thread has run, in ns. */
uint64_t uk_sched_idle_ns(void);

/*
 * CPU time by mode, as Linux's /proc/stat splits it (node_cpu_seconds_total
 * {mode}).  Every nanosecond since the scheduler started falls in exactly
 * one mode, so the modes add up to the time since boot (the boot before
 * the scheduler starts, uk_plat_time_start_ns() on, counts as system):
 *   idle     the idle thread, its halts included;
 *   irq      interrupt handlers (the clock's irq_ns: measured by the
 *            platform, taken out of whichever thread they interrupted,
 *            idle included);
 *   softirq  deferred interrupt work: threads of class softirq, which do
 *            nothing else (the network receive thread, which runs lwIP's
 *            input path for the frames a device interrupt announced);
 *   system   kernel threads: lwIP's tcpip thread, drivers' and file
 *            systems' threads, the exporter's (server and push);
 *   user     the application's threads, main among them.
 * A thread's class (user, system or softirq) is given when it is created:
 * a thread inherits its creator's class (a system or softirq thread's
 * children are system), and main is user; a library that starts a kernel
 * thread sets its class with uk_sched_thread_set_class() (or the shared
 * uk_thread_set_class() of uk/thread.h) right after creating it, before
 * it first runs (threads are cooperative: it has not run yet).  A thread
 * of one library's making keeps user as its default.  The time a thread
 * runs is charged to its class at each switch and on every read; so a
 * class changed later applies from that moment on.
 * Per-thread CPU time (uk_sched_thread_info's cpu_ns) leaves interrupt
 * time out as well.
 */
enum uk_sched_cpu_mode {
	UK_SCHED_CPU_USER = 0,
	UK_SCHED_CPU_SYSTEM,
	UK_SCHED_CPU_IRQ,
	UK_SCHED_CPU_SOFTIRQ,
	UK_SCHED_CPU_IDLE,
	UK_SCHED_CPU_MODES
};

/** Time spent in each mode since the scheduler started, in ns. */
struct uk_sched_cpu_times {
	uint64_t ns[UK_SCHED_CPU_MODES];
};

/**
 * Fills *out with the CPU time by mode, the running slice included.
 * Never blocks and allocates nothing (safe from a scrape).  Each mode is
 * non-decreasing from one call to the next.
 */
void uk_sched_cpu_times(struct uk_sched_cpu_times *out);

/**
 * Sets thread t's class: UK_SCHED_CPU_USER, UK_SCHED_CPU_SYSTEM or
 * UK_SCHED_CPU_SOFTIRQ (see above); the running slice so far stays with
 * the old class.  Returns 0, or -EINVAL for a NULL t, the idle thread,
 * an exited thread, or another mode.
 */
int uk_sched_thread_set_class(struct uk_thread *t, enum uk_sched_cpu_mode cls);
/** Thread t's class (UK_SCHED_CPU_IDLE for the idle thread). */
enum uk_sched_cpu_mode uk_sched_thread_class(struct uk_thread *t);

/** Threads created since the scheduler started, main and idle included
 *  (node_forks_total). */
uint64_t uk_sched_fork_count(void);
/**
 * Threads ready to run or running, idle excluded (procs_running): the
 * load average's count.  A reader counts itself, as on Linux.
 */
unsigned int uk_sched_running_count(void);
/**
 * Threads blocked in uk_wait_on() with no deadline (procs_blocked): on a
 * lock, a semaphore, a queue, a join, an I/O completion.  Sleepers and
 * timed waits are not counted (Linux's interruptible sleeps); unlike
 * Linux's uninterruptible count, a thread parked waiting for work (a
 * server's worker on its queue) counts too: uk_wait_on() cannot tell the
 * two apart.
 */
unsigned int uk_sched_blocked_count(void);

/** Fixed-point shift of the load averages (Linux's FSHIFT). */
#define UK_SCHED_LOAD_SHIFT 11
/** Seconds between load samples (Linux's LOAD_FREQ). */
#define UK_SCHED_LOAD_PERIOD_S 5
/**
 * The 1, 5 and 15 minute load averages, as Linux computes them: the
 * number of running and ready threads (uk_sched_running_count(); Linux
 * also counts uninterruptible sleepers, here they are not), sampled every
 * 5 s from the scheduler's start and damped by exp(-5/60), exp(-5/300)
 * and exp(-5/900), in fixed point with UK_SCHED_LOAD_SHIFT fractional
 * bits (Linux's calc_load: EXP_1 1884, EXP_5 2014, EXP_15 2037, rounded
 * up when rising).  No timer samples: the count only changes at
 * scheduler events, so each event (and each read) first applies the
 * 5 s periods that ended since the last one with the count that held
 * during them, one by one as Linux's tick would, until the averages
 * reach that count exactly (after a long idle, a bounded loop).  An idle
 * instance stays asleep.
 */
void uk_sched_loadavg(uint32_t avg[3]);

#endif
