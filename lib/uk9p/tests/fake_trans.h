/*
 * A scripted 9P transport for tests and the fuzz target: each rpc logs
 * the request (its bytes gathered from the iovecs) and answers with the
 * next scripted reply, written across the reply iovecs exactly as a real
 * transport would, or fails.  A reply may have its tag patched to the
 * request's and its size field set to its length, so a script need not
 * know which tag the client picks.  Thread-safe (a mutex around the
 * script), with an optional rendezvous to catch two requests in flight.
 */
#ifndef FAKE_TRANS_H
#define FAKE_TRANS_H

#include <stdint.h>

#include <uk/9p.h>

#define FAKE_SCRIPT_MAX 64
#define FAKE_LOG_MAX 64

/* reply flags */
#define FAKE_TAG 0x1     /* patch bytes 5..6 with the request's tag */
#define FAKE_SIZE 0x2    /* patch bytes 0..3 with the reply's length */
#define FAKE_FAIL 0x4    /* the transport fails (-EIO) */
#define FAKE_AUTO (FAKE_TAG | FAKE_SIZE)

struct fake_reply {
	uint8_t *bytes;
	uint32_t len;
	int flags;
};

struct fake_req {
	uint8_t *bytes;    /* the whole request */
	uint32_t len;
	uint8_t type;
	uint16_t tag;
};

struct fake_trans {
	struct uk_9p_trans t;
	struct fake_reply script[FAKE_SCRIPT_MAX];
	unsigned int head, tail;
	struct fake_req log[FAKE_LOG_MAX];
	unsigned int nlog;
	int rendezvous;      /* hold each rpc until this many are in flight */
	unsigned int in_flight;
	uint32_t lock, cond; /* futex words (uk/wait.h) */
};

/* A transport called tag with the given limits (nothing registered). */
void fake_init(struct fake_trans *f, const char *tag, uint32_t max_msize,
	       uint32_t max_requests);
/* Frees the script and the log. */
void fake_fini(struct fake_trans *f);
/* Queues a reply (copied). */
void fake_reply(struct fake_trans *f, const void *bytes, uint32_t len,
		int flags);
/* Replies left unanswered. */
unsigned int fake_pending(const struct fake_trans *f);

/* A little-endian reply builder (independent of the client's codec). */
struct rb {
	uint8_t b[65536];
	uint32_t n;
};
void rb_start(struct rb *r, uint8_t type);   /* size and tag patched later */
void rb8(struct rb *r, uint8_t v);
void rb16(struct rb *r, uint16_t v);
void rb32(struct rb *r, uint32_t v);
void rb64(struct rb *r, uint64_t v);
void rbstr(struct rb *r, const char *s);
void rbqid(struct rb *r, uint8_t type, uint32_t version, uint64_t path);
void rbbytes(struct rb *r, const void *p, uint32_t n);
/* Queues r with FAKE_AUTO (its size and the request's tag). */
void fake_send(struct fake_trans *f, const struct rb *r);

/* Little-endian field of a logged request at offset off. */
uint64_t req_le(const struct fake_req *q, uint32_t off, unsigned int n);

#endif
