/*
 * Tests of the exporter's HTTP server, part three: access control over
 * real loopback sockets.  The allow-list (a client from 127.0.0.2 when
 * only 127.0.0.1 may connect is reset before anything is read, and
 * counted), and basic authentication (401 with a Basic challenge on every
 * route without credentials or with wrong ones, the connection kept; the
 * right ones served; two Authorization fields 400; 401s counted).  The
 * primitives themselves are tested in test_access.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/prom.h>
#include <uk/test.h>

#include "test_server_util.h"

/* "prom:" and the SHA-256 of "s3cret" (printf s3cret | sha256sum). */
#define AUTH "prom:1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba" \
	"3670f99fcba0"

UK_TEST(server_allow_list)
{
	struct uk_prom_server_cfg cfg;
	struct uk_prom_server *s;
	uint64_t denied = ts_sval("ukprom/denied_connections");
	struct tc_resp r;
	struct tc t;
	uint16_t port;

	memset(&cfg, 0, sizeof(cfg));
	cfg.allow = "10.0.0.0/8,127.0.0.1/32";
	s = ts_start_cfg(&cfg);
	UK_TEST_ASSERT(s);
	port = uk_prom_server_port(s);
	/* Not on the list: reset, never answered. */
	UK_TEST_EQ(tc_open_from(&t, port, "127.0.0.2"), 0);
	UK_TEST_EXPECT(tc_wait_closed(&t, TS_LIVE_MS));
	UK_TEST_EXPECT(t.reset);
	UK_TEST_EQ(t.len, 0);
	tc_close(&t);
	/* Also when it sends a request at once (the reset may then be
	 * reported by the send). */
	UK_TEST_EQ(tc_open_from(&t, port, "127.0.0.2"), 0);
	if (!tc_sends(&t, TS_GET_METRICS))
		UK_TEST_EXPECT(tc_wait_closed(&t, TS_LIVE_MS));
	UK_TEST_EQ(t.len, 0);
	tc_close(&t);
	UK_TEST_EQ(ts_sval("ukprom/denied_connections"), denied + 2);
	/* On the list. */
	UK_TEST_EQ(tc_open_from(&t, port, "127.0.0.1"), 0);
	UK_TEST_EQ(tc_sends(&t, TS_GET_METRICS), 0);
	UK_TEST_EQ(tc_read(&t, &r, 0, TS_LIVE_MS), 0);
	UK_TEST_EQ(r.status, 200);
	tc_resp_free(&r);
	tc_close(&t);
	uk_prom_server_stop(s);

	/* A whole /8. */
	cfg.allow = "127.0.0.0/8";
	s = ts_start_cfg(&cfg);
	UK_TEST_ASSERT(s);
	UK_TEST_EQ(tc_open_from(&t, uk_prom_server_port(s), "127.0.0.2"), 0);
	UK_TEST_EQ(tc_sends(&t, TS_GET_METRICS), 0);
	UK_TEST_EQ(tc_read(&t, &r, 0, TS_LIVE_MS), 0);
	UK_TEST_EQ(r.status, 200);
	tc_resp_free(&r);
	tc_close(&t);
	uk_prom_server_stop(s);
	UK_TEST_EQ(ts_sval("ukprom/denied_connections"), denied + 2);
}

/* Sends req on t and returns the status (-1 on failure); *r keeps it. */
static int ask(struct tc *t, const char *req, struct tc_resp *r, int head)
{
	if (tc_sends(t, req) || tc_read(t, r, head, TS_LIVE_MS))
		return -1;
	return r->status;
}

#define REQ(path, extra) \
	"GET " path " HTTP/1.1\r\nHost: t\r\n" extra "\r\n"
#define GOOD "Authorization: Basic cHJvbTpzM2NyZXQ=\r\n"

UK_TEST(server_basic_auth)
{
	static const char *const denied[] = {
		REQ("/metrics", ""),
		REQ("/metrics", "Authorization: Basic cHJvbTpzM2NyZXM=\r\n"),
		REQ("/metrics", "Authorization: Basic UHJvbTpzM2NyZXQ=\r\n"),
		REQ("/metrics", "Authorization: Basic cHJvbTpzM2NyZXQ\r\n"),
		REQ("/metrics", "Authorization: Bearer cHJvbTpzM2NyZXQ=\r\n"),
		REQ("/metrics", "Authorization: \r\n"),
		REQ("/", ""),
		REQ("/store/tsrv/answer", ""),
		REQ("/nope", ""),
	};
	struct uk_prom_server_cfg cfg;
	struct uk_prom_server *s;
	struct tc_resp r;
	struct tc t;
	uint64_t e401;
	size_t i;

	memset(&cfg, 0, sizeof(cfg));
	cfg.auth = AUTH;
	s = ts_start_cfg(&cfg);
	UK_TEST_ASSERT(s);
	/* The code folders exist once a server started. */
	e401 = ts_sval("ukprom/401/http_errors");
	UK_TEST_EQ(tc_open(&t, uk_prom_server_port(s), 0), 0);
	/* Every refusal on the same connection: a 401 keeps it open. */
	for (i = 0; i < sizeof(denied) / sizeof(denied[0]); i++) {
		UK_TEST_EQ(ask(&t, denied[i], &r, 0), 401);
		UK_TEST_STREQ(tc_header(&r, "WWW-Authenticate"),
			      "Basic realm=\"ukmon\", charset=\"UTF-8\"");
		UK_TEST_EXPECT(!tc_header(&r, "Connection"));
		UK_TEST_STREQ(r.body, "401 Unauthorized\n");
		tc_resp_free(&r);
	}
	UK_TEST_EQ(ask(&t, "HEAD /metrics HTTP/1.1\r\nHost: t\r\n\r\n", &r,
		       1), 401);
	tc_resp_free(&r);
	UK_TEST_EQ(ts_sval("ukprom/401/http_errors"), e401 + 10);
	/* The right credentials, on every route. */
	UK_TEST_EQ(ask(&t, REQ("/metrics", GOOD), &r, 0), 200);
	UK_TEST_EXPECT(strstr(r.body, "tsrv_answer 42\n") != NULL);
	tc_resp_free(&r);
	UK_TEST_EQ(ask(&t, REQ("/store/tsrv/answer", GOOD), &r, 0), 200);
	UK_TEST_STREQ(r.body, "42\n");
	tc_resp_free(&r);
	UK_TEST_EQ(ask(&t, REQ("/nope", GOOD), &r, 0), 404);
	tc_resp_free(&r);
	/* Whose credentials would count is ambiguous: 400, closed. */
	UK_TEST_EQ(ask(&t, REQ("/metrics", GOOD GOOD), &r, 0), 400);
	tc_resp_free(&r);
	UK_TEST_EXPECT(tc_wait_closed(&t, TS_LIVE_MS));
	tc_close(&t);
	UK_TEST_EQ(ts_sval("ukprom/401/http_errors"), e401 + 10);
	uk_prom_server_stop(s);
}
