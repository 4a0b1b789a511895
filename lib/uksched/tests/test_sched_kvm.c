/*
 * uksched cases that only mean something in the kernel (sched-test.elf):
 * sleeps on the real timer with the tickless idle (HLT until the next
 * deadline) never end early, several sleepers sharing the timer wake in
 * deadline order, an idle period costs only the two switches around it,
 * errno is per thread through nolibc's errno macro, and the CPU modes
 * add up on the real clock with the timer's interrupt counted as irq.  How late a
 * sleep ends depends on the host's load: it is printed, never bounded
 * (the exact timing is checked on the virtual clock in test_sched.c).
 * The generic cases of test_sched.c and test_sched_locks.c are linked
 * into the same image.
 */
#include <errno.h>
#include <string.h>

#include <uk/arch/cpu.h>
#include <uk/plat/irq.h>
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

/*
 * On the platform's clock the modes add up to the elapsed time (within
 * 1%: the reads around them are the only slack), a sleep is idle less
 * the timer interrupt that ends it, which counts as irq, and computing
 * is user.  The mean time per interrupt and the cost of the two TSC
 * reads that time it are figures.
 */
UK_TEST(kvm_cpu_modes_add_up)
{
	struct uk_sched_cpu_times a, b;
	uint64_t t0, t1, n0, n1, sum = 0, d[UK_SCHED_CPU_MODES], spin_end;
	uint64_t c0, c1, acc = 0;
	int m, i;

	n0 = uk_plat_irq_count();
	t0 = uk_plat_time_mono_ns();
	uk_sched_cpu_times(&a);
	uk_thread_sleep_ns(100 * UK_NSEC_PER_MSEC);
	spin_end = uk_plat_time_mono_ns() + 20 * UK_NSEC_PER_MSEC;
	while (uk_plat_time_mono_ns() < spin_end)
		;
	uk_sched_cpu_times(&b);
	t1 = uk_plat_time_mono_ns();
	n1 = uk_plat_irq_count();
	for (m = 0; m < UK_SCHED_CPU_MODES; m++) {
		d[m] = b.ns[m] - a.ns[m];
		sum += d[m];
	}
	uk_test_log("120 ms: user %llu us, system %llu, irq %llu, softirq "
		    "%llu, idle %llu; sum %llu of %llu us; %llu interrupts",
		    (unsigned long long)(d[UK_SCHED_CPU_USER] / 1000),
		    (unsigned long long)(d[UK_SCHED_CPU_SYSTEM] / 1000),
		    (unsigned long long)(d[UK_SCHED_CPU_IRQ] / 1000),
		    (unsigned long long)(d[UK_SCHED_CPU_SOFTIRQ] / 1000),
		    (unsigned long long)(d[UK_SCHED_CPU_IDLE] / 1000),
		    (unsigned long long)(sum / 1000),
		    (unsigned long long)((t1 - t0) / 1000),
		    (unsigned long long)(n1 - n0));
	UK_TEST_EXPECT(sum <= t1 - t0);
	UK_TEST_EXPECT(sum >= (t1 - t0) - (t1 - t0) / 100);
	UK_TEST_EXPECT(n1 > n0); /* at least the timer that ended the sleep */
	UK_TEST_EXPECT(d[UK_SCHED_CPU_IRQ] > 0);
	UK_TEST_EXPECT(d[UK_SCHED_CPU_IDLE] >= 80 * UK_NSEC_PER_MSEC);
	UK_TEST_EXPECT(d[UK_SCHED_CPU_USER] >= 20 * UK_NSEC_PER_MSEC);
	if (n1 > n0)
		uk_test_log("mean time in an interrupt: %llu ns",
			    (unsigned long long)(d[UK_SCHED_CPU_IRQ] /
						 (n1 - n0)));
	/* What the accounting adds to each interrupt: two TSC reads and an
	 * add (a figure; under TCG a TSC read is an emulator helper). */
	c0 = uk_plat_time_mono_ns();
	for (i = 0; i < 100000; i++) {
		uint64_t s = uk_arch_rdtsc();

		acc += uk_arch_rdtsc() - s;
		__asm__ __volatile__("" : "+r"(acc));
	}
	c1 = uk_plat_time_mono_ns();
	uk_test_log("interrupt timing: %llu ns per interrupt (2 TSC reads)",
		    (unsigned long long)((c1 - c0) / 100000));
}
