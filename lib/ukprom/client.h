/*
 * ukprom's HTTP/1.1 client (private to ukprom: push.c and the tests).
 *
 * One call, _uk_prom_post(), makes one POST over a fresh connection
 * (Connection: close) through sock.c's socket layer: connect, the
 * request head, the body in chunked transfer coding pulled from a
 * callback in pieces of the caller's buffer, then the response head.
 * Everything happens before one absolute deadline on the caller's clock,
 * checked at least every _UKP_CLIENT_SLICE_MS (so an injected clock
 * drives the timeouts of a test, and a cancel flag is noticed quickly);
 * no byte the server sends extends it.  The client allocates nothing:
 * the caller's buffer holds the head, each chunk and then the response.
 *
 * A response that arrives before the whole body was sent (a server
 * refusing early) ends the sending and is read like any other.
 *
 * Results: the HTTP status (100..599) of the final response, or a
 * negative errno: -ECONNREFUSED (nothing listens; a reset answering the
 * SYN counts as a refusal), -ETIMEDOUT (the deadline passed), -ECONNRESET
 * (the connection was reset, or the server stopped reading), -EPROTO (a
 * malformed, partial or overlong response head, or a close before the
 * status line was complete), -ECANCELED (the cancel flag was set),
 * -EINVAL (a bad address or a buffer too small), or the socket layer's
 * error.  The result's phase says where it ended, and its msg says why
 * in words (the reason phrase, or the start of an error response's
 * body).
 */
#ifndef UK_PROM_CLIENT_H
#define UK_PROM_CLIENT_H

#include <stddef.h>
#include <stdint.h>

/* Longest wait between two looks at the clock and the cancel flag. */
#define _UKP_CLIENT_SLICE_MS 50
/* Smallest buffer the client works with (a head, a useful chunk). */
#define _UKP_CLIENT_BUF_MIN 512

/*
 * A body source: writes up to size bytes of the body into buf and
 * returns their number; 0 means the body is complete.
 */
typedef size_t (*_uk_prom_body_fn)(void *cookie, char *buf, size_t size);

struct _uk_prom_post {
	const char *addr;          /* IPv4, dotted */
	uint16_t port;
	const char *target;        /* request target, already escaped */
	const char *content_type;  /* NULL: none */
	_uk_prom_body_fn body;
	void *cookie;
	char *buf;                 /* scratch, at least _UKP_CLIENT_BUF_MIN */
	size_t size;
	uint64_t deadline_ns;      /* on clock_ns */
	uint64_t (*clock_ns)(void);
	const uint32_t *cancel;    /* read atomically; NULL: none */
};

enum _ukp_phase {
	_UKP_PHASE_CONNECT = 0,
	_UKP_PHASE_SEND,
	_UKP_PHASE_RESPONSE,
	_UKP_PHASE_DONE,
};

struct _uk_prom_post_result {
	int status;          /* the response's HTTP status; 0 if none */
	uint8_t phase;       /* enum _ukp_phase: where the exchange ended */
	uint64_t body_bytes; /* body bytes sent, chunk framing excluded */
	char msg[128];       /* printable ASCII, NUL-terminated; may be "" */
};

/*
 * Makes the POST described by q.  Returns the final response's HTTP
 * status or a negative errno (see above); fills *res either way.
 */
int _uk_prom_post(const struct _uk_prom_post *q,
		  struct _uk_prom_post_result *res);

/* What _uk_prom_resp_head_parse() found in a response head. */
struct _uk_prom_resp_head {
	int status;             /* 100..599 */
	size_t head_len;        /* bytes up to and including the blank line */
	int64_t content_length; /* -1: none */
	uint8_t chunked;        /* Transfer-Encoding ends with chunked */
	const char *reason;     /* inside the buffer; not NUL-terminated */
	size_t reason_len;
};

/*
 * Parses the response head at the start of buf[0..len): a status line
 * "HTTP/1.d DDD[ reason]" and header fields up to an empty line, lines
 * ending in CRLF or LF.  Returns 0 with *h filled when the head is
 * complete, -EAGAIN when more bytes are needed (what is there is valid
 * so far), -EPROTO when it is malformed.  Pure: no I/O, no state.
 */
int _uk_prom_resp_head_parse(const char *buf, size_t len,
			     struct _uk_prom_resp_head *h);

#endif /* UK_PROM_CLIENT_H */
