/*
 * The demo's workload: a tiny HTTP/1.1 file server on its own port,
 * serving a few files built into the image and those of QEMU's -initrd.  An accept thread hands
 * connections to a fixed pool of worker threads through a small queue
 * (a semaphore and a ring), so the number of threads and their memory
 * stay bounded however many clients come.  Each connection gets a
 * request buffer from the allocator for its lifetime.  A load generator
 * such as wrk thus drives the network stack, the allocator, the locks and
 * the scheduler, and their metrics visibly move.  Its own counters are
 * published as library "fileserver".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <uk/counter.h>
#include <uk/lock.h>
#include <uk/plat/initrd.h>
#include <uk/print.h>
#include <uk/store.h>
#include <uk/thread.h>

#include "demo.h"

UK_STORE_LIBRARY(fileserver);

static uint64_t n_requests, n_bytes, n_not_found, n_conns;
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

/*
 * Each request gets its response header from the allocator, as a real
 * server's per-request state would: the allocator's metrics then follow
 * the request rate.
 */
static int answer(int fd, char *buf)
{
	char *hdr = malloc(256);
	int rc;

	if (!hdr)
		return 0;
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
#define QLEN 32

static int queue[QLEN];
static unsigned int q_head, q_tail;
static struct uk_semaphore q_items, q_slots;
static struct uk_mutex q_lock;

static void serve(int fd)
{
	char *buf = malloc(BUF_SIZE);
	size_t have = 0;

	if (!buf) {
		close(fd);
		return;
	}

	for (;;) {
		char *end;
		ssize_t n = recv(fd, buf + have, BUF_SIZE - 1 - have, 0);
		size_t used;
		int keep;

		if (n <= 0)
			break;
		have += (size_t)n;
		buf[have] = 0;
		end = strstr(buf, "\r\n\r\n");
		if (!end) {
			if (have == BUF_SIZE - 1)
				break; /* a head this long is not ours */
			continue;
		}
		end[2] = 0;
		used = (size_t)(end + 4 - buf);
		keep = answer(fd, buf);
		if (keep <= 0)
			break;
		memmove(buf, buf + used, have - used);
		have -= used;
		buf[have] = 0;
		/* Pipelined requests already buffered are answered first. */
		while ((end = strstr(buf, "\r\n\r\n"))) {
			end[2] = 0;
			used = (size_t)(end + 4 - buf);
			keep = answer(fd, buf);
			if (keep <= 0)
				goto out;
			memmove(buf, buf + used, have - used);
			have -= used;
			buf[have] = 0;
		}
	}
out:
	free(buf);
	close(fd);
}

static void worker_thread(void *arg)
{
	for (;;) {
		int fd;

		uk_semaphore_down(&q_items);
		uk_mutex_lock(&q_lock);
		fd = queue[q_head++ % QLEN];
		uk_mutex_unlock(&q_lock);
		uk_semaphore_up(&q_slots);
		serve(fd);
	}
}

static void accept_thread(void *arg)
{
	int lfd = (int)(intptr_t)arg;

	for (;;) {
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0) {
			uk_thread_sleep_ns(10 * 1000000ULL);
			continue;
		}
		/* A response goes out as two sends (head, then body): with
		 * Nagle the body would wait for the ACK of the head, which a
		 * peer delaying ACKs (QEMU's slirp: up to 200 ms) holds back. */
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 },
			   sizeof(int));
		uk_counter_add(&n_conns, 1);
		/* Waits (no new accepts) while every worker and slot is busy. */
		uk_semaphore_down(&q_slots);
		uk_mutex_lock(&q_lock);
		queue[q_tail++ % QLEN] = fd;
		uk_mutex_unlock(&q_lock);
		uk_semaphore_up(&q_items);
	}
}

/*
 * Starts the file server on port.  Returns 0, or a negative errno when
 * the socket cannot be set up.
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
	uk_semaphore_init(&q_slots, NULL, QLEN);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(fd, 16)) {
		rc = -errno;
		close(fd);
		return rc;
	}
	for (i = 0; i < WORKERS; i++) {
		char name[24];

		snprintf(name, sizeof(name), "fileserver-%zu", i);
		rc = uk_thread_create(&t, name, worker_thread, NULL, 0);
		if (rc)
			return rc;
	}
	rc = uk_thread_create(&t, "fileserver-accept", accept_thread,
			      (void *)(intptr_t)fd, 0);
	if (rc)
		close(fd);
	return rc;
}
