/*
 * Tests of the exporter's HTTP server, part one: what it answers.  A real
 * server on an ephemeral loopback port, driven by raw sockets: /metrics
 * (GET and HEAD, both formats, negotiation, HTTP/1.0, chunked bodies
 * compared with a direct encoding), the index page, the /store view,
 * every error status, keep-alive with pipelining, the self-metrics and
 * allocation-free scrapes.  The fixture (library "tsrv", with enough
 * folders that bodies and listings span several windows) and the client
 * are in test_server_util.c; connection handling is in
 * test_server_conns.c.
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

UK_TEST(server_metrics_text)
{
	struct uk_prom_server *s = ts_start(0, 0, 0, 0);
	struct tc_resp r;
	char *want, *got;

	UK_TEST_ASSERT(s);
	UK_TEST_EQ(tc_get(uk_prom_server_port(s), TS_GET_METRICS, &r, 0), 0);
	UK_TEST_EXPECT(r.status == 200);
	UK_TEST_EXPECT(!strcmp(tc_header(&r, "Content-Type"), UK_PROM_CT_TEXT));
	UK_TEST_EXPECT(r.chunked && r.nchunks > 2);
	want = ts_direct(UK_PROM_FMT_TEXT);
	got = ts_tsrv_lines(r.body);
	UK_TEST_EXPECT(strlen(want) > 16384);
	UK_TEST_EXPECT(!strcmp(want, got));
	UK_TEST_EXPECT(strstr(r.body, "tsrv_answer 42\n") != NULL);
	UK_TEST_EXPECT(strstr(r.body, "tsrv_hits_total{dev=\"x y\"} 7\n") != NULL);
	uk_test_log("text body %zu bytes in %d chunks\n", r.body_len,
		    r.nchunks);
	free(want);
	free(got);
	tc_resp_free(&r);
	uk_prom_server_stop(s);
}

UK_TEST(server_metrics_openmetrics_and_negotiation)
{
	struct uk_prom_server *s = ts_start(0, 0, 0, 0);
	struct tc_resp r;
	char *want, *got;
	uint16_t port;

	UK_TEST_ASSERT(s);
	port = uk_prom_server_port(s);
	UK_TEST_EQ(tc_get(port, "GET /metrics?x=1 HTTP/1.1\r\nHost: t\r\n"
			    "Accept: application/openmetrics-text;"
			    "version=1.0.0,text/plain;version=0.0.4;q=0.5,"
			    "*/*;q=0.1\r\n\r\n", &r, 0), 0);
	UK_TEST_EXPECT(r.status == 200);
	UK_TEST_EXPECT(!strcmp(tc_header(&r, "Content-Type"),
			  UK_PROM_CT_OPENMETRICS));
	UK_TEST_EXPECT(r.body_len > 6 &&
		  !strcmp(r.body + r.body_len - 6, "# EOF\n"));
	want = ts_direct(UK_PROM_FMT_OPENMETRICS);
	got = ts_tsrv_lines(r.body);
	UK_TEST_EXPECT(!strcmp(want, got));
	free(want);
	free(got);
	tc_resp_free(&r);
	/* Text preferred by q-value: text. */
	UK_TEST_EQ(tc_get(port, "GET /metrics HTTP/1.1\r\nHost: t\r\n"
			    "Accept: application/openmetrics-text;"
			    "version=1.0.0;q=0.2,text/plain;q=0.9\r\n\r\n",
			    &r, 0), 0);
	UK_TEST_EXPECT(!strcmp(tc_header(&r, "Content-Type"), UK_PROM_CT_TEXT));
	tc_resp_free(&r);
	uk_prom_server_stop(s);
}

UK_TEST(server_metrics_head_and_http10)
{
	struct uk_prom_server *s = ts_start(0, 0, 0, 0);
	struct tc_resp r, g;
	struct tc t;
	long cl;

	UK_TEST_ASSERT(s);
	UK_TEST_EQ(tc_open(&t, uk_prom_server_port(s), 0), 0);
	/* HEAD then GET on one connection: HEAD must send no body. */
	UK_TEST_EQ(tc_sends(&t, "HEAD /metrics HTTP/1.1\r\nHost: t\r\n"
			      "Accept: application/openmetrics-text\r\n\r\n"),
		     0);
	UK_TEST_EQ(tc_read(&t, &r, 1, TS_LIVE_MS), 0);
	UK_TEST_EXPECT(r.status == 200);
	UK_TEST_EXPECT(!strcmp(tc_header(&r, "Content-Type"),
			  UK_PROM_CT_OPENMETRICS));
	UK_TEST_ASSERT(tc_header(&r, "Content-Length"));
	cl = atol(tc_header(&r, "Content-Length"));
	UK_TEST_EXPECT(!tc_header(&r, "Transfer-Encoding"));
	UK_TEST_EQ(tc_sends(&t, "GET /metrics HTTP/1.1\r\nHost: t\r\n"
			      "Accept: application/openmetrics-text\r\n\r\n"),
		     0);
	UK_TEST_EQ(tc_read(&t, &g, 0, TS_LIVE_MS), 0);
	UK_TEST_EXPECT(g.status == 200);
	/* The self-metrics move between the two; the rest is equal. */
	uk_test_log("HEAD length %ld, GET body %zu\n", cl, g.body_len);
	UK_TEST_EXPECT(labs(cl - (long)g.body_len) < 200);
	tc_resp_free(&r);
	tc_resp_free(&g);
	/* HEAD without Accept: text. */
	UK_TEST_EQ(tc_sends(&t, "HEAD /metrics HTTP/1.1\r\nHost: t\r\n\r\n"),
		     0);
	UK_TEST_EQ(tc_read(&t, &r, 1, TS_LIVE_MS), 0);
	UK_TEST_EXPECT(r.status == 200);
	UK_TEST_EXPECT(!strcmp(tc_header(&r, "Content-Type"), UK_PROM_CT_TEXT));
	UK_TEST_EXPECT(atol(tc_header(&r, "Content-Length")) > 16384);
	tc_resp_free(&r);
	tc_close(&t);

	/* HTTP/1.0: close-delimited body, no chunking, then close. */
	UK_TEST_EQ(tc_get(uk_prom_server_port(s),
			    "GET /metrics HTTP/1.0\r\n\r\n", &r, 0), 0);
	UK_TEST_EXPECT(r.status == 200);
	UK_TEST_EXPECT(!r.chunked && r.closed);
	UK_TEST_EXPECT(strstr(r.body, "tsrv_answer 42\n") != NULL);
	UK_TEST_EXPECT(!strcmp(tc_header(&r, "Connection"), "close"));
	tc_resp_free(&r);
	uk_prom_server_stop(s);
}

UK_TEST(server_index_and_store)
{
	struct uk_prom_server *s = ts_start(0, 0, 0, 0);
	struct tc_resp r;
	uint16_t port;
	size_t lines = 0;
	char *p;
	long cl;

	UK_TEST_ASSERT(s);
	port = uk_prom_server_port(s);
	UK_TEST_EQ(tc_get(port, "GET / HTTP/1.1\r\nHost: t\r\n\r\n", &r, 0),
		     0);
	UK_TEST_EXPECT(r.status == 200);
	UK_TEST_EXPECT(!strncmp(tc_header(&r, "Content-Type"), "text/html", 9));
	UK_TEST_EXPECT(strstr(r.body, "href=\"/metrics\"") != NULL);
	UK_TEST_EXPECT(strstr(r.body, "href=\"/store/\"") != NULL);
	tc_resp_free(&r);

	UK_TEST_EQ(tc_get(port, "GET /store HTTP/1.1\r\nHost: t\r\n\r\n",
			    &r, 0), 0);
	UK_TEST_EXPECT(r.status == 200);
	UK_TEST_EXPECT(strstr(r.body, "tsrv/\n") != NULL);
	UK_TEST_EXPECT(strstr(r.body, "ukprom/\n") != NULL);
	tc_resp_free(&r);

	/* A listing bigger than the window, resumed across refills. */
	UK_TEST_EQ(tc_get(port, "GET /store/tsrv/ HTTP/1.1\r\n"
			    "Host: t\r\n\r\n",
			    &r, 0), 0);
	UK_TEST_EXPECT(r.status == 200);
	for (p = r.body; (p = strchr(p, '\n')); p++)
		lines++;
	UK_TEST_EXPECT(lines == TS_NFOLDERS + 5);
	/* Names are escaped so that each stays on its line. */
	UK_TEST_EXPECT(strstr(r.body, "\ntwo%0Alines/\n") != NULL);
	UK_TEST_EXPECT(strstr(r.body, "\nq\"%25\xc3\xa9?/\n") != NULL);
	/* Static entries first (in link order), then the folders. */
	UK_TEST_EXPECT(!strncmp(r.body, "answer\nratio\n", 13) ||
		  !strncmp(r.body, "ratio\nanswer\n", 13));
	UK_TEST_EXPECT(strstr(r.body, "\nx y/\n") != NULL);
	UK_TEST_EXPECT(strstr(r.body, "\nf2999/\n") != NULL);
	UK_TEST_EXPECT(r.body_len > 16384);
	cl = (long)r.body_len;
	tc_resp_free(&r);
	UK_TEST_EQ(tc_get(port, "HEAD /store/tsrv HTTP/1.1\r\n"
			    "Host: t\r\n\r\n",
			    &r, 1), 0);
	UK_TEST_EXPECT(r.status == 200);
	UK_TEST_EXPECT(atol(tc_header(&r, "Content-Length")) == cl);
	tc_resp_free(&r);

	UK_TEST_EQ(tc_get(port, "GET /store/tsrv/x%20y HTTP/1.1\r\n"
			    "Host: t\r\n\r\n", &r, 0), 0);
	UK_TEST_EXPECT(r.status == 200);
	UK_TEST_EXPECT(!strcmp(r.body, "hits\n"));
	tc_resp_free(&r);
	UK_TEST_EQ(tc_get(port, "GET /store/tsrv/x%20y/hits HTTP/1.1\r\n"
			    "Host: t\r\n\r\n", &r, 0), 0);
	UK_TEST_EXPECT(r.status == 200);
	UK_TEST_EXPECT(!strcmp(r.body, "7\n"));
	tc_resp_free(&r);
	/* The listing's escaped form is a path to request. */
	UK_TEST_EQ(tc_get(port, "GET /store/tsrv/two%0Alines/hits HTTP/1.1"
			    "\r\nHost: t\r\n\r\n", &r, 0), 0);
	UK_TEST_EXPECT(r.status == 200 && !strcmp(r.body, "11\n"));
	tc_resp_free(&r);
	/* A folder name with bytes that must be escaped in a URL. */
	UK_TEST_EQ(tc_get(port, "GET /store/tsrv/q%22%25%C3%A9%3F/hits?x "
			    "HTTP/1.1\r\nHost: t\r\n\r\n", &r, 0), 0);
	UK_TEST_EXPECT(r.status == 200);
	UK_TEST_EXPECT(!strcmp(r.body, "9\n"));
	tc_resp_free(&r);
	UK_TEST_EQ(tc_get(port, "GET /store/tsrv/answer?q HTTP/1.1\r\n"
			    "Host: t\r\n\r\n", &r, 0), 0);
	UK_TEST_EXPECT(r.status == 200);
	UK_TEST_EXPECT(!strcmp(r.body, "42\n"));
	UK_TEST_EXPECT(!strcmp(tc_header(&r, "Content-Length"), "3"));
	tc_resp_free(&r);
	UK_TEST_EQ(tc_get(port, "GET /store/tsrv/ratio HTTP/1.1\r\n"
			    "Host: t\r\n\r\n", &r, 0), 0);
	UK_TEST_EXPECT(!strcmp(r.body, "0.125\n"));
	tc_resp_free(&r);

	UK_TEST_EQ(tc_get(port, "GET /store/nope HTTP/1.1\r\nHost: t\r\n\r\n",
			    &r, 0), 0);
	UK_TEST_EXPECT(r.status == 404);
	tc_resp_free(&r);
	UK_TEST_EQ(tc_get(port, "GET /store/tsrv/answer/x HTTP/1.1\r\n"
			    "Host: t\r\n\r\n", &r, 0), 0);
	UK_TEST_EXPECT(r.status == 404);
	tc_resp_free(&r);
	UK_TEST_EQ(tc_get(port, "GET /store/tsrv/f0001/nope HTTP/1.1\r\n"
			    "Host: t\r\n\r\n", &r, 0), 0);
	UK_TEST_EXPECT(r.status == 404);
	tc_resp_free(&r);
	UK_TEST_EQ(tc_get(port, "GET /store/a%zz HTTP/1.1\r\nHost: t\r\n\r\n",
			    &r, 0), 0);
	UK_TEST_EXPECT(r.status == 400);
	tc_resp_free(&r);
	uk_prom_server_stop(s);
}

/* Sends req on a fresh connection; expects status and maybe a close. */
static int expect_status(uint16_t port, const char *req, size_t len,
			 int status, int closes)
{
	struct tc_resp r;
	struct tc t;
	int ok;

	if (tc_open(&t, port, 0) || tc_send(&t, req, len))
		return 0;
	if (tc_read(&t, &r, 0, TS_LIVE_MS))
		return 0;
	ok = r.status == status;
	if (!ok)
		uk_test_log("got %d for %.40s\n", r.status, req);
	if (closes)
		ok = ok && tc_wait_closed(&t, TS_LIVE_MS) &&
		     !strcmp(tc_header(&r, "Connection"), "close");
	tc_resp_free(&r);
	tc_close(&t);
	return ok;
}

#define EXPECT_STATUS(port, req, st, cl) \
	UK_TEST_EXPECT(expect_status(port, req, strlen(req), st, cl))

UK_TEST(server_errors)
{
	struct uk_prom_server *s = ts_start(0, 0, 0, 0);
	uint64_t e400 = ts_sval("ukprom/400/http_errors");
	uint64_t e404 = ts_sval("ukprom/404/http_errors");
	struct tc_resp r;
	uint16_t port;
	char *big;
	size_t n;

	UK_TEST_ASSERT(s);
	port = uk_prom_server_port(s);
	EXPECT_STATUS(port, "GET /metrics\r\n\r\n", 400, 1);
	EXPECT_STATUS(port, "GET /metrics HTTP/1.1\r\n\r\n", 400, 1);
	EXPECT_STATUS(port, "GET / HTTP/3.0\r\nHost: t\r\n\r\n", 400, 1);
	EXPECT_STATUS(port, "GET / HTTP/1.1\r\nHost t\r\n\r\n", 400, 1);
	EXPECT_STATUS(port, "GET / HTTP/1.1\r\nHost: t\r\n"
		      "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, 1);
	EXPECT_STATUS(port, "GET / HTTP/1.1\r\nHost: t\r\n"
		      "Content-Length: 3\r\n\r\nabc", 400, 1);
	EXPECT_STATUS(port, "GET /nope HTTP/1.1\r\nHost: t\r\n\r\n", 404, 0);
	EXPECT_STATUS(port, "GET /metricsx HTTP/1.1\r\nHost: t\r\n\r\n", 404,
		      0);
	EXPECT_STATUS(port, "POST /metrics HTTP/1.1\r\nHost: t\r\n"
		      "Content-Length: 2\r\n\r\nhi", 405, 1);
	UK_TEST_EXPECT(ts_sval("ukprom/400/http_errors") >= e400 + 6);
	UK_TEST_EXPECT(ts_sval("ukprom/404/http_errors") >= e404 + 2);

	/* 405 carries Allow; without a body the connection lives on. */
	UK_TEST_EQ(tc_get(port, "DELETE /metrics HTTP/1.1\r\nHost: t\r\n\r\n",
			    &r, 0), 0);
	UK_TEST_EXPECT(r.status == 405);
	UK_TEST_EXPECT(!strcmp(tc_header(&r, "Allow"), "GET, HEAD"));
	UK_TEST_EXPECT(!tc_header(&r, "Connection"));
	UK_TEST_EXPECT(strstr(r.head, "405 Method Not Allowed") != NULL);
	tc_resp_free(&r);

	/* 414: a 3000-byte target. */
	big = malloc(16384);
	n = (size_t)sprintf(big, "GET /");
	memset(big + n, 'a', 3000);
	n += 3000;
	n += (size_t)sprintf(big + n, " HTTP/1.1\r\nHost: t\r\n\r\n");
	UK_TEST_EXPECT(expect_status(port, big, n, 414, 1));
	/* 431: 10 KiB of header fields. */
	n = (size_t)sprintf(big, "GET / HTTP/1.1\r\nHost: t\r\n");
	while (n < 10240)
		n += (size_t)sprintf(big + n, "X-Filler-%05zu: %s\r\n", n,
				     "0123456789abcdef0123456789abcdef");
	n += (size_t)sprintf(big + n, "\r\n");
	UK_TEST_EXPECT(expect_status(port, big, n, 431, 1));
	free(big);
	UK_TEST_EQ(tc_get(port, "GET / HTTP/1.1\r\nHost: t\r\n\r\n", &r, 0),
		     0);
	UK_TEST_EXPECT(r.status == 200);
	tc_resp_free(&r);
	uk_prom_server_stop(s);
}

UK_TEST(server_keepalive_pipelining)
{
	struct uk_prom_server *s = ts_start(0, 0, 0, 0);
	struct tc_resp r1, r2, r3;
	struct tc t;

	UK_TEST_ASSERT(s);
	UK_TEST_EQ(tc_open(&t, uk_prom_server_port(s), 0), 0);
	UK_TEST_EQ(tc_sends(&t, "GET /store/tsrv/answer HTTP/1.1\r\n"
			      "Host: t\r\n\r\nGET /nope HTTP/1.1\r\nHost: t\r\n"
			      "\r\nGET /metrics HTTP/1.1\r\nHost: t\r\n\r\n"),
		     0);
	UK_TEST_EQ(tc_read(&t, &r1, 0, TS_LIVE_MS), 0);
	UK_TEST_EQ(tc_read(&t, &r2, 0, TS_LIVE_MS), 0);
	UK_TEST_EQ(tc_read(&t, &r3, 0, TS_LIVE_MS), 0);
	UK_TEST_EXPECT(r1.status == 200 && !strcmp(r1.body, "42\n"));
	UK_TEST_EXPECT(r2.status == 404);
	UK_TEST_EXPECT(r3.status == 200 && strstr(r3.body, "tsrv_answer 42\n"));
	tc_resp_free(&r1);
	tc_resp_free(&r2);
	tc_resp_free(&r3);
	/* Still open: one more, then Connection: close ends it. */
	UK_TEST_EQ(tc_sends(&t, "GET / HTTP/1.1\r\nHost: t\r\n"
			      "Connection: close\r\n\r\n"), 0);
	UK_TEST_EQ(tc_read(&t, &r1, 0, TS_LIVE_MS), 0);
	UK_TEST_EXPECT(r1.status == 200);
	UK_TEST_EXPECT(!strcmp(tc_header(&r1, "Connection"), "close"));
	UK_TEST_EXPECT(tc_wait_closed(&t, TS_LIVE_MS));
	tc_resp_free(&r1);
	tc_close(&t);

	/* HTTP/1.0 keep-alive on a fixed-length response. */
	UK_TEST_EQ(tc_open(&t, uk_prom_server_port(s), 0), 0);
	UK_TEST_EQ(tc_sends(&t, "GET /store/tsrv/answer HTTP/1.0\r\n"
			      "Connection: keep-alive\r\n\r\n"), 0);
	UK_TEST_EQ(tc_read(&t, &r1, 0, TS_LIVE_MS), 0);
	UK_TEST_EXPECT(!strcmp(tc_header(&r1, "Connection"), "keep-alive"));
	UK_TEST_EQ(tc_sends(&t, "GET /store/tsrv/answer HTTP/1.0\r\n\r\n"),
		     0);
	UK_TEST_EQ(tc_read(&t, &r2, 0, TS_LIVE_MS), 0);
	UK_TEST_EXPECT(!strcmp(r2.body, "42\n"));
	UK_TEST_EXPECT(tc_wait_closed(&t, TS_LIVE_MS));
	tc_resp_free(&r1);
	tc_resp_free(&r2);
	tc_close(&t);
	uk_prom_server_stop(s);
}

UK_TEST(server_self_metrics_move)
{
	struct uk_prom_server_cfg cfg = { 0 };
	struct uk_prom_server *s;
	uint64_t text, om, e404, sent, cnt;
	double sum;
	struct tc_resp r;
	uint16_t port;

	/* The platform's clock: scrape durations are measured. */
	cfg.clock_ns = uk_plat_time_mono_ns;
	s = ts_start_cfg(&cfg);
	UK_TEST_ASSERT(s);
	port = uk_prom_server_port(s);
	text = ts_sval("ukprom/text/scrapes");
	om = ts_sval("ukprom/openmetrics/scrapes");
	e404 = ts_sval("ukprom/404/http_errors");
	sent = ts_sval("ukprom/sent_bytes");
	{
		struct uk_store_ref ref;
		struct uk_store_value v;

		UK_TEST_EQ(uk_store_lookup("ukprom/scrape_duration_seconds",
					     &ref), 0);
		UK_TEST_EQ(uk_store_read(&ref, &v), 0);
		cnt = v.hist.count;
		sum = v.hist.sum;
		uk_store_ref_put(&ref);
	}
	UK_TEST_EQ(tc_get(port, TS_GET_METRICS, &r, 0), 0);
	tc_resp_free(&r);
	UK_TEST_EQ(tc_get(port, "GET /metrics HTTP/1.1\r\nHost: t\r\n"
			    "Accept: application/openmetrics-text\r\n\r\n",
			    &r, 0), 0);
	UK_TEST_EXPECT(strstr(r.body, "ukprom_scrapes_total{format=\"text\"}"));
	UK_TEST_EXPECT(strstr(r.body, "ukprom_http_errors_total{code=\"404\"}"));
	UK_TEST_EXPECT(strstr(r.body, "ukprom_sent_bytes_total"));
	UK_TEST_EXPECT(strstr(r.body, "ukprom_scrape_duration_seconds_bucket"));
	UK_TEST_EXPECT(strstr(r.body, "ukprom_connections 1"));
	tc_resp_free(&r);
	UK_TEST_EQ(tc_get(port, "GET /x HTTP/1.1\r\nHost: t\r\n\r\n", &r, 0),
		     0);
	tc_resp_free(&r);
	UK_TEST_EXPECT(ts_conns_settle(0));
	UK_TEST_EXPECT(ts_sval("ukprom/text/scrapes") == text + 1);
	UK_TEST_EXPECT(ts_sval("ukprom/openmetrics/scrapes") == om + 1);
	UK_TEST_EXPECT(ts_sval("ukprom/404/http_errors") == e404 + 1);
	UK_TEST_EXPECT(ts_sval("ukprom/sent_bytes") > sent + 2 * 16384);
	{
		struct uk_store_ref ref;
		struct uk_store_value v;

		UK_TEST_EQ(uk_store_lookup("ukprom/scrape_duration_seconds",
					     &ref), 0);
		UK_TEST_EQ(uk_store_read(&ref, &v), 0);
		UK_TEST_EXPECT(v.hist.count == cnt + 2);
		/* Each scrape takes a measurable time. */
		UK_TEST_EXPECT(v.hist.sum > sum);
		uk_store_ref_put(&ref);
	}
	uk_prom_server_stop(s);
}

/* A library whose only getter fails: every scrape drops its sample. */
UK_STORE_LIBRARY(tsfail);

static int get_broken(void *cookie, uint64_t *out)
{
	return -EIO;
}

UK_STORE_STATIC_ENTRY(tsfail, broken, u64, gauge, none, "Always fails.",
		      get_broken, NULL, NULL);

/* The encoder only counts; the server publishes what each encoding met
 * (GET and HEAD alike) in ukprom_getter_errors_total. */
UK_TEST(server_getter_errors_counted)
{
	struct uk_prom_server *s = ts_start(0, 0, 0, 0);
	uint64_t before = ts_sval("ukprom/getter_errors");
	struct tc_resp r;
	uint16_t port;

	UK_TEST_ASSERT(s);
	port = uk_prom_server_port(s);
	UK_TEST_EQ(tc_get(port, TS_GET_METRICS, &r, 0), 0);
	UK_TEST_EQ(r.status, 200);
	UK_TEST_EXPECT(strstr(r.body, "# TYPE tsfail_broken gauge\n") != NULL);
	UK_TEST_EXPECT(!strstr(r.body, "\ntsfail_broken "));
	tc_resp_free(&r);
	UK_TEST_EQ(ts_sval("ukprom/getter_errors"), before + 1);
	UK_TEST_EQ(tc_get(port, "HEAD /metrics HTTP/1.1\r\nHost: t\r\n\r\n",
			  &r, 1), 0);
	tc_resp_free(&r);
	UK_TEST_EQ(ts_sval("ukprom/getter_errors"), before + 2);
	uk_prom_server_stop(s);
}

/* A scrape takes no counted lock: the exporter's own locks are bare
 * fmutexes, so the lock totals it reports are not its own doing.  The
 * sync makes sure the server has finished with each scrape (its duration
 * is recorded after the last byte left). */
UK_TEST(server_scrape_counts_no_lock)
{
	struct uk_prom_server *s = ts_start(0, 0, 0, 0);
	uint64_t before;
	struct tc_resp r;
	uint16_t port;

	UK_TEST_ASSERT(s);
	port = uk_prom_server_port(s);
	UK_TEST_EQ(tc_get(port, TS_GET_METRICS, &r, 0), 0);
	tc_resp_free(&r);
	UK_TEST_ASSERT(ts_sync(s));
	before = ts_sval("uklock/all_acquisitions");
	UK_TEST_ASSERT(before != (uint64_t)-1);
	UK_TEST_EQ(tc_get(port, TS_GET_METRICS, &r, 0), 0);
	UK_TEST_EQ(r.status, 200);
	UK_TEST_EXPECT(strstr(r.body, "\nuklock_all_acquisitions_total ") !=
		       NULL);
	tc_resp_free(&r);
	UK_TEST_EQ(tc_get(port, "GET /metrics HTTP/1.1\r\nHost: t\r\n"
			    "Accept: application/openmetrics-text\r\n\r\n",
			    &r, 0), 0);
	UK_TEST_EQ(r.status, 200);
	tc_resp_free(&r);
	UK_TEST_ASSERT(ts_sync(s));
	UK_TEST_EQ(ts_sval("uklock/all_acquisitions"), before);
	uk_prom_server_stop(s);
}

/* The prefix cache's memory is published: the store's annex bytes. */
UK_TEST(server_prefix_cache_bytes)
{
	struct uk_prom_server *s = ts_start(0, 0, 0, 0);
	struct uk_store_mem m;
	struct tc_resp r;
	char line[64];

	UK_TEST_ASSERT(s);
	uk_store_mem_get(&m);
	/* The server's own folders (scrapes by format...) have prefixes. */
	UK_TEST_ASSERT(m.annex_bytes > 0);
	UK_TEST_EQ(ts_sval("ukprom/prefix_cache"), m.annex_bytes);
	UK_TEST_EQ(tc_get(uk_prom_server_port(s), TS_GET_METRICS, &r, 0), 0);
	UK_TEST_EQ(r.status, 200);
	snprintf(line, sizeof(line), "\nukprom_prefix_cache_bytes %llu\n",
		 (unsigned long long)m.annex_bytes);
	UK_TEST_EXPECT(strstr(r.body, line) != NULL);
	UK_TEST_EXPECT(strstr(r.body,
			      "# TYPE ukprom_prefix_cache_bytes gauge\n") != NULL);
	tc_resp_free(&r);
	uk_prom_server_stop(s);
}

UK_TEST(server_scrape_allocates_nothing)
{
	struct uk_prom_server *s = ts_start(0, 0, 0, 0);
	struct uk_alloc_failing f;
	struct uk_alloc *old;
	struct tc_resp r;
	uint16_t port;

	UK_TEST_ASSERT(s);
	port = uk_prom_server_port(s);
	/* Warm up: first scrape, first listing. */
	UK_TEST_EQ(tc_get(port, TS_GET_METRICS, &r, 0), 0);
	tc_resp_free(&r);
	uk_alloc_failing_init(&f, uk_alloc_get_default(), 0, 0);
	old = uk_alloc_set_default(&f.a);
	UK_TEST_EQ(tc_get(port, TS_GET_METRICS, &r, 0), 0);
	UK_TEST_EXPECT(r.status == 200);
	tc_resp_free(&r);
	UK_TEST_EQ(tc_get(port, "GET /metrics HTTP/1.1\r\nHost: t\r\n"
			    "Accept: application/openmetrics-text\r\n\r\n",
			    &r, 0), 0);
	UK_TEST_EXPECT(r.status == 200);
	tc_resp_free(&r);
	UK_TEST_EQ(tc_get(port, "GET /store/tsrv HTTP/1.1\r\nHost: t\r\n"
			    "\r\n", &r, 0), 0);
	tc_resp_free(&r);
	UK_TEST_EQ(tc_get(port, "GET /store/tsrv/x%20y/hits HTTP/1.1\r\n"
			    "Host: t\r\n\r\n", &r, 0), 0);
	tc_resp_free(&r);
	uk_alloc_set_default(old);
	uk_test_log("allocations during scrapes: %llu\n",
		    (unsigned long long)f.calls);
	UK_TEST_EXPECT(f.calls == 0);
	uk_prom_server_stop(s);
}


/* Reads a whole chunked response's raw bytes from t (up to the last
 * chunk); returns the length, or -1.  *out is malloc'd. */
static long raw_chunked(struct tc *t, char **out)
{
	size_t len = 0, cap = 1 << 20;
	char *b = malloc(cap);
	ssize_t n;

	while (b) {
		if (len >= 7 && !memcmp(b + len - 7, "\r\n0\r\n\r\n", 7)) {
			*out = b;
			return (long)len;
		}
		if (len == cap)
			break;
		n = recv(t->fd, b + len, cap - len, 0);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	free(b);
	return -1;
}

/*
 * Checks a raw chunked response's framing and takes its body apart:
 * returns the body (malloc'd, NUL-terminated) and sets *nchunks and
 * *short_before_last (chunks other than the last data chunk that carry
 * less than a whole unit, 16371 bytes), or NULL when the framing is
 * broken or a chunk exceeds a unit.
 */
static char *dechunk(const char *raw, size_t len, int *nchunks,
		     int *short_before_last)
{
	const char *p = strstr(raw, "\r\n\r\n"), *end = raw + len;
	char *body = malloc(len + 1), *e;
	size_t blen = 0;
	unsigned long n;
	int last_short = 0;

	*nchunks = *short_before_last = 0;
	if (!p || !body)
		goto bad;
	for (p += 4; p < end; p = e + 2 + n + 2) {
		n = strtoul(p, &e, 16);
		if (e == p || e + 2 > end || memcmp(e, "\r\n", 2) ||
		    n > 16371 || e + 2 + n + 2 > end)
			goto bad;
		if (!n) {
			if (e + 4 != end)
				goto bad;
			body[blen] = '\0';
			return body;
		}
		*short_before_last += last_short;
		last_short = n < 16371;
		(*nchunks)++;
		memcpy(body + blen, e + 2, n);
		blen += n;
	}
bad:
	free(body);
	return NULL;
}

UK_TEST(server_window)
{
	static const uint32_t bad[] = { 1000, 16385, 16384 * 3 + 1,
					1024 * 1024 + 16384 };
	static const uint32_t good[] = { 0, 65536 };
	struct uk_prom_server_cfg cfg;
	struct uk_prom_server *s;
	char *raw[2] = { NULL, NULL }, *mraw, *body, *want, *got;
	long rlen[2], mlen;
	struct tc t;
	int i, n, shorts;

	for (i = 0; i < (int)(sizeof(bad) / sizeof(bad[0])); i++) {
		memset(&cfg, 0, sizeof(cfg));
		cfg.window = bad[i];
		s = ts_start_cfg(&cfg);
		UK_TEST_EXPECT(!s);
		if (s)
			uk_prom_server_stop(s);
	}
	for (i = 0; i < 2; i++) {
		memset(&cfg, 0, sizeof(cfg));
		cfg.window = good[i];
		s = ts_start_cfg(&cfg);
		UK_TEST_ASSERT(s);
		/* A listing spanning several units: the same bytes from
		 * either window, headers and chunk framing included. */
		UK_TEST_EQ(tc_open(&t, uk_prom_server_port(s), 0), 0);
		UK_TEST_EQ(tc_sends(&t, "GET /store/tsrv HTTP/1.1\r\n"
				      "Host: t\r\n\r\n"), 0);
		rlen[i] = raw_chunked(&t, &raw[i]);
		UK_TEST_ASSERT(rlen[i] > 16384);
		/* A scrape on the same connection: whole units but the
		 * last, whatever the window; the body is the encoder's. */
		UK_TEST_EQ(tc_sends(&t, TS_GET_METRICS), 0);
		mlen = raw_chunked(&t, &mraw);
		UK_TEST_ASSERT(mlen > 0);
		body = dechunk(mraw, (size_t)mlen, &n, &shorts);
		UK_TEST_ASSERT(body);
		uk_test_log("window %u: scrape %ld bytes, %d chunks\n",
			    good[i], mlen, n);
		UK_TEST_EXPECT(n > 2 && !shorts);
		want = ts_direct(UK_PROM_FMT_TEXT);
		got = ts_tsrv_lines(body);
		UK_TEST_EXPECT(!strcmp(want, got));
		free(want);
		free(got);
		free(body);
		free(mraw);
		tc_close(&t);
		uk_prom_server_stop(s);
	}
	UK_TEST_EQ(rlen[0], rlen[1]);
	UK_TEST_EXPECT(!memcmp(raw[0], raw[1], (size_t)rlen[0]));
	body = dechunk(raw[1], (size_t)rlen[1], &n, &shorts);
	UK_TEST_EXPECT(body && n >= 2);
	free(body);
	free(raw[0]);
	free(raw[1]);
}

/* A route handler: /files/a is "alpha\n", /files itself a directory, a
 * body too large for the window an error, the rest missing. */
static int files_route(void *arg, const char *path, char *buf, size_t size,
		       size_t *len)
{
	(*(int *)arg)++;
	if (!strcmp(path, "/files"))
		return -EISDIR;
	if (!strcmp(path, "/files/big")) {
		*len = size + 1;
		return -ENOSPC;
	}
	if (strcmp(path, "/files/a"))
		return -ENOENT;
	memcpy(buf, "alpha\n", 6);
	*len = 6;
	return 0;
}

UK_TEST(server_routes)
{
	struct uk_prom_server *s;
	static int calls;
	struct tc_resp r;
	uint16_t port;

	UK_TEST_EQ(uk_prom_route_add("/files", files_route, &calls), 0);
	UK_TEST_EQ(uk_prom_route_add("/files", files_route, &calls), -EEXIST);
	UK_TEST_EQ(uk_prom_route_add("/metrics", files_route, NULL), -EINVAL);
	UK_TEST_EQ(uk_prom_route_add("/store", files_route, NULL), -EINVAL);
	UK_TEST_EQ(uk_prom_route_add("/x/", files_route, NULL), -EINVAL);
	UK_TEST_EQ(uk_prom_route_add("x", files_route, NULL), -EINVAL);
	UK_TEST_EQ(uk_prom_route_add("/y", NULL, NULL), -EINVAL);
	s = ts_start(0, 0, 0, 0);
	UK_TEST_ASSERT(s);
	port = uk_prom_server_port(s);
	UK_TEST_EQ(tc_get(port, "GET /files/a HTTP/1.1\r\nHost: t\r\n\r\n",
			  &r, 0), 0);
	UK_TEST_EXPECT(r.status == 200);
	UK_TEST_EXPECT(r.body_len == 6 && !memcmp(r.body, "alpha\n", 6));
	UK_TEST_EXPECT(!strcmp(tc_header(&r, "Content-Type"),
			       "text/plain; charset=utf-8"));
	tc_resp_free(&r);
	UK_TEST_EQ(tc_get(port, "HEAD /files/a HTTP/1.1\r\nHost: t\r\n\r\n",
			  &r, 1), 0);
	UK_TEST_EXPECT(r.status == 200);
	UK_TEST_EXPECT(!strcmp(tc_header(&r, "Content-Length"), "6"));
	tc_resp_free(&r);
	EXPECT_STATUS(port, "GET /files HTTP/1.1\r\nHost: t\r\n\r\n", 404, 0);
	EXPECT_STATUS(port, "GET /files/b HTTP/1.1\r\nHost: t\r\n\r\n", 404,
		      0);
	EXPECT_STATUS(port, "GET /filesx HTTP/1.1\r\nHost: t\r\n\r\n", 404, 0);
	EXPECT_STATUS(port, "GET /files/big HTTP/1.1\r\nHost: t\r\n\r\n", 500,
		      0);
	EXPECT_STATUS(port, "PUT /files/a HTTP/1.1\r\nHost: t\r\n"
		      "Content-Length: 2\r\n\r\nhi", 405, 1);
	UK_TEST_EQ(calls, 5);
	uk_prom_server_stop(s);
}
