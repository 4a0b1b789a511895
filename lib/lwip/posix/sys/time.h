/*
 * struct timeval for kernel code (kvm only).  nolibc defines it in
 * <time.h>; this header exists because socket code (SO_RCVTIMEO,
 * select()) conventionally includes <sys/time.h>.
 */
#ifndef UK_POSIX_SYS_TIME_H
#define UK_POSIX_SYS_TIME_H

#include <time.h>

#endif
