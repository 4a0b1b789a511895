/*
 * Address conversion for kernel code (kvm only): inet_pton(),
 * inet_ntop(), inet_addr(), inet_aton(), inet_ntoa() from lwIP.
 */
#ifndef UK_POSIX_ARPA_INET_H
#define UK_POSIX_ARPA_INET_H

#include "lwip/inet.h"
#include "lwip/sockets.h"

static inline int inet_pton(int af, const char *src, void *dst)
{
	return lwip_inet_pton(af, src, dst);
}

static inline const char *inet_ntop(int af, const void *src, char *dst,
				    socklen_t size)
{
	return lwip_inet_ntop(af, src, dst, size);
}

#endif
