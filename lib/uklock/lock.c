/*
 * Mutex, semaphore and condition variable over the futex-like contract of
 * uk/wait.h.  The mutex is the mutex core of uk/fmutex.h (free, locked,
 * locked with waiters), so an uncontended lock and unlock are one atomic
 * operation each and never enter the scheduler; this file adds the
 * counting.  Statistics are updated by the thread that has just acquired,
 * so a mutex's need no atomics of their own.  A lock's own statistics
 * exist only when it is named, and naming goes through the weak hooks of
 * lock_impl.h to the uklock_stats library, which allocates and publishes
 * them: this file knows nothing of the store.
 */
#include <errno.h>
#include <stddef.h>

#include <uk/assert.h>
#include <uk/counter.h>
#include <uk/fmutex.h>
#include <uk/hist.h>
#include <uk/lock.h>
#include <uk/wait.h>

#include "lock_impl.h"

/* Resolved to NULL when uklock_stats is not linked. */
#pragma weak _uklock_stats_attach
#pragma weak _uklock_stats_detach

uint64_t _uklock_all_acquisitions;
uint64_t _uklock_all_contended;

/*
 * Gives a lock its statistics when it has a name and the statistics
 * library is linked.  Returns 0 (also when the name is ignored) or the
 * hook's error, with *st NULL.
 */
static int stats_name(const char *name, struct uk_lock_stats **st)
{
	*st = NULL;
	if (!name || !_uklock_stats_attach)
		return 0;
	return _uklock_stats_attach(name, st);
}

static void stats_unname(struct uk_lock_stats **st)
{
	if (*st) {
		UK_ASSERT(_uklock_stats_detach);
		_uklock_stats_detach(*st);
		*st = NULL;
	}
}

/* When a wait starts, for the histogram: read only for named locks. */
static uint64_t wait_start(const struct uk_lock_stats *st)
{
	return st ? uk_wait_now_ns() : 0;
}

/*
 * Counts one acquisition in the totals and, for a named lock, in st;
 * waited says it had to wait, since t0.  The caller makes the update to
 * st exclusive (a mutex it holds, or the busy flag).
 */
static void count_totals(int waited)
{
	uk_counter_add(&_uklock_all_acquisitions, 1);
	if (waited)
		uk_counter_add(&_uklock_all_contended, 1);
}

static void count_named(struct uk_lock_stats *st, int waited, uint64_t t0)
{
	uk_counter_add(&st->acquisitions, 1);
	if (waited) {
		uk_counter_add(&st->contended, 1);
		uk_hist_observe(&st->wait,
				(double)(uk_wait_now_ns() - t0) / 1e9);
	}
}

/*
 * Counting for locks that several threads can pass at once: the update
 * of a named lock's statistics is made exclusive with its spin flag,
 * held for a few adds.
 */
static void count_shared(struct uk_lock_stats *st, int waited, uint64_t t0)
{
	count_totals(waited);
	if (!st)
		return;
	while (__atomic_exchange_n(&st->busy, 1, __ATOMIC_ACQUIRE))
		;
	count_named(st, waited, t0);
	__atomic_store_n(&st->busy, 0, __ATOMIC_RELEASE);
}

/*
 * Initialises m, naming it when name is non-NULL (see uk/lock.h).
 * Returns 0, or the statistics library's error for the name (-EEXIST,
 * -EINVAL, -ENOMEM): m then works, unnamed.
 */
int uk_mutex_init(struct uk_mutex *m, const char *name)
{
	m->core = (struct uk_fmutex)UK_FMUTEX_INITIALIZER;
	return stats_name(name, &m->stats);
}

/* Unpublishes m; it must not be held (else: crash). */
void uk_mutex_fini(struct uk_mutex *m)
{
	UK_ASSERT(__atomic_load_n(&m->core.state, __ATOMIC_RELAXED) == 0);
	stats_unname(&m->stats);
}

/* Acquires m, blocking while another thread holds it. */
void uk_mutex_lock(struct uk_mutex *m)
{
	uint64_t t0;

	if (uk_fmutex_trylock(&m->core)) {
		count_totals(0);
		if (m->stats)
			count_named(m->stats, 0, 0);
		return;
	}
	t0 = wait_start(m->stats);
	uk_fmutex_lock_wait(&m->core);
	count_totals(1);
	if (m->stats)
		count_named(m->stats, 1, t0);
}

/* Returns 0 when m was acquired, -EBUSY when it is held. */
int uk_mutex_trylock(struct uk_mutex *m)
{
	if (!uk_fmutex_trylock(&m->core))
		return -EBUSY;
	count_totals(0);
	if (m->stats)
		count_named(m->stats, 0, 0);
	return 0;
}

/*
 * Releases m and wakes one waiter if there may be any.  Unlocking a free
 * mutex is a broken invariant: it crashes.
 */
void uk_mutex_unlock(struct uk_mutex *m)
{
	uint32_t was = uk_fmutex_unlock(&m->core);

	UK_ASSERT(was != 0);
}

/*
 * Initialises s with count units, naming it as uk_mutex_init() does.
 * Returns 0 or the name's error (s then works, unnamed).
 */
int uk_semaphore_init(struct uk_semaphore *s, const char *name,
		      uint32_t count)
{
	s->count = count;
	s->waiters = 0;
	return stats_name(name, &s->stats);
}

/* Unpublishes s; nobody may be waiting on it. */
void uk_semaphore_fini(struct uk_semaphore *s)
{
	stats_unname(&s->stats);
}

static int sem_take(struct uk_semaphore *s)
{
	uint32_t v = __atomic_load_n(&s->count, __ATOMIC_RELAXED);

	while (v > 0) {
		if (__atomic_compare_exchange_n(&s->count, &v, v - 1, 0,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return 1;
	}
	return 0;
}

/*
 * Takes one unit of s, waiting until the deadline (uk_wait_now_ns()'s
 * clock; 0: none).  Returns 0, or -ETIMEDOUT.
 */
int uk_semaphore_down_until(struct uk_semaphore *s, uint64_t deadline_ns)
{
	uint64_t t0;

	if (sem_take(s)) {
		count_shared(s->stats, 0, 0);
		return 0;
	}
	t0 = wait_start(s->stats);
	__atomic_fetch_add(&s->waiters, 1, __ATOMIC_SEQ_CST);
	for (;;) {
		if (sem_take(s))
			break;
		if (uk_wait_on(&s->count, 0, deadline_ns) == -ETIMEDOUT &&
		    !sem_take(s)) {
			__atomic_fetch_sub(&s->waiters, 1, __ATOMIC_SEQ_CST);
			return -ETIMEDOUT;
		}
		if (deadline_ns && uk_wait_now_ns() >= deadline_ns) {
			if (sem_take(s))
				break;
			__atomic_fetch_sub(&s->waiters, 1, __ATOMIC_SEQ_CST);
			return -ETIMEDOUT;
		}
	}
	__atomic_fetch_sub(&s->waiters, 1, __ATOMIC_SEQ_CST);
	count_shared(s->stats, 1, t0);
	return 0;
}

/* Takes one unit of s, waiting as long as needed. */
void uk_semaphore_down(struct uk_semaphore *s)
{
	uk_semaphore_down_until(s, 0);
}

/* Returns 0 when a unit was taken, -EAGAIN when the count is 0. */
int uk_semaphore_trydown(struct uk_semaphore *s)
{
	if (!sem_take(s))
		return -EAGAIN;
	count_shared(s->stats, 0, 0);
	return 0;
}

/* Returns one unit to s and wakes a waiter if there is one. */
void uk_semaphore_up(struct uk_semaphore *s)
{
	__atomic_fetch_add(&s->count, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&s->waiters, __ATOMIC_SEQ_CST))
		uk_wake(&s->count, 1);
}

/*
 * Initialises c, naming it as uk_mutex_init() does.  Returns 0 or the
 * name's error (c then works, unnamed).
 */
int uk_condvar_init(struct uk_condvar *c, const char *name)
{
	c->seq = 0;
	return stats_name(name, &c->stats);
}

/* Unpublishes c; nobody may be waiting on it. */
void uk_condvar_fini(struct uk_condvar *c)
{
	stats_unname(&c->stats);
}

/*
 * Releases m, waits for a signal or the deadline (0: none), and holds m
 * again.  Returns 0 or -ETIMEDOUT.  Wake-ups may be spurious, as with
 * pthreads: callers wait in a loop on their own condition.  Every return
 * counts as a contended acquisition of c (its wait time is the time
 * waited for the signal and for m).
 */
int uk_condvar_wait_until(struct uk_condvar *c, struct uk_mutex *m,
			  uint64_t deadline_ns)
{
	uint32_t seq = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);
	uint64_t t0 = wait_start(c->stats);
	int rc;

	uk_mutex_unlock(m);
	rc = uk_wait_on(&c->seq, seq, deadline_ns);
	uk_mutex_lock(m);
	count_shared(c->stats, 1, t0);
	return rc == -ETIMEDOUT ? -ETIMEDOUT : 0;
}

/* uk_condvar_wait_until() with no deadline. */
void uk_condvar_wait(struct uk_condvar *c, struct uk_mutex *m)
{
	uk_condvar_wait_until(c, m, 0);
}

/* Wakes (at least) one thread waiting on c. */
void uk_condvar_signal(struct uk_condvar *c)
{
	__atomic_fetch_add(&c->seq, 1, __ATOMIC_RELEASE);
	uk_wake(&c->seq, 1);
}

/* Wakes every thread waiting on c. */
void uk_condvar_broadcast(struct uk_condvar *c)
{
	__atomic_fetch_add(&c->seq, 1, __ATOMIC_RELEASE);
	uk_wake(&c->seq, -1);
}
