/*
 * The exporter's only contact with the network stack: every BSD socket
 * and poll() call of the server lives in this file, limited to what
 * lwIP 2.1's socket API also offers (socket, setsockopt, getsockopt,
 * bind, listen, accept, connect, fcntl O_NONBLOCK, recv, send, shutdown,
 * poll, close, inet_pton, htons), so that porting the exporter to the
 * kernel means
 * compiling this file against lwIP's POSIX headers.  Errors come back as
 * negative errno values; poll sets are opaque to the rest of the server.
 * A reset is the BSD one, SO_LINGER {1, 0} then close: the connection is
 * dropped with a RST and its state freed at once (on kvm the socket
 * headers make lwIP do the same, see lib/lwip/README.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <uk/alloc.h>

#include "server_impl.h"

/*
 * A peer that vanishes must not kill the instance with SIGPIPE.  Where
 * send() knows MSG_NOSIGNAL (a feature test, not a platform test) it is
 * used; stacks without signals (lwIP) need nothing.
 */
#ifdef MSG_NOSIGNAL
#define SEND_FLAGS MSG_NOSIGNAL
#else
#define SEND_FLAGS 0
#endif

struct _uk_prom_pollset {
	unsigned int n;
	struct pollfd pfd[];
};

static int neg_errno(void)
{
	return errno ? -errno : -EIO;
}

static int would_block(void)
{
	return errno == EAGAIN || errno == EWOULDBLOCK;
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL, 0);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return neg_errno();
	return 0;
}

static int make_addr(const char *addr, uint16_t port, struct sockaddr_in *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(port);
	if (inet_pton(AF_INET, addr ? addr : "0.0.0.0", &sa->sin_addr) != 1)
		return -EINVAL;
	return 0;
}

/*
 * Opens a non-blocking listening TCP socket on addr:port (port 0 picks an
 * ephemeral one).  Returns 0 and sets *fd and *bound, or -EINVAL for a
 * bad address, -EADDRINUSE, or another negative errno.
 */
int _uk_prom_sock_listen(const char *addr, uint16_t port, int backlog,
			 int *fd, uint16_t *bound)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int s, one = 1, rc;

	rc = make_addr(addr, port, &sa);
	if (rc)
		return rc;
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0)
		return neg_errno();
	if (setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(s, backlog) < 0 ||
	    getsockname(s, (struct sockaddr *)&sa, &sl) < 0) {
		rc = neg_errno();
		close(s);
		return rc;
	}
	rc = set_nonblock(s);
	if (rc) {
		close(s);
		return rc;
	}
	*fd = s;
	*bound = ntohs(sa.sin_port);
	return 0;
}

/*
 * Accepts one pending connection, made non-blocking and without Nagle
 * delays (a response's last small chunk must not wait for an ACK), and
 * sets *peer to its IPv4 source address (host byte order).  Returns the
 * descriptor, -EAGAIN when none is pending, or another negative errno.
 */
int _uk_prom_sock_accept(int lfd, uint32_t *peer)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int fd, one = 1, rc;

	memset(&sa, 0, sizeof(sa));
	fd = accept(lfd, (struct sockaddr *)&sa, &sl);
	if (fd < 0)
		return would_block() ? -EAGAIN : neg_errno();
	*peer = sa.sin_family == AF_INET ? ntohl(sa.sin_addr.s_addr) : 0;
	rc = set_nonblock(fd);
	if (rc) {
		close(fd);
		return rc;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/*
 * Reads what is available.  Returns the byte count (> 0), 0 at the
 * peer's end of stream, -EAGAIN when nothing is pending, or a negative
 * errno.
 */
long _uk_prom_sock_recv(int fd, void *buf, size_t n)
{
	long r;

	do
		r = recv(fd, buf, n, 0);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return would_block() ? -EAGAIN : neg_errno();
	return r;
}

/*
 * Writes what the socket takes.  Returns the byte count (>= 0), -EAGAIN
 * when the send buffer is full, or a negative errno (-EPIPE, -ECONNRESET
 * when the peer is gone).
 */
long _uk_prom_sock_send(int fd, const void *buf, size_t n)
{
	long r;

	do
		r = send(fd, buf, n, SEND_FLAGS);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return would_block() ? -EAGAIN : neg_errno();
	return r;
}

/* Ends our direction of the stream; reading stays possible. */
void _uk_prom_sock_shutdown_wr(int fd)
{
	shutdown(fd, SHUT_WR);
}

/* Closes fd gracefully (a FIN after what is still queued). */
void _uk_prom_sock_close(int fd)
{
	close(fd);
}

/* Drops fd's connection with a reset, whatever is still queued. */
void _uk_prom_sock_reset(int fd)
{
	struct linger lg = { 1, 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

/*
 * Starts a connection to addr:port and drops it at once, so that a
 * poll() on that listening socket returns.  Never blocks; best effort.
 */
void _uk_prom_sock_poke(const char *addr, uint16_t port)
{
	struct sockaddr_in sa;
	int s;

	if (!addr || !strcmp(addr, "0.0.0.0"))
		addr = "127.0.0.1";
	if (make_addr(addr, port, &sa))
		return;
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0)
		return;
	if (!set_nonblock(s))
		connect(s, (struct sockaddr *)&sa, sizeof(sa));
	close(s);
}

/*
 * Starts a non-blocking TCP connection to addr:port (IPv4 text) for the
 * push client, without Nagle delays.  Returns 0 and sets *fd when the
 * connection is already made, -EINPROGRESS with *fd set while it is
 * being made (wait for _UKP_EV_OUT, then _uk_prom_sock_connect_result),
 * -EINVAL for a bad address, or another negative errno (no descriptor is
 * left open then).
 */
int _uk_prom_sock_connect(const char *addr, uint16_t port, int *fd)
{
	struct sockaddr_in sa;
	int s, one = 1, rc;

	rc = make_addr(addr, port, &sa);
	if (rc)
		return rc;
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0)
		return neg_errno();
	rc = set_nonblock(s);
	if (rc) {
		close(s);
		return rc;
	}
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (errno != EINPROGRESS && errno != EINTR) {
			rc = neg_errno();
			close(s);
			return rc;
		}
		*fd = s;
		return -EINPROGRESS;
	}
	*fd = s;
	return 0;
}

/*
 * How a connection started by _uk_prom_sock_connect() went, once fd is
 * writable (or reported an error).  Returns 0 when it is made, or the
 * negative errno it failed with (-ECONNREFUSED, -ETIMEDOUT...).
 */
int _uk_prom_sock_connect_result(int fd)
{
	socklen_t sl;
	int err = 0;

	sl = sizeof(err);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &sl) < 0)
		return neg_errno();
	return err ? -err : 0;
}

/*
 * Waits up to timeout_ms for events (_UKP_EV_IN / _UKP_EV_OUT) on one
 * descriptor, with a poll set on the stack (nothing is allocated).
 * Returns the _UKP_EV_* bits that happened (0 on timeout or
 * interruption), or a negative errno.
 */
int _uk_prom_sock_wait(int fd, unsigned int events, int timeout_ms)
{
	struct pollfd p;
	int r;

	p.fd = fd;
	p.events = (short)(((events & _UKP_EV_IN) ? POLLIN : 0) |
			   ((events & _UKP_EV_OUT) ? POLLOUT : 0));
	p.revents = 0;
	r = poll(&p, 1, timeout_ms);
	if (r < 0)
		return errno == EINTR ? 0 : neg_errno();
	if (!r)
		return 0;
	return ((p.revents & POLLIN) ? _UKP_EV_IN : 0) |
	       ((p.revents & POLLOUT) ? _UKP_EV_OUT : 0) |
	       ((p.revents & (POLLERR | POLLNVAL)) ? _UKP_EV_ERR : 0) |
	       ((p.revents & POLLHUP) ? _UKP_EV_HUP : 0);
}

/* A poll set of n slots from a, all unused.  Returns it or NULL. */
struct _uk_prom_pollset *_uk_prom_pollset_create(struct uk_alloc *a,
						 unsigned int n)
{
	struct _uk_prom_pollset *ps;
	unsigned int i;

	ps = uk_malloc(a, sizeof(*ps) + n * sizeof(struct pollfd));
	if (!ps)
		return NULL;
	ps->n = n;
	for (i = 0; i < n; i++)
		ps->pfd[i].fd = -1;
	return ps;
}

void _uk_prom_pollset_destroy(struct uk_alloc *a, struct _uk_prom_pollset *ps)
{
	uk_free(a, ps);
}

/* Slot i watches fd for events (_UKP_EV_IN / _UKP_EV_OUT). */
void _uk_prom_pollset_set(struct _uk_prom_pollset *ps, unsigned int i,
			  int fd, unsigned int events)
{
	ps->pfd[i].fd = fd;
	ps->pfd[i].events = (short)(((events & _UKP_EV_IN) ? POLLIN : 0) |
				    ((events & _UKP_EV_OUT) ? POLLOUT : 0));
	ps->pfd[i].revents = 0;
}

/*
 * Waits up to timeout_ms for events on the first n slots.  Returns the
 * number of ready slots (0 on timeout or interruption) or a negative
 * errno.
 */
int _uk_prom_pollset_wait(struct _uk_prom_pollset *ps, unsigned int n,
			  int timeout_ms)
{
	int r = poll(ps->pfd, n, timeout_ms);

	if (r < 0)
		return errno == EINTR ? 0 : neg_errno();
	return r;
}

/* What happened on slot i after a wait, as _UKP_EV_* bits. */
unsigned int _uk_prom_pollset_revents(const struct _uk_prom_pollset *ps,
				      unsigned int i)
{
	short r = ps->pfd[i].revents;

	return ((r & POLLIN) ? _UKP_EV_IN : 0) |
	       ((r & POLLOUT) ? _UKP_EV_OUT : 0) |
	       ((r & (POLLERR | POLLNVAL)) ? _UKP_EV_ERR : 0) |
	       ((r & POLLHUP) ? _UKP_EV_HUP : 0);
}
