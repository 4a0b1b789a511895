/*
 * procfs' files, rendered from lib/node's read functions in Linux's
 * formats (proc(5), the kernel's Documentation/filesystems/proc.rst and
 * the kernel's own printf formats): column widths, tabs, units and
 * field orders as Linux prints them, so Linux parsers read them.
 *
 * What a unikernel lacks is an honest 0 (swap, page cache, nice time,
 * merges), as in lib/node.  Field sets are those a recent Linux prints,
 * cut where a field would be a made-up value (no per-IRQ counts: the
 * "intr" line has its total only).
 *
 * Nothing here allocates: every file is printed straight into the
 * caller's buffer.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <uk/node.h>
#include <uk/procfs.h>

struct out {
	char *buf;
	size_t size, len;
};

__attribute__((format(printf, 2, 3)))
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	char dummy;
	int n;

	va_start(ap, fmt);
	if (o->len < o->size)
		n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
	else
		n = vsnprintf(&dummy, 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

typedef unsigned long long ull;

/* ---- /proc/stat, loadavg, uptime, vmstat ------------------------------ */

static void cpu_line(struct out *o, const char *name,
		     const struct uk_node_cpu *c)
{
	unsigned int m;

	put(o, "%s", name);
	for (m = 0; m < UK_NODE_CPU_MODES; m++)
		put(o, " %llu", (ull)c->ticks[m]);
	put(o, " 0 0\n"); /* guest, guest_nice */
}

static void gen_stat(struct out *o)
{
	struct uk_node_cpu c;

	uk_node_cpu_read(&c);
	cpu_line(o, "cpu ", &c);
	cpu_line(o, "cpu0", &c);
	put(o, "intr %llu\n", (ull)c.intr);
	put(o, "ctxt %llu\n", (ull)c.ctxt);
	put(o, "btime %llu\n", (ull)uk_node_boot_time());
	put(o, "processes %llu\n", (ull)c.forks);
	put(o, "procs_running %u\n", c.running);
	put(o, "procs_blocked %u\n", c.blocked);
	put(o, "softirq 0 0 0 0 0 0 0 0 0 0 0\n");
}

static void gen_loadavg(struct out *o)
{
	struct uk_node_cpu c;
	unsigned int i, ip[3], fp[3];

	uk_node_cpu_read(&c);
	for (i = 0; i < 3; i++)
		uk_node_load_split(c.load[i], &ip[i], &fp[i]);
	put(o, "%u.%02u %u.%02u %u.%02u %u/%u %llu\n", ip[0], fp[0], ip[1],
	    fp[1], ip[2], fp[2], c.running, c.threads, (ull)c.forks);
}

static void gen_uptime(struct out *o)
{
	struct uk_node_cpu c;
	uint64_t up = uk_node_uptime_ns() / 10000000; /* hundredths */

	uk_node_cpu_read(&c);
	put(o, "%llu.%02llu %llu.%02llu\n", (ull)(up / 100), (ull)(up % 100),
	    (ull)(c.ticks[UK_NODE_CPU_IDLE] / 100),
	    (ull)(c.ticks[UK_NODE_CPU_IDLE] % 100));
}

static void gen_vmstat(struct out *o)
{
	put(o, "pgpgin 0\npgpgout 0\npswpin 0\npswpout 0\n");
	put(o, "pgfault %llu\npgmajfault 0\noom_kill 0\n",
	    (ull)uk_node_pgfault_count());
}

/* ---- /proc/meminfo ---------------------------------------------------- */

static void kb(struct out *o, const char *label, uint64_t bytes)
{
	/* Linux's show_val_kb(): the label padded to 16, 8 digits. */
	put(o, "%-16s%8llu kB\n", label, (ull)(bytes >> 10));
}

static void gen_meminfo(struct out *o)
{
	struct uk_node_mem m;

	uk_node_mem_read(&m);
	kb(o, "MemTotal:", m.total);
	kb(o, "MemFree:", m.free);
	kb(o, "MemAvailable:", m.available);
	kb(o, "Buffers:", 0);
	kb(o, "Cached:", 0);
	kb(o, "SwapCached:", 0);
	kb(o, "Active:", 0);
	kb(o, "Inactive:", 0);
	kb(o, "SwapTotal:", 0);
	kb(o, "SwapFree:", 0);
	kb(o, "Dirty:", 0);
	kb(o, "Writeback:", 0);
	kb(o, "Mapped:", 0);
	kb(o, "Shmem:", 0);
	kb(o, "Slab:", 0);
	kb(o, "SReclaimable:", 0);
	kb(o, "SUnreclaim:", 0);
	kb(o, "PageTables:", 0);
	kb(o, "Committed_AS:", m.committed);
	put(o, "HugePages_Total:   %5u\n", 0u);
	put(o, "HugePages_Free:    %5u\n", 0u);
	put(o, "HugePages_Rsvd:    %5u\n", 0u);
	put(o, "HugePages_Surp:    %5u\n", 0u);
}

/* ---- network ---------------------------------------------------------- */

static void gen_net_dev(struct out *o)
{
	struct uk_node_netdev d;
	unsigned int i;

	put(o, "Inter-|   Receive                            "
	       "                    |  Transmit\n");
	put(o, " face |bytes    packets errs drop fifo frame compressed "
	       "multicast|bytes    packets errs drop fifo colls carrier "
	       "compressed\n");
	for (i = 0; !uk_node_netdev_read(i, &d); i++)
		put(o, "%6s: %7llu %7llu %4llu %4llu %4u %5u %10u %9u "
		       "%8llu %7llu %4llu %4llu %4u %5u %7u %10u\n",
		    d.name, (ull)d.rx_bytes, (ull)d.rx_packets,
		    (ull)d.rx_errs, (ull)d.rx_drop, 0u, 0u, 0u, 0u,
		    (ull)d.tx_bytes, (ull)d.tx_packets, (ull)d.tx_errs,
		    (ull)d.tx_drop, 0u, 0u, 0u, 0u);
}

static void gen_snmp(struct out *o)
{
	struct uk_node_netstat s;

	uk_node_netstat_read(&s);
	put(o, "Ip: Forwarding DefaultTTL InReceives InHdrErrors "
	       "InAddrErrors ForwDatagrams InUnknownProtos InDiscards "
	       "InDelivers OutRequests OutDiscards OutNoRoutes ReasmTimeout "
	       "ReasmReqds ReasmOKs ReasmFails FragOKs FragFails "
	       "FragCreates\n");
	put(o, "Ip: %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu "
	       "%llu 0 0 0 0 0 0 0\n",
	    (ull)s.ip_forwarding, (ull)s.ip_default_ttl,
	    (ull)s.ip_in_receives, (ull)s.ip_in_hdr_errors,
	    (ull)s.ip_in_addr_errors, (ull)s.ip_forw_datagrams,
	    (ull)s.ip_in_unknown_protos, (ull)s.ip_in_discards,
	    (ull)s.ip_in_delivers, (ull)s.ip_out_requests,
	    (ull)s.ip_out_discards, (ull)s.ip_out_no_routes);
	put(o, "Icmp: InMsgs InErrors InCsumErrors OutMsgs OutErrors\n");
	put(o, "Icmp: %llu %llu 0 %llu 0\n", (ull)s.icmp_in_msgs,
	    (ull)s.icmp_in_errors, (ull)s.icmp_out_msgs);
	put(o, "Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens "
	       "PassiveOpens AttemptFails EstabResets CurrEstab InSegs "
	       "OutSegs RetransSegs InErrs OutRsts InCsumErrors\n");
	put(o, "Tcp: 1 200 120000 -1 %llu %llu %llu %llu %llu %llu %llu "
	       "%llu %llu %llu 0\n",
	    (ull)s.tcp_active_opens, (ull)s.tcp_passive_opens,
	    (ull)s.tcp_attempt_fails, (ull)s.tcp_estab_resets,
	    (ull)s.tcp_curr_estab, (ull)s.tcp_in_segs, (ull)s.tcp_out_segs,
	    (ull)s.tcp_retrans_segs, (ull)s.tcp_in_errs,
	    (ull)s.tcp_out_rsts);
	put(o, "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors "
	       "SndbufErrors InCsumErrors IgnoredMulti MemErrors\n");
	put(o, "Udp: %llu %llu %llu %llu 0 0 0 0 0\n",
	    (ull)s.udp_in_datagrams, (ull)s.udp_no_ports,
	    (ull)s.udp_in_errors, (ull)s.udp_out_datagrams);
	put(o, "UdpLite: InDatagrams NoPorts InErrors OutDatagrams "
	       "RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti "
	       "MemErrors\n");
	put(o, "UdpLite: 0 0 0 0 0 0 0 0 0\n");
}

static void gen_netstat(struct out *o)
{
	struct uk_node_netstat s;

	uk_node_netstat_read(&s);
	put(o, "TcpExt: SyncookiesSent SyncookiesRecv SyncookiesFailed "
	       "ListenOverflows ListenDrops TCPTimeouts TCPSynRetrans "
	       "TCPOFOQueue TCPRcvQDrop\n");
	put(o, "TcpExt: 0 0 0 0 0 0 0 0 0\n");
	put(o, "IpExt: InNoRoutes InTruncatedPkts InMcastPkts OutMcastPkts "
	       "InBcastPkts OutBcastPkts InOctets OutOctets\n");
	put(o, "IpExt: 0 0 0 0 0 0 %llu %llu\n", (ull)s.ipext_in_octets,
	    (ull)s.ipext_out_octets);
}

static void gen_sockstat(struct out *o)
{
	struct uk_node_netstat s;

	uk_node_netstat_read(&s);
	put(o, "sockets: used %llu\n", (ull)(s.tcp_inuse + s.udp_inuse));
	put(o, "TCP: inuse %llu orphan 0 tw %llu alloc %llu mem 0\n",
	    (ull)s.tcp_inuse, (ull)s.tcp_tw, (ull)(s.tcp_inuse + s.tcp_tw));
	put(o, "UDP: inuse %llu mem 0\n", (ull)s.udp_inuse);
	put(o, "UDPLITE: inuse 0\nRAW: inuse 0\nFRAG: inuse 0 memory 0\n");
}

/* ---- storage ---------------------------------------------------------- */

static void gen_diskstats(struct out *o)
{
	struct uk_node_disk d;
	unsigned int i;

	for (i = 0; !uk_node_disk_read(i, &d); i++)
		put(o, "%4u %7u %s %llu 0 %llu %llu %llu 0 %llu %llu %llu "
		       "%llu %llu\n",
		    d.major, d.minor, d.name, (ull)d.reads,
		    (ull)d.read_sectors, (ull)d.read_ms, (ull)d.writes,
		    (ull)d.write_sectors, (ull)d.write_ms, (ull)d.in_flight,
		    (ull)d.io_ms, (ull)d.io_weighted_ms);
}

static void gen_mounts(struct out *o)
{
	struct uk_node_fs f;
	unsigned int i;

	for (i = 0; !uk_node_fs_read(i, &f); i++)
		put(o, "%s %s %s %s 0 0\n", f.device, f.mountpoint, f.fstype,
		    f.readonly ? "ro" : "rw");
}

static void gen_mountinfo(struct out *o)
{
	struct uk_node_fs f;
	unsigned int i;

	/* mount ID, parent ID, major:minor, root, mountpoint, options,
	 * no optional fields, "-", type, source, super options. */
	for (i = 0; !uk_node_fs_read(i, &f); i++)
		put(o, "%u %u 0:%u / %s %s - %s %s %s\n", i + 1, i ? 1 : 0,
		    i + 1, f.mountpoint, f.readonly ? "ro" : "rw", f.fstype,
		    f.device, f.readonly ? "ro" : "rw");
}

static void gen_file_nr(struct out *o)
{
	struct uk_node_fds f;

	uk_node_fds_read(&f);
	put(o, "%llu\t0\t%llu\n", (ull)f.allocated, (ull)f.maximum);
}

/* ---- the process ------------------------------------------------------ */

static void gen_self_stat(struct out *o)
{
	struct uk_node_cpu c;
	struct uk_node_mem m;
	uint64_t stime;

	uk_node_cpu_read(&c);
	uk_node_mem_read(&m);
	stime = c.ticks[UK_NODE_CPU_SYSTEM] + c.ticks[UK_NODE_CPU_IRQ] +
		c.ticks[UK_NODE_CPU_SOFTIRQ];
	/* pid (comm) state ppid pgrp session tty_nr tpgid flags minflt
	 * cminflt majflt cmajflt utime stime cutime cstime priority nice
	 * num_threads itrealvalue starttime vsize rss rsslim, then 27
	 * fields Linux fills for a process we have no equivalent of. */
	put(o, "1 (ukmon) R 0 1 1 0 -1 0 %llu 0 0 0 %llu %llu 0 0 20 0 %u 0 "
	       "0 %llu %llu 18446744073709551615",
	    (ull)uk_node_pgfault_count(), (ull)c.ticks[UK_NODE_CPU_USER],
	    (ull)stime, c.threads, (ull)m.total, (ull)(m.in_use / 4096));
	put(o, " 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
}

static void gen_self_status(struct out *o)
{
	struct uk_node_cpu c;
	struct uk_node_mem m;
	struct uk_node_fds f;

	uk_node_cpu_read(&c);
	uk_node_mem_read(&m);
	uk_node_fds_read(&f);
	put(o, "Name:\tukmon\nUmask:\t0022\nState:\tR (running)\n"
	       "Tgid:\t1\nNgid:\t0\nPid:\t1\nPPid:\t0\nTracerPid:\t0\n"
	       "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t%llu\n"
	       "Groups:\t\n", (ull)f.maximum);
	put(o, "VmPeak:\t%8llu kB\nVmSize:\t%8llu kB\nVmLck:\t%8u kB\n"
	       "VmPin:\t%8u kB\nVmHWM:\t%8llu kB\nVmRSS:\t%8llu kB\n",
	    (ull)(m.total >> 10), (ull)(m.total >> 10), 0u, 0u,
	    (ull)(m.in_use >> 10), (ull)(m.in_use >> 10));
	put(o, "VmSwap:\t%8u kB\nThreads:\t%u\n", 0u, c.threads);
	put(o, "voluntary_ctxt_switches:\t%llu\n"
	       "nonvoluntary_ctxt_switches:\t0\n", (ull)c.ctxt);
}

static void limit(struct out *o, const char *name, const char *soft,
		  const char *hard, const char *unit)
{
	put(o, "%-25s %-20s %-20s ", name, soft, hard);
	if (unit)
		put(o, "%-10s\n", unit);
	else
		put(o, "\n");
}

static void gen_self_limits(struct out *o)
{
	struct uk_node_fds f;
	char n[24];

	uk_node_fds_read(&f);
	snprintf(n, sizeof(n), "%llu", (ull)f.maximum);
	put(o, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit",
	    "Hard Limit", "Units");
	limit(o, "Max cpu time", "unlimited", "unlimited", "seconds");
	limit(o, "Max file size", "unlimited", "unlimited", "bytes");
	limit(o, "Max data size", "unlimited", "unlimited", "bytes");
	limit(o, "Max stack size", "unlimited", "unlimited", "bytes");
	limit(o, "Max core file size", "0", "0", "bytes");
	limit(o, "Max resident set", "unlimited", "unlimited", "bytes");
	limit(o, "Max processes", "unlimited", "unlimited", "processes");
	limit(o, "Max open files", n, n, "files");
	limit(o, "Max locked memory", "unlimited", "unlimited", "bytes");
	limit(o, "Max address space", "unlimited", "unlimited", "bytes");
	limit(o, "Max file locks", "unlimited", "unlimited", "locks");
	limit(o, "Max pending signals", "0", "0", "signals");
	limit(o, "Max msgqueue size", "0", "0", "bytes");
	limit(o, "Max nice priority", "0", "0", NULL);
	limit(o, "Max realtime priority", "0", "0", NULL);
	limit(o, "Max realtime timeout", "unlimited", "unlimited", "us");
}

/* ---- identity --------------------------------------------------------- */

static void gen_version(struct out *o)
{
	struct uk_node_uname u;

	uk_node_uname(&u);
	put(o, "%s version %s (ukmon@build) %s\n", u.sysname, u.release,
	    u.version);
}

static void gen_cpuinfo(struct out *o)
{
	put(o, "processor\t: 0\nvendor_id\t: unknown\ncpu family\t: 0\n"
	       "model\t\t: 0\nmodel name\t: x86_64 (ukmon)\n"
	       "physical id\t: 0\nsiblings\t: 1\ncore id\t\t: 0\n"
	       "cpu cores\t: 1\napicid\t\t: 0\nfpu\t\t: yes\n"
	       "flags\t\t: fpu tsc\naddress sizes\t: 40 bits physical, "
	       "48 bits virtual\n\n");
}

/* ---- /sys/class/net --------------------------------------------------- */

static const char *const net_attrs[] = {
	"address", "carrier", "mtu", "operstate", "speed", "type", NULL
};

static int gen_net_attr(struct out *o, const struct uk_node_netdev *d,
			const char *attr)
{
	if (!strcmp(attr, "address"))
		put(o, "%02x:%02x:%02x:%02x:%02x:%02x\n", d->hwaddr[0],
		    d->hwaddr[1], d->hwaddr[2], d->hwaddr[3], d->hwaddr[4],
		    d->hwaddr[5]);
	else if (!strcmp(attr, "carrier"))
		put(o, "%d\n", d->up);
	else if (!strcmp(attr, "mtu"))
		put(o, "%u\n", d->mtu);
	else if (!strcmp(attr, "operstate"))
		put(o, "%s\n", d->up ? "up" : "down");
	else if (!strcmp(attr, "speed"))
		put(o, "-1\n"); /* virtio: unknown, as Linux's virtio_net */
	else if (!strcmp(attr, "type"))
		put(o, "1\n"); /* ARPHRD_ETHER */
	else
		return -ENOENT;
	return 0;
}

/* ---- the tree --------------------------------------------------------- */

struct ent {
	const char *path;
	void (*gen)(struct out *o); /* NULL: a directory */
};

#define SELF(dir) \
	{ dir, NULL }, \
	{ dir "/limits", gen_self_limits }, \
	{ dir "/mountinfo", gen_mountinfo }, \
	{ dir "/mounts", gen_mounts }, \
	{ dir "/stat", gen_self_stat }, \
	{ dir "/status", gen_self_status }

static const struct ent tree[] = {
	{ "/proc", NULL },
	SELF("/proc/1"),
	{ "/proc/cpuinfo", gen_cpuinfo },
	{ "/proc/diskstats", gen_diskstats },
	{ "/proc/loadavg", gen_loadavg },
	{ "/proc/meminfo", gen_meminfo },
	{ "/proc/mounts", gen_mounts },
	{ "/proc/net", NULL },
	{ "/proc/net/dev", gen_net_dev },
	{ "/proc/net/netstat", gen_netstat },
	{ "/proc/net/snmp", gen_snmp },
	{ "/proc/net/sockstat", gen_sockstat },
	SELF("/proc/self"),
	{ "/proc/stat", gen_stat },
	{ "/proc/sys", NULL },
	{ "/proc/sys/fs", NULL },
	{ "/proc/sys/fs/file-nr", gen_file_nr },
	{ "/proc/uptime", gen_uptime },
	{ "/proc/version", gen_version },
	{ "/proc/vmstat", gen_vmstat },
	{ "/sys", NULL },
	{ "/sys/class", NULL },
	{ "/sys/class/net", NULL },
};

#define NTREE (sizeof(tree) / sizeof(tree[0]))
#define NET_DIR "/sys/class/net"

static const struct ent *find(const char *path)
{
	unsigned int i;

	for (i = 0; i < NTREE; i++)
		if (!strcmp(tree[i].path, path))
			return &tree[i];
	return NULL;
}

/*
 * A path under /sys/class/net: *d the device, *attr its attribute (NULL
 * for the device's directory).  Returns 0 or -ENOENT.
 */
static int net_path(const char *path, struct uk_node_netdev *d,
		    const char **attr)
{
	const char *p = path + sizeof(NET_DIR) - 1, *slash;
	size_t len;
	unsigned int i;

	if (strncmp(path, NET_DIR "/", sizeof(NET_DIR)))
		return -ENOENT;
	p++;
	slash = strchr(p, '/');
	len = slash ? (size_t)(slash - p) : strlen(p);
	for (i = 0; !uk_node_netdev_read(i, d); i++) {
		if (strlen(d->name) != len || memcmp(d->name, p, len))
			continue;
		*attr = slash ? slash + 1 : NULL;
		if (!*attr)
			return 0;
		for (i = 0; net_attrs[i]; i++)
			if (!strcmp(net_attrs[i], *attr))
				return 0;
		return -ENOENT;
	}
	return -ENOENT;
}

enum uk_procfs_kind uk_procfs_kind(const char *path)
{
	const struct ent *e = find(path);
	struct uk_node_netdev d;
	const char *attr;

	if (e)
		return e->gen ? UK_PROCFS_FILE : UK_PROCFS_DIR;
	if (!net_path(path, &d, &attr))
		return attr ? UK_PROCFS_FILE : UK_PROCFS_DIR;
	return UK_PROCFS_NONE;
}

static int copy_name(char *name, size_t size, const char *s)
{
	size_t l = strlen(s);

	if (l >= size)
		return -ENAMETOOLONG;
	memcpy(name, s, l + 1);
	return 1;
}

int uk_procfs_entry(const char *dir, unsigned int i, char *name,
		    size_t size)
{
	struct uk_node_netdev d;
	const char *attr;
	size_t dl = strlen(dir);
	unsigned int k;

	if (uk_procfs_kind(dir) != UK_PROCFS_DIR)
		return -ENOTDIR;
	if (!strcmp(dir, NET_DIR))
		return uk_node_netdev_read(i, &d) ? 0 :
			copy_name(name, size, d.name);
	if (!net_path(dir, &d, &attr))
		return net_attrs[i] ? copy_name(name, size, net_attrs[i]) : 0;
	/* Static children: entries right below dir, in table order. */
	for (k = 0; k < NTREE; k++) {
		const char *p = tree[k].path;

		if (strncmp(p, dir, dl) || p[dl] != '/' ||
		    strchr(p + dl + 1, '/'))
			continue;
		if (i-- == 0)
			return copy_name(name, size, p + dl + 1);
	}
	return 0;
}

int uk_procfs_render(const char *path, char *buf, size_t size, size_t *len)
{
	const struct ent *e = find(path);
	struct out o = { buf, size, 0 };
	struct uk_node_netdev d;
	const char *attr;

	*len = 0;
	if (e && !e->gen)
		return -EISDIR;
	if (e) {
		e->gen(&o);
	} else {
		if (net_path(path, &d, &attr))
			return -ENOENT;
		if (!attr)
			return -EISDIR;
		gen_net_attr(&o, &d, attr);
	}
	*len = o.len;
	return o.len > size ? -ENOSPC : 0;
}
