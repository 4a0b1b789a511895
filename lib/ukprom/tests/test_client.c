/*
 * ukprom's push client (client.c) against servers that misbehave on
 * purpose: tests/lib/push_server.py, started by push_client.sh, which
 * passes its ports in UKP_TEST_PORT and UKP_TEST_BLACKHOLE.  Each case
 * picks the server's behaviour by the request path (/ok, /status/400,
 * /reset, /hang, /slow, /partial, ...) and checks the client's result
 * code, phase and message.  Timeouts are short (a few hundred ms) so the
 * cases are quick; what they check is the outcome, not the time taken.
 * One case drives the deadline with an injected clock that leaps an hour
 * per reading, so an hour's timeout fires at once: the deadline is the
 * clock's, not the wall's.  The response-head parser's own cases need
 * no server.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/plat/time.h>
#include <uk/test.h>

#include "../client.h"

#define MS (UK_NSEC_PER_MSEC)

/* ---- the response-head parser ------------------------------------------ */

static int parse(const char *s, struct _uk_prom_resp_head *h)
{
	return _uk_prom_resp_head_parse(s, strlen(s), h);
}

UK_TEST(resp_head_complete)
{
	struct _uk_prom_resp_head h;
	const char *r = "HTTP/1.1 400 Bad Request\r\nContent-Length: 12\r\n"
			"Content-Type: text/plain\r\n\r\nbody follows";

	UK_TEST_EQ(parse(r, &h), 0);
	UK_TEST_EQ(h.status, 400);
	UK_TEST_EQ(h.content_length, 12);
	UK_TEST_EQ(h.chunked, 0);
	UK_TEST_EQ(h.head_len, strlen(r) - 12);
	UK_TEST_EQ(h.reason_len, 11);
	UK_TEST_EQ(memcmp(h.reason, "Bad Request", 11), 0);
	/* Bare LFs, no reason, chunked last. */
	UK_TEST_EQ(parse("HTTP/1.0 202\nTransfer-Encoding: gzip, chunked\n\n",
			 &h), 0);
	UK_TEST_EQ(h.status, 202);
	UK_TEST_EQ(h.reason_len, 0);
	UK_TEST_EQ(h.chunked, 1);
	UK_TEST_EQ(h.content_length, -1);
}

UK_TEST(resp_head_incomplete)
{
	static const char *const parts[] = {
		"", "H", "HTTP/1.", "HTTP/1.1", "HTTP/1.1 ", "HTTP/1.1 20",
		"HTTP/1.1 200", "HTTP/1.1 200 OK", "HTTP/1.1 200 OK\r",
		"HTTP/1.1 200 OK\r\n", "HTTP/1.1 200 OK\r\nA: b",
		"HTTP/1.1 200 OK\r\nA: b\r\n", "HTTP/1.1 200 OK\r\n\r",
	};
	struct _uk_prom_resp_head h;
	unsigned int i;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		UK_TEST_EQ(parse(parts[i], &h), -EAGAIN);
}

UK_TEST(resp_head_malformed)
{
	static const char *const bad[] = {
		"SSH-2.0-OpenSSH", "HTTP/2 200 OK\r\n\r\n",
		"HTTP/1.1 20x OK\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n",
		"HTTP/1.1 099 Low\r\n\r\n", "HTTP/1.1 600 High\r\n\r\n",
		"HTTP/1.1  200 OK\r\n\r\n", "HTTP/1.1 200 OK\rX\n\r\n",
		"HTTP/1.1 200 OK\r\nNo colon\r\n\r\n",
		"HTTP/1.1 200 OK\r\n: empty name\r\n\r\n",
		"HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n"
		"Content-Length: 2\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
		"HTTP/1.1 200 O\001K\r\n\r\n",
	};
	struct _uk_prom_resp_head h;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i], &h) != -EPROTO)
			uk_test_log("accepted: %s", bad[i]);
		UK_TEST_EQ(parse(bad[i], &h), -EPROTO);
	}
}

/* ---- against the test servers ------------------------------------------- */

static uint16_t port, blackhole;

static int servers(void)
{
	const char *p = getenv("UKP_TEST_PORT"), *b =
		getenv("UKP_TEST_BLACKHOLE");

	if (!p || !b) {
		uk_test_log("UKP_TEST_PORT/UKP_TEST_BLACKHOLE unset: run "
			    "lib/ukprom/tests/push_client.sh");
		return 0;
	}
	port = (uint16_t)atoi(p);
	blackhole = (uint16_t)atoi(b);
	return 1;
}

/* A body of `left` bytes of a pattern, handed out `step` at a time. */
struct pattern {
	size_t left, step, sent;
};

static size_t pattern_body(void *cookie, char *buf, size_t size)
{
	struct pattern *p = cookie;
	size_t n = p->left < size ? p->left : size, i;

	if (p->step && n > p->step)
		n = p->step;
	for (i = 0; i < n; i++)
		buf[i] = (char)('a' + (p->sent + i) % 26);
	p->sent += n;
	p->left -= n;
	return n;
}

static char buf[4096];

/*
 * The deadline of a post that must succeed or fail on its own (not by
 * timing out): a liveness bound only, generous because a loaded host (or
 * TSan) can take seconds over a 2 MiB body.
 */
#define LIVE_MS 60000

/*
 * POSTs `len` bytes to the test server at target within timeout_ms.
 * Returns the client's result.
 */
static int post(const char *target, size_t len, uint32_t timeout_ms,
		uint16_t to_port, struct _uk_prom_post_result *res)
{
	struct pattern pat = { len, 0, 0 };
	struct _uk_prom_post q = { 0 };

	q.addr = "127.0.0.1";
	q.port = to_port;
	q.target = target;
	q.content_type = "text/plain; version=0.0.4; charset=utf-8";
	q.body = pattern_body;
	q.cookie = &pat;
	q.buf = buf;
	q.size = sizeof(buf);
	q.deadline_ns = uk_plat_time_mono_ns() + timeout_ms * MS;
	return _uk_prom_post(&q, res);
}

UK_TEST(client_ok)
{
	static const size_t lens[] = { 0, 1, 4083, 4084, 4085, 100000 };
	struct _uk_prom_post_result res;
	char want[64];
	unsigned int i;

	UK_TEST_ASSERT(servers());
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		UK_TEST_EQ(post("/ok/x", lens[i], LIVE_MS, port, &res), 200);
		snprintf(want, sizeof(want), "got %zu bytes", lens[i]);
		UK_TEST_STREQ(res.msg, want);
		UK_TEST_EQ(res.body_bytes, lens[i]);
		UK_TEST_EQ(res.phase, _UKP_PHASE_DONE);
	}
}

UK_TEST(client_interim_100)
{
	struct _uk_prom_post_result res;

	/* 2 MiB: the 100 arrives while the body is going out, and must
	 * not stop it. */
	UK_TEST_ASSERT(servers());
	UK_TEST_EQ(post("/continue/x", 2 << 20, LIVE_MS, port, &res), 200);
	UK_TEST_STREQ(res.msg, "got 2097152 bytes");
}

UK_TEST(client_4xx_5xx)
{
	struct _uk_prom_post_result res;

	UK_TEST_ASSERT(servers());
	UK_TEST_EQ(post("/status/400/x", 300, LIVE_MS, port, &res), 400);
	UK_TEST_STREQ(res.msg, "Test Status: push refused by the test server");
	UK_TEST_EQ(post("/status/503/x", 300, LIVE_MS, port, &res), 503);
	UK_TEST_EQ(res.status, 503);
	UK_TEST_STREQ(res.msg, "Test Status: push refused by the test server");
}

UK_TEST(client_early_answer)
{
	struct _uk_prom_post_result res;

	/* 8 MiB: far more than the socket buffers take before the 413. */
	UK_TEST_ASSERT(servers());
	UK_TEST_EQ(post("/early/x", 8 << 20, LIVE_MS, port, &res), 413);
	UK_TEST_STREQ(res.msg, "Payload Too Large: too big");
	UK_TEST_EXPECT(res.body_bytes < (8u << 20));
}

UK_TEST(client_reset)
{
	struct _uk_prom_post_result res;
	int rc;

	UK_TEST_ASSERT(servers());
	rc = post("/reset/x", 100000, LIVE_MS, port, &res);
	UK_TEST_EQ(rc, -ECONNRESET);
}

UK_TEST(client_refused)
{
	struct _uk_prom_post_result res;

	UK_TEST_ASSERT(servers());
	/* Port 1 on loopback: nothing listens there. */
	UK_TEST_EQ(post("/ok/x", 10, LIVE_MS, 1, &res), -ECONNREFUSED);
	UK_TEST_EQ(res.phase, _UKP_PHASE_CONNECT);
}

UK_TEST(client_never_accepts)
{
	struct _uk_prom_post_result res;

	UK_TEST_ASSERT(servers());
	UK_TEST_EQ(post("/ok/x", 10, 300, blackhole, &res), -ETIMEDOUT);
	UK_TEST_EQ(res.phase, _UKP_PHASE_CONNECT);
}

UK_TEST(client_never_answers)
{
	struct _uk_prom_post_result res;

	UK_TEST_ASSERT(servers());
	UK_TEST_EQ(post("/hang/x", 1000, 300, port, &res), -ETIMEDOUT);
	UK_TEST_EQ(res.phase, _UKP_PHASE_RESPONSE);
	UK_TEST_EQ(res.body_bytes, 1000);
}

UK_TEST(client_slow_answer)
{
	struct _uk_prom_post_result res;

	/* A byte per 100 ms: the head would take 4 s; bytes do not extend
	 * the deadline. */
	UK_TEST_ASSERT(servers());
	UK_TEST_EQ(post("/slow/x", 10, 500, port, &res), -ETIMEDOUT);
	UK_TEST_EQ(res.phase, _UKP_PHASE_RESPONSE);
}

UK_TEST(client_bad_answers)
{
	struct _uk_prom_post_result res;

	UK_TEST_ASSERT(servers());
	UK_TEST_EQ(post("/partial/x", 10, LIVE_MS, port, &res), -EPROTO);
	UK_TEST_STREQ(res.msg, "connection closed in the middle of the "
		      "response head: HTTP/1.1 20");
	UK_TEST_EQ(post("/garbage/x", 10, LIVE_MS, port, &res), -EPROTO);
	UK_TEST_STREQ(res.msg, "malformed response head: SSH-2.0-OpenSSH_9.2");
	UK_TEST_EQ(post("/close/x", 10, LIVE_MS, port, &res), -EPROTO);
	UK_TEST_STREQ(res.msg, "connection closed without a response");
	UK_TEST_EQ(post("/longhead/x", 10, LIVE_MS, port, &res), -EPROTO);
	UK_TEST_STREQ(res.msg, "response head too long");
}

UK_TEST(client_bad_parameters)
{
	struct _uk_prom_post_result res;
	struct pattern pat = { 0, 0, 0 };
	struct _uk_prom_post q = { 0 };
	char small[64];
	static char target[5000];

	q.addr = "10.0.0.300";
	q.port = 9;
	q.target = "/";
	q.body = pattern_body;
	q.cookie = &pat;
	q.buf = buf;
	q.size = sizeof(buf);
	q.deadline_ns = uk_plat_time_mono_ns() + 1000 * MS;
	UK_TEST_EQ(_uk_prom_post(&q, &res), -EINVAL);
	q.buf = small;
	q.size = sizeof(small);
	UK_TEST_EQ(_uk_prom_post(&q, &res), -EINVAL);
	UK_TEST_ASSERT(servers());
	/* A target that does not fit the buffer with the head. */
	memset(target, 'a', sizeof(target) - 1);
	target[0] = '/';
	q.addr = "127.0.0.1";
	q.port = port;
	q.target = target;
	q.buf = buf;
	q.size = sizeof(buf);
	UK_TEST_EQ(_uk_prom_post(&q, &res), -EINVAL);
	UK_TEST_STREQ(res.msg, "request target too long for the buffer");
}

/* A clock that leaps an hour each time it is read. */
static uint64_t leap_now;

static uint64_t leap_clock(void)
{
	return __atomic_add_fetch(&leap_now, 3600 * UK_NSEC_PER_SEC,
				  __ATOMIC_RELAXED);
}

UK_TEST(client_injected_clock)
{
	struct _uk_prom_post_result res;
	struct pattern pat = { 10, 0, 0 };
	struct _uk_prom_post q = { 0 };

	UK_TEST_ASSERT(servers());
	q.addr = "127.0.0.1";
	q.port = port;
	q.target = "/hang/x";
	q.content_type = "text/plain; version=0.0.4; charset=utf-8";
	q.body = pattern_body;
	q.cookie = &pat;
	q.buf = buf;
	q.size = sizeof(buf);
	q.clock_ns = leap_clock;
	/* A deadline three hours ahead: three readings of the clock. */
	q.deadline_ns = leap_clock() + 3 * 3600 * UK_NSEC_PER_SEC;
	UK_TEST_EQ(_uk_prom_post(&q, &res), -ETIMEDOUT);
}

struct cancel_run {
	uint32_t cancel;
	int rc;
	struct _uk_prom_post_result res;
	char buf[4096];
};

static void *cancel_thread(void *arg)
{
	struct cancel_run *r = arg;
	struct pattern pat = { 10, 0, 0 };
	struct _uk_prom_post q = { 0 };

	q.addr = "127.0.0.1";
	q.port = port;
	q.target = "/hang/x";
	q.content_type = "text/plain; version=0.0.4; charset=utf-8";
	q.body = pattern_body;
	q.cookie = &pat;
	q.buf = r->buf;
	q.size = sizeof(r->buf);
	q.cancel = &r->cancel;
	q.deadline_ns = uk_plat_time_mono_ns() + 60000 * MS;
	r->rc = _uk_prom_post(&q, &r->res);
	return NULL;
}

UK_TEST(client_cancel)
{
	static struct cancel_run r;
	pthread_t t;

	UK_TEST_ASSERT(servers());
	UK_TEST_EQ(pthread_create(&t, NULL, cancel_thread, &r), 0);
	/* Whenever the flag is seen (before or after the request is out),
	 * the client gives up with -ECANCELED, not at its 60 s deadline. */
	__atomic_store_n(&r.cancel, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	UK_TEST_EQ(r.rc, -ECANCELED);
}
