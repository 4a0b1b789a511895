/*
 * Tests of the exporter's request-head parser on its own: well-formed
 * requests in both versions and forms, every malformed case it rejects
 * with its status, the size limits, pipelined buffers (two heads back to
 * back), input cut at every byte (always "need more", never an error or
 * a different verdict), the Authorization field, and the percent-decoder.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/test.h>

#include "../http.h"

static struct uk_prom_http_req req;

static int parse(const char *s)
{
	return uk_prom_http_parse(s, strlen(s), &req);
}

static int field_is(const char *p, uint32_t n, const char *lit)
{
	return p && n == strlen(lit) && !memcmp(p, lit, n);
}

UK_TEST(http_get_11)
{
	const char *s = "GET /metrics HTTP/1.1\r\nHost: x\r\n"
			"Accept: text/plain;q=0.5 \r\n\r\n";

	UK_TEST_EQ(parse(s), 1);
	UK_TEST_EQ(req.method, UK_PROM_HTTP_GET);
	UK_TEST_EQ(req.minor, 1);
	UK_TEST_EQ(req.keep_alive, 1);
	UK_TEST_EQ(req.head_len, strlen(s));
	UK_TEST_EXPECT(field_is(req.path, req.path_len, "/metrics"));
	UK_TEST_EXPECT(field_is(req.target, req.target_len, "/metrics"));
	UK_TEST_EXPECT(field_is(req.accept, req.accept_len, "text/plain;q=0.5"));
	UK_TEST_EXPECT(field_is(req.mname, req.mname_len, "GET"));
}

UK_TEST(http_head_query_and_bare_lf)
{
	const char *s = "HEAD /metrics?x=1&y HTTP/1.1\nhost:\n\n";

	UK_TEST_EQ(parse(s), 1);
	UK_TEST_EQ(req.method, UK_PROM_HTTP_HEAD);
	UK_TEST_EXPECT(field_is(req.path, req.path_len, "/metrics"));
	UK_TEST_EXPECT(field_is(req.target, req.target_len, "/metrics?x=1&y"));
	UK_TEST_EXPECT(req.accept == NULL);
	UK_TEST_EQ(req.head_len, strlen(s));
}

UK_TEST(http_10_and_connection)
{
	UK_TEST_EQ(parse("GET / HTTP/1.0\r\n\r\n"), 1);
	UK_TEST_EQ(req.minor, 0);
	UK_TEST_EQ(req.keep_alive, 0);
	UK_TEST_EQ(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"),
		     1);
	UK_TEST_EQ(req.keep_alive, 1);
	UK_TEST_EQ(parse("GET / HTTP/1.1\r\nHost: a\r\n"
			   "Connection: foo, CLOSE\r\n\r\n"), 1);
	UK_TEST_EQ(req.keep_alive, 0);
	UK_TEST_EQ(parse("GET / HTTP/1.1\r\nHost: a\r\n"
			   "Connection: keep-alive,close\r\n\r\n"), 1);
	UK_TEST_EQ(req.keep_alive, 0);
	/* 1.2 .. 1.9 act as 1.1 */
	UK_TEST_EQ(parse("GET / HTTP/1.7\r\nHost: a\r\n\r\n"), 1);
	UK_TEST_EQ(req.minor, 1);
}

UK_TEST(http_other_methods_and_forms)
{
	UK_TEST_EQ(parse("POST /metrics HTTP/1.1\r\nHost: a\r\n"
			   "Content-Length: 12\r\n\r\n"), 1);
	UK_TEST_EQ(req.method, UK_PROM_HTTP_OTHER);
	UK_TEST_EQ(req.has_cl, 1);
	UK_TEST_EQ(req.content_length, 12);
	UK_TEST_EQ(parse("get / HTTP/1.1\r\nHost: a\r\n\r\n"), 1);
	UK_TEST_EQ(req.method, UK_PROM_HTTP_OTHER);
	UK_TEST_EQ(parse("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"), 1);
	UK_TEST_EXPECT(field_is(req.path, req.path_len, "*"));
	UK_TEST_EQ(parse("GET http://h:9100/metrics?q HTTP/1.1\r\n"
			   "Host: h\r\n\r\n"), 1);
	UK_TEST_EXPECT(field_is(req.path, req.path_len, "/metrics"));
	UK_TEST_EQ(parse("GET HTTPS://h HTTP/1.1\r\nHost: h\r\n\r\n"), 1);
	UK_TEST_EXPECT(field_is(req.path, req.path_len, "/"));
	UK_TEST_EQ(parse("GET / HTTP/1.1\r\nHost: a\r\n"
			   "Transfer-Encoding: chunked\r\n\r\n"), 1);
	UK_TEST_EQ(req.has_te, 1);
}

UK_TEST(http_leading_empty_lines)
{
	UK_TEST_EQ(parse("\r\n\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"), 1);
	UK_TEST_EQ(req.method, UK_PROM_HTTP_GET);
	UK_TEST_EQ(parse("\r\n\r\n"), 0);
}

UK_TEST(http_obs_text_and_tabs_in_values)
{
	UK_TEST_EQ(parse("GET / HTTP/1.1\r\nHost:\ta\r\n"
			   "X-Y: caf\xc3\xa9\t v \t\r\n\r\n"), 1);
}

static const struct {
	const char *s;
	int status;
} bad[] = {
	{ "GET /\r\n\r\n", 400 },                          /* HTTP/0.9 */
	{ "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400 },     /* double SP */
	{ "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400 },     /* trailing SP */
	{ " GET / HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
	{ "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400 },      /* not a token */
	{ "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 400 },
	{ "GET / HTTP/1.x\r\nHost: a\r\n\r\n", 400 },
	{ "GET / http/1.1\r\nHost: a\r\n\r\n", 400 },
	{ "GET / HTTP/1.11\r\nHost: a\r\n\r\n", 400 },
	{ "GET metrics HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
	{ "GET ftp://a/ HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
	{ "GET http:/// HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
	{ "GET /a\x7f HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
	{ "GET /\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\rHost: a\r\n\r\n", 400 },        /* bare CR */
	{ "GET / HTTP/1.1\r\nHost: a\r\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: a\r\n\rx", 400 },
	{ "GET / HTTP/1.1\r\n\r\n", 400 },                 /* no Host */
	{ "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400 },
	{ "GET / HTTP/1.0\r\nHost: a\r\nhost: b\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400 },     /* SP before : */
	{ "GET / HTTP/1.1\r\nHost a\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\n: a\r\nHost: a\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: a\r\n b\r\n\r\n", 400 }, /* obs-fold */
	{ "GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: a\x01\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: a\r\nX: \x7f\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 1\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n"
	  "Content-Length: 2\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: "
	  "99999999999999999999\r\n\r\n", 400 },
	{ "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ / HTTP/1.1\r\n", 400 },
};

UK_TEST(http_malformed)
{
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r = parse(bad[i].s);

		if (r != -EINVAL || req.status != bad[i].status) {
			UK_TEST_EXPECT(0);
			uk_test_log("case %u: r=%d status=%u\n", i, r,
				    req.status);
		}
	}
}

/* Builds "GET /aaaa... HTTP/1.1\r\nHost: a\r\n\r\n" with n target bytes. */
static char *long_target(size_t n, int complete)
{
	char *s = malloc(n + 64);

	strcpy(s, "GET /");
	memset(s + 5, 'a', n - 1);
	strcpy(s + 4 + n, complete ? " HTTP/1.1\r\nHost: a\r\n\r\n" : "");
	return s;
}

UK_TEST(http_limits_target)
{
	char *s;

	s = long_target(UK_PROM_HTTP_TARGET_MAX, 1);
	UK_TEST_EXPECT(parse(s) == 1);
	UK_TEST_EXPECT(req.target_len == UK_PROM_HTTP_TARGET_MAX);
	free(s);
	s = long_target(UK_PROM_HTTP_TARGET_MAX + 1, 1);
	UK_TEST_EXPECT(parse(s) == -EINVAL && req.status == 414);
	free(s);
	/* Detected while the line is still arriving. */
	s = long_target(UK_PROM_HTTP_TARGET_MAX + 1, 0);
	UK_TEST_EXPECT(parse(s) == -EINVAL && req.status == 414);
	free(s);
	s = long_target(UK_PROM_HTTP_TARGET_MAX, 0);
	UK_TEST_EXPECT(parse(s) == 0);
	free(s);
}

UK_TEST(http_limits_head)
{
	size_t n = UK_PROM_HTTP_HEAD_MAX + 100, i;
	char *s = malloc(n + 1);
	const char *pre = "GET / HTTP/1.1\r\nHost: a\r\n";

	/* Fields filling exactly the limit, blank line included. */
	memset(s, 0, n + 1);
	strcpy(s, pre);
	i = strlen(pre);
	while (i < UK_PROM_HTTP_HEAD_MAX - 2) {
		size_t room = UK_PROM_HTTP_HEAD_MAX - 2 - i;

		if (room >= 100) {
			memcpy(s + i, "X-F: ", 5);
			memset(s + i + 5, 'v', 93);
			memcpy(s + i + 98, "\r\n", 2);
			i += 100;
		} else {
			memcpy(s + i, "X-G:", 4);
			memset(s + i + 4, 'w', room - 6);
			memcpy(s + i + room - 2, "\r\n", 2);
			i += room;
		}
	}
	memcpy(s + i, "\r\n", 2);
	UK_TEST_EQ(uk_prom_http_parse(s, UK_PROM_HTTP_HEAD_MAX, &req), 1);
	UK_TEST_EQ(req.head_len, UK_PROM_HTTP_HEAD_MAX);
	/* One byte more and the head is too large. */
	memmove(s + 1, s, UK_PROM_HTTP_HEAD_MAX);
	s[0] = '\n';
	memset(s + UK_PROM_HTTP_HEAD_MAX + 1, 'z',
	       n - UK_PROM_HTTP_HEAD_MAX - 1);
	UK_TEST_EQ(uk_prom_http_parse(s, UK_PROM_HTTP_HEAD_MAX + 1, &req),
		     -EINVAL);
	UK_TEST_EQ(req.status, 431);
	/* A buffer full of one unfinished field line is 431 as well. */
	strcpy(s, pre);
	memset(s + strlen(pre), 'h', n - strlen(pre));
	UK_TEST_EQ(uk_prom_http_parse(s, n, &req), -EINVAL);
	UK_TEST_EQ(req.status, 431);
	UK_TEST_EQ(uk_prom_http_parse(s, UK_PROM_HTTP_HEAD_MAX - 1, &req), 0);
	/* A buffer full of leading empty lines never ends the request line. */
	memset(s, '\n', n);
	UK_TEST_EQ(uk_prom_http_parse(s, n, &req), -EINVAL);
	UK_TEST_EQ(req.status, 414);
	free(s);
}

UK_TEST(http_pipelined)
{
	const char *a = "GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n";
	const char *b = "HEAD / HTTP/1.1\r\nHost: b\r\n"
			"Connection: close\r\n\r\n";
	char buf[256];
	size_t off;

	snprintf(buf, sizeof(buf), "%s%sGET /x", a, b);
	UK_TEST_EQ(parse(buf), 1);
	UK_TEST_EQ(req.method, UK_PROM_HTTP_GET);
	UK_TEST_EQ(req.head_len, strlen(a));
	off = req.head_len;
	UK_TEST_EQ(parse(buf + off), 1);
	UK_TEST_EQ(req.method, UK_PROM_HTTP_HEAD);
	UK_TEST_EQ(req.keep_alive, 0);
	off += req.head_len;
	UK_TEST_EQ(parse(buf + off), 0);
}

/* Every strict prefix of a good request is "need more"; of a bad one,
 * "need more" until the offending byte, then the same verdict. */
UK_TEST(http_every_prefix)
{
	static const char *good[] = {
		"GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n",
		"\r\nHEAD http://a/b?c HTTP/1.0\nConnection: keep-alive\n\n",
	};
	unsigned int g, bi;
	size_t n;

	for (g = 0; g < 2; g++) {
		for (n = 0; n < strlen(good[g]); n++)
			if (uk_prom_http_parse(good[g], n, &req) != 0) {
				uk_test_log("good %u prefix %zu\n", g, n);
				UK_TEST_ASSERT(0);
			}
		UK_TEST_EQ(parse(good[g]), 1);
	}
	for (bi = 0; bi < sizeof(bad) / sizeof(bad[0]); bi++) {
		const char *s = bad[bi].s;
		int seen_err = 0, r;

		for (n = 0; n <= strlen(s); n++) {
			r = uk_prom_http_parse(s, n, &req);
			if (r == 1) {
				uk_test_log("bad %u accepted at %zu\n", bi, n);
				UK_TEST_ASSERT(0);
			}
			if (seen_err && r != -EINVAL) {
				uk_test_log("bad %u flips at %zu\n", bi, n);
				UK_TEST_ASSERT(0);
			}
			if (r == -EINVAL)
				seen_err = 1;
		}
	}
}

UK_TEST(http_pct_decode)
{
	char buf[64];

	UK_TEST_EQ(uk_prom_http_pct_decode("a%2Fb%20c%e9", 12, buf), 6);
	UK_TEST_EXPECT(!memcmp(buf, "a/b c\xe9", 7));
	UK_TEST_EQ(uk_prom_http_pct_decode("plain", 5, buf), 5);
	UK_TEST_STREQ(buf, "plain");
	UK_TEST_EQ(uk_prom_http_pct_decode("", 0, buf), 0);
	UK_TEST_EQ(uk_prom_http_pct_decode("%4", 2, buf), -EINVAL);
	UK_TEST_EQ(uk_prom_http_pct_decode("%", 1, buf), -EINVAL);
	UK_TEST_EQ(uk_prom_http_pct_decode("%zz", 3, buf), -EINVAL);
	UK_TEST_EQ(uk_prom_http_pct_decode("a%00", 4, buf), -EINVAL);
	/* In place. */
	strcpy(buf, "x%41y");
	UK_TEST_EQ(uk_prom_http_pct_decode(buf, 5, buf), 3);
	UK_TEST_STREQ(buf, "xAy");
}

UK_TEST(http_authorization)
{
	UK_TEST_EQ(parse("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 1);
	UK_TEST_EXPECT(req.authz == NULL);
	UK_TEST_EQ(parse("GET / HTTP/1.1\r\nHost: x\r\n"
			 "authorization:  Basic dTpw \t\r\n\r\n"), 1);
	UK_TEST_EXPECT(field_is(req.authz, req.authz_len, "Basic dTpw"));
	/* Present but empty is not absent. */
	UK_TEST_EQ(parse("GET / HTTP/1.1\r\nHost: x\r\n"
			 "Authorization:\r\n\r\n"), 1);
	UK_TEST_EXPECT(req.authz != NULL && req.authz_len == 0);
	/* Two: whose credentials count would be ambiguous. */
	UK_TEST_EQ(parse("GET / HTTP/1.1\r\nHost: x\r\n"
			 "Authorization: Basic dTpw\r\n"
			 "Authorization: Basic dTpw\r\n\r\n"), -EINVAL);
	UK_TEST_EQ(req.status, 400);
}

UK_TEST(http_reasons)
{
	UK_TEST_STREQ(uk_prom_http_reason(401), "Unauthorized");
	UK_TEST_STREQ(uk_prom_http_reason(431),
			"Request Header Fields Too Large");
	UK_TEST_STREQ(uk_prom_http_reason(414), "URI Too Long");
	UK_TEST_STREQ(uk_prom_http_reason(999), "Unknown");
}
