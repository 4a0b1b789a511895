/*
 * Starting the network: lwIP's tcpip thread and statistics once, then
 * the first device configured from the boot options (net.ip=a.b.c.d/n,
 * net.gw=..., net.dns=...; DHCP without net.ip), whose gateway is
 * resolved at once.  lwip_start and net_up are stages of the boot
 * timeline (uk/plat/bootstage.h).  A host name in the DHCP server's
 * answer names the instance unless the boot line does (uk/mon.h).
 */
#include <errno.h>
#include <stdint.h>

#include "lwip/etharp.h"
#include "lwip/pbuf.h"
#include "lwip/prot/dhcp.h"
#include "lwip/init.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/tcpip.h"

#include <uk/errptr.h>
#include <uk/lock.h>
#include <uk/lwip.h>
#include <uk/mon.h>
#include <uk/netdev.h>
#include <uk/plat/bootstage.h>
#include <uk/plat/cmdline.h>
#include <uk/print.h>

#include "lwip_impl.h"

/*
 * LWIP_HOOK_DHCP_PARSE_OPTION (lwipopts.h), on lwIP's thread: option 12
 * of an offer or acknowledgement (the name the server will stand by) is
 * offered as the instance's host name.  len bytes at offset of p.
 */
void _uk_lwip_dhcp_option(unsigned char msg_type, unsigned char option,
			  unsigned char len, struct pbuf *p,
			  unsigned short offset)
{
	char name[UK_MON_HOSTNAME_MAX];

	if (option != DHCP_OPTION_HOSTNAME || msg_type != DHCP_ACK ||
	    !len || len > sizeof(name))
		return;
	if (pbuf_copy_partial(p, name, len, offset) != len)
		return;
	if (uk_mon_hostname_offer(name, len))
		uk_pr_warn("lwip: ignoring the DHCP host name (want 1..%d "
			   "letters, digits, '-', '.', '_')\n",
			   UK_MON_HOSTNAME_MAX);
}

static struct uk_mutex init_lock = UK_MUTEX_INITIALIZER;
static int started;

static void init_done(void *arg)
{
	uk_semaphore_up(arg);
}

/*
 * Starts lwIP and its statistics once.  Returns 0 (see uk/lwip.h: the
 * statistics' errors are logged by uk_lwip_stats_init(), not returned).
 */
int uk_lwip_init(void)
{
	struct uk_semaphore done;

	uk_mutex_lock(&init_lock);
	if (!started) {
		uk_semaphore_init(&done, NULL, 0);
		tcpip_init(init_done, &done);
		uk_semaphore_down(&done);
		uk_semaphore_fini(&done);
		uk_lwip_stats_init();
		started = 1;
		uk_plat_boot_stage("lwip_start");
		uk_pr_info("lwip: lwIP %s started\n", LWIP_VERSION_STRING);
	}
	uk_mutex_unlock(&init_lock);
	return 0;
}

/*
 * Brings up the first device from the boot options and waits for it.
 * Returns 0, -ENODEV, -EINVAL, -ETIMEDOUT or uk_lwip_netif_add()'s error.
 */
int uk_lwip_net_init(uint64_t timeout_ms)
{
	const char *ip = uk_plat_option("net.ip");
	struct uk_lwip_ipcfg cfg;
	struct uk_netdev *dev;
	struct netif *n;
	char buf[IP4ADDR_STRLEN_MAX];
	int rc;

	rc = uk_lwip_ipcfg_parse(&cfg, ip, uk_plat_option("net.gw"),
				 uk_plat_option("net.dns"));
	if (rc) {
		uk_pr_err("lwip: bad net.ip/net.gw/net.dns option\n");
		return rc;
	}
	rc = uk_lwip_init();
	if (rc)
		return rc;
	dev = uk_netdev_get(0);
	if (!dev) {
		uk_pr_err("lwip: no network device\n");
		return -ENODEV;
	}
	n = uk_lwip_netif_add(dev, &cfg);
	if (uk_is_err(n))
		return (int)uk_ptr_err(n);
	rc = uk_lwip_netif_wait_up(n, timeout_ms);
	if (rc) {
		uk_pr_err("lwip: %s got no address in %llu ms\n", dev->name,
			  (unsigned long long)timeout_ms);
		return rc;
	}
	uk_plat_boot_stage("net_up");
	LOCK_TCPIP_CORE();
	/* Resolve the gateway now rather than when the first connection
	 * needs it: under QEMU's user network, hostfwd's connections come
	 * from the gateway, and the first answer would otherwise wait for
	 * an ARP round trip. */
	if (!ip4_addr_isany_val(*netif_ip4_gw(n)))
		etharp_request(n, netif_ip4_gw(n));
	ip4addr_ntoa_r(netif_ip4_addr(n), buf, sizeof(buf));
	UNLOCK_TCPIP_CORE();
	uk_pr_info("lwip: %s up at %s\n", dev->name, buf);
	return 0;
}
