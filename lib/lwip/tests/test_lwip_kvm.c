/*
 * Kernel tests of lwIP on ukmon (the lwip-test image): sys_arch's
 * timeouts on uksched, the statistics folders in ukstore, TCP through the
 * BSD socket API over the loopback interface, and the netif glue (UDP,
 * DHCP, boot options) over fake uknetdev devices whose wire ends in a
 * tiny peer (fake_peer.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "lwip/dns.h"
#include "lwip/netif.h"
#include "lwip/sys.h"

#include <uk/errptr.h>
#include <uk/lock.h>
#include <uk/lwip.h>
#include <uk/netdev.h>
#include <uk/plat/cmdline.h>
#include <uk/plat/time.h>
#include <uk/store.h>
#include <uk/test.h>
#include <uk/thread.h>

#include "fake_peer.h"

#define MS UK_NSEC_PER_MSEC

static long long read_u(const char *path)
{
	struct uk_store_value v;
	int rc = uk_store_read_path(path, &v);

	return rc ? rc : (long long)v.u;
}

UK_TEST(lwip_sys_arch_timeouts)
{
	sys_sem_t s;
	sys_mbox_t m;
	void *msg;
	uint64_t t0;
	u32_t w;

	UK_TEST_EQ(uk_lwip_init(), 0);
	UK_TEST_EQ(sys_sem_new(&s, 0), ERR_OK);
	t0 = uk_plat_time_mono_ns();
	UK_TEST_EQ(sys_arch_sem_wait(&s, 20), SYS_ARCH_TIMEOUT);
	UK_TEST_EXPECT(uk_plat_time_mono_ns() - t0 >= 20 * MS);
	sys_sem_signal(&s);
	w = sys_arch_sem_wait(&s, 100);
	UK_TEST_EXPECT(w < 100);
	sys_sem_free(&s);

	UK_TEST_EQ(sys_mbox_new(&m, 2), ERR_OK);
	UK_TEST_EQ(sys_mbox_trypost(&m, &s), ERR_OK);
	UK_TEST_EQ(sys_mbox_trypost_fromisr(&m, &m), ERR_OK);
	UK_TEST_EQ(sys_mbox_trypost(&m, &s), ERR_MEM);
	UK_TEST_EXPECT(sys_arch_mbox_fetch(&m, &msg, 0) != SYS_ARCH_TIMEOUT);
	UK_TEST_ASSERT(msg == &s);
	UK_TEST_EQ(sys_arch_mbox_tryfetch(&m, &msg), 0);
	UK_TEST_ASSERT(msg == &m);
	UK_TEST_EQ(sys_arch_mbox_tryfetch(&m, &msg), SYS_MBOX_EMPTY);
	t0 = uk_plat_time_mono_ns();
	UK_TEST_EQ(sys_arch_mbox_fetch(&m, &msg, 10), SYS_ARCH_TIMEOUT);
	UK_TEST_EXPECT(uk_plat_time_mono_ns() - t0 >= 10 * MS);
	sys_mbox_free(&m);
}

UK_TEST(lwip_stats_in_store)
{
	UK_TEST_EQ(uk_lwip_init(), 0);
	UK_TEST_ASSERT(read_u("lwip/tcp/xmit") >= 0);
	UK_TEST_ASSERT(read_u("lwip/link/recv") >= 0);
	UK_TEST_ASSERT(read_u("lwip/etharp/cachehit") >= 0);
	UK_TEST_ASSERT(read_u("lwip/heap/pool_avail") > 0);
	UK_TEST_EQ(read_u("lwip/tcp_pcb/pool_avail"), MEMP_NUM_TCP_PCB);
	UK_TEST_ASSERT(read_u("lwip/pbuf_pool/pool_avail") > 0);
	/* Mailbox rings come from their own pool: the tcpip thread's is
	 * larger and from the heap, every socket takes one. */
	UK_TEST_EQ(read_u("lwip/mbox_ring/pool_avail"), MEMP_NUM_NETCONN + 4);
	UK_TEST_EQ(read_u("lwip/mbox_ring/pool_err"), 0);
	UK_TEST_EQ(read_u("lwip/nosuch/xmit"), -ENOENT);
}

/* ---- TCP over the loopback interface ---- */

#define TCP_PORT 7777
#define TCP_BYTES (256 * 1024)

static void echo_server(void *arg)
{
	int lfd = *(int *)arg, c;
	char buf[1460];
	ssize_t n;

	c = accept(lfd, NULL, NULL);
	if (c < 0)
		return;
	while ((n = recv(c, buf, sizeof(buf), 0)) > 0) {
		ssize_t off = 0;

		while (off < n) {
			ssize_t m = send(c, buf + off, (size_t)(n - off), 0);

			if (m <= 0)
				goto out;
			off += m;
		}
	}
out:
	close(c);
}

static unsigned char pattern(size_t i)
{
	return (unsigned char)(i * 131 + (i >> 9));
}

UK_TEST(lwip_tcp_loopback_sockets)
{
	struct sockaddr_in sa;
	struct uk_thread *t;
	static unsigned char rbuf[4096];
	static unsigned char wbuf[4096];
	size_t sent = 0, got = 0, i;
	long long xmit0, opens0;
	int lfd, fd, one = 1, bad = 0;

	UK_TEST_EQ(uk_lwip_init(), 0);
	xmit0 = read_u("lwip/tcp/xmit");
	opens0 = read_u("lwip/tcp_passive_opens");
	UK_TEST_ASSERT(opens0 >= 0);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	UK_TEST_ASSERT(lfd >= 3);
	UK_TEST_EQ(setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one,
				sizeof(one)), 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(TCP_PORT);
	UK_TEST_EQ(inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr), 1);
	UK_TEST_EQ(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	UK_TEST_EQ(listen(lfd, 4), 0);
	UK_TEST_EQ(uk_thread_create(&t, "echo", echo_server, &lfd, 0), 0);

	fd = socket(AF_INET, SOCK_STREAM, 0);
	UK_TEST_ASSERT(fd >= 3);
	UK_TEST_EQ(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	UK_TEST_EQ(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK),
		     0);
	UK_TEST_ASSERT(read_u("lwip/tcp_listening") >= 1);
	/* Both ends of the connection, once the server has accepted. */
	uk_thread_sleep_ns(10 * MS);
	UK_TEST_ASSERT(read_u("lwip/tcp_established") >= 2);
	while (got < TCP_BYTES) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;

		if (sent < TCP_BYTES)
			p.events |= POLLOUT;
		UK_TEST_ASSERT(poll(&p, 1, 5000) > 0);
		if ((p.revents & POLLOUT) && sent < TCP_BYTES) {
			size_t len = TCP_BYTES - sent < sizeof(wbuf) ?
				     TCP_BYTES - sent : sizeof(wbuf);

			for (i = 0; i < len; i++)
				wbuf[i] = pattern(sent + i);
			n = send(fd, wbuf, len, 0);
			if (n > 0)
				sent += (size_t)n;
			else
				UK_TEST_EQ(errno, EWOULDBLOCK);
		}
		if (p.revents & POLLIN) {
			n = recv(fd, rbuf, sizeof(rbuf), 0);
			UK_TEST_ASSERT(n > 0 || errno == EWOULDBLOCK);
			for (i = 0; n > 0 && i < (size_t)n; i++)
				bad += rbuf[i] != pattern(got + i);
			if (n > 0)
				got += (size_t)n;
		}
	}
	UK_TEST_EQ(bad, 0);
	UK_TEST_EQ(got, TCP_BYTES);
	close(fd);
	UK_TEST_EQ(uk_thread_join(t), 0);
	close(lfd);
	/* Both directions went through lwIP's TCP: > 2 x 256 KiB / MSS. */
	UK_TEST_ASSERT(read_u("lwip/tcp/xmit") - xmit0 >
		       2 * TCP_BYTES / TCP_MSS);
	UK_TEST_EQ(read_u("lwip/tcp_passive_opens") - opens0, 1);
	UK_TEST_ASSERT(read_u("lwip/tcp_out_segs") > 2 * TCP_BYTES / TCP_MSS);
	UK_TEST_ASSERT(read_u("lwip/tcp_time_wait") >= 1);
}

/* A connected pair over loopback with a byte each way, all acknowledged
 * (*srv accepted on lfd, *cli connected to it).  Returns 0 or -1. */
static int tcp_pair(int lfd, uint16_t port, int *srv, int *cli)
{
	struct sockaddr_in sa;
	struct timeval tv = { 2, 0 };
	char b;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	*cli = socket(AF_INET, SOCK_STREAM, 0);
	if (*cli < 0 || connect(*cli, (struct sockaddr *)&sa, sizeof(sa)))
		return -1;
	*srv = accept(lfd, NULL, NULL);
	if (*srv < 0)
		return -1;
	setsockopt(*cli, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(*srv, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (send(*srv, "x", 1, 0) != 1 || recv(*cli, &b, 1, 0) != 1 ||
	    send(*cli, "y", 1, 0) != 1 || recv(*srv, &b, 1, 0) != 1)
		return -1;
	uk_thread_sleep_ns(50 * MS);    /* the ACKs */
	return 0;
}

/*
 * close() with SO_LINGER {1, 0} resets the connection and frees its PCB
 * at once, although nothing is left unacknowledged (lwIP's own close
 * would send a FIN then); a plain close sends a FIN, and its PCB stays
 * (FIN-WAIT-2) while the peer holds its end open.
 */
UK_TEST(lwip_linger0_close_resets)
{
	struct linger lg = { 1, 0 };
	struct sockaddr_in sa;
	long long used, rsts;
	int lfd, srv, cli, one = 1;
	char b;

	UK_TEST_EQ(uk_lwip_init(), 0);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	UK_TEST_ASSERT(lfd >= 3);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(TCP_PORT + 1);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	UK_TEST_EQ(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	UK_TEST_EQ(listen(lfd, 4), 0);

	UK_TEST_EQ(tcp_pair(lfd, TCP_PORT + 1, &srv, &cli), 0);
	used = read_u("lwip/tcp_pcb/pool_used");
	rsts = read_u("lwip/tcp_out_rsts");
	UK_TEST_EQ(setsockopt(srv, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)),
		   0);
	UK_TEST_EQ(close(srv), 0);
	UK_TEST_EQ(read_u("lwip/tcp_out_rsts") - rsts, 1);
	UK_TEST_EQ(read_u("lwip/tcp_pcb/pool_used"), used - 1);
	UK_TEST_EQ(recv(cli, &b, 1, 0), -1);
	UK_TEST_EQ(errno, ECONNRESET);
	/* The peer's PCB went with the reset too. */
	UK_TEST_EQ(read_u("lwip/tcp_pcb/pool_used"), used - 2);
	close(cli);

	UK_TEST_EQ(tcp_pair(lfd, TCP_PORT + 1, &srv, &cli), 0);
	used = read_u("lwip/tcp_pcb/pool_used");
	UK_TEST_EQ(close(srv), 0);
	UK_TEST_EQ(recv(cli, &b, 1, 0), 0);
	uk_thread_sleep_ns(50 * MS);
	UK_TEST_EQ(read_u("lwip/tcp_pcb/pool_used"), used);
	UK_TEST_ASSERT(read_u("lwip/tcp_opening_closing") >= 2);
	close(cli);
	close(lfd);
}

/* ---- the netif glue over a fake device with a peer on the wire ---- */

static struct peer wire;

UK_TEST(lwip_netif_udp_echo_over_netdev)
{
	struct uk_lwip_ipcfg cfg;
	struct sockaddr_in to, from;
	socklen_t fl = sizeof(from);
	struct timeval tv = { 2, 0 };
	struct netif *n;
	char path[64], msg[64], in[64];
	long long udp0, link0;
	int fd, i;

	UK_TEST_EQ(uk_lwip_init(), 0);
	peer_init(&wire, 1);
	UK_TEST_EQ(uk_netdev_register(&wire.dev), 0);
	UK_TEST_EQ(uk_lwip_ipcfg_parse(&cfg, "10.0.0.1/24", NULL, NULL), 0);
	n = uk_lwip_netif_add(&wire.dev, &cfg);
	UK_TEST_ASSERT(!uk_is_err(n));
	UK_TEST_EQ(uk_lwip_netif_wait_up(n, 1000), 0);
	udp0 = read_u("lwip/udp/recv");
	link0 = read_u("lwip/link/recv");

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	UK_TEST_ASSERT(fd >= 3);
	UK_TEST_EQ(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
				sizeof(tv)), 0);
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons(9999);
	to.sin_addr.s_addr = htonl(PEER_IP);
	for (i = 0; i < 5; i++) {
		int len = snprintf(msg, sizeof(msg), "hello %d", i);

		UK_TEST_EQ(sendto(fd, msg, (size_t)len, 0,
				    (struct sockaddr *)&to, sizeof(to)), len);
		fl = sizeof(from);
		UK_TEST_EQ(recvfrom(fd, in, sizeof(in), 0,
				      (struct sockaddr *)&from, &fl), len);
		UK_TEST_EQ(memcmp(in, msg, (size_t)len), 0);
		UK_TEST_EQ(ntohl(from.sin_addr.s_addr), PEER_IP);
		UK_TEST_EQ(ntohs(from.sin_port), 9999);
	}
	close(fd);
	UK_TEST_ASSERT(wire.arp_replies >= 1);
	UK_TEST_EQ(wire.udp_echoes, 5);
	snprintf(path, sizeof(path), "netdev/%s/rx_packets", wire.dev.name);
	UK_TEST_ASSERT(read_u(path) >= 6);
	snprintf(path, sizeof(path), "netdev/%s/tx_packets", wire.dev.name);
	UK_TEST_ASSERT(read_u(path) >= 6);
	snprintf(path, sizeof(path), "netdev/%s/rx_irqs", wire.dev.name);
	UK_TEST_ASSERT(read_u(path) >= 1);
	UK_TEST_EQ(read_u("lwip/udp/recv") - udp0, 5);
	UK_TEST_ASSERT(read_u("lwip/link/recv") - link0 >= 5);
	UK_TEST_ASSERT(read_u("lwip/etharp/recv") >= 1);
}

static struct peer mute;

UK_TEST(lwip_netif_dhcp_wait_times_out)
{
	struct netif *n;
	uint64_t t0;

	UK_TEST_EQ(uk_lwip_init(), 0);
	peer_init(&mute, 3);
	mute.mute = 1;
	UK_TEST_EQ(uk_netdev_register(&mute.dev), 0);
	n = uk_lwip_netif_add(&mute.dev, NULL);
	UK_TEST_ASSERT(!uk_is_err(n));
	t0 = uk_plat_time_mono_ns();
	UK_TEST_EQ(uk_lwip_netif_wait_up(n, 300), -ETIMEDOUT);
	UK_TEST_EXPECT(uk_plat_time_mono_ns() - t0 >= 300 * MS);
	UK_TEST_ASSERT(mute.dev.stats.tx_packets >= 1); /* a DISCOVER */
}

static struct peer dhcpd;

UK_TEST(lwip_netif_dhcp_binds)
{
	struct netif *n;
	uint64_t t0;

	UK_TEST_EQ(uk_lwip_init(), 0);
	peer_init(&dhcpd, 5);
	dhcpd.dhcpd = 1;
	UK_TEST_EQ(uk_netdev_register(&dhcpd.dev), 0);
	n = uk_lwip_netif_add(&dhcpd.dev, NULL);
	UK_TEST_ASSERT(!uk_is_err(n));
	t0 = uk_plat_time_mono_ns();
	UK_TEST_EQ(uk_lwip_netif_wait_up(n, 5000), 0);
	uk_test_log("DHCP bound in %llu us",
		    (unsigned long long)(uk_plat_time_mono_ns() - t0) / 1000);
	UK_TEST_EQ(dhcpd.dhcp_replies, 2); /* OFFER, ACK */
	UK_TEST_EQ(ntohl(ip4_addr_get_u32(netif_ip4_addr(n))), DHCP_YIADDR);
	UK_TEST_EQ(ntohl(ip4_addr_get_u32(netif_ip4_netmask(n))),
		     0xffffff00u);
	UK_TEST_EQ(ntohl(ip4_addr_get_u32(netif_ip4_gw(n))), DHCP_SERVER);
}

/*
 * uk_lwip_net_init() from the boot options.  It configures the first
 * device, so it runs alone, booted by tests/test_net_options.sh with the
 * filter lwip_net_init, net.* options and test.net_init=<expected
 * result>; in the full suite (no test.net_init) it has nothing to check.
 */
static struct peer first;

UK_TEST(lwip_net_init_from_options)
{
	const char *want = uk_plat_option("test.net_init");
	const char *dns = uk_plat_option("net.dns");
	struct uk_lwip_ipcfg cfg;
	struct sockaddr_in to, me;
	int rc, fd;

	if (!want) {
		uk_test_log("nothing to check without test.net_init=");
		return;
	}
	UK_TEST_EQ(uk_netdev_count(), 0);
	peer_init(&first, 4);
	UK_TEST_EQ(uk_netdev_register(&first.dev), 0);
	rc = uk_lwip_net_init(500);
	UK_TEST_EQ(rc, atoi(want));
	if (rc)
		return;
	UK_TEST_EQ(uk_lwip_ipcfg_parse(&cfg, uk_plat_option("net.ip"),
					 NULL, NULL), 0);
	/* The stack answers from the configured address. */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	UK_TEST_ASSERT(fd >= 3);
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons(7);
	to.sin_addr.s_addr = htonl(PEER_IP);
	UK_TEST_EQ(connect(fd, (struct sockaddr *)&to, sizeof(to)), 0);
	UK_TEST_EQ(send(fd, "ping", 4, 0), 4);
	UK_TEST_EQ(recv(fd, &me, sizeof(me), 0), 4);
	close(fd);
	UK_TEST_EQ(first.last_src, cfg.addr);
	if (dns) {
		uint32_t d;

		UK_TEST_EQ(uk_lwip_ipv4_parse(dns, &d), 0);
		UK_TEST_EQ(ntohl(ip4_addr_get_u32(
				     ip_2_ip4(dns_getserver(0)))), d);
	}
}
