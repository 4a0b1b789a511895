/*
 * Tests of the block layer over a fake device backed by a temporary
 * file: the fake takes requests and holds them until the test completes
 * them (in order, or synchronously from submit, or from another thread),
 * so the in-flight accounting, queueing beyond max_in_flight and every
 * time metric can be checked step by step against an injected clock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uk/assert.h>
#include <uk/blkdev.h>
#include <uk/store.h>
#include <uk/test.h>
#include <uk/thread.h>

#define SECTORS 64
#define SSIZE 512
#define HELD_MAX 16

static uint64_t now_ns;

static uint64_t fake_clock(void)
{
	return __atomic_load_n(&now_ns, __ATOMIC_RELAXED);
}

struct fake {
	struct uk_blkdev dev;
	int fd;
	struct uk_blkreq *held[HELD_MAX];
	unsigned int nheld;
	unsigned int submits;
	int sync;              /* complete from inside submit */
	int refuse;            /* submit returns this when non-zero */
	uint64_t bad_sector;   /* a read or write touching it gets -EIO */
	int released;
};

/* Does req against the file: 0 or -EIO. */
static int fake_do(struct fake *f, struct uk_blkreq *req)
{
	size_t len = (size_t)req->count * SSIZE;
	off_t off = (off_t)(req->sector * SSIZE);
	ssize_t n;

	if (req->op == UK_BLKREQ_FLUSH)
		return fsync(f->fd) ? -EIO : 0;
	if (f->bad_sector >= req->sector &&
	    f->bad_sector < req->sector + req->count)
		return -EIO;
	if (req->op == UK_BLKREQ_READ)
		n = pread(f->fd, req->buf, len, off);
	else
		n = pwrite(f->fd, req->buf, len, off);
	return n == (ssize_t)len ? 0 : -EIO;
}

static int fake_submit(struct uk_blkdev *dev, struct uk_blkreq *req)
{
	struct fake *f = dev->priv;

	f->submits++;
	if (f->refuse)
		return f->refuse;
	if (f->sync) {
		uk_blkdev_complete(dev, req, fake_do(f, req));
		return 0;
	}
	UK_ASSERT(f->nheld < HELD_MAX);
	f->held[f->nheld] = req;
	/* Published last: another thread may be waiting to complete it. */
	__atomic_store_n(&f->nheld, f->nheld + 1, __ATOMIC_RELEASE);
	return 0;
}

static void fake_release(struct uk_blkdev *dev)
{
	((struct fake *)dev->priv)->released++;
}

static const struct uk_blkdev_ops fake_ops = {
	.submit = fake_submit, .release = fake_release,
};

/* Completes the oldest held request. */
static void fake_complete_one(struct fake *f)
{
	struct uk_blkreq *req = f->held[0];

	UK_ASSERT(f->nheld > 0);
	memmove(f->held, f->held + 1, --f->nheld * sizeof(f->held[0]));
	uk_blkdev_complete(&f->dev, req, fake_do(f, req));
}

static int fake_init(struct fake *f, uint32_t max_in_flight)
{
	char path[] = "/tmp/ukblk-test-XXXXXX";

	memset(f, 0, sizeof(*f));
	f->fd = mkstemp(path);
	if (f->fd < 0)
		return -1;
	unlink(path);
	if (ftruncate(f->fd, SECTORS * SSIZE))
		return -1;
	f->bad_sector = UINT64_MAX;
	f->dev.ops = &fake_ops;
	f->dev.sectors = SECTORS;
	f->dev.sector_size = SSIZE;
	f->dev.max_sectors = 8;
	f->dev.max_in_flight = max_in_flight;
	f->dev.priv = f;
	f->dev.clock_ns = fake_clock;
	now_ns = 1000;
	return uk_blkdev_register(&f->dev);
}

static void fake_fini(struct fake *f)
{
	uk_blkdev_unregister(&f->dev);
	close(f->fd);
}

/* A store value of f's folder, as a double (u64 or dbl entries). */
static double stat_of(struct fake *f, const char *entry)
{
	char path[64];
	struct uk_store_value v;

	snprintf(path, sizeof(path), "blk/%s/%s", f->dev.name, entry);
	if (uk_store_read_path(path, &v))
		return -1;
	return v.type == UK_STORE_DOUBLE ? v.d : (double)v.u;
}

struct done_rec {
	int calls;
	int result;
	int order[8];
	int n;
};

static void on_done(struct uk_blkreq *req, void *arg)
{
	struct done_rec *d = arg;

	d->calls++;
	d->result = req->result;
	if (d->n < 8)
		d->order[d->n++] = (int)req->sector;
}

static void req_init(struct uk_blkreq *r, uint8_t op, uint64_t sector,
		     uint32_t count, void *buf, struct done_rec *d)
{
	memset(r, 0, sizeof(*r));
	r->op = op;
	r->sector = sector;
	r->count = count;
	r->buf = buf;
	r->done = on_done;
	r->arg = d;
}

UK_TEST(blkdev_register_names_find_and_release)
{
	struct fake a, b;
	struct uk_store_value v;
	char path[64];
	unsigned int n0 = uk_blkdev_count();

	UK_TEST_EQ(fake_init(&a, 4), 0);
	UK_TEST_EQ(fake_init(&b, 4), 0);
	UK_TEST_EQ(strncmp(a.dev.name, "vd", 2), 0);
	UK_TEST_ASSERT(strcmp(a.dev.name, b.dev.name) < 0);
	UK_TEST_EQ(uk_blkdev_count(), n0 + 2);
	UK_TEST_EQ(uk_blkdev_find(b.dev.name), &b.dev);
	UK_TEST_EQ(uk_blkdev_get(n0), &a.dev);
	UK_TEST_EQ(uk_blkdev_register(&a.dev), -EINVAL);
	snprintf(path, sizeof(path), "blk/%s/capacity", a.dev.name);
	UK_TEST_EQ(uk_store_read_path(path, &v), 0);
	UK_TEST_EQ(v.u, SECTORS * SSIZE);
	UK_TEST_EQ(stat_of(&a, "sector_size"), 512.0);
	fake_fini(&a);
	UK_TEST_EQ(a.released, 1);
	UK_TEST_EQ(uk_store_read_path(path, &v), -ENOENT);
	UK_TEST_EQ(uk_blkdev_find(a.dev.name), NULL);
	UK_TEST_EQ(uk_blkdev_unregister(&a.dev), -ENOENT);
	fake_fini(&b);
	UK_TEST_EQ(uk_blkdev_count(), n0);
}

UK_TEST(blkdev_register_rejects_bad_geometry)
{
	struct fake f;

	UK_TEST_EQ(fake_init(&f, 4), 0);
	fake_fini(&f);
	f.dev.sector_size = 1000;
	UK_TEST_EQ(uk_blkdev_register(&f.dev), -EINVAL);
	f.dev.sector_size = 256;
	UK_TEST_EQ(uk_blkdev_register(&f.dev), -EINVAL);
	f.dev.sector_size = 512;
	f.dev.max_in_flight = 0;
	UK_TEST_EQ(uk_blkdev_register(&f.dev), -EINVAL);
}

/* Names continue past vdz as vdaa, vdab, ... and are never reused. */
UK_TEST(blkdev_names_past_z)
{
	struct fake f;
	int i, seen_aa = 0;

	for (i = 0; i < 30; i++) {
		UK_TEST_EQ(fake_init(&f, 1), 0);
		if (!strcmp(f.dev.name, "vdaa"))
			seen_aa = 1;
		UK_TEST_ASSERT(strlen(f.dev.name) <= 4);
		fake_fini(&f);
	}
	UK_TEST_ASSERT(seen_aa);
}

UK_TEST(blkdev_bounds_checked_before_the_device)
{
	struct fake f;
	struct done_rec d = { 0 };
	struct uk_blkreq r;
	char buf[8 * SSIZE];

	UK_TEST_EQ(fake_init(&f, 4), 0);
	req_init(&r, UK_BLKREQ_READ, SECTORS, 1, buf, &d);
	UK_TEST_EQ(uk_blkdev_submit(&f.dev, &r), -ENOSPC);
	req_init(&r, UK_BLKREQ_READ, SECTORS - 2, 3, buf, &d);
	UK_TEST_EQ(uk_blkdev_submit(&f.dev, &r), -ENOSPC);
	req_init(&r, UK_BLKREQ_WRITE, UINT64_MAX, 2, buf, &d);
	UK_TEST_EQ(uk_blkdev_submit(&f.dev, &r), -ENOSPC);
	req_init(&r, UK_BLKREQ_READ, 0, 0, buf, &d);
	UK_TEST_EQ(uk_blkdev_submit(&f.dev, &r), -EINVAL);
	req_init(&r, UK_BLKREQ_READ, 0, 9, buf, &d); /* over max_sectors */
	UK_TEST_EQ(uk_blkdev_submit(&f.dev, &r), -EINVAL);
	req_init(&r, UK_BLKREQ_READ, 0, 1, NULL, &d);
	UK_TEST_EQ(uk_blkdev_submit(&f.dev, &r), -EINVAL);
	req_init(&r, 7, 0, 1, buf, &d);
	UK_TEST_EQ(uk_blkdev_submit(&f.dev, &r), -EINVAL);
	f.dev.flags |= UK_BLKDEV_F_RO;
	req_init(&r, UK_BLKREQ_WRITE, 0, 1, buf, &d);
	UK_TEST_EQ(uk_blkdev_submit(&f.dev, &r), -EROFS);
	f.dev.flags &= ~UK_BLKDEV_F_RO;
	/* The blocking helpers check the whole range before any request. */
	UK_TEST_EQ(uk_blkdev_read(&f.dev, SECTORS - 4, 20, buf), -ENOSPC);
	UK_TEST_EQ(uk_blkdev_read(&f.dev, 0, 0, buf), -EINVAL);
	/* The last sector itself is fine. */
	req_init(&r, UK_BLKREQ_READ, SECTORS - 1, 1, buf, &d);
	UK_TEST_EQ(uk_blkdev_submit(&f.dev, &r), 0);
	UK_TEST_EQ(f.submits, 1);
	UK_TEST_EQ(d.calls, 0);
	fake_complete_one(&f);
	UK_TEST_EQ(d.calls, 1);
	UK_TEST_EQ(d.result, 0);
	UK_TEST_EQ(stat_of(&f, "reads"), 1.0);
	UK_TEST_EQ(stat_of(&f, "errors"), 0.0);
	fake_fini(&f);
}

/*
 * Two overlapping requests against the injected clock:
 *   t=0 read submitted, t=1 ms write submitted,
 *   t=3 ms read completes, t=4 ms write completes,
 * so io = 4 ms, weighted = 1 + 2*2 + 1 = 6 ms, read 3 ms, write 3 ms.
 */
UK_TEST(blkdev_metrics_follow_the_clock)
{
	struct fake f;
	struct done_rec d = { 0 };
	struct uk_blkreq r, w;
	char rbuf[2 * SSIZE], wbuf[4 * SSIZE];
	struct uk_store_value v;
	char path[64];
	uint64_t t0;

	UK_TEST_EQ(fake_init(&f, 4), 0);
	t0 = now_ns;
	memset(wbuf, 0x5a, sizeof(wbuf));
	req_init(&r, UK_BLKREQ_READ, 10, 2, rbuf, &d);
	req_init(&w, UK_BLKREQ_WRITE, 20, 4, wbuf, &d);
	UK_TEST_EQ(uk_blkdev_submit(&f.dev, &r), 0);
	UK_TEST_EQ(stat_of(&f, "in_flight"), 1.0);
	now_ns = t0 + 1000000;
	UK_TEST_EQ(uk_blkdev_submit(&f.dev, &w), 0);
	UK_TEST_EQ(stat_of(&f, "in_flight"), 2.0);
	now_ns = t0 + 2000000;
	/* A scrape in the middle sees the time elapsed so far. */
	UK_TEST_EQ(stat_of(&f, "io_seconds"), 0.002);
	UK_TEST_EQ(stat_of(&f, "io_weighted_seconds"), 0.003);
	now_ns = t0 + 3000000;
	fake_complete_one(&f);
	UK_TEST_EQ(stat_of(&f, "in_flight"), 1.0);
	now_ns = t0 + 4000000;
	fake_complete_one(&f);
	UK_TEST_EQ(d.calls, 2);
	UK_TEST_EQ(stat_of(&f, "in_flight"), 0.0);
	UK_TEST_EQ(stat_of(&f, "reads"), 1.0);
	UK_TEST_EQ(stat_of(&f, "writes"), 1.0);
	UK_TEST_EQ(stat_of(&f, "read_bytes"), 2.0 * SSIZE);
	UK_TEST_EQ(stat_of(&f, "written_bytes"), 4.0 * SSIZE);
	UK_TEST_EQ(stat_of(&f, "read_seconds"), 0.003);
	UK_TEST_EQ(stat_of(&f, "write_seconds"), 0.003);
	UK_TEST_EQ(stat_of(&f, "io_seconds"), 0.004);
	UK_TEST_EQ(stat_of(&f, "io_weighted_seconds"), 0.006);
	/* Idle time adds nothing. */
	now_ns = t0 + 9000000;
	UK_TEST_EQ(stat_of(&f, "io_seconds"), 0.004);
	/* Both latencies (3 ms) in the (2.5 ms, 5 ms] bucket. */
	snprintf(path, sizeof(path), "blk/%s/request_seconds", f.dev.name);
	UK_TEST_EQ(uk_store_read_path(path, &v), 0);
	UK_TEST_EQ(v.hist.count, 2);
	UK_TEST_EQ(v.hist.le[4], 0.0025);
	UK_TEST_EQ(v.hist.cum[4], 0);
	UK_TEST_EQ(v.hist.le[5], 0.005);
	UK_TEST_EQ(v.hist.cum[5], 2);
	UK_TEST_EQ(v.hist.sum, 0.006);
	/* The write reached the file. */
	memset(rbuf, 0, sizeof(rbuf));
	UK_TEST_EQ(pread(f.fd, rbuf, SSIZE, 20 * SSIZE), SSIZE);
	UK_TEST_EQ(rbuf[0], 0x5a);
	fake_fini(&f);
}

UK_TEST(blkdev_queues_beyond_max_in_flight_in_order)
{
	struct fake f;
	struct done_rec d = { 0 };
	struct uk_blkreq r[4];
	char buf[4][SSIZE];
	int i;

	UK_TEST_EQ(fake_init(&f, 2), 0);
	for (i = 0; i < 4; i++) {
		req_init(&r[i], UK_BLKREQ_READ, (uint64_t)i, 1, buf[i], &d);
		UK_TEST_EQ(uk_blkdev_submit(&f.dev, &r[i]), 0);
	}
	/* The device holds two; the layer queues two; all four count. */
	UK_TEST_EQ(f.nheld, 2);
	UK_TEST_EQ(stat_of(&f, "in_flight"), 4.0);
	fake_complete_one(&f);
	UK_TEST_EQ(f.nheld, 2);
	UK_TEST_EQ(f.held[1], &r[2]);
	while (f.nheld)
		fake_complete_one(&f);
	UK_TEST_EQ(d.n, 4);
	for (i = 0; i < 4; i++)
		UK_TEST_EQ(d.order[i], i);
	UK_TEST_EQ(f.submits, 4);
	UK_TEST_EQ(stat_of(&f, "in_flight"), 0.0);
	fake_fini(&f);
}

UK_TEST(blkdev_device_errors_reach_the_caller)
{
	struct fake f;
	struct done_rec d = { 0 };
	struct uk_blkreq r[3];
	char buf[3][2 * SSIZE];

	UK_TEST_EQ(fake_init(&f, 1), 0);
	f.bad_sector = 5;
	req_init(&r[0], UK_BLKREQ_READ, 4, 2, buf[0], &d);
	UK_TEST_EQ(uk_blkdev_submit(&f.dev, &r[0]), 0);
	fake_complete_one(&f);
	UK_TEST_EQ(d.result, -EIO);
	UK_TEST_EQ(stat_of(&f, "errors"), 1.0);
	UK_TEST_EQ(stat_of(&f, "reads"), 1.0);
	UK_TEST_EQ(stat_of(&f, "read_bytes"), 0.0);
	/* A request the driver refuses completes with its error, and the
	 * one queued behind it still reaches the device. */
	req_init(&r[1], UK_BLKREQ_WRITE, 0, 1, buf[1], &d);
	req_init(&r[2], UK_BLKREQ_WRITE, 1, 1, buf[2], &d);
	f.sync = 1;
	f.refuse = -ENOTSUP;
	UK_TEST_EQ(uk_blkdev_submit(&f.dev, &r[1]), 0);
	UK_TEST_EQ(d.calls, 2);
	UK_TEST_EQ(d.result, -ENOTSUP);
	f.refuse = 0;
	UK_TEST_EQ(uk_blkdev_submit(&f.dev, &r[2]), 0);
	UK_TEST_EQ(d.calls, 3);
	UK_TEST_EQ(d.result, 0);
	UK_TEST_EQ(stat_of(&f, "errors"), 2.0);
	UK_TEST_EQ(stat_of(&f, "in_flight"), 0.0);
	/* The blocking helper returns the device's error. */
	UK_TEST_EQ(uk_blkdev_read(&f.dev, 5, 1, buf[0]), -EIO);
	fake_fini(&f);
}

UK_TEST(blkdev_flush_without_cache_completes_at_once)
{
	struct fake f;

	UK_TEST_EQ(fake_init(&f, 1), 0);
	UK_TEST_EQ(uk_blkdev_flush(&f.dev), 0);
	UK_TEST_EQ(f.submits, 0);
	UK_TEST_EQ(stat_of(&f, "flushes"), 1.0);
	f.dev.flags |= UK_BLKDEV_F_FLUSH;
	f.sync = 1;
	UK_TEST_EQ(uk_blkdev_flush(&f.dev), 0);
	UK_TEST_EQ(f.submits, 1);
	UK_TEST_EQ(stat_of(&f, "flushes"), 2.0);
	fake_fini(&f);
}

/* The helpers split at max_sectors (8) and round-trip the data. */
UK_TEST(blkdev_blocking_helpers_round_trip)
{
	struct fake f;
	static char out[20 * SSIZE], in[20 * SSIZE];
	int i;

	UK_TEST_EQ(fake_init(&f, 2), 0);
	f.sync = 1;
	for (i = 0; i < (int)sizeof(out); i++)
		out[i] = (char)(i * 7 + i / SSIZE);
	UK_TEST_EQ(uk_blkdev_write(&f.dev, 30, 20, out), 0);
	UK_TEST_EQ(uk_blkdev_read(&f.dev, 30, 20, in), 0);
	UK_TEST_EQ(memcmp(in, out, sizeof(in)), 0);
	UK_TEST_EQ(stat_of(&f, "writes"), 3.0);
	UK_TEST_EQ(stat_of(&f, "reads"), 3.0);
	UK_TEST_EQ(stat_of(&f, "written_bytes"), 20.0 * SSIZE);
	fake_fini(&f);
}

/* A thread completing requests later: the helper sleeps until woken. */
struct completer {
	struct fake *f;
	int n;
};

static void completer_fn(void *arg)
{
	struct completer *c = arg;
	int done = 0;

	while (done < c->n) {
		if (__atomic_load_n(&c->f->nheld, __ATOMIC_ACQUIRE)) {
			fake_complete_one(c->f);
			done++;
		} else {
			uk_thread_sleep_ns(1000000);
		}
	}
}

UK_TEST(blkdev_blocking_helper_sleeps_until_completed)
{
	struct fake f;
	struct completer c;
	struct uk_thread *t;
	char buf[SSIZE];

	UK_TEST_EQ(fake_init(&f, 1), 0);
	c.f = &f;
	c.n = 1;
	UK_TEST_EQ(uk_thread_create(&t, "completer", completer_fn, &c, 0), 0);
	UK_TEST_EQ(uk_blkdev_read(&f.dev, 3, 1, buf), 0);
	UK_TEST_EQ(uk_thread_join(t), 0);
	UK_TEST_EQ(stat_of(&f, "reads"), 1.0);
	fake_fini(&f);
}
