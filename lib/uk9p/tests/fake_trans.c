/*
 * The scripted 9P transport (see fake_trans.h).  The lock is a futex
 * word so the file works over linuxu_threads and in the fuzzer alike.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <uk/wait.h>

#include "fake_trans.h"

static void lock(struct fake_trans *f)
{
	while (__atomic_exchange_n(&f->lock, 1, __ATOMIC_ACQUIRE))
		uk_wait_on(&f->lock, 1, 0);
}

static void unlock(struct fake_trans *f)
{
	__atomic_store_n(&f->lock, 0, __ATOMIC_RELEASE);
	uk_wake(&f->lock, 1);
}

static int fake_rpc(struct uk_9p_trans *t, struct uk_9p_io *io)
{
	struct fake_trans *f = t->priv;
	struct fake_reply rep = { 0 };
	struct fake_req *q = NULL;
	uint64_t total = 0, cap = 0;
	uint32_t off = 0, i, left, take;
	uint8_t *req;

	for (i = 0; i < io->ntx; i++)
		total += io->tx[i].len;
	req = malloc(total ? total : 1);
	for (i = 0; i < io->ntx; i++) {
		memcpy(req + off, io->tx[i].base, io->tx[i].len);
		off += io->tx[i].len;
	}
	lock(f);
	if (f->nlog < FAKE_LOG_MAX) {
		q = &f->log[f->nlog++];
		q->bytes = req;
		q->len = (uint32_t)total;
		q->type = total >= 5 ? req[4] : 0;
		q->tag = total >= 7 ? (uint16_t)(req[5] | req[6] << 8) : 0;
	}
	if (f->rendezvous) {
		uint32_t seen;

		f->in_flight++;
		__atomic_fetch_add(&f->cond, 1, __ATOMIC_RELEASE);
		uk_wake(&f->cond, -1);
		while (f->in_flight < (unsigned int)f->rendezvous) {
			seen = __atomic_load_n(&f->cond, __ATOMIC_ACQUIRE);
			unlock(f);
			uk_wait_on(&f->cond, seen, 0);
			lock(f);
		}
	}
	if (f->head != f->tail)
		rep = f->script[f->head++ % FAKE_SCRIPT_MAX];
	unlock(f);
	if (!q)
		free(req);
	if (!rep.bytes || (rep.flags & FAKE_FAIL)) {
		free(rep.bytes);
		return -EIO;
	}
	if ((rep.flags & FAKE_SIZE) && rep.len >= 4)
		for (i = 0; i < 4; i++)
			rep.bytes[i] = (uint8_t)(rep.len >> (8 * i));
	if ((rep.flags & FAKE_TAG) && rep.len >= 7 && total >= 7) {
		rep.bytes[5] = req[5];
		rep.bytes[6] = req[6];
	}
	for (i = 0; i < io->nrx; i++)
		cap += io->rx[i].len;
	if (rep.len > cap) {
		free(rep.bytes);
		return -EMSGSIZE;
	}
	off = 0;
	left = rep.len;
	for (i = 0; i < io->nrx && left; i++) {
		take = left < io->rx[i].len ? left : io->rx[i].len;
		memcpy(io->rx[i].base, rep.bytes + off, take);
		off += take;
		left -= take;
	}
	io->rx_len = rep.len;
	free(rep.bytes);
	return 0;
}

static const struct uk_9p_trans_ops fake_ops = { .rpc = fake_rpc };

void fake_init(struct fake_trans *f, const char *tag, uint32_t max_msize,
	       uint32_t max_requests)
{
	memset(f, 0, sizeof(*f));
	f->t.ops = &fake_ops;
	strncpy(f->t.tag, tag, UK_9P_TAG_MAX);
	f->t.max_msize = max_msize;
	f->t.max_requests = max_requests;
	f->t.priv = f;
}

void fake_fini(struct fake_trans *f)
{
	unsigned int i;

	while (f->head != f->tail)
		free(f->script[f->head++ % FAKE_SCRIPT_MAX].bytes);
	for (i = 0; i < f->nlog; i++)
		free(f->log[i].bytes);
	f->nlog = 0;
}

void fake_reply(struct fake_trans *f, const void *bytes, uint32_t len,
		int flags)
{
	struct fake_reply *r;

	lock(f);
	r = &f->script[f->tail++ % FAKE_SCRIPT_MAX];
	r->bytes = malloc(len ? len : 1);
	memcpy(r->bytes, bytes, len);
	r->len = len;
	r->flags = flags;
	unlock(f);
}

unsigned int fake_pending(const struct fake_trans *f)
{
	return f->tail - f->head;
}

void rb_start(struct rb *r, uint8_t type)
{
	r->n = 0;
	rb32(r, 0);
	rb8(r, type);
	rb16(r, 0);
}

static void rb_le(struct rb *r, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n && r->n < sizeof(r->b); i++)
		r->b[r->n++] = (uint8_t)(v >> (8 * i));
}

void rb8(struct rb *r, uint8_t v) { rb_le(r, v, 1); }
void rb16(struct rb *r, uint16_t v) { rb_le(r, v, 2); }
void rb32(struct rb *r, uint32_t v) { rb_le(r, v, 4); }
void rb64(struct rb *r, uint64_t v) { rb_le(r, v, 8); }

void rbbytes(struct rb *r, const void *p, uint32_t n)
{
	if (n > sizeof(r->b) - r->n)
		n = (uint32_t)(sizeof(r->b) - r->n);
	memcpy(r->b + r->n, p, n);
	r->n += n;
}

void rbstr(struct rb *r, const char *s)
{
	rb16(r, (uint16_t)strlen(s));
	rbbytes(r, s, (uint32_t)strlen(s));
}

void rbqid(struct rb *r, uint8_t type, uint32_t version, uint64_t path)
{
	rb8(r, type);
	rb32(r, version);
	rb64(r, path);
}

void fake_send(struct fake_trans *f, const struct rb *r)
{
	fake_reply(f, r->b, r->n, FAKE_AUTO);
}

uint64_t req_le(const struct fake_req *q, uint32_t off, unsigned int n)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < n && off + i < q->len; i++)
		v |= (uint64_t)q->bytes[off + i] << (8 * i);
	return v;
}
