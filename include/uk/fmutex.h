/*
 * The mutex core: the classic three-state futex mutex (0 free, 1 locked,
 * 2 locked and maybe waited for) over the wait contract of uk/wait.h,
 * inline, with no statistics and nothing to link but a wait provider
 * (lib/uksched or plat/linuxu's linuxu_threads).  An uncontended lock and
 * unlock are one atomic operation each and never enter the scheduler.
 *
 * Two libraries build on it: uklock's uk_mutex adds its counting, and
 * ukstore guards its lists with a bare one, so that the store's own lock
 * never appears in the lock metrics it publishes (and the store needs
 * nothing from uklock).  Not recursive, no owner: whoever locked it
 * unlocks it.
 */
#ifndef UK_FMUTEX_H
#define UK_FMUTEX_H

#include <stdint.h>

#include <uk/wait.h>

struct uk_fmutex {
	uint32_t state; /* 0 free, 1 locked, 2 locked with waiters */
};

#define UK_FMUTEX_INITIALIZER { 0 }

/** Takes m if it is free.  Returns 1 when acquired, 0 when held. */
static inline int uk_fmutex_trylock(struct uk_fmutex *m)
{
	uint32_t free_state = 0;

	return __atomic_compare_exchange_n(&m->state, &free_state, 1, 0,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/**
 * The slow path of uk_fmutex_lock(), after a failed trylock: marks m as
 * waited for (so the holder's unlock wakes someone) and blocks until it
 * is acquired.
 */
static inline void uk_fmutex_lock_wait(struct uk_fmutex *m)
{
	while (__atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE) != 0)
		uk_wait_on(&m->state, 2, 0);
}

/**
 * Acquires m, blocking while another thread holds it.  Returns 0 when it
 * was free, 1 when the caller had to wait (contention).
 */
static inline int uk_fmutex_lock(struct uk_fmutex *m)
{
	if (uk_fmutex_trylock(m))
		return 0;
	uk_fmutex_lock_wait(m);
	return 1;
}

/**
 * Releases m and wakes one waiter if there may be any.  Returns the state
 * m had: 0 means it was not locked, a broken invariant that the caller
 * turns into a crash (UK_ASSERT lives above this header).
 */
static inline uint32_t uk_fmutex_unlock(struct uk_fmutex *m)
{
	uint32_t old = __atomic_exchange_n(&m->state, 0, __ATOMIC_RELEASE);

	if (old == 2)
		uk_wake(&m->state, 1);
	return old;
}

#endif /* UK_FMUTEX_H */
