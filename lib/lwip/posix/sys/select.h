/*
 * select() over lwIP sockets for kernel code (kvm only): fd_set,
 * FD_SET()... and select() mapped to lwip_select().
 */
#ifndef UK_POSIX_SYS_SELECT_H
#define UK_POSIX_SYS_SELECT_H

#include <time.h>

#include "uk_sockets.h"

#endif
