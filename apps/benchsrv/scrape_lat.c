/*
 * scrape-lat: measures an exporter's scrape latency the way Prometheus
 * sees it, over one keep-alive HTTP/1.1 connection.  It sends COUNT GETs
 * of /metrics in turn, reads each whole response (Content-Length or
 * chunked body), and prints one line
 *   scrapes=N median_us=M p99_us=P min_us=A max_us=B bytes=BODY
 * where bytes is the body size of the last response.  A fixed Accept
 * header (argument 4, default text 0.0.4) keeps formats comparable.
 * Exit status 0 on success, 1 on any HTTP or socket failure.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RBUF_SIZE (64 * 1024)

struct reader {
	int fd;
	char buf[RBUF_SIZE];
	size_t off, len;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int fill(struct reader *r)
{
	ssize_t n;

	if (r->off == r->len)
		r->off = r->len = 0;
	if (r->len == sizeof(r->buf)) {
		memmove(r->buf, r->buf + r->off, r->len - r->off);
		r->len -= r->off;
		r->off = 0;
	}
	do {
		n = read(r->fd, r->buf + r->len, sizeof(r->buf) - r->len);
	} while (n < 0 && errno == EINTR);
	if (n <= 0)
		return -1;
	r->len += (size_t)n;
	return 0;
}

/* Reads one CRLF- or LF-terminated line (without it) into line. */
static int read_line(struct reader *r, char *line, size_t size)
{
	size_t n = 0;

	for (;;) {
		while (r->off < r->len) {
			char c = r->buf[r->off++];

			if (c == '\n') {
				if (n && line[n - 1] == '\r')
					n--;
				line[n] = '\0';
				return 0;
			}
			if (n + 1 >= size)
				return -1;
			line[n++] = c;
		}
		if (fill(r))
			return -1;
	}
}

/* Consumes len body bytes. */
static int skip(struct reader *r, uint64_t len)
{
	while (len) {
		size_t avail;

		if (r->off == r->len && fill(r))
			return -1;
		avail = r->len - r->off;
		if (avail > len)
			avail = (size_t)len;
		r->off += avail;
		len -= avail;
	}
	return 0;
}

/* Reads one response; returns its body size or -1. */
static int64_t read_response(struct reader *r, int *close_after)
{
	char line[8192];
	int64_t clen = -1;
	int chunked = 0, status;
	uint64_t body = 0;

	*close_after = 0;
	if (read_line(r, line, sizeof(line)))
		return -1;
	if (sscanf(line, "HTTP/1.%*d %d", &status) != 1 || status != 200) {
		fprintf(stderr, "scrape-lat: bad status line: %s\n", line);
		return -1;
	}
	for (;;) {
		if (read_line(r, line, sizeof(line)))
			return -1;
		if (!line[0])
			break;
		if (!strncasecmp(line, "content-length:", 15))
			clen = strtoll(line + 15, NULL, 10);
		else if (!strncasecmp(line, "transfer-encoding:", 18) &&
			 strcasestr(line + 18, "chunked"))
			chunked = 1;
		else if (!strncasecmp(line, "connection:", 11) &&
			 strcasestr(line + 11, "close"))
			*close_after = 1;
	}
	if (chunked) {
		for (;;) {
			uint64_t sz;

			if (read_line(r, line, sizeof(line)))
				return -1;
			sz = strtoull(line, NULL, 16);
			if (!sz)
				break;
			if (skip(r, sz) || read_line(r, line, sizeof(line)))
				return -1;
			body += sz;
		}
		/* Trailers, up to the empty line. */
		do {
			if (read_line(r, line, sizeof(line)))
				return -1;
		} while (line[0]);
		return (int64_t)body;
	}
	if (clen < 0) {
		fprintf(stderr, "scrape-lat: no length and not chunked\n");
		return -1;
	}
	return skip(r, (uint64_t)clen) ? -1 : clen;
}

static int dial(const char *host, int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd, one = 1;

	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		fprintf(stderr, "scrape-lat: bad IPv4 address %s\n", host);
		return -1;
	}
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("scrape-lat: connect");
		close(fd);
		return -1;
	}
	return fd;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	static struct reader r;
	const char *host, *accept = "text/plain;version=0.0.4";
	char req[512];
	uint64_t *lat;
	int64_t bytes = 0;
	int port, count, i, reqlen, close_after;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: scrape-lat HOST PORT COUNT [ACCEPT]\n");
		return 2;
	}
	host = argv[1];
	port = atoi(argv[2]);
	count = atoi(argv[3]);
	if (argc == 5)
		accept = argv[4];
	if (port <= 0 || port > 65535 || count <= 0)
		return 2;
	lat = calloc((size_t)count, sizeof(*lat));
	if (!lat)
		return 1;
	reqlen = snprintf(req, sizeof(req),
			  "GET /metrics HTTP/1.1\r\nHost: %s:%d\r\n"
			  "Accept: %s\r\nUser-Agent: scrape-lat\r\n\r\n",
			  host, port, accept);
	r.fd = dial(host, port);
	if (r.fd < 0)
		return 1;
	for (i = 0; i < count; i++) {
		uint64_t t0 = now_ns();

		if (write(r.fd, req, (size_t)reqlen) != reqlen) {
			perror("scrape-lat: write");
			return 1;
		}
		bytes = read_response(&r, &close_after);
		if (bytes < 0) {
			fprintf(stderr, "scrape-lat: scrape %d failed\n", i);
			return 1;
		}
		lat[i] = now_ns() - t0;
		if (close_after && i + 1 < count) {
			/* The server refused keep-alive: count a new dial. */
			close(r.fd);
			r.off = r.len = 0;
			r.fd = dial(host, port);
			if (r.fd < 0)
				return 1;
		}
	}
	close(r.fd);
	qsort(lat, (size_t)count, sizeof(*lat), cmp_u64);
	printf("scrapes=%d median_us=%.1f p99_us=%.1f min_us=%.1f "
	       "max_us=%.1f bytes=%lld\n", count,
	       (double)lat[count / 2] / 1e3,
	       (double)lat[(count * 99 + 99) / 100 - 1] / 1e3,
	       (double)lat[0] / 1e3, (double)lat[count - 1] / 1e3,
	       (long long)bytes);
	free(lat);
	return 0;
}
