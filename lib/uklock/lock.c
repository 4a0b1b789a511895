/*
 * Mutex, semaphore and condition variable over the futex-like contract of
 * uk/wait.h.  The mutex is the classic three-state futex mutex (free,
 * locked, locked with waiters), so an uncontended lock and unlock are one
 * atomic operation each and never enter the scheduler.  Statistics are
 * updated by the thread that has just acquired, so they need no atomics of
 * their own; named locks publish them as ukstore folders uklock/<name>.
 */
#include <errno.h>
#include <stddef.h>

#include <uk/assert.h>
#include <uk/counter.h>
#include <uk/lock.h>
#include <uk/plat/time.h>
#include <uk/store.h>
#include <uk/wait.h>

UK_STORE_LIBRARY(uklock);

/*
 * Totals over every lock, named or not: static entries, so the store has
 * them from the first instruction, with no registration at boot.
 */
static uint64_t all_acquisitions, all_contended, named_locks;

static int get_total(void *cookie, uint64_t *out)
{
	*out = uk_counter_read(cookie);
	return 0;
}

UK_STORE_STATIC_ENTRY(uklock, all_acquisitions, u64, counter, none,
		      "Acquisitions of all locks, named or not.", get_total,
		      NULL, &all_acquisitions);
UK_STORE_STATIC_ENTRY(uklock, all_contended, u64, counter, none,
		      "Acquisitions of all locks that had to wait.", get_total,
		      NULL, &all_contended);
UK_STORE_STATIC_ENTRY(uklock, named_locks, u64, gauge, none,
		      "Locks published with a name (folders uklock/<name>).",
		      get_total, NULL, &named_locks);

/* Wait-time buckets, in seconds: 1 us to 1 s by decades. */
static const double wait_le[] = { 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1 };

static int get_acq(void *cookie, uint64_t *out)
{
	*out = uk_counter_read(&((struct uk_lock_stats *)cookie)->acquisitions);
	return 0;
}

static int get_cont(void *cookie, uint64_t *out)
{
	*out = uk_counter_read(&((struct uk_lock_stats *)cookie)->contended);
	return 0;
}

static int get_wait(void *cookie, struct uk_store_hist_val *out)
{
	return uk_store_hist_get(&((struct uk_lock_stats *)cookie)->wait, out);
}

static const struct uk_store_entry lock_tmpl[] = {
	UK_STORE_ENTRY(acquisitions, u64, counter, none,
		       "Times the lock was acquired.", get_acq, NULL, NULL),
	UK_STORE_ENTRY(contended, u64, counter, none,
		       "Acquisitions that had to wait.", get_cont, NULL, NULL),
	UK_STORE_ENTRY(wait_seconds, hist, histogram, seconds,
		       "Time spent waiting to acquire the lock.", get_wait,
		       NULL, NULL),
};

static int stats_init(struct uk_lock_stats *st, const char *name)
{
	int rc = 0;

	*st = (struct uk_lock_stats){ 0 };
	st->wait.nbuckets = sizeof(wait_le) / sizeof(wait_le[0]);
	st->wait.le = wait_le;
	if (name) {
		rc = uk_store_folder_add(&uk_store_lib_uklock, "lock", name,
					 lock_tmpl, 3, st, NULL, &st->folder);
		if (rc)
			st->folder = NULL;
		else
			uk_counter_add_mt(&named_locks, 1);
	}
	return rc;
}

static void stats_fini(struct uk_lock_stats *st)
{
	if (st->folder) {
		uk_store_folder_remove(st->folder);
		st->folder = NULL;
		__atomic_fetch_sub(&named_locks, 1, __ATOMIC_RELAXED);
	}
}

/* Counts one acquisition; t0 is when waiting started (0: no wait). */
static void stats_acquired(struct uk_lock_stats *st, uint64_t t0)
{
	uk_counter_add(&st->acquisitions, 1);
	/*
	 * One writer at a time on kvm's single CPU, so exact there; threads
	 * on linuxu holding different locks may lose an update (relaxed,
	 * never torn).
	 */
	uk_counter_add(&all_acquisitions, 1);
	if (t0) {
		uk_counter_add(&st->contended, 1);
		uk_counter_add(&all_contended, 1);
		uk_store_hist_observe(&st->wait,
				      (double)(uk_plat_time_mono_ns() - t0) /
				      1e9);
	}
}

/*
 * stats_acquired() for locks that several threads can pass at once: the
 * update itself is made exclusive with a spin flag held for a few adds.
 */
static void stats_acquired_shared(uint32_t *busy, struct uk_lock_stats *st,
				  uint64_t t0)
{
	while (__atomic_exchange_n(busy, 1, __ATOMIC_ACQUIRE))
		;
	stats_acquired(st, t0);
	__atomic_store_n(busy, 0, __ATOMIC_RELEASE);
}

static uint32_t cas(uint32_t *p, uint32_t expected, uint32_t desired)
{
	__atomic_compare_exchange_n(p, &expected, desired, 0, __ATOMIC_ACQUIRE,
				    __ATOMIC_RELAXED);
	return expected;
}

/*
 * Initialises m, publishing it as uklock/<name> when name is non-NULL.
 * Returns 0 or the store's error (m then works, unnamed).
 */
int uk_mutex_init(struct uk_mutex *m, const char *name)
{
	m->state = 0;
	return stats_init(&m->stats, name);
}

/* Unpublishes m; it must not be held. */
void uk_mutex_fini(struct uk_mutex *m)
{
	UK_ASSERT(__atomic_load_n(&m->state, __ATOMIC_RELAXED) == 0);
	stats_fini(&m->stats);
}

/* Acquires m, blocking while another thread holds it. */
void uk_mutex_lock(struct uk_mutex *m)
{
	uint32_t c = cas(&m->state, 0, 1);
	uint64_t t0;

	if (c == 0) {
		stats_acquired(&m->stats, 0);
		return;
	}
	t0 = uk_plat_time_mono_ns();
	if (t0 == 0)
		t0 = 1;
	/* Mark "waiters present" so the owner's unlock wakes us. */
	if (c != 2)
		c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		uk_wait_on(&m->state, 2, 0);
		c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
	}
	stats_acquired(&m->stats, t0);
}

/* Returns 0 when m was acquired, -EBUSY when it is held. */
int uk_mutex_trylock(struct uk_mutex *m)
{
	if (cas(&m->state, 0, 1) != 0)
		return -EBUSY;
	stats_acquired(&m->stats, 0);
	return 0;
}

/* Releases m and wakes one waiter if there may be any. */
void uk_mutex_unlock(struct uk_mutex *m)
{
	uint32_t old = __atomic_exchange_n(&m->state, 0, __ATOMIC_RELEASE);

	UK_ASSERT(old != 0);
	if (old == 2)
		uk_wake(&m->state, 1);
}

/* Initialises s with count; see uk_mutex_init() for name and result. */
int uk_semaphore_init(struct uk_semaphore *s, const char *name,
		      uint32_t count)
{
	s->count = count;
	s->waiters = 0;
	s->stats_busy = 0;
	return stats_init(&s->stats, name);
}

void uk_semaphore_fini(struct uk_semaphore *s)
{
	stats_fini(&s->stats);
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
 * Takes one unit of s, waiting until the monotonic deadline (0: none).
 * Returns 0, or -ETIMEDOUT.
 */
int uk_semaphore_down_until(struct uk_semaphore *s, uint64_t deadline_ns)
{
	uint64_t t0;

	if (sem_take(s)) {
		stats_acquired_shared(&s->stats_busy, &s->stats, 0);
		return 0;
	}
	t0 = uk_plat_time_mono_ns();
	if (t0 == 0)
		t0 = 1;
	__atomic_fetch_add(&s->waiters, 1, __ATOMIC_SEQ_CST);
	for (;;) {
		if (sem_take(s))
			break;
		if (uk_wait_on(&s->count, 0, deadline_ns) == -ETIMEDOUT &&
		    !sem_take(s)) {
			__atomic_fetch_sub(&s->waiters, 1, __ATOMIC_SEQ_CST);
			return -ETIMEDOUT;
		}
		if (deadline_ns && uk_plat_time_mono_ns() >= deadline_ns) {
			if (sem_take(s))
				break;
			__atomic_fetch_sub(&s->waiters, 1, __ATOMIC_SEQ_CST);
			return -ETIMEDOUT;
		}
	}
	__atomic_fetch_sub(&s->waiters, 1, __ATOMIC_SEQ_CST);
	stats_acquired_shared(&s->stats_busy, &s->stats, t0);
	return 0;
}

void uk_semaphore_down(struct uk_semaphore *s)
{
	uk_semaphore_down_until(s, 0);
}

/* Returns 0 when a unit was taken, -EAGAIN when the count is 0. */
int uk_semaphore_trydown(struct uk_semaphore *s)
{
	if (!sem_take(s))
		return -EAGAIN;
	stats_acquired_shared(&s->stats_busy, &s->stats, 0);
	return 0;
}

/* Returns one unit to s and wakes a waiter if there is one. */
void uk_semaphore_up(struct uk_semaphore *s)
{
	__atomic_fetch_add(&s->count, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&s->waiters, __ATOMIC_SEQ_CST))
		uk_wake(&s->count, 1);
}

int uk_condvar_init(struct uk_condvar *c, const char *name)
{
	c->seq = 0;
	c->stats_busy = 0;
	return stats_init(&c->stats, name);
}

void uk_condvar_fini(struct uk_condvar *c)
{
	stats_fini(&c->stats);
}

/*
 * Releases m, waits for a signal or the deadline (0: none), and holds m
 * again.  Returns 0 or -ETIMEDOUT.  Wake-ups may be spurious, as with
 * pthreads: callers wait in a loop on their own condition.
 */
int uk_condvar_wait_until(struct uk_condvar *c, struct uk_mutex *m,
			  uint64_t deadline_ns)
{
	uint32_t seq = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);
	uint64_t t0 = uk_plat_time_mono_ns();
	int rc;

	uk_mutex_unlock(m);
	rc = uk_wait_on(&c->seq, seq, deadline_ns);
	uk_mutex_lock(m);
	stats_acquired_shared(&c->stats_busy, &c->stats, t0 ? t0 : 1);
	return rc == -ETIMEDOUT ? -ETIMEDOUT : 0;
}

void uk_condvar_wait(struct uk_condvar *c, struct uk_mutex *m)
{
	uk_condvar_wait_until(c, m, 0);
}

void uk_condvar_signal(struct uk_condvar *c)
{
	__atomic_fetch_add(&c->seq, 1, __ATOMIC_RELEASE);
	uk_wake(&c->seq, 1);
}

void uk_condvar_broadcast(struct uk_condvar *c)
{
	__atomic_fetch_add(&c->seq, 1, __ATOMIC_RELEASE);
	uk_wake(&c->seq, -1);
}
