/*
 * A virtual clock for the scheduler's timing tests (uk_sched_clock_set()):
 * time stands still while threads run, moves when a test says so
 * (vclock_advance(), as if the running thread computed that long), and
 * jumps straight to the next deadline when every thread sleeps.  So a
 * sleep or a timeout lasts exactly what it asked, and CPU and idle time
 * are exact, however loaded the host is.  Shared by test_sched.c and
 * test_sched_locks.c.
 */
#ifndef UKSCHED_TEST_VCLOCK_H
#define UKSCHED_TEST_VCLOCK_H

#include <stdint.h>

/* Makes the virtual clock the scheduler's; no thread may be sleeping. */
void vclock_start(void);
/* Gives the scheduler the platform's clock back. */
void vclock_stop(void);
/* Virtual now, in ns (also uk_wait_now_ns() while started). */
uint64_t vclock_now(void);
/* Moves virtual time forward by ns. */
void vclock_advance(uint64_t ns);
/*
 * Moves virtual time forward by ns spent in an interrupt handler (the
 * clock's irq_ns grows by as much), as if one interrupted the running
 * thread.
 */
void vclock_irq(uint64_t ns);
/*
 * Makes the next idle halt (with a deadline) start with an interrupt
 * that takes ns, as vclock_irq() would while the idle thread runs.
 */
void vclock_irq_in_idle(uint64_t ns);

#endif
