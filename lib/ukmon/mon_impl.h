/*
 * Private to ukmon and its tests: the host name's choice as a pure
 * function of the boot option's value, so that linuxu (which has no boot
 * options) can test the rules.
 */
#ifndef UK_MON_IMPL_H
#define UK_MON_IMPL_H

#include <stdint.h>

/* The host name for uk.hostname's value opt (NULL: absent). */
const char *_uk_mon_hostname_from(const char *opt);

#endif /* UK_MON_IMPL_H */
