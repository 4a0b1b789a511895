/*
 * VFS unit tests, part 1: path resolution and mounts.  "." and "..",
 * repeated and trailing slashes, the length limits, ".." at the root and
 * at a mount's root (it leads to the mountpoint's parent, never above
 * "/"), and the mount table's rules (busy mounts, mountpoints that cannot
 * be removed or renamed, cross-mount renames).  Shared helpers are in
 * test_vfs.h; the descriptor table is tested in test_fds.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <uk/test.h>
#include <uk/vfs.h>

#include "test_vfs.h"

UK_TEST(paths_dots_and_slashes)
{
	struct stat st, root;

	tv_fresh_root();
	UK_TEST_EQ(uk_vfs_stat("/", &root), 0);
	UK_TEST_ASSERT(S_ISDIR(root.st_mode));
	UK_TEST_EQ(uk_vfs_mkdir("/a", 0755), 0);
	UK_TEST_EQ(uk_vfs_mkdir("/a/b", 0755), 0);
	UK_TEST_EQ(tv_put("/a/b/f", "hello"), 0);
	/* The same file, however it is spelled. */
	UK_TEST_EQ(tv_size("/a/b/f"), 5);
	UK_TEST_EQ(tv_size("//a///b//f"), 5);
	UK_TEST_EQ(tv_size("/a/./b/./f"), 5);
	UK_TEST_EQ(tv_size("/a/b/../b/f"), 5);
	UK_TEST_EQ(tv_size("a/b/f"), 5);          /* relative to "/" */
	UK_TEST_EQ(tv_size("/a/b/f/"), -ENOTDIR); /* a trailing slash */
	UK_TEST_EQ(tv_size("/a/b/f/."), -ENOTDIR);
	UK_TEST_EQ(tv_size("/a/b/f/.."), -ENOTDIR);
	UK_TEST_EQ(tv_size("/a/nope/../b/f"), -ENOENT); /* not lexical */
	UK_TEST_EQ(tv_size(""), -ENOENT);
	/* ".." of "/" is "/": no way above the root. */
	UK_TEST_EQ(uk_vfs_stat("/..", &st), 0);
	UK_TEST_EQ(st.st_ino, root.st_ino);
	UK_TEST_EQ(uk_vfs_stat("/../../a/../..", &st), 0);
	UK_TEST_EQ(st.st_ino, root.st_ino);
	UK_TEST_EQ(tv_size("/../../../a/b/f"), 5);
	UK_TEST_EQ(uk_vfs_stat("/a/b/", &st), 0);
	UK_TEST_ASSERT(S_ISDIR(st.st_mode));
}

UK_TEST(paths_length_limits)
{
	static char p[UK_VFS_PATH_MAX + 8];
	char name[UK_VFS_NAME_MAX + 2];
	size_t i;

	tv_fresh_root();
	memset(name, 'n', sizeof(name));
	name[UK_VFS_NAME_MAX] = 0;
	p[0] = '/';
	memcpy(p + 1, name, UK_VFS_NAME_MAX + 1);
	UK_TEST_EQ(tv_put(p, "x"), 0);          /* 255 bytes: fine */
	UK_TEST_EQ(tv_size(p), 1);
	name[UK_VFS_NAME_MAX] = 'n';
	name[UK_VFS_NAME_MAX + 1] = 0;
	memcpy(p + 1, name, UK_VFS_NAME_MAX + 2);
	UK_TEST_EQ(tv_size(p), -ENAMETOOLONG);  /* 256: too long */
	UK_TEST_EQ(uk_vfs_mkdir(p, 0755), -ENAMETOOLONG);
	UK_TEST_EQ(uk_vfs_open(p, O_CREAT | O_RDWR, 0644), -ENAMETOOLONG);
	/* A whole path of 4095 bytes is walked; 4096 is refused. */
	for (i = 0; i + 2 <= UK_VFS_PATH_MAX - 1; i += 2)
		memcpy(p + i, "/.", 2);
	p[UK_VFS_PATH_MAX - 1] = 0;
	p[UK_VFS_PATH_MAX - 2] = '/';
	UK_TEST_EQ(strlen(p), UK_VFS_PATH_MAX - 1);
	UK_TEST_EQ(tv_size(p), 60); /* "/": ".", "..", one file */
	p[UK_VFS_PATH_MAX - 1] = '.';
	p[UK_VFS_PATH_MAX] = 0;
	UK_TEST_EQ(tv_size(p), -ENAMETOOLONG);
	UK_TEST_EQ(uk_vfs_open(p, O_RDONLY, 0), -ENAMETOOLONG);
}

UK_TEST(paths_mounts_and_dotdot)
{
	struct stat st, mroot, covered;

	tv_fresh_root();
	UK_TEST_EQ(uk_vfs_mkdir("/p", 0755), 0);
	UK_TEST_EQ(uk_vfs_mkdir("/p/mnt", 0755), 0);
	UK_TEST_EQ(tv_put("/p/sibling", "s"), 0);
	UK_TEST_EQ(uk_vfs_stat("/p/mnt", &covered), 0);
	UK_TEST_EQ(uk_vfs_mount("m1", "/p/mnt", "ramfs", 0, "size=1M", NULL),
		   0);
	UK_TEST_EQ(uk_vfs_stat("/p/mnt", &mroot), 0);
	UK_TEST_ASSERT(mroot.st_dev != covered.st_dev);
	UK_TEST_EQ(tv_put("/p/mnt/inner", "12345"), 0);
	/* ".." of the mount's root is the mountpoint's parent. */
	UK_TEST_EQ(tv_size("/p/mnt/../sibling"), 1);
	UK_TEST_EQ(tv_size("/p/mnt/./../mnt/inner"), 5);
	UK_TEST_EQ(uk_vfs_stat("/p/mnt/..", &st), 0);
	UK_TEST_EQ(uk_vfs_stat("/p", &mroot), 0);
	UK_TEST_EQ(st.st_ino, mroot.st_ino);
	UK_TEST_EQ(st.st_dev, mroot.st_dev);
	/* Up and out of two mounts, then stopped at "/". */
	UK_TEST_EQ(uk_vfs_mkdir("/p/mnt/sub", 0755), 0);
	UK_TEST_EQ(uk_vfs_mount("m2", "/p/mnt/sub", "ramfs", 0, NULL, NULL),
		   0);
	UK_TEST_EQ(tv_size("/p/mnt/sub/../inner"), 5);
	UK_TEST_EQ(tv_size("/p/mnt/sub/../../sibling"), 1);
	UK_TEST_EQ(tv_size("/p/mnt/sub/../../../../../../p/sibling"), 1);
	/* What the mount hides comes back after unmounting. */
	UK_TEST_EQ(tv_size("/p/mnt/sub/inner"), -ENOENT);
	UK_TEST_EQ(uk_vfs_umount("/p/mnt/sub"), 0);
	UK_TEST_EQ(uk_vfs_umount("/p/mnt"), 0);
	UK_TEST_EQ(tv_size("/p/mnt/inner"), -ENOENT);
	UK_TEST_EQ(uk_vfs_stat("/p/mnt", &st), 0);
	UK_TEST_EQ(st.st_ino, covered.st_ino);
}

UK_TEST(mount_rules)
{
	struct stat st;
	int fd;

	tv_fresh_root();
	UK_TEST_EQ(uk_vfs_mkdir("/m", 0755), 0);
	UK_TEST_EQ(uk_vfs_mkdir("/n", 0755), 0);
	UK_TEST_EQ(tv_put("/file", "f"), 0);
	UK_TEST_EQ(uk_vfs_mount("x", "/m", "nosuchfs", 0, NULL, NULL),
		   -ENODEV);
	UK_TEST_EQ(uk_vfs_mount("x", "/file", "ramfs", 0, NULL, NULL),
		   -ENOTDIR);
	UK_TEST_EQ(uk_vfs_mount("x", "/nope", "ramfs", 0, NULL, NULL),
		   -ENOENT);
	UK_TEST_EQ(uk_vfs_mount("x", "/m", "ramfs", 0, "bogus=1", NULL),
		   -EINVAL);
	UK_TEST_EQ(uk_vfs_mount("x", "/", "ramfs", 0, NULL, NULL), -EBUSY);
	UK_TEST_EQ(uk_vfs_mount("x", "/m", "ramfs", 0, NULL, NULL), 0);
	/* No stacking: the mount's root is taken. */
	UK_TEST_EQ(uk_vfs_mount("y", "/m", "ramfs", 0, NULL, NULL), -EBUSY);
	UK_TEST_EQ(uk_vfs_mount("y", "/m/.", "ramfs", 0, NULL, NULL), -EBUSY);
	/* Mountpoints stay put. */
	UK_TEST_EQ(uk_vfs_rmdir("/m"), -EBUSY);
	UK_TEST_EQ(uk_vfs_rename("/m", "/moved"), -EBUSY);
	UK_TEST_EQ(uk_vfs_rename("/n", "/m"), -EBUSY);
	/* Renames never cross mounts. */
	UK_TEST_EQ(tv_put("/m/f", "abc"), 0);
	UK_TEST_EQ(uk_vfs_rename("/m/f", "/g"), -EXDEV);
	UK_TEST_EQ(uk_vfs_rename("/file", "/m/file"), -EXDEV);
	UK_TEST_EQ(uk_vfs_rename("/m/f", "/m/g"), 0);
	/* Busy while a file is open on it; not a mountpoint elsewhere. */
	fd = uk_vfs_open("/m/g", O_RDONLY, 0);
	UK_TEST_ASSERT(fd >= 0);
	UK_TEST_EQ(uk_vfs_umount("/m"), -EBUSY);
	UK_TEST_EQ(uk_vfs_umount("/n"), -EINVAL);
	UK_TEST_EQ(uk_vfs_umount("/m/g"), -EINVAL);
	UK_TEST_EQ(uk_vfs_close(fd), 0);
	/* Busy with a mount below it. */
	UK_TEST_EQ(uk_vfs_mkdir("/m/d", 0755), 0);
	UK_TEST_EQ(uk_vfs_mount("z", "/m/d", "ramfs", 0, NULL, NULL), 0);
	UK_TEST_EQ(uk_vfs_umount("/m"), -EBUSY);
	UK_TEST_EQ(uk_vfs_umount("/m/d"), 0);
	UK_TEST_EQ(uk_vfs_umount("/m"), 0);
	UK_TEST_EQ(uk_vfs_stat("/m/g", &st), -ENOENT);
	/* The root comes back by itself after being unmounted. */
	UK_TEST_EQ(uk_vfs_umount("/"), 0);
	UK_TEST_EQ(uk_vfs_stat("/m", &st), -ENOENT);
	UK_TEST_EQ(uk_vfs_stat("/", &st), 0);
}

UK_TEST(rename_and_remove_rules)
{
	tv_fresh_root();
	UK_TEST_EQ(uk_vfs_mkdir("/d", 0755), 0);
	UK_TEST_EQ(uk_vfs_mkdir("/d/e", 0755), 0);
	UK_TEST_EQ(uk_vfs_mkdir("/empty", 0755), 0);
	UK_TEST_EQ(tv_put("/d/e/f", "x"), 0);
	UK_TEST_EQ(tv_put("/g", "yy"), 0);
	UK_TEST_EQ(uk_vfs_rename("/d", "/d/e/x"), -EINVAL);  /* into itself */
	UK_TEST_EQ(uk_vfs_rename("/d/e", "/d"), -ENOTEMPTY); /* over its parent */
	UK_TEST_EQ(uk_vfs_rename("/g", "/d"), -EISDIR);
	UK_TEST_EQ(uk_vfs_rename("/d", "/g"), -ENOTDIR);
	UK_TEST_EQ(uk_vfs_rename("/d", "/empty"), 0);   /* over an empty dir */
	UK_TEST_EQ(tv_size("/empty/e/f"), 1);
	UK_TEST_EQ(uk_vfs_rename("/empty/e/f", "/g"), 0); /* over a file */
	UK_TEST_EQ(tv_size("/g"), 1);
	UK_TEST_EQ(uk_vfs_rename("/g", "/g"), 0);
	UK_TEST_EQ(uk_vfs_rename("/.", "/x"), -EBUSY);
	UK_TEST_EQ(uk_vfs_rmdir("/empty/.."), -ENOTEMPTY);
	UK_TEST_EQ(uk_vfs_rmdir("/empty/."), -EINVAL);
	UK_TEST_EQ(uk_vfs_rmdir("/"), -EBUSY);
	UK_TEST_EQ(uk_vfs_rmdir("/g"), -ENOTDIR);
	UK_TEST_EQ(uk_vfs_unlink("/empty"), -EISDIR);
	UK_TEST_EQ(uk_vfs_unlink("/g/"), -ENOTDIR);
	UK_TEST_EQ(uk_vfs_mkdir("/g/x", 0755), -ENOTDIR);
	UK_TEST_EQ(uk_vfs_mkdir("/empty/..", 0755), -EEXIST);
	UK_TEST_EQ(uk_vfs_rmdir("/empty/e"), 0);
	UK_TEST_EQ(uk_vfs_rmdir("/empty"), 0);
}
