/*
 * ukprom's push (push.c): the URL and grouping-key rules (goldens), the
 * request a push makes (a golden head, and a body that is exactly the
 * encoder's text for a fixture library, pinned as a golden, and for a
 * store big enough to take many chunks), the self-metrics, the periodic
 * thread, the final push (which cancels a periodic push in flight and
 * then makes its own), and failures reported with their reason.
 *
 * The Pushgateway here is a capture server on a thread of the test: it
 * reads a request (head and chunked body), keeps it, and answers as the
 * case asks (200, 400 with a message, or never).  The client's answers
 * to misbehaving servers are test_client.c's business; this file checks
 * what push.c adds.  Runs under ASan and TSan (the periodic thread, the
 * final push and the capture thread race on purpose).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/plat/time.h>
#include <uk/prom.h>
#include <uk/prom_push.h>
#include <uk/store.h>
#include <uk/test.h>

#include "../push_impl.h"

#define MS (UK_NSEC_PER_MSEC)
/*
 * The timeout of pushes whose outcome is not a timeout: a liveness bound
 * only, generous because a loaded host (or TSan) can take seconds over
 * what an idle one does at once.
 */
#define LIVE_MS 60000

/* ---- the URL and the grouping key ------------------------------------- */

UK_TEST(push_url)
{
	char addr[16];
	const char *path, *why = NULL;
	uint16_t port;

	UK_TEST_EQ(_uk_prom_push_parse_url("10.0.2.2:9091/metrics/job/batch",
					   addr, &port, &path, &why), 0);
	UK_TEST_STREQ(addr, "10.0.2.2");
	UK_TEST_EQ(port, 9091);
	UK_TEST_STREQ(path, "/metrics/job/batch");
	UK_TEST_EQ(_uk_prom_push_parse_url("http://127.0.0.1:1/x", addr,
					   &port, &path, &why), 0);
	UK_TEST_STREQ(addr, "127.0.0.1");
	UK_TEST_EQ(port, 1);
	UK_TEST_STREQ(path, "/x");
	UK_TEST_EQ(_uk_prom_push_parse_url("10.0.2.2/metrics", addr, &port,
					   &path, &why), -EINVAL);
	UK_TEST_STREQ(why, "expected HOST:PORT/PATH");
	UK_TEST_EQ(_uk_prom_push_parse_url("10.0.2.2:9091", addr, &port,
					   &path, &why), -EINVAL);
	UK_TEST_EQ(_uk_prom_push_parse_url(":9091/m", addr, &port, &path,
					   &why), -EINVAL);
	UK_TEST_EQ(_uk_prom_push_parse_url("1.2.3.4:0/m", addr, &port, &path,
					   &why), -EINVAL);
	UK_TEST_STREQ(why, "bad port");
	UK_TEST_EQ(_uk_prom_push_parse_url("1.2.3.4:65536/m", addr, &port,
					   &path, &why), -EINVAL);
	UK_TEST_EQ(_uk_prom_push_parse_url("1.2.3.4:/m", addr, &port, &path,
					   &why), -EINVAL);
	UK_TEST_EQ(_uk_prom_push_parse_url("1.2.3.4:9x/m", addr, &port,
					   &path, &why), -EINVAL);
	UK_TEST_EQ(_uk_prom_push_parse_url("1234567890123456:1/m", addr,
					   &port, &path, &why), -EINVAL);
	UK_TEST_STREQ(why, "the host must be an IPv4 address");
}

UK_TEST(push_path)
{
	const char *why = NULL;

	UK_TEST_EQ(_uk_prom_push_check_path("/metrics/job/batch", &why), 0);
	UK_TEST_EQ(_uk_prom_push_check_path("/metrics/job/b/zone/eu", &why),
		   0);
	UK_TEST_EQ(_uk_prom_push_check_path("/metrics/job/b/instance/i",
					    &why), 1);
	UK_TEST_EQ(_uk_prom_push_check_path("/metrics/job/b/instance@base64/"
					    "aQ==", &why), 1);
	/* A value named "instance" is no instance label. */
	UK_TEST_EQ(_uk_prom_push_check_path("/metrics/job/instance", &why), 0);
	UK_TEST_EQ(_uk_prom_push_check_path("/metrics/job/b/x/instance",
					    &why), 0);
	UK_TEST_EQ(_uk_prom_push_check_path("/metrics/job/", &why), -EINVAL);
	UK_TEST_STREQ(why, "the job name is empty");
	UK_TEST_EQ(_uk_prom_push_check_path("/metrics/jobs/b", &why),
		   -EINVAL);
	UK_TEST_STREQ(why, "the path must start with /metrics/job/<job>");
	UK_TEST_EQ(_uk_prom_push_check_path("/metrics/job/b/zone", &why),
		   -EINVAL);
	UK_TEST_STREQ(why, "a label in the path has no value");
	UK_TEST_EQ(_uk_prom_push_check_path("/metrics/job/b//x", &why),
		   -EINVAL);
	UK_TEST_STREQ(why, "the path has an empty segment");
	UK_TEST_EQ(_uk_prom_push_check_path("/metrics/job/b/", &why),
		   -EINVAL);
	UK_TEST_EQ(_uk_prom_push_check_path("/metrics/job/a b", &why),
		   -EINVAL);
	UK_TEST_STREQ(why, "the path holds a blank or non-ASCII byte");
}

/* The instance label as the Pushgateway wants it escaped. */
static const char *label(const char *value)
{
	static char out[128];

	out[0] = '\0';
	if (_uk_prom_push_add_label(out, sizeof(out), "instance", value))
		return "(too long)";
	return out;
}

UK_TEST(push_grouping_escapes)
{
	char small[20] = "/metrics/job/b";

	UK_TEST_STREQ(label("batch-1"), "/instance/batch-1");
	UK_TEST_STREQ(label("a.b_c~d"), "/instance/a.b_c~d");
	UK_TEST_STREQ(label("a b%c"), "/instance/a%20b%25c");
	UK_TEST_STREQ(label("h\xc3\xa9"), "/instance/h%C3%A9");
	UK_TEST_STREQ(label("a:b?c#d"), "/instance/a%3Ab%3Fc%23d");
	/* '/' and the empty value take the base64 form (URL alphabet). */
	UK_TEST_STREQ(label("a/b"), "/instance@base64/YS9i");
	UK_TEST_STREQ(label("/var/tmp"), "/instance@base64/L3Zhci90bXA=");
	UK_TEST_STREQ(label("ab/"), "/instance@base64/YWIv");
	UK_TEST_STREQ(label("\xfb\xff/"), "/instance@base64/-_8v");
	UK_TEST_STREQ(label(""), "/instance@base64/=");
	UK_TEST_EQ(_uk_prom_push_add_label(small, sizeof(small), "instance",
					   "x"), -ENAMETOOLONG);
}

UK_TEST(push_target)
{
	char out[64];
	const char *why = NULL;

	UK_TEST_EQ(_uk_prom_push_target("/metrics/job/batch", "batch-1", out,
					sizeof(out), &why), 0);
	UK_TEST_STREQ(out, "/metrics/job/batch/instance/batch-1");
	/* The user's own instance wins; NULL appends none. */
	UK_TEST_EQ(_uk_prom_push_target("/metrics/job/b/instance/mine",
					"batch-1", out, sizeof(out), &why), 0);
	UK_TEST_STREQ(out, "/metrics/job/b/instance/mine");
	UK_TEST_EQ(_uk_prom_push_target("/metrics/job/b", NULL, out,
					sizeof(out), &why), 0);
	UK_TEST_STREQ(out, "/metrics/job/b");
	UK_TEST_EQ(_uk_prom_push_target("/metrics/job/batch",
					"a-host-name-of-fifty-bytes-which-overflows-the-out", out,
					sizeof(out), &why), -ENAMETOOLONG);
	UK_TEST_EQ(_uk_prom_push_target("/metrics/job/b/zone", "h", out,
					sizeof(out), &why), -EINVAL);
}

/* ---- a fixture library and a capture server ------------------------------ */

UK_STORE_LIBRARY(pushfx);
UK_STORE_LIBRARY(pushbig);

static int fx_jobs(void *c, uint64_t *out)
{
	*out = 42;
	return 0;
}

static int fx_ratio(void *c, double *out)
{
	*out = 2.5;
	return 0;
}

static int fx_rx(void *c, uint64_t *out)
{
	*out = (uint64_t)(uintptr_t)c;
	return 0;
}

UK_STORE_STATIC_ENTRY(pushfx, jobs, u64, counter, none, "Jobs run", fx_jobs,
		      NULL, NULL);
UK_STORE_STATIC_ENTRY(pushfx, ratio, dbl, gauge, none, "Compression ratio",
		      fx_ratio, NULL, NULL);

static const struct uk_store_entry fx_tmpl[] = {
	UK_STORE_ENTRY(rx, u64, counter, bytes, "Bytes received", fx_rx,
		       NULL, NULL),
};

static void fixture(void)
{
	static int done;
	struct uk_store_folder *f;

	if (done)
		return;
	UK_ASSERT(!uk_store_folder_add(&uk_store_lib_pushfx, "device", "eth0",
				       fx_tmpl, 1, (void *)7, NULL, &f));
	done = 1;
}

static const char *const fx_libs[] = { "pushfx", NULL };

static const char fx_body[] =
	"# HELP pushfx_ratio Compression ratio\n"
	"# TYPE pushfx_ratio gauge\n"
	"pushfx_ratio 2.5\n"
	"# HELP pushfx_jobs_total Jobs run\n"
	"# TYPE pushfx_jobs_total counter\n"
	"pushfx_jobs_total 42\n"
	"# HELP pushfx_rx_bytes_total Bytes received\n"
	"# TYPE pushfx_rx_bytes_total counter\n"
	"pushfx_rx_bytes_total{device=\"eth0\"} 7\n";

enum cap_mode { CAP_OK, CAP_400, CAP_HANG };

/* One test Pushgateway: keeps the last request, answers per its mode. */
struct capture {
	int lfd;
	uint16_t port;
	pthread_t thread;
	int mode;               /* enum cap_mode, read atomically */
	uint32_t requests;      /* complete requests read */
	uint32_t stop;
	pthread_mutex_t lock;   /* guards head and body */
	char head[1024];
	char *body;
	size_t body_len;
	int chunks;             /* chunks in the last body */
	int bad;                /* the last body was not valid chunked */
};

#define BODY_MAX (4 << 20)

/* Reads from fd into b (len so far) until need bytes are there. */
static int fill(int fd, char *b, size_t *len, size_t need, size_t cap)
{
	ssize_t r;

	while (*len < need) {
		if (*len >= cap)
			return -1;
		r = recv(fd, b + *len, cap - *len, 0);
		if (r <= 0)
			return -1;
		*len += (size_t)r;
	}
	return 0;
}

/* Reads one request on fd into c; returns 0 or -1. */
static int read_request(struct capture *c, int fd, char *raw, size_t cap)
{
	size_t len = 0, at, hl, size;
	char *e, *end;
	int chunks = 0;

	for (;;) {
		if (fill(fd, raw, &len, len + 1, cap))
			return -1;
		raw[len] = '\0';
		e = strstr(raw, "\r\n\r\n");
		if (e)
			break;
	}
	hl = (size_t)(e - raw) + 4;
	pthread_mutex_lock(&c->lock);
	snprintf(c->head, sizeof(c->head), "%.*s", (int)hl, raw);
	c->body_len = 0;
	c->bad = 0;
	at = hl;
	for (;;) {
		/* A size line. */
		while (!memchr(raw + at, '\n', len - at))
			if (fill(fd, raw, &len, len + 1, cap))
				goto bad;
		size = strtoul(raw + at, &end, 16);
		if (end == raw + at || end[0] != '\r' || end[1] != '\n')
			goto bad;
		at = (size_t)(end - raw) + 2;
		if (fill(fd, raw, &len, at + size + 2, cap))
			goto bad;
		if (raw[at + size] != '\r' || raw[at + size + 1] != '\n')
			goto bad;
		if (!size)
			break;
		memcpy(c->body + c->body_len, raw + at, size);
		c->body_len += size;
		chunks++;
		at += size + 2;
	}
	c->body[c->body_len] = '\0';
	c->chunks = chunks;
	pthread_mutex_unlock(&c->lock);
	__atomic_add_fetch(&c->requests, 1, __ATOMIC_RELEASE);
	return 0;
bad:
	c->bad = 1;
	pthread_mutex_unlock(&c->lock);
	return -1;
}

static void *capture_loop(void *arg)
{
	static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"
				 "Connection: close\r\n\r\n";
	static const char r400[] = "HTTP/1.1 400 Bad Request\r\n"
		"Content-Type: text/plain\r\nContent-Length: 52\r\n\r\n"
		"pushed metrics are invalid or inconsistent with ...\n";
	struct capture *c = arg;
	char *raw = malloc(BODY_MAX + 65536);
	char tmp[256];
	int fd, mode;

	UK_ASSERT(raw);
	while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
		fd = accept(c->lfd, NULL, NULL);
		if (fd < 0)
			break;
		/* The mode when the connection came, whatever happens
		 * while its request is read. */
		mode = __atomic_load_n(&c->mode, __ATOMIC_ACQUIRE);
		if (!read_request(c, fd, raw, BODY_MAX + 65535)) {
			switch (mode) {
			case CAP_OK:
				send(fd, ok, sizeof(ok) - 1, MSG_NOSIGNAL);
				break;
			case CAP_400:
				send(fd, r400, sizeof(r400) - 1, MSG_NOSIGNAL);
				break;
			default:
				/* Never answer: wait for the client to go. */
				while (recv(fd, tmp, sizeof(tmp), 0) > 0)
					;
			}
		}
		close(fd);
	}
	free(raw);
	return NULL;
}

/* The last body, kept after the capture stops (cases run one by one). */
static char cap_body[BODY_MAX + 1];

static void capture_start(struct capture *c, int mode)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int one = 1;

	memset(c, 0, sizeof(*c));
	c->mode = mode;
	c->body = cap_body;
	pthread_mutex_init(&c->lock, NULL);
	c->lfd = socket(AF_INET, SOCK_STREAM, 0);
	UK_ASSERT(c->lfd >= 0);
	setsockopt(c->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	UK_ASSERT(!bind(c->lfd, (struct sockaddr *)&sa, sizeof(sa)));
	UK_ASSERT(!listen(c->lfd, 16));
	UK_ASSERT(!getsockname(c->lfd, (struct sockaddr *)&sa, &sl));
	c->port = ntohs(sa.sin_port);
	UK_ASSERT(!pthread_create(&c->thread, NULL, capture_loop, c));
}

static void capture_stop(struct capture *c)
{
	__atomic_store_n(&c->stop, 1, __ATOMIC_RELEASE);
	shutdown(c->lfd, SHUT_RDWR);
	pthread_join(c->thread, NULL);
	close(c->lfd);
	pthread_mutex_destroy(&c->lock);
}

static char url[128];

static const char *url_of(const struct capture *c, const char *path)
{
	snprintf(url, sizeof(url), "127.0.0.1:%u%s", (unsigned int)c->port,
		 path);
	return url;
}

/* The whole encoding of libs in the text format, for comparison. */
static char *encode_all(const char *const *libs, size_t *len)
{
	struct uk_prom_enc e;
	char *b = malloc(BODY_MAX + 1);
	size_t n = 0, r;

	UK_ASSERT(b);
	uk_prom_enc_init_filter(&e, UK_PROM_FMT_TEXT, libs);
	while ((r = uk_prom_enc_read(&e, b + n, BODY_MAX - n)) > 0)
		n += r;
	uk_prom_enc_fini(&e);
	b[n] = '\0';
	*len = n;
	return b;
}

static uint64_t store_u64(const char *path)
{
	struct uk_store_value v;

	if (uk_store_read_path(path, &v) || v.type != UK_STORE_U64)
		return UINT64_MAX;
	return v.u;
}

/* ---- pushes ------------------------------------------------------------- */

UK_TEST(push_request_golden)
{
	struct uk_prom_push_cfg cfg = { 0 };
	static struct capture c;
	struct uk_prom_push *p;
	char head[512];
	uint64_t before = store_u64("ukprom/pushes");

	fixture();
	capture_start(&c, CAP_OK);
	cfg.url = url_of(&c, "/metrics/job/batch");
	cfg.instance = "batch-1";
	cfg.libs = fx_libs;
	cfg.timeout_ms = LIVE_MS;
	UK_TEST_ASSERT(!uk_prom_push_start(&cfg, &p));
	snprintf(head, sizeof(head), "127.0.0.1:%u/metrics/job/batch/instance/"
		 "batch-1", (unsigned int)c.port);
	UK_TEST_STREQ(uk_prom_push_where(p), head);
	UK_TEST_EQ(uk_prom_push_final(p), 0);
	capture_stop(&c);
	UK_TEST_EQ(c.requests, 1);
	snprintf(head, sizeof(head),
		 "POST /metrics/job/batch/instance/batch-1 HTTP/1.1\r\n"
		 "Host: 127.0.0.1:%u\r\n"
		 "User-Agent: ukmon-ukprom\r\n"
		 "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
		 "Transfer-Encoding: chunked\r\n"
		 "Connection: close\r\n\r\n", (unsigned int)c.port);
	UK_TEST_STREQ(c.head, head);
	UK_TEST_EQ(c.bad, 0);
	UK_TEST_STREQ(c.body, fx_body);
	UK_TEST_EQ(store_u64("ukprom/pushes"), before + 1);
}

/* A body of many chunks is still exactly the encoder's text. */
UK_TEST(push_body_is_the_encoding)
{
	static const char *const libs[] = { "pushfx", "pushbig", NULL };
	static const struct uk_store_entry tmpl[] = {
		UK_STORE_ENTRY(rx, u64, counter, bytes, "Bytes received",
			       fx_rx, NULL, NULL),
	};
	struct uk_prom_push_cfg cfg = { 0 };
	struct uk_store_folder *f[300];
	static struct capture c;
	struct uk_prom_push *p;
	char name[16];
	char *want;
	size_t len;
	unsigned int i;

	fixture();
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "dev%u", i);
		UK_TEST_ASSERT(!uk_store_folder_add(&uk_store_lib_pushbig,
						    "device", name, tmpl, 1,
						    (void *)(uintptr_t)i, NULL,
						    &f[i]));
	}
	want = encode_all(libs, &len);
	UK_TEST_EXPECT(len > 3 * 4096);
	capture_start(&c, CAP_OK);
	cfg.url = url_of(&c, "/metrics/job/batch");
	cfg.instance = "batch-1";
	cfg.libs = libs;
	cfg.timeout_ms = LIVE_MS;
	UK_TEST_ASSERT(!uk_prom_push_start(&cfg, &p));
	UK_TEST_EQ(uk_prom_push_now(p), 0);
	uk_prom_push_stop(p);
	capture_stop(&c);
	for (i = 0; i < 300; i++)
		uk_store_folder_remove(f[i]);
	UK_TEST_EQ(c.bad, 0);
	UK_TEST_EQ(c.body_len, len);
	UK_TEST_EXPECT(c.chunks > 3);
	UK_TEST_EXPECT(!strcmp(c.body, want));
	free(want);
}

UK_TEST(push_failures_counted)
{
	struct uk_prom_push_cfg cfg = { 0 };
	static struct capture c;
	struct uk_prom_push *p;
	uint64_t http = store_u64("ukprom/http/push_errors");
	uint64_t refused = store_u64("ukprom/refused/push_errors");
	uint64_t timeout = store_u64("ukprom/timeout/push_errors");
	uint16_t port;

	fixture();
	capture_start(&c, CAP_400);
	cfg.url = url_of(&c, "/metrics/job/batch");
	cfg.libs = fx_libs;
	cfg.timeout_ms = LIVE_MS;
	UK_TEST_ASSERT(!uk_prom_push_start(&cfg, &p));
	/* The folders exist once a push is set up. */
	http = store_u64("ukprom/http/push_errors");
	refused = store_u64("ukprom/refused/push_errors");
	timeout = store_u64("ukprom/timeout/push_errors");
	UK_TEST_ASSERT(http != UINT64_MAX && refused != UINT64_MAX);
	UK_TEST_EQ(uk_prom_push_now(p), -EREMOTEIO);
	UK_TEST_EQ(store_u64("ukprom/http/push_errors"), http + 1);
	uk_prom_push_stop(p);
	/* A server that never answers: a short timeout, which a slow host
	 * only makes more certain. */
	cfg.timeout_ms = 300;
	UK_TEST_ASSERT(!uk_prom_push_start(&cfg, &p));
	__atomic_store_n(&c.mode, CAP_HANG, __ATOMIC_RELEASE);
	UK_TEST_EQ(uk_prom_push_now(p), -ETIMEDOUT);
	UK_TEST_EQ(store_u64("ukprom/timeout/push_errors"), timeout + 1);
	uk_prom_push_stop(p);
	port = c.port;
	capture_stop(&c);
	/* Nothing listens there any more. */
	snprintf(url, sizeof(url), "127.0.0.1:%u/metrics/job/batch",
		 (unsigned int)port);
	cfg.url = url;
	cfg.timeout_ms = LIVE_MS;
	UK_TEST_ASSERT(!uk_prom_push_start(&cfg, &p));
	UK_TEST_EQ(uk_prom_push_final(p), -ECONNREFUSED);
	UK_TEST_EQ(store_u64("ukprom/refused/push_errors"), refused + 1);
}

UK_TEST(push_bad_config)
{
	struct uk_prom_push_cfg cfg = { 0 };
	struct uk_prom_push *p = NULL;

	UK_TEST_EQ(uk_prom_push_start(&cfg, &p), -EINVAL);
	cfg.url = "127.0.0.1:9091/metrics/jobs/x";
	UK_TEST_EQ(uk_prom_push_start(&cfg, &p), -EINVAL);
	cfg.url = "127.0.0.1:9091";
	UK_TEST_EQ(uk_prom_push_start(&cfg, &p), -EINVAL);
	UK_TEST_EQ(uk_prom_push_final(NULL), 0);
	uk_prom_push_stop(NULL);
	UK_TEST_EQ(p, NULL);
}

/* The periodic thread pushes; the final push comes after it, counted. */
UK_TEST(push_periodic_then_final)
{
	struct uk_prom_push_cfg cfg = { 0 };
	static struct capture c;
	struct uk_prom_push *p;
	uint64_t before = store_u64("ukprom/pushes");
	uint64_t t0;
	uint32_t n;

	fixture();
	capture_start(&c, CAP_OK);
	cfg.url = url_of(&c, "/metrics/job/batch");
	cfg.instance = "batch-1";
	cfg.libs = fx_libs;
	cfg.interval_ms = 20;
	cfg.timeout_ms = LIVE_MS;
	UK_TEST_ASSERT(!uk_prom_push_start(&cfg, &p));
	t0 = uk_plat_time_mono_ns();
	while (__atomic_load_n(&c.requests, __ATOMIC_ACQUIRE) < 3 &&
	       uk_plat_time_mono_ns() - t0 < 20000 * MS)
		usleep(5000);
	UK_TEST_EXPECT(__atomic_load_n(&c.requests, __ATOMIC_ACQUIRE) >= 3);
	UK_TEST_EQ(uk_prom_push_final(p), 0);
	n = __atomic_load_n(&c.requests, __ATOMIC_ACQUIRE);
	capture_stop(&c);
	UK_TEST_EQ(store_u64("ukprom/pushes"), before + n);
	UK_TEST_STREQ(c.body, fx_body);
}

/*
 * The final push cancels a periodic push stuck on a server that never
 * answers (its own timeout an hour away) and makes its own: it returns
 * with its own timeout, the stuck push counted as cancelled.
 */
UK_TEST(push_final_cancels_periodic)
{
	struct uk_prom_push_cfg cfg = { 0 };
	static struct capture c;
	struct uk_prom_push *p;
	uint64_t cancelled = store_u64("ukprom/cancelled/push_errors");
	uint64_t t0;

	fixture();
	capture_start(&c, CAP_HANG);
	cfg.url = url_of(&c, "/metrics/job/batch");
	cfg.libs = fx_libs;
	cfg.interval_ms = 10;
	cfg.timeout_ms = 3600000;
	UK_TEST_ASSERT(!uk_prom_push_start(&cfg, &p));
	cancelled = store_u64("ukprom/cancelled/push_errors");
	t0 = uk_plat_time_mono_ns();
	while (!__atomic_load_n(&c.requests, __ATOMIC_ACQUIRE) &&
	       uk_plat_time_mono_ns() - t0 < 20000 * MS)
		usleep(5000);
	UK_TEST_ASSERT(__atomic_load_n(&c.requests, __ATOMIC_ACQUIRE) == 1);
	/* Now the thread's push waits for an answer that never comes. */
	__atomic_store_n(&c.mode, CAP_OK, __ATOMIC_RELEASE);
	UK_TEST_EQ(uk_prom_push_final(p), 0);
	capture_stop(&c);
	UK_TEST_EQ(store_u64("ukprom/cancelled/push_errors"), cancelled + 1);
	UK_TEST_EQ(c.requests, 2);
}

/* A push allocates nothing: every allocation fails meanwhile. */
UK_TEST(push_no_alloc)
{
	struct uk_prom_push_cfg cfg = { 0 };
	static struct capture c;
	struct uk_alloc_failing fa;
	struct uk_prom_push *p;
	struct uk_alloc *old;
	int rc;

	fixture();
	capture_start(&c, CAP_OK);
	cfg.url = url_of(&c, "/metrics/job/batch");
	cfg.instance = "batch-1";
	cfg.libs = fx_libs;
	cfg.timeout_ms = LIVE_MS;
	UK_TEST_ASSERT(!uk_prom_push_start(&cfg, &p));
	uk_alloc_failing_init(&fa, uk_alloc_get_default(), 1, 1);
	old = uk_alloc_set_default(&fa.a);
	rc = uk_prom_push_now(p);
	uk_alloc_set_default(old);
	uk_prom_push_stop(p);
	capture_stop(&c);
	UK_TEST_EQ(rc, 0);
	UK_TEST_EQ(fa.calls, 0);
	UK_TEST_STREQ(c.body, fx_body);
}
