/*
 * An lwIP netif over a uknetdev device.
 *
 * Transmit: lwIP calls linkoutput with its core lock held, so one bounce
 * buffer per interface suffices for frames that lwIP built as a pbuf
 * chain; a single pbuf goes to the device as it is.
 *
 * Receive: a thread per interface sleeps on a semaphore that the
 * device's receive interrupt raises (through uk_netdev_rx_notify), then
 * drains the device with its interrupt off, straight into pbufs, and
 * feeds them to lwIP (tcpip_input, which with CORE_LOCKING_INPUT runs the
 * stack in this thread under the core lock).  It re-enables the interrupt
 * before sleeping and drains again if frames slipped in meanwhile, so
 * nothing is ever left waiting and the CPU never polls.
 *
 * Bring-up: a static address is configured at once; otherwise DHCP is
 * started.  The netif status callback raises a semaphore so that
 * uk_lwip_netif_wait_up() can sleep until an address is bound.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "lwip/dhcp.h"
#include "lwip/dns.h"
#include "lwip/err.h"
#include "lwip/etharp.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/stats.h"
#include "lwip/tcpip.h"
#include "netif/ethernet.h"

#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/errptr.h>
#include <uk/lock.h>
#include <uk/lwip.h>
#include <uk/netdev.h>
#include <uk/plat/bootstage.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#include <uk/thread.h>
#include <uk/wait.h>

#define RX_THREAD_STACK (32 * 1024)
/* How long transmit waits for room in a full device queue, and in what
 * steps (see linkoutput()). */
#define TX_FULL_WAIT_NS (5 * UK_NSEC_PER_MSEC)
#define TX_FULL_SLEEP_NS (50 * UK_NSEC_PER_USEC)

struct uk_lwip_if {
	struct netif netif;          /* first: netif.state points back */
	struct uk_netdev *dev;
	struct uk_semaphore rx_wake; /* raised by the receive interrupt */
	struct uk_semaphore changed; /* raised by the status callback */
	struct uk_thread *rx_thread;
	size_t frame_max;
	uint8_t *txbuf;              /* bounce buffer for pbuf chains */
	int dhcp;
	char rx_name[24];
};

static struct uk_lwip_if *if_of(struct netif *n)
{
	return (struct uk_lwip_if *)n->state;
}

static err_t linkoutput(struct netif *n, struct pbuf *p)
{
	struct uk_lwip_if *nif = if_of(n);
	const void *frame = p->payload;
	int rc;

	if (p->tot_len > nif->frame_max) {
		LINK_STATS_INC(link.lenerr);
		LINK_STATS_INC(link.drop);
		return ERR_BUF;
	}
	if (p->next) {
		if (pbuf_copy_partial(p, nif->txbuf, p->tot_len, 0) !=
		    p->tot_len) {
			LINK_STATS_INC(link.err);
			return ERR_BUF;
		}
		frame = nif->txbuf;
	}
	rc = uk_netdev_tx(nif->dev, frame, p->tot_len);
	if (rc == -EAGAIN) {
		/* The device has not yet consumed its transmit queue.  A
		 * dropped TCP segment costs a retransmission timeout (>= 1 s
		 * for a fresh connection), far more than waiting a little
		 * for the host to catch up, so wait up to TX_FULL_WAIT_NS,
		 * in short sleeps, before giving up on the frame. */
		uint64_t deadline = uk_plat_time_mono_ns() + TX_FULL_WAIT_NS;

		do {
			uk_thread_sleep_ns(TX_FULL_SLEEP_NS);
			rc = uk_netdev_tx(nif->dev, frame, p->tot_len);
		} while (rc == -EAGAIN && uk_plat_time_mono_ns() < deadline);
	}
	if (rc) {
		LINK_STATS_INC(link.drop);
		uk_netdev_tx_drop(nif->dev);
		if (rc == -EAGAIN) {
			LINK_STATS_INC(link.memerr);
			return ERR_MEM;
		}
		LINK_STATS_INC(link.err);
		return ERR_IF;
	}
	LINK_STATS_INC(link.xmit);
	return ERR_OK;
}

static void rx_intr(struct uk_netdev *dev, void *arg)
{
	struct uk_lwip_if *nif = arg;

	uk_semaphore_up(&nif->rx_wake);
}

/* Drains every waiting frame into lwIP. */
static void rx_drain(struct uk_lwip_if *nif)
{
	static uint8_t scratch[UK_NETDEV_FRAME_MAX(9000)];
	struct pbuf *p;
	int n;

	for (;;) {
		/* Frames up to PBUF_POOL_BUFSIZE (all of them at MTU 1500)
		 * come from the fixed pool, larger ones from the heap; both
		 * give one contiguous buffer. */
		p = pbuf_alloc(PBUF_RAW, (u16_t)nif->frame_max,
			       nif->frame_max <= PBUF_POOL_BUFSIZE ?
			       PBUF_POOL : PBUF_RAM);
		UK_ASSERT(!p || !p->next);
		if (!p) {
			/* No memory: still take the frame off the device so
			 * it can go on receiving, and count the drop. */
			n = uk_netdev_rx(nif->dev, scratch,
					 nif->frame_max < sizeof(scratch) ?
					 nif->frame_max : sizeof(scratch));
			if (n <= 0)
				return;
			LINK_STATS_INC(link.memerr);
			LINK_STATS_INC(link.drop);
			uk_netdev_rx_drop(nif->dev);
			continue;
		}
		n = uk_netdev_rx(nif->dev, p->payload, nif->frame_max);
		if (n <= 0) {
			pbuf_free(p);
			if (n == 0)
				return;
			LINK_STATS_INC(link.err);
			continue;
		}
		pbuf_realloc(p, (u16_t)n);
		LINK_STATS_INC(link.recv);
		if (n >= 14 && ((uint8_t *)p->payload)[12] == 0x08 &&
		    ((uint8_t *)p->payload)[13] == 0x06)
			uk_plat_boot_stage("first_arp"); /* once: see there */
		if (nif->netif.input(p, &nif->netif) != ERR_OK) {
			pbuf_free(p);
			LINK_STATS_INC(link.drop);
			uk_netdev_rx_drop(nif->dev);
		}
	}
}

static void rx_thread(void *arg)
{
	struct uk_lwip_if *nif = arg;

	for (;;) {
		uk_netdev_rx_intr_enable(nif->dev, 0);
		rx_drain(nif);
		if (uk_netdev_rx_intr_enable(nif->dev, 1))
			continue; /* frames arrived while it was off */
		uk_semaphore_down(&nif->rx_wake);
	}
}

static void status_changed(struct netif *n)
{
	uk_semaphore_up(&if_of(n)->changed);
}

static err_t if_init(struct netif *n)
{
	struct uk_lwip_if *nif = if_of(n);
	struct uk_netdev *dev = nif->dev;

	n->name[0] = 'e';
	n->name[1] = 'n';
	n->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(n->hwaddr, dev->hwaddr, ETH_HWADDR_LEN);
	n->mtu = dev->mtu;
	n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP |
		   NETIF_FLAG_ETHERNET;
	n->output = etharp_output;
	n->linkoutput = linkoutput;
#if LWIP_NETIF_HOSTNAME
	n->hostname = "ukmon";
#endif
	if (dev->features & UK_NETDEV_F_RX_CSUM_VERIFIED)
		NETIF_SET_CHECKSUM_CTRL(n, NETIF_CHECKSUM_GEN_IP |
					NETIF_CHECKSUM_GEN_UDP |
					NETIF_CHECKSUM_GEN_TCP |
					NETIF_CHECKSUM_GEN_ICMP);
	return ERR_OK;
}

static void to_ip4(ip4_addr_t *out, uint32_t host_order)
{
	ip4_addr_set_u32(out, lwip_htonl(host_order));
}

/*
 * Adds and brings up an interface over dev (cfg NULL: DHCP).  Returns the
 * netif or an error pointer (-EINVAL, -ENOMEM, lwIP's error).
 */
struct netif *uk_lwip_netif_add(struct uk_netdev *dev,
				const struct uk_lwip_ipcfg *cfg)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct uk_lwip_ipcfg dhcp = { .dhcp = 1 };
	ip4_addr_t ip, mask, gw;
	struct uk_lwip_if *nif;
	struct netif *added;
	err_t err = ERR_OK;
	int rc;

	if (!dev || !dev->mtu)
		return uk_err_ptr(-EINVAL);
	if (!cfg)
		cfg = &dhcp;
	rc = uk_lwip_init();
	if (rc)
		return uk_err_ptr(rc);
	nif = uk_calloc(a, 1, sizeof(*nif));
	if (!nif)
		return uk_err_ptr(-ENOMEM);
	nif->dev = dev;
	nif->dhcp = cfg->dhcp;
	nif->frame_max = UK_NETDEV_FRAME_MAX(dev->mtu);
	nif->txbuf = uk_malloc(a, nif->frame_max);
	if (!nif->txbuf || nif->frame_max > 0xffff) {
		rc = nif->txbuf ? -EINVAL : -ENOMEM;
		uk_free(a, nif->txbuf);
		uk_free(a, nif);
		return uk_err_ptr(rc);
	}
	uk_semaphore_init(&nif->rx_wake, NULL, 0);
	uk_semaphore_init(&nif->changed, NULL, 0);

	if (cfg->dhcp) {
		ip4_addr_set_zero(&ip);
		ip4_addr_set_zero(&mask);
		ip4_addr_set_zero(&gw);
	} else {
		to_ip4(&ip, cfg->addr);
		to_ip4(&mask, cfg->netmask);
		to_ip4(&gw, cfg->gw);
	}

	LOCK_TCPIP_CORE();
	added = netif_add(&nif->netif, &ip, &mask, &gw, nif, if_init,
			  tcpip_input);
	if (added) {
		netif_set_status_callback(&nif->netif, status_changed);
		netif_set_link_callback(&nif->netif, status_changed);
		if (!netif_default)
			netif_set_default(&nif->netif);
		netif_set_up(&nif->netif);
		if (uk_netdev_link_up(dev))
			netif_set_link_up(&nif->netif);
		if (!cfg->dhcp && cfg->dns) {
			ip_addr_t d;

			ip_addr_set_ip4_u32(&d, lwip_htonl(cfg->dns));
			dns_setserver(0, &d);
		}
		if (cfg->dhcp)
			err = dhcp_start(&nif->netif);
	}
	UNLOCK_TCPIP_CORE();
	if (!added || err != ERR_OK) {
		if (added) {
			LOCK_TCPIP_CORE();
			netif_remove(&nif->netif);
			UNLOCK_TCPIP_CORE();
		}
		uk_semaphore_fini(&nif->rx_wake);
		uk_semaphore_fini(&nif->changed);
		uk_free(a, nif->txbuf);
		uk_free(a, nif);
		return uk_err_ptr(added ? uk_lwip_err_to_errno(err) : -EINVAL);
	}

	/* Receive last: the netif is complete before the first frame. */
	strcpy(nif->rx_name, "lwip-rx-");
	strncat(nif->rx_name, dev->name,
		sizeof(nif->rx_name) - strlen(nif->rx_name) - 1);
	uk_netdev_rx_cb_set(dev, rx_intr, nif);
	rc = uk_thread_create(&nif->rx_thread, nif->rx_name, rx_thread, nif,
			      RX_THREAD_STACK);
	if (rc) {
		/* The netif stays (lwIP cannot free it safely while it may
		 * be referenced), but it can never receive: say so. */
		uk_netdev_rx_cb_set(dev, NULL, NULL);
		uk_pr_err("lwip: no receive thread for %s: %d\n", dev->name,
			  rc);
		return uk_err_ptr(rc);
	}
	/* It runs the stack's input path for frames an interrupt
	 * announced, and nothing else: Linux's NET_RX softirq. */
	uk_thread_set_class(nif->rx_thread, UK_THREAD_CLASS_SOFTIRQ);
	uk_pr_info("lwip: %s (%c%c%u) %s\n", dev->name, nif->netif.name[0],
		   nif->netif.name[1], nif->netif.num,
		   cfg->dhcp ? "asking DHCP" : "static address");
	return &nif->netif;
}

/* Whether n has an address it may use. */
static int is_ready(struct uk_lwip_if *nif)
{
	int up;

	LOCK_TCPIP_CORE();
	up = netif_is_up(&nif->netif) &&
	     !ip4_addr_isany_val(*netif_ip4_addr(&nif->netif)) &&
	     (!nif->dhcp || dhcp_supplied_address(&nif->netif));
	UNLOCK_TCPIP_CORE();
	return up;
}

/* Waits until nif has its address.  Returns 0 or -ETIMEDOUT. */
int uk_lwip_netif_wait_up(struct netif *n, uint64_t timeout_ms)
{
	struct uk_lwip_if *nif = if_of(n);
	uint64_t deadline = timeout_ms ?
		uk_wait_now_ns() + timeout_ms * UK_NSEC_PER_MSEC : 0;

	while (!is_ready(nif)) {
		if (uk_semaphore_down_until(&nif->changed, deadline) &&
		    !is_ready(nif))
			return -ETIMEDOUT;
	}
	return 0;
}
