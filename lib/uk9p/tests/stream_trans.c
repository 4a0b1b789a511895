/*
 * The byte-stream 9P transport (see stream_trans.h).
 */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <uk/wait.h>

#include "stream_trans.h"

static int write_all(int fd, const struct uk_9p_iov *iov, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		const char *p = iov[i].base;
		size_t left = iov[i].len;

		while (left) {
			ssize_t w = write(fd, p, left);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return -EIO;
			p += w;
			left -= (size_t)w;
		}
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t n)
{
	char *p = buf;

	while (n) {
		ssize_t r = read(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -EIO;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* A position in the reply buffers. */
struct cursor {
	const struct uk_9p_iov *iov;
	unsigned int n, i;
	uint32_t off;
};

/* Room at the cursor (NULL when the buffers are full). */
static uint8_t *cursor_room(struct cursor *c, uint32_t *room)
{
	while (c->i < c->n && c->off == c->iov[c->i].len) {
		c->i++;
		c->off = 0;
	}
	if (c->i == c->n)
		return NULL;
	*room = c->iov[c->i].len - c->off;
	return (uint8_t *)c->iov[c->i].base + c->off;
}

/* Fills n bytes at the cursor from src, or from fd when src is NULL. */
static int cursor_fill(struct cursor *c, const uint8_t *src, int fd,
		       uint32_t n)
{
	uint32_t room, take;
	uint8_t *dst;

	while (n) {
		dst = cursor_room(c, &room);
		if (!dst)
			return -EIO;
		take = n < room ? n : room;
		if (src) {
			memcpy(dst, src, take);
			src += take;
		} else if (read_all(fd, dst, take)) {
			return -EIO;
		}
		c->off += take;
		n -= take;
	}
	return 0;
}

/* Reads a whole reply into io->rx; -EMSGSIZE (dropped) or -EIO. */
static int read_reply(struct stream_trans *s, struct uk_9p_io *io)
{
	struct cursor c = { io->rx, io->nrx, 0, 0 };
	uint8_t hdr[4], sink[4096];
	uint64_t cap = 0;
	uint32_t size, left, take, i;

	if (read_all(s->rfd, hdr, 4))
		return -EIO;
	size = (uint32_t)(hdr[0] | hdr[1] << 8 | hdr[2] << 16 |
			  (uint32_t)hdr[3] << 24);
	if (size < 4)
		return -EIO; /* the stream lost its framing */
	for (i = 0; i < io->nrx; i++)
		cap += io->rx[i].len;
	if (size > cap) {
		for (left = size - 4; left; left -= take) {
			take = left < sizeof(sink) ? left : sizeof(sink);
			if (read_all(s->rfd, sink, take))
				return -EIO;
		}
		return -EMSGSIZE;
	}
	if (cursor_fill(&c, hdr, -1, 4) ||
	    cursor_fill(&c, NULL, s->rfd, size - 4))
		return -EIO;
	io->rx_len = size;
	return 0;
}

static int stream_rpc(struct uk_9p_trans *t, struct uk_9p_io *io)
{
	struct stream_trans *s = t->priv;
	int rc;

	while (__atomic_exchange_n(&s->lock, 1, __ATOMIC_ACQUIRE))
		uk_wait_on(&s->lock, 1, 0);
	rc = write_all(s->wfd, io->tx, io->ntx);
	if (!rc)
		rc = read_reply(s, io);
	__atomic_store_n(&s->lock, 0, __ATOMIC_RELEASE);
	uk_wake(&s->lock, 1);
	return rc;
}

static const struct uk_9p_trans_ops stream_ops = { .rpc = stream_rpc };

void stream_trans_init(struct stream_trans *s, const char *tag, int rfd,
		       int wfd)
{
	memset(s, 0, sizeof(*s));
	s->t.ops = &stream_ops;
	strncpy(s->t.tag, tag, UK_9P_TAG_MAX);
	s->t.max_requests = 4;
	s->t.priv = s;
	s->rfd = rfd;
	s->wfd = wfd;
}
