/*
 * virtio-mmio transport tests against a model of its register file: the
 * model answers the transport's reads and writes as QEMU's virtio-mmio
 * does, in the legacy layout (version 1, QEMU's default) or the modern
 * one (version 2), and works a virtio-net device's rings from where the
 * registers say they are, so a frame sent and received through the
 * virtio-net driver over this transport proves the queue set-up, the
 * header length of each version and the interrupt acknowledgement.  The
 * command-line words are tested as a pure parser and through the probe,
 * bad ones included: each is skipped with one console line, never a
 * crash.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <uk/alloc.h>
#include <uk/netdev.h>
#include <uk/test.h>
#include <uk/virtio.h>

#define BASE 0xfeb00e00ULL
#define BASE2 0xfeb00c00ULL   /* a second block: empty, or another type */
#define BASE_BAD 0xfeb00a00ULL /* no virtio-mmio registers there */
#define QMAX 16
#define F_MAC (1u << 5)
#define F_STATUS (1u << 16)

struct mq {
	uint32_t num, align, pfn, ready;
	uint64_t desc, drv, dev;
	uint16_t seen_avail;
};

/* One device's register file. */
struct regs {
	uint64_t base;
	uint32_t version, device_id;
	uint32_t dev_features[2], dev_sel;
	uint32_t drv_features[2], drv_sel;
	uint32_t page_size, queue_sel;
	uint32_t int_status, status, acks;
	int refuse_features;     /* v2: FEATURES_OK never sticks */
	int busy_q0;             /* queue 0 stays in use through resets */
	int notifies[2];
	struct mq q[2];
	uint8_t config[16];
};

static struct regs dev[2];
static int stray;        /* accesses outside every block */

static struct regs *find(uint64_t addr, uint32_t *off)
{
	unsigned int i;

	for (i = 0; i < 2; i++)
		if (dev[i].base && addr >= dev[i].base &&
		    addr < dev[i].base + 0x200) {
			*off = (uint32_t)(addr - dev[i].base);
			return &dev[i];
		}
	return NULL;
}

static uint32_t m_read32(void *ctx, uint64_t addr)
{
	uint32_t off;
	struct regs *r = find(addr, &off);
	struct mq *q;

	if (addr == BASE_BAD)
		return 0x12345678; /* something, but not "virt" */
	if (!r) {
		stray++;
		return 0xffffffff;
	}
	q = &r->q[r->queue_sel < 2 ? r->queue_sel : 0];
	switch (off) {
	case 0x000: return 0x74726976;
	case 0x004: return r->version;
	case 0x008: return r->device_id;
	case 0x00c: return 0x554d4551;
	case 0x010: return r->dev_sel < 2 ? r->dev_features[r->dev_sel] : 0;
	case 0x034: return r->queue_sel < 2 ? QMAX : 0;
	case 0x040: return r->version == 1 ?
			   (r->busy_q0 && q == r->q ? 1 : q->pfn) : 0;
	case 0x044: return r->version == 2 ?
			   (r->busy_q0 && q == r->q ? 1 : q->ready) : 0;
	case 0x060: return r->int_status;
	case 0x070: return r->status;
	}
	stray++;
	return 0;
}

static void m_write32(void *ctx, uint64_t addr, uint32_t v)
{
	uint32_t off;
	struct regs *r = find(addr, &off);
	struct mq *q;

	if (!r) {
		stray++;
		return;
	}
	q = &r->q[r->queue_sel < 2 ? r->queue_sel : 0];
	switch (off) {
	case 0x014: r->dev_sel = v; return;
	case 0x020: if (r->drv_sel < 2) r->drv_features[r->drv_sel] = v;
		    return;
	case 0x024: r->drv_sel = v; return;
	case 0x028: r->page_size = v; return;
	case 0x030: r->queue_sel = v; return;
	case 0x038: q->num = v; return;
	case 0x03c: q->align = v; return;
	case 0x040: q->pfn = v; return;
	case 0x044: q->ready = v; return;
	case 0x050: if (v < 2) r->notifies[v]++; return;
	case 0x064: r->int_status &= ~v; r->acks++; return;
	case 0x070:
		if (!v) {
			memset(r->q, 0, sizeof(r->q));
			r->drv_features[0] = r->drv_features[1] = 0;
		}
		if (r->refuse_features)
			v &= ~0x08u;
		r->status = v;
		return;
	case 0x080: q->desc = (q->desc & ~0xffffffffULL) | v; return;
	case 0x084: q->desc = (q->desc & 0xffffffffULL) | (uint64_t)v << 32;
		    return;
	case 0x090: q->drv = (q->drv & ~0xffffffffULL) | v; return;
	case 0x094: q->drv = (q->drv & 0xffffffffULL) | (uint64_t)v << 32;
		    return;
	case 0x0a0: q->dev = (q->dev & ~0xffffffffULL) | v; return;
	case 0x0a4: q->dev = (q->dev & 0xffffffffULL) | (uint64_t)v << 32;
		    return;
	}
	stray++;
}

static uint8_t m_read8(void *ctx, uint64_t addr)
{
	uint32_t off;
	struct regs *r = find(addr, &off);

	if (!r || off < 0x100 || off >= 0x100 + sizeof(r->config)) {
		stray++;
		return 0xff;
	}
	return r->config[off - 0x100];
}

static const struct uk_virtio_mmio_io model_io = {
	m_read32, m_write32, m_read8,
};

/* The device's view of queue qi, from its registers alone. */
static void rings(struct regs *r, int qi, struct uk_vring_desc **desc,
		  struct uk_vring_avail **avail, struct uk_vring_used **used)
{
	struct mq *q = &r->q[qi];

	if (r->version == 1) {
		uintptr_t d = (uintptr_t)q->pfn * r->page_size;
		uintptr_t a = d + 16 * q->num;
		uintptr_t u = a + 2 * (3 + q->num);

		u = (u + q->align - 1) & ~((uintptr_t)q->align - 1);
		*desc = (void *)d;
		*avail = (void *)a;
		*used = (void *)u;
	} else {
		*desc = (void *)(uintptr_t)q->desc;
		*avail = (void *)(uintptr_t)q->drv;
		*used = (void *)(uintptr_t)q->dev;
	}
}

/* Device side: takes one available buffer of queue qi; for receive
 * copies data in.  Returns the descriptor's length, or -1. */
static int dev_complete(struct regs *r, int qi, const void *data,
			uint32_t len, uint8_t *copy_out)
{
	struct uk_vring_desc *desc;
	struct uk_vring_avail *avail;
	struct uk_vring_used *used;
	struct mq *q = &r->q[qi];
	uint16_t id, u;
	struct uk_vring_desc *d;

	rings(r, qi, &desc, &avail, &used);
	if (q->seen_avail == __atomic_load_n(&avail->idx, __ATOMIC_ACQUIRE))
		return -1;
	id = avail->ring[q->seen_avail++ & (q->num - 1)];
	d = &desc[id];
	if (copy_out)
		memcpy(copy_out, (void *)(uintptr_t)d->addr, d->len);
	else if (len <= d->len)
		memcpy((void *)(uintptr_t)d->addr, data, len);
	else
		return -1;
	u = used->idx;
	used->ring[u & (q->num - 1)].id = id;
	used->ring[u & (q->num - 1)].len = copy_out ? 0 : len;
	__atomic_store_n(&used->idx, (uint16_t)(u + 1), __ATOMIC_RELEASE);
	return (int)d->len;
}

static void dev_reset(unsigned int i, uint64_t base, uint32_t version,
		      uint32_t type)
{
	memset(&dev[i], 0, sizeof(dev[i]));
	dev[i].base = base;
	dev[i].version = version;
	dev[i].device_id = type;
	dev[i].dev_features[0] = F_MAC | F_STATUS | (1u << 15);
	dev[i].dev_features[1] = version == 2 ? 1 : 0; /* VERSION_1 */
	memcpy(dev[i].config, "\x52\x54\x00\x12\x34\x56\x01\x00", 8);
}

/* The command line the probe reads. */
static const char *words[8];

static const char *words_nth(const char *key, unsigned int n)
{
	if (strcmp(key, "virtio_mmio.device"))
		return NULL;
	return n < 8 ? words[n] : NULL;
}

static int attach_irq = -2;
/* The transport's devices live as long as the machine (nothing frees
 * them): kept here, they are reachable, not leaked. */
static struct uk_virtio_dev *attached[16];
static unsigned int nattached;

/* linuxu has no interrupts: record the line, attach without it. */
static int net_attach(struct uk_virtio_dev *vdev, int irq_line)
{
	int rc;

	attach_irq = irq_line;
	rc = uk_virtio_net_attach(vdev, -1);
	if (!rc && nattached < 16)
		attached[nattached++] = vdev;
	return rc;
}

/*
 * The legacy layout gives a queue by its 32-bit page frame number, so its
 * rings must lie below 2^44: in a process, heap addresses are higher, so
 * the legacy tests allocate from a region mapped low (as the VM's heap
 * is).
 */
static struct uk_alloc *low_alloc(void)
{
	static struct uk_alloc *a;
	size_t len = 4 << 20;
	void *p;

	if (a)
		return a;
	p = mmap((void *)0x40000000, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED)
		p = mmap((void *)0x20000000, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			 -1, 0);
	if (p == MAP_FAILED || (uintptr_t)p >> 44)
		return NULL;
	a = uk_alloc_region_create(p, len);
	return a;
}

static struct uk_netdev *probe_net(void)
{
	unsigned int n = uk_netdev_count();

	if (uk_virtio_mmio_probe_words(words_nth, &model_io, NULL,
				       UK_VIRTIO_ID_NET, net_attach) != 1)
		return NULL;
	return uk_netdev_get(n);
}

/* Console (stderr on linuxu) capture around a probe. */
static char con[1024];

struct probe_call {
	uint16_t type;
	int rc;
};

static void probe_call(void *arg)
{
	struct probe_call *c = arg;

	c->rc = uk_virtio_mmio_probe_words(words_nth, &model_io, NULL,
					   c->type, net_attach);
}

static int probe_captured(uint16_t type)
{
	struct probe_call c = { type, -1 };

	if (uk_test_capture(probe_call, &c, con, sizeof(con)))
		return -1;
	return c.rc;
}

static int count(const char *hay, const char *needle)
{
	int c = 0;

	while ((hay = strstr(hay, needle))) {
		c++;
		hay++;
	}
	return c;
}

UK_TEST(mmio_parse_good)
{
	struct uk_virtio_mmio_desc d;

	UK_TEST_EQ(uk_virtio_mmio_parse("512@0xfeb00e00:12", &d), 0);
	UK_TEST_EQ(d.size, 512);
	UK_TEST_EQ(d.base, 0xfeb00e00ULL);
	UK_TEST_EQ(d.irq, 12);
	UK_TEST_EQ(uk_virtio_mmio_parse("0x200@4273999360:5", &d), 0);
	UK_TEST_EQ(d.base, 4273999360ULL);
	UK_TEST_EQ(d.size, 0x200);
	UK_TEST_EQ(uk_virtio_mmio_parse("4K@0x10000:3:7", &d), 0);
	UK_TEST_EQ(d.size, 4096);
	UK_TEST_EQ(d.irq, 3);
	UK_TEST_EQ(uk_virtio_mmio_parse("1M@0xFEB00000:0", &d), 0);
	UK_TEST_EQ(d.size, 1 << 20);
	UK_TEST_EQ(uk_virtio_mmio_parse("256@0xffffff00:15", &d), 0);
}

UK_TEST(mmio_parse_bad)
{
	static const char *const bad[] = {
		"", "512", "512@", "@0x1000:5", "512@0x1000", "512@0x1000:",
		"512@0x1000:16", "512@0x1000:5x", "0x10@0x1000:5",
		"512@0:5", "512@0x1001:5", "512@0x100000000:5",
		"512@0xffffff00:5", "99999999999999999999@0x1000:5",
		"16G@0x1000:5", "512@0x1000:5:", "-1@0x1000:5", "512@0x:5",
		"512@0x1000:-1", "512 @0x1000:5", "0x@0x1000:5",
		"512@0x1000:5:1:2", "512T@0x1000:5",
	};
	struct uk_virtio_mmio_desc d = { 1, 2, 3 };
	unsigned int i;
	int rc;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rc = uk_virtio_mmio_parse(bad[i], &d);
		if (rc != -EINVAL)
			uk_test_log("accepted: \"%s\"", bad[i]);
		UK_TEST_EQ(rc, -EINVAL);
	}
	UK_TEST_EQ(uk_virtio_mmio_parse(NULL, &d), -EINVAL);
	/* Untouched on error. */
	UK_TEST_EQ(d.base, 1);
}

UK_TEST(mmio_legacy_attach_and_frames)
{
	struct uk_netdev *nd;
	uint8_t frame[60], out[2048], buf[128] = { 0 };
	struct uk_vring_desc *desc;
	struct uk_vring_avail *avail;
	struct uk_vring_used *used;
	struct uk_alloc *low = low_alloc(), *old;

	UK_TEST_ASSERT(low != NULL);
	memset(dev, 0, sizeof(dev));
	stray = 0;
	dev_reset(0, BASE, 1, UK_VIRTIO_ID_NET);
	words[0] = "512@0xfeb00e00:12";
	words[1] = NULL;
	old = uk_alloc_set_default(low);
	nd = probe_net();
	uk_alloc_set_default(old);
	UK_TEST_ASSERT(nd != NULL);
	UK_TEST_EQ(attach_irq, 12);
	UK_TEST_EQ(stray, 0);
	UK_TEST_EQ(dev[0].status, UK_VIRTIO_S_ACK | UK_VIRTIO_S_DRIVER |
		   UK_VIRTIO_S_DRIVER_OK);
	UK_TEST_EQ(dev[0].drv_features[0], F_MAC | F_STATUS);
	UK_TEST_EQ(dev[0].drv_features[1], 0);
	UK_TEST_EQ(dev[0].page_size, 4096);
	UK_TEST_EQ(dev[0].q[0].num, QMAX);
	UK_TEST_EQ(dev[0].q[0].align, 4096);
	UK_TEST_ASSERT(dev[0].q[0].pfn && dev[0].q[1].pfn);
	UK_TEST_EQ(memcmp(nd->hwaddr, "\x52\x54\x00\x12\x34\x56", 6), 0);
	/* The receive ring the registers point at holds every buffer. */
	rings(&dev[0], 0, &desc, &avail, &used);
	UK_TEST_EQ(avail->idx, QMAX);
	UK_TEST_EQ(desc[0].len, 1536);

	/* Transmit: the legacy 10-byte header, then the frame. */
	memset(frame, 0xab, sizeof(frame));
	UK_TEST_EQ(uk_netdev_tx(nd, frame, sizeof(frame)), 0);
	UK_TEST_EQ(dev[0].notifies[1], 1);
	UK_TEST_EQ(dev_complete(&dev[0], 1, NULL, 0, out), 70);
	UK_TEST_EQ(out[9], 0);
	UK_TEST_EQ(out[10], 0xab);

	/* Receive, with the interrupt read and acknowledged. */
	memcpy(buf + 10, "hello, mmio", 11);
	UK_TEST_EQ(dev_complete(&dev[0], 0, buf, 21, NULL), 1536);
	dev[0].int_status = 1;
	UK_TEST_EQ(uk_virtio_net_irq(nd->priv), 1);
	UK_TEST_EQ(dev[0].int_status, 0);
	UK_TEST_EQ(dev[0].acks, 1);
	UK_TEST_EQ(uk_virtio_net_irq(nd->priv), 0); /* nothing: not ours */
	UK_TEST_EQ(dev[0].acks, 1);
	UK_TEST_EQ(uk_netdev_rx(nd, out, sizeof(out)), 11);
	UK_TEST_EQ(memcmp(out, "hello, mmio", 11), 0);
	UK_TEST_EQ(stray, 0);
	uk_netdev_unregister(nd);
	/* Released: the device was reset. */
	UK_TEST_EQ(dev[0].status, 0);
}

UK_TEST(mmio_modern_attach_and_frames)
{
	struct uk_netdev *nd;
	uint8_t frame[60], out[2048], buf[128] = { 0 };

	memset(dev, 0, sizeof(dev));
	stray = 0;
	dev_reset(0, BASE, 2, UK_VIRTIO_ID_NET);
	words[0] = "512@0xfeb00e00:12";
	words[1] = NULL;
	nd = probe_net();
	UK_TEST_ASSERT(nd != NULL);
	UK_TEST_EQ(stray, 0);
	/* VERSION_1 accepted; FEATURES_OK kept through DRIVER_OK. */
	UK_TEST_EQ(dev[0].drv_features[0], F_MAC | F_STATUS);
	UK_TEST_EQ(dev[0].drv_features[1], 1);
	UK_TEST_EQ(dev[0].status, UK_VIRTIO_S_ACK | UK_VIRTIO_S_DRIVER |
		   UK_VIRTIO_S_DRIVER_OK | 0x08);
	UK_TEST_EQ(dev[0].q[0].ready, 1);
	UK_TEST_EQ(dev[0].q[1].ready, 1);
	UK_TEST_EQ(dev[0].q[0].num, QMAX);
	/* The three rings where virtqueue_init laid them. */
	UK_TEST_EQ(dev[0].q[0].drv, dev[0].q[0].desc + 16 * QMAX);
	UK_TEST_EQ(dev[0].q[0].dev & 4095, 0);
	UK_TEST_ASSERT(dev[0].q[0].dev > dev[0].q[0].drv);

	/* The virtio 1.x header is 12 bytes. */
	memset(frame, 0xcd, sizeof(frame));
	UK_TEST_EQ(uk_netdev_tx(nd, frame, sizeof(frame)), 0);
	UK_TEST_EQ(dev_complete(&dev[0], 1, NULL, 0, out), 72);
	UK_TEST_EQ(out[11], 0);
	UK_TEST_EQ(out[12], 0xcd);
	memcpy(buf + 12, "modern", 6);
	UK_TEST_EQ(dev_complete(&dev[0], 0, buf, 18, NULL), 1536);
	dev[0].int_status = 1;
	UK_TEST_EQ(uk_virtio_net_irq(nd->priv), 1);
	UK_TEST_EQ(uk_netdev_rx(nd, out, sizeof(out)), 6);
	UK_TEST_EQ(memcmp(out, "modern", 6), 0);
	UK_TEST_EQ(stray, 0);
	uk_netdev_unregister(nd);
}

UK_TEST(mmio_modern_features_refused)
{
	unsigned int n = uk_netdev_count();

	memset(dev, 0, sizeof(dev));
	dev_reset(0, BASE, 2, UK_VIRTIO_ID_NET);
	dev[0].refuse_features = 1;
	words[0] = "512@0xfeb00e00:12";
	words[1] = NULL;
	UK_TEST_EQ(probe_captured(UK_VIRTIO_ID_NET), 0);
	UK_TEST_EQ(uk_netdev_count(), n);
	UK_TEST_EQ(dev[0].status, UK_VIRTIO_S_FAILED);
	UK_TEST_ASSERT(strstr(con, "attach failed (-5)") != NULL);
}

/* A queue already set up (its PFN or QueueReady non-zero after the
 * reset) is not taken over: the attach fails with -ENODEV. */
UK_TEST(mmio_queue_in_use_is_not_taken)
{
	unsigned int n = uk_netdev_count(), v;

	for (v = 1; v <= 2; v++) {
		memset(dev, 0, sizeof(dev));
		dev_reset(0, BASE, v, UK_VIRTIO_ID_NET);
		dev[0].busy_q0 = 1;
		words[0] = "512@0xfeb00e00:12";
		words[1] = NULL;
		UK_TEST_EQ(probe_captured(UK_VIRTIO_ID_NET), 0);
		UK_TEST_EQ(uk_netdev_count(), n);
		UK_TEST_ASSERT(strstr(con, "attach failed (-19)") != NULL);
	}
}

/*
 * A command line with bad words, a block that is no virtio-mmio device,
 * an empty transport and a device of another type: only the net device
 * is attached; each bad word is reported once, even over two probes.
 */
UK_TEST(mmio_probe_skips_bad_words)
{
	unsigned int n = uk_netdev_count();
	struct uk_alloc *old;
	int rc;

	memset(dev, 0, sizeof(dev));
	stray = 0;
	dev_reset(0, BASE, 1, UK_VIRTIO_ID_NET);
	dev_reset(1, BASE2, 1, UK_VIRTIO_ID_BLOCK);
	words[0] = "512@0xfeb00e00";            /* no irq */
	words[1] = "512@0xfeb00a00:10";         /* bad magic */
	words[2] = "bogus";
	words[3] = "512@0xfeb00c00:11";         /* a disk */
	words[4] = "512@0xfeb00e00:12";         /* the NIC */
	words[5] = "512@0x1000000000:9";        /* above 4 GiB */
	words[6] = NULL;
	UK_TEST_ASSERT(low_alloc() != NULL);
	old = uk_alloc_set_default(low_alloc());
	rc = probe_captured(UK_VIRTIO_ID_NET);
	uk_alloc_set_default(old);
	UK_TEST_EQ(rc, 1);
	UK_TEST_EQ(uk_netdev_count(), n + 1);
	UK_TEST_EQ(attach_irq, 12);
	UK_TEST_EQ(count(con, "virtio-mmio: ignoring"), 4);
	UK_TEST_ASSERT(strstr(con, "virtio_mmio.device=512@0xfeb00e00 (") !=
		       NULL);
	UK_TEST_ASSERT(strstr(con, "=bogus (") != NULL);
	UK_TEST_ASSERT(strstr(con, "=512@0xfeb00a00:10 (no virtio-mmio "
			      "registers there)") != NULL);
	UK_TEST_ASSERT(strstr(con, "=512@0x1000000000:9 (") != NULL);
	uk_test_log("%s", con);
	/* The disk is untouched by the net probe. */
	UK_TEST_EQ(dev[1].status, 0);
	uk_netdev_unregister(uk_netdev_get(n));

	/* A second probe (another type) says nothing more. */
	dev[1].device_id = 0; /* now an empty transport */
	UK_TEST_EQ(probe_captured(UK_VIRTIO_ID_BLOCK), 0);
	UK_TEST_STREQ(con, "");
	UK_TEST_EQ(stray, 0);
}

UK_TEST(mmio_no_words_no_devices)
{
	words[0] = NULL;
	UK_TEST_EQ(probe_captured(UK_VIRTIO_ID_NET), 0);
	UK_TEST_STREQ(con, "");
	/* linuxu's command line has no virtio_mmio.device words. */
	UK_TEST_EQ(uk_virtio_mmio_probe(UK_VIRTIO_ID_NET, net_attach), 0);
	UK_TEST_ASSERT(uk_virtio_mmio_io_default() != NULL);
}
