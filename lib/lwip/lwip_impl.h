/*
 * Private declarations shared by lib/lwip's kvm glue files.
 */
#ifndef UK_LWIP_IMPL_H
#define UK_LWIP_IMPL_H

#include <stdint.h>

/* Publishes lwIP's statistics in ukstore; see stats.c. */
int uk_lwip_stats_init(void);

/* The TCP PCB pool as a new connection sees it (pcb.c). */
struct _uk_lwip_tcp_pool {
	unsigned int free;      /* PCBs not in use */
	unsigned int time_wait; /* in TIME-WAIT: tcp_alloc() takes them back */
	unsigned int orphans;   /* closed by their socket, waiting for the peer */
	uint64_t reclaimed;     /* orphans aborted to make room, ever */
};

/* Fills *out under the core lock (pcb.c). */
void _uk_lwip_tcp_pool_count(struct _uk_lwip_tcp_pool *out);

struct stats_mem;
/* The statistics of the mailbox ring pool (sys_arch.c). */
struct stats_mem *_uk_lwip_mbox_ring_stats(void);

/*
 * Closes lwIP socket s, resetting a TCP connection whose SO_LINGER is
 * {1, 0} whatever its queues hold (pcb.c).  Returns 0, or -1 with errno.
 */
int _uk_lwip_sock_close(int s);

#endif
