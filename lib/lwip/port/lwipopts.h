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
#define MEM_SIZE                        (512 * 1024)
#define MEMP_NUM_PBUF                   64
#define MEMP_NUM_RAW_PCB                4
#define MEMP_NUM_UDP_PCB                8
/* TCP connections: with ukprom's defaults the exporter alone may hold
 * 32 slots, 16 lingering closes and a backlog of 32, the demo's file
 * server up to 56 (queue, workers, backlog); TIME-WAIT PCBs come on top
 * but are recycled when the pool runs dry.  A PCB is about 220 bytes; a
 * netconn (one per socket, accepted or waiting in a backlog) about
 * 2.4 KiB with its mailboxes. */
#define MEMP_NUM_TCP_PCB                160
#define MEMP_NUM_TCP_PCB_LISTEN         8
#define MEMP_NUM_TCP_SEG                256
#define MEMP_NUM_REASSDATA              4
#define MEMP_NUM_ARP_QUEUE              16
#define MEMP_NUM_NETBUF                 32
#define MEMP_NUM_NETCONN                144
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

/* TCP: a 1500-byte MTU, and windows that let a scrape of a few hundred
 * KiB leave in a handful of round trips without window scaling. */
#define TCP_MSS                         1460
#define TCP_WND                         (32 * TCP_MSS)
#define TCP_SND_BUF                     (32 * TCP_MSS)
#define TCP_SND_QUEUELEN                ((4 * TCP_SND_BUF) / TCP_MSS)
#define TCP_SNDLOWAT                    (TCP_SND_BUF / 2)
#define TCP_QUEUE_OOSEQ                 1
#define TCP_LISTEN_BACKLOG              1
#define TCP_DEFAULT_LISTEN_BACKLOG      32
#define LWIP_TCP_KEEPALIVE              1
#define LWIP_WND_SCALE                  0
#define TCP_OVERSIZE                    TCP_MSS

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

/* ---- APIs ---- */
#define LWIP_NETCONN                    1
#define LWIP_SOCKET                     1
#define LWIP_COMPAT_SOCKETS             1
#define LWIP_POSIX_SOCKETS_IO_NAMES     1
/* Sockets are numbered from 3 so that 0..2 stay the console's. */
#define LWIP_SOCKET_OFFSET              3
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
