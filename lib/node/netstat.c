/*
 * node_lwip: lwIP's protocol counters as Linux's /proc/net/snmp,
 * /proc/net/netstat and /proc/net/sockstat name them, and node_exporter's
 * untyped node_netstat_* and gauge node_sockstat_* series.
 *
 * The counters are lwIP's MIB-II ones (lwip_stats.mib2), read without
 * its lock: each is an aligned 32-bit word written on the one CPU, so a
 * read is never torn.  CurrEstab and the socket counts walk lwIP's PCB
 * lists under its core lock.  Ip Forwarding is 2 (not a router); IpExt
 * InOctets/OutOctets are the devices' byte counts (lwIP does not count
 * IP octets apart; the link-layer figures include the Ethernet headers).
 * TcpExt's counters (listen overflows, SYN cookies...) have no lwIP
 * equivalent and are 0, as are UDP's buffer errors: lwIP drops such
 * datagrams without counting them apart from InErrors.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lwip/opt.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/stats.h"
#include "lwip/tcpip.h"
#include "lwip/udp.h"

#include <uk/netdev.h>
#include <uk/node.h>
#include <uk/store_publish.h>

#include "node_impl.h"

static uint64_t ld(const u32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* The counters, read without a lock. */
static void read_counters(struct uk_node_netstat *out)
{
	const struct stats_mib2 *m = &lwip_stats.mib2;
	struct uk_netdev *d;
	unsigned int i;

	memset(out, 0, sizeof(*out));
	out->ip_forwarding = IP_FORWARD ? 1 : 2;
	out->ip_default_ttl = IP_DEFAULT_TTL;
	out->ip_in_receives = ld(&m->ipinreceives);
	out->ip_in_hdr_errors = ld(&m->ipinhdrerrors);
	out->ip_in_addr_errors = ld(&m->ipinaddrerrors);
	out->ip_forw_datagrams = ld(&m->ipforwdatagrams);
	out->ip_in_unknown_protos = ld(&m->ipinunknownprotos);
	out->ip_in_discards = ld(&m->ipindiscards);
	out->ip_in_delivers = ld(&m->ipindelivers);
	out->ip_out_requests = ld(&m->ipoutrequests);
	out->ip_out_discards = ld(&m->ipoutdiscards);
	out->ip_out_no_routes = ld(&m->ipoutnoroutes);
	out->icmp_in_msgs = ld(&m->icmpinmsgs);
	out->icmp_in_errors = ld(&m->icmpinerrors);
	out->icmp_out_msgs = ld(&m->icmpoutmsgs);
	out->tcp_active_opens = ld(&m->tcpactiveopens);
	out->tcp_passive_opens = ld(&m->tcppassiveopens);
	out->tcp_attempt_fails = ld(&m->tcpattemptfails);
	out->tcp_estab_resets = ld(&m->tcpestabresets);
	out->tcp_in_segs = ld(&m->tcpinsegs);
	out->tcp_out_segs = ld(&m->tcpoutsegs);
	out->tcp_retrans_segs = ld(&m->tcpretranssegs);
	out->tcp_in_errs = ld(&m->tcpinerrs);
	out->tcp_out_rsts = ld(&m->tcpoutrsts);
	out->udp_in_datagrams = ld(&m->udpindatagrams);
	out->udp_no_ports = ld(&m->udpnoports);
	out->udp_in_errors = ld(&m->udpinerrors);
	out->udp_out_datagrams = ld(&m->udpoutdatagrams);
	/* The devices' counters themselves: no link state needed. */
	for (i = 0; i < uk_netdev_count(); i++) {
		if (!(d = uk_netdev_get(i)))
			continue;
		out->ipext_in_octets +=
			__atomic_load_n(&d->stats.rx_bytes, __ATOMIC_RELAXED);
		out->ipext_out_octets +=
			__atomic_load_n(&d->stats.tx_bytes, __ATOMIC_RELAXED);
	}
}

/* The connection and socket counts, under lwIP's core lock. */
static void read_pcbs(struct uk_node_netstat *out)
{
	struct tcp_pcb *pcb;
	struct tcp_pcb_listen *l;
	struct udp_pcb *u;

	LOCK_TCPIP_CORE();
	for (pcb = tcp_active_pcbs; pcb; pcb = pcb->next) {
		out->tcp_inuse++;
		out->tcp_curr_estab += pcb->state == ESTABLISHED ||
				       pcb->state == CLOSE_WAIT;
	}
	for (l = tcp_listen_pcbs.listen_pcbs; l; l = l->next)
		out->tcp_inuse++;
	for (pcb = tcp_tw_pcbs; pcb; pcb = pcb->next)
		out->tcp_tw++;
	for (u = udp_pcbs; u; u = u->next)
		out->udp_inuse++;
	UNLOCK_TCPIP_CORE();
}

int uk_node_netstat_read(struct uk_node_netstat *out)
{
	read_counters(out);
	read_pcbs(out);
	return 0;
}

/* A counter's getter: only CurrEstab needs the PCB walk and its lock. */
static int get_field(void *cookie, uint64_t *out)
{
	struct uk_node_netstat s;

	read_counters(&s);
	if ((uintptr_t)cookie == offsetof(struct uk_node_netstat,
					  tcp_curr_estab))
		read_pcbs(&s);
	memcpy(out, (const char *)&s + (uintptr_t)cookie, sizeof(*out));
	return 0;
}

static int get_zero(void *cookie, uint64_t *out)
{
	*out = 0;
	return 0;
}

#define NS(name, field) \
	UK_STORE_STATIC_ENTRY(node, netstat_##name, u64, untyped, none, \
			      "Statistic " #name ".", get_field, NULL, \
			      offsetof(struct uk_node_netstat, field))
#define NS0(name) \
	UK_STORE_STATIC_ENTRY(node, netstat_##name, u64, untyped, none, \
			      "Statistic " #name ". Not tracked: 0.", \
			      get_zero, NULL, NULL)

NS(Ip_Forwarding, ip_forwarding);
NS(IpExt_InOctets, ipext_in_octets);
NS(IpExt_OutOctets, ipext_out_octets);
NS(Icmp_InMsgs, icmp_in_msgs);
NS(Icmp_InErrors, icmp_in_errors);
NS(Icmp_OutMsgs, icmp_out_msgs);
NS(Tcp_ActiveOpens, tcp_active_opens);
NS(Tcp_PassiveOpens, tcp_passive_opens);
NS(Tcp_CurrEstab, tcp_curr_estab);
NS(Tcp_InSegs, tcp_in_segs);
NS(Tcp_OutSegs, tcp_out_segs);
NS(Tcp_RetransSegs, tcp_retrans_segs);
NS(Tcp_InErrs, tcp_in_errs);
NS(Tcp_OutRsts, tcp_out_rsts);
NS(Udp_InDatagrams, udp_in_datagrams);
NS(Udp_OutDatagrams, udp_out_datagrams);
NS(Udp_NoPorts, udp_no_ports);
NS(Udp_InErrors, udp_in_errors);
NS0(Udp_RcvbufErrors);
NS0(Udp_SndbufErrors);
NS0(UdpLite_InErrors);
NS0(TcpExt_ListenOverflows);
NS0(TcpExt_ListenDrops);
NS0(TcpExt_SyncookiesSent);
NS0(TcpExt_SyncookiesRecv);
NS0(TcpExt_SyncookiesFailed);
NS0(TcpExt_TCPSynRetrans);
NS0(TcpExt_TCPTimeouts);
NS0(TcpExt_TCPOFOQueue);
NS0(TcpExt_TCPRcvQDrop);

enum { SK_USED, SK_TCP_INUSE, SK_TCP_TW, SK_TCP_ALLOC, SK_UDP_INUSE };

static int get_sock(void *cookie, uint64_t *out)
{
	struct uk_node_netstat s;

	uk_node_netstat_read(&s);
	switch ((uintptr_t)cookie) {
	case SK_USED: *out = s.tcp_inuse + s.udp_inuse; break;
	case SK_TCP_INUSE: *out = s.tcp_inuse; break;
	case SK_TCP_TW: *out = s.tcp_tw; break;
	case SK_TCP_ALLOC: *out = s.tcp_inuse + s.tcp_tw; break;
	default: *out = s.udp_inuse; break;
	}
	return 0;
}

#define SK(name, c, help) \
	UK_STORE_STATIC_ENTRY(node, sockstat_##name, u64, gauge, none, \
			      "Number of " help " sockets in state " #name \
			      ".", get_sock, NULL, c)
#define SK0(name, unit) \
	UK_STORE_STATIC_ENTRY(node, sockstat_##name, u64, gauge, unit, \
			      "Number of sockets in state " #name \
			      ". Not tracked: 0.", get_zero, NULL, NULL)

UK_STORE_STATIC_ENTRY(node, sockstat_sockets_used, u64, gauge, none,
		      "Number of IPv4 sockets in use.", get_sock, NULL,
		      SK_USED);
SK(TCP_inuse, SK_TCP_INUSE, "TCP");
SK0(TCP_orphan, none);
SK(TCP_tw, SK_TCP_TW, "TCP");
SK(TCP_alloc, SK_TCP_ALLOC, "TCP");
SK0(TCP_mem, none);
SK0(TCP_mem_bytes, bytes);
SK(UDP_inuse, SK_UDP_INUSE, "UDP");
SK0(UDP_mem, none);
SK0(UDP_mem_bytes, bytes);
SK0(UDPLITE_inuse, none);
SK0(RAW_inuse, none);
SK0(FRAG_inuse, none);
SK0(FRAG_memory, none);
