/*
 * File control for kernel code (kvm only).  The only descriptors with
 * flags are lwIP's sockets: F_GETFL, F_SETFL and O_NONBLOCK come from
 * lwIP, and fcntl(fd, cmd, val) maps to lwip_fcntl() (always three
 * arguments).
 */
#ifndef UK_POSIX_FCNTL_H
#define UK_POSIX_FCNTL_H

#include "uk_sockets.h"

#endif
