/*
 * The demo's workload: a tiny HTTP/1.1 file server on its own port,
 * serving the VFS tree (the files built into the image in the root
 * ramfs, the archive of a disk on /site, a host folder on /data, the
 * initrd's archive on /initrd) and writing into its writable mounts
 * (http.c answers the requests).  This file holds the connections.
 * An accept thread hands connections to a fixed pool of worker threads
 * through a bounded queue, so the number of threads and their memory stay
 * bounded however many clients come: each worker takes its request
 * buffer and its file buffer at start, so a server that started has what
 * it needs to read requests.  Each request's state comes from the
 * allocator, as a real server's would.  A load generator such as wrk thus
 * drives the network stack, the file systems and their devices, the
 * allocator, the locks and the scheduler, and their metrics visibly move
 * (with /data mounted, each request also appends a line to
 * /data/access.log: the write side moves too).  Its own counters are
 * published as library "fileserver".
 *
 * No client can hang it.  A worker waits for input with poll() in short
 * slices: a request head must be complete within HEAD_MS of its first
 * byte, a keep-alive connection may stay idle IDLE_MS, and a send that
 * makes no progress for SEND_MS fails (SO_SNDTIMEO).  A newcomer that
 * finds every worker taken makes one give up its connection: the one
 * whose head has been incomplete the longest, or else the one idle the
 * longest, never one being answered nor one idle for less than GRACE_MS
 * (a keep-alive client between two requests is not idle); its worker
 * notices within a slice.  While newcomers wait, the waiting
 * workers look again every slice, so a connection is given up as soon
 * as its grace has passed.
 * With every worker answering and QLEN connections queued, a newcomer is
 * answered 503.  Connections dropped for any of these reasons are reset
 * (SO_LINGER 0), so no PCB stays behind for a peer that holds its end.
 * A response that closes the connection while the client may still be
 * sending (a refused upload) closes gracefully: the write side first,
 * then what still arrives is read and dropped for at most LINGER_MS, so
 * the client reads the response rather than a reset.
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
#include <sys/stat.h>

#include <arpa/inet.h>

#include <uk/alloc.h>
#include <uk/counter.h>
#include <uk/lock.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#include <uk/store.h>
#include <uk/thread.h>

#include "demo.h"

UK_STORE_LIBRARY(fileserver);

static uint64_t n_requests, n_bytes, n_received, n_not_found, n_conns;
static uint64_t n_rejected, n_evicted, n_timed_out, n_no_memory;
static uint64_t n_client_errors, n_server_errors;

/* demo.accesslog=0 turns the access log off. */
int demo_log_enabled = 1;
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
UK_STORE_STATIC_ENTRY(fileserver, received, u64, counter, bytes,
		      "Request body bytes received (PUT).", get_u64, NULL,
		      &n_received);
UK_STORE_STATIC_ENTRY(fileserver, not_found, u64, counter, none,
		      "Requests for files that do not exist.", get_u64, NULL,
		      &n_not_found);
UK_STORE_STATIC_ENTRY(fileserver, client_errors, u64, counter, none,
		      "Requests answered 4xx other than 404 (bad paths, "
		      "refused changes, bodies too large...).", get_u64, NULL,
		      &n_client_errors);
UK_STORE_STATIC_ENTRY(fileserver, server_errors, u64, counter, none,
		      "Requests answered 5xx (a full file system, a failed "
		      "read...), memory shortages included.", get_u64, NULL,
		      &n_server_errors);
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

static const char busy_503[] =
	"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
	"Retry-After: 1\r\nConnection: close\r\n\r\n";

/* Counts one answered request (see demo.h). */
void demo_count_request(int status, uint64_t sent, uint64_t received)
{
	uk_mutex_lock(&stats_lock);
	uk_counter_add(&n_requests, 1);
	uk_counter_add(&n_bytes, sent);
	uk_counter_add(&n_received, received);
	if (status == 404)
		uk_counter_add(&n_not_found, 1);
	else if (status >= 400 && status < 500)
		uk_counter_add(&n_client_errors, 1);
	else if (status >= 500)
		uk_counter_add(&n_server_errors, 1);
	/* Answered 503 by a request: memory (or descriptors) ran out. */
	if (status == 503)
		uk_counter_add(&n_no_memory, 1);
	uk_mutex_unlock(&stats_lock);
}

#define BUF_SIZE 2048
#define IO_SMALL 4096   /* each worker's file buffer... */
#define IO_BIG (64 * 1024) /* ...or this, when the heap is roomy */
#define IO_ROOMY (16 * WORKERS * IO_BIG) /* free heap for big buffers */
#define WORKERS 8
#define QLEN 16         /* accepted connections waiting for a worker */
#define BACKLOG 16      /* lwIP's listen backlog (lib/lwip/README.md) */
#define HEAD_MS 2000    /* a request head, from its first byte */
#define IDLE_MS 5000    /* a keep-alive connection between requests */
#define SEND_MS 5000    /* a send that makes no progress */
#define SLICE_MS 50     /* how often a waiting worker checks for eviction */
#define GRACE_MS 200    /* a connection idle for less keeps its worker */
#define LINGER_MS 1000  /* reading what a client still sends after a close */
#define LOG_ROTATE (1024 * 1024) /* the access log's size before rotation */
#define LOG_KEEP 2      /* rotated access logs kept */
/* Measured at most 3.7 KiB deep (tests/kvm/e2e_fs*.sh: GET from a disk
 * and a 9P share, PUT, MOVE and DELETE over 9P, ENOSPC, the access log;
 * before the VFS, 1.8 KiB under wrk on every path, 64 idle and 100 held
 * connections): 16 KiB instead of the default 64 KiB leaves a wide
 * margin and saves 480 KiB over the ten threads, which lets the demo
 * run in 4 MiB. */
#define STACK_SIZE (16 * 1024)

#define MS UK_NSEC_PER_MSEC

/* The size of each worker's file buffer, chosen at start. */
static size_t io_size = IO_SMALL;

/* What a worker is doing; only IDLE and HEAD connections are evicted. */
enum phase { FREE, IDLE, HEAD, ANSWER };

struct worker {
	unsigned int id;
	int fd;           /* the connection, and its peer's address */
	char peer[16];
	char *buf;        /* BUF_SIZE bytes for the request heads */
	char *io;         /* io_size bytes for file data */
	enum phase phase;
	uint64_t since;   /* start of the phase (HEAD: the head's first byte) */
	int evict;        /* set by the acceptor: reset the connection */
};

/* Guarded by q_lock: the queue and every worker's phase and flag. */
static struct worker workers[WORKERS];
static struct { int fd; char peer[16]; } queue[QLEN];
static unsigned int q_head, q_len;
static struct uk_semaphore q_items;
static struct uk_mutex q_lock;

static uint64_t now_ns(void)
{
	return uk_plat_time_mono_ns();
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

/*
 * Closes after a response that ended the connection: the write side
 * first, then whatever the client still sends is dropped until it
 * closes too or LINGER_MS pass, so that it reads the response instead
 * of a reset (a refused upload's body may still be on its way).
 */
static void linger_close(int fd)
{
	uint64_t end = uk_plat_time_mono_ns() + LINGER_MS * MS;
	char sink[256];

	shutdown(fd, SHUT_WR);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		uint64_t now = uk_plat_time_mono_ns();

		if (now >= end || poll(&pfd, 1, (int)((end - now) / MS) + 1) <= 0 ||
		    recv(fd, sink, sizeof(sink), MSG_DONTWAIT) <= 0)
			break;
	}
	close(fd);
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
static void make_room(void);

static int wait_input(struct worker *w, int fd, uint64_t deadline)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		uint64_t now = now_ns(), left;

		/* Newcomers waiting: connections past their grace may have
		 * to give up their worker (this one included). */
		if (__atomic_load_n(&q_len, __ATOMIC_RELAXED)) {
			uk_mutex_lock(&q_lock);
			make_room();
			uk_mutex_unlock(&q_lock);
		}
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
	struct demo_req r;
	char *end;
	size_t used;
	int keep;

	while ((end = strstr(buf, "\r\n\r\n"))) {
		set_phase(w, ANSWER);
		end[2] = 0;
		used = (size_t)(end + 4 - buf);
		r = (struct demo_req){
			.fd = fd, .peer = w->peer, .head = buf,
			.rest = buf + used, .nrest = *have - used,
			.io = w->io, .iosize = io_size, .worker = w->id,
		};
		keep = demo_http_answer(&r);
		if (keep == DEMO_HTTP_NOMEM) {
			/* No memory for the request's state. */
			demo_count_request(503, 0, 0);
			send_all(fd, busy_503, sizeof(busy_503) - 1);
			return 0;
		}
		if (keep <= 0)
			return keep;
		used += r.used;     /* a body that came with the head */
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
			linger_close(fd); /* answered "Connection: close" */
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
 * longest, else the connection idle the longest among those idle for
 * GRACE_MS at least (a keep-alive client between two requests, or one
 * that has just connected, is idle for a moment: it keeps its worker,
 * and the newcomer waits for a worker to free up or for a connection to
 * pass its grace; an incomplete head has no grace); NULL when there is
 * none.  Called with q_lock held.
 */
static struct worker *victim(uint64_t now)
{
	struct worker *best = NULL;
	unsigned int i;

	for (i = 0; i < WORKERS; i++) {
		struct worker *w = &workers[i];

		if (w->evict || (w->phase != HEAD && w->phase != IDLE) ||
		    (w->phase == IDLE && now - w->since < GRACE_MS * MS))
			continue;
		if (!best || (w->phase == HEAD && best->phase == IDLE) ||
		    (w->phase == best->phase && w->since < best->since))
			best = w;
	}
	return best;
}

/*
 * Makes sure each queued connection has a worker on its way: a free one,
 * or one told to give up its connection (past its grace).  Called with
 * q_lock held, by the acceptor and by waiting workers every slice.
 */
static void make_room(void)
{
	unsigned int i, coming = 0;
	uint64_t now = now_ns();
	struct worker *w;

	for (i = 0; i < WORKERS; i++)
		coming += workers[i].phase == FREE || workers[i].evict;
	while (coming < q_len && (w = victim(now))) {
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
		fd = queue[q_head].fd;
		memcpy(w->peer, queue[q_head].peer, sizeof(w->peer));
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
		struct sockaddr_in sa;
		socklen_t salen = sizeof(sa);
		int fd = accept(lfd, (struct sockaddr *)&sa, &salen);
		int queued = 0;
		char peer[16] = "-";

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
		if (salen == sizeof(sa) && sa.sin_family == AF_INET)
			inet_ntop(AF_INET, &sa.sin_addr, peer, sizeof(peer));
		uk_mutex_lock(&q_lock);
		if (q_len < QLEN) {
			unsigned int at = (q_head + q_len++) % QLEN;

			queue[at].fd = fd;
			memcpy(queue[at].peer, peer, sizeof(peer));
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

/* Writes the access log's buffer out every second. */
static void log_thread(void *arg)
{
	for (;;) {
		uk_thread_sleep_ns(1000 * MS);
		demo_log_flush();
	}
}

/*
 * Opens /data/access.log when /data is a mount of its own (a host
 * folder), with its flusher.  A failure costs the log, not the server.
 */
static void start_log(void)
{
	struct stat root, data;
	struct uk_thread *t;
	int rc;

	if (!demo_log_enabled || stat("/", &root) || stat("/data", &data) ||
	    root.st_dev == data.st_dev)
		return;
	rc = demo_log_open("/data/access.log", LOG_ROTATE, LOG_KEEP);
	if (!rc)
		rc = uk_thread_create(&t, "fileserver-log", log_thread, NULL,
				      STACK_SIZE);
	if (rc) {
		demo_log_close();
		uk_pr_warn("demo: no access log in /data (%d)\n", rc);
		return;
	}
	uk_pr_info("demo: access log /data/access.log (rotated at %u KiB, "
		   "%u kept)\n", LOG_ROTATE / 1024, LOG_KEEP);
}

/*
 * Starts the file server on port.  Returns 0, or a negative errno when
 * the socket or a thread cannot be set up.
 */
int demo_fileserver_start(uint16_t port)
{
	struct sockaddr_in sa;
	struct uk_thread *t;
	uint64_t pages, freep;
	int fd, one = 1, rc;
	size_t i;

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
	/* Large files are read in 64 KiB pieces (fewer messages to a 9P
	 * server or a disk) when memory allows: 8 MiB free at least. */
	if (!uk_alloc_region_pages(uk_alloc_get_default(), &pages, &freep) &&
	    freep * 4096 >= IO_ROOMY)
		io_size = IO_BIG;
	for (i = 0; i < WORKERS; i++) {
		workers[i].id = (unsigned int)i;
		workers[i].buf = malloc(BUF_SIZE);
		workers[i].io = malloc(io_size);
		if (!workers[i].buf || !workers[i].io) {
			do {
				free(workers[i].buf);
				free(workers[i].io);
			} while (i--);
			close(fd);
			return -ENOMEM;
		}
	}
	start_log();
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
