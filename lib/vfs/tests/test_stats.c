/*
 * VFS unit tests, part 3: the metrics.  A mount is a store folder named
 * by the escaped mountpoint and labelled with the mountpoint itself; the
 * counters follow the operations; the statfs figures follow the file
 * system; the latency histogram is fed by an injected clock (every
 * operation takes exactly 3 us), so the whole exposition is pinned by a
 * golden string; an unmounted mount's folder goes away, and a scrape
 * holding it meanwhile still reads it safely.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include <uk/prom.h>
#include <uk/store.h>
#include <uk/store_test.h>
#include <uk/test.h>
#include <uk/vfs.h>

#include "test_vfs.h"

static uint64_t fake_ns;

static uint64_t fake_clock(void)
{
	fake_ns += 3000;  /* one read at each end: 3 us per operation */
	return fake_ns;
}

static const char *const vfs_only[] = { "vfs", NULL };

static char out[16384];

static void encode_vfs(void)
{
	struct uk_prom_enc e;
	size_t len = 0, n;

	uk_prom_enc_init_filter(&e, UK_PROM_FMT_TEXT, vfs_only);
	while ((n = uk_prom_enc_read(&e, out + len, sizeof(out) - 1 - len)))
		len += n;
	uk_prom_enc_fini(&e);
	out[len] = 0;
}

UK_TEST(stats_folder_names)
{
	struct uk_store_ref ref;
	static char longp[200];

	tv_fresh_root();
	UK_TEST_EQ(uk_vfs_mkdir("/mnt", 0755), 0);
	UK_TEST_EQ(uk_vfs_mkdir("/mnt/a-b", 0755), 0);
	UK_TEST_EQ(uk_vfs_mkdir("/.hidden", 0755), 0);
	UK_TEST_EQ(uk_vfs_mount("d1", "/mnt/a-b", "ramfs", 0, NULL, NULL), 0);
	UK_TEST_EQ(uk_vfs_mount("d2", "//.hidden/", "ramfs", 0, NULL, NULL),
		   0);
	/* systemd's escaping: '/' is '-', '-' and a leading '.' are \xNN. */
	UK_TEST_EQ(uk_store_lookup("vfs/-/reads", &ref), 0);
	UK_TEST_STREQ(uk_store_folder_value(ref.folder), "/");
	uk_store_ref_put(&ref);
	UK_TEST_EQ(uk_store_lookup("vfs/mnt-a\\x2db/reads", &ref), 0);
	UK_TEST_STREQ(uk_store_folder_value(ref.folder), "/mnt/a-b");
	UK_TEST_STREQ(uk_store_folder_label(ref.folder), "mountpoint");
	uk_store_ref_put(&ref);
	UK_TEST_EQ(uk_store_lookup("vfs/\\x2ehidden/reads", &ref), 0);
	UK_TEST_STREQ(uk_store_folder_value(ref.folder), "/.hidden");
	uk_store_ref_put(&ref);
	/* A mountpoint too long for a folder name mounts without one. */
	memset(longp, 'q', 150);
	longp[0] = '/';
	UK_TEST_EQ(uk_vfs_mkdir(longp, 0755), 0);
	UK_TEST_EQ(uk_vfs_mount("d3", longp, "ramfs", 0, NULL, NULL), 0);
	UK_TEST_EQ(uk_store_folder_count() > 0, 1);
	UK_TEST_EQ(uk_vfs_umount(longp), 0);
	UK_TEST_EQ(uk_vfs_umount("/mnt/a-b"), 0);
	UK_TEST_EQ(uk_vfs_umount("/.hidden"), 0);
	UK_TEST_EQ(uk_store_lookup("vfs/mnt-a\\x2db/reads", &ref), -ENOENT);
}

UK_TEST(stats_counters_and_exposition)
{
	char buf[64];
	int fd;

	tv_fresh_root();
	UK_TEST_EQ(uk_vfs_mkdir("/data", 0755), 0);
	UK_TEST_EQ(uk_vfs_mount("ram0", "/data", "ramfs", 0,
				"size=1m,nr_inodes=100", NULL), 0);
	uk_vfs_clock_set(fake_clock);
	fd = uk_vfs_open("/data/f", O_CREAT | O_RDWR, 0644);  /* 1 op */
	UK_TEST_EQ(uk_vfs_write(fd, "0123456789", 10), 10);     /* 2 */
	UK_TEST_EQ(uk_vfs_pwrite(fd, "ab", 2, 20), 2);          /* 3 */
	UK_TEST_EQ(uk_vfs_pread(fd, buf, 64, 0), 22);           /* 4 */
	UK_TEST_EQ(uk_vfs_read(fd, buf, 64), 12);               /* 5 */
	UK_TEST_EQ(uk_vfs_open("/data/nope", O_RDONLY, 0), -ENOENT); /* 6 */
	UK_TEST_EQ(uk_vfs_close(fd), 0);
	uk_vfs_clock_set(NULL);
	UK_TEST_EQ(tv_store_u64("vfs/data/reads"), 2);
	UK_TEST_EQ(tv_store_u64("vfs/data/read_bytes"), 34);
	UK_TEST_EQ(tv_store_u64("vfs/data/writes"), 2);
	UK_TEST_EQ(tv_store_u64("vfs/data/written_bytes"), 12);
	UK_TEST_EQ(tv_store_u64("vfs/data/opens"), 1);
	UK_TEST_EQ(tv_store_u64("vfs/data/errors"), 1);
	UK_TEST_EQ(tv_store_u64("vfs/data/size"), 1048576);
	UK_TEST_EQ(tv_store_u64("vfs/data/files"), 100);
	UK_TEST_EQ(tv_store_u64("vfs/data/files_free"), 98);
	UK_TEST_EQ(tv_store_u64("vfs/data/readonly"), 0);
	UK_TEST_EQ(tv_store_u64("vfs/max_open_files"), UK_VFS_FD_MAX);
	UK_TEST_EQ(tv_store_u64("vfs/open_files"), 3);
	encode_vfs();
	UK_TEST_ASSERT(strstr(out,
		"vfs_reads_total{mountpoint=\"/data\"} 2\n"));
	UK_TEST_ASSERT(strstr(out,
		"vfs_device_info{mountpoint=\"/data\",value=\"ram0\"} 1\n"));
	UK_TEST_ASSERT(strstr(out,
		"vfs_fstype_info{mountpoint=\"/\",value=\"ramfs\"} 1\n"));
	/* Each of the 6 operations took 3 us: bucket 4 us. */
	UK_TEST_ASSERT(strstr(out,
		"vfs_op_seconds_bucket{mountpoint=\"/data\",le=\"1e-06\"} 0\n"
		"vfs_op_seconds_bucket{mountpoint=\"/data\",le=\"4e-06\"} 6\n"));
	UK_TEST_ASSERT(strstr(out,
		"vfs_op_seconds_count{mountpoint=\"/data\"} 6\n"));
	UK_TEST_EQ(uk_vfs_umount("/data"), 0);
}

UK_TEST(stats_golden)
{
	static const char golden[] =
		"# HELP vfs_max_open_files Most descriptors that may be open at once.\n"
		"# TYPE vfs_max_open_files gauge\n"
		"vfs_max_open_files 256\n"
		"# HELP vfs_open_files Descriptors in use (files, directories, sockets, the console).\n"
		"# TYPE vfs_open_files gauge\n"
		"vfs_open_files 3\n"
		"# HELP vfs_reads_total read() and pread() calls on the mount's files.\n"
		"# TYPE vfs_reads_total counter\n"
		"vfs_reads_total{mountpoint=\"/\"} 0\n"
		"vfs_reads_total{mountpoint=\"/t\"} 0\n"
		"# HELP vfs_writes_total write() and pwrite() calls on the mount's files.\n"
		"# TYPE vfs_writes_total counter\n"
		"vfs_writes_total{mountpoint=\"/\"} 0\n"
		"vfs_writes_total{mountpoint=\"/t\"} 0\n"
		"# HELP vfs_read_bytes_total Bytes read from the mount's files.\n"
		"# TYPE vfs_read_bytes_total counter\n"
		"vfs_read_bytes_total{mountpoint=\"/\"} 0\n"
		"vfs_read_bytes_total{mountpoint=\"/t\"} 0\n"
		"# HELP vfs_written_bytes_total Bytes written to the mount's files.\n"
		"# TYPE vfs_written_bytes_total counter\n"
		"vfs_written_bytes_total{mountpoint=\"/\"} 0\n"
		"vfs_written_bytes_total{mountpoint=\"/t\"} 0\n"
		"# HELP vfs_opens_total Files and directories opened on the mount.\n"
		"# TYPE vfs_opens_total counter\n"
		"vfs_opens_total{mountpoint=\"/\"} 0\n"
		"vfs_opens_total{mountpoint=\"/t\"} 0\n"
		"# HELP vfs_errors_total Operations on the mount that failed (ENOENT included).\n"
		"# TYPE vfs_errors_total counter\n"
		"vfs_errors_total{mountpoint=\"/\"} 0\n"
		"vfs_errors_total{mountpoint=\"/t\"} 0\n"
		"# HELP vfs_size_bytes Size of the file system (statvfs f_blocks; 0: no limit).\n"
		"# TYPE vfs_size_bytes gauge\n"
		"vfs_size_bytes{mountpoint=\"/\"} 0\n"
		"vfs_size_bytes{mountpoint=\"/t\"} 12288\n"
		"# HELP vfs_free_bytes Free space (statvfs f_bfree).\n"
		"# TYPE vfs_free_bytes gauge\n"
		"vfs_free_bytes{mountpoint=\"/\"} 0\n"
		"vfs_free_bytes{mountpoint=\"/t\"} 8192\n"
		"# HELP vfs_avail_bytes Space available to writers (statvfs f_bavail).\n"
		"# TYPE vfs_avail_bytes gauge\n"
		"vfs_avail_bytes{mountpoint=\"/\"} 0\n"
		"vfs_avail_bytes{mountpoint=\"/t\"} 8192\n"
		"# HELP vfs_files File nodes (statvfs f_files; 0: no limit).\n"
		"# TYPE vfs_files gauge\n"
		"vfs_files{mountpoint=\"/\"} 0\n"
		"vfs_files{mountpoint=\"/t\"} 0\n"
		"# HELP vfs_files_free Free file nodes (statvfs f_ffree).\n"
		"# TYPE vfs_files_free gauge\n"
		"vfs_files_free{mountpoint=\"/\"} 0\n"
		"vfs_files_free{mountpoint=\"/t\"} 0\n"
		"# HELP vfs_readonly 1 if the mount is read-only.\n"
		"# TYPE vfs_readonly gauge\n"
		"vfs_readonly{mountpoint=\"/\"} 0\n"
		"vfs_readonly{mountpoint=\"/t\"} 0\n"
		"# HELP vfs_op_seconds Latency of operations on the mount (walks, reads, writes...).\n"
		"# TYPE vfs_op_seconds histogram\n"
		"vfs_op_seconds_bucket{mountpoint=\"/\",le=\"1e-06\"} 0\n"
		"vfs_op_seconds_bucket{mountpoint=\"/\",le=\"4e-06\"} 1\n"
		"vfs_op_seconds_bucket{mountpoint=\"/\",le=\"1.6e-05\"} 1\n"
		"vfs_op_seconds_bucket{mountpoint=\"/\",le=\"6.4e-05\"} 1\n"
		"vfs_op_seconds_bucket{mountpoint=\"/\",le=\"0.000256\"} 1\n"
		"vfs_op_seconds_bucket{mountpoint=\"/\",le=\"0.001\"} 1\n"
		"vfs_op_seconds_bucket{mountpoint=\"/\",le=\"0.004\"} 1\n"
		"vfs_op_seconds_bucket{mountpoint=\"/\",le=\"0.016\"} 1\n"
		"vfs_op_seconds_bucket{mountpoint=\"/\",le=\"0.064\"} 1\n"
		"vfs_op_seconds_bucket{mountpoint=\"/\",le=\"0.256\"} 1\n"
		"vfs_op_seconds_bucket{mountpoint=\"/\",le=\"1\"} 1\n"
		"vfs_op_seconds_bucket{mountpoint=\"/\",le=\"+Inf\"} 1\n"
		"vfs_op_seconds_sum{mountpoint=\"/\"} 3e-06\n"
		"vfs_op_seconds_count{mountpoint=\"/\"} 1\n"
		"vfs_op_seconds_bucket{mountpoint=\"/t\",le=\"1e-06\"} 0\n"
		"vfs_op_seconds_bucket{mountpoint=\"/t\",le=\"4e-06\"} 0\n"
		"vfs_op_seconds_bucket{mountpoint=\"/t\",le=\"1.6e-05\"} 0\n"
		"vfs_op_seconds_bucket{mountpoint=\"/t\",le=\"6.4e-05\"} 0\n"
		"vfs_op_seconds_bucket{mountpoint=\"/t\",le=\"0.000256\"} 0\n"
		"vfs_op_seconds_bucket{mountpoint=\"/t\",le=\"0.001\"} 0\n"
		"vfs_op_seconds_bucket{mountpoint=\"/t\",le=\"0.004\"} 0\n"
		"vfs_op_seconds_bucket{mountpoint=\"/t\",le=\"0.016\"} 0\n"
		"vfs_op_seconds_bucket{mountpoint=\"/t\",le=\"0.064\"} 0\n"
		"vfs_op_seconds_bucket{mountpoint=\"/t\",le=\"0.256\"} 0\n"
		"vfs_op_seconds_bucket{mountpoint=\"/t\",le=\"1\"} 0\n"
		"vfs_op_seconds_bucket{mountpoint=\"/t\",le=\"+Inf\"} 0\n"
		"vfs_op_seconds_sum{mountpoint=\"/t\"} 0\n"
		"vfs_op_seconds_count{mountpoint=\"/t\"} 0\n"
		"# HELP vfs_device_info The mounted device (mount's source).\n"
		"# TYPE vfs_device_info gauge\n"
		"vfs_device_info{mountpoint=\"/\",value=\"ramfs\"} 1\n"
		"vfs_device_info{mountpoint=\"/t\",value=\"tmp\"} 1\n"
		"# HELP vfs_fstype_info The file system type.\n"
		"# TYPE vfs_fstype_info gauge\n"
		"vfs_fstype_info{mountpoint=\"/\",value=\"ramfs\"} 1\n"
		"vfs_fstype_info{mountpoint=\"/t\",value=\"ramfs\"} 1\n";

	tv_fresh_root();
	fake_ns = 0;
	uk_vfs_clock_set(fake_clock);
	UK_TEST_EQ(uk_vfs_mkdir("/t", 0755), 0);
	UK_TEST_EQ(uk_vfs_mount("tmp", "/t", "ramfs", 0, "size=12k", NULL),
		   0);
	uk_vfs_clock_set(NULL);
	encode_vfs();
	UK_TEST_EQ(uk_vfs_umount("/t"), 0);
	UK_TEST_STREQ(out, golden);
}

UK_TEST(stats_scrape_across_umount)
{
	struct uk_store_ref ref;
	struct uk_store_value v;

	tv_fresh_root();
	UK_TEST_EQ(uk_vfs_mkdir("/m", 0755), 0);
	UK_TEST_EQ(uk_vfs_mount("x", "/m", "ramfs", 0, "size=8k", NULL), 0);
	UK_TEST_EQ(uk_store_lookup("vfs/m/size", &ref), 0);
	/* Unmounted while a scrape holds its folder. */
	UK_TEST_EQ(uk_vfs_umount("/m"), 0);
	UK_TEST_EQ(uk_store_read(&ref, &v), 0);
	UK_TEST_EQ(v.u, 8192);          /* the last figures */
	uk_store_ref_put(&ref);         /* frees the mount (ASan watches) */
	UK_TEST_EQ(uk_store_lookup("vfs/m/size", &ref), -ENOENT);
}
