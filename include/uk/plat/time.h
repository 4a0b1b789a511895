/*
 * Platform contract: clocks.  Monotonic time counts from an arbitrary
 * origin (boot on kvm) and never goes backwards; wall time is nanoseconds
 * since the Unix epoch.
 */
#ifndef UK_PLAT_TIME_H
#define UK_PLAT_TIME_H

#include <stdint.h>

#define UK_NSEC_PER_SEC 1000000000ULL
#define UK_NSEC_PER_MSEC 1000000ULL
#define UK_NSEC_PER_USEC 1000ULL

uint64_t uk_plat_time_mono_ns(void);
uint64_t uk_plat_time_wall_ns(void);

#endif
