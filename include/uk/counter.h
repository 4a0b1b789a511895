/*
 * Hot-path counters.  A counter with a single writer (one thread, or any
 * number of cooperative threads on one CPU as on kvm) is bumped with
 * uk_counter_add(): a plain load, add and store, with relaxed atomic
 * accesses only so that a concurrent reader (the exporter) sees a whole
 * value and sanitizers know the race is intended.  Counters written by
 * truly parallel threads use uk_counter_add_mt(), an atomic add.
 */
#ifndef UK_COUNTER_H
#define UK_COUNTER_H

#include <stdint.h>

static inline void uk_counter_add(uint64_t *c, uint64_t v)
{
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + v,
			 __ATOMIC_RELAXED);
}

static inline void uk_counter_add_mt(uint64_t *c, uint64_t v)
{
	__atomic_fetch_add(c, v, __ATOMIC_RELAXED);
}

static inline void uk_counter_set(uint64_t *c, uint64_t v)
{
	__atomic_store_n(c, v, __ATOMIC_RELAXED);
}

static inline uint64_t uk_counter_read(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

#endif
