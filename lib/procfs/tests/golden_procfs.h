/*
 * The text of each file of procfs over lib/node/tests/fixture.c, the
 * fields the scheduler and allocations move masked as "X"
 * (test_procfs.c).
 */
struct golden {
	const char *path, *text;
};

static const struct golden golden_procfs[] = {
	{ "/proc/stat",
		"cpu  X 0 X X 0 0 0 0 0 0\n"
		"cpu0 X 0 X X 0 0 0 0 0 0\n"
		"intr 0\n"
		"ctxt X\n"
		"btime 1699999899\n"
		"processes X\n"
		"procs_running X\n"
		"procs_blocked 0\n"
		"softirq 0 0 0 0 0 0 0 0 0 0 0\n"
	},
	{ "/proc/meminfo",
		"MemTotal:           4048 kB\n"
		"MemFree:               X kB\n"
		"MemAvailable:          X kB\n"
		"Buffers:               0 kB\n"
		"Cached:                0 kB\n"
		"SwapCached:            0 kB\n"
		"Active:                0 kB\n"
		"Inactive:              0 kB\n"
		"SwapTotal:             0 kB\n"
		"SwapFree:              0 kB\n"
		"Dirty:                 0 kB\n"
		"Writeback:             0 kB\n"
		"Mapped:                0 kB\n"
		"Shmem:                 0 kB\n"
		"Slab:                  0 kB\n"
		"SReclaimable:          0 kB\n"
		"SUnreclaim:            0 kB\n"
		"PageTables:            0 kB\n"
		"Committed_AS:          X kB\n"
		"HugePages_Total:       0\n"
		"HugePages_Free:        0\n"
		"HugePages_Rsvd:        0\n"
		"HugePages_Surp:        0\n"
	},
	{ "/proc/loadavg",
		"0.00 0.00 0.00 X X\n"
	},
	{ "/proc/vmstat",
		"pgpgin 0\n"
		"pgpgout 0\n"
		"pswpin 0\n"
		"pswpout 0\n"
		"pgfault 0\n"
		"pgmajfault 0\n"
		"oom_kill 0\n"
	},
	{ "/proc/uptime",
		"100.50 X\n"
	},
	{ "/proc/version",
		"ukmon version X (ukmon@build) #1 X\n"
	},
	{ "/proc/cpuinfo",
		"processor\t: 0\n"
		"vendor_id\t: unknown\n"
		"cpu family\t: 0\n"
		"model\t\t: 0\n"
		"model name\t: x86_64 (ukmon)\n"
		"physical id\t: 0\n"
		"siblings\t: 1\n"
		"core id\t\t: 0\n"
		"cpu cores\t: 1\n"
		"apicid\t\t: 0\n"
		"fpu\t\t: yes\n"
		"flags\t\t: fpu tsc\n"
		"address sizes\t: 40 bits physical, 48 bits virtual\n"
		"\n"
	},
	{ "/proc/mounts",
		"ramfs / ramfs rw 0 0\n"
		"data0 /data ramfs rw 0 0\n"
	},
	{ "/proc/diskstats",
		" 253       0 vda 2 0 16 0 1 0 1 0 0 0 0\n"
	},
	{ "/proc/net/dev",
		"Inter-|   Receive                                                |  Transmit\n"
		" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
		"  eth0:       0       0    0    1    0     0          0         0      300       3    0    0    0     0       0          0\n"
	},
	{ "/proc/net/snmp",
		"Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors ForwDatagrams InUnknownProtos InDiscards InDelivers OutRequests OutDiscards OutNoRoutes ReasmTimeout ReasmReqds ReasmOKs ReasmFails FragOKs FragFails FragCreates\n"
		"Ip: 2 64 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
		"Icmp: InMsgs InErrors InCsumErrors OutMsgs OutErrors\n"
		"Icmp: 0 0 0 0 0\n"
		"Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors\n"
		"Tcp: 1 200 120000 -1 0 0 0 0 0 0 0 0 0 0 0\n"
		"Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors\n"
		"Udp: 0 0 0 0 0 0 0 0 0\n"
		"UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors\n"
		"UdpLite: 0 0 0 0 0 0 0 0 0\n"
	},
	{ "/proc/net/netstat",
		"TcpExt: SyncookiesSent SyncookiesRecv SyncookiesFailed ListenOverflows ListenDrops TCPTimeouts TCPSynRetrans TCPOFOQueue TCPRcvQDrop\n"
		"TcpExt: 0 0 0 0 0 0 0 0 0\n"
		"IpExt: InNoRoutes InTruncatedPkts InMcastPkts OutMcastPkts InBcastPkts OutBcastPkts InOctets OutOctets\n"
		"IpExt: 0 0 0 0 0 0 0 0\n"
	},
	{ "/proc/net/sockstat",
		"sockets: used 0\n"
		"TCP: inuse 0 orphan 0 tw 0 alloc 0 mem 0\n"
		"UDP: inuse 0 mem 0\n"
		"UDPLITE: inuse 0\n"
		"RAW: inuse 0\n"
		"FRAG: inuse 0 memory 0\n"
	},
	{ "/proc/sys/fs/file-nr",
		"3\t0\t256\n"
	},
	{ "/proc/self/stat",
		"1 (ukmon) R 0 1 1 0 -1 0 X 0 0 0 X X 0 0 20 0 X 0 0 4145152 X 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
	},
	{ "/proc/self/status",
		"Name:\tukmon\n"
		"Umask:\t0022\n"
		"State:\tR (running)\n"
		"Tgid:\t1\n"
		"Ngid:\t0\n"
		"Pid:\t1\n"
		"PPid:\t0\n"
		"TracerPid:\t0\n"
		"Uid:\t0\t0\t0\t0\n"
		"Gid:\t0\t0\t0\t0\n"
		"FDSize:\t256\n"
		"Groups:\t\n"
		"VmPeak:\t    4048 kB\n"
		"VmSize:\t    4048 kB\n"
		"VmLck:\t       0 kB\n"
		"VmPin:\t       0 kB\n"
		"VmHWM:\t       X kB\n"
		"VmRSS:\t       X kB\n"
		"VmSwap:\t       0 kB\n"
		"Threads:\tX\n"
		"voluntary_ctxt_switches:\tX\n"
		"nonvoluntary_ctxt_switches:\t0\n"
	},
	{ "/proc/self/limits",
		"Limit                     Soft Limit           Hard Limit           Units     \n"
		"Max cpu time              unlimited            unlimited            seconds   \n"
		"Max file size             unlimited            unlimited            bytes     \n"
		"Max data size             unlimited            unlimited            bytes     \n"
		"Max stack size            unlimited            unlimited            bytes     \n"
		"Max core file size        0                    0                    bytes     \n"
		"Max resident set          unlimited            unlimited            bytes     \n"
		"Max processes             unlimited            unlimited            processes \n"
		"Max open files            256                  256                  files     \n"
		"Max locked memory         unlimited            unlimited            bytes     \n"
		"Max address space         unlimited            unlimited            bytes     \n"
		"Max file locks            unlimited            unlimited            locks     \n"
		"Max pending signals       0                    0                    signals   \n"
		"Max msgqueue size         0                    0                    bytes     \n"
		"Max nice priority         0                    0                    \n"
		"Max realtime priority     0                    0                    \n"
		"Max realtime timeout      unlimited            unlimited            us        \n"
	},
	{ "/proc/self/mountinfo",
		"1 0 0:1 / / rw - ramfs ramfs rw\n"
		"2 1 0:2 / /data rw - ramfs data0 rw\n"
	},
	{ "/proc/1/mountinfo",
		"1 0 0:1 / / rw - ramfs ramfs rw\n"
		"2 1 0:2 / /data rw - ramfs data0 rw\n"
	},
	{ "/sys/class/net/eth0/operstate",
		"up\n"
	},
	{ "/sys/class/net/eth0/mtu",
		"1500\n"
	},
	{ "/sys/class/net/eth0/address",
		"52:54:00:12:34:56\n"
	},
	{ "/sys/class/net/eth0/carrier",
		"1\n"
	},
	{ "/sys/class/net/eth0/speed",
		"-1\n"
	},
	{ "/sys/class/net/eth0/type",
		"1\n"
	},
	{ NULL, NULL }
};
