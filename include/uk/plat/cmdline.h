/*
 * Platform contract: boot options.  On kvm, QEMU's -append line is split
 * into argv for main() and its key=value words are also readable here
 * (ukprom.port=9200, net.ip=10.0.2.15/24, ...).  linuxu has none.
 */
#ifndef UK_PLAT_CMDLINE_H
#define UK_PLAT_CMDLINE_H

/* The value of key=value on the command line, or NULL. */
const char *uk_plat_option(const char *key);

#endif
