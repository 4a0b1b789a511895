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
/*
 * The monotonic time at which the instance started: 0 on kvm (PVH
 * entry); on linuxu, which has no boot, the time of the first call.  The
 * scheduler counts the time from there to its own start as system.
 */
uint64_t uk_plat_time_start_ns(void);

#endif
