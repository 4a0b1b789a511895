/*
 * Between uklock's core (lock.c) and its statistics library uklock_stats
 * (stats.c), and nobody else: the totals the core counts and the hooks
 * through which it tells the statistics library about named locks.
 *
 * The hooks are weak references in the core: when uklock_stats is not
 * linked they are NULL, the core skips them, and a name costs nothing.
 * Both run in the thread that initialises or finishes the lock, never on
 * a lock or unlock path.
 */
#ifndef UKLOCK_IMPL_H
#define UKLOCK_IMPL_H

#include <stdint.h>

#include <uk/lock.h>

/*
 * Acquisitions of every lock, and those that waited (the core's, read by
 * uklock_stats).  Plain adds: exact on kvm's one CPU; on linuxu, threads
 * holding different locks may lose an update (relaxed, never torn).
 */
extern uint64_t _uklock_all_acquisitions;
extern uint64_t _uklock_all_contended;

/*
 * Hook: a lock is being named.  Allocates its statistics (histogram
 * bounds set), publishes them as uklock/<name> and sets *out.  Returns 0,
 * or the store's error (-EEXIST, -EINVAL, -ENOMEM) with *out left NULL.
 */
int _uklock_stats_attach(const char *name, struct uk_lock_stats **out);

/*
 * Hook: the named lock owning st is finished.  Unpublishes it; st is
 * freed once the last scrape holding its folder lets go, so the core
 * must not touch st again.
 */
void _uklock_stats_detach(struct uk_lock_stats *st);

#endif
