/*
 * Platform contract: idling.  The scheduler's idle thread calls
 * uk_plat_idle_until() when nothing is runnable: the CPU halts (HLT on
 * kvm, with the timer armed for the deadline) until the deadline passes or
 * any interrupt arrives.  Idle is tickless: no periodic timer runs.
 */
#ifndef UK_PLAT_IDLE_H
#define UK_PLAT_IDLE_H

#include <stdint.h>

/* Halts until the monotonic deadline (ns; 0: none) or an interrupt. */
void uk_plat_idle_until(uint64_t deadline_ns);

#endif
