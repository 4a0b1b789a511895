/*
 * virtio-net driver tests against a device model: a fake transport whose
 * "device" side consumes transmit descriptors and fills receive buffers
 * through the same rings a real device would use, so the driver's queue
 * handling, copying, interrupt suppression and statistics run as they do
 * in the VM.
 */
#include <errno.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/netdev.h>
#include <uk/test.h>
#include <uk/virtio.h>

#define QSIZE 8

struct model {
	struct uk_virtio_dev vdev;
	uint32_t host_features, guest_features;
	uint8_t status, isr;
	uint8_t config[8];
	struct uk_virtqueue *q[2];
	uint16_t seen_avail[2];
	int notifies[2];
	/* the last frame transmitted */
	uint8_t tx_frame[2048];
	uint32_t tx_len;
	int tx_consume; /* complete tx buffers when notified */
};

static struct model m;

static struct model *M(struct uk_virtio_dev *d)
{
	return d->priv;
}

static uint32_t f_get(struct uk_virtio_dev *d) { return M(d)->host_features; }
static void f_set(struct uk_virtio_dev *d, uint32_t f)
{
	M(d)->guest_features = f;
}
static uint8_t s_get(struct uk_virtio_dev *d) { return M(d)->status; }
static void s_set(struct uk_virtio_dev *d, uint8_t s) { M(d)->status = s; }
static void c_read(struct uk_virtio_dev *d, unsigned int off, void *buf,
		   unsigned int len)
{
	memcpy(buf, M(d)->config + off, len);
}
static uint16_t q_size(struct uk_virtio_dev *d, uint16_t q)
{
	return q < 2 ? QSIZE : 0;
}
static int q_setup(struct uk_virtio_dev *d, struct uk_virtqueue *vq)
{
	M(d)->q[vq->index] = vq;
	return 0;
}

/* The device side: complete one available buffer with len bytes. */
static int dev_complete(struct model *mm, int qi, const void *data,
			uint32_t len)
{
	struct uk_virtqueue *vq = mm->q[qi];
	uint16_t slot, id, u;
	struct uk_vring_desc *d;

	if (mm->seen_avail[qi] == vq->avail->idx)
		return -1;
	slot = mm->seen_avail[qi]++ & (vq->num - 1);
	id = vq->avail->ring[slot];
	d = &vq->desc[id];
	if (qi == 1) {
		mm->tx_len = d->len;
		memcpy(mm->tx_frame, (void *)(uintptr_t)d->addr, d->len);
	} else {
		if (len > d->len)
			return -1;
		memcpy((void *)(uintptr_t)d->addr, data, len);
	}
	u = vq->used->idx;
	vq->used->ring[u & (vq->num - 1)].id = id;
	vq->used->ring[u & (vq->num - 1)].len = qi == 1 ? 0 : len;
	__atomic_store_n(&vq->used->idx, (uint16_t)(u + 1), __ATOMIC_RELEASE);
	return 0;
}

static void notify(struct uk_virtio_dev *d, uint16_t q)
{
	M(d)->notifies[q]++;
	if (q == 1 && M(d)->tx_consume)
		while (dev_complete(M(d), 1, NULL, 0) == 0)
			;
}

static uint8_t isr_read(struct uk_virtio_dev *d)
{
	uint8_t v = M(d)->isr;

	M(d)->isr = 0;
	return v;
}

static const struct uk_virtio_ops model_ops = {
	f_get, f_set, s_get, s_set, c_read, q_size, q_setup, notify, isr_read,
};

static int rx_cb_calls;

static void rx_cb(struct uk_netdev *dev, void *arg)
{
	rx_cb_calls++;
}

static struct uk_netdev *attach(void)
{
	struct uk_netdev *nd;
	unsigned int n = uk_netdev_count();

	memset(&m, 0, sizeof(m));
	m.vdev.ops = &model_ops;
	m.vdev.priv = &m;
	m.host_features = (1u << 5) | (1u << 16) | (1u << 15) | (1u << 0);
	memcpy(m.config, "\x52\x54\x00\x12\x34\x56\x01\x00", 8);
	m.tx_consume = 1;
	if (uk_virtio_net_attach(&m.vdev, -1))
		return NULL;
	nd = uk_netdev_get(n);
	return nd;
}

/* Injects a received frame from the device side and raises the IRQ. */
static int inject(const void *frame, uint32_t len)
{
	uint8_t buf[2048] = { 0 };

	memcpy(buf + 10, frame, len);
	if (dev_complete(&m, 0, buf, len + 10))
		return -1;
	m.isr |= 1;
	return 0;
}

UK_TEST(virtio_net_attach_negotiates_and_registers)
{
	struct uk_netdev *nd = attach();

	UK_TEST_ASSERT(nd != NULL);
	/* Only MAC and STATUS: no merged buffers, no checksum offload. */
	UK_TEST_EQ(m.guest_features, (1u << 5) | (1u << 16));
	UK_TEST_EQ(m.status, UK_VIRTIO_S_ACK | UK_VIRTIO_S_DRIVER |
		     UK_VIRTIO_S_DRIVER_OK);
	UK_TEST_EQ(memcmp(nd->hwaddr, "\x52\x54\x00\x12\x34\x56", 6), 0);
	UK_TEST_EQ(nd->mtu, 1500);
	/* Every receive buffer is offered to the device up front. */
	UK_TEST_EQ(m.q[0]->avail->idx, QSIZE);
	UK_TEST_EQ(uk_netdev_link_up(nd), 1);
	m.config[6] = 0;
	UK_TEST_EQ(uk_netdev_link_up(nd), 0);
	uk_netdev_unregister(nd);
}

UK_TEST(virtio_net_tx_prepends_header_and_counts)
{
	struct uk_netdev *nd = attach();
	uint8_t frame[60];

	UK_TEST_ASSERT(nd != NULL);
	memset(frame, 0xab, sizeof(frame));
	UK_TEST_EQ(uk_netdev_tx(nd, frame, sizeof(frame)), 0);
	UK_TEST_EQ(m.tx_len, 70);
	UK_TEST_EQ(m.tx_frame[0], 0);
	UK_TEST_EQ(m.tx_frame[10], 0xab);
	UK_TEST_EQ(nd->stats.tx_packets, 1);
	UK_TEST_EQ(nd->stats.tx_bytes, 60);
	UK_TEST_EQ(uk_netdev_tx(nd, frame, 3000), -EMSGSIZE);
	uk_netdev_unregister(nd);
}

UK_TEST(virtio_net_tx_full_queue_then_reclaim)
{
	struct uk_netdev *nd = attach();
	uint8_t frame[60] = { 1 };
	int i;

	UK_TEST_ASSERT(nd != NULL);
	m.tx_consume = 0; /* a device that has stalled */
	for (i = 0; i < QSIZE; i++)
		UK_TEST_EQ(uk_netdev_tx(nd, frame, sizeof(frame)), 0);
	UK_TEST_EQ(uk_netdev_tx(nd, frame, sizeof(frame)), -EAGAIN);
	UK_TEST_EQ(nd->stats.tx_queue_full, 1);
	/* The device catches up: buffers come back on the next transmit. */
	while (dev_complete(&m, 1, NULL, 0) == 0)
		;
	UK_TEST_EQ(uk_netdev_tx(nd, frame, sizeof(frame)), 0);
	uk_netdev_unregister(nd);
}

UK_TEST(virtio_net_rx_interrupt_copy_and_repost)
{
	struct uk_netdev *nd = attach();
	uint8_t frame[100], out[1600];
	uint16_t avail0;
	int i;

	UK_TEST_ASSERT(nd != NULL);
	rx_cb_calls = 0;
	uk_netdev_rx_cb_set(nd, rx_cb, NULL);
	UK_TEST_EQ(uk_netdev_rx_intr_enable(nd, 1), 0);
	for (i = 0; i < 100; i++)
		frame[i] = (uint8_t)i;
	avail0 = m.q[0]->avail->idx;
	UK_TEST_EQ(inject(frame, sizeof(frame)), 0);
	UK_TEST_EQ(uk_virtio_net_irq(nd->priv), 1);
	UK_TEST_EQ(rx_cb_calls, 1);
	/* A second interrupt with nothing pending is not ours. */
	UK_TEST_EQ(uk_virtio_net_irq(nd->priv), 0);
	UK_TEST_EQ(uk_netdev_rx(nd, out, sizeof(out)), 100);
	UK_TEST_EQ(memcmp(out, frame, 100), 0);
	UK_TEST_EQ(uk_netdev_rx(nd, out, sizeof(out)), 0);
	/* The buffer went straight back to the device. */
	UK_TEST_EQ((uint16_t)(m.q[0]->avail->idx - avail0), 1);
	UK_TEST_EQ(nd->stats.rx_packets, 1);
	UK_TEST_EQ(nd->stats.rx_bytes, 100);
	UK_TEST_ASSERT(nd->stats.rx_queue_empty >= 1);
	uk_netdev_unregister(nd);
}

UK_TEST(virtio_net_rx_many_frames_wrap_the_ring)
{
	struct uk_netdev *nd = attach();
	uint8_t frame[64], out[1600];
	int i;

	UK_TEST_ASSERT(nd != NULL);
	for (i = 0; i < 5 * QSIZE; i++) {
		memset(frame, i, sizeof(frame));
		UK_TEST_EQ(inject(frame, sizeof(frame)), 0);
		UK_TEST_EQ(uk_netdev_rx(nd, out, sizeof(out)), 64);
		UK_TEST_EQ(out[63], (uint8_t)i);
	}
	UK_TEST_EQ(nd->stats.rx_packets, 5 * QSIZE);
	uk_netdev_unregister(nd);
}

UK_TEST(virtio_net_rx_small_buffer_and_intr_pending)
{
	struct uk_netdev *nd = attach();
	uint8_t frame[200] = { 0 }, out[64];

	UK_TEST_ASSERT(nd != NULL);
	uk_netdev_rx_intr_enable(nd, 0);
	UK_TEST_EQ(inject(frame, sizeof(frame)), 0);
	/* Re-enabling finds the frame that arrived while it was off. */
	UK_TEST_EQ(uk_netdev_rx_intr_enable(nd, 1), 1);
	UK_TEST_EQ(uk_netdev_rx(nd, out, sizeof(out)), -EMSGSIZE);
	UK_TEST_EQ(nd->stats.rx_errors, 1);
	/* The buffer was re-posted all the same. */
	UK_TEST_EQ(inject(frame, 10), 0);
	UK_TEST_EQ(uk_netdev_rx(nd, out, sizeof(out)), 10);
	uk_netdev_unregister(nd);
}

UK_TEST(virtio_net_attach_survives_allocation_failures)
{
	struct uk_alloc_failing f;
	struct uk_alloc *old;
	unsigned int n0 = uk_netdev_count();
	uint64_t nth;
	int ok = 0, rc;

	for (nth = 1; nth < 20 && !ok; nth++) {
		memset(&m, 0, sizeof(m));
		m.vdev.ops = &model_ops;
		m.vdev.priv = &m;
		m.host_features = (1u << 5);
		uk_alloc_failing_init(&f, uk_alloc_get_default(), nth, 0);
		old = uk_alloc_set_default(&f.a);
		rc = uk_virtio_net_attach(&m.vdev, -1);
		uk_alloc_set_default(old);
		if (rc == 0) {
			ok = 1;
		} else {
			UK_TEST_EQ(rc, -ENOMEM);
			UK_TEST_EQ(uk_netdev_count(), n0);
			/* Untouched, or told that the driver gave up. */
			UK_TEST_ASSERT(m.status == 0 ||
				       m.status == UK_VIRTIO_S_FAILED);
		}
	}
	UK_TEST_ASSERT(ok);
	UK_TEST_ASSERT(nth > 2); /* some allocations did fail first */
	uk_netdev_unregister(uk_netdev_get(n0));
}
