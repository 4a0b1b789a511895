/*
 * ramfs tests: the size limit (a write that fits partly is short, then
 * -ENOSPC; space comes back when files go), the node limit, statvfs,
 * sparse extension by truncate, an allocator that fails (-ENOSPC and no
 * leak), files of the image placed in the root, files unlinked while
 * open, listings that survive changes, and the mount options.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <uk/alloc.h>
#include <uk/ramfs.h>
#include <uk/test.h>
#include <uk/vfs.h>

static const char motd[] = "Welcome to ukmon.\n";
UK_RAMFS_FILE(motd, "/etc/motd", motd, sizeof(motd) - 1);
UK_RAMFS_FILE(deep, "/usr/share/doc/readme", "readme", 6);

static void fresh(const char *opts)
{
	uk_vfs_umount("/");
	uk_vfs_mount("ramfs", "/", "ramfs", 0, opts, NULL);
}

static long size_of(const char *path)
{
	struct stat st;
	int rc = uk_vfs_stat(path, &st);

	return rc ? rc : (long)st.st_size;
}

static long get(const char *path, char *buf, size_t size)
{
	int fd = uk_vfs_open(path, O_RDONLY, 0);
	long n;

	if (fd < 0)
		return fd;
	n = uk_vfs_read(fd, buf, size - 1);
	uk_vfs_close(fd);
	buf[n > 0 ? n : 0] = 0;
	return n;
}

static long put(const char *path, size_t n)
{
	static char buf[70000];
	int fd = uk_vfs_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	long r;

	if (fd < 0)
		return fd;
	memset(buf, 'z', sizeof(buf));
	r = uk_vfs_write(fd, buf, n);
	uk_vfs_close(fd);
	return r;
}

UK_TEST(ramfs_size_limit)
{
	struct statvfs sv, sv2;
	char buf[4096];
	long total = 0, r;
	int fd, i;

	fresh(NULL);
	UK_TEST_EQ(uk_vfs_mkdir("/small", 0755), 0);
	UK_TEST_EQ(uk_vfs_mount("tmp", "/small", "ramfs", 0, "size=64k",
				NULL), 0);
	UK_TEST_EQ(uk_vfs_statvfs("/small", &sv), 0);
	UK_TEST_EQ(sv.f_blocks, 16);
	UK_TEST_EQ(sv.f_bsize, 4096);
	UK_TEST_ASSERT(sv.f_bfree < 16);   /* the root node is charged */
	fd = uk_vfs_open("/small/big", O_WRONLY | O_CREAT, 0644);
	UK_TEST_ASSERT(fd >= 0);
	memset(buf, 'x', sizeof(buf));
	for (i = 0; i < 100; i++) {
		r = uk_vfs_write(fd, buf, sizeof(buf));
		if (r < 0)
			break;
		total += r;
		if (r < (long)sizeof(buf))
			UK_TEST_ASSERT(uk_vfs_write(fd, buf, 1) == -ENOSPC);
	}
	UK_TEST_EQ(r, -ENOSPC);
	UK_TEST_ASSERT(total > 60 * 1024 && total <= 64 * 1024);
	UK_TEST_EQ(size_of("/small/big"), total);
	UK_TEST_EQ(uk_vfs_statvfs("/small", &sv2), 0);
	UK_TEST_EQ(sv2.f_bfree, 0);
	/* Nothing else fits, not even a name. */
	UK_TEST_EQ(uk_vfs_mkdir("/small/d", 0755), -ENOSPC);
	UK_TEST_EQ(uk_vfs_open("/small/x", O_CREAT | O_WRONLY, 0644),
		   -ENOSPC);
	/* A sparse extension needs no room; it reads as zeros. */
	UK_TEST_EQ(uk_vfs_ftruncate(fd, total + 100000), 0);
	UK_TEST_EQ(uk_vfs_pread(fd, buf, 10, total + 5000), -EBADF);
	uk_vfs_close(fd);
	fd = uk_vfs_open("/small/big", O_RDONLY, 0);
	UK_TEST_EQ(uk_vfs_pread(fd, buf, 10, total + 5000), 10);
	UK_TEST_EQ(buf[0] | buf[9], 0);
	uk_vfs_close(fd);
	/* Space comes back. */
	UK_TEST_EQ(uk_vfs_unlink("/small/big"), 0);
	UK_TEST_EQ(uk_vfs_statvfs("/small", &sv2), 0);
	UK_TEST_EQ(sv2.f_bfree, sv.f_bfree);
	UK_TEST_EQ(put("/small/again", 30000), 30000);
	UK_TEST_EQ(uk_vfs_unlink("/small/again"), 0);
	UK_TEST_EQ(uk_vfs_umount("/small"), 0);
}

UK_TEST(ramfs_node_limit_and_options)
{
	struct statvfs sv;

	fresh(NULL);
	UK_TEST_EQ(uk_vfs_mkdir("/m", 0755), 0);
	UK_TEST_EQ(uk_vfs_mount("t", "/m", "ramfs", 0, "size=1m,nr_inodes=3",
				NULL), 0);
	UK_TEST_EQ(uk_vfs_statvfs("/m", &sv), 0);
	UK_TEST_EQ(sv.f_files, 3);
	UK_TEST_EQ(sv.f_ffree, 2);
	UK_TEST_EQ(uk_vfs_mkdir("/m/a", 0755), 0);
	UK_TEST_EQ(put("/m/b", 1), 1);
	UK_TEST_EQ(put("/m/c", 1), -ENOSPC);
	UK_TEST_EQ(uk_vfs_rmdir("/m/a"), 0);
	UK_TEST_EQ(put("/m/c", 1), 1);
	UK_TEST_EQ(uk_vfs_unlink("/m/b"), 0);
	UK_TEST_EQ(uk_vfs_unlink("/m/c"), 0);
	UK_TEST_EQ(uk_vfs_umount("/m"), 0);
	UK_TEST_EQ(uk_vfs_mount("t", "/m", "ramfs", 0, "size=12q", NULL),
		   -EINVAL);
	UK_TEST_EQ(uk_vfs_mount("t", "/m", "ramfs", 0, "size=", NULL),
		   -EINVAL);
	UK_TEST_EQ(uk_vfs_mount("t", "/m", "ramfs", 0, "mode=777", NULL),
		   -EINVAL);
	/* No limit: statvfs says 0, as tmpfs does. */
	UK_TEST_EQ(uk_vfs_mount("t", "/m", "ramfs", 0, "size=0", NULL), 0);
	UK_TEST_EQ(uk_vfs_statvfs("/m", &sv), 0);
	UK_TEST_EQ(sv.f_blocks, 0);
	UK_TEST_EQ(uk_vfs_umount("/m"), 0);
}

UK_TEST(ramfs_failing_allocator)
{
	struct uk_alloc *dflt = uk_alloc_get_default();
	struct uk_alloc_failing fa;
	int fd, n, ok = 0;

	fresh(NULL);
	UK_TEST_EQ(uk_vfs_mkdir("/m", 0755), 0);
	/* The mount's allocator is the default at mount time. */
	uk_alloc_failing_init(&fa, dflt, 0, 0);
	uk_alloc_set_default(&fa.a);
	n = uk_vfs_mount("t", "/m", "ramfs", 0, "size=0", NULL);
	uk_alloc_set_default(dflt);
	UK_TEST_EQ(n, 0);
	fd = uk_vfs_open("/m/f", O_CREAT | O_RDWR, 0644);
	UK_TEST_ASSERT(fd >= 0);
	/* Every allocation from now on fails: writes are -ENOSPC. */
	fa.fail_nth = fa.calls + 1;
	fa.sticky = 1;
	UK_TEST_EQ(uk_vfs_write(fd, "hello", 5), -ENOSPC);
	UK_TEST_EQ(uk_vfs_mkdir("/m/d", 0755), -ENOSPC);
	fa.fail_nth = 0;
	fa.sticky = 0;
	UK_TEST_EQ(uk_vfs_write(fd, "hello", 5), 5);
	/* Each of the first few allocations failing in turn. */
	for (n = 1; n < 6; n++) {
		fa.fail_nth = fa.calls + (uint64_t)n;
		if (!uk_vfs_mkdir("/m/e", 0755)) {
			ok++;
			UK_TEST_EQ(uk_vfs_rmdir("/m/e"), 0);
		}
	}
	fa.fail_nth = 0;
	UK_TEST_ASSERT(ok > 0);
	uk_vfs_close(fd);
	UK_TEST_EQ(uk_vfs_unlink("/m/f"), 0);
	UK_TEST_EQ(uk_vfs_umount("/m"), 0);  /* frees through fa: no leak */
}

UK_TEST(ramfs_image_files)
{
	char buf[64];
	long n;

	fresh(NULL);
	n = get("/etc/motd", buf, sizeof(buf));
	UK_TEST_EQ(n, (long)sizeof(motd) - 1);
	UK_TEST_STREQ(buf, motd);
	UK_TEST_EQ(get("/usr/share/doc/readme", buf, sizeof(buf)),
		   6);
	/* Changed: the copy changes, the image's bytes do not. */
	UK_TEST_EQ(put("/etc/motd", 3), 3);
	UK_TEST_EQ(get("/etc/motd", buf, sizeof(buf)), 3);
	UK_TEST_STREQ(motd, "Welcome to ukmon.\n");
	/* A ramfs elsewhere gets none. */
	UK_TEST_EQ(uk_vfs_mkdir("/m", 0755), 0);
	UK_TEST_EQ(uk_vfs_mount("t", "/m", "ramfs", 0, NULL, NULL), 0);
	UK_TEST_EQ(get("/m/etc/motd", buf, sizeof(buf)), -ENOENT);
	UK_TEST_EQ(uk_vfs_umount("/m"), 0);
}

UK_TEST(ramfs_unlinked_while_open)
{
	struct stat st;
	char buf[8];
	int fd, d;

	fresh(NULL);
	UK_TEST_EQ(put("/f", 5), 5);
	fd = uk_vfs_open("/f", O_RDWR, 0);
	UK_TEST_EQ(uk_vfs_unlink("/f"), 0);
	UK_TEST_EQ(uk_vfs_write(fd, "abc", 3), 3);
	UK_TEST_EQ(uk_vfs_pread(fd, buf, 8, 0), 5);
	UK_TEST_EQ(uk_vfs_fstat(fd, &st), 0);
	UK_TEST_EQ(st.st_nlink, 0);
	UK_TEST_EQ(uk_vfs_stat("/f", &st), -ENOENT);
	UK_TEST_EQ(uk_vfs_close(fd), 0);   /* freed now (ASan checks) */
	/* A removed directory takes no new entries. */
	UK_TEST_EQ(uk_vfs_mkdir("/d", 0755), 0);
	d = uk_vfs_open("/d", O_RDONLY, 0);
	UK_TEST_EQ(uk_vfs_rmdir("/d"), 0);
	UK_TEST_EQ(uk_vfs_fstat(d, &st), 0);
	UK_TEST_EQ(st.st_nlink, 0);
	UK_TEST_EQ(uk_vfs_readdir(d, &(struct uk_vfs_dirent){ 0 }), 1);
	uk_vfs_close(d);
}

UK_TEST(ramfs_listing_survives_changes)
{
	struct uk_vfs_dirent e;
	char names[256] = "";
	int fd, r;

	fresh(NULL);
	UK_TEST_EQ(uk_vfs_mkdir("/d", 0755), 0);
	UK_TEST_EQ(put("/d/a", 1), 1);
	UK_TEST_EQ(put("/d/b", 1), 1);
	UK_TEST_EQ(put("/d/c", 1), 1);
	fd = uk_vfs_open("/d", O_RDONLY | O_DIRECTORY, 0);
	UK_TEST_EQ(uk_vfs_readdir(fd, &e), 1);
	UK_TEST_STREQ(e.name, ".");
	UK_TEST_EQ(uk_vfs_readdir(fd, &e), 1);
	UK_TEST_STREQ(e.name, "..");
	UK_TEST_EQ(uk_vfs_readdir(fd, &e), 1);
	UK_TEST_STREQ(e.name, "a");
	/* b goes and d comes while the listing is half-way. */
	UK_TEST_EQ(uk_vfs_unlink("/d/b"), 0);
	UK_TEST_EQ(put("/d/d", 1), 1);
	while ((r = uk_vfs_readdir(fd, &e)) == 1) {
		strcat(names, e.name);
		strcat(names, " ");
	}
	UK_TEST_EQ(r, 0);
	UK_TEST_STREQ(names, "c d ");
	UK_TEST_EQ(uk_vfs_rewinddir(fd), 0);
	UK_TEST_EQ(uk_vfs_readdir(fd, &e), 1);
	UK_TEST_STREQ(e.name, ".");
	uk_vfs_close(fd);
}
