/*
 * 9pfs against a real 9P2000.L server: Debian's diod, started on a
 * socket pair and exporting a fresh temporary folder (on /dev/shm when
 * it is a tmpfs, so that its free space moves exactly with what is
 * written), mounted through the VFS on /m.  Everything done through the
 * VFS is checked on the host's own file system: contents byte for byte,
 * sizes, names after rename and unlink, directory listings, errors
 * (EEXIST, ENOTEMPTY, ENOENT...), statvfs against the host's statvfs
 * and its refresh after the host's free space changes.  Host symbolic
 * links (to "/" and to "..") are neither found nor listed.  Reads run
 * from several threads at once, one descriptor shared by two of them,
 * while another thread walks and lists: reads let go of the mount lock,
 * and the shared descriptor's reads must still partition the file.
 * Unmounting at the end leaves no fid (the client asserts it).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <uk/9p.h>
#include <uk/test.h>
#include <uk/thread.h>
#include <uk/vfs.h>

#include "../../uk9p/tests/diod.h"
#include "../../uk9p/tests/stream_trans.h"

#define TMPFS_MAGIC_ 0x01021994

static struct {
	int started, ok;
	struct diod d;
	struct stream_trans st;
} S;

static void stop_server(void)
{
	uk_vfs_umount("/m");
	diod_stop(&S.d);
}

/* Starts diod and mounts it on /m: 0, or -1 with a message. */
static int server(void)
{
	char opts[160];
	int rc;

	if (S.started)
		return S.ok ? 0 : -1;
	S.started = 1;
	S.d.sock = -1;
	atexit(stop_server);
	if (diod_start(&S.d, "uk9pfs", 1))
		return -1;
	stream_trans_init(&S.st, "diod", S.d.sock, S.d.sock);
	if (uk_9p_trans_register(&S.st.t))
		return -1;
	uk_vfs_mkdir("/m", 0755);
	snprintf(opts, sizeof(opts), "aname=%s,msize=256k,statfs_ms=20",
		 S.d.dir);
	rc = uk_vfs_mount("diod", "/m", "9p", 0, opts, NULL);
	if (rc) {
		fprintf(stderr, "diod: mount failed (%d): is diod installed "
			"(scripts/deps.sh)?\n", rc);
		return -1;
	}
	S.ok = 1;
	return 0;
}

static const char *host(const char *name)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", S.d.dir, name);
	return path;
}

static uint8_t pattern[1 << 20];

static void fill(void)
{
	size_t i;

	for (i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(i * 131 + (i >> 12));
}

/* Writes n bytes of the pattern to path through the VFS. */
static long vput(const char *path, size_t n)
{
	int fd = uk_vfs_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	long w;

	if (fd < 0)
		return fd;
	w = uk_vfs_write(fd, pattern, n);
	uk_vfs_close(fd);
	return w;
}

/* Whether host file name holds exactly the first n bytes of the pattern. */
static int host_same(const char *name, size_t n)
{
	static uint8_t buf[sizeof(pattern) + 1];
	int fd = open(host(name), O_RDONLY);
	ssize_t r;

	if (fd < 0)
		return 0;
	r = read(fd, buf, sizeof(buf));
	close(fd);
	return r == (ssize_t)n && !memcmp(buf, pattern, n);
}

UK_TEST(p9fs_diod_write_read_host)
{
	static uint8_t in[sizeof(pattern)];
	struct stat st;
	int fd;

	UK_TEST_ASSERT(server() == 0);
	fill();
	/* 1 MiB: several messages each way at 256 KiB. */
	UK_TEST_EQ(vput("/m/data.bin", sizeof(pattern)), (long)sizeof(pattern));
	UK_TEST_ASSERT(host_same("data.bin", sizeof(pattern)));
	UK_TEST_EQ(uk_vfs_stat("/m/data.bin", &st), 0);
	UK_TEST_EQ(st.st_size, (off_t)sizeof(pattern));
	UK_TEST_ASSERT(S_ISREG(st.st_mode));
	fd = uk_vfs_open("/m/data.bin", O_RDONLY, 0);
	UK_TEST_ASSERT(fd >= 0);
	UK_TEST_EQ(uk_vfs_read(fd, in, sizeof(in)), (long)sizeof(in));
	UK_TEST_EQ(memcmp(in, pattern, sizeof(in)), 0);
	UK_TEST_EQ(uk_vfs_read(fd, in, 10), 0);
	UK_TEST_EQ(uk_vfs_pread(fd, in, 100, sizeof(pattern) - 10), 10);
	UK_TEST_EQ(uk_vfs_close(fd), 0);
	/* Appends, truncation, a rewrite in the middle. */
	fd = uk_vfs_open("/m/data.bin", O_WRONLY | O_APPEND, 0);
	UK_TEST_ASSERT(fd >= 0);
	UK_TEST_EQ(uk_vfs_write(fd, "tail", 4), 4);
	UK_TEST_EQ(uk_vfs_fsync(fd), 0);
	UK_TEST_EQ(uk_vfs_close(fd), 0);
	UK_TEST_EQ(stat(host("data.bin"), &st), 0);
	UK_TEST_EQ(st.st_size, (off_t)sizeof(pattern) + 4);
	UK_TEST_EQ(uk_vfs_truncate("/m/data.bin", 1000), 0);
	UK_TEST_ASSERT(host_same("data.bin", 1000));
	fd = uk_vfs_open("/m/data.bin", O_RDWR, 0);
	UK_TEST_EQ(uk_vfs_pwrite(fd, pattern + 500, 10, 500), 10);
	UK_TEST_EQ(uk_vfs_close(fd), 0);
	UK_TEST_ASSERT(host_same("data.bin", 1000));
	/* Created exclusively: the second time is EEXIST. */
	fd = uk_vfs_open("/m/data.bin", O_WRONLY | O_CREAT | O_EXCL, 0644);
	UK_TEST_EQ(fd, -EEXIST);
	UK_TEST_EQ(uk_vfs_unlink("/m/data.bin"), 0);
	UK_TEST_EQ(stat(host("data.bin"), &st), -1);
}

/* The listing of path as "name name/ ..." without "." and "..". */
static void vlist(const char *path, char *out, size_t n)
{
	struct uk_vfs_dirent d;
	int fd = uk_vfs_open(path, O_RDONLY | O_DIRECTORY, 0);
	size_t o = 0;

	out[0] = 0;
	while (fd >= 0 && uk_vfs_readdir(fd, &d) == 1)
		if (strcmp(d.name, ".") && strcmp(d.name, ".."))
			o += (size_t)snprintf(out + o, n - o, "%s%s ", d.name,
					      d.type == DT_DIR ? "/" : "");
	uk_vfs_close(fd);
}

UK_TEST(p9fs_diod_names)
{
	char l[512];
	struct stat st;
	int fd, dots = 0;
	struct uk_vfs_dirent d;

	UK_TEST_ASSERT(server() == 0);
	fill();
	UK_TEST_EQ(uk_vfs_mkdir("/m/sub", 0755), 0);
	UK_TEST_EQ(stat(host("sub"), &st), 0);
	UK_TEST_ASSERT(S_ISDIR(st.st_mode));
	UK_TEST_EQ(uk_vfs_mkdir("/m/sub", 0755), -EEXIST);
	UK_TEST_EQ(vput("/m/sub/a", 5), 5);
	UK_TEST_EQ(vput("/m/sub/b", 7), 7);
	vlist("/m/sub", l, sizeof(l));
	/* diod lists in its own order: check each. */
	UK_TEST_ASSERT(strstr(l, "a ") && strstr(l, "b "));
	UK_TEST_EQ(strlen(l), 4);
	/* The VFS gives "." and ".." once each, never the server's too. */
	fd = uk_vfs_open("/m/sub", O_RDONLY | O_DIRECTORY, 0);
	while (uk_vfs_readdir(fd, &d) == 1)
		dots += !strcmp(d.name, ".") || !strcmp(d.name, "..");
	uk_vfs_close(fd);
	UK_TEST_EQ(dots, 2);
	UK_TEST_EQ(uk_vfs_rmdir("/m/sub"), -ENOTEMPTY);
	/* Renamed up and over, then removed: the host follows. */
	UK_TEST_EQ(uk_vfs_rename("/m/sub/a", "/m/moved"), 0);
	UK_TEST_EQ(stat(host("sub/a"), &st), -1);
	UK_TEST_ASSERT(host_same("moved", 5));
	UK_TEST_EQ(uk_vfs_rename("/m/sub/b", "/m/moved"), 0);
	UK_TEST_ASSERT(host_same("moved", 7));
	UK_TEST_EQ(uk_vfs_unlink("/m/moved"), 0);
	UK_TEST_EQ(stat(host("moved"), &st), -1);
	UK_TEST_EQ(uk_vfs_unlink("/m/moved"), -ENOENT);
	UK_TEST_EQ(uk_vfs_rmdir("/m/sub"), 0);
	UK_TEST_EQ(stat(host("sub"), &st), -1);
	/* Across mounts: the VFS refuses before the server is asked. */
	UK_TEST_EQ(vput("/m/x", 3), 3);
	UK_TEST_EQ(uk_vfs_rename("/m/x", "/x"), -EXDEV);
	UK_TEST_EQ(uk_vfs_unlink("/m/x"), 0);
}

UK_TEST(p9fs_diod_host_links_lead_nowhere)
{
	char l[512];
	struct stat st;

	UK_TEST_ASSERT(server() == 0);
	UK_TEST_EQ(symlink("/", host("root")), 0);
	UK_TEST_EQ(symlink("..", host("up")), 0);
	UK_TEST_EQ(mkdir(host("real"), 0755), 0);
	UK_TEST_EQ(uk_vfs_stat("/m/root", &st), -ENOENT);
	UK_TEST_EQ(uk_vfs_stat("/m/root/etc/passwd", &st), -ENOENT);
	UK_TEST_EQ(uk_vfs_stat("/m/up", &st), -ENOENT);
	UK_TEST_EQ(uk_vfs_open("/m/up/diod.log", O_RDONLY, 0), -ENOENT);
	vlist("/m", l, sizeof(l));
	UK_TEST_STREQ(l, "real/ ");
	/* ".." from the share's root is the VFS's, not the host's. */
	UK_TEST_EQ(uk_vfs_stat("/m/real/../../m/real", &st), 0);
	UK_TEST_EQ(uk_vfs_open("/m/../diod.log", O_RDONLY, 0), -ENOENT);
	UK_TEST_EQ(uk_vfs_open("/m/real/../../diod.log", O_RDONLY, 0),
		   -ENOENT);
	unlink(host("root"));
	unlink(host("up"));
	rmdir(host("real"));
}

/* Whether the VFS's figures for /m equal the host's (free blocks too). */
static int figures_match(int exact)
{
	struct statvfs a, b;
	double size;

	if (uk_vfs_statvfs("/m", &a) || statvfs(S.d.dir, &b))
		return 0;
	size = (double)b.f_blocks * b.f_frsize;
	if ((double)a.f_blocks * a.f_frsize < size * 0.99 ||
	    (double)a.f_blocks * a.f_frsize > size * 1.01)
		return 0;
	if (!exact)
		return 1;
	return (uint64_t)a.f_bfree * a.f_frsize ==
	       (uint64_t)b.f_bfree * b.f_frsize;
}

UK_TEST(p9fs_diod_statvfs_follows_the_host)
{
	static uint8_t chunk[1 << 16];
	struct statvfs a, b;
	struct statfs sf;
	int fd, i, tries;

	UK_TEST_ASSERT(server() == 0);
	UK_TEST_ASSERT(figures_match(0));
	UK_TEST_EQ(uk_vfs_statvfs("/m", &a), 0);
	UK_TEST_EQ(statvfs(S.d.dir, &b), 0);
	UK_TEST_EQ(a.f_namemax, b.f_namemax);
	if (statfs(S.d.dir, &sf) || sf.f_type != TMPFS_MAGIC_) {
		uk_test_log("%s is not on a tmpfs: free space not compared",
			    S.d.dir);
		return;
	}
	/* 4 MiB written by the host itself: the refresher (every 20 ms)
	 * brings the VFS's free space to the host's. */
	fd = open(host("big"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	UK_TEST_ASSERT(fd >= 0);
	for (i = 0; i < 64; i++)
		UK_TEST_EQ(write(fd, chunk, sizeof(chunk)),
			   (ssize_t)sizeof(chunk));
	close(fd);
	for (tries = 0; tries < 500 && !figures_match(1); tries++)
		usleep(10000);
	UK_TEST_ASSERT(figures_match(1));
	UK_TEST_EQ(uk_vfs_statvfs("/m", &b), 0);
	UK_TEST_ASSERT(b.f_bfree < a.f_bfree);
	unlink(host("big"));
	for (tries = 0; tries < 500 && !figures_match(1); tries++)
		usleep(10000);
	UK_TEST_ASSERT(figures_match(1));
}

/* ---- reads from several threads ---------------------------------------- */

static int shared_fd;
static long shared_total, reader_errors;

static void shared_reader(void *arg)
{
	uint8_t buf[3000];
	long n, got = 0;

	while ((n = uk_vfs_read(shared_fd, buf, sizeof(buf))) > 0)
		got += n;
	if (n < 0)
		__atomic_add_fetch(&reader_errors, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&shared_total, got, __ATOMIC_RELAXED);
}

static void own_reader(void *arg)
{
	uint8_t *buf = malloc(sizeof(pattern));
	int i, fd;

	for (i = 0; buf && i < 5; i++) {
		long n = -1;

		fd = uk_vfs_open("/m/r.bin", O_RDONLY, 0);
		if (fd >= 0)
			n = uk_vfs_read(fd, buf, sizeof(pattern));
		if (n != (long)sizeof(pattern) ||
		    memcmp(buf, pattern, sizeof(pattern))) {
			uk_test_log("reader: fd %d, read %ld", fd, n);
			__atomic_add_fetch(&reader_errors, 1,
					   __ATOMIC_RELAXED);
		}
		uk_vfs_close(fd);
	}
	free(buf);
}

static void walker(void *arg)
{
	struct stat st;
	char l[256];
	int i;

	for (i = 0; i < 50; i++) {
		if (uk_vfs_stat("/m/r.bin", &st) || st.st_size !=
						      (off_t)sizeof(pattern))
			__atomic_add_fetch(&reader_errors, 1,
					   __ATOMIC_RELAXED);
		vlist("/m", l, sizeof(l));
	}
}

UK_TEST(p9fs_diod_concurrent_reads)
{
	struct uk_thread *t[6];
	int i;

	UK_TEST_ASSERT(server() == 0);
	fill();
	UK_TEST_EQ(vput("/m/r.bin", sizeof(pattern)), (long)sizeof(pattern));
	shared_fd = uk_vfs_open("/m/r.bin", O_RDONLY, 0);
	UK_TEST_ASSERT(shared_fd >= 0);
	shared_total = reader_errors = 0;
	UK_TEST_EQ(uk_thread_create(&t[0], "s1", shared_reader, NULL, 0), 0);
	UK_TEST_EQ(uk_thread_create(&t[1], "s2", shared_reader, NULL, 0), 0);
	UK_TEST_EQ(uk_thread_create(&t[2], "o1", own_reader, NULL, 0), 0);
	UK_TEST_EQ(uk_thread_create(&t[3], "o2", own_reader, NULL, 0), 0);
	UK_TEST_EQ(uk_thread_create(&t[4], "o3", own_reader, NULL, 0), 0);
	UK_TEST_EQ(uk_thread_create(&t[5], "w", walker, NULL, 0), 0);
	for (i = 0; i < 6; i++)
		uk_thread_join(t[i]);
	UK_TEST_EQ(reader_errors, 0);
	/* Two readers of one descriptor: every byte read once. */
	UK_TEST_EQ(shared_total, (long)sizeof(pattern));
	UK_TEST_EQ(uk_vfs_close(shared_fd), 0);
	UK_TEST_EQ(uk_vfs_unlink("/m/r.bin"), 0);
}

UK_TEST(p9fs_diod_unmount_and_mount_again)
{
	char opts[160];
	struct stat st;

	UK_TEST_ASSERT(server() == 0);
	fill();
	UK_TEST_EQ(vput("/m/keep", 100), 100);
	/* The client asserts that no fid is live when destroyed. */
	UK_TEST_EQ(uk_vfs_umount("/m"), 0);
	UK_TEST_EQ(uk_vfs_stat("/m/keep", &st), -ENOENT);
	/* A new session on the same connection (Tversion starts over). */
	snprintf(opts, sizeof(opts), "aname=%s,statfs_ms=20", S.d.dir);
	UK_TEST_EQ(uk_vfs_mount("diod", "/m", "9p", 0, opts, NULL), 0);
	UK_TEST_EQ(uk_vfs_stat("/m/keep", &st), 0);
	UK_TEST_EQ(st.st_size, 100);
	UK_TEST_EQ(uk_vfs_unlink("/m/keep"), 0);
}
