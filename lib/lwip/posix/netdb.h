/*
 * Name resolution for kernel code (kvm only): getaddrinfo(),
 * freeaddrinfo(), gethostbyname() and struct addrinfo from lwIP's DNS
 * client.
 */
#ifndef UK_POSIX_NETDB_H
#define UK_POSIX_NETDB_H

#include "lwip/netdb.h"

#endif
