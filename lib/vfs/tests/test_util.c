/*
 * Helpers shared by the VFS unit tests (see test_vfs.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <uk/assert.h>
#include <uk/store.h>
#include <uk/vfs.h>

#include "test_vfs.h"

void tv_fresh_root(void)
{
	uk_vfs_umount("/");
	UK_ASSERT(!uk_vfs_mount("ramfs", "/", "ramfs", 0, "size=0", NULL));
}

int tv_put(const char *path, const char *s)
{
	int fd = uk_vfs_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	long n;

	if (fd < 0)
		return fd;
	n = uk_vfs_write(fd, s, strlen(s));
	uk_vfs_close(fd);
	return n < 0 ? (int)n : 0;
}

long tv_size(const char *path)
{
	struct stat st;
	int rc = uk_vfs_stat(path, &st);

	return rc ? rc : (long)st.st_size;
}

long tv_get(const char *path, char *buf, size_t size)
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

int tv_list(const char *path, char *buf, size_t size)
{
	struct uk_vfs_dirent d;
	size_t o = 0;
	int fd = uk_vfs_open(path, O_RDONLY | O_DIRECTORY, 0), r;

	buf[0] = 0;
	if (fd < 0)
		return fd;
	while ((r = uk_vfs_readdir(fd, &d)) == 1 && o < size)
		o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? " " : "",
				      d.name);
	uk_vfs_close(fd);
	return r;
}

int64_t tv_store_u64(const char *path)
{
	struct uk_store_value v;

	if (uk_store_read_path(path, &v))
		return -1;
	return (int64_t)v.u;
}
