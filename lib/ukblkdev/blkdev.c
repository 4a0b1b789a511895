/*
 * The block device registry and the request path.  Devices are named
 * vda, vdb, ... in registration order (Linux's scheme: vdz is followed by
 * vdaa) and published as ukstore folder blk/<name> (stats.c).  The
 * registry is a small fixed array under a mutex: devices come and go
 * rarely, at boot.
 *
 * Request path: uk_blkdev_submit() checks the request, then, under the
 * device's lock, accounts it as in flight and either hands it to the
 * driver (when fewer than max_in_flight are issued) or appends it to a
 * FIFO of pending requests.  uk_blkdev_complete() accounts the
 * completion, issues the next pending request, and runs the callback.
 * The driver's submit operation is called without the device lock held,
 * so a driver may complete a request from inside it.
 *
 * Time accounting follows Linux's diskstats: at every change of the
 * in-flight count, the time since the previous change is added to io_ns
 * when something was in flight, and weighted by the count into
 * io_weighted_ns; each completion adds its latency to its kind's time and
 * to the latency histogram.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <uk/assert.h>
#include <uk/blkdev.h>
#include <uk/counter.h>
#include <uk/lock.h>
#include <uk/plat/time.h>
#include <uk/wait.h>

#include "blkdev_impl.h"

static struct uk_mutex reg_lock = UK_MUTEX_INITIALIZER;
static struct uk_blkdev *devs[UK_BLKDEV_MAX];
static unsigned int ndevs;
/* Next name index, never reused, so a store reader never sees a name
 * that moved to another device. */
static unsigned int next_name;

/* Histogram bounds for request latency, in seconds. */
static const double latency_le[] = {
	0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
	0.1, 0.25, 0.5, 1, 2.5, 5,
};

/* "vd" + index in bijective base 26: 0 vda, 25 vdz, 26 vdaa. */
static void fmt_name(char *buf, size_t size, unsigned int n)
{
	char letters[8];
	size_t nl = 0, i = 2;

	n++;
	do {
		n--;
		letters[nl++] = (char)('a' + n % 26);
		n /= 26;
	} while (n);
	UK_ASSERT(size >= 3 + nl);
	buf[0] = 'v';
	buf[1] = 'd';
	while (nl)
		buf[i++] = letters[--nl];
	buf[i] = '\0';
}

/* The device's clock. */
uint64_t _uk_blkdev_now(const struct uk_blkdev *dev)
{
	return dev->clock_ns ? dev->clock_ns() : uk_plat_time_mono_ns();
}

/*
 * Registers dev as vdX and publishes blk/vdX.  Returns 0, -EINVAL,
 * -ENOSPC or the store's error (see uk/blkdev.h).
 */
int uk_blkdev_register(struct uk_blkdev *dev)
{
	int rc;

	if (!dev || !dev->ops || !dev->ops->submit ||
	    dev->sector_size < 512 ||
	    (dev->sector_size & (dev->sector_size - 1)) ||
	    !dev->max_in_flight)
		return -EINVAL;
	uk_mutex_lock(&reg_lock);
	if (dev->_registered) {
		rc = -EINVAL;
		goto out;
	}
	if (ndevs == UK_BLKDEV_MAX) {
		rc = -ENOSPC;
		goto out;
	}
	fmt_name(dev->name, sizeof(dev->name), next_name);
	memset(&dev->stats, 0, sizeof(dev->stats));
	dev->stats.latency.nbuckets =
		sizeof(latency_le) / sizeof(latency_le[0]);
	dev->stats.latency.le = latency_le;
	dev->_lock = (struct uk_mutex)UK_MUTEX_INITIALIZER;
	dev->_last_ns = _uk_blkdev_now(dev);
	dev->_issued = 0;
	dev->_pending = dev->_pending_tail = NULL;
	rc = _uk_blkdev_publish(dev);
	if (rc) {
		dev->name[0] = '\0';
		goto out;
	}
	next_name++;
	dev->_registered = 1;
	devs[ndevs++] = dev;
out:
	uk_mutex_unlock(&reg_lock);
	return rc;
}

/* Unregisters dev and removes its folder.  Returns 0 or -ENOENT. */
int uk_blkdev_unregister(struct uk_blkdev *dev)
{
	struct uk_store_folder *f;
	unsigned int i;

	uk_mutex_lock(&reg_lock);
	for (i = 0; i < ndevs && devs[i] != dev; i++)
		;
	if (i == ndevs) {
		uk_mutex_unlock(&reg_lock);
		return -ENOENT;
	}
	UK_ASSERT(uk_counter_read(&dev->stats.in_flight) == 0);
	for (; i + 1 < ndevs; i++)
		devs[i] = devs[i + 1];
	devs[--ndevs] = NULL;
	dev->_registered = 0;
	f = dev->_folder;
	dev->_folder = NULL;
	uk_mutex_unlock(&reg_lock);
	/* Outside the registry lock: the release callback may run here. */
	if (f)
		uk_store_folder_remove(f);
	return 0;
}

/* Number of registered devices. */
unsigned int uk_blkdev_count(void)
{
	unsigned int n;

	uk_mutex_lock(&reg_lock);
	n = ndevs;
	uk_mutex_unlock(&reg_lock);
	return n;
}

/* The idx-th registered device, or NULL. */
struct uk_blkdev *uk_blkdev_get(unsigned int idx)
{
	struct uk_blkdev *dev = NULL;

	uk_mutex_lock(&reg_lock);
	if (idx < ndevs)
		dev = devs[idx];
	uk_mutex_unlock(&reg_lock);
	return dev;
}

/* The registered device called name, or NULL. */
struct uk_blkdev *uk_blkdev_find(const char *name)
{
	struct uk_blkdev *dev = NULL;
	unsigned int i;

	if (!name)
		return NULL;
	uk_mutex_lock(&reg_lock);
	for (i = 0; i < ndevs; i++) {
		if (!strcmp(devs[i]->name, name)) {
			dev = devs[i];
			break;
		}
	}
	uk_mutex_unlock(&reg_lock);
	return dev;
}

/*
 * Folds the time since the last in-flight change into io_ns and
 * io_weighted_ns (device lock held).
 */
void _uk_blkdev_account_time(struct uk_blkdev *dev, uint64_t now)
{
	struct uk_blkdev_stats *st = &dev->stats;
	uint64_t n = st->in_flight;
	uint64_t dt = now > dev->_last_ns ? now - dev->_last_ns : 0;

	if (n) {
		uk_counter_add(&st->io_ns, dt);
		uk_counter_add(&st->io_weighted_ns, dt * n);
	}
	if (now > dev->_last_ns)
		dev->_last_ns = now;
}

/*
 * Accounts req's completion with result.  When req held one of the
 * driver's max_in_flight places (slot), returns the pending request to
 * issue in its place, or NULL if none waits.
 */
static struct uk_blkreq *account_done(struct uk_blkdev *dev,
				      struct uk_blkreq *req, int result,
				      int slot)
{
	struct uk_blkdev_stats *st = &dev->stats;
	uint64_t now = _uk_blkdev_now(dev);
	uint64_t lat = now > req->_start_ns ? now - req->_start_ns : 0;
	uint64_t bytes = (uint64_t)req->count * dev->sector_size;
	struct uk_blkreq *next;

	uk_mutex_lock(&dev->_lock);
	_uk_blkdev_account_time(dev, now);
	UK_ASSERT(st->in_flight > 0);
	uk_counter_set(&st->in_flight, st->in_flight - 1);
	switch (req->op) {
	case UK_BLKREQ_READ:
		uk_counter_add(&st->reads, 1);
		uk_counter_add(&st->read_ns, lat);
		if (!result)
			uk_counter_add(&st->read_bytes, bytes);
		break;
	case UK_BLKREQ_WRITE:
		uk_counter_add(&st->writes, 1);
		uk_counter_add(&st->write_ns, lat);
		if (!result)
			uk_counter_add(&st->written_bytes, bytes);
		break;
	default:
		uk_counter_add(&st->flushes, 1);
		uk_counter_add(&st->flush_ns, lat);
		break;
	}
	if (result)
		uk_counter_add(&st->errors, 1);
	uk_store_hist_observe(&st->latency, (double)lat / 1e9);
	next = slot ? dev->_pending : NULL;
	if (next) {
		dev->_pending = next->_next;
		if (!dev->_pending)
			dev->_pending_tail = NULL;
		next->_next = NULL;
	} else if (slot) {
		UK_ASSERT(dev->_issued > 0);
		dev->_issued--;
	}
	uk_mutex_unlock(&dev->_lock);
	return next;
}

/*
 * Hands req, then any request queued behind it, to the driver until one
 * is taken; a request the driver refuses is completed with its error.
 */
static void issue(struct uk_blkdev *dev, struct uk_blkreq *req)
{
	while (req) {
		struct uk_blkreq *next;
		int rc = dev->ops->submit(dev, req);

		if (!rc)
			return;
		next = account_done(dev, req, rc, 1);
		req->result = rc;
		req->done(req, req->arg);
		req = next;
	}
}

/* Checks req against dev: 0, -EINVAL, -ENOSPC or -EROFS. */
static int check(const struct uk_blkdev *dev, const struct uk_blkreq *req)
{
	switch (req->op) {
	case UK_BLKREQ_FLUSH:
		return 0;
	case UK_BLKREQ_READ:
	case UK_BLKREQ_WRITE:
		break;
	default:
		return -EINVAL;
	}
	if (!req->buf || !req->count ||
	    (dev->max_sectors && req->count > dev->max_sectors))
		return -EINVAL;
	if (req->sector >= dev->sectors ||
	    req->count > dev->sectors - req->sector)
		return -ENOSPC;
	if (req->op == UK_BLKREQ_WRITE && (dev->flags & UK_BLKDEV_F_RO))
		return -EROFS;
	return 0;
}

/* Submits req; see uk/blkdev.h.  Returns 0, -EINVAL, -ENOSPC, -EROFS. */
int uk_blkdev_submit(struct uk_blkdev *dev, struct uk_blkreq *req)
{
	uint64_t now;
	int rc, go = 0, at_once;

	UK_ASSERT(dev && dev->_registered && req && req->done);
	rc = check(dev, req);
	if (rc)
		return rc;
	/* A write-through device has nothing to flush. */
	at_once = req->op == UK_BLKREQ_FLUSH && !(dev->flags & UK_BLKDEV_F_FLUSH);
	now = _uk_blkdev_now(dev);
	req->_start_ns = now;
	req->_next = NULL;
	req->result = 0;
	uk_mutex_lock(&dev->_lock);
	_uk_blkdev_account_time(dev, now);
	uk_counter_set(&dev->stats.in_flight, dev->stats.in_flight + 1);
	if (at_once) {
		/* completed below without taking a driver slot */
	} else if (dev->_issued < dev->max_in_flight) {
		dev->_issued++;
		go = 1;
	} else {
		if (dev->_pending_tail)
			dev->_pending_tail->_next = req;
		else
			dev->_pending = req;
		dev->_pending_tail = req;
	}
	uk_mutex_unlock(&dev->_lock);
	if (at_once) {
		account_done(dev, req, 0, 0);
		req->done(req, req->arg);
	} else if (go) {
		issue(dev, req);
	}
	return 0;
}

/* Accounts req, issues the next pending request, runs the callback. */
void uk_blkdev_complete(struct uk_blkdev *dev, struct uk_blkreq *req,
			int result)
{
	struct uk_blkreq *next = account_done(dev, req, result, 1);

	req->result = result;
	issue(dev, next);
	req->done(req, req->arg);
}

/* ---- blocking helpers ---------------------------------------------- */

struct waiter {
	uint32_t done;
};

static void wake_done(struct uk_blkreq *req, void *arg)
{
	struct waiter *w = arg;

	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	/* Only the address is used: the waiter may be gone already. */
	uk_wake(&w->done, 1);
}

/* Submits req and sleeps until done: req->result, or submit's error. */
int uk_blkdev_submit_wait(struct uk_blkdev *dev, struct uk_blkreq *req)
{
	struct waiter w = { 0 };
	int rc;

	req->done = wake_done;
	req->arg = &w;
	rc = uk_blkdev_submit(dev, req);
	if (rc)
		return rc;
	while (!__atomic_load_n(&w.done, __ATOMIC_ACQUIRE))
		uk_wait_on(&w.done, 0, 0);
	return req->result;
}

/* Reads or writes in requests of at most max_sectors; 0 or -errno. */
static int rw(struct uk_blkdev *dev, uint8_t op, uint64_t sector,
	      uint32_t count, void *buf)
{
	struct uk_blkreq req;
	uint32_t n;
	int rc;

	/* The whole range first: never a partial transfer off the end. */
	if (!count || !buf)
		return -EINVAL;
	if (sector >= dev->sectors || count > dev->sectors - sector)
		return -ENOSPC;
	while (count) {
		n = dev->max_sectors && count > dev->max_sectors ?
			    dev->max_sectors : count;
		memset(&req, 0, sizeof(req));
		req.op = op;
		req.sector = sector;
		req.count = n;
		req.buf = buf;
		rc = uk_blkdev_submit_wait(dev, &req);
		if (rc)
			return rc;
		sector += n;
		count -= n;
		buf = (char *)buf + (size_t)n * dev->sector_size;
	}
	return 0;
}

/* Reads count sectors at sector into buf; 0 or -errno. */
int uk_blkdev_read(struct uk_blkdev *dev, uint64_t sector, uint32_t count,
		   void *buf)
{
	return rw(dev, UK_BLKREQ_READ, sector, count, buf);
}

/* Writes count sectors at sector from buf; 0 or -errno. */
int uk_blkdev_write(struct uk_blkdev *dev, uint64_t sector, uint32_t count,
		    const void *buf)
{
	return rw(dev, UK_BLKREQ_WRITE, sector, count, (void *)buf);
}

/* Flushes the device's write cache; 0 or -errno. */
int uk_blkdev_flush(struct uk_blkdev *dev)
{
	struct uk_blkreq req;

	memset(&req, 0, sizeof(req));
	req.op = UK_BLKREQ_FLUSH;
	return uk_blkdev_submit_wait(dev, &req);
}
