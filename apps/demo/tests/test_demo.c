/*
 * The demo file server's pure parts on linuxu (ASan/UBSan): request
 * targets turned into VFS paths, every way out of the tree refused
 * (".." plain and percent-encoded in any case, "%2f", "%00", control
 * characters, bad escapes, relative targets), and the access log over a
 * ramfs: lines batched, rotation before the file would pass its size
 * (two old files kept, the oldest dropped), and a full file system
 * (ENOSPC) costing the batch, not the log.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <uk/test.h>
#include <uk/vfs.h>

#include "../demo.h"

static char out[64];

static int dec(const char *t)
{
	return demo_path_decode(t, strlen(t), out, sizeof(out));
}

UK_TEST(demo_path_accepted)
{
	UK_TEST_EQ(dec("/"), 0);
	UK_TEST_STREQ(out, "/");
	UK_TEST_EQ(dec("/site/index.html"), 0);
	UK_TEST_STREQ(out, "/site/index.html");
	UK_TEST_EQ(dec("/site/"), 0);
	UK_TEST_STREQ(out, "/site");
	UK_TEST_EQ(dec("//a///b/./c/."), 0);
	UK_TEST_STREQ(out, "/a/b/c");
	UK_TEST_EQ(dec("/a%20b%2Ec?x=../../etc#frag"), 0);
	UK_TEST_STREQ(out, "/a b.c");
	UK_TEST_EQ(dec("/..a/b..c/.../x"), 0);  /* names, not ".." */
	UK_TEST_STREQ(out, "/..a/b..c/.../x");
	UK_TEST_EQ(dec("/?../../x"), 0);
	UK_TEST_STREQ(out, "/");
	UK_TEST_EQ(dec("/%41%62"), 0);
	UK_TEST_STREQ(out, "/Ab");
}

UK_TEST(demo_path_refused)
{
	static const char *const bad[] = {
		"/..", "/../etc/passwd", "/site/../../etc/passwd",
		"/a/..", "/a/../b", "//..//", "/%2e%2e/etc", "/%2E%2E",
		"/.%2e/x", "/%2e./x", "/site/%2e%2e/%2e%2e/x",
		"/a%2fb", "/a%2F..%2Fb", "/%00", "/a%00.html", "/a%0d%0aX:1",
		"/a\tb", "/a%7f", "/%", "/%4", "/%zz", "/%%32e", "a/b", "",
		"http://host/x", "*",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (dec(bad[i]) != 400) {
			uk_test_log("target %s: %d (%s)", bad[i], dec(bad[i]),
				    out);
			UK_TEST_ASSERT(0);
		}
	/* Too long for the buffer: 414. */
	UK_TEST_EQ(dec("/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		       "aaaaaaaaaaaaaaaaaaa"), 414);
	UK_TEST_EQ(demo_path_decode("/a", 2, out, 1), 414);
}

/* ---- the access log ---------------------------------------------------- */

static long fsize(const char *p)
{
	struct stat st;

	return uk_vfs_stat(p, &st) ? -1 : (long)st.st_size;
}

static long slurp(const char *p, char *buf, size_t n)
{
	int fd = uk_vfs_open(p, O_RDONLY, 0);
	long r;

	if (fd < 0)
		return fd;
	r = uk_vfs_read(fd, buf, n - 1);
	uk_vfs_close(fd);
	buf[r > 0 ? r : 0] = 0;
	return r;
}

UK_TEST(demo_log_batches_and_rotation)
{
	static char buf[8192];
	char line[64];
	int i, n;

	uk_vfs_umount("/log");
	uk_vfs_umount("/");
	UK_TEST_EQ(uk_vfs_mount("ramfs", "/", "ramfs", 0, NULL, NULL), 0);
	UK_TEST_EQ(uk_vfs_mkdir("/log", 0755), 0);
	UK_TEST_EQ(demo_log_open("/log/access.log", 1000, 2), 0);
	UK_TEST_ASSERT(demo_log_active());
	/* Batched: nothing written until a flush. */
	demo_log_line("first\n", 6);
	UK_TEST_EQ(fsize("/log/access.log"), 0);
	demo_log_flush();
	UK_TEST_EQ(fsize("/log/access.log"), 6);
	/* 100 lines of 40 bytes: 4000 bytes through files of at most
	 * 1000, so several rotations; two old files kept. */
	for (i = 0; i < 100; i++) {
		n = snprintf(line, sizeof(line), "line %03d %30s\n", i, "x");
		UK_TEST_EQ(n, 40);
		demo_log_line(line, (size_t)n);
		if (i % 10 == 9)
			demo_log_flush();
	}
	demo_log_flush();
	UK_TEST_ASSERT(fsize("/log/access.log") <= 1000);
	UK_TEST_ASSERT(fsize("/log/access.log.1") <= 1000);
	UK_TEST_ASSERT(fsize("/log/access.log.2") > 0);
	UK_TEST_EQ(fsize("/log/access.log.3"), -1);  /* none */
	/* The newest lines are in access.log, the ones before in .1. */
	UK_TEST_ASSERT(slurp("/log/access.log", buf, sizeof(buf)) > 0);
	UK_TEST_ASSERT(strstr(buf, "line 099"));
	UK_TEST_ASSERT(slurp("/log/access.log.1", buf, sizeof(buf)) > 0);
	UK_TEST_ASSERT(!strstr(buf, "line 099"));
	UK_TEST_ASSERT(strstr(buf, "line "));
	demo_log_close();
	UK_TEST_ASSERT(!demo_log_active());
	demo_log_line("after\n", 6);  /* dropped quietly */
}

UK_TEST(demo_log_full_file_system)
{
	static char big[8192];
	char line[64];
	long before;
	int i;

	uk_vfs_umount("/log");
	uk_vfs_umount("/");
	UK_TEST_EQ(uk_vfs_mount("ramfs", "/", "ramfs", 0, NULL, NULL), 0);
	UK_TEST_EQ(uk_vfs_mkdir("/log", 0755), 0);
	UK_TEST_EQ(uk_vfs_mount("small", "/log", "ramfs", 0, "size=8k", NULL),
		   0);
	/* Fill the mount but for a little. */
	memset(big, 'f', sizeof(big));
	i = uk_vfs_open("/log/filler", O_WRONLY | O_CREAT, 0644);
	UK_TEST_ASSERT(i >= 0);
	UK_TEST_ASSERT(uk_vfs_write(i, big, 6000) == 6000);
	uk_vfs_close(i);
	UK_TEST_EQ(demo_log_open("/log/access.log", 1 << 20, 2), 0);
	for (i = 0; i < 200; i++) {
		snprintf(line, sizeof(line), "%039d\n", i);
		demo_log_line(line, 40);
	}
	demo_log_flush();
	before = fsize("/log/access.log");
	UK_TEST_ASSERT(before >= 0 && before < 8192);
	/* Room again: the log goes on. */
	UK_TEST_EQ(uk_vfs_unlink("/log/filler"), 0);
	demo_log_line("back\n", 5);
	demo_log_flush();
	UK_TEST_EQ(fsize("/log/access.log"), before + 5);
	demo_log_close();
	UK_TEST_EQ(uk_vfs_umount("/log"), 0);
}
