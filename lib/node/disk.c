/*
 * node_disk: ukblkdev's devices as /proc/diskstats shows them (the
 * classic 14 fields: major 253 and minor 16 per device, as Linux numbers
 * virtio disks) and node_exporter's node_disk_* (label device), one
 * folder node/<dev> each, made by uk_node_sync().
 *
 * Completed requests, bytes (in 512-byte sectors), summed latencies,
 * requests in flight, busy time and in-flight time are the device's own
 * counters, truncated to /proc/diskstats' units (sectors, milliseconds)
 * so both views agree.  The block layer never merges requests: merged
 * counts are 0.  node_disk_info carries the major and minor numbers and
 * empty udev labels (model, serial...), as node_exporter without udev.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <uk/blkdev.h>
#include <uk/node.h>
#include <uk/store_publish.h>

#include "node_impl.h"

#define VIRTBLK_MAJOR 253
#define NS_PER_MS 1000000ULL

int uk_node_disk_read(unsigned int i, struct uk_node_disk *out)
{
	struct uk_blkdev *d;

	memset(out, 0, sizeof(*out));
	if (i >= uk_blkdev_count() || !(d = uk_blkdev_get(i)))
		return -ENOENT;
	memcpy(out->name, d->name, sizeof(out->name));
	out->name[sizeof(out->name) - 1] = '\0';
	out->major = VIRTBLK_MAJOR;
	out->minor = 16 * i;
#define LD(f) __atomic_load_n(&d->stats.f, __ATOMIC_RELAXED)
	out->reads = LD(reads);
	out->read_sectors = LD(read_bytes) / UK_NODE_DISK_SECTOR;
	out->read_ms = LD(read_ns) / NS_PER_MS;
	out->writes = LD(writes);
	out->write_sectors = LD(written_bytes) / UK_NODE_DISK_SECTOR;
	out->write_ms = LD(write_ns) / NS_PER_MS;
	out->in_flight = LD(in_flight);
	out->io_ms = LD(io_ns) / NS_PER_MS;
	out->io_weighted_ms = LD(io_weighted_ns) / NS_PER_MS;
#undef LD
	return 0;
}

enum { D_READS, D_RBYTES, D_RTIME, D_WRITES, D_WBYTES, D_WTIME, D_NOW,
       D_IO, D_IOW };

static int get_u(void *cookie, int what, uint64_t *out)
{
	struct uk_node_disk d;
	int rc = uk_node_disk_read((unsigned int)(uintptr_t)cookie, &d);

	switch (what) {
	case D_READS: *out = d.reads; break;
	case D_RBYTES: *out = d.read_sectors * UK_NODE_DISK_SECTOR; break;
	case D_WRITES: *out = d.writes; break;
	case D_WBYTES: *out = d.write_sectors * UK_NODE_DISK_SECTOR; break;
	default: *out = d.in_flight; break;
	}
	return rc;
}

static int get_s(void *cookie, int what, double *out)
{
	struct uk_node_disk d;
	int rc = uk_node_disk_read((unsigned int)(uintptr_t)cookie, &d);
	uint64_t ms;

	switch (what) {
	case D_RTIME: ms = d.read_ms; break;
	case D_WTIME: ms = d.write_ms; break;
	case D_IO: ms = d.io_ms; break;
	default: ms = d.io_weighted_ms; break;
	}
	*out = (double)ms / 1000.0;
	return rc;
}

#define U_GETTER(n, w) \
	static int get_##n(void *c, uint64_t *o) { return get_u(c, w, o); }
#define S_GETTER(n, w) \
	static int get_##n(void *c, double *o) { return get_s(c, w, o); }
U_GETTER(reads, D_READS)
U_GETTER(rbytes, D_RBYTES)
U_GETTER(writes, D_WRITES)
U_GETTER(wbytes, D_WBYTES)
U_GETTER(now, D_NOW)
S_GETTER(rtime, D_RTIME)
S_GETTER(wtime, D_WTIME)
S_GETTER(io, D_IO)
S_GETTER(iow, D_IOW)

static int get_zero(void *cookie, uint64_t *out)
{
	*out = 0;
	return 0;
}

/* Major and minor numbers as text, per device slot (info values must
 * outlive the read). */
static char numbers[8][2][12];

static int get_info(void *cookie, struct uk_store_labels_val *out)
{
	unsigned int i = (unsigned int)(uintptr_t)cookie;
	struct uk_node_disk d;
	int rc = uk_node_disk_read(i, &d);

	if (rc)
		return rc;
	if (i >= 8)
		return -ENOENT;
	snprintf(numbers[i][0], sizeof(numbers[i][0]), "%u", d.major);
	snprintf(numbers[i][1], sizeof(numbers[i][1]), "%u", d.minor);
	/* node_exporter's labels; udev's (model, serial...) are unknown. */
	out->n = 7;
	out->l[0] = (struct uk_store_label){ "major", numbers[i][0] };
	out->l[1] = (struct uk_store_label){ "minor", numbers[i][1] };
	out->l[2] = (struct uk_store_label){ "model", "" };
	out->l[3] = (struct uk_store_label){ "path", "" };
	out->l[4] = (struct uk_store_label){ "revision", "" };
	out->l[5] = (struct uk_store_label){ "serial", "" };
	out->l[6] = (struct uk_store_label){ "wwn", "" };
	return 0;
}

static const struct uk_store_entry disk_tmpl[] = {
	UK_STORE_ENTRY(disk_info, labels, info, none,
		       "Info of /sys/block/<block_device>.", get_info, NULL,
		       NULL),
	UK_STORE_ENTRY(disk_reads_completed_total, u64, counter, none,
		       "The total number of reads completed successfully.",
		       get_reads, NULL, NULL),
	UK_STORE_ENTRY(disk_reads_merged_total, u64, counter, none,
		       "The total number of reads merged.", get_zero, NULL,
		       NULL),
	UK_STORE_ENTRY(disk_read_bytes_total, u64, counter, bytes,
		       "The total number of bytes read successfully.",
		       get_rbytes, NULL, NULL),
	UK_STORE_ENTRY(disk_read_time_seconds_total, dbl, counter, seconds,
		       "The total number of seconds spent by all reads.",
		       get_rtime, NULL, NULL),
	UK_STORE_ENTRY(disk_writes_completed_total, u64, counter, none,
		       "The total number of writes completed successfully.",
		       get_writes, NULL, NULL),
	UK_STORE_ENTRY(disk_writes_merged_total, u64, counter, none,
		       "The number of writes merged.", get_zero, NULL, NULL),
	UK_STORE_ENTRY(disk_written_bytes_total, u64, counter, bytes,
		       "The total number of bytes written successfully.",
		       get_wbytes, NULL, NULL),
	UK_STORE_ENTRY(disk_write_time_seconds_total, dbl, counter, seconds,
		       "This is the total number of seconds spent by all "
		       "writes.", get_wtime, NULL, NULL),
	UK_STORE_ENTRY(disk_io_now, u64, gauge, none,
		       "The number of I/Os currently in progress.", get_now,
		       NULL, NULL),
	UK_STORE_ENTRY(disk_io_time_seconds_total, dbl, counter, seconds,
		       "Total seconds spent doing I/Os.", get_io, NULL, NULL),
	UK_STORE_ENTRY(disk_io_time_weighted_seconds_total, dbl, counter,
		       seconds, "The weighted # of seconds spent doing I/Os.",
		       get_iow, NULL, NULL),
};

#define SLOTS 8
_Static_assert(SLOTS == sizeof(numbers) / sizeof(numbers[0]), "slots");

static struct {
	struct uk_store_folder *f;
	char name[16];
} slots[SLOTS];

int _uk_node_disk_sync(void)
{
	static const char *const names[] = { "device" };
	struct uk_node_disk d;
	unsigned int i;
	int rc = 0, r;

	for (i = 0; i < SLOTS; i++) {
		int have = !uk_node_disk_read(i, &d);

		if (slots[i].f && (!have || strcmp(slots[i].name, d.name))) {
			uk_store_folder_remove(slots[i].f);
			slots[i].f = NULL;
		}
		if (!have || slots[i].f)
			continue;
		memcpy(slots[i].name, d.name, sizeof(slots[i].name));
		r = uk_store_folder_add_labels(&uk_store_lib_node, names, NULL,
					       1, d.name, disk_tmpl,
					       sizeof(disk_tmpl) /
					       sizeof(disk_tmpl[0]),
					       (void *)(uintptr_t)i, NULL,
					       &slots[i].f);
		if (r && !rc)
			rc = r;
	}
	return rc;
}
