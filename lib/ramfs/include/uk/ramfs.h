/*
 * ramfs: a read-write file system in memory, file system type "ramfs"
 * of lib/vfs (the root "/" is one unless the application mounts another
 * root first).
 *
 * Options (uk_vfs_mount's opts, comma-separated):
 *   size=N[k|m|g]  most bytes the mount may hold, its files' data and its
 *                  own bookkeeping (nodes, names) together; writes past it
 *                  are short or fail with -ENOSPC.  0: no limit.  Without
 *                  the option: half of the heap when the default allocator
 *                  is the kernel's region allocator (as tmpfs takes half
 *                  of RAM), else no limit.
 *   nr_inodes=N    most files and directories (-ENOSPC); 0: no limit.
 * Any other option is -EINVAL.  Memory comes from the default allocator
 * at mount time (tests inject a failing one); an allocation failure is
 * -ENOSPC, as tmpfs reports running out of memory.
 *
 * Files of the image: UK_RAMFS_FILE() places a file in the root ramfs
 * when it is mounted, reading the image's bytes in place (no copy, not
 * charged to size=) until the file is first written or truncated.
 */
#ifndef UK_RAMFS_H
#define UK_RAMFS_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A file built into the image. */
struct uk_ramfs_file {
	const char *path;   /**< absolute: "/etc/motd"; parents are created */
	const void *data;
	size_t len;
	mode_t mode;        /**< permission bits */
};

/**
 * Places file path (a string literal) with len bytes at data (which must
 * live for ever) in the root ramfs; id is a C identifier naming the entry.
 */
#define UK_RAMFS_FILE(id, path, data, len) \
	__attribute__((used, section("uk_ramfs_files"), aligned(8))) \
	static const struct uk_ramfs_file _uk_ramfs_file_##id = \
		{ path, data, len, 0644 }

#ifdef __cplusplus
}
#endif

#endif /* UK_RAMFS_H */
