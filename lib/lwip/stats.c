/*
 * lwIP's statistics (the global lwip_stats) published in ukstore as
 * library "lwip": one folder per protocol, labelled proto (link, etharp,
 * ip, icmp, udp, tcp), with lwIP's per-protocol counters, and one folder
 * per memory pool, labelled pool (heap and each memp pool by its lwIP
 * name in lower case), with its gauges.  Pool entries are prefixed
 * "pool_" because a metric family (lwip_err) cannot carry two different
 * labels.  Static entries add lwIP's MIB-II counters (TCP opens, resets,
 * retransmissions; UDP datagrams without a listener...), gauges of
 * the TCP connections by state, counted under lwIP's core lock, and the
 * TCP PCB pool's headroom (pcb.c).  The
 * counter getters read lwIP's counters without its lock: each is an
 * aligned 32-bit word, written on the one CPU, so a read is never torn.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "lwip/memp.h"
#include "lwip/opt.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/stats.h"
#include "lwip/tcpip.h"

#include <uk/print.h>
#include <uk/store_publish.h>

#include "lwip_impl.h"

UK_STORE_LIBRARY(lwip);

#define PROTO_GETTER(f) \
	static int get_##f(void *cookie, uint64_t *out) \
	{ \
		*out = __atomic_load_n( \
			&((struct stats_proto *)cookie)->f, \
			__ATOMIC_RELAXED); \
		return 0; \
	}
PROTO_GETTER(xmit)
PROTO_GETTER(recv)
PROTO_GETTER(fw)
PROTO_GETTER(drop)
PROTO_GETTER(chkerr)
PROTO_GETTER(lenerr)
PROTO_GETTER(memerr)
PROTO_GETTER(rterr)
PROTO_GETTER(proterr)
PROTO_GETTER(opterr)
PROTO_GETTER(err)
PROTO_GETTER(cachehit)

#define PROTO_ENTRY(f, help) \
	UK_STORE_ENTRY(f, u64, counter, none, help, get_##f, NULL, NULL)

static const struct uk_store_entry proto_tmpl[] = {
	PROTO_ENTRY(xmit, "Packets transmitted."),
	PROTO_ENTRY(recv, "Packets received."),
	PROTO_ENTRY(fw, "Packets forwarded."),
	PROTO_ENTRY(drop, "Packets dropped."),
	PROTO_ENTRY(chkerr, "Packets with a checksum error."),
	PROTO_ENTRY(lenerr, "Packets with an invalid length."),
	PROTO_ENTRY(memerr, "Out-of-memory errors."),
	PROTO_ENTRY(rterr, "Routing errors."),
	PROTO_ENTRY(proterr, "Protocol errors."),
	PROTO_ENTRY(opterr, "Errors in options."),
	PROTO_ENTRY(err, "Other errors."),
	PROTO_ENTRY(cachehit, "Cache hits (ARP table, PCB lookups)."),
};

#define MEM_GETTER(f) \
	static int get_pool_##f(void *cookie, uint64_t *out) \
	{ \
		*out = __atomic_load_n(&((struct stats_mem *)cookie)->f, \
				       __ATOMIC_RELAXED); \
		return 0; \
	}
MEM_GETTER(avail)
MEM_GETTER(used)
MEM_GETTER(max)
MEM_GETTER(err)

static int get_pool_free(void *cookie, uint64_t *out)
{
	const struct stats_mem *st = cookie;
	uint64_t avail = __atomic_load_n(&st->avail, __ATOMIC_RELAXED);
	uint64_t used = __atomic_load_n(&st->used, __ATOMIC_RELAXED);

	*out = used < avail ? avail - used : 0;
	return 0;
}

static const struct uk_store_entry pool_tmpl[] = {
	UK_STORE_ENTRY(pool_avail, u64, gauge, none,
		       "Capacity of the pool (bytes for the heap, else "
		       "elements).", get_pool_avail, NULL, NULL),
	UK_STORE_ENTRY(pool_used, u64, gauge, none,
		       "In use now (bytes for the heap, else elements).",
		       get_pool_used, NULL, NULL),
	UK_STORE_ENTRY(pool_free, u64, gauge, none,
		       "Free now: pool_avail - pool_used.", get_pool_free,
		       NULL, NULL),
	UK_STORE_ENTRY(pool_max, u64, gauge, none,
		       "Highest use seen (bytes for the heap, else elements).",
		       get_pool_max, NULL, NULL),
	UK_STORE_ENTRY(pool_err, u64, counter, none,
		       "Allocations that failed.", get_pool_err, NULL, NULL),
};

/* ---- MIB-II counters and TCP connection gauges (static entries) ---- */

static int get_u32(void *cookie, uint64_t *out)
{
	*out = __atomic_load_n((const u32_t *)cookie, __ATOMIC_RELAXED);
	return 0;
}

#define MIB2(name, field, help) \
	UK_STORE_STATIC_ENTRY(lwip, name, u64, counter, none, help, get_u32, \
			      NULL, &lwip_stats.mib2.field)

MIB2(tcp_active_opens, tcpactiveopens, "TCP connections opened (connect).");
MIB2(tcp_passive_opens, tcppassiveopens,
     "TCP connections accepted (SYN received on a listener).");
MIB2(tcp_attempt_fails, tcpattemptfails,
     "TCP connection attempts that failed.");
MIB2(tcp_estab_resets, tcpestabresets,
     "Established TCP connections reset.");
MIB2(tcp_in_segs, tcpinsegs, "TCP segments received.");
MIB2(tcp_out_segs, tcpoutsegs,
     "TCP segments sent, not counting retransmissions.");
MIB2(tcp_retrans_segs, tcpretranssegs, "TCP segments retransmitted.");
MIB2(tcp_in_errs, tcpinerrs, "TCP segments received in error.");
MIB2(tcp_out_rsts, tcpoutrsts, "TCP segments sent with RST.");
MIB2(udp_in_datagrams, udpindatagrams, "UDP datagrams delivered.");
MIB2(udp_no_ports, udpnoports,
     "UDP datagrams for a port nobody listens on.");
MIB2(udp_in_errors, udpinerrors, "UDP datagrams received in error.");
MIB2(udp_out_datagrams, udpoutdatagrams, "UDP datagrams sent.");
MIB2(ip_in_receives, ipinreceives, "IP datagrams received.");
MIB2(ip_in_hdr_errors, ipinhdrerrors, "IP datagrams with a bad header.");
MIB2(ip_in_addr_errors, ipinaddrerrors, "IP datagrams not for this host.");
MIB2(ip_out_no_routes, ipoutnoroutes, "IP datagrams without a route.");
MIB2(icmp_in_echos, icmpinechos, "ICMP echo requests received.");

/* What the TCP connection gauges count. */
enum { TCP_ESTABLISHED, TCP_OTHER_ACTIVE, TCP_TIME_WAIT, TCP_LISTEN };

static int get_tcp_count(void *cookie, uint64_t *out)
{
	uintptr_t what = (uintptr_t)cookie;
	struct tcp_pcb_listen *l;
	struct tcp_pcb *pcb;
	uint64_t n = 0;

	LOCK_TCPIP_CORE();
	switch (what) {
	case TCP_ESTABLISHED:
	case TCP_OTHER_ACTIVE:
		for (pcb = tcp_active_pcbs; pcb; pcb = pcb->next)
			n += (pcb->state == ESTABLISHED) ==
			     (what == TCP_ESTABLISHED);
		break;
	case TCP_TIME_WAIT:
		for (pcb = tcp_tw_pcbs; pcb; pcb = pcb->next)
			n++;
		break;
	default:
		for (l = tcp_listen_pcbs.listen_pcbs; l; l = l->next)
			n++;
		break;
	}
	UNLOCK_TCPIP_CORE();
	*out = n;
	return 0;
}

UK_STORE_STATIC_ENTRY(lwip, tcp_established, u64, gauge, none,
		      "TCP connections in state ESTABLISHED.", get_tcp_count,
		      NULL, TCP_ESTABLISHED);
UK_STORE_STATIC_ENTRY(lwip, tcp_opening_closing, u64, gauge, none,
		      "TCP connections being opened or closed (neither "
		      "ESTABLISHED nor TIME-WAIT).", get_tcp_count, NULL,
		      TCP_OTHER_ACTIVE);
UK_STORE_STATIC_ENTRY(lwip, tcp_time_wait, u64, gauge, none,
		      "TCP connections in TIME-WAIT.", get_tcp_count, NULL,
		      TCP_TIME_WAIT);
UK_STORE_STATIC_ENTRY(lwip, tcp_listening, u64, gauge, none,
		      "Listening TCP sockets.", get_tcp_count, NULL,
		      TCP_LISTEN);

/* The TCP PCB pool as a new connection sees it (pcb.c). */
enum { POOL_HEADROOM, POOL_ORPHANS, POOL_RECLAIMED };

static int get_tcp_pool(void *cookie, uint64_t *out)
{
	struct _uk_lwip_tcp_pool p;

	_uk_lwip_tcp_pool_count(&p);
	switch ((uintptr_t)cookie) {
	case POOL_HEADROOM:
		*out = (uint64_t)p.free + p.time_wait + p.orphans;
		break;
	case POOL_ORPHANS:
		*out = p.orphans;
		break;
	default:
		*out = p.reclaimed;
		break;
	}
	return 0;
}

UK_STORE_STATIC_ENTRY(lwip, tcp_pcb_headroom, u64, gauge, none,
		      "TCP PCBs a new connection can still get: free, in "
		      "TIME-WAIT, or orphaned (taken back when the pool is "
		      "empty).", get_tcp_pool, NULL, POOL_HEADROOM);
UK_STORE_STATIC_ENTRY(lwip, tcp_orphans, u64, gauge, none,
		      "TCP connections closed by their socket that wait for "
		      "the peer (FIN-WAIT-1/2, CLOSING, LAST-ACK).",
		      get_tcp_pool, NULL, POOL_ORPHANS);
UK_STORE_STATIC_ENTRY(lwip, tcp_orphans_reclaimed, u64, counter, none,
		      "Orphaned TCP connections reset to make room for a new "
		      "one when the PCB pool was empty.", get_tcp_pool, NULL,
		      POOL_RECLAIMED);

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* lwIP's pool names, in memp_t order, from its own pool list. */
static const char *const memp_names[] = {
#define LWIP_MEMPOOL(name, num, size, desc) #name,
#include "lwip/priv/memp_std.h"
};
_Static_assert(NELEM(memp_names) == MEMP_MAX, "memp name table");

#define POOL_NAME_MAX 32
static char pool_names[MEMP_MAX][POOL_NAME_MAX];

static int add(const char *label, const char *name,
	       const struct uk_store_entry *tmpl, unsigned int n, void *cookie)
{
	struct uk_store_folder *f;
	int rc = uk_store_folder_add(&uk_store_lib_lwip, label, name, tmpl, n,
				     cookie, NULL, &f);

	if (rc)
		uk_pr_warn("lwip: cannot publish %s %s: %d\n", label, name, rc);
	return rc;
}

/*
 * Creates the folders, once, after lwIP's initialisation (which fills
 * lwip_stats.memp[]).  Returns 0 or the first store error (the other
 * folders are still created).
 */
int uk_lwip_stats_init(void)
{
	static const struct {
		const char *name;
		struct stats_proto *st;
	} protos[] = {
		{ "link", &lwip_stats.link },
		{ "etharp", &lwip_stats.etharp },
		{ "ip", &lwip_stats.ip },
		{ "icmp", &lwip_stats.icmp },
		{ "udp", &lwip_stats.udp },
		{ "tcp", &lwip_stats.tcp },
	};
	unsigned int i, j;
	int rc = 0, r;

	for (i = 0; i < NELEM(protos); i++) {
		r = add("proto", protos[i].name, proto_tmpl, NELEM(proto_tmpl),
			protos[i].st);
		rc = rc ? rc : r;
	}
	r = add("pool", "heap", pool_tmpl, NELEM(pool_tmpl), &lwip_stats.mem);
	rc = rc ? rc : r;
	r = add("pool", "mbox_ring", pool_tmpl, NELEM(pool_tmpl),
		_uk_lwip_mbox_ring_stats());
	rc = rc ? rc : r;
	for (i = 0; i < MEMP_MAX; i++) {
		if (!lwip_stats.memp[i])
			continue;
		for (j = 0; memp_names[i][j] && j + 1 < POOL_NAME_MAX; j++) {
			char c = memp_names[i][j];

			pool_names[i][j] = (c >= 'A' && c <= 'Z') ?
					   (char)(c - 'A' + 'a') : c;
		}
		pool_names[i][j] = '\0';
		r = add("pool", pool_names[i], pool_tmpl, NELEM(pool_tmpl),
			lwip_stats.memp[i]);
		rc = rc ? rc : r;
	}
	return rc;
}
