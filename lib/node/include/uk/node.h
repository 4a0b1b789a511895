/*
 * node: the Linux view of a ukmon instance.  It reads the producers
 * (the allocator, the scheduler, network and block devices, lwIP, the
 * VFS) through their public headers when asked and hands out their
 * figures in the units and roundings of Linux's /proc, so that two
 * views of one counter always agree:
 *
 *   - store libraries "node" and "process" (and ukmon_build_info) carry
 *     node_exporter's and the client libraries' process collector's
 *     exact names (node_cpu_seconds_total{cpu,mode}, node_memory_
 *     MemTotal_bytes, node_netstat_Tcp_InSegs...), their getters
 *     calling the functions below at scrape time;
 *   - lib/procfs writes /proc/stat, /proc/meminfo... from the same
 *     functions.
 *
 * No counter is copied: every function reads the producer's own
 * counters.  Values are those Linux's files carry once parsed: CPU time
 * in whole ticks of 1/100 s, memory in whole KiB, disk times in whole
 * milliseconds, load averages with two decimals, boot time in whole
 * seconds.  Concepts a unikernel lacks (swap, page cache, nice, steal)
 * read 0.
 *
 * The library is split by producer so that an image links only what
 * it has: node (memory, time, uname, build), node_cpu (uksched),
 * node_net (uknetdev), node_lwip (lwIP's TCP/UDP/IP statistics, kvm),
 * node_fs (mounts and descriptors, vfs), node_disk (ukblkdev).  Without
 * a part, its read functions return -ENODEV with *out zeroed (weak
 * defaults in node.c) and its series are absent.
 *
 * Folders (one per CPU, network device, mount and disk) are created by
 * uk_node_sync(), which allocates; reads and scrapes never allocate.
 *
 * Errors: 0 or a negative errno.
 */
#ifndef UK_NODE_H
#define UK_NODE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Linux's USER_HZ: /proc/stat counts CPU time in these ticks. */
#define UK_NODE_USER_HZ 100
/** Fixed-point shift of load averages (Linux's FSHIFT). */
#define UK_NODE_LOAD_SHIFT 11

/** CPU modes in /proc/stat's order. */
enum uk_node_cpu_mode {
	UK_NODE_CPU_USER = 0,
	UK_NODE_CPU_NICE,
	UK_NODE_CPU_SYSTEM,
	UK_NODE_CPU_IDLE,
	UK_NODE_CPU_IOWAIT,
	UK_NODE_CPU_IRQ,
	UK_NODE_CPU_SOFTIRQ,
	UK_NODE_CPU_STEAL,
	UK_NODE_CPU_MODES
};

/** The mode's name as node_exporter labels it ("user", ...). */
const char *uk_node_cpu_mode_name(enum uk_node_cpu_mode m);

/** What /proc/stat and /proc/loadavg say. */
struct uk_node_cpu {
	uint64_t ticks[UK_NODE_CPU_MODES]; /**< 1/UK_NODE_USER_HZ s each */
	uint64_t ctxt;      /**< context switches */
	uint64_t intr;      /**< interrupts handled */
	uint64_t forks;     /**< threads created */
	uint32_t running;   /**< runnable threads (idle excluded) */
	uint32_t blocked;   /**< threads blocked on I/O */
	uint32_t threads;   /**< threads alive */
	uint32_t load[3];   /**< 1, 5, 15 min, UK_NODE_LOAD_SHIFT fixed point */
};

/**
 * Fills *out.  Returns 0, or -ENODEV without node_cpu (all zero but
 * running, 1: the caller).
 */
int uk_node_cpu_read(struct uk_node_cpu *out);

/**
 * A load average as /proc/loadavg prints it: *ip integer part, *fp
 * hundredths (Linux's LOAD_INT/LOAD_FRAC after rounding).
 */
void uk_node_load_split(uint32_t load, unsigned int *ip, unsigned int *fp);

/** A load average as its two-decimal text parses (node_load1). */
double uk_node_load_value(uint32_t load);

/** Interrupts handled (the platform's count; 0 where it has none). */
uint64_t uk_node_intr_count(void);

/** Memory, in bytes, each a whole number of KiB as /proc/meminfo says. */
struct uk_node_mem {
	uint64_t total;     /**< the heap (the default allocator's pages) */
	uint64_t free;      /**< its free pages */
	uint64_t available; /**< = free: nothing to reclaim */
	uint64_t committed; /**< bytes allocated (Committed_AS) */
	uint64_t in_use;    /**< total - free */
};

/** Fills *out from the default allocator.  Returns 0. */
int uk_node_mem_read(struct uk_node_mem *out);

/** Page faults handled (/proc/vmstat pgfault); 0: none are taken. */
uint64_t uk_node_pgfault_count(void);

/** Clocks, injectable for tests. */
struct uk_node_clock {
	uint64_t (*wall_ns)(void); /**< ns since the Unix epoch */
	uint64_t (*mono_ns)(void); /**< ns since an origin before boot */
};

/**
 * Makes c the clocks (NULL: the platform's) and forgets the boot time,
 * so the next read takes it again.  For tests.
 */
void uk_node_clock_set(const struct uk_node_clock *c);

/** Wall time now, in ns since the epoch. */
uint64_t uk_node_wall_ns(void);
/** Boot time in whole seconds since the epoch (constant once read). */
uint64_t uk_node_boot_time(void);
/** Time since boot, in ns: the monotonic clock. */
uint64_t uk_node_uptime_ns(void);

/** uname(2)'s fields and the build's version. */
struct uk_node_uname {
	const char *sysname;    /**< "ukmon" */
	const char *nodename;   /**< uk_mon_hostname() */
	const char *release;    /**< the build's version (git describe) */
	const char *version;    /**< "#1 <revision>" */
	const char *machine;    /**< "x86_64" */
	const char *domainname; /**< "(none)" */
};

/** Fills *out (strings that live as long as the instance). */
void uk_node_uname(struct uk_node_uname *out);
/** The build's version (git describe) and revision, or "unknown". */
const char *uk_node_build_version(void);
const char *uk_node_build_revision(void);

/** One network device, as /proc/net/dev and /sys/class/net show it. */
struct uk_node_netdev {
	char name[16];
	uint8_t hwaddr[6];
	uint32_t mtu;
	int up;             /**< link up */
	uint64_t rx_bytes, rx_packets, rx_errs, rx_drop;
	uint64_t tx_bytes, tx_packets, tx_errs, tx_drop;
};

/**
 * Fills *out for the i-th network device.  Returns 0, -ENOENT past the
 * last one, or -ENODEV without node_net.
 */
int uk_node_netdev_read(unsigned int i, struct uk_node_netdev *out);

/** The protocol counters of /proc/net/snmp, netstat and sockstat. */
struct uk_node_netstat {
	uint64_t ip_forwarding;     /**< 2: not forwarding (RFC 1213) */
	uint64_t ip_default_ttl;
	uint64_t ip_in_receives, ip_in_hdr_errors, ip_in_addr_errors;
	uint64_t ip_forw_datagrams, ip_in_unknown_protos, ip_in_discards;
	uint64_t ip_in_delivers, ip_out_requests, ip_out_discards;
	uint64_t ip_out_no_routes;
	uint64_t icmp_in_msgs, icmp_in_errors, icmp_out_msgs;
	uint64_t tcp_active_opens, tcp_passive_opens, tcp_attempt_fails;
	uint64_t tcp_estab_resets, tcp_curr_estab, tcp_in_segs;
	uint64_t tcp_out_segs, tcp_retrans_segs, tcp_in_errs, tcp_out_rsts;
	uint64_t udp_in_datagrams, udp_no_ports, udp_in_errors;
	uint64_t udp_out_datagrams;
	uint64_t ipext_in_octets, ipext_out_octets; /**< link-layer bytes */
	/* sockstat */
	uint64_t tcp_inuse, tcp_tw, udp_inuse;
};

/**
 * Fills *out from lwIP.  Returns 0, or -ENODEV without node_lwip (all
 * zero but ip_forwarding, 2).
 */
int uk_node_netstat_read(struct uk_node_netstat *out);

/** One mount, with its statvfs figures in bytes. */
struct uk_node_fs {
	char mountpoint[256];
	char device[64];    /**< never "rootfs" */
	char fstype[32];
	int readonly;
	int error;          /**< statvfs failed: the figures are 0 */
	uint64_t size, free, avail, files, files_free;
};

/**
 * Fills *out for the i-th mount (0: the root).  Returns 0, -ENOENT past
 * the last one, or -ENODEV without node_fs.
 */
int uk_node_fs_read(unsigned int i, struct uk_node_fs *out);

/** Open descriptors and their limit (/proc/sys/fs/file-nr). */
struct uk_node_fds {
	uint64_t allocated, maximum;
};

/** Fills *out.  Returns 0, or -ENODEV without node_fs (zeros). */
int uk_node_fds_read(struct uk_node_fds *out);

/** One block device as /proc/diskstats shows it (times in ms). */
struct uk_node_disk {
	char name[16];
	unsigned int major, minor;
	uint64_t reads, read_sectors, read_ms;
	uint64_t writes, write_sectors, write_ms;
	uint64_t in_flight, io_ms, io_weighted_ms;
};

/** Sectors of /proc/diskstats are 512 bytes whatever the device's. */
#define UK_NODE_DISK_SECTOR 512

/**
 * Fills *out for the i-th block device.  Returns 0, -ENOENT past the
 * last one, or -ENODEV without node_disk.
 */
int uk_node_disk_read(unsigned int i, struct uk_node_disk *out);

/**
 * Creates the folders of what exists now (the CPU, each network device,
 * mount and disk) and removes those of what has gone.  Call it once the
 * devices are registered and the file systems mounted, and again after
 * mounting or unmounting.  Returns 0, or the first error (-ENOMEM...):
 * what failed is left out and retried by the next call.
 */
int uk_node_sync(void);

#ifdef __cplusplus
}
#endif

#endif /* UK_NODE_H */
