/*
 * The life of an exporter connection, all in this file: its states, the
 * transitions between them, the timer of each state, the choice of a
 * connection to evict, and how a connection is closed.  server.c's loop
 * calls in with what poll() reported, with the time, and with newcomers;
 * server_resp.c only renders responses into a connection's window.
 *
 * A connection holds one of max_conns slots (buffers allocated at start):
 *   HEAD  waiting for, or reading, a request head.  Timer: the head
 *         deadline, head_ns after the request started (at accept for a
 *         new connection, at its first byte for a later request on a
 *         keep-alive connection).  More bytes do not extend it: a head
 *         trickled in byte by byte gets 408 like a silent one.
 *   SEND  a response is being written; requests pipelined behind it wait
 *         in the read buffer.  Timer: send_ns without any progress, then
 *         a reset.
 *   IDLE  keep-alive, between requests, nothing buffered.  Timer:
 *         idle_ns, then a reset.
 * A response that ends the connection (Connection: close, HTTP/1.0, an
 * error) hands it from its slot to a lingering close (struct
 * _uk_prom_linger: a descriptor and two bounds, no buffers): the write
 * side is shut, the peer's input is discarded until it closes, for at
 * most _UKP_LINGER_MS and _UKP_LINGER_BYTES, then a reset.  A newcomer
 * without a slot lingers the same way after its 503 (one constant
 * answer, kept by the server, sent as the socket takes it), so a client
 * that sent a large request still reads it.
 *
 * Eviction.  At the limit a newcomer always gets a slot at once unless
 * every slot is answering (SEND, never evicted): it replaces the HEAD
 * connection whose request started longest ago, else the IDLE one idle
 * longest.  An attacker holding unfinished requests therefore loses its
 * oldest connection to each newcomer, however busily it trickles, and a
 * scraper's own fresh connection is the youngest.
 *
 * Closing.  The server closes with a reset (SO_LINGER 0) whenever it
 * gives up on a peer: eviction, a timer, a lingering close past its
 * bounds, a socket error.  A graceful close there would leave the TCP
 * state behind (lwIP keeps a FIN-WAIT-2 PCB for 20 s when the peer holds
 * its end open).  Only a peer that ended the stream itself (EOF) gets a
 * plain close.
 */
#include <errno.h>
#include <string.h>

#include <uk/assert.h>
#include <uk/plat/time.h>

#include "server_impl.h"

#define MS (UK_NSEC_PER_MSEC)

/* ---- lingering closes ------------------------------------------------ */

static void linger_end(struct uk_prom_server *s, struct _uk_prom_linger *l,
		       int reset)
{
	UK_ASSERT(l->fd >= 0);
	if (reset)
		_uk_prom_sock_reset(l->fd);
	else
		_uk_prom_sock_close(l->fd);
	l->fd = -1;
	_uk_prom_stats_conns(-1);
}

/* Sends what is left of the 503 on l; shuts the write side once it is
 * out.  Returns 0, or -1 when l was closed. */
static int linger_send(struct uk_prom_server *s, struct _uk_prom_linger *l)
{
	long r;

	if (l->off < l->len) {
		r = _uk_prom_sock_send(l->fd, s->msg503 + l->off,
				       l->len - l->off);
		if (r == -EAGAIN)
			return 0;
		if (r < 0) {
			linger_end(s, l, 1);
			return -1;
		}
		l->off += (uint16_t)r;
		_uk_prom_stats_sent((uint64_t)r);
		if (l->off < l->len)
			return 0;
	}
	_uk_prom_sock_shutdown_wr(l->fd);
	return 0;
}

/*
 * Hands fd (already counted as open) to a lingering close, after the
 * server's 503 when with_503 is set (sent as the socket takes it); the
 * write side is shut once nothing is left to send.  The oldest lingering
 * connection is reset when all places are taken.
 */
static void linger_start(struct uk_prom_server *s, int fd, int with_503,
			 uint64_t now)
{
	struct _uk_prom_linger *l = NULL, *old = NULL;
	unsigned int i;

	for (i = 0; i < s->nlinger && !l; i++) {
		if (s->lingers[i].fd < 0)
			l = &s->lingers[i];
		else if (!old || s->lingers[i].until < old->until)
			old = &s->lingers[i];
	}
	if (!l) {
		linger_end(s, old, 1);
		l = old;
	}
	l->fd = fd;
	l->left = _UKP_LINGER_BYTES;
	l->until = now + _UKP_LINGER_MS * MS;
	l->off = 0;
	l->len = with_503 ? s->msg503_len : 0;
	linger_send(s, l);
}

/* See server_impl.h. */
unsigned int _uk_prom_linger_events(const struct _uk_prom_linger *l)
{
	return l->off < l->len ? _UKP_EV_OUT : _UKP_EV_IN;
}

/* See server_impl.h. */
void _uk_prom_linger_io(struct uk_prom_server *s, struct _uk_prom_linger *l)
{
	long r;

	if (l->fd < 0)
		return;
	if (l->off < l->len) {
		linger_send(s, l);
		return;
	}
	r = _uk_prom_sock_recv(l->fd, s->scratch, _UKP_RBUF);
	if (r == -EAGAIN)
		return;
	if (r == 0) {
		linger_end(s, l, 0);    /* the peer is done too */
		return;
	}
	if (r < 0 || (uint32_t)r >= l->left) {
		linger_end(s, l, 1);
		return;
	}
	l->left -= (uint32_t)r;
}

/* See server_impl.h.  Returns the due time, or 0 once closed. */
uint64_t _uk_prom_linger_timer(struct uk_prom_server *s,
			       struct _uk_prom_linger *l, uint64_t now)
{
	if (l->fd < 0)
		return 0;
	if (now < l->until)
		return l->until;
	linger_end(s, l, 1);
	return 0;
}

/* See server_impl.h. */
void _uk_prom_conn_reject(struct uk_prom_server *s, int fd, uint64_t now)
{
	/* Counted first: the peer may look at the counters once it has
	 * read the answer. */
	_uk_prom_stats_error(503);
	_uk_prom_stats_rejected();
	_uk_prom_stats_conns(1);
	linger_start(s, fd, 1, now);
}

/* ---- connections in slots ---------------------------------------- */

/* Frees c's slot; its descriptor is reset, closed, or handed on (-1). */
static void slot_free(struct uk_prom_server *s, struct _uk_prom_conn *c)
{
	UK_ASSERT(c->state != _UKP_FREE);
	_uk_prom_resp_abort(c);
	c->fd = -1;
	c->state = _UKP_FREE;
	c->rlen = c->wlen = c->woff = 0;
	s->nconns--;
}

static void conn_reset(struct uk_prom_server *s, struct _uk_prom_conn *c)
{
	_uk_prom_sock_reset(c->fd);
	slot_free(s, c);
	_uk_prom_stats_conns(-1);
}

/* The peer ended its stream first: a plain close (what is still in
 * flight is delivered, and no state outlives the peer's close). */
static void conn_eof(struct uk_prom_server *s, struct _uk_prom_conn *c)
{
	_uk_prom_sock_close(c->fd);
	slot_free(s, c);
	_uk_prom_stats_conns(-1);
}

/* See server_impl.h. */
void _uk_prom_conn_open(struct uk_prom_server *s, struct _uk_prom_conn *c,
			int fd, uint64_t now)
{
	UK_ASSERT(c->state == _UKP_FREE);
	c->fd = fd;
	c->state = _UKP_HEAD;
	c->gen = _UKP_GEN_NONE;
	c->scrape = 0;
	c->rlen = c->wlen = c->woff = 0;
	c->req_ns = now;
	c->last_ns = now;
	s->nconns++;
	_uk_prom_stats_conns(1);
}

/* See server_impl.h. */
unsigned int _uk_prom_conn_events(const struct _uk_prom_conn *c)
{
	return c->state == _UKP_SEND ? _UKP_EV_OUT : _UKP_EV_IN;
}

/* The response is out: linger and close, or wait for the next request. */
static void resp_done(struct uk_prom_server *s, struct _uk_prom_conn *c,
		      uint64_t now)
{
	int fd = c->fd;

	if (c->scrape) {
		/* The loop's "now" dates from the poll wakeup, and a whole
		 * scrape often fits in one wakeup: read the clock afresh. */
		uint64_t end = s->clock_ns();

		_uk_prom_stats_scrape_done(end > c->resp_ns ?
					   end - c->resp_ns : 0);
		c->scrape = 0;
	}
	c->wlen = c->woff = 0;
	if (c->close_after) {
		slot_free(s, c);
		linger_start(s, fd, 0, now);
		return;
	}
	if (c->rlen) {
		c->state = _UKP_HEAD;
		c->req_ns = now;
	} else {
		c->state = _UKP_IDLE;
		c->last_ns = now;
	}
}

/*
 * Sends from the window, refilling it from the body source, until the
 * socket is full or the response is out: the whole window goes to one
 * send() call.  Returns 0, or -1 when the
 * connection was closed.
 */
static int flush(struct uk_prom_server *s, struct _uk_prom_conn *c,
		 uint64_t now)
{
	long r;

	while (c->state == _UKP_SEND) {
		if (c->woff == c->wlen)
			c->wlen = c->woff = 0;
		/* Whatever room the window has left takes more of the body
		 * (the default window, under the headers, has none). */
		if (c->gen != _UKP_GEN_NONE)
			_uk_prom_resp_fill(c);
		if (!c->wlen) {
			resp_done(s, c, now);
			return c->state == _UKP_FREE ? -1 : 0;
		}
		r = _uk_prom_sock_send(c->fd, c->wbuf + c->woff,
				       c->wlen - c->woff);
		if (r == -EAGAIN)
			break;
		if (r < 0) {
			conn_reset(s, c);
			return -1;
		}
		c->woff += (uint32_t)r;
		c->last_ns = now;
		_uk_prom_stats_sent((uint64_t)r);
	}
	return 0;
}

/* Starts sending what c->wbuf holds. */
static void send_start(struct _uk_prom_conn *c, uint64_t now)
{
	c->state = _UKP_SEND;
	c->resp_ns = now;
	c->last_ns = now;
}

/* Reads a request head's bytes per service() call at most, so that one
 * client pipelining at full speed cannot keep the loop to itself. */
#define READS_PER_SERVICE 16

/*
 * Answers c's requests one by one while their responses leave at once,
 * reading what the peer has already sent whenever no complete head is
 * buffered: a client pipelining requests goes from one answer to the next
 * without waiting in HEAD for the loop's next turn, where a newcomer
 * could evict it.  Stops at a full socket (SEND), when nothing more has
 * arrived (HEAD or IDLE), or when c is closed.
 */
static void service(struct uk_prom_server *s, struct _uk_prom_conn *c,
		    uint64_t now)
{
	struct uk_prom_http_req req;
	unsigned int reads = 0;
	int r, complete = 0;    /* a buffered head was parsed on arrival */
	long n;

	for (;;) {
		if (c->state == _UKP_SEND) {
			if (flush(s, c, now) || c->state == _UKP_SEND)
				return;
			complete = 1;
		}
		/* The head can only end, or break a rule, on a new line; a
		 * full buffer is over a limit.  Either way the parser
		 * decides. */
		if (complete && c->rlen) {
			r = uk_prom_http_parse(c->rbuf, c->rlen, &req);
			if (r < 0) {
				_uk_prom_resp_error(c, req.status, 0, 1);
				c->rlen = 0;
				send_start(c, now);
				continue;
			}
			if (r > 0) {
				_uk_prom_resp_request(s, c, &req);
				/* The head is answered; keep what follows. */
				c->rlen -= req.head_len;
				memmove(c->rbuf, c->rbuf + req.head_len,
					c->rlen);
				send_start(c, now);
				continue;
			}
		}
		if (reads++ == READS_PER_SERVICE)
			return;
		UK_ASSERT(c->rlen < _UKP_RBUF);
		n = _uk_prom_sock_recv(c->fd, c->rbuf + c->rlen,
				       _UKP_RBUF - c->rlen);
		if (n == -EAGAIN)
			return;
		if (n == 0) {
			conn_eof(s, c);
			return;
		}
		if (n < 0) {
			conn_reset(s, c);
			return;
		}
		/* These bytes may have come after the wakeup that "now"
		 * dates from (a pipelining client, or one that answers at
		 * once): what they start dates from their arrival. */
		now = s->clock_ns();
		if (c->state == _UKP_IDLE) {
			c->state = _UKP_HEAD;
			c->req_ns = now;
		}
		c->rlen += (uint32_t)n;
		complete = memchr(c->rbuf + c->rlen - n, '\n', (size_t)n) ||
			   c->rlen == _UKP_RBUF;
	}
}

/* See server_impl.h. */
void _uk_prom_conn_io(struct uk_prom_server *s, struct _uk_prom_conn *c,
		      unsigned int ev, uint64_t now)
{
	if (!ev || c->state == _UKP_FREE)
		return;
	service(s, c, now);
}

/* When c's timer is due. */
static uint64_t due(const struct uk_prom_server *s,
		    const struct _uk_prom_conn *c)
{
	switch (c->state) {
	case _UKP_HEAD:
		return c->req_ns + s->head_ns;
	case _UKP_SEND:
		return c->last_ns + s->send_ns;
	default:
		return c->last_ns + s->idle_ns;
	}
}

/* See server_impl.h.  Returns the due time, or 0. */
uint64_t _uk_prom_conn_timer(struct uk_prom_server *s,
			     struct _uk_prom_conn *c, uint64_t now)
{
	uint64_t d;

	if (c->state == _UKP_FREE)
		return 0;
	d = due(s, c);
	if (now < d)
		return d;
	if (c->state != _UKP_HEAD) {
		conn_reset(s, c);
		return 0;
	}
	/* The request did not arrive in time: 408, then a lingering close
	 * (the answer is a few bytes that a fresh window always takes). */
	c->rlen = 0;
	_uk_prom_resp_error(c, 408, 0, 1);
	send_start(c, now);
	if (flush(s, c, now) || c->state == _UKP_FREE)
		return 0;
	return due(s, c);
}

/* See server_impl.h.  Returns the victim or NULL. */
struct _uk_prom_conn *_uk_prom_conn_victim(const struct uk_prom_server *s)
{
	struct _uk_prom_conn *c, *head = NULL, *idle = NULL;
	unsigned int i;

	for (i = 0; i < s->max_conns; i++) {
		c = &s->conns[i];
		if (c->state == _UKP_HEAD &&
		    (!head || c->req_ns < head->req_ns))
			head = c;
		else if (c->state == _UKP_IDLE &&
			 (!idle || c->last_ns < idle->last_ns))
			idle = c;
	}
	return head ? head : idle;
}

/* See server_impl.h. */
void _uk_prom_conn_evict(struct uk_prom_server *s, struct _uk_prom_conn *c)
{
	UK_ASSERT(c->state == _UKP_HEAD || c->state == _UKP_IDLE);
	conn_reset(s, c);
	_uk_prom_stats_evicted();
}

/* See server_impl.h. */
void _uk_prom_conn_close_all(struct uk_prom_server *s)
{
	unsigned int i;

	for (i = 0; i < s->max_conns; i++)
		if (s->conns[i].state != _UKP_FREE)
			conn_reset(s, &s->conns[i]);
	for (i = 0; i < s->nlinger; i++)
		if (s->lingers[i].fd >= 0)
			linger_end(s, &s->lingers[i], 1);
}
