/*
 * A compile-time check of the POSIX socket headers for kvm: code written
 * for BSD sockets and poll() (as ukprom's server is) must compile
 * unchanged against lib/lwip/posix.  Built by "make lwip-kvm-check",
 * never linked.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

int uk_lwip_posix_check(void);

/* Opens a non-blocking listener on 127.0.0.1:port and polls it once.
 * Returns the socket, or -errno. */
int uk_lwip_posix_check(void)
{
	struct sockaddr_in sa;
	struct pollfd pfd;
	struct timeval tv = { 1, 0 };
	struct addrinfo hints, *res = NULL;
	int one = 1, fd, fl;
	char buf[INET_ADDRSTRLEN];

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(9100);
	if (inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr) != 1 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 16)) {
		close(fd);
		return -errno;
	}
	fl = fcntl(fd, F_GETFL, 0);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	inet_ntop(AF_INET, &sa.sin_addr, buf, sizeof(buf));
	pfd.fd = fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLIN)) {
		int c = accept(fd, NULL, NULL);

		if (c >= 0) {
			send(c, "x", 1, MSG_DONTWAIT);
			recv(c, buf, sizeof(buf), 0);
			shutdown(c, SHUT_RDWR);
			close(c);
		}
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	if (getaddrinfo("localhost", "9100", &hints, &res) == 0)
		freeaddrinfo(res);
	return fd;
}
