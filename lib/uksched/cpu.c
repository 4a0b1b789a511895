/*
 * CPU accounting by mode, thread classes, the run-queue counts and the
 * load averages (uk/sched.h), fed by the switch in sched.c.
 *
 * Modes.  A thread's slice, from being switched in to being switched out
 * (or to a read), is charged to its class (user, system, softirq) or to
 * idle, less the interrupt time that fell inside it, which is charged to
 * irq.  Interrupt time is the clock's irq_ns (the platform's
 * uk_plat_irq_time_ns(), stamped around each dispatch), read once per
 * switch: interrupts only run while a thread runs unmasked, so the
 * difference between two switches is exactly the handlers' time in that
 * slice.  A slice shorter than the interrupt time measured in it (clock
 * rounding) carries the excess to the next one, so that the modes still
 * add up to elapsed time.
 *
 * Load.  _uksched_nrunning counts running and ready threads (idle
 * excluded).  It only changes at scheduler events (a thread made ready,
 * one leaving the CPU blocked or exited), and each of them first calls
 * _uksched_load_account(now), which applies every 5 s sample point
 * passed since the last event with the count that held until now; reads
 * do the same.  So no timer wakes an idle instance, and the result is
 * what Linux's tick at every sample would have computed.
 *
 * Everything here runs with interrupts masked (one CPU: that is the lock).
 */
#include <errno.h>

#include <uk/counter.h>
#include <uk/plat/irq.h>
#include <uk/plat/time.h>
#include <uk/sched.h>
#include <uk/thread.h>

#include "sched_impl.h"

#define FIXED_1 (1ULL << UK_SCHED_LOAD_SHIFT)
#define LOAD_PERIOD_NS (UK_SCHED_LOAD_PERIOD_S * UK_NSEC_PER_SEC)

/* Linux's EXP_1, EXP_5, EXP_15: FIXED_1 / exp(5 s / 1, 5, 15 min). */
static const uint64_t load_exp[3] = { 1884, 2014, 2037 };

static uint64_t mode_ns[UK_SCHED_CPU_MODES]; /* finished slices */
static uint64_t irq_base;  /* irq_ns at the running slice's start */
static uint64_t load_next; /* the next sample point, scheduler's clock */
static uint64_t avenrun[3];
unsigned int _uksched_nrunning;

static uint64_t irq_now(void)
{
	return _uksched_clock->irq_ns ? _uksched_clock->irq_ns() : 0;
}

static enum uk_sched_cpu_mode mode_of(const struct uk_thread *t)
{
	return t->is_idle ? UK_SCHED_CPU_IDLE : t->cls;
}

/*
 * The running thread's slice until now, split into its own time (*run)
 * and interrupt time (*irq) at interrupt time irqt.  Returns the irq time
 * beyond the slice (rounding), to carry over.
 */
static uint64_t slice_split(uint64_t now, uint64_t irqt, uint64_t *run,
			    uint64_t *irq)
{
	uint64_t slice = now - _uksched_cur->run_start;
	uint64_t i = irqt - irq_base, excess = 0;

	if (i > slice) {
		excess = i - slice;
		i = slice;
	}
	*run = slice - i;
	*irq = i;
	return excess;
}

/*
 * Starts the accounting with the scheduler (main runs from now, on the
 * platform's clock): the boot before it was the kernel's, system time.
 */
void _uksched_cpu_init(uint64_t now)
{
	uint64_t start = uk_plat_time_start_ns();

	if (now > start)
		mode_ns[UK_SCHED_CPU_SYSTEM] = now - start;
	irq_base = irq_now();
	load_next = now + LOAD_PERIOD_NS;
	_uksched_nrunning = 1; /* main */
}

/*
 * Charges the running thread's slice up to now to its mode and to irq,
 * and starts a new slice at now (irqs masked).  The switch calls it for
 * the outgoing thread and makes the new slice the next thread's.
 */
void _uksched_cpu_charge(uint64_t now)
{
	struct uk_thread *t = _uksched_cur;
	uint64_t irqt = irq_now(), run, irq, excess;

	excess = slice_split(now, irqt, &run, &irq);
	uk_counter_add(&t->cpu_ns, run);
	uk_counter_add(&mode_ns[mode_of(t)], run);
	uk_counter_add(&mode_ns[UK_SCHED_CPU_IRQ], irq);
	irq_base = irqt - excess;
	t->run_start = now;
}

/* The running thread's own time in its current slice (irqs masked). */
uint64_t _uksched_cpu_slice_ns(uint64_t now)
{
	uint64_t run, irq;

	slice_split(now, irq_now(), &run, &irq);
	return run;
}

static uint64_t calc_load(uint64_t load, uint64_t exp, uint64_t active)
{
	uint64_t n = load * exp + active * (FIXED_1 - exp);

	if (active >= load)
		n += FIXED_1 - 1; /* rising: round up, as Linux does */
	return n / FIXED_1;
}

/*
 * Applies the sample points at or before now with the current count
 * (irqs masked), before the count changes.  After a long quiet spell the
 * loop stops once every average equals the count: from there each
 * sample leaves it unchanged (calc_load moves strictly towards it, by at
 * least one unit, until it is reached), so at most a few thousand rounds
 * are ever made, however long the instance slept.
 */
void _uksched_load_account(uint64_t now)
{
	uint64_t n, k, active;
	int i, moving;

	if (now < load_next)
		return;
	n = (now - load_next) / LOAD_PERIOD_NS + 1;
	load_next += n * LOAD_PERIOD_NS;
	active = (uint64_t)_uksched_nrunning * FIXED_1;
	for (k = 0; k < n; k++) {
		moving = 0;
		for (i = 0; i < 3; i++) {
			uint64_t v = calc_load(avenrun[i], load_exp[i],
					       active);

			moving |= v != avenrun[i];
			avenrun[i] = v;
		}
		if (!moving)
			break;
	}
}

/*
 * The scheduler's clock is changing (irqs masked): the running slice
 * was charged on the old one, whose now is old_now; the next sample
 * point keeps its distance on the new one, whose now is new_now.
 */
void _uksched_cpu_clock_changed(uint64_t old_now, uint64_t new_now)
{
	_uksched_load_account(old_now);
	load_next = new_now + (load_next - old_now);
	irq_base = irq_now();
}

/* See uk/sched.h. */
void uk_sched_cpu_times(struct uk_sched_cpu_times *out)
{
	uint64_t run = 0, irq = 0;
	unsigned long f;
	int i;

	uk_sched_init();
	f = uk_plat_irq_save();
	for (i = 0; i < UK_SCHED_CPU_MODES; i++)
		out->ns[i] = uk_counter_read(&mode_ns[i]);
	slice_split(_uksched_now(), irq_now(), &run, &irq);
	out->ns[mode_of(_uksched_cur)] += run;
	out->ns[UK_SCHED_CPU_IRQ] += irq;
	uk_plat_irq_restore(f);
}

/* See uk/sched.h.  Returns 0 or -EINVAL. */
int uk_sched_thread_set_class(struct uk_thread *t, enum uk_sched_cpu_mode cls)
{
	unsigned long f;
	int rc = 0;

	if (!t || (cls != UK_SCHED_CPU_USER && cls != UK_SCHED_CPU_SYSTEM &&
		   cls != UK_SCHED_CPU_SOFTIRQ))
		return -EINVAL;
	f = uk_plat_irq_save();
	if (t->is_idle || t->state == UK_SCHED_EXITED) {
		rc = -EINVAL;
	} else {
		if (t == _uksched_cur)
			_uksched_cpu_charge(_uksched_now());
		t->cls = cls;
	}
	uk_plat_irq_restore(f);
	return rc;
}

/* See uk/sched.h. */
enum uk_sched_cpu_mode uk_sched_thread_class(struct uk_thread *t)
{
	return mode_of(t);
}

/* See uk/thread.h: the shared form.  Returns 0 or -EINVAL. */
int uk_thread_set_class(struct uk_thread *t, enum uk_thread_class cls)
{
	static const enum uk_sched_cpu_mode modes[] = {
		[UK_THREAD_CLASS_USER] = UK_SCHED_CPU_USER,
		[UK_THREAD_CLASS_SYSTEM] = UK_SCHED_CPU_SYSTEM,
		[UK_THREAD_CLASS_SOFTIRQ] = UK_SCHED_CPU_SOFTIRQ,
	};

	if ((unsigned int)cls >= sizeof(modes) / sizeof(modes[0]))
		return -EINVAL;
	return uk_sched_thread_set_class(t, modes[cls]);
}

/* See uk/sched.h. */
unsigned int uk_sched_running_count(void)
{
	uk_sched_init();
	return __atomic_load_n(&_uksched_nrunning, __ATOMIC_RELAXED);
}

/* See uk/sched.h. */
void uk_sched_loadavg(uint32_t avg[3])
{
	unsigned long f;
	int i;

	uk_sched_init();
	f = uk_plat_irq_save();
	_uksched_load_account(_uksched_now());
	for (i = 0; i < 3; i++)
		avg[i] = (uint32_t)avenrun[i];
	uk_plat_irq_restore(f);
}
