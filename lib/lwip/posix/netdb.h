/*
 * Name resolution for kernel code (kvm only): getaddrinfo(),
 * freeaddrinfo(), gethostbyname() and struct addrinfo from lwIP's DNS
 * client.
 */
#ifndef UK_POSIX_NETDB_H
#define UK_POSIX_NETDB_H

#include "lwip/netdb.h"

static inline struct hostent *gethostbyname(const char *name)
{
	return lwip_gethostbyname(name);
}

static inline int gethostbyname_r(const char *name, struct hostent *ret,
				  char *buf, size_t buflen,
				  struct hostent **result, int *h_errnop)
{
	return lwip_gethostbyname_r(name, ret, buf, buflen, result, h_errnop);
}

static inline int getaddrinfo(const char *node, const char *service,
			      const struct addrinfo *hints,
			      struct addrinfo **res)
{
	return lwip_getaddrinfo(node, service, hints, res);
}

static inline void freeaddrinfo(struct addrinfo *ai)
{
	lwip_freeaddrinfo(ai);
}

#endif
