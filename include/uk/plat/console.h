/*
 * Platform contract: the console.  plat/linuxu writes to stderr, plat/kvm
 * to COM1.  Everything a library prints goes through here (see
 * lib/ukdebug), so a library never needs to know where it runs.
 */
#ifndef UK_PLAT_CONSOLE_H
#define UK_PLAT_CONSOLE_H

#include <stddef.h>

/* Writes len bytes; returns the number written or a negative errno. */
int uk_plat_console_write(const char *buf, size_t len);
/* Reads up to len bytes without blocking; returns the count (0 if none). */
int uk_plat_console_read(char *buf, size_t len);

#endif
