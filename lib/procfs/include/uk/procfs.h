/*
 * procfs: Linux's /proc and /sys files, generated on every read from
 * lib/node's read functions (the same figures node_exporter's series
 * carry, so the two views never disagree), in Linux's own formats so
 * that Linux parsers (node_exporter with --path.procfs, the client
 * libraries' process collectors, free, top) read them unchanged.
 *
 * The tree (paths are absolute):
 *   /proc/{stat,meminfo,loadavg,vmstat,uptime,version,cpuinfo,mounts,
 *          diskstats}
 *   /proc/net/{dev,snmp,netstat,sockstat}
 *   /proc/sys/fs/file-nr
 *   /proc/self/{stat,status,limits,mountinfo,mounts} and the same in
 *   /proc/1 (the instance is process 1)
 *   /sys/class/net/<dev>/{operstate,mtu,address,carrier,speed,type}
 *
 * Rendering writes into the caller's buffer and allocates nothing, so
 * the exporter can serve the files (GET /proc/..., /sys/...) from its
 * scrape path; library procfs_vfs mounts the same tree read-only in the
 * VFS (file system types "proc" and "sysfs").
 *
 * Errors: 0 or a negative errno.
 */
#ifndef UK_PROCFS_H
#define UK_PROCFS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Longest path in the tree, NUL included. */
#define UK_PROCFS_PATH_MAX 64

/** What path is. */
enum uk_procfs_kind {
	UK_PROCFS_NONE = 0,
	UK_PROCFS_FILE,
	UK_PROCFS_DIR,
};

/**
 * The kind of path ("/proc/stat", "/sys/class/net"; no trailing '/'
 * but for "/"), UK_PROCFS_NONE if it is not in the tree.
 */
enum uk_procfs_kind uk_procfs_kind(const char *path);

/**
 * Copies the name of directory dir's i-th entry (0 first) into name
 * (size bytes).  Returns 1, 0 past the last, -ENOTDIR if dir is not a
 * directory of the tree, or -ENAMETOOLONG.
 */
int uk_procfs_entry(const char *dir, unsigned int i, char *name,
		    size_t size);

/**
 * Writes file path's current text into buf (size bytes; not
 * NUL-terminated) and its length into *len.  Returns 0, -ENOENT (not in
 * the tree), -EISDIR, or -ENOSPC when the text needs more than size
 * bytes (*len is then the size it needs, or size when unknown).
 */
int uk_procfs_render(const char *path, char *buf, size_t size, size_t *len);

/**
 * Creates /proc and /sys if needed and mounts the tree there, read-only
 * (library procfs_vfs).  Returns 0, or the VFS's error.
 */
int uk_procfs_mount(void);

#ifdef __cplusplus
}
#endif

#endif /* UK_PROCFS_H */
