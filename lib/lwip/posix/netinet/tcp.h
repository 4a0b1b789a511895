/*
 * TCP socket options (TCP_NODELAY, TCP_KEEPIDLE...) for kernel code (kvm
 * only), from lwIP.
 */
#ifndef UK_POSIX_NETINET_TCP_H
#define UK_POSIX_NETINET_TCP_H

#include "uk_sockets.h"

#endif
