/*
 * ukmon: an image's own health, in the store.  An image declares its
 * components (its network, its exporter, its workload...) early at boot,
 * while memory is plentiful, then reports how each one's start went.  A
 * failure is printed on the console and shows in the metrics, so a VM
 * that runs on without part of its job says so instead of looking
 * healthy:
 *
 *   ukmon_component_up{component="fileserver"} 0    1 up, 0 not (yet) up
 *   ukmon_components 3                              declared
 *   ukmon_components_failed 1                       reported failed
 *
 * The two totals are static entries, so they stay readable even when a
 * component's folder could not be published for lack of memory.
 *
 * Errors are 0 or a negative errno.
 */
#ifndef UK_MON_H
#define UK_MON_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Components an image can declare. */
#define UK_MON_COMPONENTS_MAX 16
/** Longest component name, in bytes. */
#define UK_MON_NAME_MAX 31

struct uk_mon_component;

/**
 * Declares component name (1..UK_MON_NAME_MAX bytes, no '/'), not up
 * until reported.  Returns 0 and sets *out; -EINVAL for a bad name or a
 * name already declared, -ENOSPC when UK_MON_COMPONENTS_MAX are
 * declared; or the store's error (-ENOMEM...) for its gauge, printed on
 * the console, in which case *out is set too: the component is tracked
 * and counted, only its own gauge is missing.
 */
int uk_mon_component_add(const char *name, struct uk_mon_component **out);

/**
 * Reports the result of c's start: rc 0 marks it up; a negative errno
 * marks it failed and prints "ukmon: <name> failed to start (rc)" on the
 * console.  Returns rc, so that a start can be written
 * rc = uk_mon_component_started(c, start()).
 */
int uk_mon_component_started(struct uk_mon_component *c, int rc);

/**
 * Marks c up (1) or failed (0) later on, e.g. a component that stops;
 * a change to failed is printed on the console.
 */
void uk_mon_component_set_up(struct uk_mon_component *c, int up);

/** Whether c is up now. */
int uk_mon_component_is_up(const struct uk_mon_component *c);

/** Longest host name, in bytes. */
#define UK_MON_HOSTNAME_MAX 63
/** The host name of an instance that was given none. */
#define UK_MON_HOSTNAME_DEFAULT "ukmon"

/**
 * The instance's host name: the boot option uk.hostname= when it is
 * 1..UK_MON_HOSTNAME_MAX letters, digits, '-', '.' or '_' (a bad value
 * is warned about once and ignored), else the name the network offered
 * (uk_mon_hostname_offer(): DHCP's host name option), else
 * UK_MON_HOSTNAME_DEFAULT.  Names the instance wherever one is needed
 * (node_uname_info's nodename, the push's instance label).  The string
 * stays valid as long as the instance lives, but a DHCP offer arriving
 * later may change what the next call returns.
 */
const char *uk_mon_hostname(void);

/**
 * A host name offered by the network (the DHCP server's option 12), len
 * bytes, not NUL-terminated.  Kept if valid (the rules above) and used
 * when the boot line gives no uk.hostname=; a later offer replaces it.
 * Returns 0, or -EINVAL (empty, too long or a bad character: ignored).
 */
int uk_mon_hostname_offer(const char *name, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* UK_MON_H */
