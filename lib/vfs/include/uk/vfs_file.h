/*
 * vfs: open objects in the descriptor table, for the kinds that live
 * outside the VFS (sockets, in lib/lwip).
 *
 * A descriptor refers to a struct uk_vfs_file, which its kind embeds in
 * its own state and describes with an ops table.  The object is
 * reference counted: each descriptor holds one reference (dup() adds
 * one), and every call in progress holds one, so close() in one thread
 * never frees an object another thread is reading; the last reference
 * calls ops->release.
 *
 * Ops return a count or 0, or a negative errno.  A NULL op gives the
 * POSIX error for objects that cannot do it: read/write -EINVAL,
 * pread/pwrite/lseek -ESPIPE, ftruncate/fsync -EINVAL, readdir -ENOTDIR.
 * The VFS checks access modes (O_RDONLY objects get -EBADF on write)
 * before calling read or write.
 */
#ifndef UK_VFS_FILE_H
#define UK_VFS_FILE_H

#include <stdint.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>

#include <uk/vfs.h>

#ifdef __cplusplus
extern "C" {
#endif

struct uk_vfs_file;

/** One entry of a poll request, handed to the ops of its kind. */
struct uk_vfs_pollreq {
	struct uk_vfs_file *file;
	short events;
	short revents;   /**< set by the kind's poll */
};

struct uk_vfs_file_ops {
	ssize_t (*read)(struct uk_vfs_file *f, void *buf, size_t n);
	ssize_t (*write)(struct uk_vfs_file *f, const void *buf, size_t n);
	ssize_t (*pread)(struct uk_vfs_file *f, void *buf, size_t n,
			 off_t off);
	ssize_t (*pwrite)(struct uk_vfs_file *f, const void *buf, size_t n,
			  off_t off);
	off_t (*lseek)(struct uk_vfs_file *f, off_t off, int whence);
	int (*fstat)(struct uk_vfs_file *f, struct stat *st);
	int (*ftruncate)(struct uk_vfs_file *f, off_t len);
	int (*fsync)(struct uk_vfs_file *f);
	int (*fstatvfs)(struct uk_vfs_file *f, struct statvfs *sv);
	int (*readdir)(struct uk_vfs_file *f, struct uk_vfs_dirent *d);
	int (*rewinddir)(struct uk_vfs_file *f);
	/** The status flags changed (F_SETFL): O_NONBLOCK for a socket. */
	int (*setfl)(struct uk_vfs_file *f, int flags);
	/**
	 * Polls n requests of this kind at once (all with this same
	 * function), waiting up to timeout_ms (-1: for ever).  Sets each
	 * revents; returns how many are non-zero, or a negative errno.
	 * NULL: always ready for reading and writing.
	 */
	int (*poll)(struct uk_vfs_pollreq *reqs, unsigned int n,
		    int timeout_ms);
	/** The last reference is gone: free the object. */
	void (*release)(struct uk_vfs_file *f);
};

struct uk_vfs_file {
	const struct uk_vfs_file_ops *ops;
	uint32_t refs;   /* atomic */
	int flags;       /* O_ACCMODE bits and status flags (O_APPEND...);
			  * atomic: read it with uk_vfs_file_flags() */
};

/** The open flags of f (F_SETFL may change them at any time). */
static inline int uk_vfs_file_flags(const struct uk_vfs_file *f)
{
	return __atomic_load_n(&f->flags, __ATOMIC_RELAXED);
}

/**
 * Initialises f with one reference (the creator's) and the open flags
 * (O_RDONLY, O_WRONLY or O_RDWR, plus O_NONBLOCK, O_APPEND).
 */
void uk_vfs_file_init(struct uk_vfs_file *f, const struct uk_vfs_file_ops *ops,
		      int flags);
/** Takes another reference on f, which the caller already holds. */
void uk_vfs_file_hold(struct uk_vfs_file *f);
/** Drops a reference; the last one calls f->ops->release(f). */
void uk_vfs_file_put(struct uk_vfs_file *f);

/**
 * Installs f at the lowest free descriptor, taking a reference of its
 * own.  Returns the descriptor or -EMFILE.
 */
int uk_vfs_fd_alloc(struct uk_vfs_file *f);
/**
 * The object open as fd, with a reference the caller must put, or NULL
 * when fd is not open (-EBADF for the caller).
 */
struct uk_vfs_file *uk_vfs_fd_get(int fd);

#ifdef __cplusplus
}
#endif

#endif /* UK_VFS_FILE_H */
