/*
 * ukblkdev's statistics in ukstore: one folder per registered device,
 * blk/<name> (label "device"), whose getters read the device's counters
 * (blk_reads_total{device="vda"}, blk_read_seconds_total, ...).  Times
 * are kept in nanoseconds and exported as seconds.  The two integrals
 * over time (io and io_weighted) are brought up to date by their getters
 * under the device lock, so a scrape in the middle of a long request
 * sees the time elapsed so far and the counters never go backwards.
 */
#include <stdint.h>

#include <uk/blkdev.h>
#include <uk/counter.h>
#include <uk/lock.h>
#include <uk/store_publish.h>

#include "blkdev_impl.h"

UK_STORE_LIBRARY(blk);

#define DEV(cookie) ((struct uk_blkdev *)(cookie))

#define COUNT_GETTER(name, field) \
	static int get_##name(void *cookie, uint64_t *out) \
	{ \
		*out = uk_counter_read(&DEV(cookie)->stats.field); \
		return 0; \
	}
#define SECONDS_GETTER(name, field) \
	static int get_##name(void *cookie, double *out) \
	{ \
		*out = (double)uk_counter_read(&DEV(cookie)->stats.field) / \
		       1e9; \
		return 0; \
	}
COUNT_GETTER(reads, reads)
COUNT_GETTER(writes, writes)
COUNT_GETTER(flushes, flushes)
COUNT_GETTER(read_bytes, read_bytes)
COUNT_GETTER(written_bytes, written_bytes)
COUNT_GETTER(errors, errors)
COUNT_GETTER(in_flight, in_flight)
SECONDS_GETTER(read_seconds, read_ns)
SECONDS_GETTER(write_seconds, write_ns)
SECONDS_GETTER(flush_seconds, flush_ns)

/* io_ns or io_weighted_ns, including the interval still open. */
static double integral_now(struct uk_blkdev *dev, int weighted)
{
	uint64_t now = _uk_blkdev_now(dev), v;

	uk_mutex_lock(&dev->_lock);
	_uk_blkdev_account_time(dev, now);
	v = weighted ? dev->stats.io_weighted_ns : dev->stats.io_ns;
	uk_mutex_unlock(&dev->_lock);
	return (double)v / 1e9;
}

static int get_io_seconds(void *cookie, double *out)
{
	*out = integral_now(DEV(cookie), 0);
	return 0;
}

static int get_io_weighted_seconds(void *cookie, double *out)
{
	*out = integral_now(DEV(cookie), 1);
	return 0;
}

static int get_request_seconds(void *cookie, struct uk_store_hist_val *out)
{
	return uk_store_hist_get(&DEV(cookie)->stats.latency, out);
}

static int get_capacity(void *cookie, uint64_t *out)
{
	*out = uk_blkdev_size(DEV(cookie));
	return 0;
}

static int get_sector_size(void *cookie, uint64_t *out)
{
	*out = DEV(cookie)->sector_size;
	return 0;
}

#define COUNTER(f, t, unit, help) \
	UK_STORE_ENTRY(f, t, counter, unit, help, get_##f, NULL, NULL)

static const struct uk_store_entry dev_tmpl[] = {
	COUNTER(reads, u64, none, "Read requests completed."),
	COUNTER(writes, u64, none, "Write requests completed."),
	COUNTER(flushes, u64, none, "Flush requests completed."),
	COUNTER(read_bytes, u64, bytes, "Bytes read by successful requests."),
	COUNTER(written_bytes, u64, bytes,
		"Bytes written by successful requests."),
	COUNTER(read_seconds, dbl, seconds,
		"Time read requests took, summed over requests."),
	COUNTER(write_seconds, dbl, seconds,
		"Time write requests took, summed over requests."),
	COUNTER(flush_seconds, dbl, seconds,
		"Time flush requests took, summed over requests."),
	COUNTER(io_seconds, dbl, seconds,
		"Time with at least one request in flight."),
	COUNTER(io_weighted_seconds, dbl, seconds,
		"Requests in flight integrated over time (diskstats' "
		"weighted I/O time)."),
	COUNTER(errors, u64, none, "Requests completed with an error."),
	UK_STORE_ENTRY(in_flight, u64, gauge, none,
		       "Requests submitted and not yet completed.",
		       get_in_flight, NULL, NULL),
	UK_STORE_ENTRY(request_seconds, hist, histogram, seconds,
		       "Request latency, from submission to completion.",
		       get_request_seconds, NULL, NULL),
	UK_STORE_ENTRY(capacity, u64, gauge, bytes, "Device capacity.",
		       get_capacity, NULL, NULL),
	UK_STORE_ENTRY(sector_size, u64, gauge, bytes,
		       "Bytes per sector (the unit of requests).",
		       get_sector_size, NULL, NULL),
};

static void folder_release(void *cookie)
{
	struct uk_blkdev *dev = cookie;

	if (dev->ops->release)
		dev->ops->release(dev);
}

/* Publishes blk/<name>; 0 or the store's error. */
int _uk_blkdev_publish(struct uk_blkdev *dev)
{
	int rc;

	rc = uk_store_folder_add(&uk_store_lib_blk, "device", dev->name,
				 dev_tmpl,
				 sizeof(dev_tmpl) / sizeof(dev_tmpl[0]), dev,
				 folder_release, &dev->_folder);
	if (rc)
		dev->_folder = NULL;
	return rc;
}
