/*
 * lib/lwip: the glue that runs lwIP 2.1.3 in the kvm kernel.
 *
 * lwIP runs with NO_SYS=0 over ukmon's threads and locks (sys_arch on
 * uk/thread.h and uk/lock.h), its core protected by one mutex
 * (LWIP_TCPIP_CORE_LOCKING), and applications use BSD sockets through
 * the POSIX headers in lib/lwip/posix: sockets are descriptors of
 * lib/vfs's table (socket.c), so read(), write(), close() and poll() work
 * on them as on files.  Each uknetdev device becomes an lwIP netif whose frames
 * are received by a thread woken by the device's interrupt.  lwIP's own
 * statistics are published in ukstore as library "lwip": one folder per
 * protocol (label "proto") and one per memory pool (label "pool").
 *
 * The parts that do not need lwIP's headers (the mailbox, the error
 * conversion, address parsing) build on every platform and are tested on
 * linuxu.
 *
 * Errors: 0 or a negative errno; pointers are error pointers.
 */
#ifndef UK_LWIP_H
#define UK_LWIP_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct netif;
struct uk_netdev;

/** IPv4 configuration of one interface (addresses in host byte order). */
struct uk_lwip_ipcfg {
	int dhcp;          /**< 1: ask DHCP, the fields below are unused */
	uint32_t addr;
	uint32_t netmask;
	uint8_t prefix;    /**< netmask length, 0..32 */
	uint32_t gw;       /**< 0: no gateway */
	uint32_t dns;      /**< 0: no DNS server */
};

/**
 * Converts an lwIP err_t (ERR_OK, ERR_MEM, ...) to 0 or a negative
 * errno.  This is the only place where the glue translates lwIP errors;
 * an unknown value gives -EIO.
 */
int uk_lwip_err_to_errno(int err);

/**
 * Parses a strict dotted quad ("10.0.2.15": four decimal numbers 0..255,
 * no leading zeros, nothing else) into *out in host byte order.
 * Returns 0 or -EINVAL.
 */
int uk_lwip_ipv4_parse(const char *s, uint32_t *out);

/**
 * Builds cfg from boot-option strings: ip is "a.b.c.d/prefix" (prefix
 * 0..32; without "/prefix", 24), gw and dns dotted quads; any may be
 * NULL.  Without ip, cfg asks for DHCP (gw and dns are then ignored).
 * Returns 0, or -EINVAL for a malformed value (cfg is then unchanged).
 */
int uk_lwip_ipcfg_parse(struct uk_lwip_ipcfg *cfg, const char *ip,
			const char *gw, const char *dns);

/**
 * Starts lwIP (its tcpip thread) and publishes its statistics.  Safe to
 * call more than once.  Returns 0: starting cannot fail short of a crash
 * (lwIP's memory is static pools, and a tcpip thread that cannot be
 * created is fatal), and a statistics folder the store refuses is logged
 * and left out rather than failing the network.
 */
int uk_lwip_init(void);

/**
 * Adds an interface over dev with configuration cfg (NULL: DHCP), starts
 * its receive thread and brings it up; the first interface becomes the
 * default route.  Returns the netif, or an error pointer: -EINVAL,
 * -ENOMEM, or lwIP's error converted.
 */
struct netif *uk_lwip_netif_add(struct uk_netdev *dev,
				const struct uk_lwip_ipcfg *cfg);

/**
 * Waits until nif is up with an address: at once for a static address,
 * until DHCP has bound otherwise.  timeout_ms 0 waits forever.  Returns 0
 * or -ETIMEDOUT.
 */
int uk_lwip_netif_wait_up(struct netif *nif, uint64_t timeout_ms);

/**
 * The usual start-up: uk_lwip_init(), then an interface over the first
 * uknetdev device configured from the boot options net.ip, net.gw and
 * net.dns (DHCP when net.ip is absent), then uk_lwip_netif_wait_up() with
 * timeout_ms.  Returns 0, -ENODEV (no device), -EINVAL (bad option),
 * -ETIMEDOUT, or the errors above.
 */
int uk_lwip_net_init(uint64_t timeout_ms);

#ifdef __cplusplus
}
#endif

#endif /* UK_LWIP_H */
