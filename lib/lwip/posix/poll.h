/*
 * poll() over lwIP sockets for kernel code (kvm only): struct pollfd,
 * POLLIN/POLLOUT/POLLERR/POLLHUP/POLLNVAL, and poll() mapped to
 * lwip_poll() (LWIP_SOCKET_POLL).
 */
#ifndef UK_POSIX_POLL_H
#define UK_POSIX_POLL_H

#include "uk_sockets.h"

#endif
