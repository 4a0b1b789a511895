/*
 * Kernel tests of the TCP PCB pool under pressure (pcb.c), over the
 * loopback interface of the lwip-test image: close() with SO_LINGER
 * {1, 0} resets a quiet connection at once, so its PCB is free again
 * without waiting for the peer; and connections closed by a server
 * while their clients hold them open (orphans in FIN-WAIT-2) cannot
 * starve a listener: when they fill the pool, a new connection still
 * gets a PCB by resetting the oldest orphan, and the headroom gauge
 * counts them as available.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include "lwip/opt.h"

#include <uk/lwip.h>
#include <uk/plat/time.h>
#include <uk/store.h>
#include <uk/test.h>
#include <uk/thread.h>

#define MS UK_NSEC_PER_MSEC

static long long rd(const char *path)
{
	struct uk_store_value v;
	int rc = uk_store_read_path(path, &v);

	return rc ? rc : (long long)v.u;
}

/* A listener on 127.0.0.1:port with backlog, or -errno. */
static int listener(uint16_t port, int backlog, struct sockaddr_in *sa)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		return -errno;
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(port);
	inet_pton(AF_INET, "127.0.0.1", &sa->sin_addr);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)sa, sizeof(*sa)) ||
	    listen(fd, backlog)) {
		close(fd);
		return -errno;
	}
	return fd;
}

/* Waits up to ms for fd to become readable; the poll() result. */
static int readable(int fd, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };

	return poll(&p, 1, ms);
}

/* Lets lwIP's loopback deliver what is queued (the tcpip thread). */
static void settle(void)
{
	uk_thread_sleep_ns(20 * MS);
}

UK_TEST(lwip_pcb_linger0_resets)
{
	struct linger lg = { 1, 0 };
	struct sockaddr_in sa;
	long long used0, rsts0;
	int lfd, c, s;
	char b;

	UK_TEST_EQ(uk_lwip_init(), 0);
	lfd = listener(7801, 4, &sa);
	UK_TEST_EQ(lfd > 0 ? 0 : lfd, 0);
	used0 = rd("lwip/tcp_pcb/pool_used");
	rsts0 = rd("lwip/tcp_out_rsts");
	c = socket(AF_INET, SOCK_STREAM, 0);
	UK_TEST_EQ(connect(c, (struct sockaddr *)&sa, sizeof(sa)), 0);
	s = accept(lfd, NULL, NULL);
	UK_TEST_ASSERT(s >= 3);
	/* Nothing unsent, nothing unacknowledged, nothing unread: lwIP's
	 * own close would send a FIN and keep the PCB for the peer. */
	settle();
	UK_TEST_EQ(rd("lwip/tcp_pcb/pool_used"), used0 + 2);
	UK_TEST_EQ(setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	UK_TEST_EQ(close(s), 0);
	UK_TEST_EQ(rd("lwip/tcp_out_rsts"), rsts0 + 1);
	UK_TEST_ASSERT(readable(c, 1000) > 0);
	UK_TEST_EQ(recv(c, &b, 1, 0), -1);
	UK_TEST_EQ(errno, ECONNRESET);
	/* Both PCBs are back: the reset one at once, the client's when
	 * its reset arrived. */
	UK_TEST_EQ(rd("lwip/tcp_pcb/pool_used"), used0);
	close(c);
	close(lfd);
}

/* The server side: accepts and closes gracefully until told to stop. */
struct closer {
	int lfd;
	int stop;
};

static void closer_fn(void *arg)
{
	struct closer *cl = arg;
	int s;

	while (!__atomic_load_n(&cl->stop, __ATOMIC_RELAXED)) {
		if (readable(cl->lfd, 10) <= 0)
			continue;
		s = accept(cl->lfd, NULL, NULL);
		if (s >= 0)
			close(s);
	}
}

/* Connects fd to sa without blocking for longer than ms; 0 or -errno. */
static int connect_within(int fd, const struct sockaddr_in *sa, int ms)
{
	struct pollfd p = { fd, POLLOUT, 0 };
	int fl = fcntl(fd, F_GETFL, 0), err = 0;
	socklen_t len = sizeof(err);

	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	if (!connect(fd, (const struct sockaddr *)sa, sizeof(*sa)))
		return 0;
	if (errno != EINPROGRESS)
		return -errno;
	if (poll(&p, 1, ms) <= 0)
		return -ETIMEDOUT;
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
	fcntl(fd, F_SETFL, fl);
	return -err;
}

/* Connections made: more than the pool holds as client + orphan pairs. */
#define NCONN (MEMP_NUM_TCP_PCB / 2 + 8)

UK_TEST(lwip_pcb_orphans_reclaimed)
{
	static int cfd[NCONN];
	struct closer cl;
	struct sockaddr_in sa;
	struct uk_thread *t;
	long long reclaimed0, reclaimed;
	int i, n = 0, reset = 0, spare, rc;
	char b;

	UK_TEST_EQ(uk_lwip_init(), 0);
	cl.lfd = listener(7802, 8, &sa);
	UK_TEST_ASSERT(cl.lfd >= 3);
	cl.stop = 0;
	UK_TEST_EQ(uk_thread_create(&t, "closer", closer_fn, &cl, 0), 0);
	reclaimed0 = rd("lwip/tcp_orphans_reclaimed");
	/* A PCB in reserve, for a client that finds the pool empty. */
	spare = socket(AF_INET, SOCK_STREAM, 0);
	UK_TEST_ASSERT(spare >= 3);
	/* Each connection takes two PCBs: the client's, held open in
	 * CLOSE-WAIT, and the server's, orphaned in FIN-WAIT-2.  Once
	 * they fill the pool (TIME-WAIT PCBs of earlier cases taken back
	 * first), each SYN must reclaim an orphan, whose reset client
	 * frees a PCB for the next one. */
	for (i = 0; i < NCONN; i++) {
		cfd[n] = socket(AF_INET, SOCK_STREAM, 0);
		if (cfd[n] < 0 && spare >= 0) {
			close(spare);
			spare = -1;
			cfd[n] = socket(AF_INET, SOCK_STREAM, 0);
		}
		if (cfd[n] < 0) {
			_uk_test_fail(__FILE__, __LINE__, "socket %d: %d", i,
				      errno);
			break;
		}
		rc = connect_within(cfd[n], &sa, 2000);
		if (rc) {
			_uk_test_fail(__FILE__, __LINE__, "connect %d: %d", i,
				      rc);
			close(cfd[n]);
			break;
		}
		n++;
		settle();
	}
	reclaimed = rd("lwip/tcp_orphans_reclaimed") - reclaimed0;
	uk_test_log("%d connections, %lld orphans reset to make room, %lld "
		    "left, headroom %lld, free %lld", n, reclaimed,
		    rd("lwip/tcp_orphans"), rd("lwip/tcp_pcb_headroom"),
		    rd("lwip/tcp_pcb/pool_free"));
	UK_TEST_EXPECT(reclaimed >= NCONN - MEMP_NUM_TCP_PCB / 2);
	/* The orphans still count as room for a new connection. */
	UK_TEST_EXPECT(rd("lwip/tcp_pcb_headroom") >= rd("lwip/tcp_orphans"));
	UK_TEST_EXPECT(rd("lwip/tcp_orphans") > 0);
	/* The reclaimed orphans' clients were reset; the others read the
	 * server's FIN. */
	for (i = 0; i < n; i++) {
		if (readable(cfd[i], 100) <= 0)
			continue;
		if (recv(cfd[i], &b, 1, MSG_DONTWAIT) < 0 &&
		    errno == ECONNRESET)
			reset++;
	}
	UK_TEST_EXPECT(reset == reclaimed);
	for (i = 0; i < n; i++)
		close(cfd[i]);
	if (spare >= 0)
		close(spare);
	__atomic_store_n(&cl.stop, 1, __ATOMIC_RELAXED);
	uk_thread_join(t);
	close(cl.lfd);
	UK_TEST_EQ(n, NCONN);
}
