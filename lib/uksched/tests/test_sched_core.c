/*
 * The cores without their statistics libraries: a program that links
 * uksched and uklock but neither uksched_stats, uklock_stats nor ukstore
 * (test-uksched-core).  Threads, sleeps and locks work; a lock's name is
 * ignored (no statistics are allocated); threads have no folder; and the
 * store is not linked at all (a weak reference to it resolves to NULL).
 */
#include <errno.h>
#include <stddef.h>

#include <uk/lock.h>
#include <uk/plat/time.h>
#include <uk/sched.h>
#include <uk/test.h>
#include <uk/thread.h>
#include <uk/wait.h>

/* Weak: NULL unless something linked the store or the statistics. */
extern int uk_store_folder_add() __attribute__((weak));
extern int _uklock_stats_attach() __attribute__((weak));
extern void _uksched_stats_thread_new() __attribute__((weak));

static void incr_fn(void *arg)
{
	struct uk_mutex *m = arg;
	int i;

	for (i = 0; i < 100; i++) {
		uk_mutex_lock(m);
		uk_thread_yield(); /* the others contend */
		uk_mutex_unlock(m);
	}
}

UK_TEST(core_no_store_linked)
{
	UK_TEST_ASSERT(uk_store_folder_add == NULL);
	UK_TEST_ASSERT(_uklock_stats_attach == NULL);
	UK_TEST_ASSERT(_uksched_stats_thread_new == NULL);
}

UK_TEST(core_threads_have_no_folder)
{
	struct uk_mutex m = UK_MUTEX_INITIALIZER;
	struct uk_sched_thread_info ti;
	struct uk_thread *t;

	UK_TEST_EQ(uk_thread_create(&t, "worker", incr_fn, &m, 0), 0);
	UK_TEST_EQ(uk_sched_thread_info(t, &ti), 0);
	UK_TEST_ASSERT(ti.folder == NULL);
	UK_TEST_EQ(uk_sched_thread_info(uk_sched_current(), &ti), 0);
	UK_TEST_ASSERT(ti.folder == NULL);
	UK_TEST_EQ(uk_thread_join(t), 0);
}

UK_TEST(core_named_lock_works_unnamed)
{
	struct uk_mutex m;
	struct uk_semaphore s;
	struct uk_condvar c;
	struct uk_thread *t[3];
	int i;

	UK_TEST_EQ(uk_mutex_init(&m, "core_mutex"), 0);
	UK_TEST_ASSERT(m.stats == NULL);
	UK_TEST_EQ(uk_semaphore_init(&s, "core_sem", 1), 0);
	UK_TEST_ASSERT(s.stats == NULL);
	UK_TEST_EQ(uk_condvar_init(&c, "core_cv"), 0);
	UK_TEST_ASSERT(c.stats == NULL);
	for (i = 0; i < 3; i++)
		UK_TEST_EQ(uk_thread_create(&t[i], "incr", incr_fn, &m, 0),
			     0);
	for (i = 0; i < 3; i++)
		UK_TEST_EQ(uk_thread_join(t[i]), 0);
	UK_TEST_EQ(uk_semaphore_trydown(&s), 0);
	UK_TEST_EQ(uk_semaphore_trydown(&s), -EAGAIN);
	uk_condvar_fini(&c);
	uk_semaphore_fini(&s);
	uk_mutex_fini(&m);
}

UK_TEST(core_sleep)
{
	uint64_t t0 = uk_wait_now_ns();

	uk_thread_sleep_ns(UK_NSEC_PER_MSEC);
	UK_TEST_EXPECT(uk_wait_now_ns() - t0 >= UK_NSEC_PER_MSEC);
}
