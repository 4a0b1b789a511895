/*
 * poll() over the descriptor table (lib/vfs): files are always ready,
 * sockets report their own state.  Event bits have Linux's values.
 */
#ifndef _NOLIBC_POLL_H
#define _NOLIBC_POLL_H

#define POLLIN     0x001
#define POLLPRI    0x002
#define POLLOUT    0x004
#define POLLERR    0x008
#define POLLHUP    0x010
#define POLLNVAL   0x020
#define POLLRDNORM 0x040
#define POLLRDBAND 0x080
#define POLLWRNORM 0x100
#define POLLWRBAND 0x200

typedef unsigned long nfds_t;

struct pollfd {
	int fd;
	short events;
	short revents;
};

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Waits up to timeout ms (-1: forever, 0: not at all) for an event on
 * any of the n descriptors; returns how many have revents set, or -1 and
 * errno.
 */
int poll(struct pollfd *fds, nfds_t n, int timeout);

#ifdef __cplusplus
}
#endif

#endif
