/*
 * A fake network device for kernel tests: a uknetdev whose "wire" ends in
 * a tiny peer that answers ARP for PEER_IP, echoes UDP datagrams sent to
 * it (swapping MAC, IP and port fields, which leaves every checksum
 * valid), optionally plays DHCP server (offering DHCP_YIADDR from
 * DHCP_SERVER), and raises the receive notification as a driver's
 * interrupt handler would.
 */
#ifndef UK_LWIP_TESTS_FAKE_PEER_H
#define UK_LWIP_TESTS_FAKE_PEER_H

#include <stddef.h>
#include <stdint.h>

#include <uk/lock.h>
#include <uk/netdev.h>

#define PEER_IP 0x0a000002u     /* 10.0.0.2 */
#define DHCP_SERVER 0x0a010002u /* 10.1.0.2 */
#define DHCP_YIADDR 0x0a01004du /* 10.1.0.77 */

#define PEER_QLEN 16
#define PEER_FRAME 1600

struct peer {
	struct uk_netdev dev;
	struct uk_mutex lock;
	uint8_t q[PEER_QLEN][PEER_FRAME];
	size_t qlen[PEER_QLEN];
	unsigned int head, count;
	int intr_on;
	int mute;          /* answers nothing */
	int dhcpd;         /* answers DHCP too */
	unsigned int arp_replies, udp_echoes, dhcp_replies, ignored;
	uint32_t last_src; /* source address of the last echoed datagram */
};

/* Sets pe up (not registered) with MAC 02:00:00:00:00:<last>. */
void peer_init(struct peer *pe, uint8_t last);

#endif
