/*
 * A store fixture shared by the encoder's golden test and enc-dump: small
 * libraries that between them hold every value type and kind, with no
 * label (static entries), one label (dynamic folders) and a label value
 * needing escapes (encint, encdyn); the exact names of node_exporter and
 * of the client libraries' process collector, as a later node library
 * will publish them (libraries "node" and "process": untyped CamelCase
 * names, units already in names, _total present or added, info label
 * sets, a constant label, folders of one and of three labels, a family
 * of eight entries per CPU); and a family gathered from static entries
 * and folders, histograms and infos with constant labels (encfam).
 * Linked into test-ukprom-enc and enc-dump, which call
 * enc_fixture_setup() before encoding; freestanding, so the kernel test
 * image links it too.
 */
#include <errno.h>
#include <stdint.h>

#include <uk/assert.h>
#include <uk/store.h>

UK_STORE_LIBRARY(encint);
UK_STORE_LIBRARY(encdyn);

#define FX_GET(t, T, val) \
	static int fx_get_##t(void *c, T *out) { *out = (val); return 0; }
FX_GET(s8, int8_t, INT8_MIN)
FX_GET(u8, uint8_t, UINT8_MAX)
FX_GET(s16, int16_t, INT16_MIN)
FX_GET(u16, uint16_t, UINT16_MAX)
FX_GET(s32, int32_t, INT32_MIN)
FX_GET(u32, uint32_t, UINT32_MAX)
FX_GET(s64, int64_t, INT64_MIN)
FX_GET(u64, uint64_t, UINT64_MAX)
FX_GET(uptr, uintptr_t, UINTPTR_MAX)
FX_GET(dbl, double, 0.25)
FX_GET(str, const char *, "v1.2 \"rc\"\\x")

static const double fx_le[] = { 0.001, 0.5, 1, 2.5 };

static int fx_get_hist(void *c, struct uk_store_hist_val *h)
{
	h->nbuckets = 4;
	h->le = fx_le;
	h->cum[0] = 1;
	h->cum[1] = 3;
	h->cum[2] = 3;
	h->cum[3] = 7;
	h->count = 9;
	h->sum = 12.75;
	return 0;
}

/*
 * GCC lays static entries of one section out in reverse order of
 * definition, so they are defined last first to read naturally.
 */
UK_STORE_STATIC_ENTRY(encint, rx, u32, counter, bytes, "Received",
		      fx_get_u32, NULL, NULL);
UK_STORE_STATIC_ENTRY(encint, cpu_seconds_total, dbl, counter, seconds,
		      "CPU time", fx_get_dbl, NULL, NULL);
UK_STORE_STATIC_ENTRY(encint, latency_seconds, hist, histogram, seconds,
		      "Latency", fx_get_hist, NULL, NULL);
UK_STORE_STATIC_ENTRY(encint, version, str, info, none, "Build version",
		      fx_get_str, NULL, NULL);
UK_STORE_STATIC_ENTRY(encint, ratio, dbl, gauge, none,
		      "A \"ratio\" with \\ and\nnewline", fx_get_dbl, NULL,
		      NULL);
UK_STORE_STATIC_ENTRY(encint, v_uptr, uptr, gauge, bytes, "a uptr",
		      fx_get_uptr, NULL, NULL);
UK_STORE_STATIC_ENTRY(encint, ops_total, u64, counter, none, "Ops done",
		      fx_get_u64, NULL, NULL);
UK_STORE_STATIC_ENTRY(encint, v_s64, s64, gauge, none, "an s64",
		      fx_get_s64, NULL, NULL);
UK_STORE_STATIC_ENTRY(encint, v_u32, u32, gauge, none, "a u32", fx_get_u32,
		      NULL, NULL);
UK_STORE_STATIC_ENTRY(encint, v_s32, s32, gauge, none, "an s32",
		      fx_get_s32, NULL, NULL);
UK_STORE_STATIC_ENTRY(encint, v_u16, u16, gauge, none, "a u16", fx_get_u16,
		      NULL, NULL);
UK_STORE_STATIC_ENTRY(encint, v_s16, s16, gauge, none, "an s16",
		      fx_get_s16, NULL, NULL);
UK_STORE_STATIC_ENTRY(encint, v_u8, u8, gauge, none, "a u8", fx_get_u8,
		      NULL, NULL);
UK_STORE_STATIC_ENTRY(encint, v_s8, s8, gauge, none, "an s8", fx_get_s8,
		      NULL, NULL);

/* Dynamic folders: the cookie is a per-folder value. */
struct fx_dev {
	uint64_t pkts;
	double load;
	const char *model;
};

static int fx_dev_pkts(void *c, uint64_t *out)
{
	*out = ((struct fx_dev *)c)->pkts;
	return 0;
}

static int fx_dev_load(void *c, double *out)
{
	*out = ((struct fx_dev *)c)->load;
	return 0;
}

static int fx_dev_model(void *c, const char **out)
{
	*out = ((struct fx_dev *)c)->model;
	return 0;
}

static const struct uk_store_entry fx_dev_tmpl[] = {
	UK_STORE_ENTRY(rx_packets, u64, counter, none, "Packets received",
		       fx_dev_pkts, NULL, NULL),
	UK_STORE_ENTRY(load, dbl, gauge, none, "Load", fx_dev_load, NULL,
		       NULL),
	UK_STORE_ENTRY(model, str, info, none, "Model", fx_dev_model, NULL,
		       NULL),
	UK_STORE_ENTRY(rtt, hist, histogram, seconds, "Round trips",
		       fx_get_hist, NULL, NULL),
};

static struct fx_dev fx_devs[] = {
	{ 42, 1.5, "e1000" },
	{ 7, __builtin_nan(""), "virtio \"net\"" },
	{ 0, -__builtin_inf(), "x\\y" },
};
static const char *const fx_dev_names[] = { "eth0", "q\"uo\\te\nnl", "lo" };

/* ---- node_exporter's and the process collector's names ------------ */

UK_STORE_LIBRARY(node);
UK_STORE_LIBRARY(process);

static uint64_t nx_insegs = 1234, nx_forwarding = 1, nx_pgfault = 98765,
		nx_memtotal = 67108864, nx_hugepages, nx_ctxt = 4242,
		nx_intr = 77, nx_fds = 12, nx_rss = 3145728,
		nx_vsz = 16777216, nx_maxfds = 1024, nx_rxoctets = 1500;
static double nx_boot = 1700000000.5, nx_load1 = 0.25, nx_zero, nx_one = 1,
	      nx_cpu = 12.5;

static int nx_u64(void *c, uint64_t *out)
{
	*out = *(uint64_t *)c;
	return 0;
}

static int nx_dbl(void *c, double *out)
{
	*out = *(double *)c;
	return 0;
}

static int nx_labels(void *c, struct uk_store_labels_val *out)
{
	*out = *(struct uk_store_labels_val *)c;
	return 0;
}

static struct uk_store_labels_val nx_uname = {
	6, { { "sysname", "ukmon" }, { "release", "0.1.0" },
	     { "version", "#1 \"tcg\"" }, { "machine", "x86_64" },
	     { "nodename", "ukmon-1" }, { "domainname", "(none)" } } };
static struct uk_store_labels_val nx_os = {
	5, { { "id", "ukmon" }, { "name", "ukmon" },
	     { "pretty_name", "ukmon 0.1 (unikernel)" }, { "version", "0.1" },
	     { "version_id", "0.1" } } };

/* Defined last first (GCC's section order): they read in link order. */
UK_STORE_STATIC_ENTRY_L(node, scrape_collector_success_fs,
			scrape_collector_success, collector, "filesystem",
			dbl, gauge, none, "Whether a collector succeeded.",
			nx_dbl, NULL, &nx_one);
UK_STORE_STATIC_ENTRY(node, filefd_allocated, u64, gauge, none,
		      "File descriptors allocated.", nx_u64, NULL, &nx_fds);
UK_STORE_STATIC_ENTRY_L(node, scrape_collector_success_cpu,
			scrape_collector_success, collector, "cpu", dbl,
			gauge, none, "Whether a collector succeeded.", nx_dbl,
			NULL, &nx_one);
UK_STORE_STATIC_ENTRY(node, os_info, labels, info, none,
		      "Operating system.", nx_labels, NULL, &nx_os);
UK_STORE_STATIC_ENTRY(node, uname, labels, info, none,
		      "What uname(2) says.", nx_labels, NULL, &nx_uname);
UK_STORE_STATIC_ENTRY_L(node, time_zone_utc, time_zone_offset_seconds,
			time_zone, "UTC", dbl, gauge, seconds,
			"Offset of the time zone.", nx_dbl, NULL, &nx_zero);
UK_STORE_STATIC_ENTRY(node, load1, dbl, gauge, none, "1m load average.",
		      nx_dbl, NULL, &nx_load1);
UK_STORE_STATIC_ENTRY(node, boot_time_seconds, dbl, gauge, seconds,
		      "Boot time.", nx_dbl, NULL, &nx_boot);
UK_STORE_STATIC_ENTRY(node, intr, u64, counter, none,
		      "Interrupts handled.", nx_u64, NULL, &nx_intr);
UK_STORE_STATIC_ENTRY(node, context_switches_total, u64, counter, none,
		      "Context switches.", nx_u64, NULL, &nx_ctxt);
UK_STORE_STATIC_ENTRY(node, memory_HugePages_Total, u64, gauge, none,
		      "Huge pages.", nx_u64, NULL, &nx_hugepages);
UK_STORE_STATIC_ENTRY(node, memory_MemTotal_bytes, u64, gauge, bytes,
		      "Memory in all.", nx_u64, NULL, &nx_memtotal);
UK_STORE_STATIC_ENTRY(node, vmstat_pgfault, u64, untyped, none,
		      "Page faults.", nx_u64, NULL, &nx_pgfault);
UK_STORE_STATIC_ENTRY(node, netstat_Ip_Forwarding, u64, untyped, none,
		      "IP forwarding.", nx_u64, NULL, &nx_forwarding);
UK_STORE_STATIC_ENTRY(node, netstat_Tcp_InSegs, u64, untyped, none,
		      "TCP segments received.", nx_u64, NULL, &nx_insegs);

UK_STORE_STATIC_ENTRY(process, network_receive_bytes_total, u64, counter,
		      bytes, "Bytes received.", nx_u64, NULL, &nx_rxoctets);
UK_STORE_STATIC_ENTRY(process, max_fds, u64, gauge, none,
		      "Most open file descriptors.", nx_u64, NULL,
		      &nx_maxfds);
UK_STORE_STATIC_ENTRY(process, open_fds, u64, gauge, none,
		      "Open file descriptors.", nx_u64, NULL, &nx_fds);
UK_STORE_STATIC_ENTRY(process, start_time_seconds, dbl, gauge, seconds,
		      "Start time.", nx_dbl, NULL, &nx_boot);
UK_STORE_STATIC_ENTRY(process, virtual_memory_bytes, u64, gauge, bytes,
		      "Virtual memory.", nx_u64, NULL, &nx_vsz);
UK_STORE_STATIC_ENTRY(process, resident_memory_bytes, u64, gauge, bytes,
		      "Resident memory.", nx_u64, NULL, &nx_rss);
UK_STORE_STATIC_ENTRY(process, cpu_seconds_total, dbl, counter, seconds,
		      "CPU time.", nx_dbl, NULL, &nx_cpu);

/* node_cpu_seconds_total{cpu,mode}: eight entries of one family. */
struct fx_cpu {
	double t[8];
};

#define FX_MODE(i, mode) \
	static int fx_cpu_##mode(void *c, double *out) \
	{ \
		*out = ((struct fx_cpu *)c)->t[i]; \
		return 0; \
	}
FX_MODE(0, user)
FX_MODE(1, nice)
FX_MODE(2, system)
FX_MODE(3, idle)
FX_MODE(4, iowait)
FX_MODE(5, irq)
FX_MODE(6, softirq)
FX_MODE(7, steal)

/* (The label name mode is no macro argument: it would be replaced.) */
#define FX_CPU_ENTRY(m) \
	UK_STORE_ENTRY_L(cpu_##m, cpu_seconds_total, mode, #m, dbl, counter, \
			 seconds, "Seconds the CPUs spent in each mode.", \
			 fx_cpu_##m, NULL, NULL)
static const struct uk_store_entry fx_cpu_tmpl[] = {
	FX_CPU_ENTRY(user), FX_CPU_ENTRY(nice), FX_CPU_ENTRY(system),
	FX_CPU_ENTRY(idle), FX_CPU_ENTRY(iowait), FX_CPU_ENTRY(irq),
	FX_CPU_ENTRY(softirq), FX_CPU_ENTRY(steal),
};

static struct fx_cpu fx_cpus[] = {
	{ { 10.5, 0, 3.25, 100, 0, 0.5, 0.25, 0 } },
	{ { 20, 0, 1, 200.125, 0, 0, 0, 0 } },
};

/* node_filesystem_*{mountpoint,device,fstype}: three labels. */
struct fx_fs {
	uint64_t avail, size, files_free, ro;
};

#define FX_FS(field) \
	static int fx_fs_##field(void *c, uint64_t *out) \
	{ \
		*out = ((struct fx_fs *)c)->field; \
		return 0; \
	}
FX_FS(avail)
FX_FS(size)
FX_FS(files_free)
FX_FS(ro)

static const struct uk_store_entry fx_fs_tmpl[] = {
	UK_STORE_ENTRY(filesystem_avail_bytes, u64, gauge, bytes,
		       "Space available to writers.", fx_fs_avail, NULL, NULL),
	UK_STORE_ENTRY(filesystem_size_bytes, u64, gauge, bytes,
		       "Size of the file system.", fx_fs_size, NULL, NULL),
	UK_STORE_ENTRY(filesystem_files_free, u64, gauge, none,
		       "Free file nodes.", fx_fs_files_free, NULL, NULL),
	UK_STORE_ENTRY(filesystem_readonly, u64, gauge, none,
		       "1 if read-only.", fx_fs_ro, NULL, NULL),
};

static struct fx_fs fx_fss[] = {
	{ 1048576, 4194304, 100, 0 },
	{ 0, 65536, 0, 1 },
};
static const char *const fx_fs_labels[] = { "mountpoint", "device",
					    "fstype" };
static const char *const fx_fs_values[][3] = {
	{ "/", "/dev/vda", "ext4" },
	{ "/data", "data", "9p" },
};
static const char *const fx_fs_names[] = { "root", "data" };

/* node_network_*{device} and node_network_info's label set. */
struct fx_net {
	uint64_t rx, up, mtu;
	struct uk_store_labels_val info;
};

#define FX_NET(field) \
	static int fx_net_##field(void *c, uint64_t *out) \
	{ \
		*out = ((struct fx_net *)c)->field; \
		return 0; \
	}
FX_NET(rx)
FX_NET(up)
FX_NET(mtu)

static int fx_net_info(void *c, struct uk_store_labels_val *out)
{
	*out = ((struct fx_net *)c)->info;
	return 0;
}

static const struct uk_store_entry fx_net_tmpl[] = {
	UK_STORE_ENTRY(network_receive_bytes_total, u64, counter, bytes,
		       "Bytes received.", fx_net_rx, NULL, NULL),
	UK_STORE_ENTRY(network_up, u64, gauge, none, "1 if the link is up.",
		       fx_net_up, NULL, NULL),
	UK_STORE_ENTRY(network_info, labels, info, none,
		       "Addresses and states.", fx_net_info, NULL, NULL),
	UK_STORE_ENTRY(network_mtu_bytes, u64, gauge, bytes, "MTU.",
		       fx_net_mtu, NULL, NULL),
};

#define FX_NET_INFO(mac, oper, alias) \
	{ 6, { { "address", mac }, { "broadcast", "ff:ff:ff:ff:ff:ff" }, \
	       { "duplex", "full" }, { "operstate", oper }, \
	       { "adminstate", "up" }, { "ifalias", alias } } }
static struct fx_net fx_nets[] = {
	{ 1500, 1, 1500, FX_NET_INFO("52:54:00:12:34:56", "up", "") },
	{ 0, 0, 65536, FX_NET_INFO("00:00:00:00:00:00", "unknown",
				   "loop\\back") },
};
static const char *const fx_net_names[] = { "eth0", "lo" };

/* ---- a family of static entries and folders (encfam) --------------- */

UK_STORE_LIBRARY(encfam);

static uint64_t fam_one = 1, fam_three = 3;

static int fam_model_a(void *c, const char **out)
{
	*out = "m-a";
	return 0;
}

static int fam_model_b(void *c, const char **out)
{
	*out = "m\"b";
	return 0;
}

static int fam_wait(void *c, double *out)
{
	*out = 0.5;
	return 0;
}

UK_STORE_STATIC_ENTRY_L(encfam, up_exporter, up, component, "exporter",
			u64, gauge, none, "Whether a component is up.",
			nx_u64, NULL, &fam_one);
UK_STORE_STATIC_ENTRY(encfam, z, u64, gauge, none, "A plain one.", nx_u64,
		      NULL, &fam_three);
UK_STORE_STATIC_ENTRY_L(encfam, up_network, up, component, "network", u64,
			gauge, none, "Whether a component is up.", nx_u64,
			NULL, &fam_one);

static const struct uk_store_entry fam_tmpl[] = {
	UK_STORE_ENTRY_L(up_self, up, component, "self", u64, gauge, none,
			 "Whether a component is up.", fx_dev_pkts, NULL,
			 NULL),
	UK_STORE_ENTRY_L(op_read, op_seconds, op, "read", hist, histogram,
			 seconds, "Operation latency.", fx_get_hist, NULL,
			 NULL),
	UK_STORE_ENTRY(wait, dbl, untyped, seconds, "Waits.", fam_wait, NULL,
		       NULL),
	UK_STORE_ENTRY_L(op_write, op_seconds, op, "write", hist, histogram,
			 seconds, "Operation latency.", fx_get_hist, NULL,
			 NULL),
	UK_STORE_ENTRY_L(model_a, model, slot, "a", str, info, none, "Models.",
			 fam_model_a, NULL, NULL),
	UK_STORE_ENTRY_L(model_b, model, slot, "b", str, info, none, "Models.",
			 fam_model_b, NULL, NULL),
};

static struct fx_dev fam_units[] = { { 1, 0, NULL }, { 0, 0, NULL } };
static const char *const fam_unit_names[] = { "u1", "u2" };

#define FX_N(a) (sizeof(a) / sizeof((a)[0]))

void enc_fixture_setup(void);

/* Creates the fixture's folders, once; panics if the store refuses. */
void enc_fixture_setup(void)
{
	static const char *const cpu_names[] = { "0", "1" };
	static const char *const cpu_label[] = { "cpu" };
	static const char *const dev_label[] = { "device" };
	static const char *const unit_label[] = { "unit" };
	static int done;
	struct uk_store_folder *f;
	unsigned int i;

	if (done)
		return;
	done = 1;
	for (i = 0; i < 3; i++) {
		int rc = uk_store_folder_add(&uk_store_lib_encdyn, "dev",
					     fx_dev_names[i], fx_dev_tmpl, 4,
					     &fx_devs[i], NULL, &f);

		UK_ASSERT(rc == 0);
	}
	for (i = 0; i < 2; i++) {
		UK_ASSERT(!uk_store_folder_add_labels(
			&uk_store_lib_node, cpu_label, NULL, 1, cpu_names[i],
			fx_cpu_tmpl, FX_N(fx_cpu_tmpl), &fx_cpus[i], NULL, &f));
		UK_ASSERT(!uk_store_folder_add_labels(
			&uk_store_lib_node, fx_fs_labels, fx_fs_values[i], 3,
			fx_fs_names[i], fx_fs_tmpl, FX_N(fx_fs_tmpl),
			&fx_fss[i], NULL, &f));
		UK_ASSERT(!uk_store_folder_add_labels(
			&uk_store_lib_node, dev_label, NULL, 1,
			fx_net_names[i], fx_net_tmpl, FX_N(fx_net_tmpl),
			&fx_nets[i], NULL, &f));
		UK_ASSERT(!uk_store_folder_add_labels(
			&uk_store_lib_encfam, unit_label, NULL, 1,
			fam_unit_names[i], fam_tmpl, FX_N(fam_tmpl),
			&fam_units[i], NULL, &f));
	}
}
