/*
 * uk9p internals shared by the codec (msg.c), the client (client.c) and
 * the fuzz target: message types, sizes, the bounded writer and the
 * bounds-checked reader over a reply's iovecs, and the reply parsers.
 */
#ifndef UK_9P_IMPL_H
#define UK_9P_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <uk/9p.h>

/* Message types (T = request, R = T + 1). */
#define P9_RLERROR 7
#define P9_TSTATFS 8
#define P9_TRENAME 20
#define P9_TLOPEN 12
#define P9_TLCREATE 14
#define P9_TGETATTR 24
#define P9_TSETATTR 26
#define P9_TREADDIR 40
#define P9_TFSYNC 50
#define P9_TMKDIR 72
#define P9_TRENAMEAT 74
#define P9_TUNLINKAT 76
#define P9_TVERSION 100
#define P9_TATTACH 104
#define P9_TWALK 110
#define P9_TREAD 116
#define P9_TWRITE 118
#define P9_TCLUNK 120
#define P9_TREMOVE 122

#define P9_HDR 7          /* size[4] type[1] tag[2] */
#define P9_IOHDR 11       /* + count[4]: Rread, Rreaddir (and Rlerror) */
#define P9_WHDR 23        /* Twrite: + fid[4] offset[8] count[4] */
/* What read and write counts leave of msize: Linux's P9_IOHDRSZ, one byte
 * more than Twrite's header, which servers (diod) check counts against. */
#define P9_IOHDRSZ 24
#define P9_NOTAG 0xffff
#define P9_NOFID 0xffffffffu

/* Per-slot buffers for the non-data parts of messages.  The largest
 * request is a full Twalk (7 + 10 + 16 * (2 + 255) = 4129 bytes); the
 * largest reply we take is Rwalk (7 + 2 + 16 * 13 = 217 bytes). */
#define P9_TBUF 4160
#define P9_RBUF 256

/* A bounded writer: an overflow latches err (-EMSGSIZE). */
struct _uk_9p_wr {
	uint8_t *buf;
	uint32_t cap;
	uint32_t len;
	int err;
};

/* Starts message type/tag in buf (size patched by _uk_9p_wr_finish). */
void _uk_9p_wr_init(struct _uk_9p_wr *w, void *buf, uint32_t cap,
		    uint8_t type, uint16_t tag);
void _uk_9p_put8(struct _uk_9p_wr *w, uint8_t v);
void _uk_9p_put16(struct _uk_9p_wr *w, uint16_t v);
void _uk_9p_put32(struct _uk_9p_wr *w, uint32_t v);
void _uk_9p_put64(struct _uk_9p_wr *w, uint64_t v);
/* A string s[2]: -EINVAL latched for strings longer than 65535. */
void _uk_9p_putstr(struct _uk_9p_wr *w, const char *s);
/* Writes size = bytes written + extra (data sent after the buffer).
 * Returns the bytes in the buffer, or the latched error. */
int64_t _uk_9p_wr_finish(struct _uk_9p_wr *w, uint32_t extra);

/* A reader over the first len bytes spread across iov[0..niov). */
struct _uk_9p_rd {
	const struct uk_9p_iov *iov;
	unsigned int niov;
	unsigned int i;   /* current iov */
	uint32_t off;     /* offset in it */
	uint32_t left;    /* bytes of the message not read yet */
};

void _uk_9p_rd_init(struct _uk_9p_rd *r, const struct uk_9p_iov *iov,
		    unsigned int niov, uint32_t len);
/* Each getter returns 0 or -EPROTO (past the end of the message). */
int _uk_9p_get(struct _uk_9p_rd *r, void *out, uint32_t n);
int _uk_9p_get8(struct _uk_9p_rd *r, uint8_t *v);
int _uk_9p_get16(struct _uk_9p_rd *r, uint16_t *v);
int _uk_9p_get32(struct _uk_9p_rd *r, uint32_t *v);
int _uk_9p_get64(struct _uk_9p_rd *r, uint64_t *v);
int _uk_9p_getqid(struct _uk_9p_rd *r, struct uk_9p_qid *q);
/* A string into out (size bytes, NUL-terminated): -EPROTO if it does
 * not fit or holds a NUL. */
int _uk_9p_getstr(struct _uk_9p_rd *r, char *out, size_t size);
/* 0 when the whole message was read, else -EPROTO. */
int _uk_9p_rd_end(const struct _uk_9p_rd *r);

/*
 * Checks a reply's header against the request (type ttype, tag) and the
 * rx_len bytes received: the size field must equal rx_len, the tag must
 * match, the type must be ttype + 1 or Rlerror.  Returns 0 (r is then
 * past the header), -ecode for a well-formed Rlerror, or -EPROTO.
 */
int _uk_9p_reply_check(struct _uk_9p_rd *r, uint8_t ttype, uint16_t tag,
		       uint32_t rx_len);

/* Reply bodies, after _uk_9p_reply_check().  0 or -EPROTO. */
int _uk_9p_parse_rversion(struct _uk_9p_rd *r, uint32_t *msize, char *ver,
			  size_t size);
int _uk_9p_parse_rqid(struct _uk_9p_rd *r, struct uk_9p_qid *qid);
int _uk_9p_parse_ropen(struct _uk_9p_rd *r, struct uk_9p_qid *qid,
		       uint32_t *iounit);
/* Rwalk: at most nwname qids into qids; sets *nwqid. */
int _uk_9p_parse_rwalk(struct _uk_9p_rd *r, uint16_t nwname,
		       struct uk_9p_qid *qids, uint16_t *nwqid);
int _uk_9p_parse_rgetattr(struct _uk_9p_rd *r, struct uk_9p_attr *a);
int _uk_9p_parse_rstatfs(struct _uk_9p_rd *r, struct uk_9p_statfs *s);
/* Rread/Rreaddir: count <= max, and exactly count data bytes follow. */
int _uk_9p_parse_rdata(struct _uk_9p_rd *r, uint32_t max, uint32_t *count);
/* Rwrite: count <= max. */
int _uk_9p_parse_rwrite(struct _uk_9p_rd *r, uint32_t max, uint32_t *count);
/* A reply with no body (Rclunk, Rsetattr, Rmkdir...): nothing left. */
int _uk_9p_parse_rempty(struct _uk_9p_rd *r);

#endif
