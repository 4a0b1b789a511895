/*
 * lwIP's socket API as the socket headers of posix/ give it to kernel
 * code (every one of them includes this file rather than lwip/sockets.h).
 * The one difference: close() is uk_lwip_sock_close(), which gives
 * SO_LINGER {1, 0} its BSD meaning (an abortive close: a RST, and the
 * connection's state freed at once).  lwIP 2.1.3's own lwip_close()
 * aborts only while sent data is unacknowledged; otherwise it closes
 * gracefully, and a PCB whose peer holds its end open then stays in
 * FIN-WAIT-2 for 20 s (TCP_FIN_WAIT_TIMEOUT), which a client opening
 * connections faster than that can turn into an exhausted PCB pool.
 */
#ifndef UK_POSIX_UK_SOCKETS_H
#define UK_POSIX_UK_SOCKETS_H

#include "lwip/sockets.h"

/*
 * Closes socket s like lwip_close(); a TCP socket whose SO_LINGER is
 * {1, 0} is first reset (tcp_abort).  Returns 0, or -1 with errno set.
 */
int uk_lwip_sock_close(int s);

#undef close
#define close(s) uk_lwip_sock_close(s)

#endif
