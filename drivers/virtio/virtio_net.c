/*
 * The virtio-net driver.  Two queues: receive (0) and transmit (1), each
 * with a fixed pool of frame buffers, one descriptor per buffer (buffer i
 * is descriptor i), so the data path never allocates.  Frames are copied
 * in and out of those buffers, behind the virtio-net header: 10 bytes on
 * a legacy device, 12 when the transport negotiated VIRTIO_F_VERSION_1
 * (the num_buffers field is then always there); no merged buffers, no
 * offloads: lwIP computes checksums.
 *
 * Receive is interrupt driven: the interrupt handler acknowledges the ISR
 * and calls uk_netdev_rx_notify(); the stack's receive thread drains with
 * rx() and re-enables the interrupt.  Transmit completions raise no
 * interrupt at all: finished buffers are reclaimed on the next transmit.
 * Every buffer returned to the device is re-posted at once, so an idle
 * device costs nothing.
 */
#include <errno.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/netdev.h>
#include <uk/plat/irq.h>
#include <uk/print.h>
#include <uk/virtio.h>

#define NET_F_MAC (1u << 5)
#define NET_F_STATUS (1u << 16)
#define NET_S_LINK_UP 1

#define NET_HDR_LEN 10   /* legacy header without merged rx buffers */
#define NET_HDR_LEN_V1 12 /* virtio 1.x: num_buffers always present */
#define BUF_SIZE 1536    /* header + 1514-byte frame, rounded */
#define RXQ 0
#define TXQ 1
#define MAX_BUFS 128

struct vnet {
	struct uk_netdev nd;
	struct uk_alloc *a;
	struct uk_virtio_dev *vdev;
	struct uk_virtqueue rxq, txq;
	uint8_t *rxbuf, *txbuf;
	uint16_t nrx, ntx;
	uint16_t tx_free[MAX_BUFS];
	uint16_t ntx_free;
	uint16_t hdr_len;
	int has_status;
};

static uint16_t min16(uint16_t a, uint16_t b)
{
	return a < b ? a : b;
}

static void tx_reclaim(struct vnet *v)
{
	uint16_t id;
	uint32_t len;

	while (uk_virtqueue_used_pop(&v->txq, &id, &len))
		if (id < v->ntx)
			v->tx_free[v->ntx_free++] = id;
}

static int vnet_tx(struct uk_netdev *nd, const void *frame, size_t len)
{
	struct vnet *v = nd->priv;
	uint8_t *buf;
	uint16_t id;

	if (len > (size_t)(BUF_SIZE - v->hdr_len))
		return -EMSGSIZE;
	if (!v->ntx_free)
		tx_reclaim(v);
	if (!v->ntx_free)
		return -EAGAIN;
	id = v->tx_free[--v->ntx_free];
	buf = v->txbuf + (size_t)id * BUF_SIZE;
	memset(buf, 0, v->hdr_len);
	memcpy(buf + v->hdr_len, frame, len);
	uk_virtqueue_post(&v->txq, id, buf, (uint32_t)(v->hdr_len + len), 0);
	if (uk_virtqueue_needs_notify(&v->txq))
		v->vdev->ops->notify(v->vdev, TXQ);
	return 0;
}

static void rx_repost(struct vnet *v, uint16_t id)
{
	uk_virtqueue_post(&v->rxq, id, v->rxbuf + (size_t)id * BUF_SIZE,
			  BUF_SIZE, 1);
	if (uk_virtqueue_needs_notify(&v->rxq))
		v->vdev->ops->notify(v->vdev, RXQ);
}

static int vnet_rx(struct uk_netdev *nd, void *out, size_t size)
{
	struct vnet *v = nd->priv;
	uint16_t id;
	uint32_t len;
	int rc;

	if (!uk_virtqueue_used_pop(&v->rxq, &id, &len))
		return 0;
	if (id >= v->nrx)
		return -EIO; /* a device bug: the id was never posted */
	if (len <= v->hdr_len || len > BUF_SIZE) {
		rc = -EIO;
	} else if (len - v->hdr_len > size) {
		rc = -EMSGSIZE;
	} else {
		memcpy(out, v->rxbuf + (size_t)id * BUF_SIZE + v->hdr_len,
		       len - v->hdr_len);
		rc = (int)(len - v->hdr_len);
	}
	rx_repost(v, id);
	return rc;
}

static int vnet_rx_intr_enable(struct uk_netdev *nd, int on)
{
	struct vnet *v = nd->priv;

	return uk_virtqueue_intr_enable(&v->rxq, on);
}

static int vnet_link_up(struct uk_netdev *nd)
{
	struct vnet *v = nd->priv;
	uint16_t st;

	if (!v->has_status)
		return 1;
	v->vdev->ops->config_read(v->vdev, 6, &st, sizeof(st));
	return st & NET_S_LINK_UP;
}

static void vnet_free(struct vnet *v)
{
	struct uk_alloc *a = v->a;

	if (v->rxbuf)
		uk_free(a, v->rxbuf);
	if (v->txbuf)
		uk_free(a, v->txbuf);
	if (v->rxq.desc)
		uk_free(a, v->rxq.desc);
	if (v->txq.desc)
		uk_free(a, v->txq.desc);
	uk_free(a, v);
}

/* Unregistered and unobserved: stop the device's DMA, then free. */
static void vnet_release(struct uk_netdev *nd)
{
	struct vnet *v = nd->priv;

	v->vdev->ops->status_set(v->vdev, 0);
	vnet_free(v);
}

static const struct uk_netdev_ops vnet_ops = {
	.release = vnet_release,
	.tx = vnet_tx,
	.rx = vnet_rx,
	.rx_intr_enable = vnet_rx_intr_enable,
	.link_up = vnet_link_up,
};

/* Interrupt handler: acknowledges the ISR; 1 if the device raised it. */
int uk_virtio_net_irq(void *arg)
{
	struct vnet *v = arg;
	uint8_t isr = v->vdev->ops->isr_read(v->vdev);

	if (!isr)
		return 0;
	if (isr & 1)
		uk_netdev_rx_notify(&v->nd);
	return 1;
}

/* See uk/virtio.h.  Returns 0, -ENODEV, -ENOMEM or the registry's error. */
int uk_virtio_net_attach(struct uk_virtio_dev *vdev, int irq_line)
{
	struct uk_alloc *a = uk_alloc_get_default();
	const struct uk_virtio_ops *ops = vdev->ops;
	struct vnet *v;
	uint32_t feat;
	uint16_t i;
	int rc;

	v = uk_calloc(a, 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->a = a;
	v->vdev = vdev;
	ops->status_set(vdev, 0);
	ops->status_set(vdev, UK_VIRTIO_S_ACK);
	ops->status_set(vdev, UK_VIRTIO_S_ACK | UK_VIRTIO_S_DRIVER);
	feat = ops->features_get(vdev) & (NET_F_MAC | NET_F_STATUS);
	ops->features_set(vdev, feat);
	v->has_status = !!(feat & NET_F_STATUS);
	v->hdr_len = vdev->version_1 ? NET_HDR_LEN_V1 : NET_HDR_LEN;

	rc = uk_virtio_queue_create(vdev, a, &v->rxq, RXQ, 1);
	if (!rc)
		rc = uk_virtio_queue_create(vdev, a, &v->txq, TXQ, 1);
	if (rc)
		goto fail;
	v->nrx = min16(v->rxq.num, MAX_BUFS);
	v->ntx = min16(v->txq.num, MAX_BUFS);
	v->rxbuf = uk_malloc(a, (size_t)v->nrx * BUF_SIZE);
	v->txbuf = uk_malloc(a, (size_t)v->ntx * BUF_SIZE);
	if (!v->rxbuf || !v->txbuf) {
		rc = -ENOMEM;
		goto fail;
	}
	for (i = 0; i < v->ntx; i++)
		v->tx_free[i] = i;
	v->ntx_free = v->ntx;
	/* Transmit completions are reclaimed lazily: never interrupt. */
	uk_virtqueue_intr_enable(&v->txq, 0);

	if (feat & NET_F_MAC)
		ops->config_read(vdev, 0, v->nd.hwaddr, UK_NETDEV_HWADDR_LEN);
	else
		memcpy(v->nd.hwaddr, "\x02\x00\x00\x00\x00\x01", 6);
	v->nd.ops = &vnet_ops;
	v->nd.mtu = 1500;
	v->nd.priv = v;

	for (i = 0; i < v->nrx; i++)
		uk_virtqueue_post(&v->rxq, i, v->rxbuf + (size_t)i * BUF_SIZE,
				  BUF_SIZE, 1);
	ops->status_set(vdev, UK_VIRTIO_S_ACK | UK_VIRTIO_S_DRIVER |
			      UK_VIRTIO_S_DRIVER_OK);
	ops->notify(vdev, RXQ);

	rc = uk_netdev_register(&v->nd);
	if (rc)
		goto fail_ok;
	if (irq_line >= 0) {
		rc = uk_plat_irq_register((unsigned int)irq_line,
					  uk_virtio_net_irq, v);
		if (rc) {
			uk_netdev_unregister(&v->nd);
			goto fail_ok;
		}
	}
	return 0;

fail_ok:
	/* The device may already use the rings: stop it before freeing. */
	ops->status_set(vdev, 0);
fail:
	ops->status_set(vdev, UK_VIRTIO_S_FAILED);
	vnet_free(v);
	return rc;
}
