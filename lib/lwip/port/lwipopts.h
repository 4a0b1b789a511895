/*
 * lwIP's configuration for the ukmon kernel: a small VM (16..64 MiB) that
 * mostly serves HTTP scrapes over TCP on one virtio-net interface.
 * Threads and locks come from uksched/uklock (NO_SYS=0, sys_arch.c); the
 * core is guarded by one mutex so that socket calls run in the caller's
 * thread instead of a round trip through the tcpip thread's mailbox, and
 * received frames are processed by the device's receive thread under the
 * same lock (CORE_LOCKING_INPUT).  Memory: lwIP's own heap and pools,
 * statically sized in .bss.  That bounds what the network may take from a
 * small VM (a flood can exhaust lwIP's pools but never the kernel heap the
 * exporter needs), keeps lwIP's mem/memp statistics exact, and avoids a
 * dependency on the kernel allocator's behaviour under fragmentation.
 */
#ifndef UK_LWIPOPTS_H
#define UK_LWIPOPTS_H

/* ---- operating system integration ---- */
#define NO_SYS                          0
#define SYS_LIGHTWEIGHT_PROT            1 /* sys_arch_protect: irq save */
#define LWIP_TCPIP_CORE_LOCKING         1
#define LWIP_TCPIP_CORE_LOCKING_INPUT   1
#define LWIP_NETCONN_SEM_PER_THREAD     0
#define LWIP_ALLOW_MEM_FREE_FROM_OTHER_CONTEXT 0
#define TCPIP_THREAD_NAME               "lwip-tcpip"
#define TCPIP_THREAD_STACKSIZE          (32 * 1024)
#define TCPIP_THREAD_PRIO               1
#define TCPIP_MBOX_SIZE                 128
#define DEFAULT_THREAD_STACKSIZE        (32 * 1024)
#define DEFAULT_THREAD_PRIO             1
#define DEFAULT_RAW_RECVMBOX_SIZE       16
#define DEFAULT_UDP_RECVMBOX_SIZE       32
#define DEFAULT_TCP_RECVMBOX_SIZE       64
#define DEFAULT_ACCEPTMBOX_SIZE         32
#define LWIP_TIMERS                     1
/* Every raw-API entry point checks that someone holds the core lock, so
 * code that forgets LOCK_TCPIP_CORE() crashes at once (sys_arch.c). */
void uk_lwip_assert_core_locked(void);
#define LWIP_ASSERT_CORE_LOCKED()       uk_lwip_assert_core_locked()

/* ---- memory ---- */
#define MEM_LIBC_MALLOC                 0
#define MEMP_MEM_MALLOC                 0
#define MEM_ALIGNMENT                   8
#define MEM_SIZE                        (640 * 1024)
#define MEMP_NUM_PBUF                   64
#define MEMP_NUM_RAW_PCB                4
#define MEMP_NUM_UDP_PCB                8
/* TCP connections: the budget of lib/lwip/README.md.  Each server bounds
 * what it holds (accepted connections plus its listen backlog); TIME-WAIT,
 * LAST-ACK and CLOSING PCBs are taken back by tcp_alloc() when the pool is
 * empty, and orphans in FIN-WAIT by pcb.c, so they need no room. */
#define UK_LWIP_TCP_EXPORTER            80 /* ukprom: 32 slots, backlog 32,
					      16 closes draining */
#define UK_LWIP_TCP_WORKLOAD            40 /* demo: 8 workers, 16 queued,
					      backlog 16 */
#define UK_LWIP_TCP_SPARE               24 /* clients in the kernel, margin */
#define MEMP_NUM_TCP_PCB                (UK_LWIP_TCP_EXPORTER + \
					 UK_LWIP_TCP_WORKLOAD + \
					 UK_LWIP_TCP_SPARE)
#define MEMP_NUM_TCP_PCB_LISTEN         8
/* Every connection that holds data to send may fill its queue (a client
 * that stops reading): room for the budgeted senders (the exporter's
 * slots, the workload's workers, a margin) at TCP_SND_QUEUELEN each, so
 * that stuck readers cannot take the segments every other connection
 * needs even to answer a SYN or send an ACK. */
#define UK_LWIP_TCP_SENDERS             40 /* 32 exporter slots, 8 workers */
#define MEMP_NUM_TCP_SEG                (UK_LWIP_TCP_SENDERS * \
					 TCP_SND_QUEUELEN + 64)
#define MEMP_NUM_REASSDATA              4
#define MEMP_NUM_ARP_QUEUE              16
#define MEMP_NUM_NETBUF                 32
/* A socket (a netconn: NUM_SOCKETS follows) per connection the servers
 * hold or have queued for accept(), plus listeners, UDP sockets and the
 * kernel's own clients; not one per PCB: orphans, TIME-WAIT and half-open
 * connections have none. */
#define MEMP_NUM_NETCONN                (UK_LWIP_TCP_EXPORTER + \
					 UK_LWIP_TCP_WORKLOAD + 8)
#define MEMP_NUM_TCPIP_MSG_API          32
#define MEMP_NUM_TCPIP_MSG_INPKT        128
#define PBUF_POOL_SIZE                  256
#define PBUF_POOL_BUFSIZE               1536
#define PBUF_LINK_HLEN                  14
#define ETH_PAD_SIZE                    0

/* ---- protocols ---- */
#define LWIP_ARP                        1
#define ARP_TABLE_SIZE                  16
#define ARP_QUEUEING                    1
#define ETHARP_SUPPORT_STATIC_ENTRIES   0
#define LWIP_ETHERNET                   1
#define LWIP_IPV4                       1
#define LWIP_IPV6                       0
#define IP_FORWARD                      0
#define IP_REASSEMBLY                   1
#define IP_FRAG                         1
#define LWIP_ICMP                       1
#define LWIP_RAW                        0
#define LWIP_IGMP                       0
#define LWIP_DHCP                       1
#define DHCP_DOES_ARP_CHECK             0
#define LWIP_AUTOIP                     0
#define LWIP_DNS                        1
#define DNS_MAX_SERVERS                 2
#define LWIP_UDP                        1
#define LWIP_TCP                        1
#define LWIP_NETIF_HOSTNAME             1
#define LWIP_NETIF_STATUS_CALLBACK      1
#define LWIP_NETIF_LINK_CALLBACK        1
#define LWIP_NETIF_API                  0
#define LWIP_SINGLE_NETIF               0
/* 127.0.0.1 and local delivery to our own addresses: in-kernel clients
 * (tests, the shell) reach in-kernel servers without a device. */
#define LWIP_HAVE_LOOPIF                1
#define LWIP_NETIF_LOOPBACK             1
#define LWIP_LOOPBACK_MAX_PBUFS         64

/* TCP: a 1500-byte MTU, and a receive window that lets a large upload
 * arrive in a handful of round trips without window scaling. */
#define TCP_MSS                         1460
#define TCP_WND                         (32 * TCP_MSS)
/* The send buffer is what a client that stops reading pins in lwIP's
 * heap: UK_LWIP_TCP_SENDERS of them (more than 450 KiB) must leave room
 * in MEM_SIZE for everyone else's headers, ACKs and SYN-ACKs.  Queued
 * data is mostly full segments (TCP_OVERSIZE), so twice the segments a
 * full buffer needs bounds the queue. */
#define TCP_SND_BUF                     (8 * TCP_MSS)
#define TCP_SND_QUEUELEN                ((2 * TCP_SND_BUF) / TCP_MSS)
#define TCP_SNDLOWAT                    (TCP_SND_BUF / 2)
#define TCP_QUEUE_OOSEQ                 1
/* listen()'s backlog bounds a listener's connections that are half open
 * or not yet accepted; above it SYNs are dropped (the client retries).
 * It must not exceed the accept mailbox (DEFAULT_ACCEPTMBOX_SIZE), where
 * an established connection waits for accept(). */
#define TCP_LISTEN_BACKLOG              1
#define TCP_DEFAULT_LISTEN_BACKLOG      16
#define LWIP_TCP_KEEPALIVE              1
#define LWIP_WND_SCALE                  0
#define TCP_OVERSIZE                    TCP_MSS

/* Segments to a listener go through pcb.c first: a SYN that finds the
 * PCB pool empty reclaims an orphaned connection (see there). */
struct tcp_pcb;
struct tcp_hdr;
int _uk_lwip_tcp_listen_hook(struct tcp_pcb *pcb, const struct tcp_hdr *hdr);
#define LWIP_HOOK_TCP_INPACKET_PCB(pcb, hdr, optlen, opt1len, opt2, p) \
	((pcb)->state == LISTEN ? _uk_lwip_tcp_listen_hook((pcb), (hdr)) : 0)

/* DHCP options lwIP itself skips go through net.c: the server's host
 * name (option 12) becomes the instance's (uk_mon_hostname_offer()). */
struct pbuf;
void _uk_lwip_dhcp_option(unsigned char msg_type, unsigned char option,
			  unsigned char len, struct pbuf *p,
			  unsigned short offset);
#define LWIP_HOOK_DHCP_PARSE_OPTION(netif, dhcp, state, msg, msg_type, \
				    option, len, pbuf, offset) \
	do { \
		LWIP_UNUSED_ARG(msg); \
		_uk_lwip_dhcp_option((msg_type), (option), (len), (pbuf), \
				     (offset)); \
	} while (0)

/* ---- checksums ---- */
/* Generated and checked in software by default; a device that verifies
 * received checksums (UK_NETDEV_F_RX_CSUM_VERIFIED) turns checking off for
 * its own netif (see netif.c).  virtio's transmit offload needs partial
 * checksums lwIP cannot produce, so transmit always computes them. */
#define LWIP_CHECKSUM_CTRL_PER_NETIF    1
#define CHECKSUM_GEN_IP                 1
#define CHECKSUM_GEN_UDP                1
#define CHECKSUM_GEN_TCP                1
#define CHECKSUM_GEN_ICMP               1
#define CHECKSUM_CHECK_IP               1
#define CHECKSUM_CHECK_UDP              1
#define CHECKSUM_CHECK_TCP              1
#define CHECKSUM_CHECK_ICMP             1
#define LWIP_CHECKSUM_ON_COPY           1
/* lwIP's 32-bit summing loop (its default, 2, adds 16 bits at a time):
 * under TCG, the instructions of a scrape's checksums (its whole body)
 * are a tenth of the scrape's; this halves them. */
#define LWIP_CHKSUM_ALGORITHM           3

/* ---- APIs ---- */
#define LWIP_NETCONN                    1
#define LWIP_SOCKET                     1
/* No macros for socket(), read()...: sockets are lib/vfs descriptors
 * (socket.c) and lwIP's own numbers stay internal to it. */
#define LWIP_COMPAT_SOCKETS             0
#define LWIP_POSIX_SOCKETS_IO_NAMES     0
#define LWIP_SOCKET_OFFSET              0
#define LWIP_SOCKET_SELECT              1
#define LWIP_SOCKET_POLL                1
#define LWIP_SO_RCVTIMEO                1
#define LWIP_SO_SNDTIMEO                1
#define LWIP_SO_RCVBUF                  1
#define LWIP_SO_LINGER                  1
#define SO_REUSE                        1
/* A close() or shutdown() that finds no memory for its FIN does not wait
 * for some (lwIP would block the caller, even on a non-blocking socket,
 * up to this long): a close resets at once, a shutdown fails.  A server
 * thread (the exporter) must never stall while an attack or a burst holds
 * lwIP's segments. */
#define LWIP_TCP_CLOSE_TIMEOUT_MS_DEFAULT 0
#define LWIP_TIMEVAL_PRIVATE            0

/* errno: nolibc's errno.h, with Linux's numbers. */
#define LWIP_ERRNO_STDINCLUDE           1

/* ---- statistics (exported through ukstore by stats.c) ---- */
#define LWIP_STATS                      1
#define LWIP_STATS_LARGE                1
#define LWIP_STATS_DISPLAY              0
#define LINK_STATS                      1
#define ETHARP_STATS                    1
#define IP_STATS                        1
#define IPFRAG_STATS                    0
#define ICMP_STATS                      1
#define UDP_STATS                       1
#define TCP_STATS                       1
#define MEM_STATS                       1
#define MEMP_STATS                      1
#define SYS_STATS                       0
/* Just counters (no SNMP agent): connection opens, resets, retransmitted
 * segments... exported as static entries of library lwip. */
#define MIB2_STATS                      1

/* ---- debugging: LWIP_DEBUG stays undefined (it is tested with #ifdef) ---- */

#endif /* UK_LWIPOPTS_H */
