/*
 * uklock running unchanged on uksched's wait queues: mutual exclusion
 * between cooperative threads that yield or sleep while holding a mutex,
 * contention statistics, semaphores with timeouts, condition variables
 * (timeouts exact on the virtual clock of vclock.h), and the named-lock
 * folders in the store (uklock_stats).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <uk/lock.h>
#include <uk/plat/time.h>
#include <uk/sched.h>
#include <uk/store.h>
#include <uk/test.h>
#include <uk/thread.h>
#include <uk/wait.h>

#include "vclock.h"

struct shared {
	struct uk_mutex m;
	uint64_t counter;
	int iters;
	int sleep_us;
};

static void incr_fn(void *arg)
{
	struct shared *s = arg;
	int i;

	for (i = 0; i < s->iters; i++) {
		uint64_t v;

		uk_mutex_lock(&s->m);
		v = s->counter;
		/* Give the CPU away inside the critical section. */
		if (s->sleep_us)
			uk_thread_sleep_ns((uint64_t)s->sleep_us * 1000);
		else
			uk_thread_yield();
		s->counter = v + 1;
		uk_mutex_unlock(&s->m);
	}
}

UK_TEST(sched_lock_mutex_exclusion)
{
	struct shared s = { UK_MUTEX_INITIALIZER, 0, 500, 0 };
	struct uk_thread *t[4];
	int i;

	UK_TEST_EQ(uk_mutex_init(&s.m, "sched_test_mutex"), 0);
	for (i = 0; i < 4; i++)
		UK_TEST_EQ(uk_thread_create(&t[i], "incr", incr_fn, &s, 0),
			     0);
	for (i = 0; i < 4; i++)
		UK_TEST_EQ(uk_thread_join(t[i]), 0);
	UK_TEST_EQ(s.counter, 2000);
	UK_TEST_EQ(s.m.stats->acquisitions, 2000);
	uk_test_log("contended %llu of 2000",
		    (unsigned long long)s.m.stats->contended);
	UK_TEST_EXPECT(s.m.stats->contended > 0);
	UK_TEST_EXPECT(s.m.stats->wait.count == s.m.stats->contended);
	uk_mutex_fini(&s.m);
}

UK_TEST(sched_lock_sleep_while_holding)
{
	struct shared s = { UK_MUTEX_INITIALIZER, 0, 5, 2000 };
	struct uk_store_ref ref;
	struct uk_store_value v;
	struct uk_thread *t[3];
	int i;

	UK_TEST_EQ(uk_mutex_init(&s.m, "sched_sleepy"), 0);
	for (i = 0; i < 3; i++)
		UK_TEST_EQ(uk_thread_create(&t[i], "sleepy", incr_fn, &s,
					      0), 0);
	for (i = 0; i < 3; i++)
		UK_TEST_EQ(uk_thread_join(t[i]), 0);
	UK_TEST_EQ(s.counter, 15);
	/*
	 * The mutex lets its holder re-acquire before a woken waiter runs
	 * (barging), so each of the two others waits at least once.
	 */
	uk_test_log("contended %llu of 15",
		    (unsigned long long)s.m.stats->contended);
	UK_TEST_EXPECT(s.m.stats->contended >= 2);
	/* Waits of >= 2 ms sit above the 1 ms bucket. */
	UK_TEST_EQ(uk_store_lookup("uklock/sched_sleepy/wait_seconds", &ref),
		     0);
	UK_TEST_EQ(uk_store_read(&ref, &v), 0);
	uk_store_ref_put(&ref);
	UK_TEST_EQ(v.type, UK_STORE_HIST);
	UK_TEST_EXPECT(v.hist.count == s.m.stats->contended);
	UK_TEST_EXPECT(v.hist.sum >= 0.002 * (double)s.m.stats->contended);
	UK_TEST_EQ(uk_store_lookup("uklock/sched_sleepy/acquisitions", &ref),
		     0);
	UK_TEST_EQ(uk_store_read(&ref, &v), 0);
	uk_store_ref_put(&ref);
	UK_TEST_EQ(v.u, 15);
	uk_mutex_fini(&s.m);
	UK_TEST_EQ(uk_store_lookup("uklock/sched_sleepy/acquisitions", &ref),
		     -ENOENT);
}

UK_TEST(sched_lock_trylock)
{
	struct uk_mutex m = UK_MUTEX_INITIALIZER;

	UK_TEST_EQ(uk_mutex_trylock(&m), 0);
	UK_TEST_EQ(uk_mutex_trylock(&m), -EBUSY);
	uk_mutex_unlock(&m);
	UK_TEST_EQ(uk_mutex_trylock(&m), 0);
	uk_mutex_unlock(&m);
}

struct pc {
	struct uk_semaphore items;
	int produced;
	int consumed;
};

static void producer_fn(void *arg)
{
	struct pc *p = arg;
	int i;

	for (i = 0; i < 10; i++) {
		uk_thread_sleep_ns(UK_NSEC_PER_MSEC);
		p->produced++;
		uk_semaphore_up(&p->items);
	}
}

UK_TEST(sched_lock_semaphore)
{
	struct pc p = { .produced = 0, .consumed = 0 };
	struct uk_thread *t;
	uint64_t t0;
	int i;

	vclock_start();
	UK_TEST_EQ(uk_semaphore_init(&p.items, "sched_sem", 0), 0);
	UK_TEST_EQ(uk_semaphore_trydown(&p.items), -EAGAIN);
	UK_TEST_EQ(uk_thread_create(&t, "producer", producer_fn, &p, 0), 0);
	for (i = 0; i < 10; i++) {
		uk_semaphore_down(&p.items);
		p.consumed++;
		UK_TEST_EXPECT(p.consumed <= p.produced);
	}
	UK_TEST_EQ(uk_thread_join(t), 0);
	UK_TEST_EQ(p.consumed, 10);
	t0 = uk_wait_now_ns();
	UK_TEST_EQ(uk_semaphore_down_until(&p.items,
					     t0 + 20 * UK_NSEC_PER_MSEC),
		     -ETIMEDOUT);
	UK_TEST_EQ(uk_wait_now_ns() - t0, 20 * UK_NSEC_PER_MSEC);
	/* Each down waited exactly the 1 ms the producer slept. */
	UK_TEST_EQ(p.items.stats->contended, 10);
	UK_TEST_EQ(p.items.stats->wait.count, 10);
	UK_TEST_EXPECT(p.items.stats->wait.sum > 0.0099999 &&
		       p.items.stats->wait.sum < 0.0100001);
	uk_semaphore_fini(&p.items);
	vclock_stop();
}

struct cv {
	struct uk_mutex m;
	struct uk_condvar c;
	int ready;
	int seen;
};

static void cv_waiter(void *arg)
{
	struct cv *c = arg;

	uk_mutex_lock(&c->m);
	while (!c->ready)
		uk_condvar_wait(&c->c, &c->m);
	c->seen++;
	uk_mutex_unlock(&c->m);
}

UK_TEST(sched_lock_condvar)
{
	struct cv c = { .ready = 0, .seen = 0 };
	struct uk_thread *t[3];
	uint64_t t0;
	int i;

	UK_TEST_EQ(uk_mutex_init(&c.m, NULL), 0);
	UK_TEST_EQ(uk_condvar_init(&c.c, "sched_cv"), 0);
	for (i = 0; i < 3; i++)
		UK_TEST_EQ(uk_thread_create(&t[i], "cv", cv_waiter, &c, 0),
			     0);
	uk_thread_sleep_ns(2 * UK_NSEC_PER_MSEC);
	UK_TEST_EQ(c.seen, 0);
	uk_mutex_lock(&c.m);
	c.ready = 1;
	uk_condvar_broadcast(&c.c);
	uk_mutex_unlock(&c.m);
	for (i = 0; i < 3; i++)
		UK_TEST_EQ(uk_thread_join(t[i]), 0);
	UK_TEST_EQ(c.seen, 3);

	vclock_start();
	uk_mutex_lock(&c.m);
	t0 = uk_wait_now_ns();
	UK_TEST_EQ(uk_condvar_wait_until(&c.c, &c.m,
					   t0 + 10 * UK_NSEC_PER_MSEC),
		     -ETIMEDOUT);
	UK_TEST_EQ(uk_wait_now_ns() - t0, 10 * UK_NSEC_PER_MSEC);
	/* The mutex is held again on return. */
	UK_TEST_EQ(uk_mutex_trylock(&c.m), -EBUSY);
	uk_mutex_unlock(&c.m);
	vclock_stop();
	uk_condvar_fini(&c.c);
	uk_mutex_fini(&c.m);
}

/* A figure, not a bound: an uncontended lock and unlock, unnamed and named. */
UK_TEST(sched_lock_cost)
{
	struct uk_mutex m = UK_MUTEX_INITIALIZER;
	uint64_t t0, ns[2];
	int n = 100000, i, named;

	for (named = 0; named < 2; named++) {
		if (named)
			UK_TEST_EQ(uk_mutex_init(&m, "sched_lock_cost"), 0);
		t0 = uk_plat_time_mono_ns();
		for (i = 0; i < n; i++) {
			uk_mutex_lock(&m);
			uk_mutex_unlock(&m);
		}
		ns[named] = uk_plat_time_mono_ns() - t0;
	}
	uk_mutex_fini(&m);
	uk_test_log("uncontended lock+unlock: %llu ns unnamed, %llu ns named",
		    (unsigned long long)(ns[0] / (uint64_t)n),
		    (unsigned long long)(ns[1] / (uint64_t)n));
}
