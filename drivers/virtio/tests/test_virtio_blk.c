/*
 * virtio-blk driver tests against a device model backed by a temporary
 * file: the model reads request chains from the same rings a device
 * would (header, data descriptors, status), does the I/O on the file,
 * writes the status and the used entry, and raises the interrupt by
 * calling the driver's handler.  In "auto" mode it serves each
 * notification at once; in deferred mode the test decides when, so
 * several requests can be caught in flight.  The driver's completion
 * thread is a real thread here (linuxu_threads), as it is a uksched
 * thread on kvm.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uk/assert.h>
#include <uk/blkdev.h>
#include <uk/plat/time.h>
#include <uk/store.h>
#include <uk/test.h>
#include <uk/virtio.h>
#include <uk/wait.h>

#define QSIZE 16            /* four request slots of four descriptors */
#define FILE_SECTORS 128

#define F_SIZE_MAX (1u << 1)
#define F_SEG_MAX (1u << 2)
#define F_RO (1u << 5)
#define F_BLK_SIZE (1u << 6)
#define F_FLUSH (1u << 9)

struct model {
	struct uk_virtio_dev vdev;
	uint32_t host_features, guest_features;
	uint8_t status, isr;
	uint8_t config[24];
	struct uk_virtqueue *q;
	uint16_t seen_avail;
	int fd;
	int deferred;          /* serve only when the test says so */
	void *drv;             /* the driver's irq argument */
	uint64_t fail_sector;  /* requests touching it get IOERR */
	int unsupp_flush;      /* answer flush with UNSUPP */
	int no_status;         /* complete without writing anything */
	int bad_id;            /* return a chain id never posted, first */
	/* what the model saw */
	unsigned int requests, flushes;
	unsigned int max_data_descs;
	uint64_t last_sector;
};

static struct model m;

static struct model *M(struct uk_virtio_dev *d)
{
	return d->priv;
}

static uint32_t f_get(struct uk_virtio_dev *d) { return M(d)->host_features; }
static void f_set(struct uk_virtio_dev *d, uint32_t f)
{
	M(d)->guest_features = f;
}
static uint8_t s_get(struct uk_virtio_dev *d) { return M(d)->status; }
static void s_set(struct uk_virtio_dev *d, uint8_t s) { M(d)->status = s; }
static void c_read(struct uk_virtio_dev *d, unsigned int off, void *buf,
		   unsigned int len)
{
	memcpy(buf, M(d)->config + off, len);
}
static uint16_t q_size(struct uk_virtio_dev *d, uint16_t q)
{
	return q == 0 ? QSIZE : 0;
}
static int q_setup(struct uk_virtio_dev *d, struct uk_virtqueue *vq)
{
	M(d)->q = vq;
	return 0;
}

static void used_push(struct model *mm, uint16_t id, uint32_t len)
{
	struct uk_virtqueue *vq = mm->q;
	uint16_t u = vq->used->idx;

	vq->used->ring[u & (vq->num - 1)].id = id;
	vq->used->ring[u & (vq->num - 1)].len = len;
	__atomic_store_n(&vq->used->idx, (uint16_t)(u + 1), __ATOMIC_RELEASE);
}

struct hdr {
	uint32_t type;
	uint32_t ioprio;
	uint64_t sector;
};

/* Serves one chain: returns the bytes written to the guest. */
static uint32_t serve_chain(struct model *mm, uint16_t head)
{
	struct uk_vring_desc *d = &mm->q->desc[head], *data[8];
	struct hdr h;
	uint8_t *status;
	unsigned int nd = 0, i;
	uint64_t off;
	uint32_t written = 1;
	uint8_t st = 0;

	UK_ASSERT(d->len == sizeof(h) && !(d->flags & UK_VRING_DESC_F_WRITE));
	memcpy(&h, (void *)(uintptr_t)d->addr, sizeof(h));
	while (d->flags & UK_VRING_DESC_F_NEXT) {
		d = &mm->q->desc[d->next];
		if (d->flags & UK_VRING_DESC_F_NEXT) {
			UK_ASSERT(nd < 8);
			data[nd++] = d;
		}
	}
	UK_ASSERT(d->len == 1 && (d->flags & UK_VRING_DESC_F_WRITE));
	status = (uint8_t *)(uintptr_t)d->addr;
	mm->requests++;
	if (nd > mm->max_data_descs)
		mm->max_data_descs = nd;
	mm->last_sector = h.sector;
	off = h.sector * 512;
	if (h.type == 4) {
		mm->flushes++;
		st = mm->unsupp_flush ? 2 : 0;
	} else if (h.type == 0 || h.type == 1) {
		for (i = 0; i < nd && !st; i++) {
			void *p = (void *)(uintptr_t)data[i]->addr;
			uint32_t n = data[i]->len;
			ssize_t r;

			if (mm->fail_sector >= off / 512 &&
			    mm->fail_sector < (off + n + 511) / 512) {
				st = 1;
				break;
			}
			if (h.type == 0) {
				UK_ASSERT(data[i]->flags & UK_VRING_DESC_F_WRITE);
				r = pread(mm->fd, p, n, (off_t)off);
				written += n;
			} else {
				UK_ASSERT(!(data[i]->flags &
					    UK_VRING_DESC_F_WRITE));
				r = pwrite(mm->fd, p, n, (off_t)off);
			}
			if (r != (ssize_t)n)
				st = 1; /* past the end of the backing file */
			off += n;
		}
	} else {
		st = 2;
	}
	if (mm->no_status)
		return 0;
	*status = st;
	return written;
}

/* Serves every available chain and raises the interrupt. */
static void model_run(struct model *mm)
{
	struct uk_virtqueue *vq = mm->q;
	int any = 0;

	while (mm->seen_avail !=
	       __atomic_load_n(&vq->avail->idx, __ATOMIC_ACQUIRE)) {
		uint16_t head = vq->avail->ring[mm->seen_avail++ &
						(vq->num - 1)];
		uint32_t len = serve_chain(mm, head);

		if (mm->bad_id) {
			mm->bad_id = 0;
			used_push(mm, 3, 0);
		}
		used_push(mm, head, len);
		any = 1;
	}
	if (any && mm->drv) {
		mm->isr |= 1;
		uk_virtio_blk_irq(mm->drv);
	}
}

static void notify(struct uk_virtio_dev *d, uint16_t q)
{
	if (!M(d)->deferred)
		model_run(M(d));
}

static uint8_t isr_read(struct uk_virtio_dev *d)
{
	uint8_t v = M(d)->isr;

	M(d)->isr = 0;
	return v;
}

static const struct uk_virtio_ops model_ops = {
	f_get, f_set, s_get, s_set, c_read, q_size, q_setup, notify, isr_read,
};

/*
 * A model over a fresh file; capacity in 512-byte sectors, size_max and
 * blk_size in bytes (their config fields).
 */
static struct uk_blkdev *attach_cfg(uint32_t features, uint64_t capacity,
				    uint32_t size_max, uint32_t blk_size)
{
	char path[] = "/tmp/ukvblk-test-XXXXXX";
	unsigned int n = uk_blkdev_count();
	struct uk_blkdev *bd;

	memset(&m, 0, sizeof(m));
	m.fd = mkstemp(path);
	if (m.fd < 0)
		return NULL;
	unlink(path);
	if (ftruncate(m.fd, FILE_SECTORS * 512))
		return NULL;
	m.vdev.ops = &model_ops;
	m.vdev.priv = &m;
	m.host_features = features;
	m.fail_sector = UINT64_MAX;
	memcpy(m.config, &capacity, 8);
	memcpy(m.config + 8, &size_max, 4);
	memcpy(m.config + 20, &blk_size, 4);
	if (uk_virtio_blk_attach(&m.vdev, -1))
		return NULL;
	bd = uk_blkdev_get(n);
	if (bd)
		m.drv = bd->priv;
	return bd;
}

static struct uk_blkdev *attach(uint32_t features, uint64_t capacity)
{
	return attach_cfg(features, capacity, 0, 0);
}

static void detach(struct uk_blkdev *bd)
{
	uk_blkdev_unregister(bd);
	close(m.fd);
}

static double stat_of(struct uk_blkdev *bd, const char *entry)
{
	char path[64];
	struct uk_store_value v;

	snprintf(path, sizeof(path), "blk/%s/%s", bd->name, entry);
	if (uk_store_read_path(path, &v))
		return -1;
	return v.type == UK_STORE_DOUBLE ? v.d : (double)v.u;
}

UK_TEST(virtio_blk_attach_reads_capacity_and_features)
{
	struct uk_blkdev *bd = attach(F_FLUSH | F_SEG_MAX | (1u << 27) |
				      (1u << 28), FILE_SECTORS);

	UK_TEST_ASSERT(bd != NULL);
	/* Only what the driver knows: never ANY_LAYOUT or indirect. */
	UK_TEST_EQ(m.guest_features, F_FLUSH | F_SEG_MAX);
	UK_TEST_EQ(m.status, UK_VIRTIO_S_ACK | UK_VIRTIO_S_DRIVER |
		     UK_VIRTIO_S_DRIVER_OK);
	UK_TEST_EQ(strncmp(bd->name, "vd", 2), 0);
	UK_TEST_EQ(bd->sectors, FILE_SECTORS);
	UK_TEST_EQ(bd->sector_size, 512);
	UK_TEST_EQ(bd->max_in_flight, QSIZE / 4);
	UK_TEST_EQ(bd->flags, UK_BLKDEV_F_FLUSH);
	UK_TEST_EQ(stat_of(bd, "capacity"), FILE_SECTORS * 512.0);
	detach(bd);
}

UK_TEST(virtio_blk_write_read_round_trip)
{
	struct uk_blkdev *bd = attach(0, FILE_SECTORS);
	static char out[24 * 512], in[24 * 512], file[24 * 512];
	int i;

	UK_TEST_ASSERT(bd != NULL);
	for (i = 0; i < (int)sizeof(out); i++)
		out[i] = (char)(i ^ (i >> 9));
	UK_TEST_EQ(uk_blkdev_write(bd, 17, 24, out), 0);
	UK_TEST_EQ(m.last_sector, 17);
	UK_TEST_EQ(pread(m.fd, file, sizeof(file), 17 * 512),
		   (ssize_t)sizeof(file));
	UK_TEST_EQ(memcmp(file, out, sizeof(out)), 0);
	UK_TEST_EQ(uk_blkdev_read(bd, 17, 24, in), 0);
	UK_TEST_EQ(memcmp(in, out, sizeof(out)), 0);
	UK_TEST_EQ(m.requests, 2);
	UK_TEST_EQ(stat_of(bd, "reads"), 1.0);
	UK_TEST_EQ(stat_of(bd, "writes"), 1.0);
	UK_TEST_EQ(stat_of(bd, "read_bytes"), 24 * 512.0);
	UK_TEST_EQ(stat_of(bd, "written_bytes"), 24 * 512.0);
	UK_TEST_EQ(stat_of(bd, "in_flight"), 0.0);
	detach(bd);
}

UK_TEST(virtio_blk_flush_only_when_offered)
{
	struct uk_blkdev *bd = attach(0, FILE_SECTORS);

	UK_TEST_ASSERT(bd != NULL);
	UK_TEST_EQ(uk_blkdev_flush(bd), 0);
	UK_TEST_EQ(m.flushes, 0);
	detach(bd);
	bd = attach(F_FLUSH, FILE_SECTORS);
	UK_TEST_ASSERT(bd != NULL);
	UK_TEST_EQ(uk_blkdev_flush(bd), 0);
	UK_TEST_EQ(m.flushes, 1);
	m.unsupp_flush = 1;
	UK_TEST_EQ(uk_blkdev_flush(bd), -ENOTSUP);
	UK_TEST_EQ(stat_of(bd, "flushes"), 2.0);
	UK_TEST_EQ(stat_of(bd, "errors"), 1.0);
	detach(bd);
}

struct counter {
	uint32_t done;
	int errors;
};

static void count_done(struct uk_blkreq *req, void *arg)
{
	struct counter *c = arg;

	if (req->result)
		__atomic_fetch_add(&c->errors, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&c->done, 1, __ATOMIC_RELEASE);
	uk_wake(&c->done, -1);
}

/* Waits (asleep, 10 s at most) until n callbacks ran; returns the count. */
static uint32_t wait_done(struct counter *c, uint32_t n)
{
	uint64_t deadline = uk_plat_time_mono_ns() + 10 * UK_NSEC_PER_SEC;
	uint32_t v;

	while ((v = __atomic_load_n(&c->done, __ATOMIC_ACQUIRE)) < n)
		if (uk_wait_on(&c->done, v, deadline) == -ETIMEDOUT)
			break;
	return __atomic_load_n(&c->done, __ATOMIC_ACQUIRE);
}

/* Six requests, four slots: four reach the device, two wait in the
 * layer, and each completion issues a waiting one. */
UK_TEST(virtio_blk_many_requests_in_flight)
{
	struct uk_blkdev *bd = attach(0, FILE_SECTORS);
	struct uk_blkreq r[6];
	static char buf[6][512];
	struct counter c = { 0, 0 };
	char pat[512];
	int i;

	UK_TEST_ASSERT(bd != NULL);
	for (i = 0; i < 6; i++) {
		memset(pat, 'a' + i, sizeof(pat));
		UK_TEST_EQ(pwrite(m.fd, pat, 512, (off_t)(40 + i) * 512), 512);
	}
	m.deferred = 1;
	for (i = 0; i < 6; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].op = UK_BLKREQ_READ;
		r[i].sector = (uint64_t)(40 + i);
		r[i].count = 1;
		r[i].buf = buf[i];
		r[i].done = count_done;
		r[i].arg = &c;
		UK_TEST_EQ(uk_blkdev_submit(bd, &r[i]), 0);
	}
	UK_TEST_EQ((uint16_t)(m.q->avail->idx - m.seen_avail), 4);
	UK_TEST_EQ(stat_of(bd, "in_flight"), 6.0);
	model_run(&m);
	UK_TEST_EQ(wait_done(&c, 4), 4);
	/* The completion thread issued the two that waited. */
	model_run(&m);
	UK_TEST_EQ(wait_done(&c, 6), 6);
	UK_TEST_EQ(c.errors, 0);
	for (i = 0; i < 6; i++)
		UK_TEST_EQ(buf[i][100], 'a' + i);
	UK_TEST_EQ(m.requests, 6);
	UK_TEST_EQ(stat_of(bd, "in_flight"), 0.0);
	UK_TEST_EQ(stat_of(bd, "reads"), 6.0);
	detach(bd);
}

UK_TEST(virtio_blk_io_errors_map_to_errno)
{
	struct uk_blkdev *bd = attach(0, FILE_SECTORS);
	char buf[4 * 512];

	UK_TEST_ASSERT(bd != NULL);
	m.fail_sector = 9;
	UK_TEST_EQ(uk_blkdev_read(bd, 8, 4, buf), -EIO);
	UK_TEST_EQ(uk_blkdev_write(bd, 9, 1, buf), -EIO);
	UK_TEST_EQ(uk_blkdev_read(bd, 10, 4, buf), 0);
	/* A completion whose status the device never wrote is an error. */
	m.no_status = 1;
	UK_TEST_EQ(uk_blkdev_read(bd, 20, 1, buf), -EIO);
	m.no_status = 0;
	/* A used entry for a chain never posted is ignored. */
	m.bad_id = 1;
	UK_TEST_EQ(uk_blkdev_read(bd, 20, 1, buf), 0);
	UK_TEST_EQ(stat_of(bd, "errors"), 3.0);
	UK_TEST_EQ(stat_of(bd, "in_flight"), 0.0);
	detach(bd);
}

/* The device's capacity bounds requests before they reach it. */
UK_TEST(virtio_blk_capacity_bounds_requests)
{
	struct uk_blkdev *bd = attach(0, 8);
	char buf[4 * 512];

	UK_TEST_ASSERT(bd != NULL);
	UK_TEST_EQ(bd->sectors, 8);
	UK_TEST_EQ(uk_blkdev_read(bd, 6, 4, buf), -ENOSPC);
	UK_TEST_EQ(uk_blkdev_write(bd, 8, 1, buf), -ENOSPC);
	UK_TEST_EQ(m.requests, 0);
	UK_TEST_EQ(uk_blkdev_read(bd, 4, 4, buf), 0);
	UK_TEST_EQ(m.requests, 1);
	detach(bd);
	/* A device that claims more than its backing store has fails the
	 * request itself: -EIO, not a crash or a short read. */
	bd = attach(0, 2 * FILE_SECTORS);
	UK_TEST_ASSERT(bd != NULL);
	UK_TEST_EQ(uk_blkdev_read(bd, FILE_SECTORS + 1, 1, buf), -EIO);
	detach(bd);
}

UK_TEST(virtio_blk_block_size_and_segment_limit)
{
	struct uk_blkdev *bd = attach_cfg(F_BLK_SIZE | F_SIZE_MAX,
					  FILE_SECTORS, 4096, 4096);
	static char out[4 * 4096], in[4 * 4096];
	int i;

	UK_TEST_ASSERT(bd != NULL);
	UK_TEST_EQ(bd->sector_size, 4096);
	UK_TEST_EQ(bd->sectors, FILE_SECTORS / 8);
	/* Two data descriptors of at most size_max: two sectors. */
	UK_TEST_EQ(bd->max_sectors, 2);
	for (i = 0; i < (int)sizeof(out); i++)
		out[i] = (char)(i * 13);
	UK_TEST_EQ(uk_blkdev_write(bd, 3, 4, out), 0);
	UK_TEST_EQ(m.max_data_descs, 2);
	/* The header's sector is in 512-byte units. */
	UK_TEST_EQ(m.last_sector, 5 * 8);
	UK_TEST_EQ(uk_blkdev_read(bd, 3, 4, in), 0);
	UK_TEST_EQ(memcmp(in, out, sizeof(in)), 0);
	UK_TEST_EQ(pread(m.fd, in, 4096, 3 * 4096), 4096);
	UK_TEST_EQ(memcmp(in, out, 4096), 0);
	detach(bd);
}

UK_TEST(virtio_blk_read_only_device)
{
	struct uk_blkdev *bd = attach(F_RO, FILE_SECTORS);
	char buf[512] = { 0 };

	UK_TEST_ASSERT(bd != NULL);
	UK_TEST_EQ(uk_blkdev_write(bd, 0, 1, buf), -EROFS);
	UK_TEST_EQ(uk_blkdev_read(bd, 0, 1, buf), 0);
	UK_TEST_EQ(m.requests, 1);
	detach(bd);
}
