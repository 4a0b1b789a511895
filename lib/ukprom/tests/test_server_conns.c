/*
 * Tests of the exporter's HTTP server, part two: connections and time.
 * The eviction policy on its own (which connection a newcomer replaces),
 * then over sockets with an injected clock that stands still until the
 * test moves it, the test waiting for the server's state (a whole loop
 * pass after it moved the clock, connections that can no longer move)
 * instead of for a time, so no outcome depends on how fast the host runs
 * or how loaded it is: the
 * head deadline (trickled bytes do not extend it), the idle and send
 * timers, eviction order (oldest unfinished request, then longest idle;
 * a connection being answered never), resets, 503 when every slot is
 * answering, readable after a 64 KiB request.  Then clients that vanish
 * mid-response, idle CPU, two servers with parallel clients while
 * folders change, and a stop that frees everything.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <uk/alloc.h>
#include <uk/plat/time.h>
#include <uk/prom.h>
#include <uk/store.h>
#include <uk/test.h>
#include <uk/thread.h>

#include "../server_impl.h"
#include "test_server_util.h"

/* ---- the policy alone ------------------------------------------------ */

UK_TEST(conn_victim_policy)
{
	struct _uk_prom_conn c[5];
	struct uk_prom_server s;

	memset(&s, 0, sizeof(s));
	memset(c, 0, sizeof(c));
	s.conns = c;
	s.max_conns = 5;
	UK_TEST_EQ(_uk_prom_conn_victim(&s), NULL);
	/* Answering ones are never chosen, however old. */
	c[0].state = _UKP_SEND;
	c[0].req_ns = c[0].last_ns = 1;
	c[1].state = _UKP_SEND;
	UK_TEST_EQ(_uk_prom_conn_victim(&s), NULL);
	/* Idle ones: the longest idle. */
	c[2].state = _UKP_IDLE;
	c[2].last_ns = 300;
	c[3].state = _UKP_IDLE;
	c[3].last_ns = 200;
	UK_TEST_EQ(_uk_prom_conn_victim(&s), &c[3]);
	/* An unfinished request goes first, even a young one, and among
	 * those the oldest request, whatever arrived since. */
	c[4].state = _UKP_HEAD;
	c[4].req_ns = 900;
	c[4].last_ns = 900;
	UK_TEST_EQ(_uk_prom_conn_victim(&s), &c[4]);
	c[1].state = _UKP_HEAD;
	c[1].req_ns = 500;
	c[1].last_ns = 950;
	UK_TEST_EQ(_uk_prom_conn_victim(&s), &c[1]);
}

/* ---- timers, with the injected clock ----------------------------- */

static struct uk_prom_server *clocked(uint16_t max, uint32_t send_ms)
{
	struct uk_prom_server_cfg cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.max_conns = max;
	cfg.send_timeout_ms = send_ms;
	cfg.clock_ns = ts_clock_ns;
	return ts_start_cfg(&cfg);
}

/* Whether t got nothing and stays open while the clock stands still. */
static int quiet(struct tc *t)
{
	struct pollfd p = { t->fd, POLLIN, 0 };

	return poll(&p, 1, 150) == 0;
}

/* Whether t's connection is still established, without reading it. */
static int established(struct tc *t)
{
	struct tcp_info ti;
	socklen_t n = sizeof(ti);

	return !getsockopt(t->fd, IPPROTO_TCP, TCP_INFO, &ti, &n) &&
	       ti.tcpi_state == TCP_ESTABLISHED;
}

static int read_status(struct tc *t)
{
	struct tc_resp r;
	int st = -1;

	if (!tc_read(t, &r, 0, TS_LIVE_MS))
		st = r.status;
	tc_resp_free(&r);
	return st;
}

UK_TEST(server_head_deadline_408)
{
	struct uk_prom_server *s = clocked(0, 0);
	uint64_t e408 = ts_sval("ukprom/408/http_errors");
	struct tc t, u;

	UK_TEST_ASSERT(s);
	/* A new connection: 2 s from accept, trickling changes nothing. */
	UK_TEST_EQ(tc_open(&t, uk_prom_server_port(s), 0), 0);
	UK_TEST_EXPECT(ts_conns_settle(1));
	UK_TEST_EQ(tc_sends(&t, "GET /metrics HTTP/1.1\r\nHo"), 0);
	UK_TEST_EXPECT(quiet(&t));
	ts_clock_advance_ms(1500);
	UK_TEST_EQ(tc_sends(&t, "s"), 0);
	UK_TEST_EXPECT(quiet(&t));
	ts_clock_advance_ms(400);
	UK_TEST_EQ(tc_sends(&t, "t"), 0);
	UK_TEST_EXPECT(quiet(&t));
	ts_clock_advance_ms(200);
	UK_TEST_EQ(read_status(&t), 408);
	UK_TEST_EXPECT(tc_wait_closed(&t, TS_LIVE_MS));
	tc_close(&t);

	/* A keep-alive connection: 2 s from the request's first byte. */
	UK_TEST_EQ(tc_open(&u, uk_prom_server_port(s), 0), 0);
	UK_TEST_EQ(tc_sends(&u, "GET / HTTP/1.1\r\nHost: t\r\n\r\n"), 0);
	UK_TEST_EQ(read_status(&u), 200);
	ts_clock_advance_ms(10000);
	UK_TEST_EQ(tc_sends(&u, "GET / HTTP/1.1\r\n"), 0);
	UK_TEST_EXPECT(quiet(&u));
	ts_clock_advance_ms(1900);
	UK_TEST_EXPECT(quiet(&u));
	ts_clock_advance_ms(200);
	UK_TEST_EQ(read_status(&u), 408);
	UK_TEST_EXPECT(tc_wait_closed(&u, TS_LIVE_MS));
	tc_close(&u);
	UK_TEST_EQ(ts_sval("ukprom/408/http_errors"), e408 + 2);
	uk_prom_server_stop(s);
}

UK_TEST(server_idle_timeout)
{
	struct uk_prom_server *s = clocked(0, 0);
	struct tc t;

	UK_TEST_ASSERT(s);
	UK_TEST_EQ(tc_open(&t, uk_prom_server_port(s), 0), 0);
	UK_TEST_EQ(tc_sends(&t, "GET / HTTP/1.1\r\nHost: t\r\n\r\n"), 0);
	UK_TEST_EQ(read_status(&t), 200);
	ts_clock_advance_ms(29000);
	UK_TEST_EXPECT(quiet(&t));
	ts_clock_advance_ms(2000);
	UK_TEST_EXPECT(tc_wait_closed(&t, TS_LIVE_MS));
	UK_TEST_EXPECT(t.reset);
	tc_close(&t);
	UK_TEST_EXPECT(ts_conns_settle(0));
	uk_prom_server_stop(s);
}

/*
 * Opens t with a tiny receive buffer and pipelines more scrapes (about
 * 6 MiB) than the socket buffers hold, reading none: the server stays in
 * the middle of answering.  Returns once the first bytes came back.
 */
static int stuck_sender(struct tc *t, uint16_t port)
{
	struct pollfd p;
	int i;

	if (tc_open(t, port, 2048))
		return -1;
	for (i = 0; i < 64; i++)
		if (tc_sends(t, TS_GET_METRICS))
			return -1;
	p.fd = t->fd;
	p.events = POLLIN;
	return poll(&p, 1, TS_LIVE_MS) == 1 ? 0 : -1;
}

UK_TEST(server_send_stall_reset)
{
	struct uk_prom_server *s = clocked(0, 10000);
	struct tc_resp r;
	struct tc t;

	UK_TEST_ASSERT(s);
	UK_TEST_EQ(stuck_sender(&t, uk_prom_server_port(s)), 0);
	/* Meanwhile others are served. */
	UK_TEST_EQ(tc_get(uk_prom_server_port(s), TS_GET_METRICS, &r, 0), 0);
	UK_TEST_EXPECT(r.status == 200);
	tc_resp_free(&r);
	UK_TEST_EXPECT(ts_conns_settle(1));
	/* The timer runs from the last progress: wait until no byte can
	 * leave any more and the server has seen so. */
	UK_TEST_EXPECT(ts_stuck(s, &t));
	ts_clock_advance_ms(9000);
	UK_TEST_EXPECT(ts_sync(s));
	UK_TEST_EQ(ts_conns(), 1);
	ts_clock_advance_ms(2000);
	UK_TEST_EXPECT(ts_sync(s));
	UK_TEST_EQ(ts_conns(), 0);
	tc_close(&t);
	uk_prom_server_stop(s);
}

/*
 * uk_prom_server_busy: a connection counts from its accept until its
 * response is out, and again from a keep-alive request's first byte; an
 * idle keep-alive connection does not.
 */
UK_TEST(server_busy_counts_served_connections)
{
	struct uk_prom_server *s = clocked(0, 0);
	struct tc t, u;

	UK_TEST_ASSERT(s);
	UK_TEST_EXPECT(ts_sync(s));
	UK_TEST_EQ(uk_prom_server_busy(s), 0u);
	/* Accepted, nothing sent yet; then half a request head. */
	UK_TEST_EQ(tc_open(&t, uk_prom_server_port(s), 0), 0);
	UK_TEST_EXPECT(ts_conns_settle(1));
	UK_TEST_EXPECT(ts_sync(s));
	UK_TEST_EQ(uk_prom_server_busy(s), 1u);
	UK_TEST_EQ(tc_sends(&t, "GET / HTTP/1.1\r\n"), 0);
	UK_TEST_EXPECT(ts_sync(s));
	UK_TEST_EQ(uk_prom_server_busy(s), 1u);
	/* Answered, kept alive: idle, not counted. */
	UK_TEST_EQ(tc_sends(&t, "Host: t\r\n\r\n"), 0);
	UK_TEST_EQ(read_status(&t), 200);
	UK_TEST_EXPECT(ts_sync(s));
	UK_TEST_EQ(uk_prom_server_busy(s), 0u);
	/* A response that cannot leave: counted while t stays idle. */
	UK_TEST_EQ(stuck_sender(&u, uk_prom_server_port(s)), 0);
	UK_TEST_EXPECT(ts_stuck(s, &u));
	UK_TEST_EQ(uk_prom_server_busy(s), 1u);
	/* The next request on t counts from its first byte. */
	UK_TEST_EQ(tc_sends(&t, "GET"), 0);
	UK_TEST_EXPECT(ts_sync(s));
	UK_TEST_EQ(uk_prom_server_busy(s), 2u);
	tc_close(&t);
	tc_close(&u);
	uk_prom_server_stop(s);
}

/* ---- eviction, with the injected clock --------------------------------- */

/* Whether t was reset by the server (TS_LIVE_MS: a liveness bound). */
static int was_reset(struct tc *t)
{
	return tc_wait_closed(t, TS_LIVE_MS) && t->reset;
}

static int served(struct tc *t)
{
	return !tc_sends(t, "GET /store/tsrv/answer HTTP/1.1\r\nHost: t\r\n"
			 "\r\n") && read_status(t) == 200;
}

/*
 * Three slots.  A, B and C arrive 100 ms apart and send nothing; B then
 * finishes a request (keep-alive idle).  Each newcomer takes a slot at
 * once: D replaces A (the oldest unfinished request), E replaces C (the
 * only one left), F replaces B (no unfinished request: the longest idle).
 */
UK_TEST(server_evict_order)
{
	struct uk_prom_server *s = clocked(3, 0);
	uint64_t ev = ts_sval("ukprom/evicted_connections");
	struct tc a, b, c, d, e, f;
	uint16_t port;

	UK_TEST_ASSERT(s);
	port = uk_prom_server_port(s);
	UK_TEST_EQ(tc_open(&a, port, 0), 0);
	UK_TEST_ASSERT(ts_conns_settle(1));
	ts_clock_advance_ms(100);
	UK_TEST_EQ(tc_open(&b, port, 0), 0);
	UK_TEST_ASSERT(ts_conns_settle(2));
	ts_clock_advance_ms(100);
	UK_TEST_EQ(tc_open(&c, port, 0), 0);
	UK_TEST_ASSERT(ts_conns_settle(3));
	UK_TEST_EXPECT(served(&b));
	/* A trickles: bytes do not make it any younger. */
	UK_TEST_EQ(tc_sends(&a, "GET /met"), 0);

	ts_clock_advance_ms(100);
	UK_TEST_EQ(tc_open(&d, port, 0), 0);
	UK_TEST_EXPECT(was_reset(&a));
	UK_TEST_EXPECT(served(&d));
	UK_TEST_EXPECT(quiet(&c));

	ts_clock_advance_ms(100);
	UK_TEST_EQ(tc_open(&e, port, 0), 0);
	UK_TEST_EXPECT(was_reset(&c));
	UK_TEST_EXPECT(served(&e));

	ts_clock_advance_ms(100);
	UK_TEST_EQ(tc_open(&f, port, 0), 0);
	UK_TEST_EXPECT(was_reset(&b));
	UK_TEST_EXPECT(served(&f));
	UK_TEST_EXPECT(served(&d));
	UK_TEST_EXPECT(served(&e));
	UK_TEST_EQ(ts_sval("ukprom/evicted_connections"), ev + 3);
	tc_close(&a);
	tc_close(&b);
	tc_close(&c);
	tc_close(&d);
	tc_close(&e);
	tc_close(&f);
	uk_prom_server_stop(s);
}

/*
 * Two slots.  A is in the middle of answering (it reads nothing), B sent
 * nothing: newcomer C replaces B, not the older A.  Once C answers too,
 * D has no slot: 503, readable although D sent a 64 KiB request first
 * (the server drains it before its reset), and A and C carry on.
 */
UK_TEST(server_answering_never_evicted_503)
{
	struct uk_prom_server *s = clocked(2, 0);
	uint64_t rej = ts_sval("ukprom/rejected_connections");
	uint64_t ev = ts_sval("ukprom/evicted_connections");
	struct tc a, b, c, d;
	struct tc_resp r;
	uint16_t port;
	char *big;
	size_t n;

	UK_TEST_ASSERT(s);
	port = uk_prom_server_port(s);
	UK_TEST_EQ(stuck_sender(&a, port), 0);
	ts_clock_advance_ms(100);
	UK_TEST_EQ(tc_open(&b, port, 0), 0);
	UK_TEST_ASSERT(ts_conns_settle(2));
	ts_clock_advance_ms(100);
	UK_TEST_EQ(stuck_sender(&c, port), 0);
	UK_TEST_EXPECT(was_reset(&b));
	UK_TEST_EXPECT(established(&a));
	/* A and C are answering, and stay so: their requests are all in
	 * and their responses cannot leave (else one of them could be
	 * between two requests, waiting for the next, when D comes). */
	UK_TEST_ASSERT(ts_stuck(s, &a));
	UK_TEST_ASSERT(ts_stuck(s, &c));

	big = malloc(70000);
	n = (size_t)sprintf(big, "GET /metrics HTTP/1.1\r\nHost: t\r\nX: ");
	memset(big + n, 'x', 65536);
	n += 65536;
	n += (size_t)sprintf(big + n, "\r\n\r\n");
	UK_TEST_EQ(tc_open(&d, port, 0), 0);
	UK_TEST_EQ(tc_send(&d, big, n), 0);
	UK_TEST_EQ(tc_read(&d, &r, 0, TS_LIVE_MS), 0);
	UK_TEST_EQ(r.status, 503);
	UK_TEST_EXPECT(!strcmp(tc_header(&r, "Retry-After"), "1"));
	UK_TEST_EXPECT(!strcmp(tc_header(&r, "Connection"), "close"));
	UK_TEST_EXPECT(strstr(r.head, "503 Service Unavailable") != NULL);
	UK_TEST_EXPECT(tc_wait_closed(&d, TS_LIVE_MS));
	UK_TEST_EQ(ts_sval("ukprom/rejected_connections"), rej + 1);
	UK_TEST_EQ(ts_sval("ukprom/evicted_connections"), ev + 1);
	tc_resp_free(&r);
	free(big);
	UK_TEST_EXPECT(established(&a));
	UK_TEST_EXPECT(established(&c));
	tc_close(&a);
	tc_close(&b);
	tc_close(&c);
	tc_close(&d);
	/* Both slots free again: served. */
	UK_TEST_EXPECT(ts_conns_settle(0));
	UK_TEST_EQ(tc_get(port, TS_GET_METRICS, &r, 0), 0);
	UK_TEST_EQ(r.status, 200);
	tc_resp_free(&r);
	uk_prom_server_stop(s);
}

/* 64 silent connections hold every slot and the time stands still: a
 * scrape still gets in at once. */
UK_TEST(server_64_silent_then_scrape)
{
	struct uk_prom_server *s = clocked(0, 0);
	static struct tc t[64];
	struct tc_resp r;
	uint16_t port;
	int i, opened = 0;

	UK_TEST_ASSERT(s);
	port = uk_prom_server_port(s);
	for (i = 0; i < 64; i++)
		opened += !tc_open(&t[i], port, 0);
	UK_TEST_EXPECT(opened == 64);
	UK_TEST_EQ(tc_get(port, TS_GET_METRICS, &r, 0), 0);
	UK_TEST_EXPECT(r.status == 200);
	tc_resp_free(&r);
	for (i = 0; i < 64; i++)
		tc_close(&t[i]);
	uk_prom_server_stop(s);
}

/* A 431 after 64 KiB of header fields is read whole (the server drains
 * the rest before it closes), then the connection closes. */
UK_TEST(server_error_after_large_request)
{
	struct uk_prom_server *s = ts_start(0, 0, 0, 0);
	struct tc_resp r;
	struct tc t;
	char *big;
	size_t n;

	UK_TEST_ASSERT(s);
	big = malloc(70000);
	n = (size_t)sprintf(big, "GET / HTTP/1.1\r\nHost: t\r\n");
	while (n < 65536)
		n += (size_t)sprintf(big + n, "X-Filler-%05zu: %s\r\n", n,
				     "0123456789abcdef0123456789abcdef");
	n += (size_t)sprintf(big + n, "\r\n");
	UK_TEST_EQ(tc_open(&t, uk_prom_server_port(s), 0), 0);
	UK_TEST_EQ(tc_send(&t, big, n), 0);
	UK_TEST_EQ(tc_read(&t, &r, 0, TS_LIVE_MS), 0);
	UK_TEST_EQ(r.status, 431);
	UK_TEST_EXPECT(tc_wait_closed(&t, TS_LIVE_MS));
	tc_resp_free(&r);
	tc_close(&t);
	free(big);
	uk_prom_server_stop(s);
}

UK_TEST(server_client_vanishes_mid_response)
{
	struct uk_prom_server *s = ts_start(0, 0, 0, 0);
	struct tc_resp r;
	struct tc t;
	char buf[100];
	int i;

	UK_TEST_ASSERT(s);
	for (i = 0; i < 3; i++) {
		UK_TEST_EQ(tc_open(&t, uk_prom_server_port(s), 4096), 0);
		UK_TEST_EQ(tc_sends(&t, TS_GET_METRICS), 0);
		UK_TEST_EXPECT(recv(t.fd, buf, sizeof(buf), 0) > 0);
		if (i == 2)
			tc_close(&t);
		else
			tc_abort(&t);
	}
	UK_TEST_EQ(tc_get(uk_prom_server_port(s), TS_GET_METRICS, &r, 0), 0);
	UK_TEST_EXPECT(r.status == 200);
	UK_TEST_EXPECT(strstr(r.body, "tsrv_answer 42\n") != NULL);
	tc_resp_free(&r);
	UK_TEST_EXPECT(ts_conns_settle(0));
	uk_prom_server_stop(s);
}

/* Counts what is allocated and not yet freed. */
struct counting {
	struct uk_alloc a;
	struct uk_alloc *inner;
	long live;
	long fail_after;
};

static void *c_malloc(struct uk_alloc *a, size_t n)
{
	struct counting *c = (struct counting *)a;
	void *p;

	if (c->fail_after >= 0 && c->fail_after-- == 0)
		return NULL;
	p = uk_malloc(c->inner, n);
	if (p)
		__atomic_add_fetch(&c->live, 1, __ATOMIC_RELAXED);
	return p;
}

static void c_free(struct uk_alloc *a, void *p)
{
	struct counting *c = (struct counting *)a;

	if (p)
		__atomic_sub_fetch(&c->live, 1, __ATOMIC_RELAXED);
	uk_free(c->inner, p);
}

UK_TEST(server_stop_frees_everything)
{
	struct counting c;
	struct uk_alloc *old;
	struct uk_prom_server *s;
	struct tc t;
	struct tc_resp r;
	int i, fails = 0;

	/* The first start creates the shared folders, which stay. */
	s = ts_start(0, 0, 0, 0);
	UK_TEST_ASSERT(s);
	uk_prom_server_stop(s);

	memset(&c, 0, sizeof(c));
	c.inner = uk_alloc_get_default();
	c.a.malloc = c_malloc;
	c.a.memalign = c.inner->memalign;
	c.a.realloc = c.inner->realloc;
	c.a.free = c_free;
	c.fail_after = -1;
	old = uk_alloc_set_default(&c.a);
	s = ts_start(0, 0, 0, 0);
	UK_TEST_ASSERT(s);
	UK_TEST_EXPECT(c.live > 0);
	/* Stop with a connection open and a scrape half-read. */
	UK_TEST_EQ(tc_open(&t, uk_prom_server_port(s), 4096), 0);
	UK_TEST_EQ(tc_sends(&t, TS_GET_METRICS), 0);
	ts_sleep_ms(50);
	uk_prom_server_stop(s);
	tc_close(&t);
	UK_TEST_EXPECT(c.live == 0);
	/* Every allocation failure of start is reported and cleaned up. */
	for (i = 0; i < 10; i++) {
		c.fail_after = i;
		s = ts_start(0, 0, 0, 0);
		if (!s) {
			fails++;
			UK_TEST_EXPECT(c.live == 0);
			continue;
		}
		UK_TEST_EQ(tc_get(uk_prom_server_port(s), TS_GET_METRICS,
				    &r, 0), 0);
		UK_TEST_EXPECT(r.status == 200);
		tc_resp_free(&r);
		uk_prom_server_stop(s);
		UK_TEST_EXPECT(c.live == 0);
	}
	UK_TEST_EXPECT(fails >= 3);
	uk_alloc_set_default(old);
}

UK_TEST(server_bad_config)
{
	struct uk_prom_server_cfg cfg;
	struct uk_prom_server *s, *s2;

	memset(&cfg, 0, sizeof(cfg));
	cfg.addr = "127.0.0.300";
	cfg.any_port = 1;
	UK_TEST_EQ(uk_prom_server_start(&cfg, &s), -EINVAL);
	cfg.addr = "127.0.0.1";
	cfg.allow = "127.0.0.0/33";
	UK_TEST_EQ(uk_prom_server_start(&cfg, &s), -EINVAL);
	cfg.allow = "127.0.0.0/8";
	cfg.auth = "u:abc";
	UK_TEST_EQ(uk_prom_server_start(&cfg, &s), -EINVAL);
	cfg.auth = NULL;
	UK_TEST_EQ(uk_prom_server_start(&cfg, &s), 0);
	cfg.any_port = 0;
	cfg.port = uk_prom_server_port(s);
	UK_TEST_EQ(uk_prom_server_start(&cfg, &s2), -EADDRINUSE);
	uk_prom_server_stop(s);
}

UK_TEST(server_idle_does_not_spin)
{
	struct uk_prom_server *s = ts_start(0, 0, 0, 0);
	struct rusage ru0, ru1;
	struct tc t[4];
	uint64_t cpu_us;
	int i;

	UK_TEST_ASSERT(s);
	UK_TEST_ASSERT(ts_open_idle(t, 4, uk_prom_server_port(s)));
	getrusage(RUSAGE_SELF, &ru0);
	ts_sleep_ms(1000);
	getrusage(RUSAGE_SELF, &ru1);
	cpu_us = (uint64_t)((ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec +
			     ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) *
			    1000000L + ru1.ru_utime.tv_usec -
			    ru0.ru_utime.tv_usec + ru1.ru_stime.tv_usec -
			    ru0.ru_stime.tv_usec);
	uk_test_log("CPU over 1 s idle with 4 connections: %llu us\n",
		    (unsigned long long)cpu_us);
	UK_TEST_EXPECT(cpu_us < 50000);
	for (i = 0; i < 4; i++)
		tc_close(&t[i]);
	uk_prom_server_stop(s);
}

struct client_arg {
	uint16_t port[2];
	int ok;
};

static void client_thread(void *p)
{
	struct client_arg *a = p;
	struct tc_resp r;
	struct tc t;
	int i;

	if (tc_open(&t, a->port[0], 0))
		return;
	for (i = 0; i < 20; i++) {
		/* Alternate a keep-alive connection and fresh ones. */
		if (i % 2) {
			if (tc_get(a->port[1], TS_GET_METRICS, &r, 0))
				break;
		} else if (tc_sends(&t, TS_GET_METRICS) ||
			   tc_read(&t, &r, 0, TS_LIVE_MS)) {
			break;
		}
		if (r.status == 200 && strstr(r.body, "tsrv_answer 42\n") &&
		    strstr(r.body, "ukprom_connections"))
			a->ok++;
		tc_resp_free(&r);
	}
	tc_close(&t);
}

/* Two servers share the self-metrics; clients on parallel threads scrape
 * both while folders come and go. */
UK_TEST(server_two_servers_parallel_clients)
{
	struct uk_prom_server *s1 = ts_start(0, 0, 0, 0);
	struct uk_prom_server *s2 = ts_start(0, 0, 0, 0);
	struct uk_thread *th[4];
	struct client_arg a[4];
	struct uk_store_folder *f;
	char name[16];
	int i, total = 0;

	UK_TEST_ASSERT(s1 && s2);
	for (i = 0; i < 4; i++) {
		a[i].port[i % 2] = uk_prom_server_port(s1);
		a[i].port[1 - i % 2] = uk_prom_server_port(s2);
		a[i].ok = 0;
		UK_TEST_EQ(uk_thread_create(&th[i], "client", client_thread,
					      &a[i], 0), 0);
	}
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "churn%d", i % 7);
		if (!uk_store_folder_add(&uk_store_lib_tsrv, "dev", name,
					 ts_hits_tmpl, 1, NULL, NULL, &f))
			uk_store_folder_remove(f);
		ts_sleep_ms(1);
	}
	for (i = 0; i < 4; i++) {
		uk_thread_join(th[i]);
		total += a[i].ok;
	}
	UK_TEST_EXPECT(total == 80);
	uk_prom_server_stop(s1);
	uk_prom_server_stop(s2);
	UK_TEST_EXPECT(ts_conns() == 0);
}

/* Random fragments of requests, garbage, and abrupt closes, on several
 * connections at once: the server answers what it can, drops the rest,
 * and still serves a clean scrape afterwards with no connection left.
 * A request on a fresh connection after each round shows it answering
 * meanwhile, and keeps the client from running rounds ahead of the
 * server: the listen backlog is only as deep as the slots, and a SYN the
 * host drops on a full backlog is retried a second later. */
UK_TEST(server_random_garbage)
{
	static const char *const frags[] = {
		"GET /metrics HTTP/1.1\r\n", "Host: t\r\n", "\r\n",
		"HEAD /store/tsrv HTTP/1.0\r\n", "Connection: close\r\n",
		"POST / HTTP/1.1\r\nContent-Length: 4\r\n", "GET /", "%zz",
		"Accept: application/openmetrics-text\r\n", "\n", "\r",
		" HTTP/1.1\r\n", "Transfer-Encoding: chunked\r\n",
	};
	struct uk_prom_server *s = ts_start(8, 0, 200, 100);
	unsigned int seed = 12345, i, k, n, ok = 0;
	struct tc t[4];
	struct tc_resp r;
	char junk[64];
	uint16_t port;

	UK_TEST_ASSERT(s);
	port = uk_prom_server_port(s);
	for (i = 0; i < 60; i++) {
		/* What the last round left past its deadlines: the head and
		 * send timers fire on the injected clock, not on how slowly
		 * the host runs (else the request below could get 408). */
		ts_clock_advance_ms(300);
		for (k = 0; k < 4; k++)
			if (tc_open(&t[k], port, (rand_r(&seed) % 2) * 4096))
				t[k].fd = -1;
		for (n = 0; n < 40; n++) {
			struct tc *c = &t[rand_r(&seed) % 4];
			unsigned int j, len;

			if (c->fd < 0)
				continue;
			if (rand_r(&seed) % 4) {
				tc_sends(c, frags[rand_r(&seed) %
					  (sizeof(frags) / sizeof(frags[0]))]);
				continue;
			}
			len = rand_r(&seed) % sizeof(junk);
			for (j = 0; j < len; j++)
				junk[j] = (char)rand_r(&seed);
			tc_send(c, junk, len);
		}
		for (k = 0; k < 4; k++) {
			if (t[k].fd < 0)
				continue;
			if (rand_r(&seed) % 2)
				recv(t[k].fd, junk, sizeof(junk), MSG_DONTWAIT);
			if (rand_r(&seed) % 2)
				tc_abort(&t[k]);
			else
				tc_close(&t[k]);
		}
		memset(&r, 0, sizeof(r));
		if (!tc_get(port, "GET /store/tsrv/answer HTTP/1.1\r\n"
			    "Host: t\r\n\r\n", &r, 0) && r.status == 200)
			ok++;
		tc_resp_free(&r);
	}
	UK_TEST_EQ(ok, 60);
	UK_TEST_EQ(tc_get(port, TS_GET_METRICS, &r, 0), 0);
	UK_TEST_EXPECT(r.status == 200);
	UK_TEST_EXPECT(strstr(r.body, "tsrv_answer 42\n") != NULL);
	if (!strstr(r.body, "tsrv_answer 42\n"))
		uk_test_log("head %s body %zu: %.300s\n", r.head, r.body_len,
			    r.body);
	tc_resp_free(&r);
	UK_TEST_EXPECT(ts_conns_settle(0));
	uk_prom_server_stop(s);
}
