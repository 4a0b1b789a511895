/*
 * virtio-9p transport tests against a device model: the model reads
 * request chains from the rings (device-readable buffers, then writable
 * ones), answers them as a tiny 9P server would (version, attach, read
 * of a pattern, write into a buffer, clunk; Rlerror for the rest),
 * writes the reply across the writable buffers and raises the interrupt
 * by calling the transport's handler.  The uk9p client runs on top, as
 * it does over QEMU's device in the VM.  In deferred mode the test
 * serves requests itself, so two can be caught in flight and completed
 * out of order.
 */
#include <errno.h>
#include <string.h>

#include <uk/9p.h>
#include <uk/assert.h>
#include <uk/plat/time.h>
#include <uk/test.h>
#include <uk/thread.h>
#include <uk/virtio.h>
#include <uk/wait.h>

#define QSIZE 16             /* four slots */
#define MODEL_MSIZE 16384

struct model {
	struct uk_virtio_dev vdev;
	uint32_t host_features, guest_features;
	uint8_t status, isr;
	uint8_t config[64];
	struct uk_virtqueue *q;
	uint16_t seen_avail;
	int deferred;
	void *drv;
	uint32_t lock;
	uint8_t file[65536];     /* what Twrite wrote */
	unsigned int requests;
	unsigned int max_descs;
	uint32_t first_in_len;   /* of the last request */
	int overrun;             /* report more bytes than the buffers hold */
	int bogus_id;            /* push an id never posted first */
	uint32_t notifies;       /* woken on each, for deferred tests */
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

static uint64_t le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void put(uint8_t *p, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Answers one request; returns the reply's length. */
static uint32_t answer(struct model *mm, const uint8_t *req, uint32_t len,
		       uint8_t *rep)
{
	uint8_t type = req[4];
	uint32_t n = 7, i, count;
	uint64_t off;

	memcpy(rep + 5, req + 5, 2); /* tag */
	rep[4] = (uint8_t)(type + 1);
	switch (type) {
	case 100: /* Tversion */
		put(rep + 7, le(req + 7, 4) < MODEL_MSIZE ? le(req + 7, 4) :
			     MODEL_MSIZE, 4);
		memcpy(rep + 11, req + 11, len - 11);
		n = len;
		break;
	case 104: /* Tattach */
		memset(rep + 7, 0, 13);
		rep[7] = UK_9P_QTDIR;
		n = 20;
		break;
	case 116: /* Tread: byte i of the file is (offset + i) * 7 */
		off = le(req + 11, 8);
		count = (uint32_t)le(req + 19, 4);
		put(rep + 7, count, 4);
		for (i = 0; i < count; i++)
			rep[11 + i] = (uint8_t)((off + i) * 7);
		n = 11 + count;
		break;
	case 118: /* Twrite */
		off = le(req + 11, 8);
		count = (uint32_t)le(req + 19, 4);
		UK_ASSERT(off + count <= sizeof(mm->file));
		memcpy(mm->file + off, req + 23, count);
		put(rep + 7, count, 4);
		n = 11;
		break;
	case 120: /* Tclunk */
		break;
	default:
		rep[4] = 7;
		put(rep + 7, ENOSYS, 4);
		n = 11;
	}
	put(rep, n, 4);
	return n;
}

static void used_push(struct model *mm, uint16_t id, uint32_t len)
{
	struct uk_virtqueue *vq = mm->q;
	uint16_t u = vq->used->idx;

	vq->used->ring[u & (vq->num - 1)].id = id;
	vq->used->ring[u & (vq->num - 1)].len = len;
	__atomic_store_n(&vq->used->idx, (uint16_t)(u + 1), __ATOMIC_RELEASE);
}

/* Serves the chain at head: gathers, answers, scatters. */
static void serve(struct model *mm, uint16_t head)
{
	static uint8_t req[70000], rep[70000];
	struct uk_vring_desc *d = &mm->q->desc[head];
	uint32_t rlen = 0, n, done = 0, take;
	unsigned int ndesc = 1, first_in = 1;

	for (;;) {
		if (!(d->flags & UK_VRING_DESC_F_WRITE)) {
			UK_ASSERT(first_in); /* out buffers come first */
			memcpy(req + rlen, (void *)(uintptr_t)d->addr, d->len);
			rlen += d->len;
		} else if (first_in) {
			first_in = 0;
			mm->first_in_len = d->len;
		}
		if (!(d->flags & UK_VRING_DESC_F_NEXT))
			break;
		d = &mm->q->desc[d->next];
		ndesc++;
	}
	if (ndesc > mm->max_descs)
		mm->max_descs = ndesc;
	UK_ASSERT(le(req, 4) == rlen);
	n = answer(mm, req, rlen, rep);
	mm->requests++;
	/* Scatter across the writable descriptors. */
	for (d = &mm->q->desc[head];; d = &mm->q->desc[d->next]) {
		if ((d->flags & UK_VRING_DESC_F_WRITE) && done < n) {
			take = n - done < d->len ? n - done : d->len;
			memcpy((void *)(uintptr_t)d->addr, rep + done, take);
			done += take;
		}
		if (!(d->flags & UK_VRING_DESC_F_NEXT))
			break;
	}
	UK_ASSERT(done == n);
	if (mm->bogus_id) {
		mm->bogus_id = 0;
		used_push(mm, 2, 7);
	}
	used_push(mm, head, mm->overrun ? n + 100000 : n);
}

static void model_lock(struct model *mm)
{
	while (__atomic_exchange_n(&mm->lock, 1, __ATOMIC_ACQUIRE))
		uk_wait_on(&mm->lock, 1, 0);
}

static void model_unlock(struct model *mm)
{
	__atomic_store_n(&mm->lock, 0, __ATOMIC_RELEASE);
	uk_wake(&mm->lock, 1);
}

/* Chains posted and not yet taken by the model. */
static uint16_t model_waiting(struct model *mm)
{
	return (uint16_t)(__atomic_load_n(&mm->q->avail->idx,
					  __ATOMIC_ACQUIRE) - mm->seen_avail);
}

/* Serves the waiting chains, newest first when reverse, then interrupts. */
static void model_run(struct model *mm, int reverse)
{
	uint16_t heads[QSIZE], n = 0, i;

	model_lock(mm);
	while (model_waiting(mm))
		heads[n++] = mm->q->avail->ring[mm->seen_avail++ &
						(mm->q->num - 1)];
	for (i = 0; i < n; i++)
		serve(mm, heads[reverse ? n - 1 - i : i]);
	if (n) {
		mm->isr |= 1;
		uk_virtio_9p_irq(mm->drv);
	}
	model_unlock(mm);
}

static void notify(struct uk_virtio_dev *d, uint16_t q)
{
	__atomic_fetch_add(&M(d)->notifies, 1, __ATOMIC_RELEASE);
	uk_wake(&M(d)->notifies, -1);
	if (!M(d)->deferred)
		model_run(M(d), 0);
}

/* Sleeps until n notifications came (10 s at most); returns the count. */
static uint32_t wait_notifies(struct model *mm, uint32_t n)
{
	uint64_t deadline = uk_plat_time_mono_ns() + 10 * UK_NSEC_PER_SEC;
	uint32_t v;

	while ((v = __atomic_load_n(&mm->notifies, __ATOMIC_ACQUIRE)) < n)
		if (uk_wait_on(&mm->notifies, v, deadline) == -ETIMEDOUT)
			break;
	return __atomic_load_n(&mm->notifies, __ATOMIC_ACQUIRE);
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

static struct uk_9p_trans *attach(const char *tag, uint32_t features)
{
	uint16_t len = (uint16_t)strlen(tag);
	struct uk_9p_trans *t;

	memset(&m, 0, sizeof(m));
	m.vdev.ops = &model_ops;
	m.vdev.priv = &m;
	m.host_features = features;
	memcpy(m.config, &len, 2);
	memcpy(m.config + 2, tag, len);
	if (uk_virtio_9p_attach(&m.vdev, -1))
		return NULL;
	t = uk_9p_trans_find(tag);
	if (t)
		m.drv = t->priv;
	return t;
}

UK_TEST(virtio_9p_attach_reads_tag_and_registers)
{
	struct uk_9p_trans *t = attach("hostshare", 1);

	UK_TEST_ASSERT(t != NULL);
	UK_TEST_STREQ(t->tag, "hostshare");
	UK_TEST_EQ(m.guest_features, 1);
	UK_TEST_EQ(m.status, UK_VIRTIO_S_ACK | UK_VIRTIO_S_DRIVER |
		     UK_VIRTIO_S_DRIVER_OK);
	UK_TEST_EQ(t->max_requests, QSIZE / 4);
	uk_9p_trans_unregister(t);
	/* No mount tag feature, a tag too long for uk9p: not ours. */
	UK_TEST_EQ(attach("x", 0), NULL);
	UK_TEST_EQ(m.status, UK_VIRTIO_S_FAILED);
	UK_TEST_EQ(attach("a-tag-that-is-much-longer-than-31-bytes", 1), NULL);
}

UK_TEST(virtio_9p_client_reads_and_writes_through_the_rings)
{
	struct uk_9p_trans *t = attach("rw", 1);
	static uint8_t buf[100000], out[50000];
	struct uk_9p_client *c;
	struct uk_9p_fid *root;
	int i, bad = 0;

	UK_TEST_ASSERT(t != NULL);
	UK_TEST_EQ(uk_9p_client_create(t, NULL, &c), 0);
	UK_TEST_EQ(uk_9p_client_msize(c), MODEL_MSIZE);
	UK_TEST_EQ(uk_9p_attach(c, "u", 0, "", &root), 0);
	UK_TEST_EQ(uk_9p_read(root, 5, buf, sizeof(buf)),
		   (int64_t)sizeof(buf));
	for (i = 0; i < (int)sizeof(buf); i++)
		bad += buf[i] != (uint8_t)((5 + i) * 7);
	UK_TEST_EQ(bad, 0);
	/* A read's reply: the 11-byte header, then the caller's buffer. */
	UK_TEST_EQ(m.first_in_len, 11);
	UK_TEST_EQ(m.max_descs, 3);
	for (i = 0; i < (int)sizeof(out); i++)
		out[i] = (uint8_t)(i * 3 + 1);
	UK_TEST_EQ(uk_9p_write(root, 100, out, sizeof(out)),
		   (int64_t)sizeof(out));
	UK_TEST_EQ(memcmp(m.file + 100, out, sizeof(out)), 0);
	UK_TEST_EQ(m.max_descs, 3);
	UK_TEST_EQ(uk_9p_clunk(root), 0);
	uk_9p_client_destroy(c);
	uk_9p_trans_unregister(t);
}

struct reader {
	struct uk_9p_fid *f;
	uint64_t off;
	uint8_t buf[1000];
	int64_t rc;
};

static void reader_fn(void *arg)
{
	struct reader *r = arg;

	r->rc = uk_9p_read(r->f, r->off, r->buf, sizeof(r->buf));
}

/* Two requests in flight, completed newest first: each thread gets its
 * own reply (matched by slot, and by tag in the client). */
UK_TEST(virtio_9p_out_of_order_completions)
{
	struct uk_9p_trans *t = attach("ooo", 1);
	struct uk_9p_client *c;
	struct uk_9p_fid *root;
	static struct reader r1, r2;
	struct uk_thread *t1, *t2;
	uint32_t n0;
	int i;

	UK_TEST_ASSERT(t != NULL);
	UK_TEST_EQ(uk_9p_client_create(t, NULL, &c), 0);
	UK_TEST_EQ(uk_9p_attach(c, "u", 0, "", &root), 0);
	m.deferred = 1;
	n0 = m.notifies;
	r1.f = r2.f = root;
	r1.off = 0;
	r2.off = 5000;
	UK_TEST_EQ(uk_thread_create(&t1, "r1", reader_fn, &r1, 0), 0);
	UK_TEST_EQ(uk_thread_create(&t2, "r2", reader_fn, &r2, 0), 0);
	UK_TEST_EQ(wait_notifies(&m, n0 + 2), n0 + 2);
	UK_TEST_EQ(model_waiting(&m), 2);
	model_run(&m, 1);
	UK_TEST_EQ(uk_thread_join(t1), 0);
	UK_TEST_EQ(uk_thread_join(t2), 0);
	UK_TEST_EQ(r1.rc, 1000);
	UK_TEST_EQ(r2.rc, 1000);
	for (i = 0; i < 1000; i++) {
		UK_TEST_EQ(r1.buf[i], (uint8_t)(i * 7));
		UK_TEST_EQ(r2.buf[i], (uint8_t)((5000 + i) * 7));
	}
	m.deferred = 0;
	UK_TEST_EQ(uk_9p_clunk(root), 0);
	uk_9p_client_destroy(c);
	uk_9p_trans_unregister(t);
}

UK_TEST(virtio_9p_device_lies_are_errors)
{
	struct uk_9p_trans *t = attach("lies", 1);
	struct uk_9p_client *c;
	struct uk_9p_fid *root;
	uint8_t buf[100];

	UK_TEST_ASSERT(t != NULL);
	UK_TEST_EQ(uk_9p_client_create(t, NULL, &c), 0);
	UK_TEST_EQ(uk_9p_attach(c, "u", 0, "", &root), 0);
	/* A used entry naming no request is ignored. */
	m.bogus_id = 1;
	UK_TEST_EQ(uk_9p_read(root, 0, buf, sizeof(buf)), 100);
	/* A length beyond the buffers: the transport fails the request. */
	m.overrun = 1;
	UK_TEST_EQ(uk_9p_read(root, 0, buf, sizeof(buf)), -EIO);
	m.overrun = 0;
	/* Operations the model does not know come back as Rlerror. */
	UK_TEST_EQ(uk_9p_mkdir(root, "d", 0755, UK_9P_NOGID, NULL), -ENOSYS);
	UK_TEST_EQ(uk_9p_clunk(root), 0);
	uk_9p_client_destroy(c);
	uk_9p_trans_unregister(t);
}
