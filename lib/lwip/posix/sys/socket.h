/*
 * BSD sockets for kernel code (kvm only).  Sockets are descriptors of
 * lib/vfs's table (lib/lwip/socket.c), so read(), write(), close(),
 * fcntl(), poll() and select() (nolibc's unistd.h, fcntl.h, poll.h,
 * sys/select.h) act on them as on files, and the calls below take those
 * descriptors.  Types and constants (struct sockaddr, AF_INET,
 * SOL_SOCKET, MSG_DONTWAIT...) are lwIP's; errors are -1 and errno.
 */
#ifndef UK_POSIX_SYS_SOCKET_H
#define UK_POSIX_SYS_SOCKET_H

#include <sys/types.h>
#include <time.h>

#include "lwip/sockets.h"

#ifdef __cplusplus
extern "C" {
#endif

int socket(int domain, int type, int protocol);
int bind(int fd, const struct sockaddr *addr, socklen_t len);
int listen(int fd, int backlog);
int accept(int fd, struct sockaddr *addr, socklen_t *len);
int connect(int fd, const struct sockaddr *addr, socklen_t len);
ssize_t recv(int fd, void *buf, size_t n, int flags);
ssize_t recvfrom(int fd, void *buf, size_t n, int flags,
		 struct sockaddr *from, socklen_t *fromlen);
ssize_t recvmsg(int fd, struct msghdr *msg, int flags);
ssize_t send(int fd, const void *buf, size_t n, int flags);
ssize_t sendto(int fd, const void *buf, size_t n, int flags,
	       const struct sockaddr *to, socklen_t tolen);
ssize_t sendmsg(int fd, const struct msghdr *msg, int flags);
int setsockopt(int fd, int level, int name, const void *val, socklen_t len);
int getsockopt(int fd, int level, int name, void *val, socklen_t *len);
int shutdown(int fd, int how);
int getsockname(int fd, struct sockaddr *addr, socklen_t *len);
int getpeername(int fd, struct sockaddr *addr, socklen_t *len);

#ifdef __cplusplus
}
#endif

#endif
