/*
 * The exposition of node's libraries "node" and "process" over
 * tests/fixture.c, CPU times and the heap's use masked ("X") and the
 * build's version and revision replaced (test_node.c).
 */
#ifndef GOLDEN_NODE_H
#define GOLDEN_NODE_H

#define GOLDEN_NODE_TEXT \
	"# HELP node_vmstat_oom_kill /proc/vmstat information field oom_kill.\n" \
	"# TYPE node_vmstat_oom_kill untyped\n" \
	"node_vmstat_oom_kill 0\n" \
	"# HELP node_vmstat_pswpout /proc/vmstat information field pswpout.\n" \
	"# TYPE node_vmstat_pswpout untyped\n" \
	"node_vmstat_pswpout 0\n" \
	"# HELP node_vmstat_pswpin /proc/vmstat information field pswpin.\n" \
	"# TYPE node_vmstat_pswpin untyped\n" \
	"node_vmstat_pswpin 0\n" \
	"# HELP node_vmstat_pgpgout /proc/vmstat information field pgpgout.\n" \
	"# TYPE node_vmstat_pgpgout untyped\n" \
	"node_vmstat_pgpgout 0\n" \
	"# HELP node_vmstat_pgpgin /proc/vmstat information field pgpgin.\n" \
	"# TYPE node_vmstat_pgpgin untyped\n" \
	"node_vmstat_pgpgin 0\n" \
	"# HELP node_vmstat_pgmajfault /proc/vmstat information field pgmajfault.\n" \
	"# TYPE node_vmstat_pgmajfault untyped\n" \
	"node_vmstat_pgmajfault 0\n" \
	"# HELP node_vmstat_pgfault /proc/vmstat information field pgfault.\n" \
	"# TYPE node_vmstat_pgfault untyped\n" \
	"node_vmstat_pgfault 0\n" \
	"# HELP node_memory_HugePages_Surp Memory information field HugePages_Surp. Always 0 in a unikernel.\n" \
	"# TYPE node_memory_HugePages_Surp gauge\n" \
	"node_memory_HugePages_Surp 0\n" \
	"# HELP node_memory_HugePages_Rsvd Memory information field HugePages_Rsvd. Always 0 in a unikernel.\n" \
	"# TYPE node_memory_HugePages_Rsvd gauge\n" \
	"node_memory_HugePages_Rsvd 0\n" \
	"# HELP node_memory_HugePages_Free Memory information field HugePages_Free. Always 0 in a unikernel.\n" \
	"# TYPE node_memory_HugePages_Free gauge\n" \
	"node_memory_HugePages_Free 0\n" \
	"# HELP node_memory_HugePages_Total Memory information field HugePages_Total. Always 0 in a unikernel.\n" \
	"# TYPE node_memory_HugePages_Total gauge\n" \
	"node_memory_HugePages_Total 0\n" \
	"# HELP node_memory_Committed_AS_bytes Memory information field Committed_AS_bytes. Bytes allocated.\n" \
	"# TYPE node_memory_Committed_AS_bytes gauge\n" \
	"node_memory_Committed_AS_bytes X\n" \
	"# HELP node_memory_PageTables_bytes Memory information field PageTables_bytes. Always 0 in a unikernel.\n" \
	"# TYPE node_memory_PageTables_bytes gauge\n" \
	"node_memory_PageTables_bytes 0\n" \
	"# HELP node_memory_SUnreclaim_bytes Memory information field SUnreclaim_bytes. Always 0 in a unikernel.\n" \
	"# TYPE node_memory_SUnreclaim_bytes gauge\n" \
	"node_memory_SUnreclaim_bytes 0\n" \
	"# HELP node_memory_SReclaimable_bytes Memory information field SReclaimable_bytes. Always 0 in a unikernel.\n" \
	"# TYPE node_memory_SReclaimable_bytes gauge\n" \
	"node_memory_SReclaimable_bytes 0\n" \
	"# HELP node_memory_Slab_bytes Memory information field Slab_bytes. Always 0 in a unikernel.\n" \
	"# TYPE node_memory_Slab_bytes gauge\n" \
	"node_memory_Slab_bytes 0\n" \
	"# HELP node_memory_Shmem_bytes Memory information field Shmem_bytes. Always 0 in a unikernel.\n" \
	"# TYPE node_memory_Shmem_bytes gauge\n" \
	"node_memory_Shmem_bytes 0\n" \
	"# HELP node_memory_Mapped_bytes Memory information field Mapped_bytes. Always 0 in a unikernel.\n" \
	"# TYPE node_memory_Mapped_bytes gauge\n" \
	"node_memory_Mapped_bytes 0\n" \
	"# HELP node_memory_Writeback_bytes Memory information field Writeback_bytes. Always 0 in a unikernel.\n" \
	"# TYPE node_memory_Writeback_bytes gauge\n" \
	"node_memory_Writeback_bytes 0\n" \
	"# HELP node_memory_Dirty_bytes Memory information field Dirty_bytes. Always 0 in a unikernel.\n" \
	"# TYPE node_memory_Dirty_bytes gauge\n" \
	"node_memory_Dirty_bytes 0\n" \
	"# HELP node_memory_SwapFree_bytes Memory information field SwapFree_bytes. Always 0 in a unikernel.\n" \
	"# TYPE node_memory_SwapFree_bytes gauge\n" \
	"node_memory_SwapFree_bytes 0\n" \
	"# HELP node_memory_SwapTotal_bytes Memory information field SwapTotal_bytes. Always 0 in a unikernel.\n" \
	"# TYPE node_memory_SwapTotal_bytes gauge\n" \
	"node_memory_SwapTotal_bytes 0\n" \
	"# HELP node_memory_Inactive_bytes Memory information field Inactive_bytes. Always 0 in a unikernel.\n" \
	"# TYPE node_memory_Inactive_bytes gauge\n" \
	"node_memory_Inactive_bytes 0\n" \
	"# HELP node_memory_Active_bytes Memory information field Active_bytes. Always 0 in a unikernel.\n" \
	"# TYPE node_memory_Active_bytes gauge\n" \
	"node_memory_Active_bytes 0\n" \
	"# HELP node_memory_SwapCached_bytes Memory information field SwapCached_bytes. Always 0 in a unikernel.\n" \
	"# TYPE node_memory_SwapCached_bytes gauge\n" \
	"node_memory_SwapCached_bytes 0\n" \
	"# HELP node_memory_Cached_bytes Memory information field Cached_bytes. Always 0 in a unikernel.\n" \
	"# TYPE node_memory_Cached_bytes gauge\n" \
	"node_memory_Cached_bytes 0\n" \
	"# HELP node_memory_Buffers_bytes Memory information field Buffers_bytes. Always 0 in a unikernel.\n" \
	"# TYPE node_memory_Buffers_bytes gauge\n" \
	"node_memory_Buffers_bytes 0\n" \
	"# HELP node_memory_MemAvailable_bytes Memory information field MemAvailable_bytes. The heap's free pages.\n" \
	"# TYPE node_memory_MemAvailable_bytes gauge\n" \
	"node_memory_MemAvailable_bytes X\n" \
	"# HELP node_memory_MemFree_bytes Memory information field MemFree_bytes. The heap's free pages.\n" \
	"# TYPE node_memory_MemFree_bytes gauge\n" \
	"node_memory_MemFree_bytes X\n" \
	"# HELP node_memory_MemTotal_bytes Memory information field MemTotal_bytes. The heap.\n" \
	"# TYPE node_memory_MemTotal_bytes gauge\n" \
	"node_memory_MemTotal_bytes 4145152\n" \
	"# HELP node_boot_time_seconds Node boot time, in unixtime.\n" \
	"# TYPE node_boot_time_seconds gauge\n" \
	"node_boot_time_seconds 1699999899\n" \
	"# HELP node_time_zone_offset_seconds System time zone offset in seconds.\n" \
	"# TYPE node_time_zone_offset_seconds gauge\n" \
	"node_time_zone_offset_seconds{time_zone=\"UTC\"} 0\n" \
	"# HELP node_time_seconds System time in seconds since epoch (1970).\n" \
	"# TYPE node_time_seconds gauge\n" \
	"node_time_seconds 1700000000.2499998\n" \
	"# HELP node_os_info A metric with a constant '1' value labeled by build_id, id, id_like, image_id, image_version, name, pretty_name, variant, variant_id, version, version_codename, version_id.\n" \
	"# TYPE node_os_info gauge\n" \
	"node_os_info{id=\"ukmon\",name=\"ukmon\",pretty_name=\"ukmon VERSION\",version=\"VERSION\",version_id=\"VERSION\"} 1\n" \
	"# HELP node_uname_info Labeled system information as provided by the uname system call.\n" \
	"# TYPE node_uname_info gauge\n" \
	"node_uname_info{domainname=\"(none)\",machine=\"x86_64\",nodename=\"ukmon\",release=\"VERSION\",sysname=\"ukmon\",version=\"#1 REVISION\"} 1\n" \
	"# HELP node_load15 15m load average.\n" \
	"# TYPE node_load15 gauge\n" \
	"node_load15 0\n" \
	"# HELP node_load5 5m load average.\n" \
	"# TYPE node_load5 gauge\n" \
	"node_load5 0\n" \
	"# HELP node_load1 1m load average.\n" \
	"# TYPE node_load1 gauge\n" \
	"node_load1 0\n" \
	"# HELP node_procs_blocked Number of processes blocked waiting for I/O to complete.\n" \
	"# TYPE node_procs_blocked gauge\n" \
	"node_procs_blocked 0\n" \
	"# HELP node_procs_running Number of processes in runnable state.\n" \
	"# TYPE node_procs_running gauge\n" \
	"node_procs_running 1\n" \
	"# HELP node_forks_total Total number of forks.\n" \
	"# TYPE node_forks_total counter\n" \
	"node_forks_total 1\n" \
	"# HELP node_intr_total Total number of interrupts serviced.\n" \
	"# TYPE node_intr_total counter\n" \
	"node_intr_total 0\n" \
	"# HELP node_context_switches_total Total number of context switches.\n" \
	"# TYPE node_context_switches_total counter\n" \
	"node_context_switches_total 0\n" \
	"# HELP node_filefd_maximum File descriptor statistics: maximum.\n" \
	"# TYPE node_filefd_maximum gauge\n" \
	"node_filefd_maximum 256\n" \
	"# HELP node_filefd_allocated File descriptor statistics: allocated.\n" \
	"# TYPE node_filefd_allocated gauge\n" \
	"node_filefd_allocated 3\n" \
	"# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.\n" \
	"# TYPE node_cpu_seconds_total counter\n" \
	"node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} X\n" \
	"node_cpu_seconds_total{cpu=\"0\",mode=\"iowait\"} X\n" \
	"node_cpu_seconds_total{cpu=\"0\",mode=\"irq\"} X\n" \
	"node_cpu_seconds_total{cpu=\"0\",mode=\"nice\"} X\n" \
	"node_cpu_seconds_total{cpu=\"0\",mode=\"softirq\"} X\n" \
	"node_cpu_seconds_total{cpu=\"0\",mode=\"steal\"} X\n" \
	"node_cpu_seconds_total{cpu=\"0\",mode=\"system\"} X\n" \
	"node_cpu_seconds_total{cpu=\"0\",mode=\"user\"} X\n" \
	"# HELP node_cpu_guest_seconds_total Seconds the CPUs spent in guests (VMs) for each mode.\n" \
	"# TYPE node_cpu_guest_seconds_total counter\n" \
	"node_cpu_guest_seconds_total{cpu=\"0\",mode=\"nice\"} 0\n" \
	"node_cpu_guest_seconds_total{cpu=\"0\",mode=\"user\"} 0\n" \
	"# HELP node_disk_info Info of /sys/block/<block_device>.\n" \
	"# TYPE node_disk_info gauge\n" \
	"node_disk_info{device=\"vda\",major=\"253\",minor=\"0\",model=\"\",path=\"\",revision=\"\",serial=\"\",wwn=\"\"} 1\n" \
	"# HELP node_disk_reads_completed_total The total number of reads completed successfully.\n" \
	"# TYPE node_disk_reads_completed_total counter\n" \
	"node_disk_reads_completed_total{device=\"vda\"} 2\n" \
	"# HELP node_disk_reads_merged_total The total number of reads merged.\n" \
	"# TYPE node_disk_reads_merged_total counter\n" \
	"node_disk_reads_merged_total{device=\"vda\"} 0\n" \
	"# HELP node_disk_read_bytes_total The total number of bytes read successfully.\n" \
	"# TYPE node_disk_read_bytes_total counter\n" \
	"node_disk_read_bytes_total{device=\"vda\"} 8192\n" \
	"# HELP node_disk_read_time_seconds_total The total number of seconds spent by all reads.\n" \
	"# TYPE node_disk_read_time_seconds_total counter\n" \
	"node_disk_read_time_seconds_total{device=\"vda\"} 0\n" \
	"# HELP node_disk_writes_completed_total The total number of writes completed successfully.\n" \
	"# TYPE node_disk_writes_completed_total counter\n" \
	"node_disk_writes_completed_total{device=\"vda\"} 1\n" \
	"# HELP node_disk_writes_merged_total The number of writes merged.\n" \
	"# TYPE node_disk_writes_merged_total counter\n" \
	"node_disk_writes_merged_total{device=\"vda\"} 0\n" \
	"# HELP node_disk_written_bytes_total The total number of bytes written successfully.\n" \
	"# TYPE node_disk_written_bytes_total counter\n" \
	"node_disk_written_bytes_total{device=\"vda\"} 512\n" \
	"# HELP node_disk_write_time_seconds_total This is the total number of seconds spent by all writes.\n" \
	"# TYPE node_disk_write_time_seconds_total counter\n" \
	"node_disk_write_time_seconds_total{device=\"vda\"} 0\n" \
	"# HELP node_disk_io_now The number of I/Os currently in progress.\n" \
	"# TYPE node_disk_io_now gauge\n" \
	"node_disk_io_now{device=\"vda\"} 0\n" \
	"# HELP node_disk_io_time_seconds_total Total seconds spent doing I/Os.\n" \
	"# TYPE node_disk_io_time_seconds_total counter\n" \
	"node_disk_io_time_seconds_total{device=\"vda\"} 0\n" \
	"# HELP node_disk_io_time_weighted_seconds_total The weighted # of seconds spent doing I/Os.\n" \
	"# TYPE node_disk_io_time_weighted_seconds_total counter\n" \
	"node_disk_io_time_weighted_seconds_total{device=\"vda\"} 0\n" \
	"# HELP node_filesystem_size_bytes Filesystem size in bytes.\n" \
	"# TYPE node_filesystem_size_bytes gauge\n" \
	"node_filesystem_size_bytes{mountpoint=\"/data\",device=\"data0\",fstype=\"ramfs\"} 65536\n" \
	"node_filesystem_size_bytes{mountpoint=\"/\",device=\"ramfs\",fstype=\"ramfs\"} 2072576\n" \
	"# HELP node_filesystem_free_bytes Filesystem free space in bytes.\n" \
	"# TYPE node_filesystem_free_bytes gauge\n" \
	"node_filesystem_free_bytes{mountpoint=\"/data\",device=\"data0\",fstype=\"ramfs\"} 61440\n" \
	"node_filesystem_free_bytes{mountpoint=\"/\",device=\"ramfs\",fstype=\"ramfs\"} 2068480\n" \
	"# HELP node_filesystem_avail_bytes Filesystem space available to non-root users in bytes.\n" \
	"# TYPE node_filesystem_avail_bytes gauge\n" \
	"node_filesystem_avail_bytes{mountpoint=\"/data\",device=\"data0\",fstype=\"ramfs\"} 61440\n" \
	"node_filesystem_avail_bytes{mountpoint=\"/\",device=\"ramfs\",fstype=\"ramfs\"} 2068480\n" \
	"# HELP node_filesystem_files Filesystem total file nodes.\n" \
	"# TYPE node_filesystem_files gauge\n" \
	"node_filesystem_files{mountpoint=\"/data\",device=\"data0\",fstype=\"ramfs\"} 0\n" \
	"node_filesystem_files{mountpoint=\"/\",device=\"ramfs\",fstype=\"ramfs\"} 0\n" \
	"# HELP node_filesystem_files_free Filesystem total free file nodes.\n" \
	"# TYPE node_filesystem_files_free gauge\n" \
	"node_filesystem_files_free{mountpoint=\"/data\",device=\"data0\",fstype=\"ramfs\"} 0\n" \
	"node_filesystem_files_free{mountpoint=\"/\",device=\"ramfs\",fstype=\"ramfs\"} 0\n" \
	"# HELP node_filesystem_readonly Filesystem read-only status.\n" \
	"# TYPE node_filesystem_readonly gauge\n" \
	"node_filesystem_readonly{mountpoint=\"/data\",device=\"data0\",fstype=\"ramfs\"} 0\n" \
	"node_filesystem_readonly{mountpoint=\"/\",device=\"ramfs\",fstype=\"ramfs\"} 0\n" \
	"# HELP node_filesystem_device_error Whether an error occurred while getting statistics for the given device.\n" \
	"# TYPE node_filesystem_device_error gauge\n" \
	"node_filesystem_device_error{mountpoint=\"/data\",device=\"data0\",fstype=\"ramfs\"} 0\n" \
	"node_filesystem_device_error{mountpoint=\"/\",device=\"ramfs\",fstype=\"ramfs\"} 0\n" \
	"# HELP node_network_receive_bytes_total Network device statistic receive_bytes.\n" \
	"# TYPE node_network_receive_bytes_total counter\n" \
	"node_network_receive_bytes_total{device=\"eth0\"} 0\n" \
	"# HELP node_network_receive_packets_total Network device statistic receive_packets.\n" \
	"# TYPE node_network_receive_packets_total counter\n" \
	"node_network_receive_packets_total{device=\"eth0\"} 0\n" \
	"# HELP node_network_receive_errs_total Network device statistic receive_errs.\n" \
	"# TYPE node_network_receive_errs_total counter\n" \
	"node_network_receive_errs_total{device=\"eth0\"} 0\n" \
	"# HELP node_network_receive_drop_total Network device statistic receive_drop.\n" \
	"# TYPE node_network_receive_drop_total counter\n" \
	"node_network_receive_drop_total{device=\"eth0\"} 1\n" \
	"# HELP node_network_receive_fifo_total Network device statistic receive_fifo. Not tracked: 0.\n" \
	"# TYPE node_network_receive_fifo_total counter\n" \
	"node_network_receive_fifo_total{device=\"eth0\"} 0\n" \
	"# HELP node_network_receive_frame_total Network device statistic receive_frame. Not tracked: 0.\n" \
	"# TYPE node_network_receive_frame_total counter\n" \
	"node_network_receive_frame_total{device=\"eth0\"} 0\n" \
	"# HELP node_network_receive_compressed_total Network device statistic receive_compressed. Not tracked: 0.\n" \
	"# TYPE node_network_receive_compressed_total counter\n" \
	"node_network_receive_compressed_total{device=\"eth0\"} 0\n" \
	"# HELP node_network_receive_multicast_total Network device statistic receive_multicast. Not tracked: 0.\n" \
	"# TYPE node_network_receive_multicast_total counter\n" \
	"node_network_receive_multicast_total{device=\"eth0\"} 0\n" \
	"# HELP node_network_transmit_bytes_total Network device statistic transmit_bytes.\n" \
	"# TYPE node_network_transmit_bytes_total counter\n" \
	"node_network_transmit_bytes_total{device=\"eth0\"} 300\n" \
	"# HELP node_network_transmit_packets_total Network device statistic transmit_packets.\n" \
	"# TYPE node_network_transmit_packets_total counter\n" \
	"node_network_transmit_packets_total{device=\"eth0\"} 3\n" \
	"# HELP node_network_transmit_errs_total Network device statistic transmit_errs.\n" \
	"# TYPE node_network_transmit_errs_total counter\n" \
	"node_network_transmit_errs_total{device=\"eth0\"} 0\n" \
	"# HELP node_network_transmit_drop_total Network device statistic transmit_drop.\n" \
	"# TYPE node_network_transmit_drop_total counter\n" \
	"node_network_transmit_drop_total{device=\"eth0\"} 0\n" \
	"# HELP node_network_transmit_fifo_total Network device statistic transmit_fifo. Not tracked: 0.\n" \
	"# TYPE node_network_transmit_fifo_total counter\n" \
	"node_network_transmit_fifo_total{device=\"eth0\"} 0\n" \
	"# HELP node_network_transmit_colls_total Network device statistic transmit_colls. Not tracked: 0.\n" \
	"# TYPE node_network_transmit_colls_total counter\n" \
	"node_network_transmit_colls_total{device=\"eth0\"} 0\n" \
	"# HELP node_network_transmit_carrier_total Network device statistic transmit_carrier. Not tracked: 0.\n" \
	"# TYPE node_network_transmit_carrier_total counter\n" \
	"node_network_transmit_carrier_total{device=\"eth0\"} 0\n" \
	"# HELP node_network_transmit_compressed_total Network device statistic transmit_compressed. Not tracked: 0.\n" \
	"# TYPE node_network_transmit_compressed_total counter\n" \
	"node_network_transmit_compressed_total{device=\"eth0\"} 0\n" \
	"# HELP node_network_up Value is 1 if operstate is 'up', 0 otherwise.\n" \
	"# TYPE node_network_up gauge\n" \
	"node_network_up{device=\"eth0\"} 1\n" \
	"# HELP node_network_carrier Network device property: carrier.\n" \
	"# TYPE node_network_carrier gauge\n" \
	"node_network_carrier{device=\"eth0\"} 1\n" \
	"# HELP node_network_mtu_bytes Network device property: mtu_bytes.\n" \
	"# TYPE node_network_mtu_bytes gauge\n" \
	"node_network_mtu_bytes{device=\"eth0\"} 1500\n" \
	"# HELP node_network_info Non-numeric data from /sys/class/net/<iface>, value is always 1.\n" \
	"# TYPE node_network_info gauge\n" \
	"node_network_info{device=\"eth0\",address=\"52:54:00:12:34:56\",adminstate=\"up\",broadcast=\"ff:ff:ff:ff:ff:ff\",duplex=\"full\",ifalias=\"\",operstate=\"up\"} 1\n" \
	"# HELP process_virtual_memory_bytes Virtual memory size in bytes.\n" \
	"# TYPE process_virtual_memory_bytes gauge\n" \
	"process_virtual_memory_bytes 4145152\n" \
	"# HELP process_resident_memory_bytes Resident memory size in bytes.\n" \
	"# TYPE process_resident_memory_bytes gauge\n" \
	"process_resident_memory_bytes X\n" \
	"# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.\n" \
	"# TYPE process_start_time_seconds gauge\n" \
	"process_start_time_seconds 1699999899\n" \
	"# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n" \
	"# TYPE process_cpu_seconds_total counter\n" \
	"process_cpu_seconds_total X\n" \
	"# HELP process_max_fds Maximum number of open file descriptors.\n" \
	"# TYPE process_max_fds gauge\n" \
	"process_max_fds 256\n" \
	"# HELP process_open_fds Number of open file descriptors.\n" \
	"# TYPE process_open_fds gauge\n" \
	"process_open_fds 3\n" \
	"# HELP process_network_transmit_bytes_total Number of bytes sent by the process over the network.\n" \
	"# TYPE process_network_transmit_bytes_total counter\n" \
	"process_network_transmit_bytes_total 300\n" \
	"# HELP process_network_receive_bytes_total Number of bytes received by the process over the network.\n" \
	"# TYPE process_network_receive_bytes_total counter\n" \
	"process_network_receive_bytes_total 0\n"

#endif
