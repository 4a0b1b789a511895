/*
 * Platform contract: the boot module.  On kvm, QEMU's -initrd file is
 * handed to the kernel as a PVH module; it stays where it was loaded (the
 * heap is placed around it) and reads as one block of bytes.  linuxu has
 * none.
 */
#ifndef UK_PLAT_INITRD_H
#define UK_PLAT_INITRD_H

#include <stddef.h>

/* Sets *data and *len to the boot module; returns 0, or -ENOENT. */
int uk_plat_initrd(const void **data, size_t *len);

#endif
