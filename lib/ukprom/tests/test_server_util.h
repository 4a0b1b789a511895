/*
 * The fixture and raw-socket HTTP client of the exporter's server tests
 * (see test_server_util.c).
 */
#ifndef UKPROM_TEST_SERVER_UTIL_H
#define UKPROM_TEST_SERVER_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <uk/prom.h>
#include <uk/store.h>

struct tc {
	int fd;
	int reset;              /* the peer reset the connection */
	char *buf;
	size_t len, cap;
};

struct tc_resp {
	int status;
	int chunked;
	int nchunks;
	int closed;
	char head[8192];
	char *body;
	size_t body_len;
};

/*
 * How long the client waits for what must come (a response, a close, an
 * accept) before it fails instead of hanging: a liveness bound only, that
 * no outcome depends on, generous because a loaded host (or TSan) can
 * take seconds over what an idle one does at once.
 */
#define TS_LIVE_MS 60000

int tc_open(struct tc *t, uint16_t port, int rcvbuf);
int tc_open_from(struct tc *t, uint16_t port, const char *src);
void tc_close(struct tc *t);
void tc_abort(struct tc *t);
int tc_send(struct tc *t, const void *p, size_t n);
int tc_sends(struct tc *t, const char *s);
int tc_read(struct tc *t, struct tc_resp *r, int head, int ms);
int tc_wait_closed(struct tc *t, int ms);
const char *tc_header(const struct tc_resp *r, const char *name);
void tc_resp_free(struct tc_resp *r);
int tc_get(uint16_t port, const char *req, struct tc_resp *r, int head);

/* ---- fixture ---- */

#define TS_NFOLDERS 3000
#define TS_GET_METRICS "GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n"

UK_STORE_LIB_EXTERN(tsrv);
extern const struct uk_store_entry ts_hits_tmpl[];

void ts_store_setup(void);
struct uk_prom_server *ts_start(uint16_t max, uint32_t idle_ms,
				uint32_t head_ms, uint32_t send_ms);
struct uk_prom_server *ts_start_cfg(struct uk_prom_server_cfg *cfg);
uint64_t ts_clock_ns(void);
void ts_clock_advance_ms(uint64_t ms);
uint64_t ts_sval(const char *path);
void ts_sleep_ms(unsigned int ms);
uint64_t ts_conns(void);
int ts_conns_settle(uint64_t n);
int ts_sync(struct uk_prom_server *s);
int ts_stuck(struct uk_prom_server *s, const struct tc *t);
char *ts_tsrv_lines(const char *body);
char *ts_direct(enum uk_prom_format fmt);
int ts_open_idle(struct tc *t, int n, uint16_t port);

#endif
