/*
 * The exporter's server: one thread running a poll() loop over the
 * listening socket and a fixed table of connection slots, each with its
 * buffers allocated at start.  A connection reads a request head, answers
 * it (the response is written from a window that body sources refill, so
 * a large scrape streams through a fixed buffer), then reads the next
 * one, which may already be buffered (pipelining).  Deadlines per
 * connection (idle keep-alive, whole request, stalled send, lingering
 * close) set the poll timeout; when none is due the loop still wakes
 * every _UKP_TICK_MS to notice a stop.  At the connection limit a
 * newcomer replaces the idle or stuck connection quiet for longest (past
 * the grace period), or is answered 503.
 */
#include <errno.h>
#include <string.h>

#include <uk/assert.h>
#include <uk/plat/time.h>
#include <uk/thread.h>

#include "server_impl.h"

#define MS (UK_NSEC_PER_MSEC)

static void conn_close(struct uk_prom_server *s, struct _uk_prom_conn *c)
{
	UK_ASSERT(c->state != _UKP_FREE);
	_uk_prom_resp_abort(c);
	_uk_prom_sock_close(c->fd);
	c->fd = -1;
	c->state = _UKP_FREE;
	c->gen = _UKP_GEN_NONE;
	c->rlen = c->wlen = c->woff = 0;
	s->nconns--;
	_uk_prom_stats_conns(-1);
}

/* The response is out: close lingeringly, or read the next request. */
static void resp_done(struct uk_prom_server *s, struct _uk_prom_conn *c,
		      uint64_t now)
{
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
		/* Half-close and drain what the peer still sends, so that
		 * unread input does not turn our close into a reset that
		 * destroys the response before the peer reads it. */
		_uk_prom_sock_shutdown_wr(c->fd);
		c->state = _UKP_DRAIN;
		c->rlen = 0;
		c->drain_until = now + _UKP_DRAIN_MS * MS;
		return;
	}
	c->state = _UKP_READ;
	c->req_ns = c->rlen ? now : 0;
}

/*
 * Sends from the window, refilling it from the body source, until the
 * socket is full or the response is out.  Returns 0, or -1 when the
 * connection was closed.
 */
static int flush(struct uk_prom_server *s, struct _uk_prom_conn *c,
		 uint64_t now)
{
	long r;

	while (c->state == _UKP_SEND) {
		if (c->woff == c->wlen) {
			c->wlen = c->woff = 0;
			if (c->gen != _UKP_GEN_NONE)
				_uk_prom_resp_fill(c);
			if (!c->wlen) {
				resp_done(s, c, now);
				break;
			}
		}
		r = _uk_prom_sock_send(c->fd, c->wbuf + c->woff,
				       c->wlen - c->woff);
		if (r == -EAGAIN)
			break;
		if (r < 0) {
			conn_close(s, c);
			return -1;
		}
		c->woff += (uint32_t)r;
		c->last_ns = now;
		_uk_prom_stats_sent((uint64_t)r);
	}
	return 0;
}

/*
 * Answers the buffered requests of c one by one while their responses
 * leave at once, stopping at an incomplete head or a full socket.
 */
static void service(struct uk_prom_server *s, struct _uk_prom_conn *c,
		    uint64_t now)
{
	struct uk_prom_http_req req;
	int r;

	for (;;) {
		if (c->state == _UKP_SEND) {
			if (flush(s, c, now) || c->state != _UKP_READ)
				return;
		}
		if (c->state != _UKP_READ || !c->rlen)
			return;
		r = uk_prom_http_parse(c->rbuf, c->rlen, &req);
		if (r == 0) {
			if (!c->req_ns)
				c->req_ns = now;
			return;
		}
		c->state = _UKP_SEND;
		c->resp_ns = now;
		if (r < 0) {
			_uk_prom_resp_error(c, req.status, 0, 1);
			continue;
		}
		_uk_prom_resp_request(s, c, &req, now);
		/* The head is answered; keep what follows it. */
		c->rlen -= req.head_len;
		memmove(c->rbuf, c->rbuf + req.head_len, c->rlen);
		c->req_ns = 0;
	}
}

static void on_readable(struct uk_prom_server *s, struct _uk_prom_conn *c,
			uint64_t now)
{
	long r;

	if (c->state == _UKP_DRAIN) {
		r = _uk_prom_sock_recv(c->fd, c->rbuf, _UKP_RBUF);
		if (r != -EAGAIN && r <= 0)
			conn_close(s, c);
		return;
	}
	UK_ASSERT(c->state == _UKP_READ && c->rlen < _UKP_RBUF);
	r = _uk_prom_sock_recv(c->fd, c->rbuf + c->rlen, _UKP_RBUF - c->rlen);
	if (r == -EAGAIN)
		return;
	if (r <= 0) {
		conn_close(s, c);
		return;
	}
	if (!c->rlen)
		c->req_ns = now;
	c->last_ns = now;
	c->rlen += (uint32_t)r;
	/* The head can only end, or break a rule, on a new line; a full
	 * buffer is over a limit.  Either way the parser decides. */
	if (memchr(c->rbuf + c->rlen - r, '\n', (size_t)r) ||
	    c->rlen == _UKP_RBUF)
		service(s, c, now);
}

/* Whether c may give its slot to a newcomer; its last activity if so. */
static int evictable(const struct uk_prom_server *s,
		     const struct _uk_prom_conn *c, uint64_t now)
{
	if (c->state == _UKP_DRAIN)
		return 1;
	return c->state == _UKP_READ && now - c->last_ns >= s->grace_ns;
}

static struct _uk_prom_conn *pick_victim(struct uk_prom_server *s,
					 uint64_t now)
{
	struct _uk_prom_conn *c, *best = NULL;
	unsigned int i;

	for (i = 0; i < s->max_conns; i++) {
		c = &s->conns[i];
		if (c->state == _UKP_FREE || !evictable(s, c, now))
			continue;
		if (c->state == _UKP_DRAIN)
			return c;
		if (!best || c->last_ns < best->last_ns)
			best = c;
	}
	return best;
}

/* Answers a newcomer that has no slot, best effort, and drops it. */
static void reject(int fd)
{
	char buf[256];
	size_t n;

	/* Counted first: the peer may look at the counters once it has
	 * read the answer. */
	_uk_prom_stats_error(503);
	_uk_prom_stats_rejected();
	_uk_prom_sock_recv(fd, buf, sizeof(buf));
	n = _uk_prom_resp_format_error(buf, sizeof(buf), 503, 0, 1, 0);
	if (_uk_prom_sock_send(fd, buf, n) > 0)
		_uk_prom_stats_sent(n);
	_uk_prom_sock_shutdown_wr(fd);
	_uk_prom_sock_close(fd);
}

static void accept_all(struct uk_prom_server *s, uint64_t now)
{
	struct _uk_prom_conn *c;
	unsigned int i, k, fresh = 0;
	int fd;

	for (k = 0; k < 64; k++) {
		/* Full with connections accepted in this very batch: poll
		 * them once before judging a newcomer, since clients that
		 * gave up while queued in the backlog arrive already closed
		 * and would otherwise crowd out a live one. */
		if (fresh && s->nconns == s->max_conns)
			return;
		fd = _uk_prom_sock_accept(s->lfd);
		if (fd == -EAGAIN)
			return;
		if (fd < 0) {
			/* Out of descriptors or similar: the backlog stays
			 * readable, so pause instead of spinning. */
			if (fd != -ECONNABORTED && fd != -EINTR)
				s->accept_pause_until = now + 100 * MS;
			return;
		}
		c = NULL;
		for (i = 0; i < s->max_conns && !c; i++)
			if (s->conns[i].state == _UKP_FREE)
				c = &s->conns[i];
		if (!c) {
			c = pick_victim(s, now);
			if (!c) {
				reject(fd);
				continue;
			}
			conn_close(s, c);
			_uk_prom_stats_evicted();
		}
		c->fd = fd;
		c->state = _UKP_READ;
		c->gen = _UKP_GEN_NONE;
		c->rlen = c->wlen = c->woff = 0;
		c->last_ns = now;
		c->req_ns = 0;
		c->scrape = 0;
		s->nconns++;
		fresh++;
		_uk_prom_stats_conns(1);
	}
}

/* Acts on passed deadlines; returns the nearest one still ahead (0). */
static uint64_t deadlines(struct uk_prom_server *s, uint64_t now)
{
	struct _uk_prom_conn *c;
	uint64_t due, next = 0;
	unsigned int i;

	for (i = 0; i < s->max_conns; i++) {
		c = &s->conns[i];
		switch (c->state) {
		case _UKP_READ:
			due = c->rlen || c->req_ns ? c->req_ns + s->request_ns
			      : c->last_ns + s->idle_ns;
			break;
		case _UKP_SEND:
			due = c->last_ns + s->request_ns;
			break;
		case _UKP_DRAIN:
			due = c->drain_until;
			break;
		default:
			continue;
		}
		if (now < due) {
			if (!next || due < next)
				next = due;
			continue;
		}
		if (c->state == _UKP_READ && (c->rlen || c->req_ns)) {
			/* The request did not arrive in time. */
			c->state = _UKP_SEND;
			c->resp_ns = now;
			c->rlen = 0;
			_uk_prom_resp_error(c, 408, 0, 1);
			flush(s, c, now);
			if (c->state == _UKP_SEND &&
			    (!next || now + s->request_ns < next))
				next = now + s->request_ns;
		} else {
			conn_close(s, c);
		}
	}
	return next;
}

static void loop(void *arg)
{
	struct uk_prom_server *s = arg;
	struct _uk_prom_conn *c;
	uint64_t now, next, wait;
	unsigned int i, n, ev;
	int timeout, listen_on;

	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		now = s->clock_ns();
		next = deadlines(s, now);
		listen_on = now >= s->accept_pause_until;
		if (!listen_on && (!next || s->accept_pause_until < next))
			next = s->accept_pause_until;
		wait = next ? next - now : _UKP_TICK_MS * MS;
		if (wait > _UKP_TICK_MS * MS)
			wait = _UKP_TICK_MS * MS;
		timeout = (int)((wait + MS - 1) / MS);

		_uk_prom_pollset_set(s->ps, 0, listen_on ? s->lfd : -1,
				     _UKP_EV_IN);
		n = 1;
		for (i = 0; i < s->max_conns; i++) {
			c = &s->conns[i];
			if (c->state == _UKP_FREE)
				continue;
			_uk_prom_pollset_set(s->ps, n, c->fd,
					     c->state == _UKP_SEND ?
					     _UKP_EV_OUT : _UKP_EV_IN);
			s->polled[n++] = c;
		}
		if (_uk_prom_pollset_wait(s->ps, n, timeout) <= 0)
			continue;

		now = s->clock_ns();
		for (i = 1; i < n; i++) {
			c = s->polled[i];
			ev = _uk_prom_pollset_revents(s->ps, i);
			if (!ev || c->state == _UKP_FREE)
				continue;
			/* service() also answers the requests that were
			 * pipelined behind the response it completes. */
			if (c->state == _UKP_SEND)
				service(s, c, now);
			else
				on_readable(s, c, now);
		}
		if (_uk_prom_pollset_revents(s->ps, 0) & _UKP_EV_IN)
			accept_all(s, now);
	}

	for (i = 0; i < s->max_conns; i++)
		if (s->conns[i].state != _UKP_FREE)
			conn_close(s, &s->conns[i]);
}

static void server_free(struct uk_prom_server *s)
{
	struct uk_alloc *a = s->a;

	if (s->ps)
		_uk_prom_pollset_destroy(a, s->ps);
	if (s->polled)
		uk_free(a, s->polled);
	if (s->conns)
		uk_free(a, s->conns);
	if (s->bufs)
		uk_free(a, s->bufs);
	uk_free(a, s);
}

/* See uk/prom.h.  Returns 0, -EINVAL, -EADDRINUSE, -ENOMEM or -errno. */
int uk_prom_server_start(const struct uk_prom_server_cfg *cfg,
			 struct uk_prom_server **out)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct uk_prom_server *s;
	size_t per = _UKP_RBUF + _UKP_WBUF + _UKP_PATH;
	unsigned int i;
	int rc;

	if (!cfg || !out)
		return -EINVAL;
	if (cfg->addr && strlen(cfg->addr) >= sizeof(s->addr))
		return -EINVAL;
	rc = _uk_prom_stats_init();
	if (rc)
		return rc;
	s = uk_calloc(a, 1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->a = a;
	s->lfd = -1;
	strcpy(s->addr, cfg->addr ? cfg->addr : "0.0.0.0");
	s->clock_ns = cfg->clock_ns ? cfg->clock_ns : uk_plat_time_mono_ns;
	s->max_conns = cfg->max_conns ? cfg->max_conns : 16;
	s->idle_ns = (cfg->idle_timeout_ms ? cfg->idle_timeout_ms : 30000) * MS;
	s->request_ns = (cfg->request_timeout_ms ? cfg->request_timeout_ms
			 : 10000) * MS;
	s->grace_ns = (cfg->evict_grace_ms ? cfg->evict_grace_ms : 1000) * MS;

	s->ps = _uk_prom_pollset_create(a, s->max_conns + 1u);
	s->polled = uk_calloc(a, s->max_conns + 1u, sizeof(*s->polled));
	s->conns = uk_calloc(a, s->max_conns, sizeof(*s->conns));
	s->bufs = uk_malloc(a, per * s->max_conns);
	if (!s->ps || !s->polled || !s->conns || !s->bufs) {
		server_free(s);
		return -ENOMEM;
	}
	for (i = 0; i < s->max_conns; i++) {
		s->conns[i].fd = -1;
		s->conns[i].rbuf = s->bufs + per * i;
		s->conns[i].wbuf = s->conns[i].rbuf + _UKP_RBUF;
		s->conns[i].path = s->conns[i].wbuf + _UKP_WBUF;
	}

	rc = _uk_prom_sock_listen(cfg->addr, cfg->any_port ? 0 :
				  (cfg->port ? cfg->port : 9100),
				  s->max_conns < 64 ? 64 : s->max_conns,
				  &s->lfd, &s->port);
	if (rc) {
		server_free(s);
		return rc;
	}
	rc = uk_thread_create(&s->thread, "ukprom", loop, s, 0);
	if (rc) {
		_uk_prom_sock_close(s->lfd);
		server_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

/* See uk/prom.h. */
uint16_t uk_prom_server_port(const struct uk_prom_server *s)
{
	return s->port;
}

/* See uk/prom.h. */
void uk_prom_server_stop(struct uk_prom_server *s)
{
	if (!s)
		return;
	__atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
	_uk_prom_sock_poke(s->addr, s->port);
	uk_thread_join(s->thread);
	_uk_prom_sock_close(s->lfd);
	server_free(s);
}
