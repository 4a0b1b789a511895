/*
 * Private to the exporter's server files: the server and connection
 * structures and the calls between the server's parts:
 *   sock.c         the socket layer, the only file with socket headers;
 *   server.c       start and stop, the poll loop, accepting;
 *   server_conn.c  a connection's life: states, transitions, timers,
 *                  eviction, closing (lingering or with a reset);
 *   server_resp.c  responses, rendered into a connection's window;
 *   server_stats.c the self-metrics (store library ukprom).
 * Everything a connection needs is allocated when the server starts;
 * serving a request allocates nothing.
 */
#ifndef UK_PROM_SERVER_IMPL_H
#define UK_PROM_SERVER_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <uk/alloc.h>
#include <uk/prom.h>

#include "access.h"
#include "http.h"

/*
 * Per-connection buffers: one request head, one window of response.  The
 * window is _UKP_WBUF bytes by default and a multiple of it up to
 * _UKP_WBUF_MAX when configured (uk_prom_server_cfg.window); a streamed
 * body is produced into it in units of _UKP_WBUF (one chunk each), so
 * the bytes on the wire do not depend on the window, only how many of
 * them each send() hands over.  Fixed responses use its first _UKP_WBUF.
 */
#define _UKP_RBUF UK_PROM_HTTP_HEAD_MAX
#define _UKP_WBUF 16384
#define _UKP_WBUF_MAX (1024 * 1024)
#define _UKP_PATH (UK_PROM_HTTP_TARGET_MAX + 1)

/*
 * Lingering close: after a last response (or a 503 to a newcomer) the
 * write side is shut and the peer's input read and discarded, so that
 * unread request bytes do not turn the close into a reset that destroys
 * the response before the peer reads it.  Bounded in time and bytes;
 * past either bound the connection is reset.
 */
#define _UKP_LINGER_MS 2000
#define _UKP_LINGER_BYTES (1024 * 1024)
/* Longest poll() when nothing is due, so that stop is noticed. */
#define _UKP_TICK_MS 500
/* Defaults of struct uk_prom_server_cfg. */
#define _UKP_DEF_CONNS 32
#define _UKP_DEF_HEAD_MS 2000
#define _UKP_DEF_IDLE_MS 30000
#define _UKP_DEF_SEND_MS 10000

/* ---- socket layer (sock.c) ------------------------------------------- */

#define _UKP_EV_IN  1u
#define _UKP_EV_OUT 2u
#define _UKP_EV_ERR 4u
#define _UKP_EV_HUP 8u

struct _uk_prom_pollset;

int _uk_prom_sock_listen(const char *addr, uint16_t port, int backlog,
			 int *fd, uint16_t *bound);
int _uk_prom_sock_accept(int lfd, uint32_t *peer);
long _uk_prom_sock_recv(int fd, void *buf, size_t n);
long _uk_prom_sock_send(int fd, const void *buf, size_t n);
void _uk_prom_sock_shutdown_wr(int fd);
void _uk_prom_sock_close(int fd);
void _uk_prom_sock_reset(int fd);
void _uk_prom_sock_poke(const char *addr, uint16_t port);
/* The push client's calls (client.c). */
int _uk_prom_sock_connect(const char *addr, uint16_t port, int *fd);
int _uk_prom_sock_connect_result(int fd);
int _uk_prom_sock_wait(int fd, unsigned int events, int timeout_ms);
struct _uk_prom_pollset *_uk_prom_pollset_create(struct uk_alloc *a,
						 unsigned int n);
void _uk_prom_pollset_destroy(struct uk_alloc *a,
			      struct _uk_prom_pollset *ps);
void _uk_prom_pollset_set(struct _uk_prom_pollset *ps, unsigned int i,
			  int fd, unsigned int events);
int _uk_prom_pollset_wait(struct _uk_prom_pollset *ps, unsigned int n,
			  int timeout_ms);
unsigned int _uk_prom_pollset_revents(const struct _uk_prom_pollset *ps,
				      unsigned int i);

/* ---- connections (server_conn.c) ------------------------------------ */

enum _ukp_state {
	_UKP_FREE = 0,
	_UKP_HEAD,      /* waiting for, or reading, a request head */
	_UKP_SEND,      /* a response is being written */
	_UKP_IDLE,      /* keep-alive, between requests, nothing buffered */
};

enum _ukp_gen {
	_UKP_GEN_NONE = 0,  /* the window holds the whole rest */
	_UKP_GEN_METRICS,   /* body streamed from the encoder */
	_UKP_GEN_LIST,      /* body streamed from a store listing */
};

struct _uk_prom_conn {
	int fd;
	uint8_t state;          /* enum _ukp_state (server_conn.c only) */
	/* The response being sent (server_resp.c fills these). */
	uint8_t gen;            /* enum _ukp_gen */
	uint8_t chunked;        /* body in chunked transfer coding */
	uint8_t close_after;    /* close once the response is out */
	uint8_t scrape;         /* the response is a GET /metrics */
	uint8_t fmt;            /* its enum uk_prom_format */
	uint32_t rlen;          /* bytes in rbuf */
	uint32_t wlen, woff;    /* window: filled, already sent */
	uint32_t wcap;          /* window size, a multiple of _UKP_WBUF */
	uint32_t list_skip;     /* children of path already listed */
	/* Timers (server_conn.c only). */
	uint64_t req_ns;        /* HEAD: when the request started */
	uint64_t last_ns;       /* SEND: last progress; IDLE: since when */
	uint64_t resp_ns;       /* when the response started */
	char *rbuf;             /* _UKP_RBUF */
	char *wbuf;             /* _UKP_WBUF */
	char *path;             /* _UKP_PATH: decoded path being served */
	struct uk_prom_enc enc;
};

/* A connection in its lingering close: no slot, no buffers. */
struct _uk_prom_linger {
	int fd;                 /* -1: unused */
	uint16_t off, len;      /* the server's 503: sent, to send */
	uint32_t left;          /* bytes still to discard */
	uint64_t until;
};

struct uk_prom_server {
	struct uk_alloc *a;
	uint64_t (*clock_ns)(void);
	char addr[16];
	uint16_t port;
	uint16_t max_conns;
	uint16_t nlinger;
	uint64_t head_ns, idle_ns, send_ns;
	struct _uk_prom_allow allow;
	struct _uk_prom_auth auth;
	int lfd;
	uint32_t stop;
	/* Passes of the loop begun (atomic; tests wait on it, see
	 * _uk_prom_server_passes). */
	uint32_t passes;
	uint32_t nconns;        /* connections in slots */
	/* Of them, reading a head or writing a response as the loop last
	 * began to wait (atomic; uk_prom_server_busy). */
	uint32_t busy;
	uint64_t accept_pause_until;
	struct uk_thread *thread;
	struct _uk_prom_pollset *ps;
	struct _uk_prom_conn **polled;  /* poll slot -> connection */
	struct _uk_prom_linger **polled_l; /* poll slot -> lingering one */
	struct _uk_prom_conn *conns;
	struct _uk_prom_linger *lingers;
	char *bufs;
	char *scratch;          /* _UKP_RBUF: where lingering input goes */
	char msg503[160];       /* the answer to a newcomer without a slot */
	uint16_t msg503_len;
};

/*
 * How many passes the server's loop has begun.  Each pass reads the
 * clock, acts on due timers, then on whatever poll() reports, so once the
 * count has moved by two since a test did something, a whole pass began
 * after it: tests wait on this instead of guessing a time.
 */
uint32_t _uk_prom_server_passes(const struct uk_prom_server *s);

/* Starts connection c (a free slot) on the accepted descriptor fd. */
void _uk_prom_conn_open(struct uk_prom_server *s, struct _uk_prom_conn *c,
			int fd, uint64_t now);
/* What poll() should watch on c (_UKP_EV_IN or _UKP_EV_OUT). */
unsigned int _uk_prom_conn_events(const struct _uk_prom_conn *c);
/* Acts on poll()'s report ev for c. */
void _uk_prom_conn_io(struct uk_prom_server *s, struct _uk_prom_conn *c,
		      unsigned int ev, uint64_t now);
/*
 * Acts on c's timer if it has passed.  Returns when c's timer is next
 * due, or 0 when c has none (free, or closed just now).
 */
uint64_t _uk_prom_conn_timer(struct uk_prom_server *s,
			     struct _uk_prom_conn *c, uint64_t now);
/*
 * The connection a newcomer should replace at the limit: the one whose
 * request head has been incomplete the longest, else the keep-alive
 * connection idle the longest.  NULL when every slot is answering.
 */
struct _uk_prom_conn *_uk_prom_conn_victim(const struct uk_prom_server *s);
/* Resets c to free its slot for a newcomer (counted as an eviction). */
void _uk_prom_conn_evict(struct uk_prom_server *s, struct _uk_prom_conn *c);
/* Resets every connection, lingering ones too (the server stops). */
void _uk_prom_conn_close_all(struct uk_prom_server *s);
/* Answers a newcomer that has no slot with 503, then lingers. */
void _uk_prom_conn_reject(struct uk_prom_server *s, int fd, uint64_t now);
/* What poll() should watch on a lingering connection. */
unsigned int _uk_prom_linger_events(const struct _uk_prom_linger *l);
/* Acts on poll()'s report for a lingering connection. */
void _uk_prom_linger_io(struct uk_prom_server *s, struct _uk_prom_linger *l);
/* Resets l if its time is up; returns when it is due, or 0 (closed). */
uint64_t _uk_prom_linger_timer(struct uk_prom_server *s,
			       struct _uk_prom_linger *l, uint64_t now);

/* ---- responses (server_resp.c) ---------------------------------------- */

/*
 * Renders the response to a parsed request on c (whose head is still in
 * c->rbuf) into c->wbuf, and sets c's response fields (body source,
 * close_after, scrape).
 */
void _uk_prom_resp_request(const struct uk_prom_server *s,
			   struct _uk_prom_conn *c,
			   struct uk_prom_http_req *req);
/* Renders an error response (closing afterwards when close is set). */
void _uk_prom_resp_error(struct _uk_prom_conn *c, unsigned int status,
			 int head, int close);
/*
 * Appends to c's window from its body source, one unit of _UKP_WBUF (a
 * chunk in chunked coding) at a time while a whole unit still fits
 * after c->wlen, so that one send() can carry several.  Sets c->gen to
 * NONE once the source has nothing more (after the last chunk).
 */
void _uk_prom_resp_fill(struct _uk_prom_conn *c);
/* Releases what a response stopped early still holds. */
void _uk_prom_resp_abort(struct _uk_prom_conn *c);
/* Formats a complete short error response into buf; returns its length. */
size_t _uk_prom_resp_format_error(char *buf, size_t size,
				  unsigned int status, int head, int close,
				  int keep_alive_hdr);

/* ---- self-metrics (server_stats.c) ------------------------------------ */

int _uk_prom_stats_init(void);
void _uk_prom_stats_scrape(unsigned int fmt);
void _uk_prom_stats_scrape_done(uint64_t ns);
void _uk_prom_stats_getter_errors(uint64_t n);
void _uk_prom_stats_error(unsigned int status);
void _uk_prom_stats_sent(uint64_t bytes);
void _uk_prom_stats_conns(int delta);
void _uk_prom_stats_evicted(void);
void _uk_prom_stats_rejected(void);
void _uk_prom_stats_denied(void);

#endif /* UK_PROM_SERVER_IMPL_H */
