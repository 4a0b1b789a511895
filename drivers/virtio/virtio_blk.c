/*
 * The virtio-blk driver: a ukblkdev driver over one request queue.
 *
 * Each request is a descriptor chain: a 16-byte header (type, sector),
 * the data buffer (one descriptor, or two when the device limits segment
 * sizes), and a one-byte status the device writes.  The queue is carved
 * into fixed groups of four descriptors, one group per request slot, so
 * slot s is always descriptors 4s..4s+3 and the device returns 4s as the
 * chain's id; the number of slots is the device's max_in_flight, and
 * ukblkdev queues anything beyond it.  Headers and statuses live in the
 * slot array; data goes straight to and from the caller's buffer (kvm is
 * identity mapped, so its address is the device's).
 *
 * Completion is interrupt driven: the interrupt handler acknowledges the
 * ISR and wakes the device's completion thread, which drains the used
 * ring with interrupts suppressed, maps each status to 0, -EIO
 * (VIRTIO_BLK_S_IOERR, or a status never written) or -ENOTSUP
 * (VIRTIO_BLK_S_UNSUPP), and hands the request back to ukblkdev (whose
 * callbacks therefore run in thread context).  Flush is offered to
 * ukblkdev only when the device has a write cache (VIRTIO_BLK_F_FLUSH).
 */
#include <errno.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/blkdev.h>
#include <uk/lock.h>
#include <uk/plat/irq.h>
#include <uk/print.h>
#include <uk/thread.h>
#include <uk/virtio.h>
#include <uk/wait.h>

#define BLK_F_SIZE_MAX (1u << 1)
#define BLK_F_SEG_MAX (1u << 2)
#define BLK_F_RO (1u << 5)
#define BLK_F_BLK_SIZE (1u << 6)
#define BLK_F_FLUSH (1u << 9)

#define CFG_CAPACITY 0
#define CFG_SIZE_MAX 8
#define CFG_SEG_MAX 12
#define CFG_BLK_SIZE 20

#define T_IN 0
#define T_OUT 1
#define T_FLUSH 4

#define S_OK 0
#define S_IOERR 1
#define S_UNSUPP 2
#define S_NONE 0xff    /* ours: the device never wrote the status */

#define GROUP 4        /* descriptors per slot: header, 2 data, status */
#define MAX_SLOTS 64
#define MAX_REQ_BYTES (256 * 1024)
#define REQQ 0

struct vblk_hdr {
	uint32_t type;
	uint32_t ioprio;
	uint64_t sector;   /* always in 512-byte units */
};

struct slot {
	struct vblk_hdr hdr;
	uint8_t status;
	struct uk_blkreq *req;   /* NULL when free */
};

struct vblk {
	struct uk_blkdev bd;
	struct uk_alloc *a;
	struct uk_virtio_dev *vdev;
	struct uk_virtqueue vq;
	struct slot *slots;
	uint16_t nslots;
	uint16_t free[MAX_SLOTS];
	uint16_t nfree;
	uint32_t seg_bytes;      /* largest data descriptor (0: any) */
	unsigned int shift;      /* log2(sector_size / 512) */
	struct uk_mutex lock;    /* the available ring and the free list */
	uint32_t irq_pending;    /* the completion thread sleeps on it */
	uint32_t stopping;
	struct uk_thread *thread;
};

static int vblk_submit(struct uk_blkdev *bd, struct uk_blkreq *req)
{
	struct vblk *v = bd->priv;
	struct uk_virtqueue_seg segs[GROUP];
	uint32_t len = req->count << (9 + v->shift);
	unsigned int n = 0;
	struct slot *s;
	uint16_t id;
	int writable = req->op == UK_BLKREQ_READ, rc;

	uk_mutex_lock(&v->lock);
	/* ukblkdev never issues more than max_in_flight == nslots. */
	UK_ASSERT(v->nfree > 0);
	id = v->free[--v->nfree];
	s = &v->slots[id];
	s->req = req;
	s->status = S_NONE;
	s->hdr.type = req->op == UK_BLKREQ_READ ? T_IN :
		      req->op == UK_BLKREQ_WRITE ? T_OUT : T_FLUSH;
	s->hdr.ioprio = 0;
	s->hdr.sector = req->op == UK_BLKREQ_FLUSH ? 0 :
			req->sector << v->shift;
	segs[n++] = (struct uk_virtqueue_seg){ &s->hdr, sizeof(s->hdr), 0 };
	if (req->op != UK_BLKREQ_FLUSH) {
		uint32_t first = v->seg_bytes && len > v->seg_bytes ?
					 v->seg_bytes : len;

		segs[n++] = (struct uk_virtqueue_seg){ req->buf, first,
						       writable };
		if (first < len)
			segs[n++] = (struct uk_virtqueue_seg){
				(char *)req->buf + first, len - first,
				writable };
	}
	segs[n++] = (struct uk_virtqueue_seg){ &s->status, 1, 1 };
	rc = uk_virtqueue_post_chain(&v->vq, (uint16_t)(id * GROUP), segs, n);
	UK_ASSERT(rc == 0);
	if (uk_virtqueue_needs_notify(&v->vq))
		v->vdev->ops->notify(v->vdev, REQQ);
	uk_mutex_unlock(&v->lock);
	return 0;
}

static int status_to_errno(uint8_t status)
{
	switch (status) {
	case S_OK:
		return 0;
	case S_UNSUPP:
		return -ENOTSUP;
	default:
		return -EIO;
	}
}

/* Completes every finished chain (completion thread only). */
static void drain(struct vblk *v)
{
	uint16_t id, sid;
	uint32_t len;
	struct uk_blkreq *req;
	int rc;

	do {
		uk_virtqueue_intr_enable(&v->vq, 0);
		while (uk_virtqueue_used_pop(&v->vq, &id, &len)) {
			sid = id / GROUP;
			if (id % GROUP || sid >= v->nslots ||
			    !v->slots[sid].req) {
				/* A device bug: that chain was never posted. */
				uk_pr_warn("%s: device returned unknown "
					   "chain %u\n", v->bd.name, id);
				continue;
			}
			req = v->slots[sid].req;
			/* len counts what the device wrote: at least the
			 * status byte, or the status is stale. */
			rc = len ? status_to_errno(v->slots[sid].status) :
				   -EIO;
			v->slots[sid].req = NULL;
			uk_mutex_lock(&v->lock);
			v->free[v->nfree++] = sid;
			uk_mutex_unlock(&v->lock);
			uk_blkdev_complete(&v->bd, req, rc);
		}
	} while (uk_virtqueue_intr_enable(&v->vq, 1));
}

static void completion_thread(void *arg)
{
	struct vblk *v = arg;

	for (;;) {
		while (!__atomic_exchange_n(&v->irq_pending, 0,
					    __ATOMIC_ACQUIRE))
			uk_wait_on(&v->irq_pending, 0, 0);
		if (__atomic_load_n(&v->stopping, __ATOMIC_ACQUIRE))
			return;
		drain(v);
	}
}

/* Interrupt handler: acknowledges the ISR; 1 if the device raised it. */
int uk_virtio_blk_irq(void *arg)
{
	struct vblk *v = arg;
	uint8_t isr = v->vdev->ops->isr_read(v->vdev);

	if (!isr)
		return 0;
	if (isr & 1) {
		__atomic_store_n(&v->irq_pending, 1, __ATOMIC_RELEASE);
		uk_wake(&v->irq_pending, 1);
	}
	return 1;
}

static void vblk_stop_thread(struct vblk *v)
{
	if (!v->thread)
		return;
	__atomic_store_n(&v->stopping, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&v->irq_pending, 1, __ATOMIC_RELEASE);
	uk_wake(&v->irq_pending, 1);
	uk_thread_join(v->thread);
	v->thread = NULL;
}

static void vblk_free(struct vblk *v)
{
	struct uk_alloc *a = v->a;

	if (v->slots)
		uk_free(a, v->slots);
	if (v->vq.desc)
		uk_free(a, v->vq.desc);
	uk_free(a, v);
}

/* Unregistered and unobserved: stop the device's DMA, then free. */
static void vblk_release(struct uk_blkdev *bd)
{
	struct vblk *v = bd->priv;

	v->vdev->ops->status_set(v->vdev, 0);
	vblk_stop_thread(v);
	vblk_free(v);
}

static const struct uk_blkdev_ops vblk_ops = {
	.submit = vblk_submit,
	.release = vblk_release,
};

/* Geometry and limits from the config space and the features. */
static void read_config(struct vblk *v, uint32_t feat)
{
	const struct uk_virtio_ops *ops = v->vdev->ops;
	uint64_t cap = 0;
	uint32_t blk = 0, size_max = 0, seg_max = 0, max_bytes;
	unsigned int segs = 2;

	ops->config_read(v->vdev, CFG_CAPACITY, &cap, sizeof(cap));
	if (feat & BLK_F_BLK_SIZE)
		ops->config_read(v->vdev, CFG_BLK_SIZE, &blk, sizeof(blk));
	v->shift = 0;
	if (blk > 512 && blk <= 65536 && !(blk & (blk - 1)))
		while ((512u << v->shift) < blk)
			v->shift++;
	v->bd.sector_size = 512u << v->shift;
	v->bd.sectors = cap >> v->shift;
	if (feat & BLK_F_SEG_MAX) {
		ops->config_read(v->vdev, CFG_SEG_MAX, &seg_max,
				 sizeof(seg_max));
		if (seg_max == 1)
			segs = 1;
	}
	max_bytes = MAX_REQ_BYTES;
	if (feat & BLK_F_SIZE_MAX) {
		ops->config_read(v->vdev, CFG_SIZE_MAX, &size_max,
				 sizeof(size_max));
		if (size_max >= v->bd.sector_size) {
			v->seg_bytes = size_max;
			if ((uint64_t)size_max * segs < max_bytes)
				max_bytes = size_max * segs;
		}
	}
	v->bd.max_sectors = max_bytes / v->bd.sector_size;
	if (feat & BLK_F_RO)
		v->bd.flags |= UK_BLKDEV_F_RO;
	if (feat & BLK_F_FLUSH)
		v->bd.flags |= UK_BLKDEV_F_FLUSH;
}

/*
 * See uk/virtio.h.  Returns 0, -ENODEV (no usable queue), -ENOMEM, or
 * the thread's or the registry's error.
 */
int uk_virtio_blk_attach(struct uk_virtio_dev *vdev, int irq_line)
{
	struct uk_alloc *a = uk_alloc_get_default();
	const struct uk_virtio_ops *ops = vdev->ops;
	struct vblk *v;
	uint32_t feat;
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
	feat = ops->features_get(vdev) & (BLK_F_SIZE_MAX | BLK_F_SEG_MAX |
					  BLK_F_RO | BLK_F_BLK_SIZE |
					  BLK_F_FLUSH);
	ops->features_set(vdev, feat);
	read_config(v, feat);

	rc = uk_virtio_queue_create(v->vdev, v->a, &v->vq, REQQ, GROUP);
	if (rc)
		goto fail;
	v->nslots = v->vq.num / GROUP;
	if (v->nslots > MAX_SLOTS)
		v->nslots = MAX_SLOTS;
	v->slots = uk_calloc(a, v->nslots, sizeof(*v->slots));
	if (!v->slots) {
		rc = -ENOMEM;
		goto fail;
	}
	for (i = 0; i < v->nslots; i++)
		v->free[i] = (uint16_t)(v->nslots - 1 - i);
	v->nfree = v->nslots;
	v->bd.ops = &vblk_ops;
	v->bd.max_in_flight = v->nslots;
	v->bd.priv = v;
	rc = uk_thread_create(&v->thread, "virtio-blk", completion_thread, v,
			      0);
	if (rc)
		goto fail;
	/* A driver's thread: system CPU time. */
	uk_thread_set_class(v->thread, UK_THREAD_CLASS_SYSTEM);
	ops->status_set(vdev, UK_VIRTIO_S_ACK | UK_VIRTIO_S_DRIVER |
			      UK_VIRTIO_S_DRIVER_OK);

	rc = uk_blkdev_register(&v->bd);
	if (rc)
		goto fail_ok;
	if (irq_line >= 0) {
		rc = uk_plat_irq_register((unsigned int)irq_line,
					  uk_virtio_blk_irq, v);
		if (rc) {
			/* The release callback frees v. */
			uk_blkdev_unregister(&v->bd);
			return rc;
		}
	}
	return 0;

fail_ok:
	/* The device may already use the rings: stop it before freeing. */
	ops->status_set(vdev, 0);
fail:
	ops->status_set(vdev, UK_VIRTIO_S_FAILED);
	vblk_stop_thread(v);
	vblk_free(v);
	return rc;
}
