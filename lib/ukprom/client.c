/*
 * ukprom's small HTTP/1.1 client: one POST per connection, the body in
 * chunked transfer coding, everything before one deadline (contract in
 * client.h).  It exists for pushing the store to a Prometheus
 * Pushgateway (push.c), so it knows only what that needs: IPv4
 * addresses, no redirects, no keep-alive, no TLS, no authentication.
 *
 * Chunked coding rather than a Content-Length lets the body be encoded
 * once, as it is sent: a length computed by a first pass could disagree
 * with the second (a counter that gains a digit in between, a folder
 * that comes or goes), and a wrong length is a corrupt request.
 *
 * The response head is parsed by _uk_prom_resp_head_parse(), a pure
 * function (the fuzz-free cousin of http.c's request parser: a response
 * is much simpler and only its status matters).  For an error status,
 * the first line of the body (the Pushgateway says there what was wrong)
 * is read for a short while into the result's message.
 *
 * Closing: after a 2xx response the connection is closed gracefully (the
 * server, told Connection: close, closes first or at once); on every
 * other end it is reset, so that no TCP state outlives the exchange (on
 * kvm, lwIP's connection pool is fixed).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <uk/assert.h>
#include <uk/plat/time.h>

#include "client.h"
#include "server_impl.h"

#define MS (UK_NSEC_PER_MSEC)
/* Room before a chunk's data for its size line, "XXXXXXXX\r\n". */
#define CHUNK_HDR 10
/* How long an error response's body may take after its head. */
#define ERR_BODY_NS (250 * MS)

/* ---- the response head ------------------------------------------------ */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + 'a' - 'A') : c;
}

/* Whether s[0..n) equals the lower-case word w, ignoring case. */
static int word_eq(const char *s, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!w[i] || lower(s[i]) != w[i])
			return 0;
	return !w[n];
}

/* A token character of RFC 9110 (field names). */
static int is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       is_digit(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* A byte allowed in a reason phrase or a field value. */
static int is_text(char c)
{
	unsigned char u = (unsigned char)c;

	return u == '\t' || (u >= 0x20 && u != 0x7f);
}

/*
 * Finds the end of the line starting at off: sets *end to the index of
 * its terminator (the CR of CRLF, or the LF) and *next past it.  Returns
 * 0, -EAGAIN if the line is not complete yet, -EPROTO for a CR not
 * followed by LF or a byte not allowed in a line.
 */
static int line_end(const char *b, size_t len, size_t off, size_t *end,
		    size_t *next)
{
	size_t i;

	for (i = off; i < len; i++) {
		if (b[i] == '\n') {
			*end = i;
			*next = i + 1;
			return 0;
		}
		if (b[i] == '\r') {
			if (i + 1 == len)
				return -EAGAIN;
			if (b[i + 1] != '\n')
				return -EPROTO;
			*end = i;
			*next = i + 2;
			return 0;
		}
		if (!is_text(b[i]))
			return -EPROTO;
	}
	return -EAGAIN;
}

static int parse_status_line(const char *b, size_t len,
			     struct _uk_prom_resp_head *h, size_t *next)
{
	static const char pfx[] = "HTTP/1.";
	size_t i, end;
	int rc;

	/* Reject a wrong prefix as soon as its first bytes are in. */
	for (i = 0; i < sizeof(pfx) - 1 && i < len; i++)
		if (b[i] != pfx[i])
			return -EPROTO;
	if (len > 7 && !is_digit(b[7]))
		return -EPROTO;
	if (len > 8 && b[8] != ' ')
		return -EPROTO;
	for (i = 9; i < 12 && i < len; i++)
		if (!is_digit(b[i]))
			return -EPROTO;
	if (len > 12 && b[12] != ' ' && b[12] != '\r' && b[12] != '\n')
		return -EPROTO;
	rc = line_end(b, len, len < 12 ? len : 12, &end, next);
	if (rc)
		return rc;
	if (end < 12)
		return -EPROTO;
	h->status = (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
	if (h->status < 100 || h->status > 599)
		return -EPROTO;
	h->reason = b + (end > 12 ? 13 : 12);
	h->reason_len = end > 12 ? end - 13 : 0;
	return 0;
}

/* Acts on one header field line b[off..end). */
static int parse_field(const char *b, size_t off, size_t end,
		       struct _uk_prom_resp_head *h)
{
	size_t i = off, ns, vs, ve;
	int64_t v;

	while (i < end && is_tchar(b[i]))
		i++;
	if (i == off || i == end || b[i] != ':')
		return -EPROTO;
	ns = i - off;
	vs = i + 1;
	while (vs < end && (b[vs] == ' ' || b[vs] == '\t'))
		vs++;
	ve = end;
	while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t'))
		ve--;
	if (word_eq(b + off, ns, "content-length")) {
		if (vs == ve)
			return -EPROTO;
		for (v = 0, i = vs; i < ve; i++) {
			if (!is_digit(b[i]) || v > (INT64_MAX - 9) / 10)
				return -EPROTO;
			v = v * 10 + (b[i] - '0');
		}
		if (h->content_length >= 0 && h->content_length != v)
			return -EPROTO;
		h->content_length = v;
	} else if (word_eq(b + off, ns, "transfer-encoding")) {
		/* The last coding decides how the body ends. */
		i = ve;
		while (i > vs && b[i - 1] != ',' && b[i - 1] != ' ')
			i--;
		h->chunked = word_eq(b + i, ve - i, "chunked");
	}
	return 0;
}

/*
 * Parses a response head at the start of buf[0..len).  Returns 0 (head
 * complete), -EAGAIN (incomplete but valid so far) or -EPROTO.
 */
int _uk_prom_resp_head_parse(const char *buf, size_t len,
			     struct _uk_prom_resp_head *h)
{
	size_t off, end, next;
	int rc;

	memset(h, 0, sizeof(*h));
	h->content_length = -1;
	rc = parse_status_line(buf, len, h, &off);
	if (rc)
		return rc;
	for (;;) {
		rc = line_end(buf, len, off, &end, &next);
		if (rc)
			return rc;
		if (end == off) {
			h->head_len = next;
			return 0;
		}
		/* Obsolete line folding is refused, as by most clients. */
		if (buf[off] == ' ' || buf[off] == '\t')
			return -EPROTO;
		rc = parse_field(buf, off, end, h);
		if (rc)
			return rc;
		off = next;
	}
}

/* ---- the exchange ------------------------------------------------------ */

static void set_msg(struct _uk_prom_post_result *res, const char *s)
{
	size_t n = strlen(s);

	if (n >= sizeof(res->msg))
		n = sizeof(res->msg) - 1;
	memcpy(res->msg, s, n);
	res->msg[n] = '\0';
}

/* Appends b[0..n) to res->msg, printable ASCII only, up to a newline. */
static void add_msg(struct _uk_prom_post_result *res, const char *b,
		    size_t n)
{
	size_t at = strlen(res->msg), i;

	for (i = 0; i < n && at + 1 < sizeof(res->msg); i++) {
		if (b[i] == '\r' || b[i] == '\n')
			break;
		res->msg[at++] = (b[i] >= 0x20 && b[i] < 0x7f) ? b[i] : '?';
	}
	res->msg[at] = '\0';
}

static uint64_t now_ns(const struct _uk_prom_post *q)
{
	return q->clock_ns ? q->clock_ns() : uk_plat_time_mono_ns();
}

/*
 * Waits for events on fd until deadline, in slices, watching the cancel
 * flag.  Returns the events (_UKP_EV_*), -ETIMEDOUT, -ECANCELED or the
 * socket layer's error.
 */
static int wait_io(const struct _uk_prom_post *q, int fd, unsigned int ev,
		   uint64_t deadline)
{
	uint64_t now, left;
	int r;

	for (;;) {
		if (q->cancel && __atomic_load_n(q->cancel, __ATOMIC_ACQUIRE))
			return -ECANCELED;
		now = now_ns(q);
		if (now >= deadline)
			return -ETIMEDOUT;
		left = (deadline - now + MS - 1) / MS;
		if (left > _UKP_CLIENT_SLICE_MS)
			left = _UKP_CLIENT_SLICE_MS;
		r = _uk_prom_sock_wait(fd, ev, (int)left);
		if (r)
			return r;
	}
}

/* The error a failed connection reports, or -ECONNRESET. */
static int sock_error(int fd)
{
	int rc = _uk_prom_sock_connect_result(fd);

	return rc ? rc : -ECONNRESET;
}

/*
 * One exchange: the request, its connection, and what the server sent
 * while the request was still going out (pre), which the response's
 * reading starts from.
 */
struct xfer {
	const struct _uk_prom_post *q;
	int fd;
	size_t pre_len;
	char pre[512];
};

/*
 * The server sent something while the request is going out: reads it
 * into x->pre and drops interim (1xx) responses, which a server may
 * send unasked.  Returns 0 to go on sending, 1 when a final response (or
 * the end of the stream, or something malformed) has begun, for
 * read_response to take over, or a negative errno.
 */
static int early_input(struct xfer *x)
{
	struct _uk_prom_resp_head h;
	long r;
	int rc;

	r = _uk_prom_sock_recv(x->fd, x->pre + x->pre_len,
			       sizeof(x->pre) - x->pre_len);
	if (r == -EAGAIN)
		return 0;
	if (r < 0)
		return r == -EPIPE ? -ECONNRESET : (int)r;
	if (!r)
		return 1;
	x->pre_len += (size_t)r;
	for (;;) {
		rc = _uk_prom_resp_head_parse(x->pre, x->pre_len, &h);
		if (rc == -EAGAIN)
			return x->pre_len == sizeof(x->pre);
		if (rc || h.status >= 200 || h.status == 101)
			return 1;
		memmove(x->pre, x->pre + h.head_len, x->pre_len - h.head_len);
		x->pre_len -= h.head_len;
	}
}

/*
 * Sends b[0..n).  Returns 0 when all is sent, 1 when a final response
 * started to arrive first (the rest is not sent), or a negative errno.
 */
static int send_all(struct xfer *x, const char *b, size_t n)
{
	long r;
	int ev, rc;

	/* A server that answered already (refusing early) is heard first. */
	ev = _uk_prom_sock_wait(x->fd, _UKP_EV_IN, 0);
	if (ev > 0 && (rc = early_input(x)))
		return rc;
	while (n) {
		r = _uk_prom_sock_send(x->fd, b, n);
		if (r > 0) {
			b += r;
			n -= (size_t)r;
			continue;
		}
		if (r != -EAGAIN && r != 0)
			return r == -EPIPE ? -ECONNRESET : (int)r;
		ev = wait_io(x->q, x->fd, _UKP_EV_OUT | _UKP_EV_IN,
			     x->q->deadline_ns);
		if (ev < 0)
			return ev;
		if ((ev & _UKP_EV_IN) && (rc = early_input(x)))
			return rc;
		if ((ev & (_UKP_EV_ERR | _UKP_EV_HUP)) &&
		    !(ev & (_UKP_EV_OUT | _UKP_EV_IN)))
			return sock_error(x->fd);
	}
	return 0;
}

/* Writes the request head into q->buf; returns its length or -EINVAL. */
static int render_head(const struct _uk_prom_post *q)
{
	const char *ct = q->content_type;
	char port[8];
	const char *const parts[] = {
		"POST ", q->target, " HTTP/1.1\r\nHost: ", q->addr, ":", port,
		"\r\nUser-Agent: ukmon-ukprom\r\n",
		ct ? "Content-Type: " : "", ct ? ct : "", ct ? "\r\n" : "",
		"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
	};
	size_t at = 0, n, i;

	snprintf(port, sizeof(port), "%u", (unsigned int)q->port);
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		n = strlen(parts[i]);
		if (at + n >= q->size)
			return -EINVAL;
		memcpy(q->buf + at, parts[i], n);
		at += n;
	}
	return (int)at;
}

/* Writes v in hex just before end; returns the number of digits. */
static size_t put_hex(char *end, size_t v)
{
	static const char hex[] = "0123456789abcdef";
	size_t k = 0;

	do {
		*--end = hex[v & 0xf];
		v >>= 4;
		k++;
	} while (v);
	return k;
}

/*
 * Sends the head and the whole body, chunk by chunk, each chunk's size
 * line written just before its data so that a chunk is one send.
 * Returns 0, 1 (a response came early), or a negative errno.
 */
static int send_request(struct xfer *x, struct _uk_prom_post_result *res)
{
	const struct _uk_prom_post *q = x->q;
	size_t n, at, room = q->size - CHUNK_HDR - 2;
	int rc;

	rc = render_head(q);
	if (rc < 0) {
		set_msg(res, "request target too long for the buffer");
		return rc;
	}
	rc = send_all(x, q->buf, (size_t)rc);
	while (!rc) {
		n = q->body(q->cookie, q->buf + CHUNK_HDR, room);
		if (!n)
			return send_all(x, "0\r\n\r\n", 5);
		UK_ASSERT(n <= room);
		at = CHUNK_HDR - 2;
		q->buf[at] = '\r';
		q->buf[at + 1] = '\n';
		at -= put_hex(q->buf + at, n);
		q->buf[CHUNK_HDR + n] = '\r';
		q->buf[CHUNK_HDR + n + 1] = '\n';
		rc = send_all(x, q->buf + at, CHUNK_HDR + n + 2 - at);
		if (rc >= 0)
			res->body_bytes += n;
	}
	return rc;
}

/*
 * Reads what follows an error response's head (already len bytes of
 * q->buf, the head being head_len of them) for a short while, and adds
 * the first line of the body to res->msg.
 */
static void read_error_body(const struct _uk_prom_post *q, int fd,
			    const struct _uk_prom_resp_head *h, size_t len,
			    struct _uk_prom_post_result *res)
{
	uint64_t deadline = now_ns(q) + ERR_BODY_NS;
	size_t want = sizeof(res->msg) + 16, at, end;
	const char *b;
	long r;

	if (deadline > q->deadline_ns)
		deadline = q->deadline_ns;
	if (h->content_length >= 0 && (uint64_t)h->content_length < want)
		want = (size_t)h->content_length + (h->chunked ? 16 : 0);
	while (len - h->head_len < want && len < q->size) {
		r = _uk_prom_sock_recv(fd, q->buf + len, q->size - len);
		if (r > 0) {
			len += (size_t)r;
			continue;
		}
		if (r != -EAGAIN ||
		    wait_io(q, fd, _UKP_EV_IN, deadline) < 0)
			break;
	}
	b = q->buf + h->head_len;
	at = 0;
	end = len - h->head_len;
	if (h->content_length >= 0 && (uint64_t)h->content_length < end)
		end = (size_t)h->content_length;
	if (h->chunked) {
		/* Skip the first chunk's size line. */
		while (at < end && b[at] != '\n')
			at++;
		at++;
	}
	while (at < end && (b[at] == ' ' || b[at] == '\t'))
		at++;
	if (at < end && b[at] != '\r' && b[at] != '\n') {
		add_msg(res, ": ", 2);
		add_msg(res, b + at, end - at);
	}
}

/*
 * Reads the final response head into q->buf, after what came early
 * (x->pre).  Returns its status, or a negative errno (with res->msg
 * saying what was wrong).
 */
static int read_response(struct xfer *x, struct _uk_prom_post_result *res)
{
	const struct _uk_prom_post *q = x->q;
	struct _uk_prom_resp_head h;
	size_t len = x->pre_len;
	int fd = x->fd;
	long r;
	int rc;

	memcpy(q->buf, x->pre, len);

	for (;;) {
		rc = _uk_prom_resp_head_parse(q->buf, len, &h);
		if (!rc && h.status < 200 && h.status != 101) {
			/* An interim response (100 Continue): the next. */
			memmove(q->buf, q->buf + h.head_len, len - h.head_len);
			len -= h.head_len;
			continue;
		}
		if (!rc)
			break;
		if (rc == -EPROTO) {
			set_msg(res, "malformed response head: ");
			add_msg(res, q->buf, len);
			return -EPROTO;
		}
		if (len == q->size) {
			set_msg(res, "response head too long");
			return -EPROTO;
		}
		r = _uk_prom_sock_recv(fd, q->buf + len, q->size - len);
		if (r > 0) {
			len += (size_t)r;
			continue;
		}
		if (!r) {
			set_msg(res, len ? "connection closed in the middle "
				"of the response head: " :
				"connection closed without a response");
			add_msg(res, q->buf, len);
			return -EPROTO;
		}
		if (r != -EAGAIN)
			return r == -EPIPE ? -ECONNRESET : (int)r;
		rc = wait_io(q, fd, _UKP_EV_IN, q->deadline_ns);
		if (rc < 0)
			return rc;
	}
	res->status = h.status;
	add_msg(res, h.reason, h.reason_len);
	if (h.status >= 300)
		read_error_body(q, fd, &h, len, res);
	return h.status;
}

/*
 * Makes the POST described by q.  Returns the final response's HTTP
 * status (100..599) or a negative errno; fills *res either way.
 */
int _uk_prom_post(const struct _uk_prom_post *q,
		  struct _uk_prom_post_result *res)
{
	struct xfer x;
	int rc, ev;
	long r;

	memset(res, 0, sizeof(*res));
	x.q = q;
	x.fd = -1;
	x.pre_len = 0;
	res->phase = _UKP_PHASE_CONNECT;
	if (!q->buf || q->size < _UKP_CLIENT_BUF_MIN || !q->body ||
	    !q->target || !q->addr) {
		set_msg(res, "bad request parameters");
		return -EINVAL;
	}
	rc = _uk_prom_sock_connect(q->addr, q->port, &x.fd);
	if (rc == -EINPROGRESS) {
		ev = wait_io(q, x.fd, _UKP_EV_OUT, q->deadline_ns);
		rc = ev < 0 ? ev : _uk_prom_sock_connect_result(x.fd);
	}
	/* A reset answering our SYN is a refusal (lwIP reports it so). */
	if (rc == -ECONNRESET)
		rc = -ECONNREFUSED;
	if (rc) {
		if (rc == -EINVAL)
			set_msg(res, "bad IPv4 address");
		goto out;
	}
	res->phase = _UKP_PHASE_SEND;
	rc = send_request(&x, res);
	/* A server that stopped reading may still have answered. */
	if (rc < 0 && rc != -ECONNRESET)
		goto out;
	res->phase = _UKP_PHASE_RESPONSE;
	if (rc == -ECONNRESET && !x.pre_len) {
		/* An answer read before the reset still counts. */
		r = _uk_prom_sock_recv(x.fd, x.pre, sizeof(x.pre));
		if (r <= 0) {
			res->phase = _UKP_PHASE_SEND;
			goto out;
		}
		x.pre_len = (size_t)r;
	}
	rc = read_response(&x, res);
	if (rc > 0)
		res->phase = _UKP_PHASE_DONE;
out:
	if (x.fd >= 0) {
		if (rc >= 200 && rc < 300)
			_uk_prom_sock_close(x.fd);
		else
			_uk_prom_sock_reset(x.fd);
	}
	return rc;
}
