/*
 * lwIP's sys_arch layer (NO_SYS=0) on ukmon's threads and locks.
 *
 * Timeouts: lwIP passes milliseconds with 0 meaning "forever", and wants
 * back the milliseconds waited or SYS_ARCH_TIMEOUT; uklock wants an
 * absolute monotonic deadline in ns, so each wait converts once.  Object
 * creation failures are reported to lwIP as ERR_MEM, which it handles;
 * a thread that cannot be created is fatal, as lwIP cannot run without
 * its tcpip thread.  Mailbox rings come from a static pool (below).
 * This file also checks at build time that lwIP's err_t numbering is the
 * one err.c's table assumes.
 */
#include <errno.h>
#include <stdint.h>

#include "lwip/err.h"
#include "lwip/memp.h"
#include "lwip/opt.h"
#include "lwip/sys.h"
#include "lwip/tcpip.h"

#include <uk/assert.h>
#include <uk/lock.h>
#include <uk/lwip_mbox.h>
#include <uk/plat/irq.h>
#include <uk/plat/time.h>
#include <uk/thread.h>
#include <uk/wait.h>

_Static_assert(ERR_OK == 0 && ERR_MEM == -1 && ERR_BUF == -2 &&
	       ERR_TIMEOUT == -3 && ERR_RTE == -4 && ERR_INPROGRESS == -5 &&
	       ERR_VAL == -6 && ERR_WOULDBLOCK == -7 && ERR_USE == -8 &&
	       ERR_ALREADY == -9 && ERR_ISCONN == -10 && ERR_CONN == -11 &&
	       ERR_IF == -12 && ERR_ABRT == -13 && ERR_RST == -14 &&
	       ERR_CLSD == -15 && ERR_ARG == -16,
	       "lwIP's err_t numbering changed: update err.c");

/* Default mailbox size when lwIP asks for 0 (it may, for unused boxes). */
#define MBOX_DEFAULT_SIZE 32

/* The clock of uklock's deadlines (the platform's, unless a test's). */
static uint64_t now_ns(void)
{
	return uk_wait_now_ns();
}

/* The deadline for a wait of timeout_ms (0: none). */
static uint64_t deadline_of(u32_t timeout_ms)
{
	return timeout_ms ? now_ns() + (uint64_t)timeout_ms * UK_NSEC_PER_MSEC
			  : 0;
}

/* Milliseconds since t0, as lwIP wants them back (never SYS_ARCH_TIMEOUT). */
static u32_t waited_ms(uint64_t t0)
{
	uint64_t ms = (now_ns() - t0) / UK_NSEC_PER_MSEC;

	return ms >= SYS_ARCH_TIMEOUT ? SYS_ARCH_TIMEOUT - 1 : (u32_t)ms;
}

/*
 * Mailbox rings come from a static pool, like every other piece of
 * lwIP's memory: opening a connection (its receive mailbox) never takes
 * from the kernel heap, so a connection cannot be refused because the
 * heap is short, and the pool's use is in the store (pool="mbox_ring").
 * Only rings larger than a pool element (the tcpip thread's, made once
 * at start) come from the heap.
 */
#define RING_SLOTS 64
_Static_assert(DEFAULT_TCP_RECVMBOX_SIZE <= RING_SLOTS &&
	       DEFAULT_UDP_RECVMBOX_SIZE <= RING_SLOTS &&
	       DEFAULT_RAW_RECVMBOX_SIZE <= RING_SLOTS &&
	       DEFAULT_ACCEPTMBOX_SIZE <= RING_SLOTS &&
	       MBOX_DEFAULT_SIZE <= RING_SLOTS,
	       "a netconn's mailboxes must fit a pooled ring");
/* One ring per socket (a listener's accept mailbox replaces its receive
 * mailbox) and a few for lwIP's own. */
LWIP_MEMPOOL_DECLARE(UK_MBOX_RING, MEMP_NUM_NETCONN + 4,
		     RING_SLOTS * sizeof(void *), "mailbox rings")

/* The ring pool's statistics (stats.c). */
struct stats_mem *_uk_lwip_mbox_ring_stats(void)
{
	return memp_UK_MBOX_RING.stats;
}

/* Sets up the mailbox ring pool; lwip_init() calls it first. */
void sys_init(void)
{
	static int done;

	if (!done) {
		LWIP_MEMPOOL_INIT(UK_MBOX_RING);
		done = 1;
	}
}

/* Monotonic milliseconds (wraps after 49 days, as lwIP expects). */
u32_t sys_now(void)
{
	return (u32_t)(now_ns() / UK_NSEC_PER_MSEC);
}

/* The same milliseconds: lwIP only uses jiffies as a seed. */
u32_t sys_jiffies(void)
{
	return sys_now();
}

/* A xorshift64* generator seeded from both clocks on first use. */
uint32_t uk_lwip_rand(void)
{
	static uint64_t s;
	sys_prot_t f = sys_arch_protect();
	uint64_t x = s;

	if (!x)
		x = (uk_plat_time_wall_ns() ^ (now_ns() << 17)) |
		    1; /* never 0 */
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	s = x;
	sys_arch_unprotect(f);
	return (uint32_t)((x * 0x2545f4914f6cdd1dULL) >> 32);
}

/*
 * LWIP_ASSERT_CORE_LOCKED(): panics unless the core lock is held (by
 * anyone: uklock's mutex has no owner, and on kvm's cooperative threads
 * "held" is what matters).  Before tcpip_init() has created the lock,
 * lwIP is single-threaded and there is nothing to check.
 */
void uk_lwip_assert_core_locked(void)
{
	if (lock_tcpip_core.valid &&
	    __atomic_load_n(&lock_tcpip_core.mtx.core.state,
			    __ATOMIC_RELAXED) == 0)
		uk_panic("lwIP called without the core lock "
			 "(LOCK_TCPIP_CORE)");
}

/* ---- protection ---- */

/* Masks interrupts; returns the previous state for sys_arch_unprotect(). */
sys_prot_t sys_arch_protect(void)
{
	return uk_plat_irq_save();
}

/* Restores the interrupt state saved by sys_arch_protect(). */
void sys_arch_unprotect(sys_prot_t pval)
{
	uk_plat_irq_restore(pval);
}

/* ---- semaphores ---- */

/* Returns ERR_OK (semaphores need no allocation). */
err_t sys_sem_new(sys_sem_t *sem, u8_t count)
{
	uk_semaphore_init(&sem->sem, NULL, count);
	sem->valid = 1;
	return ERR_OK;
}

/* Invalidates sem; no thread may be waiting on it. */
void sys_sem_free(sys_sem_t *sem)
{
	uk_semaphore_fini(&sem->sem);
	sem->valid = 0;
}

/* Adds one unit, waking a waiter if any. */
void sys_sem_signal(sys_sem_t *sem)
{
	uk_semaphore_up(&sem->sem);
}

/* Returns the milliseconds waited, or SYS_ARCH_TIMEOUT. */
u32_t sys_arch_sem_wait(sys_sem_t *sem, u32_t timeout)
{
	uint64_t t0 = now_ns();

	if (uk_semaphore_down_until(&sem->sem, deadline_of(timeout)))
		return SYS_ARCH_TIMEOUT;
	return waited_ms(t0);
}

/* ---- mutexes ---- */

/* Returns ERR_OK. */
err_t sys_mutex_new(sys_mutex_t *mutex)
{
	uk_mutex_init(&mutex->mtx, NULL);
	mutex->valid = 1;
	return ERR_OK;
}

/* Invalidates mutex; it must not be held. */
void sys_mutex_free(sys_mutex_t *mutex)
{
	uk_mutex_fini(&mutex->mtx);
	mutex->valid = 0;
}

/* Acquires mutex, waiting while another thread holds it. */
void sys_mutex_lock(sys_mutex_t *mutex)
{
	uk_mutex_lock(&mutex->mtx);
}

/* Releases mutex (held by the caller). */
void sys_mutex_unlock(sys_mutex_t *mutex)
{
	uk_mutex_unlock(&mutex->mtx);
}

/* ---- mailboxes ---- */

/* Returns ERR_OK or ERR_MEM (no ring left). */
err_t sys_mbox_new(sys_mbox_t *mbox, int size)
{
	uint32_t n = size > 0 ? (uint32_t)size : MBOX_DEFAULT_SIZE;
	int rc;

	mbox->valid = 0;
	mbox->ring = NULL;
	if (n <= RING_SLOTS) {
		mbox->ring = LWIP_MEMPOOL_ALLOC(UK_MBOX_RING);
		if (!mbox->ring)
			return ERR_MEM;
		rc = uk_lwip_mbox_init_ring(&mbox->mb, mbox->ring, n);
	} else {
		rc = uk_lwip_mbox_init(&mbox->mb, n);
	}
	if (rc) {
		if (mbox->ring)
			LWIP_MEMPOOL_FREE(UK_MBOX_RING, mbox->ring);
		mbox->ring = NULL;
		return ERR_MEM;
	}
	mbox->valid = 1;
	return ERR_OK;
}

/* Frees mbox; messages still queued are dropped (lwIP drains first). */
void sys_mbox_free(sys_mbox_t *mbox)
{
	uk_lwip_mbox_fini(&mbox->mb);
	if (mbox->ring)
		LWIP_MEMPOOL_FREE(UK_MBOX_RING, mbox->ring);
	mbox->ring = NULL;
	mbox->valid = 0;
}

/* Queues msg, waiting for room. */
void sys_mbox_post(sys_mbox_t *mbox, void *msg)
{
	uk_lwip_mbox_post(&mbox->mb, msg);
}

/* Returns ERR_OK or ERR_MEM when full; never waits for room. */
err_t sys_mbox_trypost(sys_mbox_t *mbox, void *msg)
{
	return uk_lwip_mbox_trypost(&mbox->mb, msg) ? ERR_MEM : ERR_OK;
}

/* As sys_mbox_trypost(), from an interrupt handler. */
err_t sys_mbox_trypost_fromisr(sys_mbox_t *mbox, void *msg)
{
	return uk_lwip_mbox_trypost_fromisr(&mbox->mb, msg) ? ERR_MEM : ERR_OK;
}

/* Returns the milliseconds waited, or SYS_ARCH_TIMEOUT. */
u32_t sys_arch_mbox_fetch(sys_mbox_t *mbox, void **msg, u32_t timeout)
{
	uint64_t t0 = now_ns();

	if (uk_lwip_mbox_fetch(&mbox->mb, msg, deadline_of(timeout)))
		return SYS_ARCH_TIMEOUT;
	return waited_ms(t0);
}

/* Returns 0, or SYS_MBOX_EMPTY. */
u32_t sys_arch_mbox_tryfetch(sys_mbox_t *mbox, void **msg)
{
	return uk_lwip_mbox_tryfetch(&mbox->mb, msg) ? SYS_MBOX_EMPTY : 0;
}

/* ---- threads ---- */

/* Starts fn(arg); lwIP's priorities are ignored (cooperative threads). */
sys_thread_t sys_thread_new(const char *name, lwip_thread_fn thread,
			    void *arg, int stacksize, int prio)
{
	struct uk_thread *t;
	int rc = uk_thread_create(&t, name, thread, arg,
				  stacksize > 0 ? (size_t)stacksize : 0);

	if (rc)
		uk_panic("lwIP: cannot create thread %s: %d", name, rc);
	/* lwIP's threads (tcpip) are the kernel's: system CPU time. */
	uk_thread_set_class(t, UK_THREAD_CLASS_SYSTEM);
	return t;
}
