/*
 * VFS unit tests, part 4: mount descriptions ("SOURCE:TARGET:FSTYPE
 * [:OPTIONS]", the boot option vfs.mount's syntax), mounting them with
 * their mountpoints created, and the list of mounts with the devices
 * and types the store exports.
 */
#include <errno.h>
#include <string.h>
#include <sys/statvfs.h>

#include <uk/test.h>
#include <uk/vfs.h>

#include "test_vfs.h"

UK_TEST(boot_spec_parse)
{
	struct uk_vfs_mount_spec s;

	UK_TEST_EQ(uk_vfs_mount_spec_parse("data:/data:9p", &s), 0);
	UK_TEST_STREQ(s.source, "data");
	UK_TEST_STREQ(s.target, "/data");
	UK_TEST_STREQ(s.fstype, "9p");
	UK_TEST_STREQ(s.opts, "");
	UK_TEST_EQ(s.flags, 0);

	/* "ro" and "rw" are the mount's, the rest the file system's. */
	UK_TEST_EQ(uk_vfs_mount_spec_parse("vda:/site:tarfs:ro", &s), 0);
	UK_TEST_STREQ(s.fstype, "tarfs");
	UK_TEST_STREQ(s.opts, "");
	UK_TEST_EQ(s.flags, UK_VFS_MNT_RDONLY);
	UK_TEST_EQ(uk_vfs_mount_spec_parse(
		"tmpfs:/tmp:ramfs:size=1M,ro,nr_inodes=9,rw,x=", &s), 0);
	UK_TEST_STREQ(s.opts, "size=1M,nr_inodes=9,x=");
	UK_TEST_EQ(s.flags, 0);
	/* Options may hold ':' (only the first three separate fields). */
	UK_TEST_EQ(uk_vfs_mount_spec_parse("a:/b:c:k=v:w", &s), 0);
	UK_TEST_STREQ(s.opts, "k=v:w");

	UK_TEST_EQ(uk_vfs_mount_spec_parse(NULL, &s), -EINVAL);
	UK_TEST_EQ(uk_vfs_mount_spec_parse("", &s), -EINVAL);
	UK_TEST_EQ(uk_vfs_mount_spec_parse("data:/data", &s), -EINVAL);
	UK_TEST_EQ(uk_vfs_mount_spec_parse(":/data:9p", &s), -EINVAL);
	UK_TEST_EQ(uk_vfs_mount_spec_parse("data::9p", &s), -EINVAL);
	UK_TEST_EQ(uk_vfs_mount_spec_parse("data:/data:", &s), -EINVAL);
	UK_TEST_EQ(uk_vfs_mount_spec_parse("data:data:9p", &s), -EINVAL);
	UK_TEST_EQ(uk_vfs_mount_spec_parse(
		"a-source-name-that-is-much-too-long-for-the-field-of-64-"
		"bytes-in-struct-uk_vfs_mount_spec-"
		"bytes:/x:ramfs", &s), -EINVAL);
}

UK_TEST(boot_spec_mount)
{
	struct statvfs sv;
	struct stat st;

	tv_fresh_root();
	/* The mountpoint and its parents are created. */
	UK_TEST_EQ(uk_vfs_mount_spec("tmpfs:/mnt/a/tmp:ramfs:size=64k"), 0);
	UK_TEST_EQ(uk_vfs_statvfs("/mnt/a/tmp", &sv), 0);
	UK_TEST_EQ(sv.f_blocks * sv.f_frsize, 64 * 1024);
	UK_TEST_EQ(sv.f_flag & ST_RDONLY, 0);
	UK_TEST_EQ(uk_vfs_stat("/mnt/a", &st), 0);
	/* Mounted read-only by "ro". */
	UK_TEST_EQ(uk_vfs_mount_spec("ro:/r:ramfs:ro"), 0);
	UK_TEST_EQ(uk_vfs_statvfs("/r", &sv), 0);
	UK_TEST_EQ(sv.f_flag & ST_RDONLY, ST_RDONLY);
	UK_TEST_EQ(tv_put("/r/x", "x"), -EROFS);
	/* Errors: the type's, the options', the mountpoint's. */
	UK_TEST_EQ(uk_vfs_mount_spec("x:/nofs:nosuchfs"), -ENODEV);
	UK_TEST_EQ(uk_vfs_mount_spec("x:/bad:ramfs:size=lots"), -EINVAL);
	UK_TEST_EQ(uk_vfs_mount_spec("x:/r:ramfs"), -EBUSY);
	UK_TEST_EQ(tv_put("/file", "f"), 0);
	UK_TEST_EQ(uk_vfs_mount_spec("x:/file/sub:ramfs"), -ENOTDIR);
	UK_TEST_EQ(uk_vfs_mount_spec("x:/nomount:ramfs:"), 0);
	UK_TEST_EQ(uk_vfs_umount("/nomount"), 0);
	UK_TEST_EQ(uk_vfs_umount("/r"), 0);
	UK_TEST_EQ(uk_vfs_umount("/mnt/a/tmp"), 0);
	/* No boot line on linuxu: nothing to mount, nothing failed. */
	UK_TEST_EQ(uk_vfs_mount_boot(), 0);
}

UK_TEST(boot_mount_entries)
{
	struct uk_vfs_mntent e;

	uk_vfs_umount("/");
	/* The root mounted on first use is a ramfs named "ramfs". */
	UK_TEST_EQ(tv_size("/"), tv_size("/."));
	UK_TEST_EQ(uk_vfs_mount_entry(0, &e), 0);
	UK_TEST_STREQ(e.dir, "/");
	UK_TEST_STREQ(e.source, "ramfs");
	UK_TEST_STREQ(e.fstype, "ramfs");
	UK_TEST_EQ(e.flags, 0);
	UK_TEST_EQ(uk_vfs_mount_entry(1, &e), -ENOENT);
	UK_TEST_EQ(uk_vfs_mount_spec("scratch:/b:ramfs"), 0);
	UK_TEST_EQ(uk_vfs_mount_spec("other:/a:ramfs:ro"), 0);
	/* Oldest first. */
	UK_TEST_EQ(uk_vfs_mount_entry(1, &e), 0);
	UK_TEST_STREQ(e.dir, "/b");
	UK_TEST_STREQ(e.source, "scratch");
	UK_TEST_EQ(uk_vfs_mount_entry(2, &e), 0);
	UK_TEST_STREQ(e.dir, "/a");
	UK_TEST_STREQ(e.source, "other");
	UK_TEST_EQ(e.flags, UK_VFS_MNT_RDONLY);
	UK_TEST_EQ(uk_vfs_mount_entry(3, &e), -ENOENT);
	UK_TEST_EQ(uk_vfs_umount("/a"), 0);
	UK_TEST_EQ(uk_vfs_umount("/b"), 0);
	UK_TEST_EQ(uk_vfs_mount_entry(1, &e), -ENOENT);
}
