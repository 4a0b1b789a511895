/*
 * Platform contract: boot options.  On kvm, QEMU's -append line is split
 * into argv for main() and its key=value words are also readable here
 * (ukprom.port=9200, net.ip=10.0.2.15/24, ...).  linuxu has none.
 */
#ifndef UK_PLAT_CMDLINE_H
#define UK_PLAT_CMDLINE_H

/* The value of key=value on the command line, or NULL (the last one
 * when the key is given several times). */
const char *uk_plat_option(const char *key);
/* The n-th value (0: the first) of a key given several times, in the
 * order of the command line (vfs.mount=... vfs.mount=...), or NULL past
 * the last. */
const char *uk_plat_option_nth(const char *key, unsigned int n);

#endif
