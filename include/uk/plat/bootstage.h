/*
 * Platform contract: the boot timeline.  Any layer marks the moment a
 * stage of the boot is done (uk_plat_boot_stage("lwip_start")); the
 * platform stamps it with its cheapest clock (the TSC on kvm, readable
 * before the clock is calibrated, so even the first stages cost nothing)
 * and keeps it.  Time counts from the instance's start (PVH entry on
 * kvm, the first stage on linuxu), which is stage 0.  On kvm, the boot
 * option uk.boot_trace=1 prints each stage on the console as soon as the
 * clock rate is known ("boot: <name> <us> us (+<us> us)"); a listener
 * (ukmon, which publishes ukmon_boot_stage_seconds{stage}) is told of
 * every stage.
 *
 * Stages are recorded from thread or boot context, never from an
 * interrupt handler.  A name is recorded once (later calls with it are
 * ignored, so "the first X" needs no flag of the caller's); names longer
 * than UK_PLAT_BOOT_STAGE_NAME_MAX bytes are cut; stages past
 * UK_PLAT_BOOT_STAGES_MAX are dropped.
 */
#ifndef UK_PLAT_BOOTSTAGE_H
#define UK_PLAT_BOOTSTAGE_H

#include <stdint.h>

#define UK_PLAT_BOOT_STAGES_MAX 32
#define UK_PLAT_BOOT_STAGE_NAME_MAX 31

/* Records that the stage `name` is done, now. */
void uk_plat_boot_stage(const char *name);

/*
 * Stage i (0: the start), in the order recorded: its name and its time
 * in nanoseconds since the start (ns may be NULL: on kvm, converting
 * needs the TSC rate, which a first call measures).  Returns 0, or
 * -ENOENT past the last.
 */
int uk_plat_boot_stage_get(unsigned int i, const char **name,
			   uint64_t *ns);

typedef void (*uk_plat_boot_stage_fn)(unsigned int i, void *arg);

/*
 * Calls fn(i, arg) for every stage recorded so far, then for each new one
 * as it is recorded (in the recorder's context).  One listener; a second
 * call replaces it.
 */
void uk_plat_boot_stage_listen(uk_plat_boot_stage_fn fn, void *arg);

#endif
