/*
 * The 9P2000.L codec: a bounded writer for requests and a reader for
 * replies that may lie across several buffers (a read's header in the
 * slot's buffer, its data in the caller's).  Every multi-byte field is
 * little-endian and assembled byte by byte (no alignment assumptions).
 *
 * The reader is where a hostile server is stopped: it only ever moves
 * through the bytes the transport said it received, every getter checks
 * the bytes left first, string lengths are checked against both the
 * message and the destination, and each parser demands that the message
 * is consumed exactly.  Nothing here allocates, and nothing trusts a
 * length it has not checked.
 */
#include <errno.h>
#include <string.h>

#include <uk/9p.h>

#include "9p_impl.h"

/* ---- writer ---------------------------------------------------------- */

static uint8_t *wr_room(struct _uk_9p_wr *w, uint32_t n)
{
	uint8_t *p;

	if (w->err)
		return NULL;
	if (n > w->cap - w->len) {
		w->err = -EMSGSIZE;
		return NULL;
	}
	p = w->buf + w->len;
	w->len += n;
	return p;
}

static void put_le(struct _uk_9p_wr *w, uint64_t v, unsigned int n)
{
	uint8_t *p = wr_room(w, n);
	unsigned int i;

	if (!p)
		return;
	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Fixed-size fields; an overflow latches -EMSGSIZE in w->err. */
void _uk_9p_put8(struct _uk_9p_wr *w, uint8_t v) { put_le(w, v, 1); }
void _uk_9p_put16(struct _uk_9p_wr *w, uint16_t v) { put_le(w, v, 2); }
void _uk_9p_put32(struct _uk_9p_wr *w, uint32_t v) { put_le(w, v, 4); }
void _uk_9p_put64(struct _uk_9p_wr *w, uint64_t v) { put_le(w, v, 8); }

/* Appends s as len[2] bytes; -EINVAL latched past 65535 bytes. */
void _uk_9p_putstr(struct _uk_9p_wr *w, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	uint8_t *p;

	if (n > 0xffff) {
		if (!w->err)
			w->err = -EINVAL;
		return;
	}
	_uk_9p_put16(w, (uint16_t)n);
	p = wr_room(w, (uint32_t)n);
	if (p && n)
		memcpy(p, s, n);
}

/* Starts a message: size placeholder, type, tag. */
void _uk_9p_wr_init(struct _uk_9p_wr *w, void *buf, uint32_t cap,
		    uint8_t type, uint16_t tag)
{
	w->buf = buf;
	w->cap = cap;
	w->len = 0;
	w->err = 0;
	_uk_9p_put32(w, 0);
	_uk_9p_put8(w, type);
	_uk_9p_put16(w, tag);
}

/* Patches the size field; returns the buffer's length or the error. */
int64_t _uk_9p_wr_finish(struct _uk_9p_wr *w, uint32_t extra)
{
	uint64_t size = (uint64_t)w->len + extra;
	unsigned int i;

	if (w->err)
		return w->err;
	if (size > 0xffffffffu)
		return -EMSGSIZE;
	for (i = 0; i < 4; i++)
		w->buf[i] = (uint8_t)(size >> (8 * i));
	return w->len;
}

/* ---- reader ---------------------------------------------------------- */

/* A reader over len bytes of iov (len never exceeds what iov holds). */
void _uk_9p_rd_init(struct _uk_9p_rd *r, const struct uk_9p_iov *iov,
		    unsigned int niov, uint32_t len)
{
	uint64_t total = 0;
	unsigned int i;

	for (i = 0; i < niov; i++)
		total += iov[i].len;
	r->iov = iov;
	r->niov = niov;
	r->i = 0;
	r->off = 0;
	r->left = len <= total ? len : (uint32_t)total;
}

/* Copies the next n bytes (out may be NULL to skip): 0 or -EPROTO. */
int _uk_9p_get(struct _uk_9p_rd *r, void *out, uint32_t n)
{
	uint8_t *o = out;

	if (n > r->left)
		return -EPROTO;
	r->left -= n;
	while (n) {
		uint32_t avail, take;

		/* r->left counted these bytes, so an iov holds them. */
		while (r->off == r->iov[r->i].len) {
			r->i++;
			r->off = 0;
		}
		avail = r->iov[r->i].len - r->off;
		take = n < avail ? n : avail;
		if (o) {
			memcpy(o, (const uint8_t *)r->iov[r->i].base + r->off,
			       take);
			o += take;
		}
		r->off += take;
		n -= take;
	}
	return 0;
}

static int get_le(struct _uk_9p_rd *r, uint64_t *v, unsigned int n)
{
	uint8_t b[8];
	unsigned int i;

	*v = 0;
	if (_uk_9p_get(r, b, n))
		return -EPROTO;
	for (i = 0; i < n; i++)
		*v |= (uint64_t)b[i] << (8 * i);
	return 0;
}

/* Fixed-size fields: 0, or -EPROTO past the end (*v is then 0). */
int _uk_9p_get8(struct _uk_9p_rd *r, uint8_t *v)
{
	uint64_t x;
	int rc = get_le(r, &x, 1);

	*v = (uint8_t)x;
	return rc;
}

int _uk_9p_get16(struct _uk_9p_rd *r, uint16_t *v)
{
	uint64_t x;
	int rc = get_le(r, &x, 2);

	*v = (uint16_t)x;
	return rc;
}

int _uk_9p_get32(struct _uk_9p_rd *r, uint32_t *v)
{
	uint64_t x;
	int rc = get_le(r, &x, 4);

	*v = (uint32_t)x;
	return rc;
}

int _uk_9p_get64(struct _uk_9p_rd *r, uint64_t *v)
{
	return get_le(r, v, 8);
}

/* A qid[13]: 0 or -EPROTO. */
int _uk_9p_getqid(struct _uk_9p_rd *r, struct uk_9p_qid *q)
{
	if (_uk_9p_get8(r, &q->type) || _uk_9p_get32(r, &q->version) ||
	    _uk_9p_get64(r, &q->path))
		return -EPROTO;
	return 0;
}

/* A string into out[size]: -EPROTO if too long, truncated or with NUL. */
int _uk_9p_getstr(struct _uk_9p_rd *r, char *out, size_t size)
{
	uint16_t n;

	if (_uk_9p_get16(r, &n) || (size_t)n >= size || _uk_9p_get(r, out, n))
		return -EPROTO;
	out[n] = '\0';
	if (strlen(out) != n)
		return -EPROTO;
	return 0;
}

/* 0 when the whole message was read, else -EPROTO. */
int _uk_9p_rd_end(const struct _uk_9p_rd *r)
{
	return r->left ? -EPROTO : 0;
}

/* ---- replies --------------------------------------------------------- */

/* Header check; see 9p_impl.h.  0, -ecode of an Rlerror, or -EPROTO. */
int _uk_9p_reply_check(struct _uk_9p_rd *r, uint8_t ttype, uint16_t tag,
		       uint32_t rx_len)
{
	uint32_t size, ecode;
	uint8_t type;
	uint16_t rtag;

	if (rx_len < P9_HDR || r->left != rx_len)
		return -EPROTO;
	if (_uk_9p_get32(r, &size) || _uk_9p_get8(r, &type) ||
	    _uk_9p_get16(r, &rtag))
		return -EPROTO;
	if (size != rx_len || rtag != tag)
		return -EPROTO;
	if (type == P9_RLERROR) {
		if (_uk_9p_get32(r, &ecode) || _uk_9p_rd_end(r))
			return -EPROTO;
		/* A Linux errno: anything else is not a usable error. */
		if (ecode == 0 || ecode > 4095)
			return -EPROTO;
		return -(int)ecode;
	}
	if (type != (uint8_t)(ttype + 1))
		return -EPROTO;
	return 0;
}

/*
 * Reply bodies (after _uk_9p_reply_check()): each returns 0, or -EPROTO
 * for a field past the end, a count beyond max, or bytes left over.
 */
int _uk_9p_parse_rversion(struct _uk_9p_rd *r, uint32_t *msize, char *ver,
			  size_t size)
{
	if (_uk_9p_get32(r, msize) || _uk_9p_getstr(r, ver, size))
		return -EPROTO;
	return _uk_9p_rd_end(r);
}

int _uk_9p_parse_rqid(struct _uk_9p_rd *r, struct uk_9p_qid *qid)
{
	if (_uk_9p_getqid(r, qid))
		return -EPROTO;
	return _uk_9p_rd_end(r);
}

int _uk_9p_parse_ropen(struct _uk_9p_rd *r, struct uk_9p_qid *qid,
		       uint32_t *iounit)
{
	if (_uk_9p_getqid(r, qid) || _uk_9p_get32(r, iounit))
		return -EPROTO;
	return _uk_9p_rd_end(r);
}

/* Rwalk: nwqid <= nwname qids. */
int _uk_9p_parse_rwalk(struct _uk_9p_rd *r, uint16_t nwname,
		       struct uk_9p_qid *qids, uint16_t *nwqid)
{
	uint16_t i, n;

	if (_uk_9p_get16(r, &n) || n > nwname)
		return -EPROTO;
	for (i = 0; i < n; i++)
		if (_uk_9p_getqid(r, &qids[i]))
			return -EPROTO;
	*nwqid = n;
	return _uk_9p_rd_end(r);
}

int _uk_9p_parse_rgetattr(struct _uk_9p_rd *r, struct uk_9p_attr *a)
{
	uint64_t *u64s[] = {
		&a->nlink, &a->rdev, &a->size, &a->blksize, &a->blocks,
		&a->atime_sec, &a->atime_nsec, &a->mtime_sec, &a->mtime_nsec,
		&a->ctime_sec, &a->ctime_nsec, &a->btime_sec, &a->btime_nsec,
		&a->gen, &a->data_version,
	};
	unsigned int i;

	if (_uk_9p_get64(r, &a->valid) || _uk_9p_getqid(r, &a->qid) ||
	    _uk_9p_get32(r, &a->mode) || _uk_9p_get32(r, &a->uid) ||
	    _uk_9p_get32(r, &a->gid))
		return -EPROTO;
	for (i = 0; i < sizeof(u64s) / sizeof(u64s[0]); i++)
		if (_uk_9p_get64(r, u64s[i]))
			return -EPROTO;
	return _uk_9p_rd_end(r);
}

int _uk_9p_parse_rstatfs(struct _uk_9p_rd *r, struct uk_9p_statfs *s)
{
	if (_uk_9p_get32(r, &s->type) || _uk_9p_get32(r, &s->bsize) ||
	    _uk_9p_get64(r, &s->blocks) || _uk_9p_get64(r, &s->bfree) ||
	    _uk_9p_get64(r, &s->bavail) || _uk_9p_get64(r, &s->files) ||
	    _uk_9p_get64(r, &s->ffree) || _uk_9p_get64(r, &s->fsid) ||
	    _uk_9p_get32(r, &s->namelen))
		return -EPROTO;
	return _uk_9p_rd_end(r);
}

/* Rread/Rreaddir: count[4] then exactly count bytes (already in place). */
int _uk_9p_parse_rdata(struct _uk_9p_rd *r, uint32_t max, uint32_t *count)
{
	if (_uk_9p_get32(r, count) || *count > max || r->left != *count)
		return -EPROTO;
	return 0;
}

int _uk_9p_parse_rwrite(struct _uk_9p_rd *r, uint32_t max, uint32_t *count)
{
	if (_uk_9p_get32(r, count) || *count > max)
		return -EPROTO;
	return _uk_9p_rd_end(r);
}

int _uk_9p_parse_rempty(struct _uk_9p_rd *r)
{
	return _uk_9p_rd_end(r);
}

/* ---- directory entries ------------------------------------------------ */

/* Decodes the entry at *pos; see uk/9p.h.  1, 0 at the end, or -EPROTO. */
int uk_9p_dirent_next(const void *buf, uint32_t len, uint32_t *pos,
		      struct uk_9p_dirent *out)
{
	struct uk_9p_iov iov;
	struct _uk_9p_rd r;

	if (*pos >= len)
		return *pos == len ? 0 : -EPROTO;
	iov.base = (void *)((const uint8_t *)buf + *pos);
	iov.len = len - *pos;
	_uk_9p_rd_init(&r, &iov, 1, iov.len);
	if (_uk_9p_getqid(&r, &out->qid) || _uk_9p_get64(&r, &out->offset) ||
	    _uk_9p_get8(&r, &out->type) ||
	    _uk_9p_getstr(&r, out->name, sizeof(out->name)))
		return -EPROTO;
	/* A name a file system could not use, or that would climb out of
	 * the directory when joined to its path, is the server's error. */
	if (!out->name[0] || strchr(out->name, '/'))
		return -EPROTO;
	*pos = len - r.left;
	return 1;
}
