/*
 * uknetdev: the network device API.
 *
 * A driver (virtio-net on kvm, a fake device in tests) fills a struct
 * uk_netdev with its operations, MAC address and MTU, and registers it;
 * the network stack (lib/lwip's netif glue) finds devices through the
 * registry and moves whole Ethernet frames through the wrappers below,
 * which keep each device's statistics.  Every registered device is
 * published in ukstore as folder netdev/<name> (label "device"), so its
 * traffic appears as netdev_rx_packets_total{device="eth0"} and so on.
 *
 * Receiving is interrupt driven, never busy polled: the stack installs a
 * receive callback, enables the device's receive interrupt, and sleeps;
 * the driver's interrupt handler calls uk_netdev_rx_notify(), which runs
 * the callback (in interrupt context: it may only wake a thread); the
 * woken thread drains frames with uk_netdev_rx() until it returns 0, then
 * re-enables the interrupt.
 *
 * Concurrency: transmit is called by one context at a time (lwIP calls it
 * with its core lock held), receive by one thread per device; each side
 * updates its own counters (uk/counter.h single-writer rule).
 *
 * Errors: 0 or a negative errno.
 */
#ifndef UK_NETDEV_H
#define UK_NETDEV_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Most devices the registry holds. */
#define UK_NETDEV_MAX 8
/** Length of an Ethernet (MAC) address. */
#define UK_NETDEV_HWADDR_LEN 6
/** Longest Ethernet frame without FCS for an MTU of 1500 (plus a VLAN tag). */
#define UK_NETDEV_FRAME_MAX(mtu) ((size_t)(mtu) + 18)

/** Feature bits in struct uk_netdev.features. */
/** Received frames have had their IP/TCP/UDP checksums verified. */
#define UK_NETDEV_F_RX_CSUM_VERIFIED 0x1u

struct uk_netdev;

/** Runs in interrupt context when frames are waiting: wake, do not work. */
typedef void (*uk_netdev_rx_cb_fn)(struct uk_netdev *dev, void *arg);

/** Operations a driver implements. */
struct uk_netdev_ops {
	/**
	 * Queues one frame of len bytes (destination MAC first, no FCS)
	 * for transmission; the buffer may be reused on return.  Returns
	 * 0, -EAGAIN when the transmit queue is full, -EMSGSIZE when len
	 * exceeds the MTU's frame size, or -EIO.
	 */
	int (*tx)(struct uk_netdev *dev, const void *frame, size_t len);
	/**
	 * Copies the next received frame into buf (size bytes).  Returns
	 * its length (> 0), 0 when no frame is waiting, -EMSGSIZE when
	 * the frame did not fit (it is dropped), or -EIO.
	 */
	int (*rx)(struct uk_netdev *dev, void *buf, size_t size);
	/**
	 * Enables (on != 0) or disables the receive interrupt.  When
	 * enabling, returns 1 if frames arrived while it was off (the
	 * caller drains again instead of sleeping), else 0.
	 */
	int (*rx_intr_enable)(struct uk_netdev *dev, int on);
	/** Optional: 1 when the link is up, 0 when down.  NULL: always up. */
	int (*link_up)(struct uk_netdev *dev);
	/**
	 * Optional: called once the device is unregistered and no reader
	 * of its statistics remains; the driver may free it then.
	 */
	void (*release)(struct uk_netdev *dev);
};

/** Per-device counters, updated by the wrappers and by the driver. */
struct uk_netdev_stats {
	uint64_t rx_packets;
	uint64_t rx_bytes;
	uint64_t rx_errors;     /**< rx returned -EIO or -EMSGSIZE */
	uint64_t rx_drops;      /**< frames the stack or driver dropped */
	uint64_t tx_packets;
	uint64_t tx_bytes;
	uint64_t tx_errors;     /**< tx failed other than with -EAGAIN */
	uint64_t tx_drops;      /**< frames the stack gave up sending */
	uint64_t tx_queue_full; /**< tx refused with -EAGAIN (queue full) */
	uint64_t rx_queue_empty; /**< rx polls that found no frame */
	uint64_t rx_irqs;       /**< receive notifications */
};

/** A network device.  The driver fills ops, hwaddr, mtu, features, priv. */
struct uk_netdev {
	const struct uk_netdev_ops *ops;
	uint8_t hwaddr[UK_NETDEV_HWADDR_LEN];
	uint16_t mtu;
	uint32_t features;      /**< UK_NETDEV_F_* */
	void *priv;             /**< the driver's own state */

	/* Set by uk_netdev_register(). */
	char name[16];          /**< "eth0", "eth1", ... */
	unsigned int index;
	struct uk_netdev_stats stats;

	/* Private to uknetdev. */
	uk_netdev_rx_cb_fn _rx_cb;
	void *_rx_cb_arg;
	struct uk_store_folder *_folder;
	int _registered;
};

/**
 * Registers dev under the next free name ethN and publishes its
 * statistics folder netdev/ethN.  Returns 0, -EINVAL (missing ops, tx, rx
 * or rx_intr_enable, zero MTU, or dev already registered), -ENOSPC (the
 * registry is full), or the store's error (-ENOMEM...), in which case dev
 * is not registered.
 */
int uk_netdev_register(struct uk_netdev *dev);

/**
 * Removes dev from the registry and its folder from the store.  The
 * driver must not free dev before ops->release runs (called at once if no
 * reader holds the folder).  Returns 0 or -ENOENT if dev is not
 * registered.
 */
int uk_netdev_unregister(struct uk_netdev *dev);

/** Number of registered devices. */
unsigned int uk_netdev_count(void);
/** The idx-th registered device in registration order, or NULL. */
struct uk_netdev *uk_netdev_get(unsigned int idx);
/** The registered device called name, or NULL. */
struct uk_netdev *uk_netdev_find(const char *name);

/**
 * Transmits one frame through ops->tx and counts it.  Returns as
 * ops->tx: 0, -EAGAIN (queue full), -EMSGSIZE, -EIO; -EINVAL for len 0.
 */
int uk_netdev_tx(struct uk_netdev *dev, const void *frame, size_t len);

/**
 * Receives one frame through ops->rx and counts it.  Returns its length,
 * 0 when none is waiting, or -EMSGSIZE / -EIO.
 */
int uk_netdev_rx(struct uk_netdev *dev, void *buf, size_t size);

/**
 * Installs the receive callback (NULL removes it).  It is called from
 * uk_netdev_rx_notify() in interrupt context.
 */
void uk_netdev_rx_cb_set(struct uk_netdev *dev, uk_netdev_rx_cb_fn fn,
			 void *arg);

/**
 * Enables or disables the receive interrupt.  Returns 1 when enabling
 * found frames already waiting, else 0.
 */
int uk_netdev_rx_intr_enable(struct uk_netdev *dev, int on);

/** Called by the driver (interrupt handler) when frames are waiting. */
void uk_netdev_rx_notify(struct uk_netdev *dev);

/** 1 when the link is up, else 0. */
int uk_netdev_link_up(struct uk_netdev *dev);

/** Counts a frame the stack received but had to drop (no memory...). */
void uk_netdev_rx_drop(struct uk_netdev *dev);

/**
 * Counts a frame the stack gave up sending (after uk_netdev_tx() failed,
 * possibly several times: a full queue is often worth a retry).
 */
void uk_netdev_tx_drop(struct uk_netdev *dev);

#ifdef __cplusplus
}
#endif

#endif /* UK_NETDEV_H */
