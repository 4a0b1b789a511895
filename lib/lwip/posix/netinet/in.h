/*
 * Internet addresses for kernel code (kvm only): struct sockaddr_in,
 * in_addr, INADDR_*, IPPROTO_* and htons()/ntohl() from lwIP.
 */
#ifndef UK_POSIX_NETINET_IN_H
#define UK_POSIX_NETINET_IN_H

#include "lwip/inet.h"
#include "uk_sockets.h"

#endif
