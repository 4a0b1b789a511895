/*
 * ukblkdev: the block device API.
 *
 * A driver (virtio-blk on kvm, a file-backed fake in tests) fills a
 * struct uk_blkdev with its operations, geometry and limits, and
 * registers it; the registry names devices vda, vdb, ... in registration
 * order (never reusing a name) and publishes each one's statistics as
 * ukstore folder blk/<name> (label "device"), so they appear as
 * blk_reads_total{device="vda"} and so on.
 *
 * Requests are asynchronous: the caller fills a struct uk_blkreq (read,
 * write or flush; first sector, sector count, buffer; a completion
 * callback) and submits it; the layer checks it against the device
 * (bounds, alignment, read-only) before the device ever sees it, queues
 * it when the device already has max_in_flight requests, and calls the
 * callback once the device completes it.  uk_blkdev_read(), _write() and
 * _flush() are blocking helpers for threads: they submit and sleep on a
 * uk/wait.h word until the callback wakes them (no busy polling).
 *
 * Completion: the driver calls uk_blkdev_complete() in thread context
 * (virtio-blk does it from its completion thread, which its interrupt
 * handler wakes), never from an interrupt handler; the callback runs
 * there and must not block for long.  A driver may complete a request
 * from inside its submit operation.
 *
 * Statistics (what Linux's /proc/diskstats needs): completed reads,
 * writes and flushes, bytes, time spent per kind of request (sum of
 * latencies), time with at least one request in flight (io), the
 * in-flight count integrated over time (io_weighted), requests in flight,
 * errors, and a histogram of request latency.  A request is in flight
 * from its submission to its completion, queueing in the layer included.
 * Counting costs plain adds made under the device's lock, which the
 * layer takes anyway to queue requests.  The clock is the device's
 * clock_ns (injectable; default uk_plat_time_mono_ns).
 *
 * Errors: 0 or a negative errno.
 */
#ifndef UK_BLKDEV_H
#define UK_BLKDEV_H

#include <stddef.h>
#include <stdint.h>

#include <uk/lock.h>
#include <uk/store_publish.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Most devices the registry holds. */
#define UK_BLKDEV_MAX 8

/** struct uk_blkdev.flags */
#define UK_BLKDEV_F_RO    0x1u  /**< writes are refused with -EROFS */
#define UK_BLKDEV_F_FLUSH 0x2u  /**< volatile write cache: flush reaches
				     the device (else it completes at once) */

enum uk_blkreq_op {
	UK_BLKREQ_READ = 0,
	UK_BLKREQ_WRITE,
	UK_BLKREQ_FLUSH,
};

struct uk_blkdev;
struct uk_blkreq;

/** Completion callback: req->result holds 0 or a negative errno. */
typedef void (*uk_blkreq_done_fn)(struct uk_blkreq *req, void *arg);

/**
 * A request.  The caller fills op, sector, count, buf, done and arg, and
 * owns the memory until done runs; the rest is the layer's and the
 * driver's.
 */
struct uk_blkreq {
	uint8_t op;              /**< enum uk_blkreq_op */
	uint64_t sector;         /**< first sector (units of sector_size) */
	uint32_t count;          /**< sectors (read, write) */
	void *buf;               /**< count * sector_size bytes */
	uk_blkreq_done_fn done;
	void *arg;
	int result;              /**< set before done runs */

	/* Private to ukblkdev. */
	uint64_t _start_ns;
	struct uk_blkreq *_next;
	/** For the driver, between its submit and uk_blkdev_complete(). */
	uintptr_t drv;
};

/** Operations a driver implements. */
struct uk_blkdev_ops {
	/**
	 * Starts req (already checked: in bounds, count <= max_sectors,
	 * never more than max_in_flight at once).  Returns 0 when the
	 * device took it (the driver later calls uk_blkdev_complete()), or
	 * a negative errno when it did not (the layer then completes req
	 * with that error).
	 */
	int (*submit)(struct uk_blkdev *dev, struct uk_blkreq *req);
	/**
	 * Optional: called once the device is unregistered and no reader
	 * of its statistics remains; the driver may free it then.
	 */
	void (*release)(struct uk_blkdev *dev);
};

/** Per-device counters (nanoseconds for times). */
struct uk_blkdev_stats {
	uint64_t reads, writes, flushes;      /**< completed requests */
	uint64_t read_bytes, written_bytes;   /**< of successful requests */
	uint64_t read_ns, write_ns, flush_ns; /**< sums of latencies */
	uint64_t errors;                      /**< completed with an error */
	uint64_t io_ns;          /**< time with >= 1 request in flight */
	uint64_t io_weighted_ns; /**< in-flight count integrated over time */
	uint64_t in_flight;
	struct uk_store_hist latency;         /**< seconds */
};

/**
 * A block device.  The driver fills ops, sectors, sector_size,
 * max_sectors, max_in_flight, flags and priv (and may set clock_ns)
 * before registering it.
 */
struct uk_blkdev {
	const struct uk_blkdev_ops *ops;
	uint64_t sectors;        /**< capacity, in sectors */
	uint32_t sector_size;    /**< bytes, a power of two >= 512 */
	uint32_t max_sectors;    /**< largest request (0: no limit) */
	uint32_t max_in_flight;  /**< requests the device takes at once */
	uint32_t flags;          /**< UK_BLKDEV_F_* */
	void *priv;              /**< the driver's own state */
	/** Monotonic clock in ns; NULL: uk_plat_time_mono_ns.  Tests inject. */
	uint64_t (*clock_ns)(void);

	/* Set by uk_blkdev_register(). */
	char name[16];           /**< "vda", "vdb", ... */
	struct uk_blkdev_stats stats;

	/* Private to ukblkdev. */
	struct uk_mutex _lock;
	uint64_t _last_ns;       /* last change of in_flight */
	uint32_t _issued;        /* requests the driver holds */
	struct uk_blkreq *_pending, *_pending_tail;
	struct uk_store_folder *_folder;
	int _registered;
};

/**
 * Registers dev under the next free name vdX and publishes blk/vdX.
 * Returns 0, -EINVAL (missing ops or submit, sector_size not a power of
 * two >= 512, max_in_flight 0, or dev already registered), -ENOSPC (the
 * registry is full), or the store's error (-ENOMEM...), in which case
 * dev is not registered.
 */
int uk_blkdev_register(struct uk_blkdev *dev);

/**
 * Removes dev from the registry and its folder from the store.  No
 * request may be in flight (a broken invariant otherwise).  The driver
 * must not free dev before ops->release runs (at once if no reader holds
 * the folder).  Returns 0 or -ENOENT if dev is not registered.
 */
int uk_blkdev_unregister(struct uk_blkdev *dev);

/** Number of registered devices. */
unsigned int uk_blkdev_count(void);
/** The idx-th registered device in registration order, or NULL. */
struct uk_blkdev *uk_blkdev_get(unsigned int idx);
/** The registered device called name ("vda"), or NULL. */
struct uk_blkdev *uk_blkdev_find(const char *name);

/**
 * Submits req.  Returns 0 when accepted: req->done runs exactly once,
 * later or before this returns, with req->result set (0, or the device's
 * -EIO, -ENOTSUP...).  Otherwise the device never sees it and done never
 * runs: -EINVAL (unknown op, NULL buf, count 0, count over max_sectors),
 * -ENOSPC (any sector past the capacity), -EROFS (write to a read-only
 * device).  A flush of a device without UK_BLKDEV_F_FLUSH completes at
 * once with 0.
 */
int uk_blkdev_submit(struct uk_blkdev *dev, struct uk_blkreq *req);

/**
 * Called by the driver when the device finished req (thread context, the
 * device's lock not held): accounts it, passes the next queued request
 * to the driver, then runs req->done.
 */
void uk_blkdev_complete(struct uk_blkdev *dev, struct uk_blkreq *req,
			int result);

/**
 * Blocking helpers: read or write count sectors at sector (split into
 * requests of at most max_sectors, one after the other), or flush, and
 * sleep until done.  Return 0 or the first error (as uk_blkdev_submit()
 * or the completion gives it).
 */
int uk_blkdev_read(struct uk_blkdev *dev, uint64_t sector, uint32_t count,
		   void *buf);
int uk_blkdev_write(struct uk_blkdev *dev, uint64_t sector, uint32_t count,
		    const void *buf);
int uk_blkdev_flush(struct uk_blkdev *dev);
/** Submits req and sleeps until it completes: req->result or -errno. */
int uk_blkdev_submit_wait(struct uk_blkdev *dev, struct uk_blkreq *req);

/** Capacity in bytes. */
static inline uint64_t uk_blkdev_size(const struct uk_blkdev *dev)
{
	return dev->sectors * dev->sector_size;
}

#ifdef __cplusplus
}
#endif

#endif /* UK_BLKDEV_H */
