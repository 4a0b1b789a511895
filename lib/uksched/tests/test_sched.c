/*
 * uksched's own behaviour, run as a linuxu program (one Linux thread
 * hosting all cooperative threads) and in the kernel image: create/join/
 * exit, round-robin yield order, sleep order, wait/wake with deadlines,
 * per-thread errno, CPU time and switch counts, the idle thread, and the
 * per-thread store folders (uksched_stats) appearing at create and
 * vanishing at exit.  Timing is checked exactly on the virtual clock of
 * vclock.h; on the platform's clock only that a sleep never ends early
 * (how late it ends is printed, a figure, never a bound).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <uk/arch/ctx.h>
#include <uk/plat/time.h>
#include <uk/sched.h>
#include <uk/store.h>
#include <uk/test.h>
#include <uk/thread.h>
#include <uk/wait.h>

#include "vclock.h"

int *__uk_errno_location(void);

static void set_flag(void *arg)
{
	*(int *)arg = 1;
}

UK_TEST(sched_create_join)
{
	struct uk_thread *t;
	unsigned int before = uk_sched_thread_count();
	int flag = 0;

	UK_TEST_EQ(uk_thread_create(&t, "flag", set_flag, &flag, 0), 0);
	/* Cooperative: the new thread has not run yet. */
	UK_TEST_EQ(flag, 0);
	UK_TEST_EQ(uk_sched_thread_count(), before + 1);
	UK_TEST_EQ(uk_thread_join(t), 0);
	UK_TEST_EQ(flag, 1);
	UK_TEST_EQ(uk_sched_thread_count(), before);
	UK_TEST_STREQ(uk_thread_name(), "main");
}

UK_TEST(sched_create_join_errors)
{
	struct uk_thread *t;

	UK_TEST_EQ(uk_thread_create(NULL, "x", set_flag, NULL, 0), -EINVAL);
	UK_TEST_EQ(uk_thread_create(&t, "x", NULL, NULL, 0), -EINVAL);
	UK_TEST_EQ(uk_thread_join(NULL), -EINVAL);
	UK_TEST_EQ(uk_thread_join(uk_sched_current()), -EINVAL);
}

struct order {
	char buf[64];
	int len;
};

struct yielder {
	struct order *o;
	char c;
	int rounds;
};

static void yield_fn(void *arg)
{
	struct yielder *y = arg;
	int i;

	for (i = 0; i < y->rounds; i++) {
		y->o->buf[y->o->len++] = y->c;
		uk_thread_yield();
	}
}

UK_TEST(sched_yield_round_robin)
{
	struct order o = { { 0 }, 0 };
	struct yielder y[3] = { { &o, 'A', 3 }, { &o, 'B', 3 },
				{ &o, 'C', 3 } };
	struct uk_thread *t[3];
	int i;

	for (i = 0; i < 3; i++)
		UK_TEST_EQ(uk_thread_create(&t[i], "yielder", yield_fn,
					      &y[i], 0), 0);
	for (i = 0; i < 3; i++)
		UK_TEST_EQ(uk_thread_join(t[i]), 0);
	UK_TEST_STREQ(o.buf, "ABCABCABC");
	/* Yield with nobody else ready returns at once. */
	uk_thread_yield();
}

struct sleeper {
	struct order *o;
	char c;
	uint64_t ns;
};

static void sleep_fn(void *arg)
{
	struct sleeper *s = arg;

	uk_thread_sleep_ns(s->ns);
	s->o->buf[s->o->len++] = s->c;
}

UK_TEST(sched_sleep_order)
{
	struct order o = { { 0 }, 0 };
	struct sleeper s[4] = {
		{ &o, '3', 30 * UK_NSEC_PER_MSEC },
		{ &o, '1', 10 * UK_NSEC_PER_MSEC },
		{ &o, '4', 40 * UK_NSEC_PER_MSEC },
		{ &o, '2', 20 * UK_NSEC_PER_MSEC },
	};
	struct uk_thread *t[4];
	uint64_t t0;
	int i;

	vclock_start();
	t0 = vclock_now();
	for (i = 0; i < 4; i++)
		UK_TEST_EQ(uk_thread_create(&t[i], "sleeper", sleep_fn,
					      &s[i], 0), 0);
	for (i = 0; i < 4; i++)
		UK_TEST_EQ(uk_thread_join(t[i]), 0);
	vclock_stop();
	UK_TEST_STREQ(o.buf, "1234");
	/* The last deadline, and not a nanosecond more, has passed. */
	UK_TEST_EQ(vclock_now() - t0, 40 * UK_NSEC_PER_MSEC);
}

/* On the virtual clock a sleep lasts exactly its length, all of it idle. */
UK_TEST(sched_sleep_exact)
{
	static const uint64_t ns[] = { 1, 1000, UK_NSEC_PER_MSEC,
				       50 * UK_NSEC_PER_MSEC, UK_NSEC_PER_SEC };
	unsigned int i;

	vclock_start();
	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		uint64_t t0 = uk_wait_now_ns(), i0 = uk_sched_idle_ns();

		uk_thread_sleep_ns(ns[i]);
		UK_TEST_EQ(uk_wait_now_ns() - t0, ns[i]);
		UK_TEST_EQ(uk_sched_idle_ns() - i0, ns[i]);
	}
	vclock_stop();
}

/* On the platform's clock: never early; the lateness is a figure. */
UK_TEST(sched_sleep_never_early)
{
	static const uint64_t ms[] = { 1, 10, 50 };
	unsigned int i;

	for (i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
		uint64_t t0 = uk_plat_time_mono_ns(), el;

		uk_thread_sleep_ns(ms[i] * UK_NSEC_PER_MSEC);
		el = uk_plat_time_mono_ns() - t0;
		uk_test_log("sleep %llu ms: slept %llu us",
			    (unsigned long long)ms[i],
			    (unsigned long long)(el / 1000));
		UK_TEST_EXPECT(el >= ms[i] * UK_NSEC_PER_MSEC);
	}
}

struct waiter {
	uint32_t *word;
	uint64_t deadline;
	int rc;
	int done;
	struct order *o;
	char c;
};

static void wait_fn(void *arg)
{
	struct waiter *w = arg;

	w->rc = uk_wait_on(w->word, 0, w->deadline);
	w->done = 1;
	if (w->o)
		w->o->buf[w->o->len++] = w->c;
}

UK_TEST(sched_wait_wake)
{
	uint32_t word = 0;
	struct waiter w = { &word, 0, 99, 0, NULL, 0 };
	struct uk_thread *t;

	UK_TEST_EQ(uk_thread_create(&t, "waiter", wait_fn, &w, 0), 0);
	uk_thread_yield();
	UK_TEST_EQ(w.done, 0);
	/* A wake on another address leaves it blocked. */
	uk_wake(&word + 1, -1);
	uk_thread_yield();
	UK_TEST_EQ(w.done, 0);
	word = 1;
	uk_wake(&word, 1);
	UK_TEST_EQ(uk_thread_join(t), 0);
	UK_TEST_EQ(w.done, 1);
	UK_TEST_EQ(w.rc, 0);
	/* The value differs: no wait at all. */
	UK_TEST_EQ(uk_wait_on(&word, 0, 0), 0);
}

UK_TEST(sched_wait_deadline)
{
	uint32_t word = 0;
	uint64_t t0, s0;

	vclock_start();
	t0 = uk_wait_now_ns();
	UK_TEST_EQ(uk_wait_on(&word, 0, t0 + 20 * UK_NSEC_PER_MSEC),
		     -ETIMEDOUT);
	UK_TEST_EQ(uk_wait_now_ns() - t0, 20 * UK_NSEC_PER_MSEC);
	/* A deadline already past times out without blocking. */
	s0 = uk_sched_switch_count();
	UK_TEST_EQ(uk_wait_on(&word, 0, 1), -ETIMEDOUT);
	UK_TEST_EQ(uk_wait_on(&word, 0, uk_wait_now_ns()), -ETIMEDOUT);
	UK_TEST_EQ(uk_sched_switch_count(), s0);
	vclock_stop();
	/* The platform's clock: never early. */
	t0 = uk_plat_time_mono_ns();
	UK_TEST_EQ(uk_wait_on(&word, 0, t0 + 5 * UK_NSEC_PER_MSEC),
		     -ETIMEDOUT);
	UK_TEST_EXPECT(uk_plat_time_mono_ns() - t0 >= 5 * UK_NSEC_PER_MSEC);
}

UK_TEST(sched_wake_before_deadline)
{
	uint32_t word = 0;
	struct waiter w = { &word, 0, 99, 0, NULL, 0 };
	struct uk_thread *t;

	uint64_t t0;

	vclock_start();
	t0 = uk_wait_now_ns();
	w.deadline = t0 + 5 * UK_NSEC_PER_SEC;
	UK_TEST_EQ(uk_thread_create(&t, "waiter", wait_fn, &w, 0), 0);
	uk_thread_sleep_ns(5 * UK_NSEC_PER_MSEC);
	UK_TEST_EQ(w.done, 0);
	uk_wake(&word, -1);
	UK_TEST_EQ(uk_thread_join(t), 0);
	UK_TEST_EQ(w.rc, 0);
	/*
	 * The woken thread left the sleeper list: the next sleep is not
	 * cut short, nor stretched to its old deadline.
	 */
	uk_thread_sleep_ns(UK_NSEC_PER_MSEC);
	UK_TEST_EQ(uk_wait_now_ns() - t0, 6 * UK_NSEC_PER_MSEC);
	vclock_stop();
}

UK_TEST(sched_wake_count_fifo)
{
	uint32_t word = 0;
	struct order o = { { 0 }, 0 };
	struct waiter w[3] = {
		{ &word, 0, 99, 0, &o, 'a' },
		{ &word, 0, 99, 0, &o, 'b' },
		{ &word, 0, 99, 0, &o, 'c' },
	};
	struct uk_thread *t[3];
	int i;

	for (i = 0; i < 3; i++)
		UK_TEST_EQ(uk_thread_create(&t[i], "waiter", wait_fn, &w[i],
					      0), 0);
	uk_thread_yield(); /* all three block */
	uk_wake(&word, 1);
	uk_thread_yield();
	UK_TEST_STREQ(o.buf, "a");
	uk_wake(&word, -1);
	for (i = 0; i < 3; i++)
		UK_TEST_EQ(uk_thread_join(t[i]), 0);
	UK_TEST_STREQ(o.buf, "abc");
}

static void exit_early(void *arg)
{
	*(int *)arg = 1;
	uk_thread_exit();
	*(int *)arg = 2; /* never reached */
}

UK_TEST(sched_exit)
{
	struct uk_thread *t;
	int v = 0;

	UK_TEST_EQ(uk_thread_create(&t, "exiter", exit_early, &v, 0), 0);
	UK_TEST_EQ(uk_thread_join(t), 0);
	UK_TEST_EQ(v, 1);
}

static void errno_fn(void *arg)
{
	int *p = __uk_errno_location();

	*p = 42;
	uk_thread_yield();
	*(int *)arg = *__uk_errno_location();
}

UK_TEST(sched_errno_per_thread)
{
	struct uk_thread *t;
	int seen = 0;

	*__uk_errno_location() = 7;
	UK_TEST_EQ(uk_thread_create(&t, "errno", errno_fn, &seen, 0), 0);
	uk_thread_yield();
	UK_TEST_EQ(*__uk_errno_location(), 7);
	UK_TEST_EQ(uk_thread_join(t), 0);
	UK_TEST_EQ(seen, 42);
}

/* Computes for *arg ns of virtual time, around five yields. */
static void spin_fn(void *arg)
{
	int i;

	for (i = 0; i < 5; i++)
		uk_thread_yield();
	vclock_advance(*(uint64_t *)arg);
}

UK_TEST(sched_cpu_time_and_switches)
{
	uint64_t spin = 20 * UK_NSEC_PER_MSEC, total0, main0;
	struct uk_sched_thread_info ti;
	struct uk_thread *t;

	vclock_start();
	UK_TEST_EQ(uk_sched_thread_info(uk_sched_current(), &ti), 0);
	main0 = ti.cpu_ns;
	total0 = uk_sched_switch_count();
	UK_TEST_EQ(uk_thread_create(&t, "spinner", spin_fn, &spin, 0), 0);
	/*
	 * Yield (rather than sleep) so that each of its yields switches
	 * back here, until it has exited (not joined yet).
	 */
	while (uk_sched_thread_info(t, &ti) == 0 &&
	       ti.state != UK_SCHED_EXITED)
		uk_thread_yield();
	UK_TEST_EQ(uk_sched_thread_info(t, &ti), 0);
	uk_test_log("spinner: cpu %llu us, %llu switches",
		    (unsigned long long)(ti.cpu_ns / 1000),
		    (unsigned long long)ti.switches);
	/* Switched in at start and after each of its 5 yields. */
	UK_TEST_EQ(ti.cpu_ns, spin);
	UK_TEST_EQ(ti.switches, 6);
	UK_TEST_EQ(uk_sched_switch_count(), total0 + 12);
	UK_TEST_EQ(uk_thread_join(t), 0);
	UK_TEST_EQ(uk_sched_thread_info(uk_sched_current(), &ti), 0);
	/* Main ran no virtual time at all: the spinner's was its own. */
	UK_TEST_EQ(ti.cpu_ns, main0);
	UK_TEST_EXPECT(ti.state == UK_SCHED_RUNNING);
	vclock_stop();
	UK_TEST_EQ(uk_sched_thread_info(uk_sched_current(), &ti), 0);
	UK_TEST_EXPECT(ti.cpu_ns > 0);
}

UK_TEST(sched_idle_time)
{
	uint64_t i0, di;

	vclock_start();
	i0 = uk_sched_idle_ns();
	uk_thread_sleep_ns(50 * UK_NSEC_PER_MSEC);
	UK_TEST_EQ(uk_sched_idle_ns() - i0, 50 * UK_NSEC_PER_MSEC);
	vclock_stop();
	/* The platform's clock: the figure only. */
	i0 = uk_sched_idle_ns();
	uk_thread_sleep_ns(50 * UK_NSEC_PER_MSEC);
	di = uk_sched_idle_ns() - i0;
	uk_test_log("idle %llu us while main slept 50 ms",
		    (unsigned long long)(di / 1000));
}

static int count_fn(void *arg, const struct uk_sched_thread_info *ti)
{
	int *n = arg;

	if (!strcmp(ti->name, "main") || ti->is_idle)
		n[0]++;
	n[1]++;
	return 0;
}

UK_TEST(sched_foreach)
{
	struct uk_thread *t;
	int flag = 0, n[2] = { 0, 0 };

	UK_TEST_EQ(uk_thread_create(&t, "other", set_flag, &flag, 0), 0);
	UK_TEST_EQ(uk_sched_thread_foreach(count_fn, n), 0);
	UK_TEST_EQ(n[0], 2);
	UK_TEST_EQ(n[1], 3);
	UK_TEST_EQ(uk_thread_join(t), 0);
}

static int read_u64(const char *path, uint64_t *out)
{
	struct uk_store_value v;
	int rc = uk_store_read_path(path, &v);

	if (!rc)
		*out = v.type == UK_STORE_DOUBLE ? (uint64_t)(v.d * 1e9) : v.u;
	return rc;
}

static void park_fn(void *arg)
{
	uk_wait_on(arg, 0, 0);
}

UK_TEST(sched_store_folders)
{
	struct uk_sched_thread_info ti;
	struct uk_thread *a, *b;
	uint32_t word = 0;
	uint64_t v;
	char path[96];

	UK_TEST_EQ(uk_thread_create(&a, "worker", park_fn, &word, 0), 0);
	UK_TEST_EQ(uk_thread_create(&b, "worker", park_fn, &word, 0), 0);
	uk_thread_yield();
	UK_TEST_EQ(read_u64("uksched/worker/switches", &v), 0);
	UK_TEST_EXPECT(v >= 1);
	/* The second "worker" gets a unique folder name. */
	UK_TEST_EQ(uk_sched_thread_info(b, &ti), 0);
	UK_TEST_ASSERT(ti.folder != NULL);
	UK_TEST_ASSERT(strcmp(ti.folder, "worker") != 0);
	snprintf(path, sizeof(path), "uksched/%s/cpu_seconds", ti.folder);
	UK_TEST_EQ(read_u64(path, &v), 0);
	UK_TEST_EQ(read_u64("uksched/main/cpu_seconds", &v), 0);
	UK_TEST_EXPECT(v > 0);
	UK_TEST_EQ(read_u64("uksched/idle/switches", &v), 0);
	UK_TEST_EQ(read_u64("uksched/threads", &v), 0);
	UK_TEST_EQ(v, uk_sched_thread_count());
	UK_TEST_EQ(read_u64("uksched/context_switches", &v), 0);
	UK_TEST_EXPECT(v > 0);
	UK_TEST_EQ(read_u64("uksched/idle_seconds", &v), 0);

	word = 1;
	uk_wake(&word, -1);
	UK_TEST_EQ(uk_thread_join(a), 0);
	UK_TEST_EQ(uk_thread_join(b), 0);
	UK_TEST_EQ(read_u64("uksched/worker/switches", &v), -ENOENT);
	UK_TEST_EQ(read_u64(path, &v), -ENOENT);
}

UK_TEST(sched_folder_outlives_join)
{
	struct uk_store_ref ref;
	struct uk_store_value v;
	struct uk_thread *t;
	int flag = 0;

	UK_TEST_EQ(uk_thread_create(&t, "held", set_flag, &flag, 0), 0);
	UK_TEST_EQ(uk_store_lookup("uksched/held/switches", &ref), 0);
	UK_TEST_EQ(uk_thread_join(t), 0);
	/* A scrape still holding the folder reads the joined thread. */
	UK_TEST_EQ(uk_store_read(&ref, &v), 0);
	UK_TEST_EXPECT(v.u >= 1);
	uk_store_ref_put(&ref);
}

static void nop_fn(void *arg)
{
	(*(int *)arg)++;
}

UK_TEST(sched_many_threads)
{
	struct uk_thread *t[200];
	int n = 0, i;

	for (i = 0; i < 200; i++)
		UK_TEST_EQ(uk_thread_create(&t[i], "many", nop_fn, &n,
					      i % 2 ? 0 : 16384), 0);
	for (i = 0; i < 200; i++)
		UK_TEST_EQ(uk_thread_join(t[i]), 0);
	UK_TEST_EQ(n, 200);
}

struct fpctl {
	uint32_t mxcsr;
	uint16_t fcw;
};

static void fp_fn(void *arg)
{
	struct fpctl *seen = arg;

	/* A fresh thread starts from the defaults, whatever its creator has. */
	seen[0].mxcsr = uk_arch_mxcsr_read();
	seen[0].fcw = uk_arch_fcw_read();
	uk_arch_mxcsr_write(UK_ARCH_MXCSR_DEFAULT | 0x2000); /* round down */
	uk_arch_fcw_write(UK_ARCH_FCW_DEFAULT | 0x0c00);     /* truncate */
	uk_thread_yield();
	seen[1].mxcsr = uk_arch_mxcsr_read();
	seen[1].fcw = uk_arch_fcw_read();
}

UK_TEST(sched_fp_control_per_thread)
{
	uint32_t mxcsr0 = uk_arch_mxcsr_read();
	uint16_t fcw0 = uk_arch_fcw_read();
	struct fpctl seen[2];
	struct uk_thread *t;

	uk_arch_mxcsr_write(mxcsr0 | 0x6000); /* round toward zero */
	UK_TEST_EQ(uk_thread_create(&t, "fp", fp_fn, seen, 0), 0);
	uk_thread_yield();
	/* fp_fn changed its own state and yielded back: ours is intact. */
	UK_TEST_EXPECT(uk_arch_mxcsr_read() == (mxcsr0 | 0x6000));
	UK_TEST_EXPECT(uk_arch_fcw_read() == fcw0);
	UK_TEST_EQ(uk_thread_join(t), 0);
	uk_arch_mxcsr_write(mxcsr0);
	UK_TEST_EQ(seen[0].mxcsr, UK_ARCH_MXCSR_DEFAULT);
	UK_TEST_EQ(seen[0].fcw, UK_ARCH_FCW_DEFAULT);
	UK_TEST_EQ(seen[1].mxcsr, UK_ARCH_MXCSR_DEFAULT | 0x2000);
	UK_TEST_EQ(seen[1].fcw, UK_ARCH_FCW_DEFAULT | 0x0c00);
}

static void pingpong_fn(void *arg)
{
	int i;

	for (i = 0; i < *(int *)arg; i++)
		uk_thread_yield();
}

UK_TEST(sched_switch_cost)
{
	int n = 20000, i;
	uint64_t s0 = uk_sched_switch_count(), t0, el, ds;
	struct uk_thread *t;

	UK_TEST_EQ(uk_thread_create(&t, "pingpong", pingpong_fn, &n, 0), 0);
	t0 = uk_plat_time_mono_ns();
	for (i = 0; i < n; i++)
		uk_thread_yield();
	el = uk_plat_time_mono_ns() - t0;
	ds = uk_sched_switch_count() - s0;
	UK_TEST_EQ(uk_thread_join(t), 0);
	UK_TEST_EXPECT(ds >= 2 * (uint64_t)n);
	uk_test_log("%llu switches in %llu us: %llu ns per yield-switch",
		    (unsigned long long)ds, (unsigned long long)(el / 1000),
		    (unsigned long long)(el / (ds ? ds : 1)));
}
