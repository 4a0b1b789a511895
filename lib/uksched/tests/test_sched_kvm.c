/*
 * uksched cases that only mean something in the kernel (sched-test.elf):
 * sleeps on the real timer with the tickless idle (HLT until the next
 * deadline) never end early, several sleepers sharing the timer wake in
 * deadline order, an idle period costs only the two switches around it,
 * and errno is per thread through nolibc's errno macro.  How late a
 * sleep ends depends on the host's load: it is printed, never bounded
 * (the exact timing is checked on the virtual clock in test_sched.c).
 * The generic cases of test_sched.c and test_sched_locks.c are linked
 * into the same image.
 */
#include <errno.h>
#include <string.h>

#include <uk/plat/time.h>
#include <uk/sched.h>
#include <uk/test.h>
#include <uk/thread.h>

UK_TEST(kvm_sleep_never_early)
{
	static const uint64_t ms[] = { 10, 50, 100 };
	unsigned int i;

	for (i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
		uint64_t want = ms[i] * UK_NSEC_PER_MSEC;
		uint64_t t0 = uk_plat_time_mono_ns(), el;

		uk_thread_sleep_ns(want);
		el = uk_plat_time_mono_ns() - t0;
		uk_test_log("sleep %llu ms: error %llu us",
			    (unsigned long long)ms[i],
			    (unsigned long long)((el - want) / 1000));
		UK_TEST_EXPECT(el >= want);
	}
}

struct timed {
	uint64_t ns;
	uint64_t slept;
	char id;
	char *order;
	int *n;
};

static void timed_sleep(void *arg)
{
	struct timed *t = arg;
	uint64_t t0 = uk_plat_time_mono_ns();

	uk_thread_sleep_ns(t->ns);
	t->slept = uk_plat_time_mono_ns() - t0;
	t->order[(*t->n)++] = t->id;
}

UK_TEST(kvm_many_sleepers)
{
	struct timed tm[6];
	struct uk_thread *t[6];
	uint64_t worst = 0;
	char order[7] = { 0 };
	int i, n = 0;

	for (i = 0; i < 6; i++) {
		tm[i] = (struct timed){ (uint64_t)(6 - i) * 7 *
					UK_NSEC_PER_MSEC, 0, (char)('6' - i),
					order, &n };
		UK_TEST_EQ(uk_thread_create(&t[i], "timed", timed_sleep,
					      &tm[i], 0), 0);
	}
	for (i = 0; i < 6; i++) {
		UK_TEST_EQ(uk_thread_join(t[i]), 0);
		UK_TEST_EXPECT(tm[i].slept >= tm[i].ns);
		if (tm[i].slept - tm[i].ns > worst)
			worst = tm[i].slept - tm[i].ns;
	}
	uk_test_log("6 sleepers 7..42 ms: worst lateness %llu us",
		    (unsigned long long)(worst / 1000));
	/* One timer serves them all, nearest deadline first. */
	UK_TEST_STREQ(order, "123456");
}

UK_TEST(kvm_idle_is_tickless)
{
	uint64_t s0 = uk_sched_switch_count(), i0 = uk_sched_idle_ns();
	uint64_t ds, di;

	uk_thread_sleep_ns(200 * UK_NSEC_PER_MSEC);
	ds = uk_sched_switch_count() - s0;
	di = uk_sched_idle_ns() - i0;
	uk_test_log("200 ms asleep: %llu switches, %llu ms idle",
		    (unsigned long long)ds,
		    (unsigned long long)(di / UK_NSEC_PER_MSEC));
	/* Into idle and back: halting does not wake the scheduler. */
	UK_TEST_EXPECT(ds <= 4);
	UK_TEST_EXPECT(di >= 180 * UK_NSEC_PER_MSEC);
}

static void errno_fn(void *arg)
{
	errno = EINVAL;
	uk_thread_yield();
	*(int *)arg = errno;
}

UK_TEST(kvm_errno_per_thread)
{
	struct uk_thread *t;
	int seen = 0;

	errno = ENOENT;
	UK_TEST_EQ(uk_thread_create(&t, "errno", errno_fn, &seen, 0), 0);
	uk_thread_yield();
	UK_TEST_EQ(errno, ENOENT);
	UK_TEST_EQ(uk_thread_join(t), 0);
	UK_TEST_EQ(seen, EINVAL);
}
