/*
 * A minimal raw-socket HTTP client for the exporter's server tests: it
 * connects to 127.0.0.1, sends bytes exactly as given, and reads back
 * one response at a time from a buffered stream (so pipelined responses
 * are split correctly), decoding Content-Length, chunked and
 * close-delimited bodies.  Every read has a timeout so a broken server
 * fails a test instead of hanging it.  Test code: it uses libc directly.
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
#include <sys/socket.h>

#include "test_server_util.h"

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
	if (r < 0)
		return errno == ECONNRESET ? 0 : -1;
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
	rc = tc_sends(&t, req) ? -1 : tc_read(&t, r, head, 5000);
	tc_close(&t);
	return rc;
}
