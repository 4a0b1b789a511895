/*
 * uk/virtio.h: virtio devices — the transport interface, split
 * virtqueues, and the drivers' entry points (net, blk, 9p).
 *
 * A transport (the legacy virtio-PCI interface over I/O ports on kvm,
 * virtio-mmio as QEMU's microvm machine offers it, or a simulated device
 * in tests) implements struct uk_virtio_ops; the
 * virtqueue code and the drivers only use those ops and shared memory,
 * so every driver runs on linuxu against a device model.  Guest
 * addresses are identity-mapped (virtual == physical) on kvm, and the
 * device model in tests reads the same pointers.
 *
 * Queues use fixed descriptors: virtio-net's descriptor id i always
 * describes the driver's buffer i, and the request drivers (blk, 9p)
 * give each request slot a fixed group of descriptors for its chain, so
 * posting and reclaiming are index operations with no allocation.
 *
 * Each driver is its own library: virtio (virtqueues, the PCI and MMIO
 * transports, transport-neutral probing and virtio-net), virtio_blk and
 * virtio_9p; a program links the ones whose entry points it calls.
 *
 * Errors: 0 or a negative errno.
 */
#ifndef UK_VIRTIO_H
#define UK_VIRTIO_H

#include <stddef.h>
#include <stdint.h>

/* Device status bits. */
#define UK_VIRTIO_S_ACK 0x01
#define UK_VIRTIO_S_DRIVER 0x02
#define UK_VIRTIO_S_DRIVER_OK 0x04
#define UK_VIRTIO_S_FAILED 0x80

/* Split-ring layout (virtio 1.x section 2.7, legacy alignment). */
#define UK_VRING_DESC_F_NEXT 1
#define UK_VRING_DESC_F_WRITE 2
#define UK_VRING_AVAIL_F_NO_INTERRUPT 1
#define UK_VRING_USED_F_NO_NOTIFY 1
#define UK_VRING_ALIGN 4096

struct uk_vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct uk_vring_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

struct uk_vring_used_elem {
	uint32_t id;
	uint32_t len;
};

struct uk_vring_used {
	uint16_t flags;
	uint16_t idx;
	struct uk_vring_used_elem ring[];
};

/** A split virtqueue (driver side). */
struct uk_virtqueue {
	uint16_t num;       /**< ring size, a power of two */
	uint16_t index;     /**< queue number on the device */
	uint16_t last_used; /**< next used-ring slot to consume */
	struct uk_vring_desc *desc;
	struct uk_vring_avail *avail;
	struct uk_vring_used *used;
};

/** Bytes of ring memory for num entries (legacy layout). */
size_t uk_virtqueue_mem_size(uint16_t num);
/**
 * Lays the rings over mem (uk_virtqueue_mem_size(num) zeroed bytes,
 * UK_VRING_ALIGN aligned).  Returns 0 or -EINVAL (num not a power of two
 * or mem misaligned).
 */
int uk_virtqueue_init(struct uk_virtqueue *vq, uint16_t index, uint16_t num,
		      void *mem);
/**
 * Offers buffer id (< num) of len bytes at buf to the device; writable
 * when the device fills it (receive).  The caller tracks which ids are
 * free.  Returns 0 or -EINVAL.
 */
int uk_virtqueue_post(struct uk_virtqueue *vq, uint16_t id, void *buf,
		      uint32_t len, int writable);
/** One buffer of a descriptor chain. */
struct uk_virtqueue_seg {
	void *buf;
	uint32_t len;
	int writable;   /**< the device writes it (device-readable ones first) */
};
/**
 * Offers a request made of several buffers (device-readable ones first,
 * then writable ones) as the descriptors head..head+n-1, chained in
 * order.  The caller owns that descriptor range until the device returns
 * the chain: uk_virtqueue_used_pop() then gives head as the id.  Drivers
 * carve the ring into fixed groups (request slot s uses descriptors
 * s*G..s*G+G-1), so posting and reclaiming stay index operations.
 * Returns 0 or -EINVAL (n 0, range past the ring, readable after
 * writable).
 */
int uk_virtqueue_post_chain(struct uk_virtqueue *vq, uint16_t head,
			    const struct uk_virtqueue_seg *segs,
			    unsigned int n);
/** 1 when the device wants a notification after posting. */
int uk_virtqueue_needs_notify(const struct uk_virtqueue *vq);
/**
 * Takes the next buffer the device has finished with: returns 1 and sets
 * *id and *len (bytes written by the device), or 0 if none.
 */
int uk_virtqueue_used_pop(struct uk_virtqueue *vq, uint16_t *id,
			  uint32_t *len);
/** 1 when the device has finished buffers not yet popped. */
int uk_virtqueue_has_used(const struct uk_virtqueue *vq);
/**
 * Suppresses (on == 0) or allows completion interrupts.  When allowing,
 * returns 1 if completions arrived meanwhile (drain instead of sleeping).
 */
int uk_virtqueue_intr_enable(struct uk_virtqueue *vq, int on);

struct uk_virtio_dev;

/** What a transport provides. */
struct uk_virtio_ops {
	uint32_t (*features_get)(struct uk_virtio_dev *d);
	void (*features_set)(struct uk_virtio_dev *d, uint32_t f);
	uint8_t (*status_get)(struct uk_virtio_dev *d);
	void (*status_set)(struct uk_virtio_dev *d, uint8_t s);
	/** Reads len bytes of device-specific config at off. */
	void (*config_read)(struct uk_virtio_dev *d, unsigned int off,
			    void *buf, unsigned int len);
	/** Size of queue q (0: no such queue). */
	uint16_t (*queue_size)(struct uk_virtio_dev *d, uint16_t q);
	/** Tells the device where queue q's rings are. */
	int (*queue_setup)(struct uk_virtio_dev *d, struct uk_virtqueue *vq);
	void (*notify)(struct uk_virtio_dev *d, uint16_t q);
	/** Reads and acknowledges the interrupt status (bit 0: queues). */
	uint8_t (*isr_read)(struct uk_virtio_dev *d);
};

struct uk_virtio_dev {
	const struct uk_virtio_ops *ops;
	void *priv;
	/**
	 * Set by the transport's features_set() when it negotiated
	 * VIRTIO_F_VERSION_1 (a modern virtio-mmio device): the virtio 1.x
	 * rules apply, e.g. virtio-net's header is 12 bytes, not 10.
	 */
	int version_1;
};

struct uk_alloc;
/**
 * Sets up queue q of vdev for a driver: the device's own size, which
 * must be at least min (and non-zero), rings in zeroed, UK_VRING_ALIGN
 * aligned memory from a, laid over vq and handed to the device.
 * Returns 0, -ENODEV (no queue q, or one smaller than min), -ENOMEM,
 * -EINVAL (a size the rings cannot take; the memory is freed) or the
 * transport's error (the memory stays in vq->desc, for the driver's
 * teardown to free).
 */
int uk_virtio_queue_create(struct uk_virtio_dev *vdev, struct uk_alloc *a,
			   struct uk_virtqueue *vq, uint16_t q, uint16_t min);

/** Virtio device types (the PCI subsystem ID of transitional devices). */
#define UK_VIRTIO_ID_NET 1
#define UK_VIRTIO_ID_BLOCK 2
#define UK_VIRTIO_ID_9P 9

/**
 * A driver's attach function: takes over vdev (which must outlive the
 * driver); irq_line >= 0 routes that legacy interrupt line to the
 * driver.  Returns 0 or a negative errno.
 */
typedef int (*uk_virtio_attach_fn)(struct uk_virtio_dev *vdev, int irq_line);

/**
 * Finds every device of the given type on every transport the machine has
 * (PCI when config space answers, virtio-mmio from the command line) and
 * attaches it with attach, PCI first.  kvm only.  Returns the number of
 * devices attached (a failed attach is logged and skipped).
 */
int uk_virtio_probe(uint16_t type, uk_virtio_attach_fn attach);

/**
 * The PCI transport's own probe: every virtio PCI function of the type
 * (legacy/transitional interface, I/O BAR 0).  A machine without PCI
 * (microvm) costs one port write and read.  kvm only.  Returns the number
 * of devices attached.
 */
int uk_virtio_pci_probe(uint16_t type, uk_virtio_attach_fn attach);

/* ---- virtio-mmio ------------------------------------------------------ */

/** One virtio-mmio device, as a virtio_mmio.device= word describes it. */
struct uk_virtio_mmio_desc {
	uint64_t base;   /**< physical address of the register block */
	uint64_t size;   /**< its length, at least 0x100 */
	int irq;         /**< legacy interrupt line (0..15) */
};

/**
 * Parses the value of a virtio_mmio.device= word, Linux's syntax
 * <size>@<base>:<irq>[:<id>] (numbers in C notation, decimal or 0x-hex;
 * size may end in K, M or G; the platform id is ignored), as QEMU's
 * microvm writes it: 512@0xfeb00e00:12.  The block must lie below 4 GiB
 * (what the kvm platform maps), be 4-byte aligned and at least 0x100
 * long; the line must be 0..15.  Returns 0 and fills *d, or -EINVAL.
 */
int uk_virtio_mmio_parse(const char *val, struct uk_virtio_mmio_desc *d);

/**
 * Register access to a virtio-mmio block (addr is base + offset), so the
 * transport runs against a device model in tests.  The default one
 * (uk_virtio_mmio_io_default()) is plain volatile loads and stores, the
 * low 4 GiB being identity mapped.
 */
struct uk_virtio_mmio_io {
	uint32_t (*read32)(void *ctx, uint64_t addr);
	void (*write32)(void *ctx, uint64_t addr, uint32_t val);
	uint8_t (*read8)(void *ctx, uint64_t addr);
};

const struct uk_virtio_mmio_io *uk_virtio_mmio_io_default(void);

/** Where the values of the virtio_mmio.device words come from. */
typedef const char *(*uk_virtio_mmio_words_fn)(const char *key,
						unsigned int n);

/**
 * Attaches every virtio-mmio device of the type that words (called with
 * "virtio_mmio.device" and n = 0, 1, ... until NULL) describe, through
 * io/ctx.  A word that does not parse, and a block that is no virtio-mmio
 * device (bad magic, unknown version), are skipped with a console line,
 * each word reported once; an empty transport (device ID 0) is skipped
 * quietly.  Supports the legacy register layout (version 1, QEMU's
 * default) and the modern one (version 2, -global
 * virtio-mmio.force-legacy=false), which negotiates VIRTIO_F_VERSION_1.
 * Each line is made level-triggered (uk_plat_irq_set_level()) before
 * attach gets it.  Returns the number of devices attached.
 */
int uk_virtio_mmio_probe_words(uk_virtio_mmio_words_fn words,
			       const struct uk_virtio_mmio_io *io, void *ctx,
			       uint16_t type, uk_virtio_attach_fn attach);

/**
 * The MMIO transport's probe over the boot command line
 * (uk_plat_option_nth) with the default register access.  Returns the
 * number of devices attached (0 without virtio_mmio.device words).
 */
int uk_virtio_mmio_probe(uint16_t type, uk_virtio_attach_fn attach);

/**
 * Attaches the virtio-net driver to a device: negotiates features, sets
 * up the receive and transmit queues, fills the receive queue, and
 * registers a uknetdev (eth0, eth1...).  irq_line >= 0 routes that legacy
 * interrupt line to the driver.  Returns 0, -ENODEV (no queues),
 * -ENOMEM, or the registry's error.
 */
int uk_virtio_net_attach(struct uk_virtio_dev *vdev, int irq_line);
/** The driver's interrupt handler (1: it was ours). */
int uk_virtio_net_irq(void *netdev);

/**
 * Finds every virtio-net device (uk_virtio_probe()) and attaches the
 * driver to it.  kvm only.  Returns the number of devices attached.
 */
int uk_virtio_net_probe(void);

/**
 * Attaches the virtio-blk driver (library virtio_blk): negotiates
 * features (size/segment limits, read-only, block size, flush), reads
 * the capacity, sets up the request queue, starts the completion thread
 * and registers a ukblkdev (vda, vdb...).  irq_line >= 0 routes that
 * legacy interrupt line to the driver.  Returns 0, -ENODEV (no usable
 * queue), -ENOMEM, or the thread's or registry's error.
 */
int uk_virtio_blk_attach(struct uk_virtio_dev *vdev, int irq_line);
/** virtio-blk's interrupt handler (arg: the ukblkdev's priv); 1: ours. */
int uk_virtio_blk_irq(void *arg);

/**
 * Attaches the virtio-9p transport (library virtio_9p): reads the mount
 * tag, sets up the request queue and registers a uk9p transport under
 * that tag (uk_9p_trans_find()).  Returns 0, -ENODEV (no mount tag or
 * queue), -ENOMEM, or the registry's error.
 */
int uk_virtio_9p_attach(struct uk_virtio_dev *vdev, int irq_line);
/** virtio-9p's interrupt handler (arg: the transport's priv); 1: ours. */
int uk_virtio_9p_irq(void *arg);

#endif
