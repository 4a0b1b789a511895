/*
 * Split virtqueues, driver side.  The rings live in one zeroed, page
 * aligned block laid out as the legacy interface requires (descriptors,
 * available ring, padding to 4 KiB, used ring).  Memory ordering: the
 * device reads a descriptor only after it sees the available index move,
 * so every index update is preceded by a release fence, and reads of the
 * used ring follow an acquire of its index.  On x86 these are compiler
 * barriers, plus a full fence where a store must be visible before a
 * load (interrupt re-enable, notification check).
 */
#include <errno.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/virtio.h>

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* Bytes of ring memory for num entries. */
size_t uk_virtqueue_mem_size(uint16_t num)
{
	size_t a = sizeof(struct uk_vring_desc) * num +
		   sizeof(uint16_t) * (3 + num);

	return align_up(a, UK_VRING_ALIGN) +
	       align_up(sizeof(uint16_t) * 3 +
			sizeof(struct uk_vring_used_elem) * num,
			UK_VRING_ALIGN);
}

/* Lays out the rings over mem.  Returns 0 or -EINVAL. */
int uk_virtqueue_init(struct uk_virtqueue *vq, uint16_t index, uint16_t num,
		      void *mem)
{
	size_t a;

	if (!num || (num & (num - 1)) ||
	    ((uintptr_t)mem & (UK_VRING_ALIGN - 1)))
		return -EINVAL;
	vq->num = num;
	vq->index = index;
	vq->last_used = 0;
	vq->desc = mem;
	vq->avail = (struct uk_vring_avail *)((char *)mem +
					      sizeof(struct uk_vring_desc) * num);
	a = sizeof(struct uk_vring_desc) * num + sizeof(uint16_t) * (3 + num);
	vq->used = (struct uk_vring_used *)((char *)mem +
					    align_up(a, UK_VRING_ALIGN));
	return 0;
}

/* Makes the chain at head visible to the device (release ordered). */
static void avail_publish(struct uk_virtqueue *vq, uint16_t head)
{
	uint16_t idx = __atomic_load_n(&vq->avail->idx, __ATOMIC_RELAXED);

	vq->avail->ring[idx & (vq->num - 1)] = head;
	__atomic_store_n(&vq->avail->idx, (uint16_t)(idx + 1),
			 __ATOMIC_RELEASE);
}

/* Offers buffer id to the device.  Returns 0 or -EINVAL. */
int uk_virtqueue_post(struct uk_virtqueue *vq, uint16_t id, void *buf,
		      uint32_t len, int writable)
{
	if (id >= vq->num)
		return -EINVAL;
	vq->desc[id].addr = (uint64_t)(uintptr_t)buf;
	vq->desc[id].len = len;
	vq->desc[id].flags = writable ? UK_VRING_DESC_F_WRITE : 0;
	vq->desc[id].next = 0;
	avail_publish(vq, id);
	return 0;
}

/*
 * Offers segs[0..n) as descriptors head..head+n-1, chained in order.
 * Returns 0 or -EINVAL (empty chain, range past the ring, or a
 * device-readable segment after a writable one).
 */
int uk_virtqueue_post_chain(struct uk_virtqueue *vq, uint16_t head,
			    const struct uk_virtqueue_seg *segs,
			    unsigned int n)
{
	unsigned int i;

	if (!n || head >= vq->num || n > (unsigned int)(vq->num - head))
		return -EINVAL;
	for (i = 1; i < n; i++)
		if (segs[i - 1].writable && !segs[i].writable)
			return -EINVAL;
	for (i = 0; i < n; i++) {
		struct uk_vring_desc *d = &vq->desc[head + i];

		d->addr = (uint64_t)(uintptr_t)segs[i].buf;
		d->len = segs[i].len;
		d->flags = (uint16_t)((segs[i].writable ?
				       UK_VRING_DESC_F_WRITE : 0) |
				      (i + 1 < n ? UK_VRING_DESC_F_NEXT : 0));
		d->next = (uint16_t)(i + 1 < n ? head + i + 1 : 0);
	}
	avail_publish(vq, head);
	return 0;
}

/* 1 unless the device asked not to be notified. */
int uk_virtqueue_needs_notify(const struct uk_virtqueue *vq)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return !(__atomic_load_n(&vq->used->flags, __ATOMIC_RELAXED) &
		 UK_VRING_USED_F_NO_NOTIFY);
}

/* 1 when completed buffers wait to be popped. */
int uk_virtqueue_has_used(const struct uk_virtqueue *vq)
{
	return __atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE) !=
	       vq->last_used;
}

/* Pops one completed buffer: 1 with *id and *len set, or 0. */
int uk_virtqueue_used_pop(struct uk_virtqueue *vq, uint16_t *id,
			  uint32_t *len)
{
	struct uk_vring_used_elem *e;

	if (!uk_virtqueue_has_used(vq))
		return 0;
	e = &vq->used->ring[vq->last_used & (vq->num - 1)];
	*id = (uint16_t)e->id;
	*len = e->len;
	vq->last_used++;
	return 1;
}

/* Sets or clears interrupt suppression; see uk/virtio.h. */
int uk_virtqueue_intr_enable(struct uk_virtqueue *vq, int on)
{
	uint16_t f = __atomic_load_n(&vq->avail->flags, __ATOMIC_RELAXED);

	if (!on) {
		__atomic_store_n(&vq->avail->flags,
				 (uint16_t)(f | UK_VRING_AVAIL_F_NO_INTERRUPT),
				 __ATOMIC_RELAXED);
		return 0;
	}
	__atomic_store_n(&vq->avail->flags,
			 (uint16_t)(f & ~UK_VRING_AVAIL_F_NO_INTERRUPT),
			 __ATOMIC_RELAXED);
	/* The flag store must be visible before we look for completions,
	 * or one arriving in between would raise no interrupt. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return uk_virtqueue_has_used(vq);
}

/* See uk/virtio.h.  Returns 0 or -errno. */
int uk_virtio_queue_create(struct uk_virtio_dev *vdev, struct uk_alloc *a,
			   struct uk_virtqueue *vq, uint16_t q, uint16_t min)
{
	uint16_t num = vdev->ops->queue_size(vdev, q);
	void *mem;
	size_t sz;

	if (!num || num < min)
		return -ENODEV;
	sz = uk_virtqueue_mem_size(num);
	if (uk_posix_memalign(a, &mem, UK_VRING_ALIGN, sz))
		return -ENOMEM;
	memset(mem, 0, sz);
	if (uk_virtqueue_init(vq, q, num, mem)) {
		uk_free(a, mem);
		return -EINVAL;
	}
	return vdev->ops->queue_setup(vdev, vq);
}
