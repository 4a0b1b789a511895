/*
 * The exporter's server: one thread running a poll() loop over the
 * listening socket, a fixed table of connection slots (each with its
 * buffers allocated at start) and the connections in a lingering close.
 * This file starts and stops the server, runs the loop and admits
 * newcomers: a client outside the allow-list is reset before anything is
 * read from it; at the connection limit a newcomer replaces the
 * connection server_conn.c picks, or is answered 503 when every slot is
 * busy answering.  What happens to a connection afterwards (states,
 * timers, closing) is server_conn.c's.  The loop sleeps until the
 * nearest timer, and at most _UKP_TICK_MS so that a stop is noticed.
 */
#include <errno.h>
#include <string.h>

#include <uk/assert.h>
#include <uk/plat/time.h>
#include <uk/thread.h>

#include "server_impl.h"

#define MS (UK_NSEC_PER_MSEC)

static struct _uk_prom_conn *free_slot(struct uk_prom_server *s)
{
	unsigned int i;

	for (i = 0; i < s->max_conns; i++)
		if (s->conns[i].state == _UKP_FREE)
			return &s->conns[i];
	return NULL;
}

static void accept_all(struct uk_prom_server *s, uint64_t now)
{
	struct _uk_prom_conn *c;
	unsigned int k, fresh = 0;
	uint32_t peer;
	int fd;

	for (k = 0; k < 64; k++) {
		/* Full, with connections accepted in this very batch: poll
		 * them once (their requests may already be in) before the
		 * next newcomer replaces one, maybe one of them. */
		if (fresh && s->nconns == s->max_conns)
			return;
		fd = _uk_prom_sock_accept(s->lfd, &peer);
		if (fd == -EAGAIN)
			return;
		if (fd < 0) {
			/* Out of descriptors or similar: the backlog stays
			 * readable, so pause instead of spinning. */
			if (fd != -ECONNABORTED && fd != -EINTR)
				s->accept_pause_until = now + 100 * MS;
			return;
		}
		if (!_uk_prom_allow_match(&s->allow, peer)) {
			_uk_prom_stats_denied();
			_uk_prom_sock_reset(fd);
			continue;
		}
		/* A newcomer may have arrived after the wakeup: its
		 * timers start now, not at the wakeup. */
		now = s->clock_ns();
		c = free_slot(s);
		if (!c) {
			c = _uk_prom_conn_victim(s);
			if (!c) {
				_uk_prom_conn_reject(s, fd, now);
				continue;
			}
			_uk_prom_conn_evict(s, c);
		}
		_uk_prom_conn_open(s, c, fd, now);
		fresh++;
	}
}

/* Acts on passed timers; returns the nearest one still ahead (0). */
static uint64_t timers(struct uk_prom_server *s, uint64_t now)
{
	uint64_t d, next = 0;
	unsigned int i;

	for (i = 0; i < s->max_conns; i++) {
		d = _uk_prom_conn_timer(s, &s->conns[i], now);
		if (d && (!next || d < next))
			next = d;
	}
	for (i = 0; i < s->nlinger; i++) {
		d = _uk_prom_linger_timer(s, &s->lingers[i], now);
		if (d && (!next || d < next))
			next = d;
	}
	return next;
}

static void loop(void *arg)
{
	struct uk_prom_server *s = arg;
	struct _uk_prom_conn *c;
	uint64_t now, next, wait;
	unsigned int i, n, nc, ev;
	uint32_t busy;
	int timeout, listen_on;

	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		/* Only this thread writes the count. */
		__atomic_store_n(&s->passes, s->passes + 1, __ATOMIC_RELEASE);
		now = s->clock_ns();
		next = timers(s, now);
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
		busy = 0;
		for (i = 0; i < s->max_conns; i++) {
			c = &s->conns[i];
			if (c->state == _UKP_FREE)
				continue;
			if (c->state != _UKP_IDLE)
				busy++;
			_uk_prom_pollset_set(s->ps, n, c->fd,
					     _uk_prom_conn_events(c));
			s->polled[n++] = c;
		}
		__atomic_store_n(&s->busy, busy, __ATOMIC_RELEASE);
		nc = n;
		for (i = 0; i < s->nlinger; i++) {
			if (s->lingers[i].fd < 0)
				continue;
			_uk_prom_pollset_set(s->ps, n, s->lingers[i].fd,
					     _uk_prom_linger_events(
						     &s->lingers[i]));
			s->polled_l[n++] = &s->lingers[i];
		}
		if (_uk_prom_pollset_wait(s->ps, n, timeout) <= 0)
			continue;

		now = s->clock_ns();
		for (i = 1; i < nc; i++) {
			ev = _uk_prom_pollset_revents(s->ps, i);
			_uk_prom_conn_io(s, s->polled[i], ev, now);
		}
		for (; i < n; i++)
			if (_uk_prom_pollset_revents(s->ps, i))
				_uk_prom_linger_io(s, s->polled_l[i]);
		if (_uk_prom_pollset_revents(s->ps, 0) & _UKP_EV_IN)
			accept_all(s, now);
	}
	_uk_prom_conn_close_all(s);
}

static void server_free(struct uk_prom_server *s)
{
	struct uk_alloc *a = s->a;

	if (s->ps)
		_uk_prom_pollset_destroy(a, s->ps);
	if (s->polled)
		uk_free(a, s->polled);
	if (s->polled_l)
		uk_free(a, s->polled_l);
	if (s->conns)
		uk_free(a, s->conns);
	if (s->lingers)
		uk_free(a, s->lingers);
	if (s->bufs)
		uk_free(a, s->bufs);
	uk_free(a, s);
}

static uint64_t ms_or(uint32_t ms, uint32_t dflt)
{
	return (uint64_t)(ms ? ms : dflt) * MS;
}

/* See uk/prom.h.  Returns 0, -EINVAL, -EADDRINUSE, -ENOMEM or -errno. */
int uk_prom_server_start(const struct uk_prom_server_cfg *cfg,
			 struct uk_prom_server **out)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct uk_prom_server *s;
	uint32_t window;
	size_t per;
	unsigned int i, npoll;
	int rc;

	if (!cfg || !out)
		return -EINVAL;
	if (cfg->addr && strlen(cfg->addr) >= sizeof(s->addr))
		return -EINVAL;
	window = cfg->window ? cfg->window : _UKP_WBUF;
	if (window % _UKP_WBUF || window > _UKP_WBUF_MAX)
		return -EINVAL;
	per = _UKP_RBUF + window + _UKP_PATH;
	rc = _uk_prom_stats_init();
	if (rc)
		return rc;
	s = uk_calloc(a, 1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->a = a;
	s->lfd = -1;
	if (_uk_prom_allow_parse(cfg->allow, &s->allow) ||
	    _uk_prom_auth_parse(cfg->auth, &s->auth)) {
		server_free(s);
		return -EINVAL;
	}
	strcpy(s->addr, cfg->addr ? cfg->addr : "0.0.0.0");
	s->clock_ns = cfg->clock_ns ? cfg->clock_ns : uk_plat_time_mono_ns;
	s->max_conns = cfg->max_conns ? cfg->max_conns : _UKP_DEF_CONNS;
	/* Half as many lingering closes: each lasts seconds at most, and
	 * when all are taken the oldest is reset. */
	s->nlinger = s->max_conns / 2 ? s->max_conns / 2 : 1;
	s->head_ns = ms_or(cfg->head_timeout_ms, _UKP_DEF_HEAD_MS);
	s->idle_ns = ms_or(cfg->idle_timeout_ms, _UKP_DEF_IDLE_MS);
	s->send_ns = ms_or(cfg->send_timeout_ms, _UKP_DEF_SEND_MS);

	npoll = 1u + s->max_conns + s->nlinger;
	s->ps = _uk_prom_pollset_create(a, npoll);
	s->polled = uk_calloc(a, npoll, sizeof(*s->polled));
	s->polled_l = uk_calloc(a, npoll, sizeof(*s->polled_l));
	s->conns = uk_calloc(a, s->max_conns, sizeof(*s->conns));
	s->lingers = uk_calloc(a, s->nlinger, sizeof(*s->lingers));
	/* One more head-sized buffer: where lingering input is dropped. */
	s->bufs = uk_malloc(a, per * s->max_conns + _UKP_RBUF);
	if (!s->ps || !s->polled || !s->polled_l || !s->conns ||
	    !s->lingers || !s->bufs) {
		server_free(s);
		return -ENOMEM;
	}
	for (i = 0; i < s->max_conns; i++) {
		s->conns[i].fd = -1;
		s->conns[i].rbuf = s->bufs + per * i;
		s->conns[i].wbuf = s->conns[i].rbuf + _UKP_RBUF;
		s->conns[i].wcap = window;
		s->conns[i].path = s->conns[i].wbuf + window;
	}
	s->scratch = s->bufs + per * s->max_conns;
	for (i = 0; i < s->nlinger; i++)
		s->lingers[i].fd = -1;
	s->msg503_len = (uint16_t)_uk_prom_resp_format_error(
		s->msg503, sizeof(s->msg503), 503, 0, 1, 0);

	/* A backlog no deeper than the slots: what waits there holds the
	 * network stack's connection state too (lwIP's PCB pool is fixed),
	 * and the loop admits a full table of newcomers per wakeup. */
	rc = _uk_prom_sock_listen(cfg->addr, cfg->any_port ? 0 :
				  (cfg->port ? cfg->port : 9100),
				  s->max_conns, &s->lfd, &s->port);
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
	/* The exporter is the instance's, not the application's. */
	uk_thread_set_class(s->thread, UK_THREAD_CLASS_SYSTEM);
	*out = s;
	return 0;
}

/* See server_impl.h.  Returns the count (wrapping). */
uint32_t _uk_prom_server_passes(const struct uk_prom_server *s)
{
	return __atomic_load_n(&s->passes, __ATOMIC_ACQUIRE);
}

/* See uk/prom.h: the connections being served. */
unsigned int uk_prom_server_busy(const struct uk_prom_server *s)
{
	return __atomic_load_n(&s->busy, __ATOMIC_ACQUIRE);
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
