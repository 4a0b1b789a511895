/*
 * lwIP's BSD socket API as the POSIX headers of lib/lwip/posix give it
 * to kernel code (kvm only): lwip/sockets.h, with one correction.
 * lwIP 2.1.3 resets a TCP connection closed with SO_LINGER {1, 0} only
 * while data is unsent or unacknowledged, and otherwise closes it
 * gracefully, so the peer can keep the PCB for as long as it holds its
 * end.  Here close() (and closesocket()) is uk_lwip_sock_close(), which
 * resets such a connection in every case, as POSIX specifies; other
 * closes are lwIP's.
 */
#ifndef UK_LWIP_SOCKETS_H
#define UK_LWIP_SOCKETS_H

#include "lwip/sockets.h"

/**
 * Closes socket s as lwip_close() does, after resetting its TCP
 * connection if SO_LINGER is on with a zero timeout.  Returns 0, or -1
 * with errno set (EBADF).
 */
int uk_lwip_sock_close(int s);

#undef close
#define close(s) uk_lwip_sock_close(s)
#undef closesocket
#define closesocket(s) uk_lwip_sock_close(s)

#endif
