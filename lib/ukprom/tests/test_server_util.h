/*
 * The raw-socket HTTP client used by the exporter's server tests (see
 * test_server_util.c).
 */
#ifndef UKPROM_TEST_SERVER_UTIL_H
#define UKPROM_TEST_SERVER_UTIL_H

#include <stddef.h>
#include <stdint.h>

struct tc {
	int fd;
	char *buf;
	size_t len, cap;
};

struct tc_resp {
	int status;
	int chunked;
	int nchunks;
	int closed;
	char head[8192];
	char *body;
	size_t body_len;
};

int tc_open(struct tc *t, uint16_t port, int rcvbuf);
void tc_close(struct tc *t);
void tc_abort(struct tc *t);
int tc_send(struct tc *t, const void *p, size_t n);
int tc_sends(struct tc *t, const char *s);
int tc_read(struct tc *t, struct tc_resp *r, int head, int ms);
int tc_wait_closed(struct tc *t, int ms);
const char *tc_header(const struct tc_resp *r, const char *name);
void tc_resp_free(struct tc_resp *r);
int tc_get(uint16_t port, const char *req, struct tc_resp *r, int head);

#endif
