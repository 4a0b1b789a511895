/*
 * The virtual clock of vclock.h.  Its idle step is the whole trick: when
 * the idle thread would halt until a deadline, time simply becomes that
 * deadline.  With no deadline only an interrupt could make progress, so
 * the platform's idle runs (on linuxu that is a deadlock, and crashes).
 * Interrupt time is injected too (vclock_irq()), never measured.
 */
#include <uk/plat/idle.h>
#include <uk/plat/time.h>
#include <uk/sched.h>

#include "vclock.h"

static uint64_t vnow, virq, virq_idle;

/* See vclock.h. */
uint64_t vclock_now(void)
{
	return __atomic_load_n(&vnow, __ATOMIC_RELAXED);
}

/* See vclock.h. */
void vclock_advance(uint64_t ns)
{
	__atomic_store_n(&vnow, vclock_now() + ns, __ATOMIC_RELAXED);
}

/* See vclock.h. */
void vclock_irq(uint64_t ns)
{
	__atomic_store_n(&virq, __atomic_load_n(&virq, __ATOMIC_RELAXED) + ns,
			 __ATOMIC_RELAXED);
	vclock_advance(ns);
}

/* See vclock.h. */
void vclock_irq_in_idle(uint64_t ns)
{
	virq_idle = ns;
}

static uint64_t vclock_irq_ns(void)
{
	return __atomic_load_n(&virq, __ATOMIC_RELAXED);
}

static void vclock_idle_until(uint64_t deadline_ns)
{
	if (!deadline_ns) {
		uk_plat_idle_until(0);
		return;
	}
	if (virq_idle) {
		/* An interrupt during the halt, at its very start. */
		vclock_irq(virq_idle);
		virq_idle = 0;
	}
	if (deadline_ns > vclock_now())
		__atomic_store_n(&vnow, deadline_ns, __ATOMIC_RELAXED);
}

static const struct uk_sched_clock vclock = {
	vclock_now, vclock_idle_until, vclock_irq_ns,
};

/* See vclock.h. */
void vclock_start(void)
{
	/* Near the platform's time, though any origin would do. */
	__atomic_store_n(&vnow, uk_plat_time_mono_ns(), __ATOMIC_RELAXED);
	uk_sched_clock_set(&vclock);
}

/* See vclock.h. */
void vclock_stop(void)
{
	uk_sched_clock_set(NULL);
}
