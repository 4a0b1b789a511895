/*
 * The demo's workload: a tiny HTTP/1.1 file server on its own port,
 * serving a few files built into the image and those of QEMU's -initrd.
 * An accept thread hands connections to a fixed pool of worker threads
 * through a bounded queue, so the number of threads and their memory stay
 * bounded however many clients come: each worker takes its request
 * buffer at start, so a server that started has what it needs to read
 * requests.  Each response header comes from the allocator, as a real
 * server's per-request state would.  A load generator such as wrk thus
 * drives the network stack, the allocator, the locks and the scheduler,
 * and their metrics visibly move.  Its own counters are published as library
 * "fileserver".
 *
 * No client can hang it.  A worker waits for input with poll() in short
 * slices: a request head must be complete within HEAD_MS of its first
 * byte, a keep-alive connection may stay idle IDLE_MS, and a send that
 * makes no progress for SEND_MS fails (SO_SNDTIMEO).  A newcomer that
 * finds every worker taken makes one give up its connection: the one
 * whose head has been incomplete the longest, or else the one idle the
 * longest, never one being answered; its worker notices within a slice.
 * With every worker answering and QLEN connections queued, a newcomer is
 * answered 503.  Connections dropped for any of these reasons are reset
 * (SO_LINGER 0), so no PCB stays behind for a peer that holds its end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <uk/counter.h>
#include <uk/lock.h>
#include <uk/plat/initrd.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#include <uk/store.h>
#include <uk/thread.h>

#include "demo.h"

UK_STORE_LIBRARY(fileserver);

static uint64_t n_requests, n_bytes, n_not_found, n_conns;
static uint64_t n_rejected, n_evicted, n_timed_out, n_no_memory;
static struct uk_mutex stats_lock;

static int get_u64(void *cookie, uint64_t *out)
{
	*out = uk_counter_read(cookie);
	return 0;
}

UK_STORE_STATIC_ENTRY(fileserver, requests, u64, counter, none,
		      "HTTP requests answered by the file server.", get_u64,
		      NULL, &n_requests);
UK_STORE_STATIC_ENTRY(fileserver, sent, u64, counter, bytes,
		      "Body bytes sent by the file server.", get_u64, NULL,
		      &n_bytes);
UK_STORE_STATIC_ENTRY(fileserver, not_found, u64, counter, none,
		      "Requests for files that do not exist.", get_u64, NULL,
		      &n_not_found);
UK_STORE_STATIC_ENTRY(fileserver, connections, u64, counter, none,
		      "Connections accepted by the file server.", get_u64,
		      NULL, &n_conns);
UK_STORE_STATIC_ENTRY(fileserver, rejected_connections, u64, counter, none,
		      "Connections answered 503 because every worker was "
		      "answering and the queue was full.", get_u64, NULL,
		      &n_rejected);
UK_STORE_STATIC_ENTRY(fileserver, evicted_connections, u64, counter, none,
		      "Idle or incomplete connections reset to give their "
		      "worker to a newcomer.", get_u64, NULL, &n_evicted);
UK_STORE_STATIC_ENTRY(fileserver, timed_out_connections, u64, counter,
		      none, "Connections reset because a request head took "
		      "too long, they stayed idle too long, or a send made no "
		      "progress.", get_u64, NULL, &n_timed_out);
UK_STORE_STATIC_ENTRY(fileserver, no_memory, u64, counter, none,
		      "Requests answered 503 because an allocation failed.",
		      get_u64, NULL, &n_no_memory);

struct file {
	const char *path;
	const char *type;
	const char *data;
	size_t len;
};

static char blob[64 * 1024];
static const char index_html[] =
	"<!doctype html><title>ukmon demo</title>"
	"<h1>ukmon demo file server</h1>"
	"<p><a href=\"/hello.txt\">hello.txt</a> "
	"<a href=\"/1k.bin\">1k.bin</a> <a href=\"/64k.bin\">64k.bin</a></p>\n";
static const char hello[] = "Hello from a ukmon unikernel.\n";

static const struct file files[] = {
	{ "/", "text/html", index_html, sizeof(index_html) - 1 },
	{ "/index.html", "text/html", index_html, sizeof(index_html) - 1 },
	{ "/hello.txt", "text/plain", hello, sizeof(hello) - 1 },
	{ "/1k.bin", "application/octet-stream", blob, 1024 },
	{ "/64k.bin", "application/octet-stream", blob, sizeof(blob) },
};

/*
 * Finds path among the built-in files, then in the initrd (/initrd is the
 * whole module; a tar archive's files by their own paths).  *tmp holds
 * the answer for an initrd file.
 */
static const struct file *file_find(const char *path, size_t len,
				    struct file *tmp)
{
	const void *rd;
	size_t i, rdlen;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (strlen(files[i].path) == len &&
		    !memcmp(files[i].path, path, len))
			return &files[i];
	if (uk_plat_initrd(&rd, &rdlen))
		return NULL;
	tmp->type = "application/octet-stream";
	if (len == 7 && !memcmp(path, "/initrd", 7)) {
		tmp->data = rd;
		tmp->len = rdlen;
		return tmp;
	}
	if (!demo_tar_find(rd, rdlen, path, len, &tmp->data, &tmp->len)) {
		if (len > 5 && !memcmp(path + len - 5, ".html", 5))
			tmp->type = "text/html";
		else if (len > 4 && !memcmp(path + len - 4, ".txt", 4))
			tmp->type = "text/plain";
		return tmp;
	}
	return NULL;
}

static int send_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = send(fd, p, len, 0);

		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void count(uint64_t bytes, int found)
{
	uk_mutex_lock(&stats_lock);
	uk_counter_add(&n_requests, 1);
	uk_counter_add(&n_bytes, bytes);
	if (!found)
		uk_counter_add(&n_not_found, 1);
	uk_mutex_unlock(&stats_lock);
}

/*
 * Answers one request head in buf.  Returns 1 to keep the connection, 0
 * to close it, -1 on a send error.
 */
static int answer_with(int fd, char *buf, char *hdr, size_t hdrsize);

static const char busy_503[] =
	"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
	"Retry-After: 1\r\nConnection: close\r\n\r\n";

/*
 * Each request gets its response header from the allocator, as a real
 * server's per-request state would: the allocator's metrics then follow
 * the request rate.  Without memory the request is answered 503.
 */
static int answer(int fd, char *buf)
{
	char *hdr = malloc(256);
	int rc;

	if (!hdr) {
		uk_counter_add(&n_no_memory, 1);
		send_all(fd, busy_503, sizeof(busy_503) - 1);
		return 0;
	}
	rc = answer_with(fd, buf, hdr, 256);
	free(hdr);
	return rc;
}

static int answer_with(int fd, char *buf, char *hdr, size_t hdrsize)
{
	const struct file *f = NULL;
	struct file tmp;
	char *sp1, *sp2, *q;
	int keep, n, head;

	sp1 = strchr(buf, ' ');
	sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
	if (!sp1 || !sp2) {
		send_all(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
			 "Connection: close\r\n\r\n", 67);
		return 0;
	}
	head = (sp1 - buf == 4 && !memcmp(buf, "HEAD", 4));
	keep = !strncmp(sp2 + 1, "HTTP/1.1", 8) &&
	       !strcasestr(sp2, "\nConnection: close");
	q = memchr(sp1 + 1, '?', (size_t)(sp2 - sp1 - 1));
	if ((sp1 - buf == 3 && !memcmp(buf, "GET", 3)) || head)
		f = file_find(sp1 + 1, (size_t)((q ? q : sp2) - sp1 - 1), &tmp);
	if (!f) {
		n = snprintf(hdr, hdrsize, "HTTP/1.1 404 Not Found\r\n"
			     "Content-Type: text/plain\r\nContent-Length: 10\r\n"
			     "%s\r\nnot found\n", keep ? "" :
			     "Connection: close\r\n");
		count(0, 0);
		return send_all(fd, hdr, (size_t)n) ? -1 : keep;
	}
	n = snprintf(hdr, hdrsize, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\n"
		     "Content-Length: %zu\r\n%s\r\n", f->type, f->len,
		     keep ? "" : "Connection: close\r\n");
	if (send_all(fd, hdr, (size_t)n) ||
	    (!head && send_all(fd, f->data, f->len)))
		return -1;
	count(head ? 0 : f->len, 1);
	return keep;
}

#define BUF_SIZE 2048
#define WORKERS 8
#define QLEN 16         /* accepted connections waiting for a worker */
#define BACKLOG 16      /* lwIP's listen backlog (lib/lwip/README.md) */
#define HEAD_MS 2000    /* a request head, from its first byte */
#define IDLE_MS 5000    /* a keep-alive connection between requests */
#define SEND_MS 5000    /* a send that makes no progress */
#define SLICE_MS 50     /* how often a waiting worker checks for eviction */
/* Measured at most 1.8 KiB deep (wrk on every path, 64 idle and 100 held
 * connections): 16 KiB instead of the default 64 KiB leaves a wide
 * margin and saves 432 KiB over the nine threads, which lets the demo
 * run in 4 MiB. */
#define STACK_SIZE (16 * 1024)

#define MS UK_NSEC_PER_MSEC

/* What a worker is doing; only IDLE and HEAD connections are evicted. */
enum phase { FREE, IDLE, HEAD, ANSWER };

struct worker {
	char *buf;        /* BUF_SIZE bytes for the request heads */
	enum phase phase;
	uint64_t since;   /* start of the phase (HEAD: the head's first byte) */
	int evict;        /* set by the acceptor: reset the connection */
};

/* Guarded by q_lock: the queue and every worker's phase and flag. */
static struct worker workers[WORKERS];
static int queue[QLEN];
static unsigned int q_head, q_len;
static struct uk_semaphore q_items;
static struct uk_mutex q_lock;

static uint64_t now_ns(void)
{
	return uk_plat_time_mono_ns();
}

/* Resets the connection: no FIN handshake, so no PCB waits for the peer. */
static void drop(int fd)
{
	struct linger lg = { 1, 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

/* Answers 503 without waiting (the send buffer is empty) and resets. */
static void refuse(int fd)
{
	send(fd, busy_503, sizeof(busy_503) - 1, MSG_DONTWAIT);
	drop(fd);
}

static void set_phase(struct worker *w, enum phase p)
{
	uk_mutex_lock(&q_lock);
	w->phase = p;
	w->since = now_ns();
	uk_mutex_unlock(&q_lock);
}

enum { READY, TIMED_OUT, EVICTED };

/* Waits until fd has input (or an error to read), deadline, or eviction. */
static int wait_input(struct worker *w, int fd, uint64_t deadline)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		uint64_t now = now_ns(), left;

		if (__atomic_load_n(&w->evict, __ATOMIC_RELAXED))
			return EVICTED;
		if (now >= deadline)
			return TIMED_OUT;
		left = deadline - now;
		if (left > SLICE_MS * MS)
			left = SLICE_MS * MS;
		if (poll(&pfd, 1, (int)((left + MS - 1) / MS)) != 0)
			return READY;
	}
}

/*
 * Answers the complete heads at the start of buf (have bytes, NUL
 * terminated), keeping what follows them.  Returns 1 to go on reading,
 * 0 to close (the response asked for it), -1 on a send error.
 */
static int answer_heads(struct worker *w, int fd, char *buf, size_t *have)
{
	char *end;
	size_t used;
	int keep;

	while ((end = strstr(buf, "\r\n\r\n"))) {
		set_phase(w, ANSWER);
		end[2] = 0;
		used = (size_t)(end + 4 - buf);
		keep = answer(fd, buf);
		if (keep <= 0)
			return keep;
		memmove(buf, buf + used, *have - used);
		*have -= used;
		buf[*have] = 0;
		/* A pipelined head already begun gets a deadline of its own. */
		set_phase(w, *have ? HEAD : IDLE);
	}
	return 1;
}

/* Serves fd until the client leaves, a deadline passes or it is evicted. */
static void serve(struct worker *w, int fd)
{
	char *buf = w->buf;
	size_t have = 0;
	int rc;

	for (;;) {
		uint64_t deadline = w->since + (have ? HEAD_MS : IDLE_MS) * MS;
		ssize_t n;

		rc = wait_input(w, fd, deadline);
		if (rc != READY) {
			uk_counter_add(rc == EVICTED ? &n_evicted : &n_timed_out,
				       1);
			drop(fd);
			break;
		}
		n = recv(fd, buf + have, BUF_SIZE - 1 - have, MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			continue;
		if (n == 0) {
			close(fd); /* the client is done */
			break;
		}
		if (n < 0) {
			drop(fd);
			break;
		}
		if (!have)
			set_phase(w, HEAD);
		have += (size_t)n;
		buf[have] = 0;
		rc = answer_heads(w, fd, buf, &have);
		if (rc == 0) {
			close(fd); /* answered with "Connection: close" */
			break;
		}
		if (rc < 0) {
			/* A send failed or timed out: the client is gone
			 * or stopped reading. */
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				uk_counter_add(&n_timed_out, 1);
			drop(fd);
			break;
		}
		if (have == BUF_SIZE - 1) {
			drop(fd); /* a head this long is not ours */
			break;
		}
	}
}

/*
 * The connection to give up for a newcomer: the head incomplete the
 * longest, else the connection idle the longest; NULL when every worker
 * is answering or already leaving.  Called with q_lock held.
 */
static struct worker *victim(void)
{
	struct worker *best = NULL;
	unsigned int i;

	for (i = 0; i < WORKERS; i++) {
		struct worker *w = &workers[i];

		if (w->evict || (w->phase != HEAD && w->phase != IDLE))
			continue;
		if (!best || (w->phase == HEAD && best->phase == IDLE) ||
		    (w->phase == best->phase && w->since < best->since))
			best = w;
	}
	return best;
}

/*
 * Makes sure each queued connection has a worker on its way: a free one,
 * or one told to give up its connection.  Called with q_lock held.
 */
static void make_room(void)
{
	unsigned int i, coming = 0;
	struct worker *w;

	for (i = 0; i < WORKERS; i++)
		coming += workers[i].phase == FREE || workers[i].evict;
	while (coming < q_len && (w = victim())) {
		__atomic_store_n(&w->evict, 1, __ATOMIC_RELAXED);
		coming++;
	}
}

static void worker_thread(void *arg)
{
	struct worker *w = arg;
	int fd;

	for (;;) {
		uk_mutex_lock(&q_lock);
		w->phase = FREE;
		__atomic_store_n(&w->evict, 0, __ATOMIC_RELAXED);
		uk_mutex_unlock(&q_lock);
		uk_semaphore_down(&q_items);
		uk_mutex_lock(&q_lock);
		fd = queue[q_head];
		q_head = (q_head + 1) % QLEN;
		q_len--;
		w->phase = IDLE;
		w->since = now_ns();
		uk_mutex_unlock(&q_lock);
		serve(w, fd);
	}
}

static void accept_thread(void *arg)
{
	struct timeval snd = { SEND_MS / 1000, (SEND_MS % 1000) * 1000 };
	int lfd = (int)(intptr_t)arg;

	for (;;) {
		int fd = accept(lfd, NULL, NULL), queued = 0;

		if (fd < 0) {
			uk_thread_sleep_ns(10 * MS);
			continue;
		}
		/* A response goes out as two sends (head, then body): with
		 * Nagle the body would wait for the ACK of the head, which a
		 * peer delaying ACKs (QEMU's slirp: up to 200 ms) holds back. */
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 },
			   sizeof(int));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &snd, sizeof(snd));
		uk_counter_add(&n_conns, 1);
		uk_mutex_lock(&q_lock);
		if (q_len < QLEN) {
			queue[(q_head + q_len++) % QLEN] = fd;
			make_room();
			queued = 1;
		}
		uk_mutex_unlock(&q_lock);
		if (queued) {
			uk_semaphore_up(&q_items);
		} else {
			uk_counter_add(&n_rejected, 1);
			refuse(fd);
		}
	}
}

/*
 * Starts the file server on port.  Returns 0, or a negative errno when
 * the socket or a thread cannot be set up.
 */
int demo_fileserver_start(uint16_t port)
{
	struct sockaddr_in sa;
	struct uk_thread *t;
	int fd, one = 1, rc;
	size_t i;

	for (i = 0; i < sizeof(blob); i++)
		blob[i] = (char)('a' + i % 26);
	uk_mutex_init(&stats_lock, "fileserver");
	uk_mutex_init(&q_lock, "fileserver_queue");
	uk_semaphore_init(&q_items, "fileserver_items", 0);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(fd, BACKLOG)) {
		rc = -errno;
		close(fd);
		return rc;
	}
	for (i = 0; i < WORKERS; i++) {
		workers[i].buf = malloc(BUF_SIZE);
		if (!workers[i].buf) {
			while (i--)
				free(workers[i].buf);
			close(fd);
			return -ENOMEM;
		}
	}
	for (i = 0; i < WORKERS; i++) {
		char name[24];

		snprintf(name, sizeof(name), "fileserver-%zu", i);
		rc = uk_thread_create(&t, name, worker_thread, &workers[i],
				      STACK_SIZE);
		if (rc)
			goto fail;
	}
	rc = uk_thread_create(&t, "fileserver-accept", accept_thread,
			      (void *)(intptr_t)fd, STACK_SIZE);
	if (rc)
		goto fail;
	return 0;
fail:
	/* Workers already started wait on the queue for good: harmless. */
	close(fd);
	return rc;
}
