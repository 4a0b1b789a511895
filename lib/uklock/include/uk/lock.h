/*
 * uklock: mutex, semaphore and condition variable.
 *
 * They are built on the futex-like contract of uk/wait.h, so the same code
 * runs over Linux futexes (linuxu) and over uksched's wait queues (kvm).
 * Every lock can carry a name; a named lock appears in ukstore as folder
 * uklock/<name> (label "lock") with its acquisitions, contended
 * acquisitions and a histogram of the time spent waiting.  Counting costs
 * plain adds made while the lock is held.
 *
 * Errors: 0 or a negative errno.  Unlocking a mutex that is not locked is
 * a broken invariant and crashes.
 */
#ifndef UK_LOCK_H
#define UK_LOCK_H

#include <stdint.h>

#include <uk/store.h>

struct uk_lock_stats {
	uint64_t acquisitions;
	uint64_t contended;
	struct uk_store_hist wait;      /* seconds */
	struct uk_store_folder *folder; /* non-NULL when named */
};

struct uk_mutex {
	uint32_t state; /* 0 free, 1 locked, 2 locked with waiters */
	struct uk_lock_stats stats;
};

/*
 * Several threads can hold a semaphore, and a condition variable's
 * waiters may hold different mutexes, so their statistics are guarded by
 * a small spin flag of their own (uncontended on kvm's single CPU).
 */
struct uk_semaphore {
	uint32_t count;
	uint32_t waiters;
	uint32_t stats_busy;
	struct uk_lock_stats stats;
};

struct uk_condvar {
	uint32_t seq;
	uint32_t stats_busy;
	struct uk_lock_stats stats;
};

/** A mutex usable without any init call (unnamed). */
#define UK_MUTEX_INITIALIZER { 0, { 0, 0, { 0, 0, {0}, 0, 0 }, 0 } }

/**
 * Initialises m; a non-NULL name publishes its statistics as
 * uklock/<name>.  Returns 0, or the store's error for the name
 * (-EEXIST, -EINVAL, -ENOMEM), in which case m works but is unnamed.
 */
int uk_mutex_init(struct uk_mutex *m, const char *name);
/** Unpublishes a named mutex.  It must not be held. */
void uk_mutex_fini(struct uk_mutex *m);
void uk_mutex_lock(struct uk_mutex *m);
/** Returns 0 when acquired, -EBUSY when held by someone else. */
int uk_mutex_trylock(struct uk_mutex *m);
void uk_mutex_unlock(struct uk_mutex *m);

int uk_semaphore_init(struct uk_semaphore *s, const char *name,
		      uint32_t count);
void uk_semaphore_fini(struct uk_semaphore *s);
void uk_semaphore_down(struct uk_semaphore *s);
/**
 * Waits until the monotonic deadline (ns, 0: none).  Returns 0, or
 * -ETIMEDOUT.
 */
int uk_semaphore_down_until(struct uk_semaphore *s, uint64_t deadline_ns);
/** Returns 0, or -EAGAIN if the count is 0. */
int uk_semaphore_trydown(struct uk_semaphore *s);
void uk_semaphore_up(struct uk_semaphore *s);

int uk_condvar_init(struct uk_condvar *c, const char *name);
void uk_condvar_fini(struct uk_condvar *c);
/** Atomically releases m and waits; m is held again on return. */
void uk_condvar_wait(struct uk_condvar *c, struct uk_mutex *m);
/** As uk_condvar_wait(); returns 0 or -ETIMEDOUT at the deadline. */
int uk_condvar_wait_until(struct uk_condvar *c, struct uk_mutex *m,
			  uint64_t deadline_ns);
void uk_condvar_signal(struct uk_condvar *c);
void uk_condvar_broadcast(struct uk_condvar *c);

#endif
