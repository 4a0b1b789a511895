/*
 * select() over the descriptor table, implemented by lib/vfs on top of
 * poll().  fd_set holds FD_SETSIZE descriptors, as on Linux.
 */
#ifndef _NOLIBC_SYS_SELECT_H
#define _NOLIBC_SYS_SELECT_H

#include <time.h>

#define FD_SETSIZE 1024
#define _NOLIBC_NFDBITS (8 * (int)sizeof(unsigned long))

typedef struct {
	unsigned long fds_bits[FD_SETSIZE / (8 * sizeof(unsigned long))];
} fd_set;

#define FD_ZERO(s) __builtin_memset((s), 0, sizeof(fd_set))
#define FD_SET(d, s) ((s)->fds_bits[(d) / _NOLIBC_NFDBITS] |= \
	(1UL << ((d) % _NOLIBC_NFDBITS)))
#define FD_CLR(d, s) ((s)->fds_bits[(d) / _NOLIBC_NFDBITS] &= \
	~(1UL << ((d) % _NOLIBC_NFDBITS)))
#define FD_ISSET(d, s) (((s)->fds_bits[(d) / _NOLIBC_NFDBITS] >> \
	((d) % _NOLIBC_NFDBITS)) & 1)

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Waits until a descriptor below n in rd is readable, in wr writable, or
 * in ex has an error, or timeout passes (NULL: forever).  The sets are
 * rewritten to those ready; returns their number, or -1 and errno.
 */
int select(int n, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *timeout);

#ifdef __cplusplus
}
#endif

#endif
