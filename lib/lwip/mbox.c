/*
 * lwIP's mailboxes as a bounded ring of pointers.  Producers (application
 * threads posting API calls, the receive thread, interrupt handlers via
 * the "fromisr" variant) and the consumer (usually the tcpip thread)
 * meet under one mutex; two condition variables let each side sleep,
 * and a side signals only when the other one is actually waiting, so a
 * busy mailbox costs one lock round trip per message.  "try" posts never
 * wait for room; they do take the mutex, which is only ever held for a
 * few instructions (never across a wait), so on kvm's cooperative
 * threads they find it free, and on linuxu they wait at most that long.
 */
#include <errno.h>
#include <stddef.h>

#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/lock.h>
#include <uk/lwip_mbox.h>

/* Sets up mb over ring; returns 0 or -EINVAL. */
int uk_lwip_mbox_init_ring(struct uk_lwip_mbox *mb, void **ring,
			   uint32_t size)
{
	if (!mb || !ring || size == 0)
		return -EINVAL;
	mb->slot = ring;
	uk_mutex_init(&mb->lock, NULL);
	uk_condvar_init(&mb->nonempty, NULL);
	uk_condvar_init(&mb->nonfull, NULL);
	mb->size = size;
	mb->head = 0;
	mb->count = 0;
	mb->waiters_get = 0;
	mb->waiters_put = 0;
	mb->own = 0;
	return 0;
}

/* Allocates the ring.  Returns 0, -EINVAL (size 0) or -ENOMEM. */
int uk_lwip_mbox_init(struct uk_lwip_mbox *mb, uint32_t size)
{
	void **ring;

	if (!mb || size == 0)
		return -EINVAL;
	ring = uk_calloc(uk_alloc_get_default(), size, sizeof(void *));
	if (!ring)
		return -ENOMEM;
	uk_lwip_mbox_init_ring(mb, ring, size);
	mb->own = 1;
	return 0;
}

/* Frees the ring if allocated; no thread may be using the mailbox. */
void uk_lwip_mbox_fini(struct uk_lwip_mbox *mb)
{
	UK_ASSERT(mb->waiters_get == 0 && mb->waiters_put == 0);
	if (mb->own)
		uk_free(uk_alloc_get_default(), mb->slot);
	mb->slot = NULL;
	mb->size = 0;
	uk_condvar_fini(&mb->nonempty);
	uk_condvar_fini(&mb->nonfull);
	uk_mutex_fini(&mb->lock);
}

/* Puts msg in the ring; the lock is held and there is room. */
static void put_locked(struct uk_lwip_mbox *mb, void *msg)
{
	mb->slot[(mb->head + mb->count) % mb->size] = msg;
	mb->count++;
	if (mb->waiters_get)
		uk_condvar_signal(&mb->nonempty);
}

static void *get_locked(struct uk_lwip_mbox *mb)
{
	void *msg = mb->slot[mb->head];

	mb->head = (mb->head + 1) % mb->size;
	mb->count--;
	if (mb->waiters_put)
		uk_condvar_signal(&mb->nonfull);
	return msg;
}

/* Queues msg, waiting for room. */
void uk_lwip_mbox_post(struct uk_lwip_mbox *mb, void *msg)
{
	uk_mutex_lock(&mb->lock);
	while (mb->count == mb->size) {
		mb->waiters_put++;
		uk_condvar_wait(&mb->nonfull, &mb->lock);
		mb->waiters_put--;
	}
	put_locked(mb, msg);
	uk_mutex_unlock(&mb->lock);
}

/* Queues msg if there is room.  Returns 0 or -EAGAIN. */
int uk_lwip_mbox_trypost(struct uk_lwip_mbox *mb, void *msg)
{
	int rc = -EAGAIN;

	uk_mutex_lock(&mb->lock);
	if (mb->count < mb->size) {
		put_locked(mb, msg);
		rc = 0;
	}
	uk_mutex_unlock(&mb->lock);
	return rc;
}

/* As uk_lwip_mbox_trypost() but never waits for the lock.  0 or -EAGAIN. */
int uk_lwip_mbox_trypost_fromisr(struct uk_lwip_mbox *mb, void *msg)
{
	int rc = -EAGAIN;

	if (uk_mutex_trylock(&mb->lock))
		return -EAGAIN;
	if (mb->count < mb->size) {
		put_locked(mb, msg);
		rc = 0;
	}
	uk_mutex_unlock(&mb->lock);
	return rc;
}

/* Takes the oldest message, waiting until deadline_ns.  0 or -ETIMEDOUT. */
int uk_lwip_mbox_fetch(struct uk_lwip_mbox *mb, void **msg,
		       uint64_t deadline_ns)
{
	int rc = 0;

	uk_mutex_lock(&mb->lock);
	while (mb->count == 0) {
		mb->waiters_get++;
		rc = uk_condvar_wait_until(&mb->nonempty, &mb->lock,
					   deadline_ns);
		mb->waiters_get--;
		if (rc == -ETIMEDOUT && mb->count == 0)
			break;
		rc = 0;
	}
	if (rc == 0) {
		void *m = get_locked(mb);

		if (msg)
			*msg = m;
	}
	uk_mutex_unlock(&mb->lock);
	return rc;
}

/* Takes the oldest message if any.  0 or -EAGAIN. */
int uk_lwip_mbox_tryfetch(struct uk_lwip_mbox *mb, void **msg)
{
	int rc = -EAGAIN;

	uk_mutex_lock(&mb->lock);
	if (mb->count) {
		void *m = get_locked(mb);

		if (msg)
			*msg = m;
		rc = 0;
	}
	uk_mutex_unlock(&mb->lock);
	return rc;
}

/* A snapshot of the number of queued messages. */
uint32_t uk_lwip_mbox_count(struct uk_lwip_mbox *mb)
{
	uint32_t n;

	uk_mutex_lock(&mb->lock);
	n = mb->count;
	uk_mutex_unlock(&mb->lock);
	return n;
}
