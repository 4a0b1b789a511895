/*
 * The blk-test image: virtio-blk in the VM over QEMU's device, driven by
 * drivers/virtio/tests/blk_9p_kvm.sh, which prepares the raw image (every
 * byte at offset o holds HOST(o)), boots this image with --disk and the
 * image's size as blktest.sectors=N, and afterwards checks on the host
 * the sectors written here (GUEST(o)) and those left alone.  Each case
 * also checks that the blk/vda metrics in the store moved by what it did.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <uk/blkdev.h>
#include <uk/plat/cmdline.h>
#include <uk/plat/time.h>
#include <uk/store.h>
#include <uk/test.h>
#include <uk/virtio.h>
#include <uk/wait.h>

#define HOST(o) ((uint8_t)((o) * 7 + ((o) >> 9)))
#define GUEST(o) ((uint8_t)((o) * 13 + 0x5a))

#define WRITE_AT 1000     /* the sectors this test writes: 1000..1063 */
#define WRITE_N 64

static uint8_t buf[WRITE_N * 512];

/* The driver's attach, noting the virtio version the transport set. */
static int attach(struct uk_virtio_dev *vdev, int irq_line)
{
	int rc = uk_virtio_blk_attach(vdev, irq_line);

	uk_test_log("virtio-blk on line %d, virtio 1.x: %s", irq_line,
		    vdev->version_1 ? "yes" : "no");
	return rc;
}

static struct uk_blkdev *vda(void)
{
	static int probed;

	if (!probed) {
		probed = 1;
		uk_test_log("virtio-blk devices attached: %d",
			    uk_virtio_probe(UK_VIRTIO_ID_BLOCK, attach));
	}
	return uk_blkdev_find("vda");
}

static uint64_t opt(const char *key)
{
	const char *v = uk_plat_option(key);

	return v ? strtoull(v, NULL, 0) : 0;
}

static double stat_of(const char *entry)
{
	char path[64] = "blk/vda/";
	struct uk_store_value v;

	strcat(path, entry);
	if (uk_store_read_path(path, &v))
		return -1;
	return v.type == UK_STORE_DOUBLE ? v.d : (double)v.u;
}

/* Bytes of sectors [s, s+n) that differ from the pattern. */
static unsigned int mismatches(const uint8_t *p, uint64_t s, uint32_t n,
			       int guest)
{
	uint64_t o, base = s * 512;
	unsigned int bad = 0;

	for (o = base; o < base + (uint64_t)n * 512; o++)
		bad += p[o - base] != (guest ? GUEST(o) : HOST(o));
	return bad;
}

UK_TEST(blk_kvm_geometry_from_the_device)
{
	struct uk_blkdev *d = vda();

	UK_TEST_ASSERT(d != NULL);
	uk_test_log("vda: %llu sectors of %u bytes, %u in flight, %u per "
		    "request, flags %#x",
		    (unsigned long long)d->sectors, d->sector_size,
		    d->max_in_flight, d->max_sectors, d->flags);
	UK_TEST_EQ(d->sectors, opt("blktest.sectors"));
	UK_TEST_EQ(d->sector_size, 512);
	UK_TEST_ASSERT(d->max_in_flight > 1);
	UK_TEST_EQ(stat_of("capacity"), (double)d->sectors * 512);
}

UK_TEST(blk_kvm_reads_what_the_host_wrote)
{
	struct uk_blkdev *d = vda();
	double reads0;

	UK_TEST_ASSERT(d != NULL);
	reads0 = stat_of("reads");
	UK_TEST_EQ(uk_blkdev_read(d, 0, WRITE_N, buf), 0);
	UK_TEST_EQ(mismatches(buf, 0, WRITE_N, 0), 0);
	/* Near the end (the very last sector is another case's). */
	UK_TEST_EQ(uk_blkdev_read(d, d->sectors - 9, 8, buf), 0);
	UK_TEST_EQ(mismatches(buf, d->sectors - 9, 8, 0), 0);
	UK_TEST_EQ(stat_of("reads") - reads0, 2.0);
}

UK_TEST(blk_kvm_writes_flush_and_reads_back)
{
	struct uk_blkdev *d = vda();
	uint64_t o;
	double w0, wb0, f0;

	UK_TEST_ASSERT(d != NULL);
	w0 = stat_of("writes");
	wb0 = stat_of("written_bytes");
	f0 = stat_of("flushes");
	for (o = WRITE_AT * 512ULL; o < (WRITE_AT + WRITE_N) * 512ULL; o++)
		buf[o - WRITE_AT * 512ULL] = GUEST(o);
	UK_TEST_EQ(uk_blkdev_write(d, WRITE_AT, WRITE_N, buf), 0);
	/* The last sector too: the end of the device is reachable. */
	for (o = 0; o < 512; o++)
		buf[o] = GUEST((d->sectors - 1) * 512 + o);
	UK_TEST_EQ(uk_blkdev_write(d, d->sectors - 1, 1, buf), 0);
	UK_TEST_EQ(uk_blkdev_flush(d), 0);
	memset(buf, 0, sizeof(buf));
	UK_TEST_EQ(uk_blkdev_read(d, WRITE_AT, WRITE_N, buf), 0);
	UK_TEST_EQ(mismatches(buf, WRITE_AT, WRITE_N, 1), 0);
	UK_TEST_EQ(stat_of("writes") - w0, 2.0);
	UK_TEST_EQ(stat_of("written_bytes") - wb0, (WRITE_N + 1) * 512.0);
	UK_TEST_EQ(stat_of("flushes") - f0, 1.0);
}

struct counter {
	uint32_t done;
	uint32_t errors;
};

static void count_done(struct uk_blkreq *req, void *arg)
{
	struct counter *c = arg;

	if (req->result)
		c->errors++;
	__atomic_fetch_add(&c->done, 1, __ATOMIC_RELEASE);
	uk_wake(&c->done, 1);
}

/* 32 requests at once, more than a few per interrupt. */
UK_TEST(blk_kvm_many_requests_in_flight)
{
	struct uk_blkdev *d = vda();
	static struct uk_blkreq r[32];
	static uint8_t sec[32][512];
	struct uk_store_value h0, h1;
	struct counter c = { 0, 0 };
	double reads0, io0;
	unsigned int i, bad = 0;
	uint32_t v;

	UK_TEST_ASSERT(d != NULL);
	reads0 = stat_of("reads");
	io0 = stat_of("io_seconds");
	UK_TEST_EQ(uk_store_read_path("blk/vda/request_seconds", &h0), 0);
	for (i = 0; i < 32; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].op = UK_BLKREQ_READ;
		r[i].sector = 2000 + 37 * i;
		r[i].count = 1;
		r[i].buf = sec[i];
		r[i].done = count_done;
		r[i].arg = &c;
		UK_TEST_EQ(uk_blkdev_submit(d, &r[i]), 0);
	}
	while ((v = __atomic_load_n(&c.done, __ATOMIC_ACQUIRE)) < 32)
		uk_wait_on(&c.done, v, uk_plat_time_mono_ns() +
				       10 * UK_NSEC_PER_SEC);
	UK_TEST_EQ(c.done, 32);
	UK_TEST_EQ(c.errors, 0);
	for (i = 0; i < 32; i++)
		bad += mismatches(sec[i], 2000 + 37 * i, 1, 0);
	UK_TEST_EQ(bad, 0);
	UK_TEST_EQ(stat_of("reads") - reads0, 32.0);
	UK_TEST_EQ(stat_of("in_flight"), 0.0);
	UK_TEST_ASSERT(stat_of("io_seconds") > io0);
	UK_TEST_EQ(uk_store_read_path("blk/vda/request_seconds", &h1), 0);
	UK_TEST_EQ(h1.hist.count - h0.hist.count, 32);
	uk_test_log("vda: %g reads, %g writes, io %.6f s, weighted %.6f s",
		    stat_of("reads"), stat_of("writes"),
		    stat_of("io_seconds"), stat_of("io_weighted_seconds"));
}

UK_TEST(blk_kvm_requests_past_the_end_never_reach_the_device)
{
	struct uk_blkdev *d = vda();
	double reads0;

	UK_TEST_ASSERT(d != NULL);
	reads0 = stat_of("reads");
	UK_TEST_EQ(uk_blkdev_read(d, d->sectors, 1, buf), -ENOSPC);
	UK_TEST_EQ(uk_blkdev_read(d, d->sectors - 1, 2, buf), -ENOSPC);
	UK_TEST_EQ(uk_blkdev_write(d, d->sectors + 100, 1, buf), -ENOSPC);
	UK_TEST_EQ(uk_blkdev_read(d, 0, 0, buf), -EINVAL);
	UK_TEST_EQ(stat_of("reads"), reads0);
}
