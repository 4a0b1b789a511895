/*
 * vfs: the interface a file system implements (ramfs, tarfs, 9pfs...).
 *
 * A file system type is a name and a struct uk_vfs_fs_ops, registered at
 * build time with UK_VFS_FS_TYPE() (a linker section, as ukstore's static
 * entries: no code runs at boot).  uk_vfs_mount() finds it by name.
 *
 * Nodes.  A file system represents its files and directories as structs
 * that embed a struct uk_vfs_node, set up with uk_vfs_node_init().  The
 * VFS walks paths one component at a time through ops->lookup and holds
 * references on the nodes it uses (while walking, for open files, for
 * mountpoints); ops that hand a node to the VFS (mount's root, lookup,
 * create) return it with one reference taken for the VFS.  When the
 * VFS's references fall to zero it calls ops->release: a file system
 * that keeps its nodes (ramfs, tarfs) holds a reference of its own while
 * a node is reachable, so release means "no longer used"; one that
 * makes a node per lookup (9pfs) frees it there.  A node reachable by
 * lookup must never be at zero references with a release pending, so
 * that lookups never revive a dying node.
 *
 * Locking.  Each mount has one mutex.  Every op but mount and unmount is
 * called with it held, and node references change only under it, so a
 * file system needs no locking of its own.  One that blocks (waiting for
 * a device or a server) may release it around the wait with
 * uk_vfs_mount_unlock()/uk_vfs_mount_lock(), provided its own state is
 * consistent across that window; the VFS re-validates nothing.
 *
 * What the VFS checks before calling: path syntax, that directories are
 * directories, that a name to create does not exist (create, mkdir: the
 * file system may still answer -EEXIST), types for unlink, rmdir and
 * rename, mountpoints (-EBUSY), read-only mounts (-EROFS), access modes,
 * O_APPEND positions and O_TRUNC (one truncate(0) at open), cross-mount
 * renames (-EXDEV) and renames of a directory into itself (-EINVAL).
 * Names passed to ops are never "", "." or ".." (but for lookup's ".."),
 * never contain '/', and are at most UK_VFS_NAME_MAX bytes, not
 * NUL-terminated (name, len).
 *
 * Errors: 0 or a count, or a negative errno (POSIX's meanings; -EIO for
 * a backing that failed).
 */
#ifndef UK_VFS_FS_H
#define UK_VFS_FS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>

#include <uk/vfs.h>

#ifdef __cplusplus
extern "C" {
#endif

struct uk_vfs_mount;

/** A file or directory, embedded in the file system's own node. */
struct uk_vfs_node {
	struct uk_vfs_mount *mnt;
	uint64_t ino;    /**< unique in the mount, stable while it exists */
	mode_t type;     /**< S_IFREG or S_IFDIR; never changes */
	uint32_t refs;   /**< the VFS's references; under the mount lock */
};

struct uk_vfs_fs_ops {
	/**
	 * Mounts m from source (a device name), opts (the option string,
	 * possibly NULL) and data (a type-specific argument, possibly NULL).
	 * Sets *root to the root directory, with a reference.  May keep
	 * state with uk_vfs_mount_set_priv() and force read-only with
	 * uk_vfs_mount_set_rdonly().  Called without the mount lock.
	 */
	int (*mount)(struct uk_vfs_mount *m, const char *source,
		     const char *opts, const void *data,
		     struct uk_vfs_node **root);
	/**
	 * Frees the mount's state.  Every node reference is gone (the root's
	 * included).  Called without the mount lock.
	 */
	void (*unmount)(struct uk_vfs_mount *m);
	/**
	 * Finds name in directory dir.  ".." is the parent (the root's
	 * ".." is the root).  Sets *out with a reference; -ENOENT if none.
	 */
	int (*lookup)(struct uk_vfs_node *dir, const char *name, size_t len,
		      struct uk_vfs_node **out);
	/** Creates regular file name in dir; *out with a reference. */
	int (*create)(struct uk_vfs_node *dir, const char *name, size_t len,
		      mode_t mode, struct uk_vfs_node **out);
	/** Creates directory name in dir. */
	int (*mkdir)(struct uk_vfs_node *dir, const char *name, size_t len,
		     mode_t mode);
	/** Removes file node, entry name of dir. */
	int (*unlink)(struct uk_vfs_node *dir, const char *name, size_t len,
		      struct uk_vfs_node *node);
	/** Removes directory node, entry name of dir: -ENOTEMPTY if not. */
	int (*rmdir)(struct uk_vfs_node *dir, const char *name, size_t len,
		     struct uk_vfs_node *node);
	/**
	 * Moves node (entry oname of odir) to entry nname of ndir, replacing
	 * target (NULL when nname does not exist; a directory target only
	 * for a directory node, -ENOTEMPTY unless empty).  node != target.
	 */
	int (*rename)(struct uk_vfs_node *odir, const char *oname, size_t olen,
		      struct uk_vfs_node *node, struct uk_vfs_node *ndir,
		      const char *nname, size_t nlen,
		      struct uk_vfs_node *target);
	/**
	 * Optional: an open of node with flags (O_ACCMODE...); *handle is
	 * passed to read, write, readdir, fsync and close.
	 */
	int (*open)(struct uk_vfs_node *node, int flags, void **handle);
	/** Optional: the last close of an open. */
	void (*close)(struct uk_vfs_node *node, void *handle);
	/** Reads up to len bytes at off (0 at or past the end). */
	ssize_t (*read)(struct uk_vfs_node *node, void *handle, void *buf,
			size_t len, off_t off);
	/** Writes len bytes at off: the count (short when full), -ENOSPC. */
	ssize_t (*write)(struct uk_vfs_node *node, void *handle,
			 const void *buf, size_t len, off_t off);
	/** Sets a file's size, zero-filling any extension. */
	int (*truncate)(struct uk_vfs_node *node, off_t len);
	/**
	 * The entry after *cookie (0 starts) of directory dir, "." and ".."
	 * excluded (the VFS adds them).  Fills *d and advances *cookie;
	 * returns 1, 0 at the end, or an error.
	 */
	int (*readdir)(struct uk_vfs_node *dir, void *handle, uint64_t *cookie,
		       struct uk_vfs_dirent *d);
	/** Fills *st (st_dev is the VFS's). */
	int (*getattr)(struct uk_vfs_node *node, struct stat *st);
	/**
	 * Fills *sv.  Also read at scrape time for the store, so it must
	 * not block on I/O (a remote file system answers from a cache).
	 */
	int (*statfs)(struct uk_vfs_mount *m, struct statvfs *sv);
	/** Optional: flushes node to its backing. */
	int (*fsync)(struct uk_vfs_node *node, void *handle);
	/** The VFS's last reference to node is gone. */
	void (*release)(struct uk_vfs_node *node);
};

/** A file system type, found by name at mount. */
struct uk_vfs_fs_type {
	const char *name;
	const struct uk_vfs_fs_ops *ops;
};

/** Registers file system type name (a C identifier) with ops. */
#define UK_VFS_FS_TYPE(name, ops) \
	__attribute__((used, section("uk_vfs_fs"), aligned(8))) \
	static const struct uk_vfs_fs_type _uk_vfs_fs_##name = { #name, ops }

/** Sets up node n of mount m: no references yet. */
void uk_vfs_node_init(struct uk_vfs_node *n, struct uk_vfs_mount *m,
		      uint64_t ino, mode_t type);
/** Takes a reference on n; the mount lock is held. */
void uk_vfs_node_hold(struct uk_vfs_node *n);
/** Drops a reference; the last one calls ops->release.  Lock held. */
void uk_vfs_node_put(struct uk_vfs_node *n);

/** The file system's state for m (NULL until set). */
void *uk_vfs_mount_priv(const struct uk_vfs_mount *m);
void uk_vfs_mount_set_priv(struct uk_vfs_mount *m, void *priv);
/** The mountpoint of m, canonical ("/", "/data"). */
const char *uk_vfs_mount_path(const struct uk_vfs_mount *m);
/** Makes m read-only whatever the mount flags (a read-only format). */
void uk_vfs_mount_set_rdonly(struct uk_vfs_mount *m);
/** Whether m is read-only. */
int uk_vfs_mount_rdonly(const struct uk_vfs_mount *m);
/** The mount's lock, for a file system that waits (see above). */
void uk_vfs_mount_lock(struct uk_vfs_mount *m);
void uk_vfs_mount_unlock(struct uk_vfs_mount *m);

/**
 * Parses a size option value: decimal digits with an optional k, m or g
 * suffix (binary multiples).  Returns 0 and *out, or -EINVAL.
 */
int uk_vfs_parse_size(const char *s, size_t len, uint64_t *out);
/**
 * Iterates over a comma-separated option string ("size=4M,ro"): *p
 * starts at the string (NULL is empty) and advances.  Returns 1 and sets
 * the key and the value ("" without '='), or 0 at the end.
 */
int uk_vfs_opt_next(const char **p, const char **key, size_t *klen,
		    const char **val, size_t *vlen);

#ifdef __cplusplus
}
#endif

#endif /* UK_VFS_FS_H */
