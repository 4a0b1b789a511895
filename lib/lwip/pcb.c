/*
 * The TCP PCB pool under pressure.  lwIP keeps a connection's PCB after
 * its socket is closed, until the peer has closed too (FIN-WAIT-1,
 * FIN-WAIT-2, CLOSING, LAST-ACK, then TIME-WAIT).  A peer that holds its
 * end open pins such an orphan in FIN-WAIT-2 for 20 s, and in FIN-WAIT-1
 * behind a zero window for minutes.  When the pool is empty, lwIP's
 * tcp_alloc() takes back TIME-WAIT, LAST-ACK and CLOSING PCBs, but never
 * FIN-WAIT orphans, so clients that hold connections a server has
 * closed could starve every listener of the VM.  Two remedies here:
 *
 * - Reclaiming orphans: when a SYN reaches a listener that has room in
 *   its backlog while the pool is empty and no TIME-WAIT PCB is left for
 *   tcp_alloc() to take, the orphan quiet for longest is aborted first
 *   (FIN-WAIT-2 before FIN-WAIT-1, whose data may still be in flight).
 *   This is lwIP's own kill-the-oldest policy extended to the states it
 *   leaves out, run from its TCP input hook (lwipopts.h) under the core
 *   lock, as tcp_alloc() runs its own.
 * - Abortive close: lwIP 2.1.3 honours SO_LINGER {1, 0} only while data
 *   is unsent or unacknowledged and otherwise closes gracefully, leaving
 *   a PCB for the peer to hold.  _uk_lwip_sock_close(), which closes
 *   every socket descriptor (socket.c), resets the connection as POSIX
 *   says, so a server that drops a client this way leaves nothing behind.
 *
 * The pool's state for the store (stats.c) is counted here too: the PCBs
 * a new connection can still get (headroom) are the free ones plus those
 * lwIP or the reclaim would take back (TIME-WAIT and orphans).
 */
#include <stdint.h>

#include "lwip/api.h"
#include "lwip/memp.h"
#include "lwip/opt.h"
#include "lwip/priv/sockets_priv.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/prot/tcp.h"
#include "lwip/sockets.h"
#include "lwip/stats.h"
#include "lwip/tcpip.h"

#include <uk/counter.h>

#include "lwip_impl.h"

static uint64_t n_reclaimed;

/*
 * Whether pcb was closed by its owner and only waits for the peer: its
 * netconn detached it (no callback argument, receive side closed) in a
 * state that tcp_alloc() does not reclaim itself, or one it does.
 */
static int orphan(const struct tcp_pcb *pcb)
{
	switch (pcb->state) {
	case FIN_WAIT_1:
	case FIN_WAIT_2:
	case CLOSING:
	case LAST_ACK:
		return !pcb->callback_arg && (pcb->flags & TF_RXCLOSED);
	default:
		return 0;
	}
}

static unsigned int pool_free(void)
{
	const struct stats_mem *st = lwip_stats.memp[MEMP_TCP_PCB];

	return st->used < st->avail ? (unsigned int)(st->avail - st->used) : 0;
}

/* Aborts the orphan quiet for longest, FIN-WAIT-2 first; 0 if none. */
static int reclaim_one(void)
{
	struct tcp_pcb *pcb, *best = NULL;

	for (pcb = tcp_active_pcbs; pcb; pcb = pcb->next) {
		if (!orphan(pcb) ||
		    (pcb->state != FIN_WAIT_1 && pcb->state != FIN_WAIT_2))
			continue;
		if (!best ||
		    (pcb->state == FIN_WAIT_2 && best->state != FIN_WAIT_2) ||
		    (pcb->state == best->state &&
		     (u32_t)(tcp_ticks - pcb->tmr) >
		     (u32_t)(tcp_ticks - best->tmr)))
			best = pcb;
	}
	if (!best)
		return 0;
	tcp_abort(best);
	uk_counter_add(&n_reclaimed, 1);
	return 1;
}

/*
 * lwIP's TCP input hook for segments to a listening PCB (lwipopts.h):
 * makes room for the connection a SYN opens.  Always returns ERR_OK (the
 * segment is processed as usual).
 */
int _uk_lwip_tcp_listen_hook(struct tcp_pcb *pcb, const struct tcp_hdr *hdr)
{
	const struct tcp_pcb_listen *l = (const struct tcp_pcb_listen *)pcb;

	LWIP_ASSERT_CORE_LOCKED();
	if ((TCPH_FLAGS(hdr) & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_SYN)
		return ERR_OK;
	/* A full backlog drops the SYN anyway; a free or TIME-WAIT PCB
	 * is what tcp_alloc() takes first. */
	if (l->accepts_pending >= l->backlog || pool_free() || tcp_tw_pcbs)
		return ERR_OK;
	reclaim_one();
	return ERR_OK;
}

/* See lwip_impl.h. */
void _uk_lwip_tcp_pool_count(struct _uk_lwip_tcp_pool *out)
{
	struct tcp_pcb *pcb;

	LOCK_TCPIP_CORE();
	out->free = pool_free();
	out->time_wait = 0;
	out->orphans = 0;
	for (pcb = tcp_tw_pcbs; pcb; pcb = pcb->next)
		out->time_wait++;
	for (pcb = tcp_active_pcbs; pcb; pcb = pcb->next)
		out->orphans += (unsigned int)orphan(pcb);
	UNLOCK_TCPIP_CORE();
	out->reclaimed = uk_counter_read(&n_reclaimed);
}

/*
 * Closes lwIP socket s (socket.c's descriptors close through it): as
 * lwip_close(), except that a TCP connection whose SO_LINGER is {1, 0}
 * is reset first, whatever its queues hold.  lwIP 2.1.3 resets such a
 * connection only while data is unsent or unacknowledged and otherwise
 * closes it gracefully, so the peer could keep the PCB for as long as
 * it holds its end; POSIX says a zero linger resets.  Returns 0, or -1
 * with errno set (EBADF).
 */
int _uk_lwip_sock_close(int s)
{
	struct lwip_sock *sock;
	struct netconn *conn;
	struct tcp_pcb *pcb;

	LOCK_TCPIP_CORE();
	sock = lwip_socket_dbg_get_socket(s);
	conn = sock ? sock->conn : NULL;
	if (conn && NETCONNTYPE_GROUP(netconn_type(conn)) == NETCONN_TCP &&
	    conn->linger == 0) {
		pcb = conn->pcb.tcp;
		/* The netconn's error callback forgets the PCB, as when the
		 * peer resets it; lwip_close() then finds nothing to close. */
		if (pcb && pcb->state != CLOSED && pcb->state != LISTEN)
			tcp_abort(pcb);
	}
	UNLOCK_TCPIP_CORE();
	return lwip_close(s);
}
