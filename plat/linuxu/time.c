/* linuxu clocks: CLOCK_MONOTONIC and CLOCK_REALTIME in nanoseconds. */
#include <time.h>

#include <uk/plat/time.h>

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * UK_NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

uint64_t uk_plat_time_mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

uint64_t uk_plat_time_wall_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

/* A process has no boot: it starts at the first call. */
uint64_t uk_plat_time_start_ns(void)
{
	static uint64_t start;
	uint64_t zero = 0, now;

	if (__atomic_load_n(&start, __ATOMIC_ACQUIRE))
		return start;
	now = clock_ns(CLOCK_MONOTONIC);
	__atomic_compare_exchange_n(&start, &zero, now, 0, __ATOMIC_ACQ_REL,
				    __ATOMIC_ACQUIRE);
	return __atomic_load_n(&start, __ATOMIC_ACQUIRE);
}
