/*
 * uk/wait.h on the cooperative scheduler: waiters on a 32-bit word are
 * kept in wait queues hashed by the word's address, and every timed wait
 * (uk_wait_on with a deadline, uk_thread_sleep_ns) sits on one sleeper
 * list sorted by deadline, which the scheduler and the idle thread expire.
 * Deadlines are on the scheduler's clock (uk_wait_now_ns()).
 * A thread is on at most one wait queue and the sleeper list at a time;
 * whichever of uk_wake() and the deadline comes first takes it off both.
 * uk_wake() may run in an interrupt handler, so everything here runs with
 * interrupts masked.
 */
#include <errno.h>

#include <uk/assert.h>
#include <uk/plat/irq.h>
#include <uk/sched.h>
#include <uk/wait.h>

#include "sched_impl.h"

#define WQ_BITS 6
#define WQ_SIZE (1u << WQ_BITS)

static struct uk_thread *wq[WQ_SIZE];
static struct uk_thread *sleepers;

static unsigned int wq_hash(const uint32_t *addr)
{
	/* Fibonacci hashing: words of one struct land in different buckets. */
	return (unsigned int)(((uint64_t)(uintptr_t)addr * 0x9e3779b97f4a7c15ULL)
			      >> (64 - WQ_BITS));
}

static void wq_add(struct uk_thread *t)
{
	struct uk_thread **p = &wq[wq_hash(t->wait_addr)];

	/* FIFO, so that the longest waiter is woken first. */
	while (*p)
		p = &(*p)->wq_next;
	t->wq_next = NULL;
	*p = t;
}

static void wq_del(struct uk_thread *t)
{
	struct uk_thread **p = &wq[wq_hash(t->wait_addr)];

	while (*p && *p != t)
		p = &(*p)->wq_next;
	UK_ASSERT(*p == t);
	*p = t->wq_next;
	t->wq_next = NULL;
	t->wait_addr = NULL;
}

static void sleep_del(struct uk_thread *t)
{
	struct uk_thread **p = &sleepers;

	while (*p && *p != t)
		p = &(*p)->sl_next;
	UK_ASSERT(*p == t);
	*p = t->sl_next;
	t->sl_next = NULL;
	t->deadline = 0;
}

/* Adds t to the sleeper list, in deadline order (irqs masked). */
void _uksched_sleep_insert(struct uk_thread *t, uint64_t deadline)
{
	struct uk_thread **p = &sleepers;

	UK_ASSERT(deadline && !t->deadline);
	while (*p && (*p)->deadline <= deadline)
		p = &(*p)->sl_next;
	t->deadline = deadline;
	t->sl_next = *p;
	*p = t;
}

/* Takes t off its wait queue and the sleeper list (irqs masked). */
void _uksched_unwait(struct uk_thread *t)
{
	if (t->wait_addr)
		wq_del(t);
	if (t->deadline)
		sleep_del(t);
}

/* Readies every sleeper whose deadline is <= now (irqs masked). */
void _uksched_wake_expired(uint64_t now)
{
	while (sleepers && sleepers->deadline <= now) {
		struct uk_thread *t = sleepers;

		sleepers = t->sl_next;
		t->sl_next = NULL;
		t->deadline = 0;
		if (t->wait_addr)
			wq_del(t);
		t->wake_reason = _UKSCHED_TIMEOUT;
		_uksched_make_ready(t);
	}
}

/* The nearest deadline, or 0 when nobody sleeps (irqs masked). */
uint64_t _uksched_next_deadline(void)
{
	return sleepers ? sleepers->deadline : 0;
}

/*
 * Blocks the calling thread while *addr == expected, until uk_wake() on
 * addr or the deadline (0: none).  Returns 0 when woken or when the value
 * already differed, -ETIMEDOUT when the deadline passed first.
 */
int uk_wait_on(const uint32_t *addr, uint32_t expected, uint64_t deadline_ns)
{
	struct uk_thread *t;
	unsigned long f;
	int rc = 0;

	uk_sched_init();
	t = _uksched_cur;
	UK_ASSERT(!t->is_idle);
	f = uk_plat_irq_save();
	if (__atomic_load_n(addr, __ATOMIC_ACQUIRE) != expected)
		goto out;
	if (deadline_ns && _uksched_now() >= deadline_ns) {
		rc = -ETIMEDOUT;
		goto out;
	}
	t->wait_addr = addr;
	t->wake_reason = 0;
	wq_add(t);
	if (deadline_ns)
		_uksched_sleep_insert(t, deadline_ns);
	t->state = UK_SCHED_BLOCKED;
	_uksched_schedule();
	_uksched_unwait(t);
	rc = t->wake_reason == _UKSCHED_TIMEOUT ? -ETIMEDOUT : 0;
out:
	uk_plat_irq_restore(f);
	return rc;
}

/* Wakes up to n threads waiting on addr (n < 0: all), oldest first. */
void uk_wake(const uint32_t *addr, int n)
{
	struct uk_thread **p, *t;
	unsigned long f;

	if (!n)
		return;
	f = uk_plat_irq_save();
	p = &wq[wq_hash(addr)];
	while ((t = *p) != NULL && n != 0) {
		if (t->wait_addr != addr) {
			p = &t->wq_next;
			continue;
		}
		*p = t->wq_next;
		t->wq_next = NULL;
		t->wait_addr = NULL;
		if (t->deadline)
			sleep_del(t);
		t->wake_reason = _UKSCHED_WOKEN;
		_uksched_make_ready(t);
		if (n > 0)
			n--;
	}
	uk_plat_irq_restore(f);
}

/* Now on the scheduler's clock: the clock of uk_wait_on() deadlines. */
uint64_t uk_wait_now_ns(void)
{
	return _uksched_now();
}
