/*
 * linuxu idling and interrupt masking for the cooperative scheduler when
 * it runs inside one Linux thread (its tests): a process has no
 * interrupts to mask, and idling is sleeping until the deadline.  With no
 * deadline nothing could ever end the idle period (no interrupt will
 * come), so every thread is blocked for good: that is reported as a crash
 * at once rather than left to hang a test run until its timeout.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include <uk/plat/console.h>
#include <uk/plat/idle.h>
#include <uk/plat/irq.h>
#include <uk/plat/lifecycle.h>
#include <uk/plat/time.h>

/*
 * Sleeps until deadline_ns; with deadline 0 (a deadlock here) prints why
 * and crashes the process with UK_PLAT_CRASH_STATUS.
 */
void uk_plat_idle_until(uint64_t deadline_ns)
{
	static const char msg[] = "linuxu: idle with no deadline and no "
				  "interrupts: every thread is blocked "
				  "forever (deadlock)\n";
	struct timespec ts;

	if (!deadline_ns) {
		uk_plat_console_write(msg, strlen(msg));
		uk_plat_crash();
	}
	ts.tv_sec = (time_t)(deadline_ns / UK_NSEC_PER_SEC);
	ts.tv_nsec = (long)(deadline_ns % UK_NSEC_PER_SEC);
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

/* No interrupts in a process: no time in handlers, none counted. */
uint64_t uk_plat_irq_time_ns(void)
{
	return 0;
}

uint64_t uk_plat_irq_count(void)
{
	return 0;
}

int uk_plat_irq_register(unsigned int irq, uk_plat_irq_fn fn, void *arg)
{
	return -ENOSYS;
}

int uk_plat_irq_set_level(unsigned int irq, int level)
{
	return -ENOSYS;
}
