/*
 * The exporter server tests' fixture and client.  The fixture is a test
 * library "tsrv" (two static entries, thousands of folders so that
 * bodies and listings span several windows) and helpers to start a server,
 * read the store, and wait for the server's state rather than for a time
 * (ts_sync: a whole loop pass; ts_stuck: a connection that can no longer
 * move).  The client is a minimal raw-socket HTTP client: it
 * connects to 127.0.0.1, sends bytes exactly as given, and reads back one
 * response at a time from a buffered stream (so pipelined responses are
 * split correctly), decoding Content-Length, chunked and close-delimited
 * bodies.  Every read has a liveness bound (TS_LIVE_MS) so a broken
 * server fails a test instead of hanging it.  Test code: it uses libc directly.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/sockios.h>
#include <linux/tcp.h>

#include <uk/assert.h>
#include <uk/plat/time.h>
#include <uk/prom.h>
#include <uk/store.h>
#include <uk/thread.h>

#include "../server_impl.h"
#include "test_server_util.h"

/*
 * Connects to 127.0.0.1:port from the loopback address src (NULL: the
 * kernel's choice, 127.0.0.1).  Returns 0 or -1.
 */
int tc_open_from(struct tc *t, uint16_t port, const char *src)
{
	struct sockaddr_in sa;

	memset(t, 0, sizeof(*t));
	t->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (t->fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	if (src && (inet_pton(AF_INET, src, &sa.sin_addr) != 1 ||
		    bind(t->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)) {
		close(t->fd);
		t->fd = -1;
		return -1;
	}
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(t->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(t->fd);
		t->fd = -1;
		return -1;
	}
	return 0;
}

/* Connects to 127.0.0.1:port.  Returns 0 or -1. */
int tc_open(struct tc *t, uint16_t port, int rcvbuf)
{
	struct sockaddr_in sa;

	memset(t, 0, sizeof(*t));
	t->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (t->fd < 0)
		return -1;
	if (rcvbuf)
		setsockopt(t->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
			   sizeof(rcvbuf));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(t->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(t->fd);
		t->fd = -1;
		return -1;
	}
	return 0;
}

void tc_close(struct tc *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	free(t->buf);
	t->buf = NULL;
	t->len = t->cap = 0;
}

/* Closes with a reset (SO_LINGER 0) instead of a FIN. */
void tc_abort(struct tc *t)
{
	struct linger l = { 1, 0 };

	setsockopt(t->fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	tc_close(t);
}

/* Sends n bytes.  Returns 0 or -1. */
int tc_send(struct tc *t, const void *p, size_t n)
{
	const char *b = p;
	ssize_t r;

	while (n) {
		r = send(t->fd, b, n, MSG_NOSIGNAL);
		if (r <= 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

int tc_sends(struct tc *t, const char *s)
{
	return tc_send(t, s, strlen(s));
}

/* Reads more into the buffer.  Returns bytes read, 0 at EOF, -1. */
static int fill(struct tc *t, int ms)
{
	struct pollfd p = { t->fd, POLLIN, 0 };
	ssize_t r;

	if (t->cap - t->len < 65536) {
		t->cap = t->cap ? t->cap * 2 : 131072;
		t->buf = realloc(t->buf, t->cap + 1);
	}
	if (poll(&p, 1, ms) <= 0)
		return -1;
	r = recv(t->fd, t->buf + t->len, t->cap - t->len, 0);
	if (r < 0 && errno == ECONNRESET)
		t->reset = 1;
	if (r < 0)
		return t->reset ? 0 : -1;
	t->len += (size_t)r;
	t->buf[t->len] = '\0';
	return (int)r;
}

static void consume(struct tc *t, size_t n)
{
	memmove(t->buf, t->buf + n, t->len - n);
	t->len -= n;
	t->buf[t->len] = '\0';
}

/* Waits until the buffer holds n bytes.  Returns 0, or -1. */
static int need(struct tc *t, size_t n, int ms)
{
	while (t->len < n)
		if (fill(t, ms) <= 0)
			return -1;
	return 0;
}

/* The value of header name in r (case-insensitive), or NULL. */
const char *tc_header(const struct tc_resp *r, const char *name)
{
	static __thread char val[1024];
	const char *p = r->head;
	size_t n = strlen(name);

	while ((p = strchr(p, '\n'))) {
		p++;
		if (!strncasecmp(p, name, n) && p[n] == ':') {
			const char *v = p + n + 1, *e;

			while (*v == ' ')
				v++;
			e = strstr(v, "\r\n");
			if (!e || (size_t)(e - v) >= sizeof(val))
				return NULL;
			memcpy(val, v, (size_t)(e - v));
			val[e - v] = '\0';
			return val;
		}
	}
	return NULL;
}

void tc_resp_free(struct tc_resp *r)
{
	free(r->body);
	memset(r, 0, sizeof(*r));
}

static int body_append(struct tc_resp *r, const char *p, size_t n)
{
	r->body = realloc(r->body, r->body_len + n + 1);
	memcpy(r->body + r->body_len, p, n);
	r->body_len += n;
	r->body[r->body_len] = '\0';
	return 0;
}

/*
 * Reads one response (head is set for a HEAD request: no body follows).
 * Returns 0, or -1 on timeout, early close or a malformed response.
 */
int tc_read(struct tc *t, struct tc_resp *r, int head, int ms)
{
	const char *v;
	char *e;
	size_t hl, n;

	memset(r, 0, sizeof(*r));
	r->body = calloc(1, 1);
	while (!(e = t->buf ? strstr(t->buf, "\r\n\r\n") : NULL))
		if (fill(t, ms) <= 0)
			return -1;
	hl = (size_t)(e - t->buf) + 4;
	if (hl >= sizeof(r->head))
		return -1;
	memcpy(r->head, t->buf, hl);
	r->head[hl] = '\0';
	consume(t, hl);
	if (sscanf(r->head, "HTTP/1.1 %d ", &r->status) != 1)
		return -1;
	if (head)
		return 0;
	v = tc_header(r, "Transfer-Encoding");
	if (v && !strcmp(v, "chunked")) {
		r->chunked = 1;
		for (;;) {
			while (!(e = strstr(t->buf, "\r\n")))
				if (fill(t, ms) <= 0)
					return -1;
			n = strtoul(t->buf, NULL, 16);
			r->nchunks++;
			consume(t, (size_t)(e - t->buf) + 2);
			if (need(t, n + 2, ms))
				return -1;
			if (memcmp(t->buf + n, "\r\n", 2))
				return -1;
			body_append(r, t->buf, n);
			consume(t, n + 2);
			if (!n)
				return 0;
		}
	}
	v = tc_header(r, "Content-Length");
	if (v) {
		n = strtoul(v, NULL, 10);
		if (need(t, n, ms))
			return -1;
		body_append(r, t->buf, n);
		consume(t, n);
		return 0;
	}
	/* Delimited by the close. */
	for (;;) {
		int k = fill(t, ms);

		if (k < 0)
			return -1;
		if (!k)
			break;
	}
	body_append(r, t->buf, t->len);
	consume(t, t->len);
	r->closed = 1;
	return 0;
}

/* Whether the peer closes (EOF or reset) within ms, unread data aside. */
int tc_wait_closed(struct tc *t, int ms)
{
	int k;

	for (;;) {
		k = fill(t, ms);
		if (k == 0)
			return 1;
		if (k < 0)
			return 0;
	}
}

/* One request on a fresh connection; the response is in *r. */
int tc_get(uint16_t port, const char *req, struct tc_resp *r, int head)
{
	struct tc t;
	int rc;

	if (tc_open(&t, port, 0))
		return -1;
	rc = tc_sends(&t, req) ? -1 : tc_read(&t, r, head, TS_LIVE_MS);
	tc_close(&t);
	return rc;
}

/* ---- fixture ------------------------------------------------------ */

UK_STORE_LIBRARY(tsrv);

static int get_answer(void *cookie, uint64_t *out)
{
	*out = 42;
	return 0;
}

static int get_ratio(void *cookie, double *out)
{
	*out = 0.125;
	return 0;
}

static int get_hits(void *cookie, uint64_t *out)
{
	*out = (uint64_t)(uintptr_t)cookie;
	return 0;
}

UK_STORE_STATIC_ENTRY(tsrv, answer, u64, gauge, none, "The answer.",
		      get_answer, NULL, NULL);
UK_STORE_STATIC_ENTRY(tsrv, ratio, dbl, gauge, none, "A ratio.",
		      get_ratio, NULL, NULL);

const struct uk_store_entry ts_hits_tmpl[] = {
	UK_STORE_ENTRY(hits, u64, counter, none, "Hits per device.",
		       get_hits, NULL, NULL),
};

/* Creates the folders of tsrv once. */
void ts_store_setup(void)
{
	static int done;
	struct uk_store_folder *f;
	char name[32];
	int i;

	if (done)
		return;
	done = 1;
	uk_store_folder_add(&uk_store_lib_tsrv, "dev", "x y", ts_hits_tmpl, 1,
			    (void *)(uintptr_t)7, NULL, &f);
	uk_store_folder_add(&uk_store_lib_tsrv, "dev", "q\"%\xc3\xa9?",
			    ts_hits_tmpl, 1, (void *)(uintptr_t)9, NULL, &f);
	uk_store_folder_add(&uk_store_lib_tsrv, "dev", "two\nlines",
			    ts_hits_tmpl, 1, (void *)(uintptr_t)11, NULL, &f);
	for (i = 0; i < TS_NFOLDERS; i++) {
		snprintf(name, sizeof(name), "f%04d", i);
		uk_store_folder_add(&uk_store_lib_tsrv, "dev", name,
				    ts_hits_tmpl, 1, (void *)(uintptr_t)i,
				    NULL, &f);
	}
}

/*
 * The open-connection gauge is shared by every server of the process; a
 * test counts from its value when its server started, so that one that
 * failed half-way (and left connections open) does not fail the next.
 */
static uint64_t conns_base;

/*
 * A server with cfg, on 127.0.0.1 at an ephemeral port; or NULL.  Unless
 * cfg names a clock, the server runs on the injected one (below), which
 * stands still until a test moves it: no deadline passes because the
 * host is slow.
 */
struct uk_prom_server *ts_start_cfg(struct uk_prom_server_cfg *cfg)
{
	struct uk_prom_server *s = NULL;

	ts_store_setup();
	if (!cfg->clock_ns)
		cfg->clock_ns = ts_clock_ns;
	cfg->addr = "127.0.0.1";
	cfg->any_port = 1;
	conns_base = ts_sval("ukprom/connections");
	if (uk_prom_server_start(cfg, &s))
		return NULL;
	return s;
}

/* A server on 127.0.0.1, an ephemeral port, on the injected clock; 0
 * picks a default. */
struct uk_prom_server *ts_start(uint16_t max, uint32_t idle_ms,
				uint32_t head_ms, uint32_t send_ms)
{
	struct uk_prom_server_cfg cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.max_conns = max;
	cfg.idle_timeout_ms = idle_ms;
	cfg.head_timeout_ms = head_ms;
	cfg.send_timeout_ms = send_ms;
	return ts_start_cfg(&cfg);
}

/* ---- the injected clock: time stands still until a test moves it --- */

static uint64_t fake_ns = UK_NSEC_PER_SEC;

uint64_t ts_clock_ns(void)
{
	return __atomic_load_n(&fake_ns, __ATOMIC_ACQUIRE);
}

void ts_clock_advance_ms(uint64_t ms)
{
	__atomic_add_fetch(&fake_ns, ms * UK_NSEC_PER_MSEC, __ATOMIC_RELEASE);
}

/* An integer store value; all ones if missing. */
uint64_t ts_sval(const char *path)
{
	struct uk_store_value v;

	return uk_store_read_path(path, &v) ? (uint64_t)-1 : v.u;
}

void ts_sleep_ms(unsigned int ms)
{
	uk_thread_sleep_ns(ms * UK_NSEC_PER_MSEC);
}

/* The open connections counted since the last ts_start. */
uint64_t ts_conns(void)
{
	return ts_sval("ukprom/connections") - conns_base;
}

/* The waits below poll their state every millisecond, TS_LIVE_MS times
 * at most (at least as long: a liveness bound, see TS_LIVE_MS). */
#define TS_LIVENESS TS_LIVE_MS

/*
 * Waits until the open-connection gauge reads n more than when the test's
 * server started.  For changes that must come (an accept, a close that
 * the peer or a timer already caused).
 */
int ts_conns_settle(uint64_t n)
{
	int i;

	for (i = 0; i < TS_LIVENESS; i++) {
		if (ts_conns() == n)
			return 1;
		ts_sleep_ms(1);
	}
	return 0;
}

/*
 * Waits until s's loop has begun a whole pass after this call: it has
 * read the clock as the test set it, acted on due timers and on what the
 * sockets held by then.  Returns 1, or 0 past the liveness bound.
 */
int ts_sync(struct uk_prom_server *s)
{
	uint32_t p = _uk_prom_server_passes(s);
	int i;

	for (i = 0; i < TS_LIVENESS; i++) {
		if (_uk_prom_server_passes(s) - p >= 2)
			return 1;
		ts_sleep_ms(1);
	}
	return 0;
}

/* The server's end of t's connection (it runs in this process), or -1. */
static int server_end(const struct tc *t)
{
	struct sockaddr_in me, peer, a, b;
	socklen_t n;
	long max = sysconf(_SC_OPEN_MAX);
	int fd;

	n = sizeof(me);
	if (getsockname(t->fd, (struct sockaddr *)&me, &n))
		return -1;
	n = sizeof(peer);
	if (getpeername(t->fd, (struct sockaddr *)&peer, &n))
		return -1;
	for (fd = 0; fd < (max > 0 && max < 65536 ? max : 65536); fd++) {
		if (fd == t->fd)
			continue;
		n = sizeof(a);
		if (getsockname(fd, (struct sockaddr *)&a, &n) ||
		    a.sin_family != AF_INET)
			continue;
		n = sizeof(b);
		if (getpeername(fd, (struct sockaddr *)&b, &n))
			continue;
		if (a.sin_port == peer.sin_port &&
		    a.sin_addr.s_addr == peer.sin_addr.s_addr &&
		    b.sin_port == me.sin_port &&
		    b.sin_addr.s_addr == me.sin_addr.s_addr)
			return fd;
	}
	return -1;
}

/*
 * Whether nothing can move on t's connection any more while t reads
 * nothing: every byte t sent is acknowledged (so it is in the server's
 * socket), the window t advertises is shut, and every byte the server's
 * socket sent is acknowledged (so no acknowledgement still in flight can
 * make room in it).  From then on the server's socket never takes
 * another byte.
 */
static int frozen(const struct tc *t)
{
	struct tcp_info ti;
	socklen_t n = sizeof(ti);
	int q, fd;

	if (ioctl(t->fd, SIOCOUTQ, &q) || q)
		return 0;
	fd = server_end(t);
	if (fd < 0 || getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &n))
		return 0;
	UK_ASSERT(n >= offsetof(struct tcp_info, tcpi_snd_wnd) +
		  sizeof(ti.tcpi_snd_wnd));
	return ti.tcpi_snd_wnd == 0 && ti.tcpi_unacked == 0;
}

/*
 * Waits until t's connection is frozen (see frozen()) and s has then
 * begun a whole pass: s has sent what its socket still took, its requests
 * from t are all in its socket, and it is answering one that it cannot
 * finish.  From then on, s makes no progress on t until t reads.
 * Returns 1, or 0 past the liveness bound.
 */
int ts_stuck(struct uk_prom_server *s, const struct tc *t)
{
	int i;

	for (i = 0; !frozen(t); i++) {
		if (i == TS_LIVENESS)
			return 0;
		ts_sleep_ms(1);
	}
	return ts_sync(s);
}

/* The lines of library tsrv's families, in order. */
char *ts_tsrv_lines(const char *body)
{
	char *out = calloc(1, strlen(body) + 1);
	const char *p = body, *e;
	size_t o = 0;

	while (*p) {
		e = strchr(p, '\n');
		e = e ? e + 1 : p + strlen(p);
		if (!strncmp(p, "tsrv_", 5) ||
		    !strncmp(p, "# HELP tsrv_", 12) ||
		    !strncmp(p, "# TYPE tsrv_", 12) ||
		    !strncmp(p, "# UNIT tsrv_", 12)) {
			memcpy(out + o, p, (size_t)(e - p));
			o += (size_t)(e - p);
		}
		p = e;
	}
	return out;
}

/* tsrv's lines of a direct encoding (malloc'd). */
char *ts_direct(enum uk_prom_format fmt)
{
	struct uk_prom_enc *e = malloc(sizeof(*e));
	size_t cap = 1 << 20, len = 0, k;
	char *buf = malloc(cap + 1), *lines;

	uk_prom_enc_init(e, fmt);
	while ((k = uk_prom_enc_read(e, buf + len, 4096)) > 0) {
		len += k;
		if (cap - len < 4096)
			buf = realloc(buf, (cap *= 2) + 1);
	}
	buf[len] = '\0';
	lines = ts_tsrv_lines(buf);
	free(buf);
	free(e);
	return lines;
}

/* Opens n connections that each finished one request (so are accepted). */
int ts_open_idle(struct tc *t, int n, uint16_t port)
{
	struct tc_resp r;
	int i;

	for (i = 0; i < n; i++) {
		if (tc_open(&t[i], port, 0) ||
		    tc_sends(&t[i], "GET /store/tsrv/answer HTTP/1.1\r\n"
			     "Host: t\r\n\r\n") ||
		    tc_read(&t[i], &r, 0, TS_LIVE_MS) || r.status != 200)
			return 0;
		tc_resp_free(&r);
	}
	return 1;
}
