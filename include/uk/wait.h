/*
 * The blocking primitive under every lock: wait while a 32-bit word holds
 * an expected value, and wake waiters on that word (a futex).  It is
 * provided by plat/linuxu (Linux futexes, library linuxu_threads) or by
 * lib/uksched (wait queues hashed by address), so the mutex core of
 * uk/fmutex.h, ukstore and lib/uklock run unchanged on both.
 *
 * Deadlines are absolute, on the provider's clock, uk_wait_now_ns(): the
 * platform's monotonic time, unless a test injected another clock into
 * the scheduler (uk_sched_clock_set(), uk/sched.h), which then times
 * every sleep and timeout.
 */
#ifndef UK_WAIT_H
#define UK_WAIT_H

#include <stdint.h>

/*
 * Blocks while *addr == expected, until woken or until the deadline (ns
 * on uk_wait_now_ns()'s clock; 0 means none) passes.  Returns 0 when
 * woken (or when the value already differed), -ETIMEDOUT at the
 * deadline.  Spurious returns are allowed: callers re-check their
 * condition.
 */
int uk_wait_on(const uint32_t *addr, uint32_t expected, uint64_t deadline_ns);
/* Wakes up to n waiters blocked on addr (n < 0: all). */
void uk_wake(const uint32_t *addr, int n);
/* Now, in ns, on the clock that uk_wait_on() deadlines are measured on. */
uint64_t uk_wait_now_ns(void);

#endif
