/*
 * The 9P2000.L client: request slots and tags, fids, the request/reply
 * round trip, and one function per operation.
 *
 * Slots.  A client has max_requests slots; slot i owns tag i and two
 * small buffers (P9_TBUF for the request's non-data part, P9_RBUF for a
 * reply without data).  A call takes a free slot (sleeping on a
 * semaphore when all are busy), encodes its request, has the transport
 * carry it, checks the reply's header against the request, parses the
 * body and gives the slot back.  Read, write and readdir data travel in
 * a second iovec pointing at the caller's buffer.
 *
 * Fids.  Fid numbers are recycled through a free list of fid objects, so
 * the numbers in use stay small and never run out; a fid whose fate on
 * the server is unknown (the transport failed, or the reply made no
 * sense) is never recycled.
 */
#include <errno.h>
#include <string.h>

#include <uk/9p.h>
#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/lock.h>

#include "9p_impl.h"

#define DEFAULT_SLOTS 8
#define MAX_SLOTS 64
#define PATH_MAX_ELEMS 64

struct slot {
	uint16_t tag;
	uint8_t *tbuf;
	uint8_t *rbuf;
};

struct uk_9p_client {
	struct uk_9p_trans *t;
	struct uk_alloc *a;
	uint32_t msize;
	uint16_t nslots;
	struct slot *slots;
	uint16_t free[MAX_SLOTS];
	uint16_t nfree;
	struct uk_semaphore slots_free;
	struct uk_mutex lock;          /* free slots and fids */
	struct uk_9p_fid *fid_free;
	uint32_t next_fid;
	uint32_t live_fids;
	/* The server answered EOPNOTSUPP: use the 9P2000 fallbacks. */
	uint32_t no_unlinkat, no_renameat;
};

/* One request in progress. */
struct call {
	struct uk_9p_client *c;
	struct slot *s;
	struct _uk_9p_wr w;
	uint8_t type;
	uint16_t tag;
	const void *tx_data;     /* sent after the buffer (Twrite) */
	uint32_t tx_data_len;
	void *rx_data;           /* the reply's data (Rread, Rreaddir) */
	uint32_t rx_data_len;
	struct uk_9p_iov rxv[2];
	struct _uk_9p_rd r;
	int answered;            /* a well-formed reply or Rlerror came */
};

/* ---- slots and calls --------------------------------------------------- */

static void call_begin(struct uk_9p_client *c, struct call *k, uint8_t type)
{
	memset(k, 0, sizeof(*k));
	k->c = c;
	uk_semaphore_down(&c->slots_free);
	uk_mutex_lock(&c->lock);
	UK_ASSERT(c->nfree > 0);
	k->s = &c->slots[c->free[--c->nfree]];
	uk_mutex_unlock(&c->lock);
	k->type = type;
	k->tag = k->s->tag;
	_uk_9p_wr_init(&k->w, k->s->tbuf, P9_TBUF, type, k->tag);
}

static void call_end(struct call *k)
{
	struct uk_9p_client *c = k->c;

	uk_mutex_lock(&c->lock);
	c->free[c->nfree++] = (uint16_t)(k->s - c->slots);
	uk_mutex_unlock(&c->lock);
	uk_semaphore_up(&c->slots_free);
}

/*
 * Sends the encoded request and checks the reply's header.  Returns 0
 * (k->r then reads the body), -ecode of an Rlerror, -EPROTO for a bad
 * reply, -EIO when the transport failed, or the encoder's error.
 */
static int call_do(struct call *k)
{
	struct uk_9p_trans *t = k->c->t;
	struct uk_9p_iov txv[2];
	struct uk_9p_io io;
	uint64_t cap;
	int64_t len;
	int rc;

	len = _uk_9p_wr_finish(&k->w, k->tx_data_len);
	if (len < 0)
		return (int)len;
	if ((uint64_t)len + k->tx_data_len > k->c->msize)
		return -EMSGSIZE;
	txv[0] = (struct uk_9p_iov){ k->s->tbuf, (uint32_t)len };
	txv[1] = (struct uk_9p_iov){ (void *)k->tx_data, k->tx_data_len };
	if (k->rx_data) {
		k->rxv[0] = (struct uk_9p_iov){ k->s->rbuf, P9_IOHDR };
		k->rxv[1] = (struct uk_9p_iov){ k->rx_data, k->rx_data_len };
	} else {
		k->rxv[0] = (struct uk_9p_iov){ k->s->rbuf, P9_RBUF };
	}
	io.tx = txv;
	io.ntx = k->tx_data_len ? 2 : 1;
	io.rx = k->rxv;
	io.nrx = k->rx_data ? 2 : 1;
	io.rx_len = 0;
	rc = t->ops->rpc(t, &io);
	if (rc == -EMSGSIZE)
		return -EPROTO;
	if (rc)
		return -EIO;
	cap = io.nrx == 2 ? (uint64_t)P9_IOHDR + k->rx_data_len : P9_RBUF;
	if (io.rx_len > cap)
		return -EPROTO; /* a transport that overran our buffers */
	_uk_9p_rd_init(&k->r, k->rxv, io.nrx, io.rx_len);
	rc = _uk_9p_reply_check(&k->r, k->type, k->tag, io.rx_len);
	k->answered = rc != -EPROTO;
	return rc;
}

/* ---- fids ----------------------------------------------------------- */

static struct uk_9p_fid *fid_alloc(struct uk_9p_client *c)
{
	struct uk_9p_fid *f;
	uint32_t num;

	uk_mutex_lock(&c->lock);
	f = c->fid_free;
	if (f) {
		c->fid_free = f->_next;
		num = f->fid;
	} else {
		num = c->next_fid++;
		if (c->next_fid == P9_NOFID)
			c->next_fid = 0; /* 4 billion fids lost to errors */
	}
	c->live_fids++;
	uk_mutex_unlock(&c->lock);
	if (!f) {
		f = uk_calloc(c->a, 1, sizeof(*f));
		if (!f) {
			uk_mutex_lock(&c->lock);
			c->live_fids--;
			uk_mutex_unlock(&c->lock);
			return NULL;
		}
	}
	memset(f, 0, sizeof(*f));
	f->client = c;
	f->fid = num;
	return f;
}

/* Gives f back: its number is reused only when recycle is set (the
 * server is known not to hold it). */
static void fid_release(struct uk_9p_fid *f, int recycle)
{
	struct uk_9p_client *c = f->client;

	uk_mutex_lock(&c->lock);
	UK_ASSERT(c->live_fids > 0);
	c->live_fids--;
	if (recycle) {
		f->_next = c->fid_free;
		c->fid_free = f;
	}
	uk_mutex_unlock(&c->lock);
	if (!recycle)
		uk_free(c->a, f);
}

/* -EINVAL (empty, '/'), -ENAMETOOLONG, or 0. */
static int check_name(const char *name)
{
	size_t n;

	if (!name || !name[0] || strchr(name, '/'))
		return -EINVAL;
	n = strlen(name);
	return n > UK_9P_NAME_MAX ? -ENAMETOOLONG : 0;
}

/* ---- the client ----------------------------------------------------- */

static void client_free(struct uk_9p_client *c)
{
	struct uk_9p_fid *f;
	uint16_t i;

	while ((f = c->fid_free)) {
		c->fid_free = f->_next;
		uk_free(c->a, f);
	}
	if (c->slots) {
		for (i = 0; i < c->nslots; i++) {
			if (c->slots[i].tbuf)
				uk_free(c->a, c->slots[i].tbuf);
			if (c->slots[i].rbuf)
				uk_free(c->a, c->slots[i].rbuf);
		}
		uk_free(c->a, c->slots);
	}
	uk_semaphore_fini(&c->slots_free);
	uk_free(c->a, c);
}

/* Tversion: settles c->msize.  0, -EPROTONOSUPPORT, -EPROTO or -EIO. */
static int version(struct uk_9p_client *c, uint32_t proposed)
{
	struct call k;
	char ver[32];
	uint32_t msize;
	int rc;

	call_begin(c, &k, P9_TVERSION);
	/* Tversion carries NOTAG, not the slot's tag: start again. */
	k.tag = P9_NOTAG;
	_uk_9p_wr_init(&k.w, k.s->tbuf, P9_TBUF, P9_TVERSION, P9_NOTAG);
	_uk_9p_put32(&k.w, proposed);
	_uk_9p_putstr(&k.w, UK_9P_VERSION);
	c->msize = proposed;
	rc = call_do(&k);
	if (!rc)
		rc = _uk_9p_parse_rversion(&k.r, &msize, ver, sizeof(ver));
	call_end(&k);
	if (rc)
		return rc;
	if (strcmp(ver, UK_9P_VERSION))
		return -EPROTONOSUPPORT;
	if (msize > proposed || msize < UK_9P_MSIZE_MIN)
		return -EPROTO;
	c->msize = msize;
	return 0;
}

/* Creates a client and negotiates; see uk/9p.h. */
int uk_9p_client_create(struct uk_9p_trans *t,
			const struct uk_9p_client_cfg *cfg,
			struct uk_9p_client **out)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct uk_9p_client *c;
	uint32_t msize = cfg && cfg->msize ? cfg->msize : UK_9P_MSIZE_DEFAULT;
	uint32_t n = cfg && cfg->max_requests ? cfg->max_requests :
						   DEFAULT_SLOTS;
	uint16_t i;
	int rc;

	if (!t || !t->ops || !t->ops->rpc || !t->max_requests)
		return -EINVAL;
	if (t->max_msize && msize > t->max_msize)
		msize = t->max_msize;
	if (msize < UK_9P_MSIZE_MIN)
		return -EINVAL;
	if (n > t->max_requests)
		n = t->max_requests;
	if (n > MAX_SLOTS)
		n = MAX_SLOTS;
	c = uk_calloc(a, 1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->a = a;
	c->t = t;
	c->lock = (struct uk_mutex)UK_MUTEX_INITIALIZER;
	uk_semaphore_init(&c->slots_free, NULL, n);
	c->slots = uk_calloc(a, n, sizeof(*c->slots));
	if (!c->slots) {
		client_free(c);
		return -ENOMEM;
	}
	c->nslots = (uint16_t)n;
	for (i = 0; i < n; i++) {
		c->slots[i].tag = i;
		c->slots[i].tbuf = uk_malloc(a, P9_TBUF);
		c->slots[i].rbuf = uk_malloc(a, P9_RBUF);
		if (!c->slots[i].tbuf || !c->slots[i].rbuf) {
			client_free(c);
			return -ENOMEM;
		}
		c->free[i] = (uint16_t)(n - 1 - i);
	}
	c->nfree = (uint16_t)n;
	rc = version(c, msize);
	if (rc) {
		client_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

/* Frees c (no fid may be live). */
void uk_9p_client_destroy(struct uk_9p_client *c)
{
	UK_ASSERT(c->live_fids == 0);
	client_free(c);
}

/* The negotiated msize. */
uint32_t uk_9p_client_msize(const struct uk_9p_client *c)
{
	return c->msize;
}

/* ---- operations -------------------------------------------------------- */

/* Tattach; sets *root.  0 or -errno. */
int uk_9p_attach(struct uk_9p_client *c, const char *uname,
		 uint32_t n_uname, const char *aname, struct uk_9p_fid **root)
{
	struct uk_9p_fid *f = fid_alloc(c);
	struct call k;
	int rc;

	if (!f)
		return -ENOMEM;
	call_begin(c, &k, P9_TATTACH);
	_uk_9p_put32(&k.w, f->fid);
	_uk_9p_put32(&k.w, P9_NOFID);
	_uk_9p_putstr(&k.w, uname ? uname : "");
	_uk_9p_putstr(&k.w, aname ? aname : "");
	_uk_9p_put32(&k.w, n_uname);
	rc = call_do(&k);
	if (!rc)
		rc = _uk_9p_parse_rqid(&k.r, &f->qid);
	call_end(&k);
	if (rc) {
		fid_release(f, k.answered && rc != -EPROTO);
		return rc;
	}
	*root = f;
	return 0;
}

/*
 * One Twalk of n <= UK_9P_MAXWELEM names from fid to newfid.  Sets *nwqid
 * and the last qid.  0 or -errno.
 */
static int walk1(struct uk_9p_client *c, uint32_t fid, uint32_t newfid,
		 const char *const *names, uint16_t n, uint16_t *nwqid,
		 struct uk_9p_qid *last, int *answered)
{
	struct uk_9p_qid qids[UK_9P_MAXWELEM];
	struct call k;
	uint16_t i;
	int rc;

	call_begin(c, &k, P9_TWALK);
	_uk_9p_put32(&k.w, fid);
	_uk_9p_put32(&k.w, newfid);
	_uk_9p_put16(&k.w, n);
	for (i = 0; i < n; i++)
		_uk_9p_putstr(&k.w, names[i]);
	rc = call_do(&k);
	if (!rc)
		rc = _uk_9p_parse_rwalk(&k.r, n, qids, nwqid);
	*answered = k.answered && rc != -EPROTO;
	call_end(&k);
	if (!rc && *nwqid)
		*last = qids[*nwqid - 1];
	return rc;
}

/* Walks n names from `from` to a new fid; see uk/9p.h. */
int uk_9p_walk(struct uk_9p_fid *from, const char *const *names,
	       unsigned int n, struct uk_9p_fid **out)
{
	struct uk_9p_client *c = from->client;
	struct uk_9p_fid *f;
	unsigned int done = 0, i;
	uint16_t chunk, nwqid;
	int rc, answered;

	for (i = 0; i < n; i++) {
		/* ".." and "." are the server's to judge; '/' is never. */
		rc = check_name(names[i]);
		if (rc)
			return rc;
	}
	f = fid_alloc(c);
	if (!f)
		return -ENOMEM;
	f->qid = from->qid;
	do {
		chunk = (uint16_t)(n - done > UK_9P_MAXWELEM ?
				   UK_9P_MAXWELEM : n - done);
		rc = walk1(c, done ? f->fid : from->fid, f->fid,
			   names ? names + done : NULL,
			   chunk, &nwqid, &f->qid, &answered);
		if (!rc && nwqid < chunk)
			rc = -ENOENT; /* stopped at a missing name */
		if (rc) {
			/* After the first message the new fid exists. */
			if (done)
				uk_9p_clunk(f);
			else
				fid_release(f, answered);
			return rc;
		}
		done += chunk;
	} while (done < n);
	*out = f;
	return 0;
}

/* Walks a '/'-separated path; see uk/9p.h. */
int uk_9p_walk_path(struct uk_9p_fid *from, const char *path,
		    struct uk_9p_fid **out)
{
	struct uk_9p_client *c = from->client;
	const char *names[PATH_MAX_ELEMS];
	unsigned int n = 0;
	size_t len = strlen(path);
	char *copy, *p;
	int rc;

	copy = uk_malloc(c->a, len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, path, len + 1);
	for (p = copy; *p;) {
		while (*p == '/')
			*p++ = '\0';
		if (!*p)
			break;
		if (n == PATH_MAX_ELEMS) {
			uk_free(c->a, copy);
			return -ENAMETOOLONG;
		}
		names[n++] = p;
		while (*p && *p != '/')
			p++;
	}
	rc = uk_9p_walk(from, names, n, out);
	uk_free(c->a, copy);
	return rc;
}

/* Tclunk; frees f whatever the answer.  0 or -errno. */
int uk_9p_clunk(struct uk_9p_fid *f)
{
	struct call k;
	int rc;

	call_begin(f->client, &k, P9_TCLUNK);
	_uk_9p_put32(&k.w, f->fid);
	rc = call_do(&k);
	if (!rc)
		rc = _uk_9p_parse_rempty(&k.r);
	call_end(&k);
	/* Even an Rlerror releases the fid on the server. */
	fid_release(f, k.answered && rc != -EPROTO);
	return rc;
}

/* Tlopen.  0 or -errno. */
int uk_9p_lopen(struct uk_9p_fid *f, uint32_t flags)
{
	struct call k;
	int rc;

	call_begin(f->client, &k, P9_TLOPEN);
	_uk_9p_put32(&k.w, f->fid);
	_uk_9p_put32(&k.w, flags);
	rc = call_do(&k);
	if (!rc)
		rc = _uk_9p_parse_ropen(&k.r, &f->qid, &f->iounit);
	call_end(&k);
	if (!rc)
		f->open = 1;
	return rc;
}

/* Tlcreate on a clone of dir; sets *out.  0 or -errno. */
int uk_9p_lcreate(struct uk_9p_fid *dir, const char *name, uint32_t flags,
		  uint32_t mode, uint32_t gid, struct uk_9p_fid **out)
{
	struct uk_9p_fid *f;
	struct call k;
	int rc = check_name(name);

	if (rc)
		return rc;
	rc = uk_9p_walk(dir, NULL, 0, &f);
	if (rc)
		return rc;
	call_begin(dir->client, &k, P9_TLCREATE);
	_uk_9p_put32(&k.w, f->fid);
	_uk_9p_putstr(&k.w, name);
	_uk_9p_put32(&k.w, flags);
	_uk_9p_put32(&k.w, mode);
	_uk_9p_put32(&k.w, gid);
	rc = call_do(&k);
	if (!rc)
		rc = _uk_9p_parse_ropen(&k.r, &f->qid, &f->iounit);
	call_end(&k);
	if (rc) {
		uk_9p_clunk(f);
		return rc;
	}
	f->open = 1;
	*out = f;
	return 0;
}

/* Most data bytes per message: msize less the header, and the iounit. */
static uint32_t io_max(const struct uk_9p_fid *f, uint32_t hdr)
{
	uint32_t m = f->client->msize - hdr;

	return f->iounit && f->iounit < m ? f->iounit : m;
}

/* Treads until len bytes, a short reply or an error; see uk/9p.h. */
int64_t uk_9p_read(struct uk_9p_fid *f, uint64_t offset, void *buf,
		   uint64_t len)
{
	uint32_t max = io_max(f, P9_IOHDRSZ), want, got;
	uint64_t done = 0;
	struct call k;
	int rc;

	if (len > INT64_MAX)
		len = INT64_MAX;
	while (done < len) {
		want = len - done > max ? max : (uint32_t)(len - done);
		call_begin(f->client, &k, P9_TREAD);
		_uk_9p_put32(&k.w, f->fid);
		_uk_9p_put64(&k.w, offset + done);
		_uk_9p_put32(&k.w, want);
		k.rx_data = (uint8_t *)buf + done;
		k.rx_data_len = want;
		rc = call_do(&k);
		if (!rc)
			rc = _uk_9p_parse_rdata(&k.r, want, &got);
		call_end(&k);
		if (rc)
			return rc;
		done += got;
		if (got < want)
			break;
	}
	return (int64_t)done;
}

/* Twrites len bytes in msize-bounded messages; see uk/9p.h. */
int64_t uk_9p_write(struct uk_9p_fid *f, uint64_t offset, const void *buf,
		    uint64_t len)
{
	uint32_t max = io_max(f, P9_IOHDRSZ), want, got;
	uint64_t done = 0;
	struct call k;
	int rc;

	if (len > INT64_MAX)
		len = INT64_MAX;
	while (done < len) {
		want = len - done > max ? max : (uint32_t)(len - done);
		call_begin(f->client, &k, P9_TWRITE);
		_uk_9p_put32(&k.w, f->fid);
		_uk_9p_put64(&k.w, offset + done);
		_uk_9p_put32(&k.w, want);
		k.tx_data = (const uint8_t *)buf + done;
		k.tx_data_len = want;
		rc = call_do(&k);
		if (!rc)
			rc = _uk_9p_parse_rwrite(&k.r, want, &got);
		call_end(&k);
		if (rc)
			return rc;
		if (!got)
			return done ? (int64_t)done : -EIO; /* no progress */
		done += got;
		if (got < want)
			break;
	}
	return (int64_t)done;
}

/* Tgetattr.  0 or -errno. */
int uk_9p_getattr(struct uk_9p_fid *f, uint64_t mask, struct uk_9p_attr *out)
{
	struct call k;
	int rc;

	call_begin(f->client, &k, P9_TGETATTR);
	_uk_9p_put32(&k.w, f->fid);
	_uk_9p_put64(&k.w, mask);
	rc = call_do(&k);
	if (!rc)
		rc = _uk_9p_parse_rgetattr(&k.r, out);
	call_end(&k);
	return rc;
}

/* Tsetattr.  0 or -errno. */
int uk_9p_setattr(struct uk_9p_fid *f, const struct uk_9p_setattr *sa)
{
	struct call k;
	int rc;

	call_begin(f->client, &k, P9_TSETATTR);
	_uk_9p_put32(&k.w, f->fid);
	_uk_9p_put32(&k.w, sa->valid);
	_uk_9p_put32(&k.w, sa->mode);
	_uk_9p_put32(&k.w, sa->uid);
	_uk_9p_put32(&k.w, sa->gid);
	_uk_9p_put64(&k.w, sa->size);
	_uk_9p_put64(&k.w, sa->atime_sec);
	_uk_9p_put64(&k.w, sa->atime_nsec);
	_uk_9p_put64(&k.w, sa->mtime_sec);
	_uk_9p_put64(&k.w, sa->mtime_nsec);
	rc = call_do(&k);
	if (!rc)
		rc = _uk_9p_parse_rempty(&k.r);
	call_end(&k);
	return rc;
}

/* Treaddir into buf; returns bytes filled or -errno. */
int uk_9p_readdir(struct uk_9p_fid *f, uint64_t offset, void *buf,
		  uint32_t size)
{
	uint32_t max = io_max(f, P9_IOHDRSZ), got;
	struct call k;
	int rc;

	if (size > max)
		size = max;
	if (size > INT32_MAX)
		size = INT32_MAX;
	call_begin(f->client, &k, P9_TREADDIR);
	_uk_9p_put32(&k.w, f->fid);
	_uk_9p_put64(&k.w, offset);
	_uk_9p_put32(&k.w, size);
	k.rx_data = buf;
	k.rx_data_len = size;
	rc = call_do(&k);
	if (!rc)
		rc = _uk_9p_parse_rdata(&k.r, size, &got);
	call_end(&k);
	return rc ? rc : (int)got;
}

/* Tmkdir.  0 or -errno. */
int uk_9p_mkdir(struct uk_9p_fid *dir, const char *name, uint32_t mode,
		uint32_t gid, struct uk_9p_qid *qid)
{
	struct uk_9p_qid q;
	struct call k;
	int rc = check_name(name);

	if (rc)
		return rc;
	call_begin(dir->client, &k, P9_TMKDIR);
	_uk_9p_put32(&k.w, dir->fid);
	_uk_9p_putstr(&k.w, name);
	_uk_9p_put32(&k.w, mode);
	_uk_9p_put32(&k.w, gid);
	rc = call_do(&k);
	if (!rc)
		rc = _uk_9p_parse_rqid(&k.r, &q);
	call_end(&k);
	if (!rc && qid)
		*qid = q;
	return rc;
}

/*
 * Tremove of f (which the server releases whatever the answer) when its
 * type fits flags.  0 or -errno.
 */
static int remove_fid(struct uk_9p_fid *f, uint32_t flags)
{
	int isdir = !!(f->qid.type & UK_9P_QTDIR);
	struct call k;
	int rc;

	if (isdir != !!(flags & UK_9P_AT_REMOVEDIR)) {
		uk_9p_clunk(f);
		return isdir ? -EISDIR : -ENOTDIR;
	}
	call_begin(f->client, &k, P9_TREMOVE);
	_uk_9p_put32(&k.w, f->fid);
	rc = call_do(&k);
	if (!rc)
		rc = _uk_9p_parse_rempty(&k.r);
	call_end(&k);
	fid_release(f, k.answered && rc != -EPROTO);
	return rc;
}

/* Tunlinkat, or walk + Tremove on servers without it.  0 or -errno. */
int uk_9p_unlinkat(struct uk_9p_fid *dir, const char *name, uint32_t flags)
{
	struct uk_9p_client *c = dir->client;
	struct uk_9p_fid *f;
	struct call k;
	int rc = check_name(name);

	if (rc)
		return rc;
	if (!__atomic_load_n(&c->no_unlinkat, __ATOMIC_RELAXED)) {
		call_begin(c, &k, P9_TUNLINKAT);
		_uk_9p_put32(&k.w, dir->fid);
		_uk_9p_putstr(&k.w, name);
		_uk_9p_put32(&k.w, flags);
		rc = call_do(&k);
		if (!rc)
			rc = _uk_9p_parse_rempty(&k.r);
		call_end(&k);
		if (rc != -EOPNOTSUPP)
			return rc;
		__atomic_store_n(&c->no_unlinkat, 1, __ATOMIC_RELAXED);
	}
	rc = uk_9p_walk(dir, &name, 1, &f);
	return rc ? rc : remove_fid(f, flags);
}

/* Trename of f into newdir as newname (the 9P2000.L fallback). */
static int rename_fid(struct uk_9p_fid *f, struct uk_9p_fid *newdir,
		      const char *newname)
{
	struct call k;
	int rc;

	call_begin(f->client, &k, P9_TRENAME);
	_uk_9p_put32(&k.w, f->fid);
	_uk_9p_put32(&k.w, newdir->fid);
	_uk_9p_putstr(&k.w, newname);
	rc = call_do(&k);
	if (!rc)
		rc = _uk_9p_parse_rempty(&k.r);
	call_end(&k);
	return rc;
}

/* Trenameat, or walk + Trename on servers without it.  0 or -errno. */
int uk_9p_renameat(struct uk_9p_fid *olddir, const char *oldname,
		   struct uk_9p_fid *newdir, const char *newname)
{
	struct uk_9p_client *c = olddir->client;
	struct uk_9p_fid *f;
	struct call k;
	int rc = check_name(oldname);

	if (!rc)
		rc = check_name(newname);
	if (rc)
		return rc;
	UK_ASSERT(c == newdir->client);
	if (!__atomic_load_n(&c->no_renameat, __ATOMIC_RELAXED)) {
		call_begin(c, &k, P9_TRENAMEAT);
		_uk_9p_put32(&k.w, olddir->fid);
		_uk_9p_putstr(&k.w, oldname);
		_uk_9p_put32(&k.w, newdir->fid);
		_uk_9p_putstr(&k.w, newname);
		rc = call_do(&k);
		if (!rc)
			rc = _uk_9p_parse_rempty(&k.r);
		call_end(&k);
		if (rc != -EOPNOTSUPP)
			return rc;
		__atomic_store_n(&c->no_renameat, 1, __ATOMIC_RELAXED);
	}
	rc = uk_9p_walk(olddir, &oldname, 1, &f);
	if (rc)
		return rc;
	rc = rename_fid(f, newdir, newname);
	uk_9p_clunk(f);
	return rc;
}

/* Tfsync.  0 or -errno. */
int uk_9p_fsync(struct uk_9p_fid *f, int datasync)
{
	struct call k;
	int rc;

	call_begin(f->client, &k, P9_TFSYNC);
	_uk_9p_put32(&k.w, f->fid);
	_uk_9p_put32(&k.w, datasync ? 1 : 0);
	rc = call_do(&k);
	if (!rc)
		rc = _uk_9p_parse_rempty(&k.r);
	call_end(&k);
	return rc;
}

/* Tstatfs.  0 or -errno. */
int uk_9p_statfs(struct uk_9p_fid *f, struct uk_9p_statfs *out)
{
	struct call k;
	int rc;

	call_begin(f->client, &k, P9_TSTATFS);
	_uk_9p_put32(&k.w, f->fid);
	rc = call_do(&k);
	if (!rc)
		rc = _uk_9p_parse_rstatfs(&k.r, out);
	call_end(&k);
	return rc;
}
