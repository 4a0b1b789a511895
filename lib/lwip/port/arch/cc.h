/*
 * lwIP's compiler and platform port for the ukmon kernel: types and
 * limits come from gcc's freestanding headers and nolibc, diagnostics go
 * to the console through ukdebug, a failed lwIP assertion is a broken
 * invariant and panics (never compiled out), struct timeval is nolibc's,
 * and random numbers come from sys_arch.c.  nolibc's fcntl.h, poll.h and
 * sys/select.h come first, so that lwIP takes their O_NONBLOCK, F_GETFL,
 * POLLIN..., struct pollfd and fd_set (Linux's values, the ones the
 * descriptor table of lib/vfs speaks) instead of defining its own.
 */
#ifndef UK_LWIP_ARCH_CC_H
#define UK_LWIP_ARCH_CC_H

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/select.h>
#include <sys/types.h>
#include <time.h>

#include <uk/assert.h>
#include <uk/print.h>

/* lwIP's arch.h defines LITTLE_ENDIAN and BIG_ENDIAN (same values as
 * nolibc's) just before including this file; a later <endian.h> would
 * then redefine them differently spelled, which -Werror rejects.  So
 * nolibc's definitions replace lwIP's here, unless <endian.h> came
 * first (its include guard), in which case lwIP kept them already. */
#ifndef _NOLIBC_ENDIAN_H
#undef LITTLE_ENDIAN
#undef BIG_ENDIAN
#include <endian.h>
#endif

/* x86-64 only: lwIP's byte-order helpers use the compiler's builtins. */
#define lwip_htons(x) __builtin_bswap16((uint16_t)(x))
#define lwip_htonl(x) __builtin_bswap32((uint32_t)(x))

/* Character classes without ctype.h (lwIP has its own). */
#define LWIP_NO_CTYPE_H 1

#define LWIP_PLATFORM_DIAG(x) do { uk_printk x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) uk_panic("lwIP assertion: %s", x)

/* lwIP's timer wheel and TCP's ISNs want a little entropy. */
uint32_t uk_lwip_rand(void);
#define LWIP_RAND() uk_lwip_rand()

#define PACK_STRUCT_FIELD(x) x
#define PACK_STRUCT_STRUCT __attribute__((packed))
#define PACK_STRUCT_BEGIN
#define PACK_STRUCT_END

#endif /* UK_LWIP_ARCH_CC_H */
