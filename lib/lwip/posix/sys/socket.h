/*
 * BSD sockets for kernel code (kvm only): lwIP's socket API, where
 * socket(), bind(), accept(), recv(), send(), close(), fcntl() ... are
 * macros for lwip_socket() and friends (LWIP_COMPAT_SOCKETS,
 * LWIP_POSIX_SOCKETS_IO_NAMES). Socket descriptors start at 3 so they
 * never alias the console's 0..2; in a file that includes this header,
 * read(), write() and close() act on sockets only. fcntl() takes exactly
 * three arguments (F_GETFL needs a dummy 0) and supports F_GETFL/F_SETFL
 * with O_NONBLOCK.  close() honours SO_LINGER {1, 0} with a reset, as BSD
 * does (see uk_sockets.h).
 */
#ifndef UK_POSIX_SYS_SOCKET_H
#define UK_POSIX_SYS_SOCKET_H

#include <sys/types.h>
#include <time.h>

#include "uk_sockets.h"

#endif
