/*
 * The virtio-mmio transport, as QEMU's microvm machine offers it: a
 * register block in memory per device, found not by a bus scan but from
 * the kernel command line, where QEMU appends one
 * virtio_mmio.device=<size>@<base>:<irq> word per device (with acpi=off;
 * with ACPI it describes them in tables instead, which ukmon does not
 * read).
 *
 * Both register layouts are supported.  Version 1 (legacy, QEMU's
 * default) places a queue with one page frame number, the guest page size
 * and the used ring's alignment, like legacy virtio-PCI; version 2
 * (modern) takes the three ring addresses apart, a QueueReady flag, 64
 * feature bits in two selected words, and the FEATURES_OK handshake, and
 * requires VIRTIO_F_VERSION_1, which the transport accepts on the
 * driver's behalf and reports in vdev->version_1.  The rings are laid out
 * the legacy way (4 KiB aligned used ring), which suits both.
 *
 * The registers are reached through struct uk_virtio_mmio_io, plain
 * volatile accesses in the VM and a device model in the tests.  The
 * device's interrupt is level (it stays raised until InterruptACK), so
 * its line is made level-triggered before the driver registers it.
 */
#include <errno.h>
#include <stddef.h>

#include <uk/alloc.h>
#include <uk/plat/cmdline.h>
#include <uk/plat/irq.h>
#include <uk/print.h>
#include <uk/virtio.h>

#define MMIO_MAGIC 0x74726976u /* "virt" */

#define R_MAGIC 0x000
#define R_VERSION 0x004
#define R_DEVICE_ID 0x008
#define R_DEV_FEATURES 0x010
#define R_DEV_FEATURES_SEL 0x014
#define R_DRV_FEATURES 0x020
#define R_DRV_FEATURES_SEL 0x024
#define R_GUEST_PAGE_SIZE 0x028 /* v1 */
#define R_QUEUE_SEL 0x030
#define R_QUEUE_NUM_MAX 0x034
#define R_QUEUE_NUM 0x038
#define R_QUEUE_ALIGN 0x03c     /* v1 */
#define R_QUEUE_PFN 0x040       /* v1 */
#define R_QUEUE_READY 0x044     /* v2 */
#define R_QUEUE_NOTIFY 0x050
#define R_INT_STATUS 0x060
#define R_INT_ACK 0x064
#define R_STATUS 0x070
#define R_QUEUE_DESC 0x080      /* v2: low, high at +4 */
#define R_QUEUE_DRIVER 0x090    /* v2 */
#define R_QUEUE_DEVICE 0x0a0    /* v2 */
#define R_CONFIG 0x100

#define S_FEATURES_OK 0x08
#define F_VERSION_1_HI 1u       /* bit 32: bit 0 of feature word 1 */
#define PAGE 4096u
#define WORDS_KEY "virtio_mmio.device"
#define WARN_MAX 64

struct vmmio {
	struct uk_virtio_dev vdev;
	const struct uk_virtio_mmio_io *io;
	void *ctx;
	uint64_t base;
	uint32_t version;
	int features_ok;     /* v2: the device accepted our features */
};

static struct vmmio *M(struct uk_virtio_dev *d)
{
	return d->priv;
}

static uint32_t rd(struct vmmio *m, unsigned int off)
{
	return m->io->read32(m->ctx, m->base + off);
}

static void wr(struct vmmio *m, unsigned int off, uint32_t v)
{
	m->io->write32(m->ctx, m->base + off, v);
}

static uint32_t features_get(struct uk_virtio_dev *d)
{
	struct vmmio *m = M(d);

	wr(m, R_DEV_FEATURES_SEL, 0);
	return rd(m, R_DEV_FEATURES);
}

/*
 * Writes the driver's 32 feature bits; a modern device also gets
 * VIRTIO_F_VERSION_1 (without it, it refuses) and the FEATURES_OK
 * handshake, whose result queue_setup() then checks.
 */
static void features_set(struct uk_virtio_dev *d, uint32_t f)
{
	struct vmmio *m = M(d);
	uint32_t st;

	wr(m, R_DRV_FEATURES_SEL, 0);
	wr(m, R_DRV_FEATURES, f);
	if (m->version == 1)
		return;
	wr(m, R_DEV_FEATURES_SEL, 1);
	if (!(rd(m, R_DEV_FEATURES) & F_VERSION_1_HI))
		return; /* cannot happen on a version 2 device: refused */
	wr(m, R_DRV_FEATURES_SEL, 1);
	wr(m, R_DRV_FEATURES, F_VERSION_1_HI);
	st = rd(m, R_STATUS);
	wr(m, R_STATUS, st | S_FEATURES_OK);
	m->features_ok = !!(rd(m, R_STATUS) & S_FEATURES_OK);
	d->version_1 = m->features_ok;
}

static uint8_t status_get(struct uk_virtio_dev *d)
{
	return (uint8_t)rd(M(d), R_STATUS);
}

/*
 * Drivers write the whole status (ACK, ACK|DRIVER, ...|DRIVER_OK); on a
 * modern device FEATURES_OK must stay set in it once granted.  0 resets.
 */
static void status_set(struct uk_virtio_dev *d, uint8_t s)
{
	struct vmmio *m = M(d);

	if (!s) {
		m->features_ok = 0;
		d->version_1 = 0;
	} else if (m->features_ok && (s & UK_VIRTIO_S_DRIVER)) {
		s |= S_FEATURES_OK;
	}
	wr(m, R_STATUS, s);
}

static void config_read(struct uk_virtio_dev *d, unsigned int off, void *buf,
			unsigned int len)
{
	struct vmmio *m = M(d);
	uint8_t *p = buf;
	unsigned int i;

	for (i = 0; i < len; i++)
		p[i] = m->io->read8(m->ctx, m->base + R_CONFIG + off + i);
}

static uint16_t queue_size(struct uk_virtio_dev *d, uint16_t q)
{
	struct vmmio *m = M(d);
	uint32_t n;

	wr(m, R_QUEUE_SEL, q);
	if (m->version == 1 ? rd(m, R_QUEUE_PFN) : rd(m, R_QUEUE_READY))
		return 0; /* in use: not ours to take */
	n = rd(m, R_QUEUE_NUM_MAX);
	return n > 0x8000 ? 0x8000 : (uint16_t)n;
}

static void wr64(struct vmmio *m, unsigned int off, const void *p)
{
	uint64_t a = (uint64_t)(uintptr_t)p; /* identity mapped */

	wr(m, off, (uint32_t)a);
	wr(m, off + 4, (uint32_t)(a >> 32));
}

/* Tells the device where vq's rings are: 0, -EINVAL or -EIO (v2: the
 * device refused the features). */
static int queue_setup(struct uk_virtio_dev *d, struct uk_virtqueue *vq)
{
	struct vmmio *m = M(d);
	uintptr_t pa = (uintptr_t)vq->desc;

	wr(m, R_QUEUE_SEL, vq->index);
	if (m->version == 1) {
		if (pa >> 44 || (pa & (PAGE - 1)))
			return -EINVAL; /* the PFN register holds 32 bits */
		wr(m, R_GUEST_PAGE_SIZE, PAGE);
		wr(m, R_QUEUE_NUM, vq->num);
		wr(m, R_QUEUE_ALIGN, UK_VRING_ALIGN);
		wr(m, R_QUEUE_PFN, (uint32_t)(pa / PAGE));
		return 0;
	}
	if (!m->features_ok)
		return -EIO;
	wr(m, R_QUEUE_NUM, vq->num);
	wr64(m, R_QUEUE_DESC, vq->desc);
	wr64(m, R_QUEUE_DRIVER, vq->avail);
	wr64(m, R_QUEUE_DEVICE, vq->used);
	wr(m, R_QUEUE_READY, 1);
	return 0;
}

static void notify(struct uk_virtio_dev *d, uint16_t q)
{
	wr(M(d), R_QUEUE_NOTIFY, q);
}

/* Reads and acknowledges the interrupt status (the line then drops). */
static uint8_t isr_read(struct uk_virtio_dev *d)
{
	struct vmmio *m = M(d);
	uint32_t st = rd(m, R_INT_STATUS);

	if (st)
		wr(m, R_INT_ACK, st);
	return (uint8_t)st;
}

static const struct uk_virtio_ops vmmio_ops = {
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

/* ---- the virtio_mmio.device words ------------------------------------ */

/* Reads an unsigned C number (decimal or 0x-hex) at *p: 0 or -EINVAL. */
static int parse_num(const char **p, uint64_t *out)
{
	const char *s = *p;
	unsigned int base = 10, digits = 0;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (;; s++, digits++) {
		unsigned int dg;

		if (*s >= '0' && *s <= '9')
			dg = (unsigned int)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			dg = (unsigned int)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			dg = (unsigned int)(*s - 'A' + 10);
		else
			break;
		if (v > (UINT64_MAX - dg) / base)
			return -EINVAL;
		v = v * base + dg;
	}
	if (!digits)
		return -EINVAL;
	*p = s;
	*out = v;
	return 0;
}

/* See uk/virtio.h.  Returns 0 or -EINVAL. */
int uk_virtio_mmio_parse(const char *val, struct uk_virtio_mmio_desc *d)
{
	const char *p = val;
	uint64_t size, base, irq, id;
	unsigned int shift = 0;

	if (!p || parse_num(&p, &size))
		return -EINVAL;
	switch (*p) {
	case 'K': case 'k': shift = 10; p++; break;
	case 'M': case 'm': shift = 20; p++; break;
	case 'G': case 'g': shift = 30; p++; break;
	}
	if (size > (UINT64_MAX >> shift))
		return -EINVAL;
	size <<= shift;
	if (*p++ != '@' || parse_num(&p, &base) || *p++ != ':' ||
	    parse_num(&p, &irq))
		return -EINVAL;
	if (*p == ':' && (p++, parse_num(&p, &id)))
		return -EINVAL;
	if (*p)
		return -EINVAL;
	if (size < R_CONFIG || !base || (base & 3) || base >= (1ULL << 32) ||
	    size > (1ULL << 32) - base || irq > 15)
		return -EINVAL;
	d->base = base;
	d->size = size;
	d->irq = (int)irq;
	return 0;
}

/* ---- probing ------------------------------------------------------------ */

static uint64_t warned; /* words (by index) already reported */

static void warn_once(unsigned int i, const char *val, const char *why)
{
	if (i < WARN_MAX) {
		if (warned & (1ULL << i))
			return;
		warned |= 1ULL << i;
	}
	uk_pr_warn("virtio-mmio: ignoring virtio_mmio.device=%s (%s)\n", val,
		   why);
}

/* Attaches the device at d if it is of type: 1, 0 (not ours) or -errno. */
static int probe_one(const struct uk_virtio_mmio_desc *d, unsigned int i,
		     const char *val, const struct uk_virtio_mmio_io *io,
		     void *ctx, uint16_t type, uk_virtio_attach_fn attach)
{
	struct vmmio *m;
	uint32_t ver;
	int rc;

	if (io->read32(ctx, d->base + R_MAGIC) != MMIO_MAGIC) {
		warn_once(i, val, "no virtio-mmio registers there");
		return 0;
	}
	ver = io->read32(ctx, d->base + R_VERSION);
	if (ver != 1 && ver != 2) {
		warn_once(i, val, "unknown register layout version");
		return 0;
	}
	if (io->read32(ctx, d->base + R_DEVICE_ID) != type)
		return 0; /* another type, or an empty transport (0) */
	m = uk_calloc(uk_alloc_get_default(), 1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->io = io;
	m->ctx = ctx;
	m->base = d->base;
	m->version = ver;
	m->vdev.ops = &vmmio_ops;
	m->vdev.priv = m;
	/* -ENOSYS without interrupts (linuxu); a fixed line stays edge. */
	uk_plat_irq_set_level((unsigned int)d->irq, 1);
	rc = attach(&m->vdev, d->irq);
	if (rc) {
		uk_pr_warn("virtio-mmio @%#llx (type %u): attach failed (%d)\n",
			   (unsigned long long)d->base, type, rc);
		uk_free(uk_alloc_get_default(), m);
		return rc;
	}
	return 1;
}

/* See uk/virtio.h.  Returns the number of devices attached. */
int uk_virtio_mmio_probe_words(uk_virtio_mmio_words_fn words,
			       const struct uk_virtio_mmio_io *io, void *ctx,
			       uint16_t type, uk_virtio_attach_fn attach)
{
	struct uk_virtio_mmio_desc d;
	const char *val;
	unsigned int i;
	int count = 0;

	for (i = 0; (val = words(WORDS_KEY, i)); i++) {
		if (uk_virtio_mmio_parse(val, &d)) {
			warn_once(i, val, "want <size>@<base>:<irq>, below "
				  "4 GiB, irq 0..15");
			continue;
		}
		if (probe_one(&d, i, val, io, ctx, type, attach) > 0)
			count++;
	}
	return count;
}

static uint32_t io_read32(void *ctx, uint64_t addr)
{
	return *(volatile uint32_t *)(uintptr_t)addr;
}

static void io_write32(void *ctx, uint64_t addr, uint32_t val)
{
	*(volatile uint32_t *)(uintptr_t)addr = val;
}

static uint8_t io_read8(void *ctx, uint64_t addr)
{
	return *(volatile uint8_t *)(uintptr_t)addr;
}

static const struct uk_virtio_mmio_io default_io = {
	io_read32, io_write32, io_read8,
};

/* Plain memory accesses (identity-mapped). */
const struct uk_virtio_mmio_io *uk_virtio_mmio_io_default(void)
{
	return &default_io;
}

/* The command line's devices of type; returns how many were attached. */
int uk_virtio_mmio_probe(uint16_t type, uk_virtio_attach_fn attach)
{
	return uk_virtio_mmio_probe_words(uk_plat_option_nth, &default_io,
					  NULL, type, attach);
}
