/*
 * Address conversion for kernel code (kvm only): inet_pton(),
 * inet_ntop(), inet_addr(), inet_ntoa() from lwIP.
 */
#ifndef UK_POSIX_ARPA_INET_H
#define UK_POSIX_ARPA_INET_H

#include "lwip/inet.h"
#include "uk_sockets.h"

#endif
