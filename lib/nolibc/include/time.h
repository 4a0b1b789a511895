/*
 * Time types.  The kernel reads clocks through uk/plat/time.h; this header
 * only gives code the standard structures to carry times in.
 */
#ifndef _NOLIBC_TIME_H
#define _NOLIBC_TIME_H

#include <sys/types.h>

struct timespec {
	time_t tv_sec;
	long tv_nsec;
};

struct timeval {
	time_t tv_sec;
	suseconds_t tv_usec;
};

#define CLOCK_REALTIME  0
#define CLOCK_MONOTONIC 1

#endif
