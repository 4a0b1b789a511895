/*
 * End to end inside the kernel: ukprom's exporter serving over lwIP's
 * sockets on the loopback interface, scraped by a client thread through
 * the same stack; the exposition must carry lwIP's own statistics.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <uk/lwip.h>
#include <uk/plat/time.h>
#include <uk/prom.h>
#include <uk/test.h>

static char resp[256 * 1024];

/* GETs path from 127.0.0.1:port; returns the bytes read or -errno. */
static long scrape(uint16_t port, const char *path)
{
	struct sockaddr_in sa;
	struct timeval tv = { 5, 0 };
	char req[128];
	size_t len = 0;
	long n;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(0x7f000001);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		n = -errno;
		close(fd);
		return n;
	}
	strcpy(req, "GET ");
	strcat(req, path);
	strcat(req, " HTTP/1.0\r\nHost: localhost\r\n\r\n");
	if (send(fd, req, strlen(req), 0) != (ssize_t)strlen(req)) {
		close(fd);
		return -EIO;
	}
	while (len < sizeof(resp) - 1 &&
	       (n = recv(fd, resp + len, sizeof(resp) - 1 - len, 0)) > 0)
		len += (size_t)n;
	resp[len] = '\0';
	close(fd);
	return (long)len;
}

UK_TEST(lwip_prom_exporter_over_loopback)
{
	struct uk_prom_server_cfg cfg = { .addr = "127.0.0.1", .port = 9100 };
	struct uk_prom_server *s;
	uint64_t t0;
	long n;

	UK_TEST_EQ(uk_lwip_init(), 0);
	UK_TEST_EQ(uk_prom_server_start(&cfg, &s), 0);
	UK_TEST_EQ(uk_prom_server_port(s), 9100);
	t0 = uk_plat_time_mono_ns();
	n = scrape(9100, "/metrics");
	uk_test_log("scrape: %ld bytes in %llu us", n,
		    (unsigned long long)(uk_plat_time_mono_ns() - t0) / 1000);
	UK_TEST_ASSERT(n > 0);
	UK_TEST_ASSERT(strncmp(resp, "HTTP/1.", 7) == 0);
	UK_TEST_ASSERT(strstr(resp, " 200 ") != NULL);
	UK_TEST_ASSERT(strstr(resp, "lwip_xmit_total{proto=\"tcp\"}") !=
		       NULL);
	UK_TEST_ASSERT(strstr(resp, "lwip_pool_avail{pool=\"tcp_pcb\"} ") !=
		       NULL);
	UK_TEST_ASSERT(strstr(resp, "# TYPE lwip_recv_total counter") !=
		       NULL);
	n = scrape(9100, "/store/lwip/tcp/recv");
	UK_TEST_ASSERT(n > 0);
	UK_TEST_ASSERT(strstr(resp, " 200 ") != NULL);
	uk_prom_server_stop(s);
}
