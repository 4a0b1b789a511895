/*
 * The blocking primitive under every lock: wait while a 32-bit word holds
 * an expected value, and wake waiters on that word (a futex).  It is
 * provided by plat/linuxu (Linux futexes) or by lib/uksched (wait queues
 * hashed by address), so lib/uklock runs unchanged on both.
 */
#ifndef UK_WAIT_H
#define UK_WAIT_H

#include <stdint.h>

/*
 * Blocks while *addr == expected, until woken or until the monotonic
 * deadline (ns; 0 means none) passes.  Returns 0 when woken (or when the
 * value already differed), -ETIMEDOUT at the deadline.  Spurious returns
 * are allowed: callers re-check their condition.
 */
int uk_wait_on(const uint32_t *addr, uint32_t expected, uint64_t deadline_ns);
/* Wakes up to n waiters blocked on addr (n < 0: all). */
void uk_wake(const uint32_t *addr, int n);

#endif
