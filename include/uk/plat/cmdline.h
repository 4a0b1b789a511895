/*
 * Platform contract: boot options.  On kvm, QEMU's -append line is split
 * into argv for main() and its key=value words are also readable here
 * (ukprom.port=9200, net.ip=10.0.2.15/24, ...).  linuxu has none.
 */
#ifndef UK_PLAT_CMDLINE_H
#define UK_PLAT_CMDLINE_H

/* The value of key=value on the command line (the last, if key repeats),
 * or NULL. */
const char *uk_plat_option(const char *key);

/*
 * The n-th value (from 0, in command-line order) of a key that may repeat
 * (QEMU's microvm gives one virtio_mmio.device=... per device), or NULL
 * past the last one.
 */
const char *uk_plat_option_nth(const char *key, unsigned int n);

#endif
