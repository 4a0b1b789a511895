/*
 * linuxu idling and interrupt masking: a process has no interrupts to
 * mask, and idling is sleeping until the deadline (used by the
 * cooperative scheduler when it is tested on linuxu).
 */
#include <errno.h>
#include <time.h>

#include <uk/plat/idle.h>
#include <uk/plat/irq.h>
#include <uk/plat/time.h>

void uk_plat_idle_until(uint64_t deadline_ns)
{
	struct timespec ts;
	uint64_t d = deadline_ns ? deadline_ns
				 : uk_plat_time_mono_ns() + UK_NSEC_PER_MSEC;

	ts.tv_sec = (time_t)(d / UK_NSEC_PER_SEC);
	ts.tv_nsec = (long)(d % UK_NSEC_PER_SEC);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

unsigned long uk_plat_irq_save(void)
{
	return 0;
}

void uk_plat_irq_restore(unsigned long flags)
{
}

int uk_plat_irq_register(unsigned int irq, uk_plat_irq_fn fn, void *arg)
{
	return -ENOSYS;
}
