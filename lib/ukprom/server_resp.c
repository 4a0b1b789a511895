/*
 * The exporter's responses: routing a parsed request to /metrics, the
 * index page, the read-only /store view, a route another library added
 * (uk_prom_route_add(): lib/procfs' /proc and /sys in the demo), or an
 * error, and producing the
 * bytes into the connection's fixed window.  Bodies that can outgrow the
 * window (a scrape, a listing of thousands of folders) are streamed: the
 * window is refilled from the encoder, or from the store listing resumed
 * by skipping the children already sent, framed in chunks for HTTP/1.1
 * and delimited by the close for HTTP/1.0.  HEAD answers carry the
 * Content-Length a GET would have (a dry run of the same body source)
 * and no body.  This file renders and never changes a connection's state
 * (server_conn.c sends what it renders).  Nothing here allocates.
 *
 * Choices: with basic authentication configured, every request without
 * valid credentials is 401 (the connection stays open); a request with
 * Transfer-Encoding, or a GET/HEAD with a body (Content-Length > 0), is
 * 400 and closes; another method is 405 and closes only if it announced
 * a body, which is never read.  The getter failures an encoding met are
 * counted (ukprom_getter_errors_total) when it ends.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <uk/assert.h>
#include <uk/store.h>

#include "server_impl.h"

#define CT_PLAIN "text/plain; charset=utf-8"
/* The protection space named in 401 answers. */
#define UK_PROM_REALM "ukmon"
#define CT_HTML "text/html; charset=utf-8"

/* Chunk framing: "hhhh\r\n" before the data, "\r\n" after, "0\r\n\r\n". */
#define CHUNK_HDR 6
#define CHUNK_END 2
#define LAST_CHUNK "0\r\n\r\n"
#define LAST_LEN 5
_Static_assert(_UKP_WBUF < 0x10000, "chunk sizes are four hex digits");

static const char index_html[] =
	"<!DOCTYPE html>\n<html><head><title>ukmon exporter</title></head>\n"
	"<body><h1>ukmon exporter</h1>\n<ul>\n"
	"<li><a href=\"/metrics\">/metrics</a> (Prometheus, OpenMetrics)</li>\n"
	"<li><a href=\"/store/\">/store/</a> (the store, read-only)</li>\n"
	"</ul></body></html>\n";

static const char *conn_hdr(int close, int keep_alive_hdr)
{
	if (close)
		return "Connection: close\r\n";
	return keep_alive_hdr ? "Connection: keep-alive\r\n" : "";
}

/* See server_impl.h.  Returns the length (truncated to size - 1). */
size_t _uk_prom_resp_format_error(char *buf, size_t size,
				  unsigned int status, int head, int close,
				  int keep_alive_hdr)
{
	const char *reason = uk_prom_http_reason(status);
	int body = (int)strlen(reason) + 5, n;

	n = snprintf(buf, size,
		     "HTTP/1.1 %u %s\r\nContent-Type: " CT_PLAIN "\r\n"
		     "Content-Length: %d\r\n%s%s%s%s\r\n",
		     status, reason, body,
		     status == 405 ? "Allow: GET, HEAD\r\n" : "",
		     status == 503 ? "Retry-After: 1\r\n" : "",
		     status == 401 ? "WWW-Authenticate: Basic realm=\""
		     UK_PROM_REALM "\", charset=\"UTF-8\"\r\n" : "",
		     conn_hdr(close, keep_alive_hdr));
	if (!head && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, "%u %s\n", status,
			      reason);
	if (n < 0)
		return 0;
	return (size_t)n >= size ? size - 1 : (size_t)n;
}

/* The connection keeps "Connection: keep-alive" for HTTP/1.0 peers. */
static int ka_hdr(const struct uk_prom_http_req *req)
{
	return req && req->minor == 0;
}

static void error_resp(struct _uk_prom_conn *c, unsigned int status,
		       const struct uk_prom_http_req *req, int head, int close)
{
	c->close_after = (uint8_t)close;
	c->gen = _UKP_GEN_NONE;
	c->scrape = 0;
	c->woff = 0;
	c->wlen = (uint32_t)_uk_prom_resp_format_error(c->wbuf, _UKP_WBUF,
						       status, head, close,
						       ka_hdr(req));
	_uk_prom_stats_error(status);
}

/* See server_impl.h. */
void _uk_prom_resp_error(struct _uk_prom_conn *c, unsigned int status,
			 int head, int close)
{
	error_resp(c, status, NULL, head, close);
}

/* Writes the status line and headers; returns their length. */
static uint32_t headers(struct _uk_prom_conn *c, const char *ctype,
			int64_t length, const struct uk_prom_http_req *req)
{
	char len[48];
	int n;

	if (length >= 0)
		snprintf(len, sizeof(len), "Content-Length: %lld\r\n",
			 (long long)length);
	else
		strcpy(len, c->chunked ? "Transfer-Encoding: chunked\r\n" : "");
	n = snprintf(c->wbuf, _UKP_WBUF,
		     "HTTP/1.1 200 OK\r\nContent-Type: %s\r\n%s%s\r\n",
		     ctype, len, conn_hdr(c->close_after, ka_hdr(req)));
	return (uint32_t)n;
}

/* A fixed body: headers, then the body unless HEAD. */
static void fixed_resp(struct _uk_prom_conn *c, const char *ctype,
		       const char *body, size_t blen, int head,
		       const struct uk_prom_http_req *req)
{
	c->gen = _UKP_GEN_NONE;
	c->wlen = headers(c, ctype, (int64_t)blen, req);
	if (!head) {
		if (blen > _UKP_WBUF - c->wlen)
			blen = _UKP_WBUF - c->wlen;
		memmove(c->wbuf + c->wlen, body, blen);
		c->wlen += (uint32_t)blen;
	}
}

/* ---- store listing ------------------------------------------------ */

struct list_ctx {
	char *buf;
	size_t cap, len;
	uint32_t skip, emitted;
	int counting;    /* only add up the length */
};

/*
 * A folder name may hold any byte but '/', newlines included, so a
 * listing line escapes '%' and control bytes as %XX: each line stays one
 * line and reads back as a path segment to request.
 */
static int needs_escape(unsigned char ch)
{
	return ch == '%' || ch < 0x20 || ch == 0x7f;
}

static int list_child(void *arg, const char *name, int is_dir)
{
	static const char xd[] = "0123456789ABCDEF";
	struct list_ctx *l = arg;
	const unsigned char *p;
	size_t n = (is_dir ? 2 : 1);
	char *o;

	if (l->skip) {
		l->skip--;
		return 0;
	}
	for (p = (const unsigned char *)name; *p; p++)
		n += needs_escape(*p) ? 3 : 1;
	if (l->counting) {
		l->len += n;
		return 0;
	}
	if (l->len + n > l->cap)
		return 1;
	o = l->buf + l->len;
	for (p = (const unsigned char *)name; *p; p++) {
		if (needs_escape(*p)) {
			*o++ = '%';
			*o++ = xd[*p >> 4];
			*o++ = xd[*p & 15];
		} else {
			*o++ = (char)*p;
		}
	}
	if (is_dir)
		*o++ = '/';
	*o = '\n';
	l->len += n;
	l->emitted++;
	return 0;
}

static int probe_child(void *arg, const char *name, int is_dir)
{
	return 1;
}

/* ---- streaming bodies ----------------------------------------------- */

/* Ends an encoding, counting the getter failures it met. */
static void enc_end(struct uk_prom_enc *e)
{
	if (e->getter_errors)
		_uk_prom_stats_getter_errors(e->getter_errors);
	uk_prom_enc_fini(e);
}

/* Fills buf[0..cap) from c's body source; sets *done at its end. */
static size_t source_read(struct _uk_prom_conn *c, char *buf, size_t cap,
			  int *done)
{
	struct list_ctx l;
	size_t n = 0, k;
	int r;

	*done = 0;
	if (c->gen == _UKP_GEN_METRICS) {
		while (n < cap) {
			k = uk_prom_enc_read(&c->enc, buf + n, cap - n);
			if (!k) {
				enc_end(&c->enc);
				*done = 1;
				break;
			}
			n += k;
		}
		return n;
	}
	memset(&l, 0, sizeof(l));
	l.buf = buf;
	l.cap = cap;
	l.skip = c->list_skip;
	r = uk_store_list(c->path, list_child, &l);
	c->list_skip += l.emitted;
	/* A listing that shrank or vanished meanwhile simply ends. */
	if (r != 1)
		*done = 1;
	return l.len;
}

/* Appends one unit from c's body source at w (with _UKP_WBUF bytes of
 * room); returns its length. */
static size_t fill_unit(struct _uk_prom_conn *c, char *w)
{
	static const char xd[] = "0123456789abcdef";
	size_t n, len = 0;
	int done;

	if (!c->chunked) {
		n = source_read(c, w, _UKP_WBUF, &done);
		if (done)
			c->gen = _UKP_GEN_NONE;
		return n;
	}
	n = source_read(c, w + CHUNK_HDR,
			_UKP_WBUF - CHUNK_HDR - CHUNK_END - LAST_LEN, &done);
	if (n) {
		/* A unit is under 64 KiB: four hex digits always do. */
		w[0] = xd[(n >> 12) & 15];
		w[1] = xd[(n >> 8) & 15];
		w[2] = xd[(n >> 4) & 15];
		w[3] = xd[n & 15];
		w[4] = '\r';
		w[5] = '\n';
		memcpy(w + CHUNK_HDR + n, "\r\n", CHUNK_END);
		len = CHUNK_HDR + n + CHUNK_END;
	}
	if (done) {
		memcpy(w + len, LAST_CHUNK, LAST_LEN);
		len += LAST_LEN;
		c->gen = _UKP_GEN_NONE;
	}
	return len;
}

/* See server_impl.h. */
void _uk_prom_resp_fill(struct _uk_prom_conn *c)
{
	size_t n;

	UK_ASSERT(c->wlen <= c->wcap);
	while (c->gen != _UKP_GEN_NONE && c->wcap - c->wlen >= _UKP_WBUF) {
		n = fill_unit(c, c->wbuf + c->wlen);
		/* A listing line longer than a unit: the body ends here. */
		if (!n)
			break;
		c->wlen += (uint32_t)n;
	}
}

/* See server_impl.h. */
void _uk_prom_resp_abort(struct _uk_prom_conn *c)
{
	if (c->gen == _UKP_GEN_METRICS)
		enc_end(&c->enc);
	c->gen = _UKP_GEN_NONE;
}

/* Starts a streamed body after the headers in the window. */
static void stream_resp(struct _uk_prom_conn *c, const char *ctype, int gen,
			const struct uk_prom_http_req *req)
{
	c->gen = (uint8_t)gen;
	c->chunked = req->minor >= 1;
	if (!c->chunked)
		c->close_after = 1;
	c->wlen = headers(c, ctype, -1, req);
}

/* ---- routes ------------------------------------------------------------- */

static void metrics(struct _uk_prom_conn *c, struct uk_prom_http_req *req,
		    int head)
{
	enum uk_prom_format fmt;
	const char *ct;
	int64_t total = 0;
	size_t k;

	if (req->accept)
		((char *)req->accept)[req->accept_len] = '\0';
	fmt = uk_prom_negotiate(req->accept);
	ct = fmt == UK_PROM_FMT_OPENMETRICS ? UK_PROM_CT_OPENMETRICS
		: UK_PROM_CT_TEXT;
	if (head) {
		/* The window is free: use it for a dry run of the body. */
		uk_prom_enc_init(&c->enc, fmt);
		while ((k = uk_prom_enc_read(&c->enc, c->wbuf, _UKP_WBUF)))
			total += (int64_t)k;
		enc_end(&c->enc);
		fixed_resp(c, ct, NULL, (size_t)total, 1, req);
		return;
	}
	uk_prom_enc_init(&c->enc, fmt);
	c->fmt = (uint8_t)fmt;
	c->scrape = 1;
	_uk_prom_stats_scrape(fmt);
	stream_resp(c, ct, _UKP_GEN_METRICS, req);
}

/* Strips the slashes around a store path, in place. */
static char *store_path(char *p)
{
	size_t n;

	while (*p == '/')
		p++;
	n = strlen(p);
	while (n && p[n - 1] == '/')
		p[--n] = '\0';
	return p;
}

static void store(struct _uk_prom_conn *c, struct uk_prom_http_req *req,
		  char *path, int head)
{
	struct uk_store_ref ref;
	struct uk_store_value v;
	struct list_ctx l;
	char *body;
	size_t room;
	int r;

	path = store_path(path);
	if (path != c->path)
		memmove(c->path, path, strlen(path) + 1);
	r = uk_store_list(c->path, probe_child, NULL);
	if (r >= 0) {
		c->list_skip = 0;
		if (!head) {
			stream_resp(c, CT_PLAIN, _UKP_GEN_LIST, req);
			return;
		}
		memset(&l, 0, sizeof(l));
		l.counting = 1;
		uk_store_list(c->path, list_child, &l);
		fixed_resp(c, CT_PLAIN, NULL, l.len, 1, req);
		return;
	}
	if (r != -ENOTDIR || uk_store_lookup(c->path, &ref)) {
		error_resp(c, 404, req, head, c->close_after);
		return;
	}
	r = uk_store_read(&ref, &v);
	/* Format in the window's far half; the headers go first. */
	body = c->wbuf + _UKP_WBUF / 2;
	room = _UKP_WBUF / 2 - 1;
	if (!r)
		r = uk_store_value_format(&v, body, room);
	uk_store_ref_put(&ref);
	if (r < 0 || (size_t)r >= room) {
		error_resp(c, 500, req, head, c->close_after);
		return;
	}
	body[r++] = '\n';
	fixed_resp(c, CT_PLAIN, body, (size_t)r, head, req);
}

/* Routes added with uk_prom_route_add(): set before requests come, read
 * by the exporter threads. */
static struct {
	char prefix[32];
	size_t len;
	uk_prom_route_fn fn;
	void *arg;
} routes[UK_PROM_ROUTES_MAX];

/* See uk/prom.h. */
int uk_prom_route_add(const char *prefix, uk_prom_route_fn fn, void *arg)
{
	size_t n = prefix ? strlen(prefix) : 0;
	unsigned int i;

	if (!fn || n < 2 || n >= sizeof(routes[0].prefix) ||
	    prefix[0] != '/' || prefix[n - 1] == '/' ||
	    !strcmp(prefix, "/metrics") || !strcmp(prefix, "/store"))
		return -EINVAL;
	for (i = 0; i < UK_PROM_ROUTES_MAX; i++)
		if (routes[i].fn && !strcmp(routes[i].prefix, prefix))
			return -EEXIST;
	for (i = 0; i < UK_PROM_ROUTES_MAX; i++) {
		if (routes[i].fn)
			continue;
		memcpy(routes[i].prefix, prefix, n + 1);
		routes[i].len = n;
		routes[i].arg = arg;
		__atomic_store_n(&routes[i].fn, fn, __ATOMIC_RELEASE);
		return 0;
	}
	return -ENOSPC;
}

/* Serves p through a registered route: 1 if one took it, else 0. */
static int routed(struct _uk_prom_conn *c, struct uk_prom_http_req *req,
		  const char *p, int head)
{
	char *body = c->wbuf + _UKP_WBUF / 2;
	size_t len = 0;
	unsigned int i;
	int r;

	for (i = 0; i < UK_PROM_ROUTES_MAX; i++) {
		uk_prom_route_fn fn = __atomic_load_n(&routes[i].fn,
						      __ATOMIC_ACQUIRE);

		if (!fn || strncmp(p, routes[i].prefix, routes[i].len) ||
		    (p[routes[i].len] && p[routes[i].len] != '/'))
			continue;
		/* The body in the window's far half; headers go first. */
		r = fn(routes[i].arg, p, body, _UKP_WBUF / 2, &len);
		if (r == -ENOENT || r == -EISDIR)
			error_resp(c, 404, req, head, c->close_after);
		else if (r || len > _UKP_WBUF / 2)
			error_resp(c, 500, req, head, c->close_after);
		else
			fixed_resp(c, CT_PLAIN, body, len, head, req);
		return 1;
	}
	return 0;
}

/* See server_impl.h. */
void _uk_prom_resp_request(const struct uk_prom_server *s,
			   struct _uk_prom_conn *c,
			   struct uk_prom_http_req *req)
{
	int head = req->method == UK_PROM_HTTP_HEAD;
	char *p;

	c->woff = c->wlen = 0;
	c->gen = _UKP_GEN_NONE;
	c->scrape = 0;
	c->close_after = !req->keep_alive;
	if (req->has_te) {
		error_resp(c, 400, req, head, 1);
		return;
	}
	if (!_uk_prom_auth_check(&s->auth, req->authz, req->authz_len)) {
		error_resp(c, 401, req, head,
			   c->close_after || req->content_length > 0);
		return;
	}
	if (req->method == UK_PROM_HTTP_OTHER) {
		error_resp(c, 405, req, 0,
			   c->close_after || req->content_length > 0);
		return;
	}
	if (req->content_length > 0) {
		error_resp(c, 400, req, head, 1);
		return;
	}
	if (req->path_len + 1 > _UKP_PATH ||
	    uk_prom_http_pct_decode(req->path, req->path_len, c->path) < 0) {
		error_resp(c, 400, req, head, 1);
		return;
	}
	p = c->path;
	if (!strcmp(p, "/metrics"))
		metrics(c, req, head);
	else if (!strcmp(p, "/"))
		fixed_resp(c, CT_HTML, index_html, sizeof(index_html) - 1,
			   head, req);
	else if (!strcmp(p, "/store") || !strncmp(p, "/store/", 7))
		store(c, req, p + 6, head);
	else if (!routed(c, req, p, head))
		error_resp(c, 404, req, head, c->close_after);
}
