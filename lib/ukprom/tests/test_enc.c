/*
 * Golden tests of the exposition encoder in both formats: every value
 * type (the fixture in test_enc_fixture.c), no label, one label, a label
 * needing escapes, HELP escaping, units, NaN and infinities, an empty
 * store, failing getters and bad histograms, node_exporter's exact names,
 * families of several entries (constant labels, static entries and
 * folders together), folders of three labels, untyped entries, info label
 * sets and the ones that cannot be printed, chunked output equal to the
 * one-shot output for many chunk sizes, and no allocation while encoding.
 * The value text equals the store's (/store/<path>) for tricky and
 * random doubles.  Content negotiation has its own cases at the end.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/num.h>
#include <uk/prom.h>
#include <uk/store.h>
#include <uk/store_test.h>
#include <uk/test.h>

void enc_fixture_setup(void);

#define BUFSZ 65536
static char out[BUFSZ], out2[BUFSZ];

/* Encodes the libraries libs in chunks of at most chunk bytes into b. */
static size_t encode(enum uk_prom_format fmt, const char *const *libs,
		     size_t chunk, char *b)
{
	struct uk_prom_enc e;
	size_t len = 0, n;

	uk_prom_enc_init_filter(&e, fmt, libs);
	while (len + chunk < BUFSZ && (n = uk_prom_enc_read(&e, b + len,
							  chunk)) > 0) {
		UK_ASSERT(n <= chunk);
		len += n;
	}
	uk_prom_enc_fini(&e);
	b[len] = '\0';
	return len;
}

static const char *const lib_int[] = { "encint", NULL };
static const char *const lib_dyn[] = { "encdyn", NULL };

/* OpenMetrics writes integral bounds as canonical numbers: le="1.0". */
#define HIST_LINES_F(name, lbl, one) \
	name "_bucket{" lbl "le=\"0.001\"} 1\n" \
	name "_bucket{" lbl "le=\"0.5\"} 3\n" \
	name "_bucket{" lbl "le=\"" one "\"} 3\n" \
	name "_bucket{" lbl "le=\"2.5\"} 7\n" \
	name "_bucket{" lbl "le=\"+Inf\"} 9\n"
#define HIST_LINES(name, lbl) HIST_LINES_F(name, lbl, "1")
#define HIST_LINES_OM(name, lbl) HIST_LINES_F(name, lbl, "1.0")

static const char int_text[] =
	"# HELP encint_v_s8 an s8\n"
	"# TYPE encint_v_s8 gauge\n"
	"encint_v_s8 -128\n"
	"# HELP encint_v_u8 a u8\n"
	"# TYPE encint_v_u8 gauge\n"
	"encint_v_u8 255\n"
	"# HELP encint_v_s16 an s16\n"
	"# TYPE encint_v_s16 gauge\n"
	"encint_v_s16 -32768\n"
	"# HELP encint_v_u16 a u16\n"
	"# TYPE encint_v_u16 gauge\n"
	"encint_v_u16 65535\n"
	"# HELP encint_v_s32 an s32\n"
	"# TYPE encint_v_s32 gauge\n"
	"encint_v_s32 -2147483648\n"
	"# HELP encint_v_u32 a u32\n"
	"# TYPE encint_v_u32 gauge\n"
	"encint_v_u32 4294967295\n"
	"# HELP encint_v_s64 an s64\n"
	"# TYPE encint_v_s64 gauge\n"
	"encint_v_s64 -9223372036854775808\n"
	"# HELP encint_ops_total Ops done\n"
	"# TYPE encint_ops_total counter\n"
	"encint_ops_total 18446744073709551615\n"
	"# HELP encint_v_uptr_bytes a uptr\n"
	"# TYPE encint_v_uptr_bytes gauge\n"
	"encint_v_uptr_bytes 18446744073709551615\n"
	"# HELP encint_ratio A \"ratio\" with \\\\ and\\nnewline\n"
	"# TYPE encint_ratio gauge\n"
	"encint_ratio 0.25\n"
	"# HELP encint_version_info Build version\n"
	"# TYPE encint_version_info gauge\n"
	"encint_version_info{value=\"v1.2 \\\"rc\\\"\\\\x\"} 1\n"
	"# HELP encint_latency_seconds Latency\n"
	"# TYPE encint_latency_seconds histogram\n"
	HIST_LINES("encint_latency_seconds", "")
	"encint_latency_seconds_sum 12.75\n"
	"encint_latency_seconds_count 9\n"
	"# HELP encint_cpu_seconds_total CPU time\n"
	"# TYPE encint_cpu_seconds_total counter\n"
	"encint_cpu_seconds_total 0.25\n"
	"# HELP encint_rx_bytes_total Received\n"
	"# TYPE encint_rx_bytes_total counter\n"
	"encint_rx_bytes_total 4294967295\n";

static const char int_om[] =
	"# TYPE encint_v_s8 gauge\n"
	"# HELP encint_v_s8 an s8\n"
	"encint_v_s8 -128\n"
	"# TYPE encint_v_u8 gauge\n"
	"# HELP encint_v_u8 a u8\n"
	"encint_v_u8 255\n"
	"# TYPE encint_v_s16 gauge\n"
	"# HELP encint_v_s16 an s16\n"
	"encint_v_s16 -32768\n"
	"# TYPE encint_v_u16 gauge\n"
	"# HELP encint_v_u16 a u16\n"
	"encint_v_u16 65535\n"
	"# TYPE encint_v_s32 gauge\n"
	"# HELP encint_v_s32 an s32\n"
	"encint_v_s32 -2147483648\n"
	"# TYPE encint_v_u32 gauge\n"
	"# HELP encint_v_u32 a u32\n"
	"encint_v_u32 4294967295\n"
	"# TYPE encint_v_s64 gauge\n"
	"# HELP encint_v_s64 an s64\n"
	"encint_v_s64 -9223372036854775808\n"
	"# TYPE encint_ops counter\n"
	"# HELP encint_ops Ops done\n"
	"encint_ops_total 18446744073709551615\n"
	"# TYPE encint_v_uptr_bytes gauge\n"
	"# UNIT encint_v_uptr_bytes bytes\n"
	"# HELP encint_v_uptr_bytes a uptr\n"
	"encint_v_uptr_bytes 18446744073709551615\n"
	"# TYPE encint_ratio gauge\n"
	"# HELP encint_ratio A \\\"ratio\\\" with \\\\ and\\nnewline\n"
	"encint_ratio 0.25\n"
	"# TYPE encint_version info\n"
	"# HELP encint_version Build version\n"
	"encint_version_info{value=\"v1.2 \\\"rc\\\"\\\\x\"} 1\n"
	"# TYPE encint_latency_seconds histogram\n"
	"# UNIT encint_latency_seconds seconds\n"
	"# HELP encint_latency_seconds Latency\n"
	HIST_LINES_OM("encint_latency_seconds", "")
	"encint_latency_seconds_sum 12.75\n"
	"encint_latency_seconds_count 9\n"
	"# TYPE encint_cpu_seconds counter\n"
	"# UNIT encint_cpu_seconds seconds\n"
	"# HELP encint_cpu_seconds CPU time\n"
	"encint_cpu_seconds_total 0.25\n"
	"# TYPE encint_rx_bytes counter\n"
	"# UNIT encint_rx_bytes bytes\n"
	"# HELP encint_rx_bytes Received\n"
	"encint_rx_bytes_total 4294967295\n"
	"# EOF\n";

#define L_ETH "dev=\"eth0\""
#define L_LO "dev=\"lo\""
#define L_Q "dev=\"q\\\"uo\\\\te\\nnl\""

#define DYN_SAMPLES(rx, model) \
	rx "{" L_ETH "} 42\n" \
	rx "{" L_LO "} 0\n" \
	rx "{" L_Q "} 7\n"

#define DYN_LOAD \
	"encdyn_load{" L_ETH "} 1.5\n" \
	"encdyn_load{" L_LO "} -Inf\n" \
	"encdyn_load{" L_Q "} NaN\n"

#define DYN_MODEL \
	"encdyn_model_info{" L_ETH ",value=\"e1000\"} 1\n" \
	"encdyn_model_info{" L_LO ",value=\"x\\\\y\"} 1\n" \
	"encdyn_model_info{" L_Q ",value=\"virtio \\\"net\\\"\"} 1\n"

#define DYN_RTT_F(lbl, H) \
	H("encdyn_rtt_seconds", lbl ",") \
	"encdyn_rtt_seconds_sum{" lbl "} 12.75\n" \
	"encdyn_rtt_seconds_count{" lbl "} 9\n"
#define DYN_RTT(lbl) DYN_RTT_F(lbl, HIST_LINES)
#define DYN_RTT_OM(lbl) DYN_RTT_F(lbl, HIST_LINES_OM)

static const char dyn_text[] =
	"# HELP encdyn_rx_packets_total Packets received\n"
	"# TYPE encdyn_rx_packets_total counter\n"
	DYN_SAMPLES("encdyn_rx_packets_total", 0)
	"# HELP encdyn_load Load\n"
	"# TYPE encdyn_load gauge\n"
	DYN_LOAD
	"# HELP encdyn_model_info Model\n"
	"# TYPE encdyn_model_info gauge\n"
	DYN_MODEL
	"# HELP encdyn_rtt_seconds Round trips\n"
	"# TYPE encdyn_rtt_seconds histogram\n"
	DYN_RTT(L_ETH) DYN_RTT(L_LO) DYN_RTT(L_Q);

static const char dyn_om[] =
	"# TYPE encdyn_rx_packets counter\n"
	"# HELP encdyn_rx_packets Packets received\n"
	DYN_SAMPLES("encdyn_rx_packets_total", 0)
	"# TYPE encdyn_load gauge\n"
	"# HELP encdyn_load Load\n"
	DYN_LOAD
	"# TYPE encdyn_model info\n"
	"# HELP encdyn_model Model\n"
	DYN_MODEL
	"# TYPE encdyn_rtt_seconds histogram\n"
	"# UNIT encdyn_rtt_seconds seconds\n"
	"# HELP encdyn_rtt_seconds Round trips\n"
	DYN_RTT_OM(L_ETH) DYN_RTT_OM(L_LO) DYN_RTT_OM(L_Q)
	"# EOF\n";

UK_TEST(enc_static_text)
{
	enc_fixture_setup();
	encode(UK_PROM_FMT_TEXT, lib_int, BUFSZ - 1, out);
	UK_TEST_STREQ(out, int_text);
}

UK_TEST(enc_static_openmetrics)
{
	enc_fixture_setup();
	encode(UK_PROM_FMT_OPENMETRICS, lib_int, BUFSZ - 1, out);
	UK_TEST_STREQ(out, int_om);
}

UK_TEST(enc_folders_text)
{
	enc_fixture_setup();
	encode(UK_PROM_FMT_TEXT, lib_dyn, BUFSZ - 1, out);
	UK_TEST_STREQ(out, dyn_text);
}

UK_TEST(enc_folders_openmetrics)
{
	enc_fixture_setup();
	encode(UK_PROM_FMT_OPENMETRICS, lib_dyn, BUFSZ - 1, out);
	UK_TEST_STREQ(out, dyn_om);
}

UK_TEST(enc_empty)
{
	static const char *const none[] = { "no_such_library", NULL };
	static const char *const nothing[] = { NULL };

	UK_TEST_EQ(encode(UK_PROM_FMT_TEXT, none, 100, out), 0);
	UK_TEST_EQ(encode(UK_PROM_FMT_OPENMETRICS, none, 100, out), 6);
	UK_TEST_STREQ(out, "# EOF\n");
	UK_TEST_EQ(encode(UK_PROM_FMT_OPENMETRICS, nothing, 1, out), 6);
	UK_TEST_STREQ(out, "# EOF\n");
}

/* ---- node_exporter's and the process collector's names ---------------- */

static const char *const lib_node[] = { "node", NULL };
static const char *const lib_process[] = { "process", NULL };
static const char *const lib_fam[] = { "encfam", NULL };

/* One family of one sample: HELP and TYPE (text), TYPE and HELP (OM). */
#define T1(name, type, help, sample) \
	"# HELP " name " " help "\n# TYPE " name " " type "\n" sample "\n"
#define O1(name, type, help, sample) \
	"# TYPE " name " " type "\n# HELP " name " " help "\n" sample "\n"
#define O1U(name, type, unit, help, sample) \
	"# TYPE " name " " type "\n# UNIT " name " " unit "\n" \
	"# HELP " name " " help "\n" sample "\n"

#define UNAME "{sysname=\"ukmon\",release=\"0.1.0\",version=\"#1 \\\"tcg\\\"\"," \
	"machine=\"x86_64\",nodename=\"ukmon-1\",domainname=\"(none)\"} 1"
#define OS "{id=\"ukmon\",name=\"ukmon\",pretty_name=\"ukmon 0.1 (unikernel)\"," \
	"version=\"0.1\",version_id=\"0.1\"} 1"
#define COLLECTORS(n) \
	n "{collector=\"cpu\"} 1\n" n "{collector=\"filesystem\"} 1"

#define CPU_MODE(mode, v0, v1) \
	"node_cpu_seconds_total{cpu=\"0\",mode=\"" mode "\"} " v0 "\n" \
	"node_cpu_seconds_total{cpu=\"1\",mode=\"" mode "\"} " v1 "\n"
#define CPU_SAMPLES \
	CPU_MODE("user", "10.5", "20") CPU_MODE("nice", "0", "0") \
	CPU_MODE("system", "3.25", "1") CPU_MODE("idle", "100", "200.125") \
	CPU_MODE("iowait", "0", "0") CPU_MODE("irq", "0.5", "0") \
	CPU_MODE("softirq", "0.25", "0") CPU_MODE("steal", "0", "0")

#define FS_DATA "{mountpoint=\"/data\",device=\"data\",fstype=\"9p\"}"
#define FS_ROOT "{mountpoint=\"/\",device=\"/dev/vda\",fstype=\"ext4\"}"
#define FS(name, d, r) \
	"node_filesystem_" name FS_DATA " " d "\n" \
	"node_filesystem_" name FS_ROOT " " r

#define NET_INFO \
	"node_network_info{device=\"eth0\",address=\"52:54:00:12:34:56\"," \
	"broadcast=\"ff:ff:ff:ff:ff:ff\",duplex=\"full\",operstate=\"up\"," \
	"adminstate=\"up\",ifalias=\"\"} 1\n" \
	"node_network_info{device=\"lo\",address=\"00:00:00:00:00:00\"," \
	"broadcast=\"ff:ff:ff:ff:ff:ff\",duplex=\"full\",operstate=\"unknown\"," \
	"adminstate=\"up\",ifalias=\"loop\\\\back\"} 1"
#define NET(name, e, l) \
	"node_network_" name "{device=\"eth0\"} " e "\n" \
	"node_network_" name "{device=\"lo\"} " l

static const char node_text[] =
	T1("node_netstat_Tcp_InSegs", "untyped", "TCP segments received.",
	   "node_netstat_Tcp_InSegs 1234")
	T1("node_netstat_Ip_Forwarding", "untyped", "IP forwarding.",
	   "node_netstat_Ip_Forwarding 1")
	T1("node_vmstat_pgfault", "untyped", "Page faults.",
	   "node_vmstat_pgfault 98765")
	T1("node_memory_MemTotal_bytes", "gauge", "Memory in all.",
	   "node_memory_MemTotal_bytes 67108864")
	T1("node_memory_HugePages_Total", "gauge", "Huge pages.",
	   "node_memory_HugePages_Total 0")
	T1("node_context_switches_total", "counter", "Context switches.",
	   "node_context_switches_total 4242")
	T1("node_intr_total", "counter", "Interrupts handled.",
	   "node_intr_total 77")
	T1("node_boot_time_seconds", "gauge", "Boot time.",
	   "node_boot_time_seconds 1700000000.5")
	T1("node_load1", "gauge", "1m load average.", "node_load1 0.25")
	T1("node_time_zone_offset_seconds", "gauge", "Offset of the time zone.",
	   "node_time_zone_offset_seconds{time_zone=\"UTC\"} 0")
	T1("node_uname_info", "gauge", "What uname(2) says.",
	   "node_uname_info" UNAME)
	T1("node_os_info", "gauge", "Operating system.", "node_os_info" OS)
	T1("node_scrape_collector_success", "gauge",
	   "Whether a collector succeeded.",
	   COLLECTORS("node_scrape_collector_success"))
	T1("node_filefd_allocated", "gauge", "File descriptors allocated.",
	   "node_filefd_allocated 12")
	"# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.\n"
	"# TYPE node_cpu_seconds_total counter\n"
	CPU_SAMPLES
	T1("node_filesystem_avail_bytes", "gauge", "Space available to writers.",
	   FS("avail_bytes", "0", "1048576"))
	T1("node_filesystem_size_bytes", "gauge", "Size of the file system.",
	   FS("size_bytes", "65536", "4194304"))
	T1("node_filesystem_files_free", "gauge", "Free file nodes.",
	   FS("files_free", "0", "100"))
	T1("node_filesystem_readonly", "gauge", "1 if read-only.",
	   FS("readonly", "1", "0"))
	T1("node_network_receive_bytes_total", "counter", "Bytes received.",
	   NET("receive_bytes_total", "1500", "0"))
	T1("node_network_up", "gauge", "1 if the link is up.",
	   NET("up", "1", "0"))
	T1("node_network_info", "gauge", "Addresses and states.", NET_INFO)
	T1("node_network_mtu_bytes", "gauge", "MTU.",
	   NET("mtu_bytes", "1500", "65536"));

static const char node_om[] =
	O1("node_netstat_Tcp_InSegs", "unknown", "TCP segments received.",
	   "node_netstat_Tcp_InSegs 1234")
	O1("node_netstat_Ip_Forwarding", "unknown", "IP forwarding.",
	   "node_netstat_Ip_Forwarding 1")
	O1("node_vmstat_pgfault", "unknown", "Page faults.",
	   "node_vmstat_pgfault 98765")
	O1U("node_memory_MemTotal_bytes", "gauge", "bytes", "Memory in all.",
	    "node_memory_MemTotal_bytes 67108864")
	O1("node_memory_HugePages_Total", "gauge", "Huge pages.",
	   "node_memory_HugePages_Total 0")
	O1("node_context_switches", "counter", "Context switches.",
	   "node_context_switches_total 4242")
	O1("node_intr", "counter", "Interrupts handled.",
	   "node_intr_total 77")
	O1U("node_boot_time_seconds", "gauge", "seconds", "Boot time.",
	    "node_boot_time_seconds 1700000000.5")
	O1("node_load1", "gauge", "1m load average.", "node_load1 0.25")
	O1U("node_time_zone_offset_seconds", "gauge", "seconds",
	    "Offset of the time zone.",
	    "node_time_zone_offset_seconds{time_zone=\"UTC\"} 0")
	O1("node_uname", "info", "What uname(2) says.",
	   "node_uname_info" UNAME)
	O1("node_os", "info", "Operating system.", "node_os_info" OS)
	O1("node_scrape_collector_success", "gauge",
	   "Whether a collector succeeded.",
	   COLLECTORS("node_scrape_collector_success"))
	O1("node_filefd_allocated", "gauge", "File descriptors allocated.",
	   "node_filefd_allocated 12")
	"# TYPE node_cpu_seconds counter\n"
	"# UNIT node_cpu_seconds seconds\n"
	"# HELP node_cpu_seconds Seconds the CPUs spent in each mode.\n"
	CPU_SAMPLES
	O1U("node_filesystem_avail_bytes", "gauge", "bytes",
	    "Space available to writers.", FS("avail_bytes", "0", "1048576"))
	O1U("node_filesystem_size_bytes", "gauge", "bytes",
	    "Size of the file system.", FS("size_bytes", "65536", "4194304"))
	O1("node_filesystem_files_free", "gauge", "Free file nodes.",
	   FS("files_free", "0", "100"))
	O1("node_filesystem_readonly", "gauge", "1 if read-only.",
	   FS("readonly", "1", "0"))
	O1U("node_network_receive_bytes", "counter", "bytes", "Bytes received.",
	    NET("receive_bytes_total", "1500", "0"))
	O1("node_network_up", "gauge", "1 if the link is up.",
	   NET("up", "1", "0"))
	O1("node_network", "info", "Addresses and states.", NET_INFO)
	O1U("node_network_mtu_bytes", "gauge", "bytes", "MTU.",
	    NET("mtu_bytes", "1500", "65536"))
	"# EOF\n";

static const char process_text[] =
	T1("process_cpu_seconds_total", "counter", "CPU time.",
	   "process_cpu_seconds_total 12.5")
	T1("process_resident_memory_bytes", "gauge", "Resident memory.",
	   "process_resident_memory_bytes 3145728")
	T1("process_virtual_memory_bytes", "gauge", "Virtual memory.",
	   "process_virtual_memory_bytes 16777216")
	T1("process_start_time_seconds", "gauge", "Start time.",
	   "process_start_time_seconds 1700000000.5")
	T1("process_open_fds", "gauge", "Open file descriptors.",
	   "process_open_fds 12")
	T1("process_max_fds", "gauge", "Most open file descriptors.",
	   "process_max_fds 1024")
	T1("process_network_receive_bytes_total", "counter", "Bytes received.",
	   "process_network_receive_bytes_total 1500");

static const char process_om[] =
	O1U("process_cpu_seconds", "counter", "seconds", "CPU time.",
	    "process_cpu_seconds_total 12.5")
	O1U("process_resident_memory_bytes", "gauge", "bytes",
	    "Resident memory.", "process_resident_memory_bytes 3145728")
	O1U("process_virtual_memory_bytes", "gauge", "bytes", "Virtual memory.",
	    "process_virtual_memory_bytes 16777216")
	O1U("process_start_time_seconds", "gauge", "seconds", "Start time.",
	    "process_start_time_seconds 1700000000.5")
	O1("process_open_fds", "gauge", "Open file descriptors.",
	   "process_open_fds 12")
	O1("process_max_fds", "gauge", "Most open file descriptors.",
	   "process_max_fds 1024")
	O1U("process_network_receive_bytes", "counter", "bytes",
	    "Bytes received.", "process_network_receive_bytes_total 1500")
	"# EOF\n";

/*
 * Every name style of node_exporter and the process collector, from
 * libraries of those names: untyped CamelCase names kept exactly, a unit
 * already in the name, _total present or added, info label sets
 * (_info added, or kept from the entry's name), a constant label, a
 * family of eight entries over two CPU folders, three-label folders.
 */
UK_TEST(enc_node_names_text)
{
	enc_fixture_setup();
	encode(UK_PROM_FMT_TEXT, lib_node, BUFSZ - 1, out);
	UK_TEST_STREQ(out, node_text);
	encode(UK_PROM_FMT_TEXT, lib_process, BUFSZ - 1, out);
	UK_TEST_STREQ(out, process_text);
}

UK_TEST(enc_node_names_openmetrics)
{
	enc_fixture_setup();
	encode(UK_PROM_FMT_OPENMETRICS, lib_node, BUFSZ - 1, out);
	UK_TEST_STREQ(out, node_om);
	encode(UK_PROM_FMT_OPENMETRICS, lib_process, BUFSZ - 1, out);
	UK_TEST_STREQ(out, process_om);
}

/* A family of static entries and folders; histograms, infos, untyped. */
#define FAM_UP(n) \
	n "{component=\"network\"} 1\n" \
	n "{component=\"exporter\"} 1\n" \
	n "{unit=\"u1\",component=\"self\"} 1\n" \
	n "{unit=\"u2\",component=\"self\"} 0\n"
#define FAM_OP_F(H, lbl) \
	H("encfam_op_seconds", lbl ",") \
	"encfam_op_seconds_sum{" lbl "} 12.75\n" \
	"encfam_op_seconds_count{" lbl "} 9\n"
#define FAM_OPS(H) \
	FAM_OP_F(H, "unit=\"u1\",op=\"read\"") \
	FAM_OP_F(H, "unit=\"u2\",op=\"read\"") \
	FAM_OP_F(H, "unit=\"u1\",op=\"write\"") \
	FAM_OP_F(H, "unit=\"u2\",op=\"write\"")
#define FAM_WAIT \
	"encfam_wait_seconds{unit=\"u1\"} 0.5\n" \
	"encfam_wait_seconds{unit=\"u2\"} 0.5\n"
#define FAM_MODEL \
	"encfam_model_info{unit=\"u1\",slot=\"a\",value=\"m-a\"} 1\n" \
	"encfam_model_info{unit=\"u2\",slot=\"a\",value=\"m-a\"} 1\n" \
	"encfam_model_info{unit=\"u1\",slot=\"b\",value=\"m\\\"b\"} 1\n" \
	"encfam_model_info{unit=\"u2\",slot=\"b\",value=\"m\\\"b\"} 1\n"

static const char fam_text[] =
	"# HELP encfam_up Whether a component is up.\n"
	"# TYPE encfam_up gauge\n"
	FAM_UP("encfam_up")
	"# HELP encfam_z A plain one.\n"
	"# TYPE encfam_z gauge\n"
	"encfam_z 3\n"
	"# HELP encfam_op_seconds Operation latency.\n"
	"# TYPE encfam_op_seconds histogram\n"
	FAM_OPS(HIST_LINES)
	"# HELP encfam_wait_seconds Waits.\n"
	"# TYPE encfam_wait_seconds untyped\n"
	FAM_WAIT
	"# HELP encfam_model_info Models.\n"
	"# TYPE encfam_model_info gauge\n"
	FAM_MODEL;

static const char fam_om[] =
	"# TYPE encfam_up gauge\n"
	"# HELP encfam_up Whether a component is up.\n"
	FAM_UP("encfam_up")
	"# TYPE encfam_z gauge\n"
	"# HELP encfam_z A plain one.\n"
	"encfam_z 3\n"
	"# TYPE encfam_op_seconds histogram\n"
	"# UNIT encfam_op_seconds seconds\n"
	"# HELP encfam_op_seconds Operation latency.\n"
	FAM_OPS(HIST_LINES_OM)
	"# TYPE encfam_wait_seconds unknown\n"
	"# UNIT encfam_wait_seconds seconds\n"
	"# HELP encfam_wait_seconds Waits.\n"
	FAM_WAIT
	"# TYPE encfam_model info\n"
	"# HELP encfam_model Models.\n"
	FAM_MODEL
	"# EOF\n";

UK_TEST(enc_family_mixed_text)
{
	enc_fixture_setup();
	encode(UK_PROM_FMT_TEXT, lib_fam, BUFSZ - 1, out);
	UK_TEST_STREQ(out, fam_text);
}

UK_TEST(enc_family_mixed_openmetrics)
{
	enc_fixture_setup();
	encode(UK_PROM_FMT_OPENMETRICS, lib_fam, BUFSZ - 1, out);
	UK_TEST_STREQ(out, fam_om);
}

/*
 * Every library of the fixture (the node names, families of static
 * entries and folders, label sets, long records), each chunk size, both
 * formats: always the same bytes.
 */
UK_TEST(enc_chunks)
{
	static const char *const both[] = { "encdyn", "encint", "encfail",
					    "enclong", "encfam", "node",
					    "process", "encinfo", NULL };
	static const size_t sizes[] = { 1, 2, 3, 7, 64, 511, 512, 513, 4096 };
	unsigned int i, f;

	enc_fixture_setup();
	for (f = 0; f < 2; f++) {
		size_t len = encode(f, both, BUFSZ - 1, out);

		UK_TEST_ASSERT(len > 12000);
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			size_t l2 = encode(f, both, sizes[i], out2);

			UK_TEST_EQ(l2, len);
			UK_TEST_ASSERT(!memcmp(out, out2, len));
		}
	}
}

/* ---- failures ------------------------------------------------------- */

UK_STORE_LIBRARY(encfail);

static int get_ok(void *c, uint64_t *out)
{
	*out = 5;
	return 0;
}

static int get_eio(void *c, uint64_t *out)
{
	return -EIO;
}

static const double bad_le[] = { 1, 1, 3 };
static const double good_le[] = { 1, 2, 3 };

static int get_hist_over(void *c, struct uk_store_hist_val *h)
{
	h->nbuckets = UK_STORE_HIST_MAX_BUCKETS + 1;
	h->le = good_le;
	return 0;
}

static int get_hist_le(void *c, struct uk_store_hist_val *h)
{
	h->nbuckets = 3;
	h->le = bad_le;
	h->count = 0;
	return 0;
}

static int get_hist_cum(void *c, struct uk_store_hist_val *h)
{
	h->nbuckets = 3;
	h->le = good_le;
	h->cum[0] = 2;
	h->cum[1] = 1;
	h->cum[2] = 4;
	h->count = 4;
	return 0;
}

static int get_hist_count(void *c, struct uk_store_hist_val *h)
{
	h->nbuckets = 3;
	h->le = good_le;
	h->cum[0] = 1;
	h->cum[1] = 2;
	h->cum[2] = 4;
	h->count = 3;
	h->sum = 1;
	return 0;
}

static int get_null_str(void *c, const char **out)
{
	*out = NULL;
	return 0;
}

/*
 * GCC lays static entries of one section out in reverse order of
 * definition, so they are defined last first to read naturally.
 */
UK_STORE_STATIC_ENTRY(encfail, s, str, info, none, "null string",
		      get_null_str, NULL, NULL);
UK_STORE_STATIC_ENTRY(encfail, h4, hist, histogram, none, "count < cum",
		      get_hist_count, NULL, NULL);
UK_STORE_STATIC_ENTRY(encfail, h3, hist, histogram, none, "cum goes down",
		      get_hist_cum, NULL, NULL);
UK_STORE_STATIC_ENTRY(encfail, h2, hist, histogram, none, "le repeats",
		      get_hist_le, NULL, NULL);
UK_STORE_STATIC_ENTRY(encfail, h1, hist, histogram, none, "too many",
		      get_hist_over, NULL, NULL);
UK_STORE_STATIC_ENTRY(encfail, c, u64, gauge, none, "last", get_ok, NULL,
		      NULL);
UK_STORE_STATIC_ENTRY(encfail, b, u64, gauge, none, "broken", get_eio, NULL,
		      NULL);
UK_STORE_STATIC_ENTRY(encfail, a, u64, gauge, none, "first", get_ok, NULL,
		      NULL);

UK_TEST(enc_getter_failures)
{
	static const char *const libs[] = { "encfail", NULL };
	static const char expect[] =
		"# HELP encfail_a first\n# TYPE encfail_a gauge\nencfail_a 5\n"
		"# HELP encfail_b broken\n# TYPE encfail_b gauge\n"
		"# HELP encfail_c last\n# TYPE encfail_c gauge\nencfail_c 5\n"
		"# HELP encfail_h1 too many\n# TYPE encfail_h1 histogram\n"
		"# HELP encfail_h2 le repeats\n# TYPE encfail_h2 histogram\n"
		"# HELP encfail_h3 cum goes down\n"
		"# TYPE encfail_h3 histogram\n"
		"# HELP encfail_h4 count < cum\n# TYPE encfail_h4 histogram\n"
		"# HELP encfail_s_info null string\n"
		"# TYPE encfail_s_info gauge\n"
		"encfail_s_info{value=\"\"} 1\n";
	struct uk_store_value total, after;
	int have_total = !uk_store_read_path("ukprom/getter_errors", &total);
	struct uk_prom_enc e;
	size_t len = 0, n;

	uk_prom_enc_init_filter(&e, UK_PROM_FMT_TEXT, libs);
	while ((n = uk_prom_enc_read(&e, out + len, 100)) > 0)
		len += n;
	out[len] = '\0';
	UK_TEST_STREQ(out, expect);
	/* The store reads a NULL string as "", so that is no failure. */
	UK_TEST_EQ(e.getter_errors, 5);
	UK_TEST_EQ(e.bytes, len);
	/* The pure encoder publishes nothing (the exporter adds these up;
	 * a kernel image without the exporter has no such entry). */
	if (have_total)
		UK_TEST_EXPECT(!uk_store_read_path("ukprom/getter_errors",
						   &after) &&
			       after.u == total.u);
	uk_prom_enc_fini(&e);
}

/* ---- long records: a HELP and an info value beyond the line buffer --- */

UK_STORE_LIBRARY(enclong);

static char long_str[3000];

static int get_long(void *c, const char **out)
{
	*out = long_str;
	return 0;
}

#define H10 "help text\\"
#define H100 H10 H10 H10 H10 H10 H10 H10 H10 H10 H10
UK_STORE_STATIC_ENTRY(enclong, big, str, info, none,
		      H100 H100 H100 H100 H100 H100 H100, get_long, NULL,
		      NULL);

UK_TEST(enc_long_records)
{
	static const char *const libs[] = { "enclong", NULL };
	char *p;
	size_t len, i;

	for (i = 0; i < sizeof(long_str) - 1; i++)
		long_str[i] = "ab\"\n"[i % 4];
	len = encode(UK_PROM_FMT_TEXT, libs, BUFSZ - 1, out);
	/* HELP: 700 chars, 70 backslashes doubled. */
	UK_TEST_ASSERT(!strncmp(out, "# HELP enclong_big_info help text\\\\",
				35));
	p = strchr(out, '\n');
	UK_TEST_ASSERT(p != NULL);
	UK_TEST_EQ(p - out, 7 + 16 + 1 + 770);
	/* HELP, TYPE, then the sample with 1500 escapes in 2999 chars. */
	UK_TEST_EQ(len, 795 + 30 + 24 + 2999 + 1499 + 5);
	for (i = 1; i < 600; i += 37) {
		size_t l2 = encode(UK_PROM_FMT_TEXT, libs, i, out2);

		UK_TEST_EQ(l2, len);
		UK_TEST_ASSERT(!memcmp(out, out2, len));
	}
}

/* ---- UTF-8: label values and strings stay valid ----------------------- */

UK_STORE_LIBRARY(encutf);

static int get_utf_str(void *c, const char **out)
{
	*out = c;
	return 0;
}

/* The unit is ignored: info families have none. */
static const struct uk_store_entry utf_tmpl[] = {
	UK_STORE_ENTRY(s, str, info, bytes, "H\xc3\xa9lp \xff", get_utf_str,
		       NULL, NULL),
};

UK_TEST(enc_utf8)
{
	static const char *const libs[] = { "encutf", NULL };
	static const char *const names[] = {
		"a_caf\xc3\xa9", "b_\xe2\x82\xac\xf0\x9f\x98\x80",
		"c_bad\xff", "d_cut\xe2\x82", "e_over\xc0\xaf",
		"f_surr\xed\xa0\x80" };
	struct uk_store_folder *f[6];
	unsigned int i;

	for (i = 0; i < 6; i++)
		UK_TEST_EQ(uk_store_folder_add(&uk_store_lib_encutf, "k",
						 names[i], utf_tmpl, 1,
						 (void *)"x\xc3\xa9\xfe", NULL,
						 &f[i]), 0);
	encode(UK_PROM_FMT_TEXT, libs, BUFSZ - 1, out);
	for (i = 0; i < 6; i++)
		uk_store_folder_remove(f[i]);
	UK_TEST_STREQ(out,
		"# HELP encutf_s_info H\xc3\xa9lp \xef\xbf\xbd\n"
		"# TYPE encutf_s_info gauge\n"
		"encutf_s_info{k=\"a_caf\xc3\xa9\",value=\"x\xc3\xa9\xef\xbf\xbd\"} 1\n"
		"encutf_s_info{k=\"b_\xe2\x82\xac\xf0\x9f\x98\x80\","
		"value=\"x\xc3\xa9\xef\xbf\xbd\"} 1\n"
		"encutf_s_info{k=\"c_bad\xef\xbf\xbd\",value=\"x\xc3\xa9\xef\xbf\xbd\"} 1\n"
		"encutf_s_info{k=\"d_cut\xef\xbf\xbd\xef\xbf\xbd\","
		"value=\"x\xc3\xa9\xef\xbf\xbd\"} 1\n"
		"encutf_s_info{k=\"e_over\xef\xbf\xbd\xef\xbf\xbd\","
		"value=\"x\xc3\xa9\xef\xbf\xbd\"} 1\n"
		"encutf_s_info{k=\"f_surr\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\","
		"value=\"x\xc3\xa9\xef\xbf\xbd\"} 1\n");
}

UK_STORE_LIBRARY(encval);

static int get_val_u64(void *c, uint64_t *out)
{
	*out = (uint64_t)(uintptr_t)c;
	return 0;
}

static const struct uk_store_entry val_tmpl[] = {
	UK_STORE_ENTRY(reads, u64, counter, none, "Reads.", get_val_u64,
		       NULL, NULL),
};

/* A valued folder prints its label value, not its name (a mountpoint),
 * on the fast path and, past 63 bytes, on the checked one. */
UK_TEST(enc_folder_value)
{
	static const char *const libs[] = { "encval", NULL };
	static const char long_mp[] = "/a/very/long/mountpoint/that/is/longer/"
				      "than/sixty-three/bytes/for/sure";
	struct uk_store_folder *f[3];

	UK_TEST_EQ(uk_store_folder_add_valued(&uk_store_lib_encval,
		   "mountpoint", "-", "/", val_tmpl, 1, (void *)1, NULL,
		   &f[0]), 0);
	UK_TEST_EQ(uk_store_folder_add_valued(&uk_store_lib_encval,
		   "mountpoint", "data", "/data\"x\"", val_tmpl, 1, (void *)2,
		   NULL, &f[1]), 0);
	UK_TEST_EQ(uk_store_folder_add_valued(&uk_store_lib_encval,
		   "mountpoint", "long", long_mp, val_tmpl, 1, (void *)3, NULL,
		   &f[2]), 0);
	encode(UK_PROM_FMT_TEXT, libs, BUFSZ - 1, out);
	uk_store_folder_remove(f[0]);
	uk_store_folder_remove(f[1]);
	uk_store_folder_remove(f[2]);
	UK_TEST_STREQ(out,
		"# HELP encval_reads_total Reads.\n"
		"# TYPE encval_reads_total counter\n"
		"encval_reads_total{mountpoint=\"/\"} 1\n"
		"encval_reads_total{mountpoint=\"/data\\\"x\\\"\"} 2\n"
		"encval_reads_total{mountpoint=\"/a/very/long/mountpoint/that/"
		"is/longer/than/sixty-three/bytes/for/sure\"} 3\n");
}

/* ---- label sets that cannot be printed -------------------------------- */

UK_STORE_LIBRARY(encinfo);

static int fx_hist_getter(void *c, struct uk_store_hist_val *h)
{
	h->nbuckets = 0;
	h->count = 1;
	h->sum = 1;
	return 0;
}

static int get_pairs(void *c, struct uk_store_labels_val *out)
{
	*out = *(struct uk_store_labels_val *)c;
	return 0;
}

#define P1(a, b) { 1, { { a, b } } }
#define P2(a, b, c, d) { 2, { { a, b }, { c, d } } }
static struct uk_store_labels_val li_good = P2("a", "1", "b", "x\ny\xff"),
	li_empty = { 0 }, li_nullval = P1("a", NULL),
	li_badname = P1("1x", "v"), li_reserved = P1("__x", "v"),
	li_dup = P2("a", "1", "a", "2"), li_k = P1("k", "v"),
	li_z = P1("z", "1"), li_toomany = { .n = UK_STORE_LABELS_MAX + 1 },
	li_nullname = P1(NULL, "v"), li_dev = P1("device", "x"),
	li_addr = P1("address", "y");

/* Defined last first (GCC's section order): they read in link order. */
UK_STORE_STATIC_ENTRY_L(encinfo, mix_b, mix, l, "b", hist, histogram, none,
			"A mix.", fx_hist_getter, NULL, NULL);
UK_STORE_STATIC_ENTRY_L(encinfo, mix_a, mix, l, "a", u64, gauge, none,
			"A mix.", get_ok, NULL, NULL);
UK_STORE_STATIC_ENTRY(encinfo, nullname, labels, info, none, "Null name.",
		      get_pairs, NULL, &li_nullname);
UK_STORE_STATIC_ENTRY(encinfo, toomany, labels, info, none, "Too many.",
		      get_pairs, NULL, &li_toomany);
UK_STORE_STATIC_ENTRY_L(encinfo, k_d, withk, k, "d", labels, info, none,
			"With k.", get_pairs, NULL, &li_z);
UK_STORE_STATIC_ENTRY_L(encinfo, k_c, withk, k, "c", labels, info, none,
			"With k.", get_pairs, NULL, &li_k);
UK_STORE_STATIC_ENTRY(encinfo, dup, labels, info, none, "Twice.",
		      get_pairs, NULL, &li_dup);
UK_STORE_STATIC_ENTRY(encinfo, reserved, labels, info, none, "Reserved.",
		      get_pairs, NULL, &li_reserved);
UK_STORE_STATIC_ENTRY(encinfo, badname, labels, info, none, "Bad name.",
		      get_pairs, NULL, &li_badname);
UK_STORE_STATIC_ENTRY(encinfo, nullval, labels, info, none, "Null value.",
		      get_pairs, NULL, &li_nullval);
UK_STORE_STATIC_ENTRY(encinfo, empty, labels, info, none, "Empty.",
		      get_pairs, NULL, &li_empty);
UK_STORE_STATIC_ENTRY(encinfo, good, labels, info, none, "Good.",
		      get_pairs, NULL, &li_good);

static const struct uk_store_entry info_tmpl[] = {
	UK_STORE_ENTRY(dev, labels, info, none, "Per device.", get_pairs,
		       NULL, NULL),
};

/*
 * An info's label pairs must have valid, distinct names that are not
 * among the sample's other labels; a sample that breaks this is dropped
 * and counted, as a failing getter's.  So is a member of a family of
 * static entries that would not print as the family does (static
 * entries are checked by uk_store_lib_check() in tests only).
 */
UK_TEST(enc_info_labels_checked)
{
	static const char *const libs[] = { "encinfo", NULL };
	static const char expect[] =
		T1("encinfo_good_info", "gauge", "Good.",
		   "encinfo_good_info{a=\"1\",b=\"x\\ny\xef\xbf\xbd\"} 1")
		T1("encinfo_empty_info", "gauge", "Empty.",
		   "encinfo_empty_info 1")
		T1("encinfo_nullval_info", "gauge", "Null value.",
		   "encinfo_nullval_info{a=\"\"} 1")
		"# HELP encinfo_badname_info Bad name.\n"
		"# TYPE encinfo_badname_info gauge\n"
		"# HELP encinfo_reserved_info Reserved.\n"
		"# TYPE encinfo_reserved_info gauge\n"
		"# HELP encinfo_dup_info Twice.\n"
		"# TYPE encinfo_dup_info gauge\n"
		T1("encinfo_withk_info", "gauge", "With k.",
		   "encinfo_withk_info{k=\"d\",z=\"1\"} 1")
		"# HELP encinfo_toomany_info Too many.\n"
		"# TYPE encinfo_toomany_info gauge\n"
		"# HELP encinfo_nullname_info Null name.\n"
		"# TYPE encinfo_nullname_info gauge\n"
		T1("encinfo_mix", "gauge", "A mix.", "encinfo_mix{l=\"a\"} 5")
		T1("encinfo_dev_info", "gauge", "Per device.",
		   "encinfo_dev_info{device=\"eth1\",address=\"y\"} 1");
	static const char *const dev_label[] = { "device" };
	struct uk_store_folder *f0, *f1;
	struct uk_prom_enc e;
	size_t len = 0, n;

	UK_TEST_EQ(uk_store_folder_add_labels(&uk_store_lib_encinfo, dev_label,
					      NULL, 1, "eth0", info_tmpl, 1,
					      &li_dev, NULL, &f0), 0);
	UK_TEST_EQ(uk_store_folder_add_labels(&uk_store_lib_encinfo, dev_label,
					      NULL, 1, "eth1", info_tmpl, 1,
					      &li_addr, NULL, &f1), 0);
	uk_prom_enc_init_filter(&e, UK_PROM_FMT_TEXT, libs);
	while ((n = uk_prom_enc_read(&e, out + len, 100)) > 0)
		len += n;
	out[len] = '\0';
	uk_prom_enc_fini(&e);
	uk_store_folder_remove(f0);
	uk_store_folder_remove(f1);
	UK_TEST_STREQ(out, expect);
	/* badname reserved dup k_c toomany nullname mix_b eth0 */
	UK_TEST_EQ(e.getter_errors, 8);
}

static int check_statics(void *arg, const struct uk_store_lib *lib)
{
	const struct uk_store_entry *bad = NULL;

	/* encinfo's mix family disagrees on purpose. */
	if (strcmp(lib->name, "encinfo") && uk_store_lib_check(lib, &bad)) {
		uk_test_log("%s/%s", lib->name, bad ? bad->name : "?");
		++*(int *)arg;
	}
	return 0;
}

/* The fixture's static entries (and, in the kernel, the stats ones) pass. */
UK_TEST(enc_statics_valid)
{
	struct uk_store_walk_ops ops = { check_statics, NULL, NULL };
	int nbad = 0;

	UK_TEST_EQ(uk_store_walk(&ops, &nbad), 0);
	UK_TEST_EQ(nbad, 0);
	UK_TEST_EQ(uk_store_lib_check(&uk_store_lib_encinfo, NULL), -EINVAL);
}

/* ---- allocation ------------------------------------------------------ */

UK_TEST(enc_no_alloc)
{
	static const char *const libs[] = { "encdyn", "encint", "encfail",
					    "enclong", "ukprom", "encfam",
					    "node", "process", "encinfo",
					    NULL };
	struct uk_alloc_failing fa;
	struct uk_alloc *old;
	size_t a, b;

	enc_fixture_setup();
	uk_alloc_failing_init(&fa, uk_alloc_get_default(), 1, 1);
	old = uk_alloc_set_default(&fa.a);
	a = encode(UK_PROM_FMT_TEXT, libs, 4096, out);
	b = encode(UK_PROM_FMT_OPENMETRICS, libs, 7, out2);
	uk_alloc_set_default(old);
	UK_TEST_ASSERT(a > 1000 && b > 1000);
	UK_TEST_EQ(fa.calls, 0);
}

/* ---- the prefix cache (enc_prefix.c) ------------------------------- */

UK_STORE_LIBRARY(encpfx);

static int pfx_hits(void *c, uint64_t *out)
{
	*out = (uint64_t)(uintptr_t)c;
	return 0;
}

static int pfx_temp(void *c, double *out)
{
	*out = (double)(uintptr_t)c * 0.25;
	return 0;
}

static int pfx_name(void *c, const char **out)
{
	*out = "x";
	return 0;
}

static const struct uk_store_entry pfx_tmpl[] = {
	UK_STORE_ENTRY(hits, u64, counter, none, "Hits", pfx_hits, NULL,
		       NULL),
	UK_STORE_ENTRY(temp, dbl, gauge, seconds, "Temp", pfx_temp, NULL,
		       NULL),
	UK_STORE_ENTRY(name, str, info, none, "Name", pfx_name, NULL, NULL),
};

static const char *const lib_pfx[] = { "encpfx", NULL };

/*
 * A folder's number samples get their prefix at add: the annex holds a
 * 16-byte header, 8 bytes per template entry, each number entry's
 * `name{labels} ` and 16 bytes of padding (the memory golden), and the
 * store counts it; it goes with the folder.  A prefix too long to cache
 * leaves its samples to the general path, with the same text.
 */
UK_TEST(enc_prefix_cache)
{
	static const char want[] =
		"# HELP encpfx_hits_total Hits\n"
		"# TYPE encpfx_hits_total counter\n"
		"encpfx_hits_total{id=\"a\"} 5\n"
		"# HELP encpfx_temp_seconds Temp\n"
		"# TYPE encpfx_temp_seconds gauge\n"
		"encpfx_temp_seconds{id=\"a\"} 1.25\n"
		"# HELP encpfx_name_info Name\n"
		"# TYPE encpfx_name_info gauge\n"
		"encpfx_name_info{id=\"a\",value=\"x\"} 1\n";
	static const char *const id[] = { "id" };
	struct uk_store_mem m0, m1, m2;
	struct uk_store_folder *f, *g;
	char value[256], line[700];
	const void *annex;
	size_t len, pos;
	int n;

	uk_store_mem_get(&m0);
	UK_TEST_EQ(uk_store_folder_add(&uk_store_lib_encpfx, "id", "a",
				       pfx_tmpl, 3, (void *)(uintptr_t)5, NULL,
				       &f), 0);
	annex = uk_store_folder_annex(f, &len);
	UK_TEST_ASSERT(annex != NULL);
	/* "encpfx_hits_total{id=\"a\"} " and "encpfx_temp_seconds{id=\"a\"} " */
	UK_TEST_EQ(len, 16 + 3 * 8 + 26 + 28 + 16);
	uk_store_mem_get(&m1);
	UK_TEST_EQ(m1.folders, m0.folders + 1);
	UK_TEST_EQ(m1.annex_bytes, m0.annex_bytes + len);
	UK_TEST_ASSERT(m1.folder_bytes - m0.folder_bytes > len);
	encode(UK_PROM_FMT_TEXT, lib_pfx, 4096, out);
	UK_TEST_STREQ(out, want);
	/* Chunks too small for the fast run: the general path, same text. */
	encode(UK_PROM_FMT_TEXT, lib_pfx, 5, out2);
	UK_TEST_STREQ(out2, want);

	/* A label value escaping past the cache's bound: no annex. */
	memset(value, '"', 255);
	value[255] = '\0';
	UK_TEST_EQ(uk_store_folder_add_labels(&uk_store_lib_encpfx, id,
					      (const char *const[]){ value },
					      1, "b", pfx_tmpl, 3,
					      (void *)(uintptr_t)6, NULL, &g),
		   0);
	UK_TEST_ASSERT(uk_store_folder_annex(g, &len) == NULL);
	UK_TEST_EQ(len, 0);
	encode(UK_PROM_FMT_TEXT, lib_pfx, 4096, out);
	n = snprintf(line, sizeof(line), "encpfx_hits_total{id=\"");
	for (pos = 0; pos < 255; pos++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, "\\\"");
	snprintf(line + n, sizeof(line) - (size_t)n, "\"} 6\n");
	UK_TEST_ASSERT(strstr(out, line) != NULL);
	UK_TEST_ASSERT(strstr(out, "encpfx_hits_total{id=\"a\"} 5\n") != NULL);

	UK_TEST_EQ(uk_store_folder_remove(g), 0);
	UK_TEST_EQ(uk_store_folder_remove(f), 0);
	uk_store_mem_get(&m2);
	UK_TEST_EQ(m2.folders, m0.folders);
	UK_TEST_EQ(m2.folder_bytes, m0.folder_bytes);
	UK_TEST_EQ(m2.annex_bytes, m0.annex_bytes);
	UK_TEST_EQ(m2.class_bytes, m0.class_bytes);
}

/*
 * Runs over several of the cursor's batches (53 folders, batches of
 * UK_STORE_ITER_BATCH): the held-batch loops of u64 and double entries
 * (enc_prefix.c) with getters failing here and there, folders without a
 * prefix (a long escaped label value) in the middle of a batch, and
 * every chunk size cutting runs anywhere, against a golden built here
 * sample by sample.
 */
UK_STORE_LIBRARY(encbat);

#define BAT_N 53

static int bat_hits(void *c, uint64_t *out)
{
	uintptr_t i = (uintptr_t)c;

	if (i % 7 == 3)
		return -EIO;
	*out = i * 1000 + 7;
	return 0;
}

static int bat_temp(void *c, double *out)
{
	uintptr_t i = (uintptr_t)c;

	if (i % 5 == 1)
		return -EIO;
	*out = i & 1 ? (double)i * 0.1 : (double)i * 0.25;
	return 0;
}

static const struct uk_store_entry bat_tmpl[] = {
	UK_STORE_ENTRY(hits, u64, counter, none, "Hits", bat_hits, NULL,
		       NULL),
	UK_STORE_ENTRY(temp, dbl, gauge, none, "Temp", bat_temp, NULL, NULL),
};

/* Folder i's label value: its name, or a long one that is not cached. */
static void bat_value(unsigned int i, char *v, size_t size)
{
	if (i % 11 == 4) {
		memset(v, '"', 250);
		snprintf(v + 250, size - 250, "%02u", i);
	} else {
		snprintf(v, size, "f%02u", i);
	}
}

UK_TEST(enc_prefix_batches)
{
	static const char *const lib_bat[] = { "encbat", NULL };
	static const size_t sizes[] = { BUFSZ - 1, 4096, 700, 100, 37, 5 };
	static const char *const id[] = { "id" };
	static char want[BUFSZ], v[300];
	struct uk_store_folder *f[BAT_N];
	size_t n = 0, len, k;
	unsigned int i, j, x;
	char name[8];

	for (i = 0; i < BAT_N; i++) {
		snprintf(name, sizeof(name), "f%02u", i);
		bat_value(i, v, sizeof(v));
		UK_TEST_EQ(uk_store_folder_add_labels(
				   &uk_store_lib_encbat, id,
				   (const char *const[]){ v }, 1, name,
				   bat_tmpl, 2, (void *)(uintptr_t)i, NULL,
				   &f[i]), 0);
	}
	n += (size_t)snprintf(want + n, BUFSZ - n,
			      "# HELP encbat_hits_total Hits\n"
			      "# TYPE encbat_hits_total counter\n");
	for (j = 0; j < 2; j++) {
		if (j)
			n += (size_t)snprintf(want + n, BUFSZ - n,
					      "# HELP encbat_temp Temp\n"
					      "# TYPE encbat_temp gauge\n");
		for (i = 0; i < BAT_N; i++) {
			uint64_t u;
			double d;

			if (j ? bat_temp((void *)(uintptr_t)i, &d)
			      : bat_hits((void *)(uintptr_t)i, &u))
				continue;
			n += (size_t)snprintf(want + n, BUFSZ - n, "%s{id=\"",
					      j ? "encbat_temp"
						: "encbat_hits_total");
			bat_value(i, v, sizeof(v));
			for (x = 0; v[x]; x++)
				n += (size_t)snprintf(want + n, BUFSZ - n, "%s",
						      v[x] == '"' ? "\\\""
								  : (char[]){ v[x], 0 });
			n += (size_t)snprintf(want + n, BUFSZ - n, "\"} ");
			n += (size_t)(j ? uk_num_fmt_double(d, want + n)
					: uk_num_fmt_u64(u, want + n));
			want[n++] = '\n';
		}
	}
	want[n] = '\0';
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		len = encode(UK_PROM_FMT_TEXT, lib_bat, sizes[k], out);
		UK_TEST_EQ(len, n);
		UK_TEST_STREQ(out, want);
	}
	len = encode(UK_PROM_FMT_OPENMETRICS, lib_bat, BUFSZ - 1, out);
	for (k = 1; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		UK_TEST_EQ(encode(UK_PROM_FMT_OPENMETRICS, lib_bat, sizes[k],
				  out2), len);
		UK_TEST_STREQ(out2, out);
	}
	for (i = 0; i < BAT_N; i++)
		UK_TEST_EQ(uk_store_folder_remove(f[i]), 0);
}

/*
 * The prefixes are part of the folder's one allocation: with the
 * allocator exhausted the add fails with -ENOMEM and leaves the store
 * (and its memory figures, and the encoding) as they were.
 */
UK_TEST(enc_prefix_enomem)
{
	struct uk_alloc_failing fa;
	struct uk_store_mem m0, m1;
	struct uk_store_folder *f = NULL;
	struct uk_alloc *old;
	size_t a, b;

	a = encode(UK_PROM_FMT_TEXT, lib_pfx, 4096, out);
	uk_store_mem_get(&m0);
	uk_alloc_failing_init(&fa, uk_alloc_get_default(), 1, 1);
	old = uk_alloc_set_default(&fa.a);
	UK_TEST_EQ(uk_store_folder_add(&uk_store_lib_encpfx, "id", "c",
				       pfx_tmpl, 3, NULL, NULL, &f), -ENOMEM);
	uk_alloc_set_default(old);
	UK_TEST_ASSERT(f == NULL);
	uk_store_mem_get(&m1);
	UK_TEST_EQ(m1.folders, m0.folders);
	UK_TEST_EQ(m1.folder_bytes, m0.folder_bytes);
	UK_TEST_EQ(m1.annex_bytes, m0.annex_bytes);
	UK_TEST_EQ(m1.classes, m0.classes);
	b = encode(UK_PROM_FMT_TEXT, lib_pfx, 4096, out2);
	UK_TEST_EQ(a, b);
	UK_TEST_STREQ(out, out2);
}

/* Stopping early releases the folder the cursor holds. */
UK_TEST(enc_stop_early)
{
	struct uk_prom_enc e;
	char b[10];

	enc_fixture_setup();
	uk_prom_enc_init_filter(&e, UK_PROM_FMT_TEXT, lib_dyn);
	UK_TEST_EQ(uk_prom_enc_read(&e, b, sizeof(b)), 10);
	uk_prom_enc_fini(&e);
	UK_TEST_EQ(uk_prom_enc_read(&e, b, sizeof(b)), 0);
	uk_prom_enc_fini(&e);
}

/* ---- number formatting, also in the kernel build ---------------------- */

UK_TEST(enc_fmt_double)
{
	static const struct { double v; const char *s; } c[] = {
		{ 0.1, "0.1" }, { 2.0 / 3, "0.6666666666666666" },
		{ 1e300, "1e+300" }, { 5e-324, "5e-324" }, { -0.0, "-0" },
		{ 1.7976931348623157e308, "1.7976931348623157e+308" },
		{ 2.2250738585072014e-308, "2.2250738585072014e-308" },
		{ 123.456, "123.456" }, { 1e-5, "1e-05" }, { 1e16, "1e+16" },
		{ 9007199254740991.0, "9007199254740991" }, { 0.3, "0.3" },
		{ 2.5e-7, "2.5e-07" }, { 1e23, "1e+23" }, { 0.125, "0.125" },
		{ 7.291122019556398e-304, "7.291122019556398e-304" },
		{ 2.2026630000000002e+20, "2.202663e+20" },
		{ 1099511627776.5, "1099511627776.5" },
	};
	char b[32];
	unsigned int i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		UK_TEST_EQ(uk_num_fmt_double(c[i].v, b), strlen(c[i].s));
		UK_TEST_STREQ(b, c[i].s);
	}
}

/* ---- the same number text in /store and /metrics --------------------- */

UK_STORE_LIBRARY(encnum);

static double encnum_val;

static int encnum_get(void *c, double *out)
{
	*out = encnum_val;
	return 0;
}

UK_STORE_STATIC_ENTRY(encnum, v, dbl, gauge, none, "A double.", encnum_get,
		      NULL, NULL);

/*
 * /store/<path> prints uk_store_value_format()'s text, /metrics the
 * encoder's: for every value, in both formats, the sample's value text
 * must be the store's text exactly.  Tricky values, then random bit
 * patterns.
 */
UK_TEST(enc_same_text_as_store)
{
	static const double tricky[] = {
		0.1, 1e21, 5e-324, 1.0 / 3, 123456789012345680000.0, -0.0,
		0.0, 1e-7, 1e-5, 0.0001, 1e15, 1e16, 9007199254740993.0,
		2.2250738585072014e-308, 1.7976931348623157e308, 2.5e-7, 1e23,
		-1e300, 12.25, 0.3, 2.0 / 3, 1099511627776.5, -4.5e-320,
		__builtin_nan(""), __builtin_inf(), -__builtin_inf(),
	};
	static const char *const libs[] = { "encnum", NULL };
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	struct uk_store_value v;
	char txt[64], want[96];
	int i, k;

	for (i = 0; i < 2000; i++) {
		if (i < (int)(sizeof(tricky) / sizeof(tricky[0]))) {
			encnum_val = tricky[i];
		} else {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			memcpy(&encnum_val, &x, sizeof(x));
		}
		UK_TEST_EQ(uk_store_read_path("encnum/v", &v), 0);
		uk_store_value_format(&v, txt, sizeof(txt));
		for (k = 0; k < 2; k++) {
			encode(k ? UK_PROM_FMT_OPENMETRICS : UK_PROM_FMT_TEXT,
			       libs, BUFSZ - 1, out);
			snprintf(want, sizeof(want), "\nencnum_v %s\n", txt);
			if (!strstr(out, want))
				UK_TEST_STREQ(out, want);
		}
	}
}

/* ---- negotiation ----------------------------------------------------- */

UK_TEST(enc_negotiate)
{
	static const struct { const char *accept; int om; } c[] = {
		{ NULL, 0 },
		{ "", 0 },
		{ "*/*", 0 },
		{ "text/plain", 0 },
		{ "application/openmetrics-text", 1 },
		{ "application/openmetrics-text; version=1.0.0", 1 },
		{ "application/openmetrics-text;version=0.0.1", 0 },
		{ "application/openmetrics-text;version=1.0.0,"
		  "application/openmetrics-text;version=0.0.1;q=0.75,"
		  "text/plain;version=0.0.4;q=0.5,*/*;q=0.1", 1 },
		{ "application/openmetrics-text;q=0.5,text/plain;q=0.5", 0 },
		{ "application/openmetrics-text;q=0.6,text/plain;q=0.5", 1 },
		{ "text/plain;q=0.9, application/openmetrics-text;q=0.8", 0 },
		{ "application/openmetrics-text;q=0", 0 },
		{ "application/openmetrics-text;q=0,*/*", 0 },
		{ "text/plain;q=0, application/openmetrics-text;q=0.001", 1 },
		{ "text/plain;q=0,*/*;q=0.5,application/openmetrics-text;"
		  "q=0.2", 1 },
		{ "text/*;q=0.1, application/*", 1 },
		{ "APPLICATION/OpenMetrics-Text ; Version=\"1.0.0\" ; Q=1", 1 },
		{ "application/openmetrics-text;q=2", 0 },
		{ "application/openmetrics-text;q=0.5x", 0 },
		{ "application/openmetrics-text;q=", 0 },
		{ "application/openmetrics-text;q=0.1234", 0 },
		{ "text/html, application/json", 0 },
		{ ";;;,,,/;=\"\\", 0 },
		{ "application/openmetrics-text;foo=\"a,b;c\";q=0.9,"
		  "text/plain;q=0.8", 1 },
		{ "application/openmetrics-text;foo=\"unterminated", 1 },
		{ "application/openmetrics-text;;=;q=1;", 1 },
		{ "application/openmetrics-text/x", 0 },
		{ "application", 0 },
		{ "application/", 0 },
		{ "/openmetrics-text", 0 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		int got = uk_prom_negotiate(c[i].accept) ==
			  UK_PROM_FMT_OPENMETRICS;

		if (got != c[i].om)
			uk_test_log("case %u: \"%s\"", i,
				    c[i].accept ? c[i].accept : "(null)");
		UK_TEST_EQ(got, c[i].om);
	}
}
