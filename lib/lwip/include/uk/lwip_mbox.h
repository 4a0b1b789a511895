/*
 * The bounded mailbox under lwIP's sys_mbox_t: a ring of pointers guarded
 * by a uklock mutex, with one condition variable for "not empty" and one
 * for "not full".  It knows nothing of lwIP, so it runs (and is tested)
 * on linuxu threads as well as on uksched.
 */
#ifndef UK_LWIP_MBOX_H
#define UK_LWIP_MBOX_H

#include <stdint.h>

#include <uk/lock.h>

struct uk_lwip_mbox {
	struct uk_mutex lock;
	struct uk_condvar nonempty;
	struct uk_condvar nonfull;
	void **slot;
	uint32_t size;
	uint32_t head;   /* next slot to fetch */
	uint32_t count;
	uint32_t waiters_get;
	uint32_t waiters_put;
	int own;         /* the ring is from the allocator */
};

/** Allocates room for size messages.  Returns 0, -EINVAL or -ENOMEM. */
int uk_lwip_mbox_init(struct uk_lwip_mbox *mb, uint32_t size);
/**
 * As uk_lwip_mbox_init(), over the caller's ring of size slots, which
 * must outlive the mailbox (it is not freed).  Returns 0 or -EINVAL.
 */
int uk_lwip_mbox_init_ring(struct uk_lwip_mbox *mb, void **ring,
			   uint32_t size);
/** Frees the ring if it was allocated; messages still queued are dropped. */
void uk_lwip_mbox_fini(struct uk_lwip_mbox *mb);
/** Queues msg, waiting while the mailbox is full. */
void uk_lwip_mbox_post(struct uk_lwip_mbox *mb, void *msg);
/** Queues msg if there is room.  Returns 0 or -EAGAIN (full). */
int uk_lwip_mbox_trypost(struct uk_lwip_mbox *mb, void *msg);
/**
 * As uk_lwip_mbox_trypost(), for interrupt handlers: it never waits for
 * the lock either, and fails with -EAGAIN if a thread holds it.
 */
int uk_lwip_mbox_trypost_fromisr(struct uk_lwip_mbox *mb, void *msg);
/**
 * Takes the oldest message into *msg, waiting until the monotonic
 * deadline (ns; 0: forever).  Returns 0 or -ETIMEDOUT.
 */
int uk_lwip_mbox_fetch(struct uk_lwip_mbox *mb, void **msg,
		       uint64_t deadline_ns);
/** Takes the oldest message if any.  Returns 0 or -EAGAIN (empty). */
int uk_lwip_mbox_tryfetch(struct uk_lwip_mbox *mb, void **msg);
/** Messages queued now (a snapshot). */
uint32_t uk_lwip_mbox_count(struct uk_lwip_mbox *mb);

#endif /* UK_LWIP_MBOX_H */
