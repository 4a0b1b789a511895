/*
 * uksched's CPU accounting, on the virtual clock of vclock.h (exact,
 * whatever the host's load), run as a linuxu program and in the kernel
 * image: time by mode (user, system, softirq, irq, idle) adding up to the
 * elapsed time, interrupt time taken out of the interrupted thread (idle
 * included), thread classes and their inheritance, the class setters'
 * errors, the running, blocked and fork counts, the load averages against
 * golden values of Linux's fixed-point calc_load (computed from its
 * formula, independently of this code), and the store's entries for
 * them.
 */
#include <errno.h>
#include <stdint.h>

#include <uk/plat/time.h>
#include <uk/sched.h>
#include <uk/store.h>
#include <uk/store_publish.h>
#include <uk/store_test.h>
#include <uk/test.h>
#include <uk/thread.h>
#include <uk/wait.h>

#include "vclock.h"

#define MS UK_NSEC_PER_MSEC
#define SEC UK_NSEC_PER_SEC

static void times_delta(const struct uk_sched_cpu_times *a,
			const struct uk_sched_cpu_times *b,
			struct uk_sched_cpu_times *d)
{
	for (int i = 0; i < UK_SCHED_CPU_MODES; i++)
		d->ns[i] = b->ns[i] - a->ns[i];
}

static uint64_t times_sum(const struct uk_sched_cpu_times *d)
{
	uint64_t s = 0;

	for (int i = 0; i < UK_SCHED_CPU_MODES; i++)
		s += d->ns[i];
	return s;
}

struct work {
	uint64_t run_ns; /* virtual time it computes */
	uint64_t irq_ns; /* of which an interrupt takes */
	enum uk_sched_cpu_mode cls_seen;
};

static void work_fn(void *arg)
{
	struct work *w = arg;

	w->cls_seen = uk_sched_thread_class(uk_sched_current());
	vclock_advance(w->run_ns - w->irq_ns);
	if (w->irq_ns)
		vclock_irq(w->irq_ns);
}

static int spawn(struct uk_thread **t, struct work *w,
		 enum uk_thread_class cls)
{
	int rc = uk_thread_create(t, "cpuwork", work_fn, w, 0);

	if (!rc)
		rc = uk_thread_set_class(*t, cls);
	return rc;
}

/* Every virtual ns lands in exactly one mode, and in the right one. */
UK_TEST(sched_cpu_modes_add_up)
{
	struct uk_sched_cpu_times a, b, d;
	struct uk_sched_thread_info ti;
	struct work ws = { .run_ns = 20 * MS, .irq_ns = 2 * MS };
	struct work wq = { .run_ns = 5 * MS };
	struct uk_thread *ts, *tq;
	uint64_t t0, main0;

	vclock_start();
	uk_sched_cpu_times(&a);
	t0 = vclock_now();
	UK_TEST_EQ(uk_sched_thread_info(uk_sched_current(), &ti), 0);
	main0 = ti.cpu_ns;
	vclock_advance(10 * MS);        /* main computes: user */
	vclock_irq(3 * MS);             /* an interrupt takes 3 ms of it */
	UK_TEST_EQ(spawn(&ts, &ws, UK_THREAD_CLASS_SYSTEM), 0);
	UK_TEST_EQ(spawn(&tq, &wq, UK_THREAD_CLASS_SOFTIRQ), 0);
	UK_TEST_EQ(uk_thread_join(ts), 0);
	UK_TEST_EQ(uk_thread_join(tq), 0);
	uk_thread_sleep_ns(50 * MS);    /* nothing runs: idle */
	uk_sched_cpu_times(&b);
	times_delta(&a, &b, &d);
	UK_TEST_EQ(d.ns[UK_SCHED_CPU_USER], 10 * MS);
	UK_TEST_EQ(d.ns[UK_SCHED_CPU_SYSTEM], 18 * MS);
	UK_TEST_EQ(d.ns[UK_SCHED_CPU_SOFTIRQ], 5 * MS);
	UK_TEST_EQ(d.ns[UK_SCHED_CPU_IRQ], 5 * MS);
	UK_TEST_EQ(d.ns[UK_SCHED_CPU_IDLE], 50 * MS);
	/* Exactly, so well within 1%. */
	UK_TEST_EQ(times_sum(&d), vclock_now() - t0);
	UK_TEST_EQ(ws.cls_seen, UK_SCHED_CPU_SYSTEM);
	UK_TEST_EQ(wq.cls_seen, UK_SCHED_CPU_SOFTIRQ);
	/* The thread's own CPU time leaves the interrupt out too. */
	UK_TEST_EQ(uk_sched_thread_info(uk_sched_current(), &ti), 0);
	UK_TEST_EQ(ti.cpu_ns - main0, 10 * MS);
	vclock_stop();
}

/* An interrupt during the idle thread's halt is irq, not idle. */
UK_TEST(sched_cpu_irq_out_of_idle)
{
	struct uk_sched_cpu_times a, b, d;
	uint64_t t0;

	vclock_start();
	uk_sched_cpu_times(&a);
	t0 = vclock_now();
	vclock_irq_in_idle(4 * MS);
	uk_thread_sleep_ns(30 * MS);
	uk_sched_cpu_times(&b);
	times_delta(&a, &b, &d);
	UK_TEST_EQ(d.ns[UK_SCHED_CPU_IRQ], 4 * MS);
	UK_TEST_EQ(d.ns[UK_SCHED_CPU_USER], 0);
	UK_TEST_EQ(d.ns[UK_SCHED_CPU_IDLE], 26 * MS);
	UK_TEST_EQ(times_sum(&d), vclock_now() - t0);
	UK_TEST_EQ(vclock_now() - t0, 30 * MS);
	vclock_stop();
}

/* Reads in the middle of a slice: each mode only ever grows. */
UK_TEST(sched_cpu_running_slice_monotonic)
{
	struct uk_sched_cpu_times a, b;
	int i, m;

	vclock_start();
	uk_sched_cpu_times(&a);
	for (i = 0; i < 20; i++) {
		if (i % 3)
			vclock_advance(MS);
		else
			vclock_irq(MS);
		uk_sched_cpu_times(&b);
		for (m = 0; m < UK_SCHED_CPU_MODES; m++)
			UK_TEST_EXPECT(b.ns[m] >= a.ns[m]);
		a = b;
	}
	vclock_stop();
}

struct spawner {
	struct work w;
	struct uk_thread *child;
	enum uk_sched_cpu_mode child_cls;
};

static void spawner_fn(void *arg)
{
	struct spawner *s = arg;

	if (!uk_thread_create(&s->child, "child", work_fn, &s->w, 0)) {
		s->child_cls = uk_sched_thread_class(s->child);
		uk_thread_join(s->child);
	}
}

static enum uk_sched_cpu_mode child_class_of(enum uk_thread_class parent)
{
	struct spawner s = { .child_cls = UK_SCHED_CPU_MODES };
	struct uk_thread *t;

	if (uk_thread_create(&t, "parent", spawner_fn, &s, 0) ||
	    uk_thread_set_class(t, parent))
		return UK_SCHED_CPU_MODES;
	uk_thread_join(t);
	return s.child_cls;
}

UK_TEST(sched_cpu_classes_inherited)
{
	struct uk_thread *t;
	struct work w = { .run_ns = 0 };

	/* main is user, and so are its children. */
	UK_TEST_EQ(uk_sched_thread_class(uk_sched_current()),
		   UK_SCHED_CPU_USER);
	UK_TEST_EQ(uk_thread_create(&t, "kid", work_fn, &w, 0), 0);
	UK_TEST_EQ(uk_sched_thread_class(t), UK_SCHED_CPU_USER);
	UK_TEST_EQ(uk_thread_join(t), 0);
	/* A system or softirq thread's children are system. */
	UK_TEST_EQ(child_class_of(UK_THREAD_CLASS_USER), UK_SCHED_CPU_USER);
	UK_TEST_EQ(child_class_of(UK_THREAD_CLASS_SYSTEM),
		   UK_SCHED_CPU_SYSTEM);
	UK_TEST_EQ(child_class_of(UK_THREAD_CLASS_SOFTIRQ),
		   UK_SCHED_CPU_SYSTEM);
}

/* A class changed mid-slice applies from then on. */
UK_TEST(sched_cpu_class_change_mid_slice)
{
	struct uk_sched_cpu_times a, b, d;
	struct uk_thread *self = uk_sched_current();

	vclock_start();
	uk_sched_cpu_times(&a);
	vclock_advance(2 * MS);
	UK_TEST_EQ(uk_sched_thread_set_class(self, UK_SCHED_CPU_SYSTEM), 0);
	vclock_advance(3 * MS);
	UK_TEST_EQ(uk_sched_thread_set_class(self, UK_SCHED_CPU_USER), 0);
	vclock_advance(MS);
	uk_sched_cpu_times(&b);
	times_delta(&a, &b, &d);
	UK_TEST_EQ(d.ns[UK_SCHED_CPU_USER], 3 * MS);
	UK_TEST_EQ(d.ns[UK_SCHED_CPU_SYSTEM], 3 * MS);
	vclock_stop();
}

static void noop_fn(void *arg)
{
}

UK_TEST(sched_cpu_set_class_errors)
{
	struct uk_thread *t, *self = uk_sched_current();

	UK_TEST_EQ(uk_sched_thread_set_class(NULL, UK_SCHED_CPU_SYSTEM),
		   -EINVAL);
	UK_TEST_EQ(uk_sched_thread_set_class(self, UK_SCHED_CPU_IRQ), -EINVAL);
	UK_TEST_EQ(uk_sched_thread_set_class(self, UK_SCHED_CPU_IDLE),
		   -EINVAL);
	UK_TEST_EQ(uk_sched_thread_set_class(self, UK_SCHED_CPU_MODES),
		   -EINVAL);
	UK_TEST_EQ(uk_thread_set_class(NULL, UK_THREAD_CLASS_USER), -EINVAL);
	UK_TEST_EQ(uk_thread_set_class(self, (enum uk_thread_class)3),
		   -EINVAL);
	UK_TEST_EQ(uk_sched_thread_class(self), UK_SCHED_CPU_USER);
	/* An exited thread (not yet joined) has no class to change. */
	UK_TEST_EQ(uk_thread_create(&t, "gone", noop_fn, NULL, 0), 0);
	uk_thread_yield();
	UK_TEST_EQ(uk_sched_thread_set_class(t, UK_SCHED_CPU_SYSTEM),
		   -EINVAL);
	UK_TEST_EQ(uk_thread_join(t), 0);
}

static void park_fn(void *arg)
{
	uk_wait_on(arg, 0, 0);
}

static void timed_wait_fn(void *arg)
{
	uk_wait_on(arg, 0, uk_wait_now_ns() + 10 * SEC);
}

static void sleep_fn(void *arg)
{
	uk_thread_sleep_ns(10 * SEC);
}

UK_TEST(sched_cpu_counts)
{
	static uint32_t word, word2;
	struct uk_thread *p, *w, *s;
	unsigned int run0, blk0;
	uint64_t f0 = uk_sched_fork_count();

	vclock_start();
	run0 = uk_sched_running_count();
	blk0 = uk_sched_blocked_count();
	UK_TEST_EQ(run0, 1u); /* main: the reader counts itself */
	UK_TEST_EQ(uk_thread_create(&p, "parked", park_fn, &word, 0), 0);
	UK_TEST_EQ(uk_thread_create(&w, "timed", timed_wait_fn, &word2, 0),
		   0);
	UK_TEST_EQ(uk_thread_create(&s, "sleeper", sleep_fn, NULL, 0), 0);
	UK_TEST_EQ(uk_sched_fork_count(), f0 + 3);
	UK_TEST_EQ(uk_sched_running_count(), run0 + 3); /* all ready */
	UK_TEST_EQ(uk_sched_blocked_count(), blk0);
	uk_thread_yield(); /* each runs and blocks */
	UK_TEST_EQ(uk_sched_running_count(), run0);
	/* Only the wait with no deadline counts as blocked. */
	UK_TEST_EQ(uk_sched_blocked_count(), blk0 + 1);
	word = 1;
	uk_wake(&word, 1);
	UK_TEST_EQ(uk_sched_running_count(), run0 + 1);
	UK_TEST_EQ(uk_sched_blocked_count(), blk0);
	UK_TEST_EQ(uk_thread_join(p), 0);
	word2 = 1;
	uk_wake(&word2, 1);
	UK_TEST_EQ(uk_thread_join(w), 0);
	UK_TEST_EQ(uk_thread_join(s), 0); /* the clock jumps 10 s */
	UK_TEST_EQ(uk_sched_running_count(), run0);
	UK_TEST_EQ(uk_sched_blocked_count(), blk0);
	vclock_stop();
}

/*
 * Golden values: Linux's calc_load (FSHIFT 11, EXP_1 1884, EXP_5 2014,
 * EXP_15 2037, rounding up when rising) applied once per 5 s sample from
 * zero, worked out apart from this code.
 */
static const uint32_t gold_1x1[3] = { 164, 34, 11 };
static const uint32_t gold_12x1[3] = { 1299, 378, 132 };
static const uint32_t gold_12x0[3] = { 474, 303, 120 };
static const uint32_t gold_24x2[3] = { 3612, 1566, 614 };

static void spin_fn(void *arg)
{
	/* 60 s of computing, yielding every 100 ms. */
	for (int i = 0; i < 600; i++) {
		vclock_advance(100 * MS);
		uk_thread_yield();
	}
}

static double load_of(uint32_t v)
{
	return (double)v / (1u << UK_SCHED_LOAD_SHIFT);
}

UK_TEST(sched_cpu_loadavg_golden)
{
	struct uk_thread *t[2];
	uint32_t avg[3];
	uint64_t steps = 0;

	vclock_start();
	/* Ten virtual days asleep: whatever came before decays to 0 (the
	 * catch-up stops as soon as it has). */
	uk_thread_sleep_ns(10ULL * 86400 * SEC);
	uk_sched_loadavg(avg);
	UK_TEST_EQ(avg[0], 0u);
	UK_TEST_EQ(avg[1], 0u);
	UK_TEST_EQ(avg[2], 0u);
	/* main alone runs: find the next sample point, to the ms. */
	do {
		vclock_advance(MS);
		uk_sched_loadavg(avg);
	} while (!avg[0] && ++steps <= 5000);
	UK_TEST_ASSERT(steps <= 5000);
	UK_TEST_EQ(avg[0], gold_1x1[0]);
	UK_TEST_EQ(avg[1], gold_1x1[1]);
	UK_TEST_EQ(avg[2], gold_1x1[2]);
	/* Eleven more samples of 1 (60 s in all): load1 ~ 1 - 1/e. */
	vclock_advance(55 * SEC);
	uk_sched_loadavg(avg);
	uk_test_log("1 thread for 60 s: %.4f %.4f %.4f (1-1/e = 0.6321)",
		    load_of(avg[0]), load_of(avg[1]), load_of(avg[2]));
	UK_TEST_EQ(avg[0], gold_12x1[0]);
	UK_TEST_EQ(avg[1], gold_12x1[1]);
	UK_TEST_EQ(avg[2], gold_12x1[2]);
	UK_TEST_EXPECT(load_of(avg[0]) > 0.622 && load_of(avg[0]) < 0.642);
	/* A minute asleep: twelve samples of 0, applied at the wake-up. */
	uk_thread_sleep_ns(60 * SEC);
	uk_sched_loadavg(avg);
	UK_TEST_EQ(avg[0], gold_12x0[0]);
	UK_TEST_EQ(avg[1], gold_12x0[1]);
	UK_TEST_EQ(avg[2], gold_12x0[2]);
	/* Two threads compute for 120 s while main waits: 24 samples of 2
	 * (the count is the run queue's; main is blocked in join). */
	UK_TEST_EQ(uk_thread_create(&t[0], "spin0", spin_fn, NULL, 0), 0);
	UK_TEST_EQ(uk_thread_create(&t[1], "spin1", spin_fn, NULL, 0), 0);
	UK_TEST_EQ(uk_thread_join(t[0]), 0);
	UK_TEST_EQ(uk_thread_join(t[1]), 0);
	uk_sched_loadavg(avg);
	UK_TEST_EQ(avg[0], gold_24x2[0]);
	UK_TEST_EQ(avg[1], gold_24x2[1]);
	UK_TEST_EQ(avg[2], gold_24x2[2]);
	vclock_stop();
}

static double read_dbl(const char *path)
{
	struct uk_store_value v;

	if (uk_store_read_path(path, &v) || v.type != UK_STORE_DOUBLE)
		return -1;
	return v.d;
}

UK_STORE_LIB_EXTERN(uksched);

/* The store's own entries (uksched_stats) follow the same numbers. */
UK_TEST(sched_cpu_store_entries)
{
	const struct uk_store_entry *bad = NULL;
	struct uk_store_value v;
	double i0, i1;

	/* The mode and load families are well formed. */
	UK_TEST_EQ(uk_store_lib_check(&uk_store_lib_uksched, &bad), 0);
	vclock_start();
	i0 = read_dbl("uksched/cpu_mode_idle");
	UK_TEST_ASSERT(i0 >= 0);
	uk_thread_sleep_ns(SEC / 2);
	i1 = read_dbl("uksched/cpu_mode_idle");
	UK_TEST_EXPECT(i1 - i0 > 0.4999 && i1 - i0 < 0.5001);
	UK_TEST_ASSERT(read_dbl("uksched/cpu_mode_user") >= 0);
	UK_TEST_ASSERT(read_dbl("uksched/cpu_mode_system") >= 0);
	UK_TEST_ASSERT(read_dbl("uksched/cpu_mode_irq") >= 0);
	UK_TEST_ASSERT(read_dbl("uksched/cpu_mode_softirq") >= 0);
	UK_TEST_ASSERT(read_dbl("uksched/load_1") >= 0);
	UK_TEST_ASSERT(read_dbl("uksched/load_5") >= 0);
	UK_TEST_ASSERT(read_dbl("uksched/load_15") >= 0);
	UK_TEST_EQ(uk_store_read_path("uksched/running_threads", &v), 0);
	UK_TEST_EQ(v.u, (uint64_t)uk_sched_running_count());
	UK_TEST_EQ(uk_store_read_path("uksched/blocked_threads", &v), 0);
	UK_TEST_EQ(uk_store_read_path("uksched/forks", &v), 0);
	UK_TEST_EQ(v.u, uk_sched_fork_count());
	vclock_stop();
}
