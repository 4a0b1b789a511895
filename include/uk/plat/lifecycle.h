/*
 * Platform contract: ending the instance.  uk_plat_exit() makes the
 * application's status the exit status of the process (linuxu) or of QEMU
 * through isa-debug-exit (kvm); uk_plat_crash() ends it with a status that
 * a test can tell apart from any application result.
 */
#ifndef UK_PLAT_LIFECYCLE_H
#define UK_PLAT_LIFECYCLE_H

/* Status reported by a crash: distinct from 0..125 application codes. */
#define UK_PLAT_CRASH_STATUS 126

__attribute__((noreturn)) void uk_plat_exit(int status);
__attribute__((noreturn)) void uk_plat_crash(void);

#endif
