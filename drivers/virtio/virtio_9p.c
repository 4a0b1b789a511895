/*
 * The virtio-9p transport: carries uk9p's requests over one virtqueue.
 *
 * The device's config space holds the mount tag (tag_len[2] tag[...],
 * feature VIRTIO_9P_MOUNT_TAG); the transport registers with uk9p under
 * that tag.  A request is one descriptor chain: the request's buffers
 * (device-readable) then the reply's (device-writable), as uk9p hands
 * them over, so read and write data go straight between the caller's
 * buffer and the device.  The queue is carved into groups of four
 * descriptors, one per request slot (two buffers each way at most).
 *
 * Completion is interrupt driven: the interrupt handler acknowledges the
 * ISR and takes the finished chains off the used ring, records each
 * one's reply length in its slot and wakes the thread waiting there (an
 * interrupt handler may only record and wake; the used ring is touched
 * nowhere else).  Threads beyond the number of slots wait for one.
 */
#include <errno.h>
#include <string.h>

#include <uk/9p.h>
#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/lock.h>
#include <uk/plat/irq.h>
#include <uk/virtio.h>
#include <uk/wait.h>

#define P9_F_MOUNT_TAG (1u << 0)
#define GROUP 4
#define MAX_SLOTS 32
#define REQQ 0

struct slot {
	uint32_t done;     /* set by the interrupt handler */
	uint32_t len;      /* reply bytes the device wrote */
	uint32_t busy;
};

struct v9p {
	struct uk_9p_trans t;
	struct uk_alloc *a;
	struct uk_virtio_dev *vdev;
	struct uk_virtqueue vq;
	struct slot slots[MAX_SLOTS];
	uint16_t nslots;
	uint16_t free[MAX_SLOTS];
	uint16_t nfree;
	struct uk_mutex lock;          /* the available ring, the free list */
	struct uk_semaphore slots_free;
};

static int v9p_rpc(struct uk_9p_trans *t, struct uk_9p_io *io)
{
	struct v9p *v = t->priv;
	struct uk_virtqueue_seg segs[GROUP];
	unsigned int i, n = 0;
	uint64_t cap = 0;
	struct slot *s;
	uint16_t id;
	int rc;

	if (io->ntx + io->nrx > GROUP || !io->ntx || !io->nrx)
		return -EIO;
	for (i = 0; i < io->ntx; i++)
		if (io->tx[i].len)
			segs[n++] = (struct uk_virtqueue_seg){
				io->tx[i].base, io->tx[i].len, 0 };
	for (i = 0; i < io->nrx; i++) {
		cap += io->rx[i].len;
		if (io->rx[i].len)
			segs[n++] = (struct uk_virtqueue_seg){
				io->rx[i].base, io->rx[i].len, 1 };
	}
	uk_semaphore_down(&v->slots_free);
	uk_mutex_lock(&v->lock);
	UK_ASSERT(v->nfree > 0);
	id = v->free[--v->nfree];
	s = &v->slots[id];
	__atomic_store_n(&s->done, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&s->busy, 1, __ATOMIC_RELEASE);
	rc = uk_virtqueue_post_chain(&v->vq, (uint16_t)(id * GROUP), segs, n);
	UK_ASSERT(rc == 0);
	if (uk_virtqueue_needs_notify(&v->vq))
		v->vdev->ops->notify(v->vdev, REQQ);
	uk_mutex_unlock(&v->lock);

	while (!__atomic_load_n(&s->done, __ATOMIC_ACQUIRE))
		uk_wait_on(&s->done, 0, 0);
	io->rx_len = s->len;

	uk_mutex_lock(&v->lock);
	v->free[v->nfree++] = id;
	uk_mutex_unlock(&v->lock);
	uk_semaphore_up(&v->slots_free);
	/* The device's length is not trusted to fit. */
	return io->rx_len > cap ? -EIO : 0;
}

static void v9p_free(struct v9p *v);

/* Unregistered: stop the device's DMA, then free. */
static void v9p_release(struct uk_9p_trans *t)
{
	struct v9p *v = t->priv;

	v->vdev->ops->status_set(v->vdev, 0);
	v9p_free(v);
}

static const struct uk_9p_trans_ops v9p_ops = {
	.rpc = v9p_rpc,
	.release = v9p_release,
};

/*
 * Interrupt handler: acknowledges the ISR and completes every finished
 * chain.  Returns 1 if the device raised it.
 */
int uk_virtio_9p_irq(void *arg)
{
	struct v9p *v = arg;
	uint8_t isr = v->vdev->ops->isr_read(v->vdev);
	uint16_t id, sid;
	uint32_t len;

	if (!isr)
		return 0;
	while (uk_virtqueue_used_pop(&v->vq, &id, &len)) {
		sid = id / GROUP;
		if (id % GROUP || sid >= v->nslots ||
		    !__atomic_load_n(&v->slots[sid].busy, __ATOMIC_ACQUIRE))
			continue; /* a device bug: never posted */
		__atomic_store_n(&v->slots[sid].busy, 0, __ATOMIC_RELAXED);
		v->slots[sid].len = len;
		__atomic_store_n(&v->slots[sid].done, 1, __ATOMIC_RELEASE);
		uk_wake(&v->slots[sid].done, 1);
	}
	return 1;
}

static void v9p_free(struct v9p *v)
{
	if (v->vq.desc)
		uk_free(v->a, v->vq.desc);
	uk_semaphore_fini(&v->slots_free);
	uk_free(v->a, v);
}

/* Reads the mount tag into v->t.tag: 0 or -ENODEV. */
static int read_tag(struct v9p *v)
{
	const struct uk_virtio_ops *ops = v->vdev->ops;
	uint16_t len = 0;

	ops->config_read(v->vdev, 0, &len, sizeof(len));
	if (!len || len > UK_9P_TAG_MAX)
		return -ENODEV;
	ops->config_read(v->vdev, 2, v->t.tag, len);
	v->t.tag[len] = '\0';
	if (strlen(v->t.tag) != len)
		return -ENODEV; /* a NUL inside the tag */
	return 0;
}

/* See uk/virtio.h.  0, -ENODEV, -ENOMEM or the registry's error. */
int uk_virtio_9p_attach(struct uk_virtio_dev *vdev, int irq_line)
{
	struct uk_alloc *a = uk_alloc_get_default();
	const struct uk_virtio_ops *ops = vdev->ops;
	struct v9p *v;
	uint16_t i;
	int rc;

	v = uk_calloc(a, 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->a = a;
	v->vdev = vdev;
	v->lock = (struct uk_mutex)UK_MUTEX_INITIALIZER;
	ops->status_set(vdev, 0);
	ops->status_set(vdev, UK_VIRTIO_S_ACK);
	ops->status_set(vdev, UK_VIRTIO_S_ACK | UK_VIRTIO_S_DRIVER);
	if (!(ops->features_get(vdev) & P9_F_MOUNT_TAG)) {
		rc = -ENODEV;
		goto fail;
	}
	ops->features_set(vdev, P9_F_MOUNT_TAG);
	rc = read_tag(v);
	if (!rc)
		rc = uk_virtio_queue_create(v->vdev, v->a, &v->vq, REQQ,
					    GROUP);
	if (rc)
		goto fail;
	v->nslots = v->vq.num / GROUP;
	if (v->nslots > MAX_SLOTS)
		v->nslots = MAX_SLOTS;
	for (i = 0; i < v->nslots; i++)
		v->free[i] = (uint16_t)(v->nslots - 1 - i);
	v->nfree = v->nslots;
	uk_semaphore_init(&v->slots_free, NULL, v->nslots);
	v->t.ops = &v9p_ops;
	v->t.max_msize = 0;    /* data is never copied: no limit of ours */
	v->t.max_requests = v->nslots;
	v->t.priv = v;
	ops->status_set(vdev, UK_VIRTIO_S_ACK | UK_VIRTIO_S_DRIVER |
			      UK_VIRTIO_S_DRIVER_OK);
	rc = uk_9p_trans_register(&v->t);
	if (rc)
		goto fail_ok;
	if (irq_line >= 0) {
		rc = uk_plat_irq_register((unsigned int)irq_line,
					  uk_virtio_9p_irq, v);
		if (rc) {
			/* Unregistering releases (frees) v. */
			uk_9p_trans_unregister(&v->t);
			ops->status_set(vdev, UK_VIRTIO_S_FAILED);
			return rc;
		}
	}
	return 0;

fail_ok:
	/* The device may already use the rings: stop it before freeing. */
	ops->status_set(vdev, 0);
fail:
	ops->status_set(vdev, UK_VIRTIO_S_FAILED);
	v9p_free(v);
	return rc;
}
