/*
 * Private to the exporter's server files: the server and connection
 * structures, the socket layer (sock.c, the only file with socket
 * headers), the response builders (server_resp.c) and the self-metrics
 * (server_stats.c).  Everything a connection needs is allocated when the
 * server starts; serving a request allocates nothing.
 */
#ifndef UK_PROM_SERVER_IMPL_H
#define UK_PROM_SERVER_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <uk/alloc.h>
#include <uk/prom.h>

#include "http.h"

/* Per-connection buffers: one request head, one window of response. */
#define _UKP_RBUF UK_PROM_HTTP_HEAD_MAX
#define _UKP_WBUF 16384
#define _UKP_PATH (UK_PROM_HTTP_TARGET_MAX + 1)

/* Lingering close: how long a closing connection's input is drained. */
#define _UKP_DRAIN_MS 2000
/* Longest poll() when nothing is due, so that stop is noticed. */
#define _UKP_TICK_MS 500

/* ---- socket layer (sock.c) ------------------------------------------- */

#define _UKP_EV_IN  1u
#define _UKP_EV_OUT 2u
#define _UKP_EV_ERR 4u
#define _UKP_EV_HUP 8u

struct _uk_prom_pollset;

int _uk_prom_sock_listen(const char *addr, uint16_t port, int backlog,
			 int *fd, uint16_t *bound);
int _uk_prom_sock_accept(int lfd);
long _uk_prom_sock_recv(int fd, void *buf, size_t n);
long _uk_prom_sock_send(int fd, const void *buf, size_t n);
void _uk_prom_sock_shutdown_wr(int fd);
void _uk_prom_sock_close(int fd);
void _uk_prom_sock_poke(const char *addr, uint16_t port);
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

/* ---- connections ------------------------------------------------------ */

enum _ukp_state {
	_UKP_FREE = 0,
	_UKP_READ,      /* idle, or a request head arriving */
	_UKP_SEND,      /* a response is being written */
	_UKP_DRAIN,     /* response done, closing: discarding input */
};

enum _ukp_gen {
	_UKP_GEN_NONE = 0,  /* the window holds the whole rest */
	_UKP_GEN_METRICS,   /* body streamed from the encoder */
	_UKP_GEN_LIST,      /* body streamed from a store listing */
};

struct _uk_prom_conn {
	int fd;
	uint8_t state;          /* enum _ukp_state */
	uint8_t gen;            /* enum _ukp_gen */
	uint8_t chunked;        /* body in chunked transfer coding */
	uint8_t close_after;    /* close once the response is out */
	uint8_t scrape;         /* the response is a GET /metrics */
	uint8_t fmt;            /* its enum uk_prom_format */
	uint32_t rlen;          /* bytes in rbuf */
	uint32_t wlen, woff;    /* window: filled, already sent */
	uint32_t list_skip;     /* children of list_path already listed */
	uint64_t last_ns;       /* last byte in or out */
	uint64_t req_ns;        /* first byte of the pending request; 0 */
	uint64_t resp_ns;       /* when the response started */
	uint64_t drain_until;
	char *rbuf;             /* _UKP_RBUF */
	char *wbuf;             /* _UKP_WBUF */
	char *path;             /* _UKP_PATH: decoded path being served */
	struct uk_prom_enc enc;
};

struct uk_prom_server {
	struct uk_alloc *a;
	uint64_t (*clock_ns)(void);
	char addr[16];
	uint16_t port;
	uint16_t max_conns;
	uint64_t idle_ns, request_ns, grace_ns;
	int lfd;
	uint32_t stop;
	uint32_t nconns;
	uint64_t accept_pause_until;
	struct uk_thread *thread;
	struct _uk_prom_pollset *ps;
	struct _uk_prom_conn **polled;  /* poll slot i+1 -> connection */
	struct _uk_prom_conn *conns;
	char *bufs;
};

/* ---- responses (server_resp.c) ---------------------------------------- */

/*
 * Starts the response to a parsed request on c (whose head is still in
 * c->rbuf): fills c->wbuf and sets c's streaming state.
 */
void _uk_prom_resp_request(struct uk_prom_server *s, struct _uk_prom_conn *c,
			   struct uk_prom_http_req *req, uint64_t now);
/* Starts an error response (closes afterwards when close is set). */
void _uk_prom_resp_error(struct _uk_prom_conn *c, unsigned int status,
			 int head, int close);
/*
 * Refills the drained window from c's body source.  Leaves c->wlen 0 and
 * c->gen NONE when the source has nothing more.
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
void _uk_prom_stats_error(unsigned int status);
void _uk_prom_stats_sent(uint64_t bytes);
void _uk_prom_stats_conns(int delta);
void _uk_prom_stats_evicted(void);
void _uk_prom_stats_rejected(void);

#endif /* UK_PROM_SERVER_IMPL_H */
