/*
 * BSD sockets as descriptors of lib/vfs's table: socket() and accept()
 * wrap the lwIP socket they get in an open object whose ops call lwIP
 * (read, write, F_SETFL's O_NONBLOCK, poll, close), so read(), write(),
 * close(), fcntl() and poll() work on sockets and files alike; the
 * socket calls (bind, send, setsockopt...) find the lwIP socket behind
 * the descriptor (-ENOTSOCK for a file).  lwIP's numbers never leave
 * this file.  lwIP reports errors in errno, which the ops turn into
 * -errno for the VFS; the POSIX calls here leave lwIP's errno as it is.
 *
 * Each lwIP socket slot has its open object in a static array, indexed
 * by lwIP's socket number, so that accepting a connection takes nothing
 * from the heap: a server keeps answering (503, or its metrics) when
 * every allocation fails.  A slot is reused only after lwIP has handed
 * out its number again, which it does only once our close has run.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/vfs_file.h>

#include "lwip_impl.h"

struct sock {
	struct uk_vfs_file f;
	int s;   /* lwIP's socket */
};

static struct sock socks[MEMP_NUM_NETCONN];

static int sock_of(struct uk_vfs_file *f)
{
	return ((struct sock *)f)->s;
}

static int neg_errno(void)
{
	return errno ? -errno : -EIO;
}

static ssize_t so_read(struct uk_vfs_file *f, void *buf, size_t n)
{
	ssize_t r = lwip_read(sock_of(f), buf, n);

	return r < 0 ? neg_errno() : r;
}

static ssize_t so_write(struct uk_vfs_file *f, const void *buf, size_t n)
{
	ssize_t r = lwip_write(sock_of(f), buf, n);

	return r < 0 ? neg_errno() : r;
}

static int so_fstat(struct uk_vfs_file *f, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFSOCK | 0777;
	st->st_nlink = 1;
	return 0;
}

static int so_setfl(struct uk_vfs_file *f, int flags)
{
	return lwip_fcntl(sock_of(f), F_SETFL, flags & O_NONBLOCK) < 0 ?
	       neg_errno() : 0;
}

/* As lib/vfs: the pollfds of up to 48 sockets live on the stack. */
#define POLL_STACK 48

/* All the sockets of one poll() in one lwip_poll(). */
static int so_poll(struct uk_vfs_pollreq *reqs, unsigned int n, int timeout)
{
	struct pollfd stack[POLL_STACK], *p = stack;
	struct uk_alloc *a = uk_alloc_get_default();
	unsigned int i;
	int r;

	if (n > POLL_STACK) {
		p = uk_calloc(a, n, sizeof(*p));
		if (!p)
			return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		p[i].fd = sock_of(reqs[i].file);
		p[i].events = reqs[i].events;
		p[i].revents = 0;
	}
	r = lwip_poll(p, n, timeout);
	if (r < 0)
		r = neg_errno();
	else
		for (i = 0; i < n; i++)
			reqs[i].revents = p[i].revents;
	if (p != stack)
		uk_free(a, p);
	return r;
}

static void so_release(struct uk_vfs_file *f)
{
	_uk_lwip_sock_close(sock_of(f));
}

static const struct uk_vfs_file_ops sock_ops = {
	.read = so_read,
	.write = so_write,
	.fstat = so_fstat,
	.setfl = so_setfl,
	.poll = so_poll,
	.release = so_release,
};

/*
 * A descriptor for lwIP socket s (closed if none can be had).  Returns
 * it, or -1 with errno EMFILE.
 */
static int wrap(int s)
{
	struct sock *so;
	int fd;

	UK_ASSERT(s >= LWIP_SOCKET_OFFSET &&
		  s < LWIP_SOCKET_OFFSET + MEMP_NUM_NETCONN);
	so = &socks[s - LWIP_SOCKET_OFFSET];
	memset(so, 0, sizeof(*so));
	uk_vfs_file_init(&so->f, &sock_ops, O_RDWR);
	so->s = s;
	fd = uk_vfs_fd_alloc(&so->f);
	uk_vfs_file_put(&so->f);  /* the table's reference remains, if any */
	if (fd < 0) {
		errno = -fd;
		return -1;
	}
	return fd;
}

/*
 * The socket open as fd, with a reference (put with uk_vfs_file_put),
 * or NULL with errno EBADF or ENOTSOCK.
 */
static struct uk_vfs_file *get(int fd)
{
	struct uk_vfs_file *f = uk_vfs_fd_get(fd);

	if (!f) {
		errno = EBADF;
		return NULL;
	}
	if (f->ops != &sock_ops) {
		uk_vfs_file_put(f);
		errno = ENOTSOCK;
		return NULL;
	}
	return f;
}

/*
 * Returns call's result (of type T), made with s bound to fd's lwIP
 * socket, or -1 and errno if fd is none.  The reference held meanwhile
 * keeps the socket open should another thread close fd; lwIP's errno
 * survives the release.
 */
#define ON_SOCKET(fd, T, call) do { \
	struct uk_vfs_file *_f = get(fd); \
	T _r; \
	int _e; \
	if (!_f) \
		return -1; \
	{ \
		int s = sock_of(_f); \
		_r = (call); \
	} \
	_e = errno; \
	uk_vfs_file_put(_f); \
	errno = _e; \
	return _r; \
} while (0)

/*
 * The POSIX socket calls.  Each returns what its lwIP call returns (-1
 * with lwIP's errno on failure), or -1 with errno EBADF (fd not open) or
 * ENOTSOCK (fd not a socket); socket() and accept() return a descriptor,
 * or -1 with EMFILE when the table is full.
 */
int socket(int domain, int type, int protocol)
{
	int s = lwip_socket(domain, type, protocol);

	return s < 0 ? -1 : wrap(s);
}

static int accept_lwip(int fd, struct sockaddr *addr, socklen_t *len)
{
	ON_SOCKET(fd, int, lwip_accept(s, addr, len));
}

int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	int s = accept_lwip(fd, addr, len);

	return s < 0 ? -1 : wrap(s);
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	ON_SOCKET(fd, int, lwip_bind(s, addr, len));
}

int listen(int fd, int backlog)
{
	ON_SOCKET(fd, int, lwip_listen(s, backlog));
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	ON_SOCKET(fd, int, lwip_connect(s, addr, len));
}

ssize_t recv(int fd, void *buf, size_t n, int flags)
{
	ON_SOCKET(fd, ssize_t, lwip_recv(s, buf, n, flags));
}

ssize_t recvfrom(int fd, void *buf, size_t n, int flags,
		 struct sockaddr *from, socklen_t *fromlen)
{
	ON_SOCKET(fd, ssize_t, lwip_recvfrom(s, buf, n, flags, from, fromlen));
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	ON_SOCKET(fd, ssize_t, lwip_recvmsg(s, msg, flags));
}

ssize_t send(int fd, const void *buf, size_t n, int flags)
{
	ON_SOCKET(fd, ssize_t, lwip_send(s, buf, n, flags));
}

ssize_t sendto(int fd, const void *buf, size_t n, int flags,
	       const struct sockaddr *to, socklen_t tolen)
{
	ON_SOCKET(fd, ssize_t, lwip_sendto(s, buf, n, flags, to, tolen));
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	ON_SOCKET(fd, ssize_t, lwip_sendmsg(s, msg, flags));
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	ON_SOCKET(fd, int, lwip_setsockopt(s, level, name, val, len));
}

int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	ON_SOCKET(fd, int, lwip_getsockopt(s, level, name, val, len));
}

int shutdown(int fd, int how)
{
	ON_SOCKET(fd, int, lwip_shutdown(s, how));
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	ON_SOCKET(fd, int, lwip_getsockname(s, addr, len));
}

int getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
	ON_SOCKET(fd, int, lwip_getpeername(s, addr, len));
}
