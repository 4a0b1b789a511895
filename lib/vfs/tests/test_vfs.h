/*
 * Helpers shared by the VFS unit tests (test_util.c).
 */
#ifndef VFS_TEST_VFS_H
#define VFS_TEST_VFS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Unmounts "/" and mounts a fresh unlimited ramfs there. */
void tv_fresh_root(void);
/* Creates (or truncates) path with the string s: 0 or -errno. */
int tv_put(const char *path, const char *s);
/* The size of path, or -errno. */
long tv_size(const char *path);
/* Reads path into buf (size bytes, NUL-terminated): length or -errno. */
long tv_get(const char *path, char *buf, size_t size);
/* The listing of directory path as "name name ..." in listing order. */
int tv_list(const char *path, char *buf, size_t size);
/* Reads store path as an unsigned number (or -1). */
int64_t tv_store_u64(const char *path);

#endif
