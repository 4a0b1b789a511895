/*
 * uklock: mutex, semaphore and condition variable.
 *
 * They are built on the futex-like contract of uk/wait.h (the mutex on
 * the mutex core of uk/fmutex.h), so the same code runs over Linux
 * futexes (linuxu) and over uksched's wait queues (kvm).  Each lock is
 * small (at most 32 bytes, asserted below): it holds its word(s) and a
 * pointer to statistics that exist only when the lock has a name.
 *
 * Counting.  Every acquisition counts in two totals over all locks
 * (acquisitions, and those that had to wait); a named lock also counts
 * its own acquisitions, contended acquisitions and a histogram of the
 * time spent waiting, in a struct uk_lock_stats allocated when it is
 * named.  Counting costs plain adds made while the lock is held.
 *
 * Statistics library.  The store side lives in a separate library,
 * uklock_stats (lib/uklock/stats.c): it publishes the totals as static
 * entries uklock/all_acquisitions, all_contended and named_locks, and
 * each named lock as folder uklock/<name> (label "lock").  The core
 * reaches it only through two weak hooks (lock_impl.h), so a program
 * that does not link uklock_stats pays nothing for it: its names are
 * ignored (init returns 0, the lock works unnamed and uncounted).
 *
 * Timeouts are absolute deadlines on uk_wait_now_ns()'s clock (uk/wait.h).
 *
 * Errors: 0 or a negative errno.  Unlocking a mutex that is not locked is
 * a broken invariant and crashes.
 */
#ifndef UK_LOCK_H
#define UK_LOCK_H

#include <stdint.h>

#include <uk/fmutex.h>
#include <uk/hist.h>

/**
 * Statistics of one named lock, allocated by uklock_stats when the lock
 * is named and freed once its store folder is released (a scrape may
 * read them after the lock is gone).  The holder of a mutex updates them;
 * semaphores and condition variables, which several threads can pass at
 * once, serialise their updates with the busy spin flag (uncontended on
 * kvm's single CPU).
 */
struct uk_lock_stats {
	uint64_t acquisitions;
	uint64_t contended;
	struct uk_hist wait; /* seconds */
	uint32_t busy;
};

struct uk_mutex {
	struct uk_fmutex core;
	struct uk_lock_stats *stats; /* NULL unless named */
};

struct uk_semaphore {
	uint32_t count;
	uint32_t waiters;
	struct uk_lock_stats *stats;
};

struct uk_condvar {
	uint32_t seq;
	struct uk_lock_stats *stats;
};

_Static_assert(sizeof(struct uk_mutex) <= 32, "uk_mutex grew past 32 bytes");
_Static_assert(sizeof(struct uk_semaphore) <= 32,
	       "uk_semaphore grew past 32 bytes");
_Static_assert(sizeof(struct uk_condvar) <= 32,
	       "uk_condvar grew past 32 bytes");

/** A mutex usable without any init call (unnamed). */
#define UK_MUTEX_INITIALIZER { UK_FMUTEX_INITIALIZER, 0 }

/**
 * Initialises m; a non-NULL name publishes its statistics as
 * uklock/<name> when uklock_stats is linked (otherwise the name is
 * ignored).  Returns 0, or the store's error for the name (-EEXIST,
 * -EINVAL, -ENOMEM), in which case m works but is unnamed.
 */
int uk_mutex_init(struct uk_mutex *m, const char *name);
/** Unpublishes a named mutex.  It must not be held. */
void uk_mutex_fini(struct uk_mutex *m);
/** Acquires m, blocking while another thread holds it. */
void uk_mutex_lock(struct uk_mutex *m);
/** Returns 0 when acquired, -EBUSY when held by someone else. */
int uk_mutex_trylock(struct uk_mutex *m);
/** Releases m, which must be locked (else: crash). */
void uk_mutex_unlock(struct uk_mutex *m);

/** Initialises s with count units; name as for uk_mutex_init(). */
int uk_semaphore_init(struct uk_semaphore *s, const char *name,
		      uint32_t count);
/** Unpublishes a named semaphore.  Nobody may be waiting on it. */
void uk_semaphore_fini(struct uk_semaphore *s);
/** Takes one unit, waiting as long as needed. */
void uk_semaphore_down(struct uk_semaphore *s);
/**
 * Takes one unit, waiting until the deadline (0: none).  Returns 0, or
 * -ETIMEDOUT.
 */
int uk_semaphore_down_until(struct uk_semaphore *s, uint64_t deadline_ns);
/** Returns 0, or -EAGAIN if the count is 0. */
int uk_semaphore_trydown(struct uk_semaphore *s);
/** Returns one unit and wakes a waiter if there is one. */
void uk_semaphore_up(struct uk_semaphore *s);

/** Initialises c; name as for uk_mutex_init(). */
int uk_condvar_init(struct uk_condvar *c, const char *name);
/** Unpublishes a named condition variable.  Nobody may wait on it. */
void uk_condvar_fini(struct uk_condvar *c);
/** Atomically releases m and waits; m is held again on return. */
void uk_condvar_wait(struct uk_condvar *c, struct uk_mutex *m);
/** As uk_condvar_wait(); returns 0 or -ETIMEDOUT at the deadline. */
int uk_condvar_wait_until(struct uk_condvar *c, struct uk_mutex *m,
			  uint64_t deadline_ns);
/** Wakes (at least) one waiter. */
void uk_condvar_signal(struct uk_condvar *c);
/** Wakes every waiter. */
void uk_condvar_broadcast(struct uk_condvar *c);

#endif
