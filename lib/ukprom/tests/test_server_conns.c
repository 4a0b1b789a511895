/*
 * Tests of the exporter's HTTP server, part two: connections and time.
 * Request and idle timeouts, the connection limit (503 and recovery,
 * eviction of idle and of stuck connections after the grace, 64 idle
 * holders), clients that vanish mid-response or stop reading, idle CPU,
 * an injected clock, two servers with parallel clients while folders
 * change, and a stop that frees everything.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <uk/alloc.h>
#include <uk/plat/time.h>
#include <uk/prom.h>
#include <uk/store.h>
#include <uk/test.h>
#include <uk/thread.h>

#include "test_server_util.h"

UK_TEST(server_request_timeout_408)
{
	struct uk_prom_server *s = ts_start(0, 0, 300, 0);
	uint64_t e408 = ts_sval("ukprom/408/http_errors");
	struct tc_resp r;
	struct tc t;
	uint64_t t0;

	UK_TEST_ASSERT(s);
	UK_TEST_EQ(tc_open(&t, uk_prom_server_port(s), 0), 0);
	t0 = uk_plat_time_mono_ns();
	UK_TEST_EQ(tc_sends(&t, "GET /metrics HTTP/1.1\r\nHo"), 0);
	UK_TEST_EQ(tc_read(&t, &r, 0, 3000), 0);
	UK_TEST_EXPECT(r.status == 408);
	UK_TEST_EXPECT(strstr(r.head, "408 Request Timeout") != NULL);
	UK_TEST_EXPECT(uk_plat_time_mono_ns() - t0 >= 250 * UK_NSEC_PER_MSEC);
	UK_TEST_EXPECT(tc_wait_closed(&t, 3000));
	UK_TEST_EXPECT(ts_sval("ukprom/408/http_errors") == e408 + 1);
	tc_resp_free(&r);
	tc_close(&t);
	uk_prom_server_stop(s);
}

UK_TEST(server_idle_timeout)
{
	struct uk_prom_server *s = ts_start(0, 300, 0, 0);
	struct tc_resp r;
	struct tc t;
	uint64_t t0;

	UK_TEST_ASSERT(s);
	UK_TEST_EQ(tc_open(&t, uk_prom_server_port(s), 0), 0);
	UK_TEST_EQ(tc_sends(&t, "GET / HTTP/1.1\r\nHost: t\r\n\r\n"), 0);
	UK_TEST_EQ(tc_read(&t, &r, 0, 3000), 0);
	UK_TEST_EXPECT(r.status == 200);
	t0 = uk_plat_time_mono_ns();
	UK_TEST_EXPECT(tc_wait_closed(&t, 3000));
	t0 = uk_plat_time_mono_ns() - t0;
	uk_test_log("idle close after %llu ms\n",
		    (unsigned long long)(t0 / UK_NSEC_PER_MSEC));
	UK_TEST_EXPECT(t0 >= 250 * UK_NSEC_PER_MSEC && t0 < 1500 * UK_NSEC_PER_MSEC);
	tc_resp_free(&r);
	tc_close(&t);
	uk_prom_server_stop(s);
}

UK_TEST(server_limit_503_and_recovery)
{
	struct uk_prom_server *s = ts_start(4, 0, 0, 10000);
	uint64_t rej = ts_sval("ukprom/rejected_connections");
	struct tc t[4];
	struct tc_resp r;
	uint16_t port;
	int i;

	UK_TEST_ASSERT(s);
	port = uk_prom_server_port(s);
	UK_TEST_ASSERT(ts_open_idle(t, 4, port));
	UK_TEST_EXPECT(ts_sval("ukprom/connections") == 4);
	UK_TEST_EQ(tc_get(port, TS_GET_METRICS, &r, 0), 0);
	UK_TEST_EXPECT(r.status == 503);
	UK_TEST_EXPECT(!strcmp(tc_header(&r, "Retry-After"), "1"));
	UK_TEST_EXPECT(strstr(r.head, "503 Service Unavailable") != NULL);
	UK_TEST_EXPECT(ts_sval("ukprom/rejected_connections") == rej + 1);
	tc_resp_free(&r);
	for (i = 0; i < 4; i++)
		tc_close(&t[i]);
	UK_TEST_EXPECT(ts_conns_settle(0));
	UK_TEST_EQ(tc_get(port, TS_GET_METRICS, &r, 0), 0);
	UK_TEST_EXPECT(r.status == 200);
	tc_resp_free(&r);
	uk_prom_server_stop(s);
}

/* At the limit, after the grace, a newcomer replaces the oldest holder:
 * idle ones, or ones stuck in the middle of a request. */
static void evict_case(int stuck)
{
	struct uk_prom_server *s = ts_start(2, 0, 0, 200);
	uint64_t ev = ts_sval("ukprom/evicted_connections");
	struct tc t[2];
	struct tc_resp r;
	uint16_t port;

	UK_TEST_ASSERT(s);
	port = uk_prom_server_port(s);
	UK_TEST_ASSERT(ts_open_idle(t, 2, port));
	if (stuck) {
		UK_TEST_EQ(tc_sends(&t[1], "GET /metr"), 0);
		ts_sleep_ms(50);
		UK_TEST_EQ(tc_sends(&t[0], "GET /metr"), 0);
	}
	/* Within the grace: 503. */
	UK_TEST_EQ(tc_get(port, TS_GET_METRICS, &r, 0), 0);
	UK_TEST_EXPECT(r.status == 503);
	tc_resp_free(&r);
	ts_sleep_ms(300);
	UK_TEST_EQ(tc_get(port, TS_GET_METRICS, &r, 0), 0);
	UK_TEST_EXPECT(r.status == 200);
	tc_resp_free(&r);
	UK_TEST_EXPECT(ts_sval("ukprom/evicted_connections") == ev + 1);
	/* The oldest went: t[1] when stuck (it wrote first), else t[0]. */
	UK_TEST_EXPECT(tc_wait_closed(&t[stuck ? 1 : 0], 2000));
	tc_close(&t[0]);
	tc_close(&t[1]);
	uk_prom_server_stop(s);
}

UK_TEST(server_evict_idle)
{
	evict_case(0);
}

UK_TEST(server_evict_stuck)
{
	evict_case(1);
}

UK_TEST(server_64_idle_then_scrape)
{
	struct uk_prom_server *s = ts_start(0, 0, 0, 300);
	static struct tc t[64];
	struct tc_resp r;
	uint64_t t0;
	uint16_t port;
	int i, opened = 0;

	UK_TEST_ASSERT(s);
	port = uk_prom_server_port(s);
	for (i = 0; i < 64; i++)
		opened += !tc_open(&t[i], port, 0);
	UK_TEST_EXPECT(opened == 64);
	ts_sleep_ms(400);
	t0 = uk_plat_time_mono_ns();
	UK_TEST_EQ(tc_get(port, TS_GET_METRICS, &r, 0), 0);
	t0 = uk_plat_time_mono_ns() - t0;
	UK_TEST_EXPECT(r.status == 200);
	uk_test_log("scrape behind 64 idle connections: %llu us\n",
		    (unsigned long long)(t0 / 1000));
	UK_TEST_EXPECT(t0 < 1000 * UK_NSEC_PER_MSEC);
	tc_resp_free(&r);
	for (i = 0; i < 64; i++)
		tc_close(&t[i]);
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

UK_TEST(server_send_stall_dropped)
{
	struct uk_prom_server *s = ts_start(0, 0, 300, 0);
	struct tc_resp r;
	struct tc t;
	int i;

	UK_TEST_ASSERT(s);
	UK_TEST_EQ(tc_open(&t, uk_prom_server_port(s), 2048), 0);
	/* Ask for more bodies (about 6 MiB) than the socket buffers hold,
	 * and read none. */
	for (i = 0; i < 64; i++)
		UK_TEST_EQ(tc_sends(&t, TS_GET_METRICS), 0);
	ts_sleep_ms(100);
	UK_TEST_EXPECT(ts_sval("ukprom/connections") == 1);
	/* Meanwhile others are served. */
	UK_TEST_EQ(tc_get(uk_prom_server_port(s), TS_GET_METRICS, &r, 0), 0);
	UK_TEST_EXPECT(r.status == 200);
	tc_resp_free(&r);
	UK_TEST_EXPECT(ts_conns_settle(0));
	tc_close(&t);
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

static uint64_t clock_skew;

static uint64_t fake_clock(void)
{
	return uk_plat_time_mono_ns() +
	       __atomic_load_n(&clock_skew, __ATOMIC_RELAXED);
}

/* Timeouts follow the injected clock, which the loop reads at least
 * every 500 ms even when no deadline is near in real time. */
UK_TEST(server_injected_clock)
{
	struct uk_prom_server_cfg cfg;
	struct uk_prom_server *s;
	struct tc t[1];
	uint64_t t0;

	memset(&cfg, 0, sizeof(cfg));
	cfg.addr = "127.0.0.1";
	cfg.any_port = 1;
	cfg.idle_timeout_ms = 60000;
	cfg.clock_ns = fake_clock;
	UK_TEST_EQ(uk_prom_server_start(&cfg, &s), 0);
	UK_TEST_ASSERT(ts_open_idle(t, 1, uk_prom_server_port(s)));
	UK_TEST_EXPECT(!tc_wait_closed(&t[0], 300));
	t0 = uk_plat_time_mono_ns();
	__atomic_store_n(&clock_skew, 61 * UK_NSEC_PER_SEC, __ATOMIC_RELAXED);
	UK_TEST_EXPECT(tc_wait_closed(&t[0], 2000));
	t0 = uk_plat_time_mono_ns() - t0;
	uk_test_log("idle close %llu ms after the clock jumped\n",
		    (unsigned long long)(t0 / UK_NSEC_PER_MSEC));
	UK_TEST_EXPECT(t0 < 800 * UK_NSEC_PER_MSEC);
	tc_close(&t[0]);
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
			   tc_read(&t, &r, 0, 5000)) {
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
	UK_TEST_EXPECT(ts_sval("ukprom/connections") == 0);
}

/* Random fragments of requests, garbage, and abrupt closes, on several
 * connections at once: the server answers what it can, drops the rest,
 * and still serves a clean scrape afterwards with no connection left. */
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
	unsigned int seed = 12345, i, k, n;
	struct tc t[4];
	struct tc_resp r;
	char junk[64];
	uint16_t port;

	UK_TEST_ASSERT(s);
	port = uk_prom_server_port(s);
	for (i = 0; i < 60; i++) {
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
	}
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
