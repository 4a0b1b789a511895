/*
 * Tests of the exporter's HTTP server: a real server on an ephemeral
 * loopback port, driven by raw sockets.  They cover /metrics (GET and
 * HEAD, both formats, negotiation, HTTP/1.0), the index page, the /store
 * view, every error status, the connection limit (503 and recovery,
 * eviction of idle and of stuck connections, 64 idle holders), the
 * timeouts, keep-alive with pipelining, a client vanishing mid-response,
 * the self-metrics, allocation-free scrapes and a leak-free stop.  A test
 * library "tsrv" gives the scrapes known content, with enough folders
 * that bodies and listings span several windows.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <uk/alloc.h>
#include <uk/plat/time.h>
#include <uk/prom.h>
#include <uk/store.h>
#include <uk/test.h>
#include <uk/thread.h>

#include "test_server_util.h"

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

static const struct uk_store_entry hits_tmpl[] = {
	UK_STORE_ENTRY(hits, u64, counter, none, "Hits per device.",
		       get_hits, NULL, NULL),
};

#define NFOLDERS 3000

static void store_setup(void)
{
	static int done;
	struct uk_store_folder *f;
	char name[32];
	int i;

	if (done)
		return;
	done = 1;
	uk_store_folder_add(&uk_store_lib_tsrv, "dev", "x y", hits_tmpl, 1,
			    (void *)(uintptr_t)7, NULL, &f);
	uk_store_folder_add(&uk_store_lib_tsrv, "dev", "q\"%\xc3\xa9?",
			    hits_tmpl, 1, (void *)(uintptr_t)9, NULL, &f);
	for (i = 0; i < NFOLDERS; i++) {
		snprintf(name, sizeof(name), "f%04d", i);
		uk_store_folder_add(&uk_store_lib_tsrv, "dev", name, hits_tmpl,
				    1, (void *)(uintptr_t)i, NULL, &f);
	}
}

static struct uk_prom_server *start(uint16_t max, uint32_t idle_ms,
				    uint32_t req_ms, uint32_t grace_ms)
{
	struct uk_prom_server_cfg cfg;
	struct uk_prom_server *s = NULL;

	store_setup();
	memset(&cfg, 0, sizeof(cfg));
	cfg.addr = "127.0.0.1";
	cfg.any_port = 1;
	cfg.max_conns = max;
	cfg.idle_timeout_ms = idle_ms;
	cfg.request_timeout_ms = req_ms;
	cfg.evict_grace_ms = grace_ms;
	if (uk_prom_server_start(&cfg, &s))
		return NULL;
	return s;
}

static uint64_t sval(const char *path)
{
	struct uk_store_ref ref;
	struct uk_store_value v;
	uint64_t x = (uint64_t)-1;

	if (uk_store_lookup(path, &ref))
		return x;
	if (!uk_store_read(&ref, &v))
		x = v.u;
	uk_store_ref_put(&ref);
	return x;
}

static void sleep_ms(unsigned int ms)
{
	uk_thread_sleep_ns(ms * UK_NSEC_PER_MSEC);
}

/* Waits until the open-connection gauge reads n (1 s at most). */
static int conns_settle(uint64_t n)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (sval("ukprom/connections") == n)
			return 1;
		sleep_ms(10);
	}
	return 0;
}

/* The lines of library tsrv's families, in order. */
static char *tsrv_lines(const char *body)
{
	char *out = calloc(1, strlen(body) + 1);
	const char *p = body, *e;
	size_t o = 0;

	while (*p) {
		e = strchr(p, '\n');
		e = e ? e + 1 : p + strlen(p);
		if (!strncmp(p, "tsrv_", 5) || !strncmp(p, "# HELP tsrv_", 12) ||
		    !strncmp(p, "# TYPE tsrv_", 12) ||
		    !strncmp(p, "# UNIT tsrv_", 12)) {
			memcpy(out + o, p, (size_t)(e - p));
			o += (size_t)(e - p);
		}
		p = e;
	}
	return out;
}

static char *direct(enum uk_prom_format fmt)
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
	lines = tsrv_lines(buf);
	free(buf);
	free(e);
	return lines;
}

static const char *GET_METRICS = "GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n";

UK_TEST(server_metrics_text)
{
	struct uk_prom_server *s = start(0, 0, 0, 0);
	struct tc_resp r;
	char *want, *got;

	UK_ASSERT_TRUE(s);
	UK_ASSERT_EQ(tc_get(uk_prom_server_port(s), GET_METRICS, &r, 0), 0);
	UK_EXPECT(r.status == 200);
	UK_EXPECT(!strcmp(tc_header(&r, "Content-Type"), UK_PROM_CT_TEXT));
	UK_EXPECT(r.chunked && r.nchunks > 2);
	want = direct(UK_PROM_FMT_TEXT);
	got = tsrv_lines(r.body);
	UK_EXPECT(strlen(want) > 16384);
	UK_EXPECT(!strcmp(want, got));
	UK_EXPECT(strstr(r.body, "tsrv_answer 42\n") != NULL);
	UK_EXPECT(strstr(r.body, "tsrv_hits_total{dev=\"x y\"} 7\n") != NULL);
	uk_test_log("text body %zu bytes in %d chunks\n", r.body_len,
		    r.nchunks);
	free(want);
	free(got);
	tc_resp_free(&r);
	uk_prom_server_stop(s);
}

UK_TEST(server_metrics_openmetrics_and_negotiation)
{
	struct uk_prom_server *s = start(0, 0, 0, 0);
	struct tc_resp r;
	char *want, *got;
	uint16_t port;

	UK_ASSERT_TRUE(s);
	port = uk_prom_server_port(s);
	UK_ASSERT_EQ(tc_get(port, "GET /metrics?x=1 HTTP/1.1\r\nHost: t\r\n"
			    "Accept: application/openmetrics-text;"
			    "version=1.0.0,text/plain;version=0.0.4;q=0.5,"
			    "*/*;q=0.1\r\n\r\n", &r, 0), 0);
	UK_EXPECT(r.status == 200);
	UK_EXPECT(!strcmp(tc_header(&r, "Content-Type"),
			  UK_PROM_CT_OPENMETRICS));
	UK_EXPECT(r.body_len > 6 &&
		  !strcmp(r.body + r.body_len - 6, "# EOF\n"));
	want = direct(UK_PROM_FMT_OPENMETRICS);
	got = tsrv_lines(r.body);
	UK_EXPECT(!strcmp(want, got));
	free(want);
	free(got);
	tc_resp_free(&r);
	/* Text preferred by q-value: text. */
	UK_ASSERT_EQ(tc_get(port, "GET /metrics HTTP/1.1\r\nHost: t\r\n"
			    "Accept: application/openmetrics-text;"
			    "version=1.0.0;q=0.2,text/plain;q=0.9\r\n\r\n",
			    &r, 0), 0);
	UK_EXPECT(!strcmp(tc_header(&r, "Content-Type"), UK_PROM_CT_TEXT));
	tc_resp_free(&r);
	uk_prom_server_stop(s);
}

UK_TEST(server_metrics_head_and_http10)
{
	struct uk_prom_server *s = start(0, 0, 0, 0);
	struct tc_resp r, g;
	struct tc t;
	long cl;

	UK_ASSERT_TRUE(s);
	UK_ASSERT_EQ(tc_open(&t, uk_prom_server_port(s), 0), 0);
	/* HEAD then GET on one connection: HEAD must send no body. */
	UK_ASSERT_EQ(tc_sends(&t, "HEAD /metrics HTTP/1.1\r\nHost: t\r\n"
			      "Accept: application/openmetrics-text\r\n\r\n"),
		     0);
	UK_ASSERT_EQ(tc_read(&t, &r, 1, 5000), 0);
	UK_EXPECT(r.status == 200);
	UK_EXPECT(!strcmp(tc_header(&r, "Content-Type"),
			  UK_PROM_CT_OPENMETRICS));
	UK_ASSERT_TRUE(tc_header(&r, "Content-Length"));
	cl = atol(tc_header(&r, "Content-Length"));
	UK_EXPECT(!tc_header(&r, "Transfer-Encoding"));
	UK_ASSERT_EQ(tc_sends(&t, "GET /metrics HTTP/1.1\r\nHost: t\r\n"
			      "Accept: application/openmetrics-text\r\n\r\n"),
		     0);
	UK_ASSERT_EQ(tc_read(&t, &g, 0, 5000), 0);
	UK_EXPECT(g.status == 200);
	/* The self-metrics move between the two; the rest is equal. */
	uk_test_log("HEAD length %ld, GET body %zu\n", cl, g.body_len);
	UK_EXPECT(labs(cl - (long)g.body_len) < 200);
	tc_resp_free(&r);
	tc_resp_free(&g);
	/* HEAD without Accept: text. */
	UK_ASSERT_EQ(tc_sends(&t, "HEAD /metrics HTTP/1.1\r\nHost: t\r\n\r\n"),
		     0);
	UK_ASSERT_EQ(tc_read(&t, &r, 1, 5000), 0);
	UK_EXPECT(r.status == 200);
	UK_EXPECT(!strcmp(tc_header(&r, "Content-Type"), UK_PROM_CT_TEXT));
	UK_EXPECT(atol(tc_header(&r, "Content-Length")) > 16384);
	tc_resp_free(&r);
	tc_close(&t);

	/* HTTP/1.0: close-delimited body, no chunking, then close. */
	UK_ASSERT_EQ(tc_get(uk_prom_server_port(s),
			    "GET /metrics HTTP/1.0\r\n\r\n", &r, 0), 0);
	UK_EXPECT(r.status == 200);
	UK_EXPECT(!r.chunked && r.closed);
	UK_EXPECT(strstr(r.body, "tsrv_answer 42\n") != NULL);
	UK_EXPECT(!strcmp(tc_header(&r, "Connection"), "close"));
	tc_resp_free(&r);
	uk_prom_server_stop(s);
}

UK_TEST(server_index_and_store)
{
	struct uk_prom_server *s = start(0, 0, 0, 0);
	struct tc_resp r;
	uint16_t port;
	size_t lines = 0;
	char *p;
	long cl;

	UK_ASSERT_TRUE(s);
	port = uk_prom_server_port(s);
	UK_ASSERT_EQ(tc_get(port, "GET / HTTP/1.1\r\nHost: t\r\n\r\n", &r, 0),
		     0);
	UK_EXPECT(r.status == 200);
	UK_EXPECT(!strncmp(tc_header(&r, "Content-Type"), "text/html", 9));
	UK_EXPECT(strstr(r.body, "href=\"/metrics\"") != NULL);
	UK_EXPECT(strstr(r.body, "href=\"/store/\"") != NULL);
	tc_resp_free(&r);

	UK_ASSERT_EQ(tc_get(port, "GET /store HTTP/1.1\r\nHost: t\r\n\r\n",
			    &r, 0), 0);
	UK_EXPECT(r.status == 200);
	UK_EXPECT(strstr(r.body, "tsrv/\n") != NULL);
	UK_EXPECT(strstr(r.body, "ukprom/\n") != NULL);
	tc_resp_free(&r);

	/* A listing bigger than the window, resumed across refills. */
	UK_ASSERT_EQ(tc_get(port, "GET /store/tsrv/ HTTP/1.1\r\nHost: t\r\n\r\n",
			    &r, 0), 0);
	UK_EXPECT(r.status == 200);
	for (p = r.body; (p = strchr(p, '\n')); p++)
		lines++;
	UK_EXPECT(lines == NFOLDERS + 4);
	/* Static entries first (in link order), then the folders. */
	UK_EXPECT(!strncmp(r.body, "answer\nratio\n", 13) ||
		  !strncmp(r.body, "ratio\nanswer\n", 13));
	UK_EXPECT(strstr(r.body, "\nx y/\n") != NULL);
	UK_EXPECT(strstr(r.body, "\nf2999/\n") != NULL);
	UK_EXPECT(r.body_len > 16384);
	cl = (long)r.body_len;
	tc_resp_free(&r);
	UK_ASSERT_EQ(tc_get(port, "HEAD /store/tsrv HTTP/1.1\r\nHost: t\r\n\r\n",
			    &r, 1), 0);
	UK_EXPECT(r.status == 200);
	UK_EXPECT(atol(tc_header(&r, "Content-Length")) == cl);
	tc_resp_free(&r);

	UK_ASSERT_EQ(tc_get(port, "GET /store/tsrv/x%20y HTTP/1.1\r\n"
			    "Host: t\r\n\r\n", &r, 0), 0);
	UK_EXPECT(r.status == 200);
	UK_EXPECT(!strcmp(r.body, "hits\n"));
	tc_resp_free(&r);
	UK_ASSERT_EQ(tc_get(port, "GET /store/tsrv/x%20y/hits HTTP/1.1\r\n"
			    "Host: t\r\n\r\n", &r, 0), 0);
	UK_EXPECT(r.status == 200);
	UK_EXPECT(!strcmp(r.body, "7\n"));
	tc_resp_free(&r);
	/* A folder name with bytes that must be escaped in a URL. */
	UK_ASSERT_EQ(tc_get(port, "GET /store/tsrv/q%22%25%C3%A9%3F/hits?x "
			    "HTTP/1.1\r\nHost: t\r\n\r\n", &r, 0), 0);
	UK_EXPECT(r.status == 200);
	UK_EXPECT(!strcmp(r.body, "9\n"));
	tc_resp_free(&r);
	UK_ASSERT_EQ(tc_get(port, "GET /store/tsrv/answer?q HTTP/1.1\r\n"
			    "Host: t\r\n\r\n", &r, 0), 0);
	UK_EXPECT(r.status == 200);
	UK_EXPECT(!strcmp(r.body, "42\n"));
	UK_EXPECT(!strcmp(tc_header(&r, "Content-Length"), "3"));
	tc_resp_free(&r);
	UK_ASSERT_EQ(tc_get(port, "GET /store/tsrv/ratio HTTP/1.1\r\n"
			    "Host: t\r\n\r\n", &r, 0), 0);
	UK_EXPECT(!strcmp(r.body, "0.125\n"));
	tc_resp_free(&r);

	UK_ASSERT_EQ(tc_get(port, "GET /store/nope HTTP/1.1\r\nHost: t\r\n\r\n",
			    &r, 0), 0);
	UK_EXPECT(r.status == 404);
	tc_resp_free(&r);
	UK_ASSERT_EQ(tc_get(port, "GET /store/tsrv/answer/x HTTP/1.1\r\n"
			    "Host: t\r\n\r\n", &r, 0), 0);
	UK_EXPECT(r.status == 404);
	tc_resp_free(&r);
	UK_ASSERT_EQ(tc_get(port, "GET /store/tsrv/f0001/nope HTTP/1.1\r\n"
			    "Host: t\r\n\r\n", &r, 0), 0);
	UK_EXPECT(r.status == 404);
	tc_resp_free(&r);
	UK_ASSERT_EQ(tc_get(port, "GET /store/a%zz HTTP/1.1\r\nHost: t\r\n\r\n",
			    &r, 0), 0);
	UK_EXPECT(r.status == 400);
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
	if (tc_read(&t, &r, 0, 5000))
		return 0;
	ok = r.status == status;
	if (!ok)
		uk_test_log("got %d for %.40s\n", r.status, req);
	if (closes)
		ok = ok && tc_wait_closed(&t, 3000) &&
		     !strcmp(tc_header(&r, "Connection"), "close");
	tc_resp_free(&r);
	tc_close(&t);
	return ok;
}

#define EXPECT_STATUS(port, req, st, cl) \
	UK_EXPECT(expect_status(port, req, strlen(req), st, cl))

UK_TEST(server_errors)
{
	struct uk_prom_server *s = start(0, 0, 0, 0);
	uint64_t e400 = sval("ukprom/400/http_errors");
	uint64_t e404 = sval("ukprom/404/http_errors");
	struct tc_resp r;
	uint16_t port;
	char *big;
	size_t n;

	UK_ASSERT_TRUE(s);
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
	UK_EXPECT(sval("ukprom/400/http_errors") >= e400 + 6);
	UK_EXPECT(sval("ukprom/404/http_errors") >= e404 + 2);

	/* 405 carries Allow; without a body the connection lives on. */
	UK_ASSERT_EQ(tc_get(port, "DELETE /metrics HTTP/1.1\r\nHost: t\r\n\r\n",
			    &r, 0), 0);
	UK_EXPECT(r.status == 405);
	UK_EXPECT(!strcmp(tc_header(&r, "Allow"), "GET, HEAD"));
	UK_EXPECT(!tc_header(&r, "Connection"));
	UK_EXPECT(strstr(r.head, "405 Method Not Allowed") != NULL);
	tc_resp_free(&r);

	/* 414: a 3000-byte target. */
	big = malloc(16384);
	n = (size_t)sprintf(big, "GET /");
	memset(big + n, 'a', 3000);
	n += 3000;
	n += (size_t)sprintf(big + n, " HTTP/1.1\r\nHost: t\r\n\r\n");
	UK_EXPECT(expect_status(port, big, n, 414, 1));
	/* 431: 10 KiB of header fields. */
	n = (size_t)sprintf(big, "GET / HTTP/1.1\r\nHost: t\r\n");
	while (n < 10240)
		n += (size_t)sprintf(big + n, "X-Filler-%05zu: %s\r\n", n,
				     "0123456789abcdef0123456789abcdef");
	n += (size_t)sprintf(big + n, "\r\n");
	UK_EXPECT(expect_status(port, big, n, 431, 1));
	free(big);
	UK_ASSERT_EQ(tc_get(port, "GET / HTTP/1.1\r\nHost: t\r\n\r\n", &r, 0),
		     0);
	UK_EXPECT(r.status == 200);
	tc_resp_free(&r);
	uk_prom_server_stop(s);
}

UK_TEST(server_request_timeout_408)
{
	struct uk_prom_server *s = start(0, 0, 300, 0);
	uint64_t e408 = sval("ukprom/408/http_errors");
	struct tc_resp r;
	struct tc t;
	uint64_t t0;

	UK_ASSERT_TRUE(s);
	UK_ASSERT_EQ(tc_open(&t, uk_prom_server_port(s), 0), 0);
	t0 = uk_plat_time_mono_ns();
	UK_ASSERT_EQ(tc_sends(&t, "GET /metrics HTTP/1.1\r\nHo"), 0);
	UK_ASSERT_EQ(tc_read(&t, &r, 0, 3000), 0);
	UK_EXPECT(r.status == 408);
	UK_EXPECT(strstr(r.head, "408 Request Timeout") != NULL);
	UK_EXPECT(uk_plat_time_mono_ns() - t0 >= 250 * UK_NSEC_PER_MSEC);
	UK_EXPECT(tc_wait_closed(&t, 3000));
	UK_EXPECT(sval("ukprom/408/http_errors") == e408 + 1);
	tc_resp_free(&r);
	tc_close(&t);
	uk_prom_server_stop(s);
}

UK_TEST(server_idle_timeout)
{
	struct uk_prom_server *s = start(0, 300, 0, 0);
	struct tc_resp r;
	struct tc t;
	uint64_t t0;

	UK_ASSERT_TRUE(s);
	UK_ASSERT_EQ(tc_open(&t, uk_prom_server_port(s), 0), 0);
	UK_ASSERT_EQ(tc_sends(&t, "GET / HTTP/1.1\r\nHost: t\r\n\r\n"), 0);
	UK_ASSERT_EQ(tc_read(&t, &r, 0, 3000), 0);
	UK_EXPECT(r.status == 200);
	t0 = uk_plat_time_mono_ns();
	UK_EXPECT(tc_wait_closed(&t, 3000));
	t0 = uk_plat_time_mono_ns() - t0;
	uk_test_log("idle close after %llu ms\n",
		    (unsigned long long)(t0 / UK_NSEC_PER_MSEC));
	UK_EXPECT(t0 >= 250 * UK_NSEC_PER_MSEC && t0 < 1500 * UK_NSEC_PER_MSEC);
	tc_resp_free(&r);
	tc_close(&t);
	uk_prom_server_stop(s);
}

UK_TEST(server_keepalive_pipelining)
{
	struct uk_prom_server *s = start(0, 0, 0, 0);
	struct tc_resp r1, r2, r3;
	struct tc t;

	UK_ASSERT_TRUE(s);
	UK_ASSERT_EQ(tc_open(&t, uk_prom_server_port(s), 0), 0);
	UK_ASSERT_EQ(tc_sends(&t, "GET /store/tsrv/answer HTTP/1.1\r\n"
			      "Host: t\r\n\r\nGET /nope HTTP/1.1\r\nHost: t\r\n"
			      "\r\nGET /metrics HTTP/1.1\r\nHost: t\r\n\r\n"),
		     0);
	UK_ASSERT_EQ(tc_read(&t, &r1, 0, 5000), 0);
	UK_ASSERT_EQ(tc_read(&t, &r2, 0, 5000), 0);
	UK_ASSERT_EQ(tc_read(&t, &r3, 0, 5000), 0);
	UK_EXPECT(r1.status == 200 && !strcmp(r1.body, "42\n"));
	UK_EXPECT(r2.status == 404);
	UK_EXPECT(r3.status == 200 && strstr(r3.body, "tsrv_answer 42\n"));
	tc_resp_free(&r1);
	tc_resp_free(&r2);
	tc_resp_free(&r3);
	/* Still open: one more, then Connection: close ends it. */
	UK_ASSERT_EQ(tc_sends(&t, "GET / HTTP/1.1\r\nHost: t\r\n"
			      "Connection: close\r\n\r\n"), 0);
	UK_ASSERT_EQ(tc_read(&t, &r1, 0, 5000), 0);
	UK_EXPECT(r1.status == 200);
	UK_EXPECT(!strcmp(tc_header(&r1, "Connection"), "close"));
	UK_EXPECT(tc_wait_closed(&t, 3000));
	tc_resp_free(&r1);
	tc_close(&t);

	/* HTTP/1.0 keep-alive on a fixed-length response. */
	UK_ASSERT_EQ(tc_open(&t, uk_prom_server_port(s), 0), 0);
	UK_ASSERT_EQ(tc_sends(&t, "GET /store/tsrv/answer HTTP/1.0\r\n"
			      "Connection: keep-alive\r\n\r\n"), 0);
	UK_ASSERT_EQ(tc_read(&t, &r1, 0, 5000), 0);
	UK_EXPECT(!strcmp(tc_header(&r1, "Connection"), "keep-alive"));
	UK_ASSERT_EQ(tc_sends(&t, "GET /store/tsrv/answer HTTP/1.0\r\n\r\n"),
		     0);
	UK_ASSERT_EQ(tc_read(&t, &r2, 0, 5000), 0);
	UK_EXPECT(!strcmp(r2.body, "42\n"));
	UK_EXPECT(tc_wait_closed(&t, 3000));
	tc_resp_free(&r1);
	tc_resp_free(&r2);
	tc_close(&t);
	uk_prom_server_stop(s);
}

/* Opens n connections that each finished one request (so are accepted). */
static int open_idle(struct tc *t, int n, uint16_t port)
{
	struct tc_resp r;
	int i;

	for (i = 0; i < n; i++) {
		if (tc_open(&t[i], port, 0) ||
		    tc_sends(&t[i], "GET /store/tsrv/answer HTTP/1.1\r\n"
			     "Host: t\r\n\r\n") ||
		    tc_read(&t[i], &r, 0, 5000) || r.status != 200)
			return 0;
		tc_resp_free(&r);
	}
	return 1;
}

UK_TEST(server_limit_503_and_recovery)
{
	struct uk_prom_server *s = start(4, 0, 0, 10000);
	uint64_t rej = sval("ukprom/rejected_connections");
	struct tc t[4];
	struct tc_resp r;
	uint16_t port;
	int i;

	UK_ASSERT_TRUE(s);
	port = uk_prom_server_port(s);
	UK_ASSERT_TRUE(open_idle(t, 4, port));
	UK_EXPECT(sval("ukprom/connections") == 4);
	UK_ASSERT_EQ(tc_get(port, GET_METRICS, &r, 0), 0);
	UK_EXPECT(r.status == 503);
	UK_EXPECT(!strcmp(tc_header(&r, "Retry-After"), "1"));
	UK_EXPECT(strstr(r.head, "503 Service Unavailable") != NULL);
	UK_EXPECT(sval("ukprom/rejected_connections") == rej + 1);
	tc_resp_free(&r);
	for (i = 0; i < 4; i++)
		tc_close(&t[i]);
	UK_EXPECT(conns_settle(0));
	UK_ASSERT_EQ(tc_get(port, GET_METRICS, &r, 0), 0);
	UK_EXPECT(r.status == 200);
	tc_resp_free(&r);
	uk_prom_server_stop(s);
}

/* At the limit, after the grace, a newcomer replaces the oldest holder:
 * idle ones, or ones stuck in the middle of a request. */
static void evict_case(int stuck)
{
	struct uk_prom_server *s = start(2, 0, 0, 200);
	uint64_t ev = sval("ukprom/evicted_connections");
	struct tc t[2];
	struct tc_resp r;
	uint16_t port;

	UK_ASSERT_TRUE(s);
	port = uk_prom_server_port(s);
	UK_ASSERT_TRUE(open_idle(t, 2, port));
	if (stuck) {
		UK_ASSERT_EQ(tc_sends(&t[1], "GET /metr"), 0);
		sleep_ms(50);
		UK_ASSERT_EQ(tc_sends(&t[0], "GET /metr"), 0);
	}
	/* Within the grace: 503. */
	UK_ASSERT_EQ(tc_get(port, GET_METRICS, &r, 0), 0);
	UK_EXPECT(r.status == 503);
	tc_resp_free(&r);
	sleep_ms(300);
	UK_ASSERT_EQ(tc_get(port, GET_METRICS, &r, 0), 0);
	UK_EXPECT(r.status == 200);
	tc_resp_free(&r);
	UK_EXPECT(sval("ukprom/evicted_connections") == ev + 1);
	/* The oldest went: t[1] when stuck (it wrote first), else t[0]. */
	UK_EXPECT(tc_wait_closed(&t[stuck ? 1 : 0], 2000));
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
	struct uk_prom_server *s = start(0, 0, 0, 300);
	static struct tc t[64];
	struct tc_resp r;
	uint64_t t0;
	uint16_t port;
	int i, opened = 0;

	UK_ASSERT_TRUE(s);
	port = uk_prom_server_port(s);
	for (i = 0; i < 64; i++)
		opened += !tc_open(&t[i], port, 0);
	UK_EXPECT(opened == 64);
	sleep_ms(400);
	t0 = uk_plat_time_mono_ns();
	UK_ASSERT_EQ(tc_get(port, GET_METRICS, &r, 0), 0);
	t0 = uk_plat_time_mono_ns() - t0;
	UK_EXPECT(r.status == 200);
	uk_test_log("scrape behind 64 idle connections: %llu us\n",
		    (unsigned long long)(t0 / 1000));
	UK_EXPECT(t0 < 1000 * UK_NSEC_PER_MSEC);
	tc_resp_free(&r);
	for (i = 0; i < 64; i++)
		tc_close(&t[i]);
	uk_prom_server_stop(s);
}

UK_TEST(server_client_vanishes_mid_response)
{
	struct uk_prom_server *s = start(0, 0, 0, 0);
	struct tc_resp r;
	struct tc t;
	char buf[100];
	int i;

	UK_ASSERT_TRUE(s);
	for (i = 0; i < 3; i++) {
		UK_ASSERT_EQ(tc_open(&t, uk_prom_server_port(s), 4096), 0);
		UK_ASSERT_EQ(tc_sends(&t, GET_METRICS), 0);
		UK_EXPECT(recv(t.fd, buf, sizeof(buf), 0) > 0);
		if (i == 2)
			tc_close(&t);
		else
			tc_abort(&t);
	}
	UK_ASSERT_EQ(tc_get(uk_prom_server_port(s), GET_METRICS, &r, 0), 0);
	UK_EXPECT(r.status == 200);
	UK_EXPECT(strstr(r.body, "tsrv_answer 42\n") != NULL);
	tc_resp_free(&r);
	UK_EXPECT(conns_settle(0));
	uk_prom_server_stop(s);
}

UK_TEST(server_send_stall_dropped)
{
	struct uk_prom_server *s = start(0, 0, 300, 0);
	struct tc_resp r;
	struct tc t;
	int i;

	UK_ASSERT_TRUE(s);
	UK_ASSERT_EQ(tc_open(&t, uk_prom_server_port(s), 2048), 0);
	/* Ask for more bodies (about 6 MiB) than the socket buffers hold,
	 * and read none. */
	for (i = 0; i < 64; i++)
		UK_ASSERT_EQ(tc_sends(&t, GET_METRICS), 0);
	sleep_ms(100);
	UK_EXPECT(sval("ukprom/connections") == 1);
	/* Meanwhile others are served. */
	UK_ASSERT_EQ(tc_get(uk_prom_server_port(s), GET_METRICS, &r, 0), 0);
	UK_EXPECT(r.status == 200);
	tc_resp_free(&r);
	UK_EXPECT(conns_settle(0));
	tc_close(&t);
	uk_prom_server_stop(s);
}

UK_TEST(server_self_metrics_move)
{
	struct uk_prom_server *s = start(0, 0, 0, 0);
	uint64_t text, om, e404, sent, cnt;
	struct tc_resp r;
	uint16_t port;

	UK_ASSERT_TRUE(s);
	port = uk_prom_server_port(s);
	text = sval("ukprom/text/scrapes");
	om = sval("ukprom/openmetrics/scrapes");
	e404 = sval("ukprom/404/http_errors");
	sent = sval("ukprom/sent_bytes");
	{
		struct uk_store_ref ref;
		struct uk_store_value v;

		UK_ASSERT_EQ(uk_store_lookup("ukprom/scrape_duration_seconds",
					     &ref), 0);
		UK_ASSERT_EQ(uk_store_read(&ref, &v), 0);
		cnt = v.hist.count;
		uk_store_ref_put(&ref);
	}
	UK_ASSERT_EQ(tc_get(port, GET_METRICS, &r, 0), 0);
	tc_resp_free(&r);
	UK_ASSERT_EQ(tc_get(port, "GET /metrics HTTP/1.1\r\nHost: t\r\n"
			    "Accept: application/openmetrics-text\r\n\r\n",
			    &r, 0), 0);
	UK_EXPECT(strstr(r.body, "ukprom_scrapes_total{format=\"text\"}"));
	UK_EXPECT(strstr(r.body, "ukprom_http_errors_total{code=\"404\"}"));
	UK_EXPECT(strstr(r.body, "ukprom_sent_bytes_total"));
	UK_EXPECT(strstr(r.body, "ukprom_scrape_duration_seconds_bucket"));
	UK_EXPECT(strstr(r.body, "ukprom_connections 1"));
	tc_resp_free(&r);
	UK_ASSERT_EQ(tc_get(port, "GET /x HTTP/1.1\r\nHost: t\r\n\r\n", &r, 0),
		     0);
	tc_resp_free(&r);
	UK_EXPECT(conns_settle(0));
	UK_EXPECT(sval("ukprom/text/scrapes") == text + 1);
	UK_EXPECT(sval("ukprom/openmetrics/scrapes") == om + 1);
	UK_EXPECT(sval("ukprom/404/http_errors") == e404 + 1);
	UK_EXPECT(sval("ukprom/sent_bytes") > sent + 2 * 16384);
	{
		struct uk_store_ref ref;
		struct uk_store_value v;

		UK_ASSERT_EQ(uk_store_lookup("ukprom/scrape_duration_seconds",
					     &ref), 0);
		UK_ASSERT_EQ(uk_store_read(&ref, &v), 0);
		UK_EXPECT(v.hist.count == cnt + 2);
		uk_store_ref_put(&ref);
	}
	uk_prom_server_stop(s);
}

UK_TEST(server_scrape_allocates_nothing)
{
	struct uk_prom_server *s = start(0, 0, 0, 0);
	struct uk_alloc_failing f;
	struct uk_alloc *old;
	struct tc_resp r;
	uint16_t port;

	UK_ASSERT_TRUE(s);
	port = uk_prom_server_port(s);
	/* Warm up: first scrape, first listing. */
	UK_ASSERT_EQ(tc_get(port, GET_METRICS, &r, 0), 0);
	tc_resp_free(&r);
	uk_alloc_failing_init(&f, uk_alloc_get_default(), 0, 0);
	old = uk_alloc_set_default(&f.a);
	UK_ASSERT_EQ(tc_get(port, GET_METRICS, &r, 0), 0);
	UK_EXPECT(r.status == 200);
	tc_resp_free(&r);
	UK_ASSERT_EQ(tc_get(port, "GET /metrics HTTP/1.1\r\nHost: t\r\n"
			    "Accept: application/openmetrics-text\r\n\r\n",
			    &r, 0), 0);
	UK_EXPECT(r.status == 200);
	tc_resp_free(&r);
	UK_ASSERT_EQ(tc_get(port, "GET /store/tsrv HTTP/1.1\r\nHost: t\r\n"
			    "\r\n", &r, 0), 0);
	tc_resp_free(&r);
	UK_ASSERT_EQ(tc_get(port, "GET /store/tsrv/x%20y/hits HTTP/1.1\r\n"
			    "Host: t\r\n\r\n", &r, 0), 0);
	tc_resp_free(&r);
	uk_alloc_set_default(old);
	uk_test_log("allocations during scrapes: %llu\n",
		    (unsigned long long)f.calls);
	UK_EXPECT(f.calls == 0);
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
	s = start(0, 0, 0, 0);
	UK_ASSERT_TRUE(s);
	uk_prom_server_stop(s);

	memset(&c, 0, sizeof(c));
	c.inner = uk_alloc_get_default();
	c.a.malloc = c_malloc;
	c.a.memalign = c.inner->memalign;
	c.a.realloc = c.inner->realloc;
	c.a.free = c_free;
	c.fail_after = -1;
	old = uk_alloc_set_default(&c.a);
	s = start(0, 0, 0, 0);
	UK_ASSERT_TRUE(s);
	UK_EXPECT(c.live > 0);
	/* Stop with a connection open and a scrape half-read. */
	UK_ASSERT_EQ(tc_open(&t, uk_prom_server_port(s), 4096), 0);
	UK_ASSERT_EQ(tc_sends(&t, GET_METRICS), 0);
	sleep_ms(50);
	uk_prom_server_stop(s);
	tc_close(&t);
	UK_EXPECT(c.live == 0);
	/* Every allocation failure of start is reported and cleaned up. */
	for (i = 0; i < 10; i++) {
		c.fail_after = i;
		s = start(0, 0, 0, 0);
		if (!s) {
			fails++;
			UK_EXPECT(c.live == 0);
			continue;
		}
		UK_ASSERT_EQ(tc_get(uk_prom_server_port(s), GET_METRICS,
				    &r, 0), 0);
		UK_EXPECT(r.status == 200);
		tc_resp_free(&r);
		uk_prom_server_stop(s);
		UK_EXPECT(c.live == 0);
	}
	UK_EXPECT(fails >= 3);
	uk_alloc_set_default(old);
}

UK_TEST(server_bad_config)
{
	struct uk_prom_server_cfg cfg;
	struct uk_prom_server *s, *s2;

	memset(&cfg, 0, sizeof(cfg));
	cfg.addr = "127.0.0.300";
	cfg.any_port = 1;
	UK_ASSERT_EQ(uk_prom_server_start(&cfg, &s), -EINVAL);
	cfg.addr = "127.0.0.1";
	UK_ASSERT_EQ(uk_prom_server_start(&cfg, &s), 0);
	cfg.any_port = 0;
	cfg.port = uk_prom_server_port(s);
	UK_ASSERT_EQ(uk_prom_server_start(&cfg, &s2), -EADDRINUSE);
	uk_prom_server_stop(s);
}

UK_TEST(server_idle_does_not_spin)
{
	struct uk_prom_server *s = start(0, 0, 0, 0);
	struct rusage ru0, ru1;
	struct tc t[4];
	uint64_t cpu_us;
	int i;

	UK_ASSERT_TRUE(s);
	UK_ASSERT_TRUE(open_idle(t, 4, uk_prom_server_port(s)));
	getrusage(RUSAGE_SELF, &ru0);
	sleep_ms(1000);
	getrusage(RUSAGE_SELF, &ru1);
	cpu_us = (uint64_t)((ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec +
			     ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) *
			    1000000L + ru1.ru_utime.tv_usec -
			    ru0.ru_utime.tv_usec + ru1.ru_stime.tv_usec -
			    ru0.ru_stime.tv_usec);
	uk_test_log("CPU over 1 s idle with 4 connections: %llu us\n",
		    (unsigned long long)cpu_us);
	UK_EXPECT(cpu_us < 50000);
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
	UK_ASSERT_EQ(uk_prom_server_start(&cfg, &s), 0);
	UK_ASSERT_TRUE(open_idle(t, 1, uk_prom_server_port(s)));
	UK_EXPECT(!tc_wait_closed(&t[0], 300));
	t0 = uk_plat_time_mono_ns();
	__atomic_store_n(&clock_skew, 61 * UK_NSEC_PER_SEC, __ATOMIC_RELAXED);
	UK_EXPECT(tc_wait_closed(&t[0], 2000));
	t0 = uk_plat_time_mono_ns() - t0;
	uk_test_log("idle close %llu ms after the clock jumped\n",
		    (unsigned long long)(t0 / UK_NSEC_PER_MSEC));
	UK_EXPECT(t0 < 800 * UK_NSEC_PER_MSEC);
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
			if (tc_get(a->port[1], GET_METRICS, &r, 0))
				break;
		} else if (tc_sends(&t, GET_METRICS) ||
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
	struct uk_prom_server *s1 = start(0, 0, 0, 0), *s2 = start(0, 0, 0, 0);
	struct uk_thread *th[4];
	struct client_arg a[4];
	struct uk_store_folder *f;
	char name[16];
	int i, total = 0;

	UK_ASSERT_TRUE(s1 && s2);
	for (i = 0; i < 4; i++) {
		a[i].port[i % 2] = uk_prom_server_port(s1);
		a[i].port[1 - i % 2] = uk_prom_server_port(s2);
		a[i].ok = 0;
		UK_ASSERT_EQ(uk_thread_create(&th[i], "client", client_thread,
					      &a[i], 0), 0);
	}
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "churn%d", i % 7);
		if (!uk_store_folder_add(&uk_store_lib_tsrv, "dev", name,
					 hits_tmpl, 1, NULL, NULL, &f))
			uk_store_folder_remove(f);
		sleep_ms(1);
	}
	for (i = 0; i < 4; i++) {
		uk_thread_join(th[i]);
		total += a[i].ok;
	}
	UK_EXPECT(total == 80);
	uk_prom_server_stop(s1);
	uk_prom_server_stop(s2);
	UK_EXPECT(sval("ukprom/connections") == 0);
}
