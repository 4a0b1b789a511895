/*
 * The legacy virtio-PCI transport (virtio 0.9.5, still offered by QEMU's
 * transitional devices): a register block in I/O BAR 0 with the feature
 * words, queue selection, the queue's page frame number, the notify
 * register, status and ISR, followed (without MSI-X) by the device config
 * at offset 20.  Probing scans PCI for Red Hat's vendor ID with a
 * transitional device ID (0x1000-0x103f), whose subsystem ID is the
 * virtio device type, and hands matching functions to a driver.
 */
#include <errno.h>
#include <stddef.h>

#include <uk/alloc.h>
#include <uk/arch/io.h>
#include <uk/pci.h>
#include <uk/print.h>
#include <uk/virtio.h>

#define VENDOR_VIRTIO 0x1af4
#define DEV_TRANSITIONAL_FIRST 0x1000
#define DEV_TRANSITIONAL_LAST 0x103f

#define REG_HOST_FEATURES 0
#define REG_GUEST_FEATURES 4
#define REG_QUEUE_PFN 8
#define REG_QUEUE_NUM 12
#define REG_QUEUE_SEL 14
#define REG_QUEUE_NOTIFY 16
#define REG_STATUS 18
#define REG_ISR 19
#define REG_CONFIG 20

struct vpci {
	struct uk_virtio_dev vdev;
	uint16_t io;
};

static uint16_t io_of(struct uk_virtio_dev *d)
{
	return ((struct vpci *)d->priv)->io;
}

static uint32_t features_get(struct uk_virtio_dev *d)
{
	return inl(io_of(d) + REG_HOST_FEATURES);
}

static void features_set(struct uk_virtio_dev *d, uint32_t f)
{
	outl(io_of(d) + REG_GUEST_FEATURES, f);
}

static uint8_t status_get(struct uk_virtio_dev *d)
{
	return inb(io_of(d) + REG_STATUS);
}

static void status_set(struct uk_virtio_dev *d, uint8_t s)
{
	outb(io_of(d) + REG_STATUS, s);
}

static void config_read(struct uk_virtio_dev *d, unsigned int off, void *buf,
			unsigned int len)
{
	uint8_t *p = buf;
	unsigned int i;

	for (i = 0; i < len; i++)
		p[i] = inb((uint16_t)(io_of(d) + REG_CONFIG + off + i));
}

static uint16_t queue_size(struct uk_virtio_dev *d, uint16_t q)
{
	outw(io_of(d) + REG_QUEUE_SEL, q);
	return inw(io_of(d) + REG_QUEUE_NUM);
}

static int queue_setup(struct uk_virtio_dev *d, struct uk_virtqueue *vq)
{
	uintptr_t pa = (uintptr_t)vq->desc; /* identity mapped */

	if (pa >> 44)
		return -EINVAL; /* the PFN register holds 32 bits */
	outw(io_of(d) + REG_QUEUE_SEL, vq->index);
	outl(io_of(d) + REG_QUEUE_PFN, (uint32_t)(pa >> 12));
	return 0;
}

static void notify(struct uk_virtio_dev *d, uint16_t q)
{
	outw(io_of(d) + REG_QUEUE_NOTIFY, q);
}

static uint8_t isr_read(struct uk_virtio_dev *d)
{
	return inb(io_of(d) + REG_ISR);
}

static const struct uk_virtio_ops vpci_ops = {
	.features_get = features_get,
	.features_set = features_set,
	.status_get = status_get,
	.status_set = status_set,
	.config_read = config_read,
	.queue_size = queue_size,
	.queue_setup = queue_setup,
	.notify = notify,
	.isr_read = isr_read,
};

struct probe {
	uint16_t type;
	uk_virtio_attach_fn attach;
	int count;
};

static int probe_one(void *arg, const struct uk_pci_dev *d)
{
	struct probe *p = arg;
	struct vpci *v;
	uint16_t io;
	int rc;

	if (d->vendor_id != VENDOR_VIRTIO ||
	    d->device_id < DEV_TRANSITIONAL_FIRST ||
	    d->device_id > DEV_TRANSITIONAL_LAST ||
	    d->subsys_id != p->type)
		return 0;
	io = uk_pci_bar_io(d->bar[0]);
	if (!io) {
		uk_pr_warn("virtio %02x:%02x.%x: no I/O BAR, skipped\n",
			   d->bus, d->dev, d->fn);
		return 0;
	}
	v = uk_calloc(uk_alloc_get_default(), 1, sizeof(*v));
	if (!v)
		return 0;
	v->io = io;
	v->vdev.ops = &vpci_ops;
	v->vdev.priv = v;
	uk_pci_enable(d);
	rc = p->attach(&v->vdev, d->irq_line < 16 ? d->irq_line : -1);
	if (rc) {
		uk_pr_warn("virtio %02x:%02x.%x (type %u): attach failed "
			   "(%d)\n", d->bus, d->dev, d->fn, p->type, rc);
		uk_free(uk_alloc_get_default(), v);
		return 0;
	}
	p->count++;
	return 0;
}

/* Attaches every virtio function of type; returns how many (0 without
 * PCI). */
int uk_virtio_pci_probe(uint16_t type, uk_virtio_attach_fn attach)
{
	const struct uk_pci_cfg_ops *cfg = uk_pci_cfg_default();
	struct probe p = { type, attach, 0 };

	if (cfg)
		uk_pci_scan(cfg, probe_one, &p);
	return p.count;
}
