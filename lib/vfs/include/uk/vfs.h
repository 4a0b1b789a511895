/*
 * vfs: the virtual file system and the descriptor table.
 *
 * One name space of mounted file systems (the root "/" is a ramfs,
 * mounted on first use unless the application mounted another one
 * first), and one table of descriptors whose open objects are files,
 * directories, the console (0, 1, 2) or sockets (lib/lwip registers
 * them), so read(), write(), close() and poll() work on all of them.
 *
 * This header is the API for the kernel's libraries and applications:
 * every function returns 0 (or a count, a descriptor, an offset) or a
 * negative errno, with POSIX's meaning (-ENOENT, -EBADF, -EXDEV...).  The
 * POSIX names (open(), read(), stat()..., declared by nolibc's headers)
 * are thin wrappers over these that move the error into errno; on linuxu
 * only these uk_vfs_* names exist, next to glibc's.
 *
 * Paths are absolute or relative to "/" (there is no working directory),
 * at most UK_VFS_PATH_MAX - 1 bytes, each component at most
 * UK_VFS_NAME_MAX (-ENAMETOOLONG).  "." and ".." are resolved against the
 * directories actually walked (".." of "/" is "/", ".." of a mount's root
 * is the mountpoint's parent); repeated slashes count as one; a trailing
 * slash requires a directory.  There are no symbolic links, hard links,
 * owners or permission checks.
 *
 * File-system implementers and other open objects (sockets) use
 * uk/vfs_fs.h and uk/vfs_file.h.
 */
#ifndef UK_VFS_H
#define UK_VFS_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Longest path, its terminating NUL included (Linux's PATH_MAX). */
#define UK_VFS_PATH_MAX 4096
/** Longest path component (Linux's NAME_MAX). */
#define UK_VFS_NAME_MAX 255
/** Size of the descriptor table; uk_vfs_fd_limit() may lower the limit. */
#ifndef UK_VFS_FD_MAX
#define UK_VFS_FD_MAX 256
#endif

/* ---- mounts ------------------------------------------------------- */

/** Mount flags. */
#define UK_VFS_MNT_RDONLY 0x1

/**
 * Mounts a file system of type fstype ("ramfs", "tarfs", ...) on the
 * existing directory target.  source names the device (shown in the
 * store as the mount's "device"), opts is the file system's option
 * string ("size=4M"; NULL for none) and data its binary argument (a
 * tarfs backing).  Mounting "/" is possible while nothing is mounted.
 * Returns 0, -ENODEV (unknown type), -ENOENT, -ENOTDIR, -EBUSY (target
 * is already a mountpoint or the root), -EINVAL (bad options), -ENOMEM,
 * or the file system's own error.
 */
int uk_vfs_mount(const char *source, const char *target, const char *fstype,
		 unsigned long flags, const char *opts, const void *data);

/**
 * Unmounts the file system mounted on target.  Returns 0, -EINVAL
 * (target is no mountpoint), -EBUSY (files open on it, a mount below
 * it, or a walk in progress), or a path error.
 */
int uk_vfs_umount(const char *target);

/** A mount description, split (uk_vfs_mount_spec_parse()). */
struct uk_vfs_mount_spec {
	char source[64];
	char target[256];
	char fstype[32];
	char opts[256];          /**< without "ro" and "rw" */
	unsigned long flags;     /**< UK_VFS_MNT_RDONLY for "ro" */
};

/**
 * Splits "SOURCE:TARGET:FSTYPE[:OPTIONS]" (the syntax of the boot option
 * vfs.mount=...): SOURCE the device ("vda", a 9P mount tag, "initrd"),
 * TARGET an absolute mountpoint, FSTYPE "tarfs", "9p", "ramfs"...,
 * OPTIONS the file system's comma-separated options, of which "ro" and
 * "rw" set the mount's flag instead.  "data:/data:9p",
 * "vda:/site:tarfs:ro", "tmpfs:/tmp:ramfs:size=1M".  Returns 0 and *out,
 * or -EINVAL (a missing or empty field, a relative target, a field too
 * long for *out).
 */
int uk_vfs_mount_spec_parse(const char *spec, struct uk_vfs_mount_spec *out);
/**
 * Mounts a description (see uk_vfs_mount_spec_parse()), creating the
 * mountpoint's missing directories first.  The file system finds its
 * source by name (data NULL).  Returns 0, -EINVAL, or the error of
 * uk_vfs_mkdir() or uk_vfs_mount().
 */
int uk_vfs_mount_spec(const char *spec);
/**
 * Mounts every vfs.mount=... of the boot command line, in order, each
 * success or failure reported on the console (so drivers must have
 * registered their devices first).  Returns the number that failed.
 */
int uk_vfs_mount_boot(void);

/** One mount, as a line of /proc/mounts shows it. */
struct uk_vfs_mntent {
	char dir[256];      /**< the mountpoint */
	char source[64];    /**< the device */
	char fstype[32];
	unsigned long flags;  /**< UK_VFS_MNT_RDONLY */
};

/**
 * The i-th mount (0: the oldest).  Returns 0 and *e, -ENAMETOOLONG with
 * *e filled but a field cut short, or -ENOENT when there are not that
 * many mounts.
 */
int uk_vfs_mount_entry(unsigned int i, struct uk_vfs_mntent *e);

/* ---- the name space ----------------------------------------------- */

/**
 * Opens path with flags O_RDONLY / O_WRONLY / O_RDWR, O_CREAT (with
 * mode), O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, O_NONBLOCK (O_CLOEXEC,
 * O_NOCTTY, O_LARGEFILE and the sync flags are accepted and ignored).
 * Returns the lowest free descriptor, or -ENOENT, -EEXIST, -EISDIR,
 * -ENOTDIR, -EROFS, -ENOSPC, -EMFILE, -ENAMETOOLONG, -EINVAL...
 */
int uk_vfs_open(const char *path, int flags, mode_t mode);
/** Creates directory path.  Returns 0, -EEXIST, -ENOENT, -ENOTDIR... */
int uk_vfs_mkdir(const char *path, mode_t mode);
/** Removes an empty directory.  Returns 0, -ENOTEMPTY, -EBUSY... */
int uk_vfs_rmdir(const char *path);
/** Removes a file.  Returns 0, -ENOENT, -EISDIR, -EROFS... */
int uk_vfs_unlink(const char *path);
/**
 * Renames from to to, replacing an existing file, or an empty directory
 * by a directory.  Returns 0, -EXDEV (different mounts), -EISDIR,
 * -ENOTDIR, -ENOTEMPTY, -EINVAL (a directory into itself), -EBUSY...
 */
int uk_vfs_rename(const char *from, const char *to);
/** Status of path.  Returns 0 or a path error. */
int uk_vfs_stat(const char *path, struct stat *st);
/** Sets a file's size.  Returns 0, -EISDIR, -EINVAL, -EROFS... */
int uk_vfs_truncate(const char *path, off_t len);
/** Statistics of the file system holding path.  Returns 0 or an error. */
int uk_vfs_statvfs(const char *path, struct statvfs *sv);

/* ---- descriptors -------------------------------------------------- */

/**
 * Reads up to n bytes at the file position and advances it.  Returns
 * the count (0 at the end), -EBADF (not open for reading), -EISDIR, or
 * the object's error (-EAGAIN for a non-blocking socket, -EIO...).
 */
ssize_t uk_vfs_read(int fd, void *buf, size_t n);
/**
 * Writes n bytes at the file position (the end with O_APPEND) and
 * advances it.  Returns the count (short when the file system fills
 * up), -EBADF, -ENOSPC, -EFBIG...
 */
ssize_t uk_vfs_write(int fd, const void *buf, size_t n);
/** Reads at off without moving the position; -ESPIPE on a socket. */
ssize_t uk_vfs_pread(int fd, void *buf, size_t n, off_t off);
/** Writes at off without moving the position; -ESPIPE on a socket. */
ssize_t uk_vfs_pwrite(int fd, const void *buf, size_t n, off_t off);
/**
 * Moves the position (SEEK_SET, SEEK_CUR, SEEK_END).  Returns the new
 * offset, -EINVAL (negative result, bad whence), -ESPIPE (a socket).
 */
off_t uk_vfs_lseek(int fd, off_t off, int whence);
/** Closes fd.  Returns 0 or -EBADF. */
int uk_vfs_close(int fd);
/** Status of an open object.  Returns 0 or -EBADF. */
int uk_vfs_fstat(int fd, struct stat *st);
/** Sets the size of a file open for writing: 0, -EBADF, -EINVAL... */
int uk_vfs_ftruncate(int fd, off_t len);
/** Flushes a file to its backing.  Returns 0, -EBADF, -EINVAL, -EIO. */
int uk_vfs_fsync(int fd);
/** Statistics of the file system holding an open file. */
int uk_vfs_fstatvfs(int fd, struct statvfs *sv);
/** A new descriptor (the lowest free) for fd's object: fd or -EMFILE. */
int uk_vfs_dup(int fd);
/**
 * Makes newfd refer to fd's object, closing what newfd held.  Returns
 * newfd, or -EBADF (fd not open, newfd out of range).
 */
int uk_vfs_dup2(int fd, int newfd);
/**
 * F_DUPFD / F_DUPFD_CLOEXEC (arg: lowest number), F_GETFD / F_SETFD,
 * F_GETFL, F_SETFL (O_APPEND, O_NONBLOCK).  Returns the result or
 * -EBADF, -EINVAL, -EMFILE.
 */
int uk_vfs_fcntl(int fd, int cmd, long arg);
/**
 * poll() over any descriptors: files and directories are always ready
 * for reading and writing, sockets answer for themselves, a closed
 * descriptor is POLLNVAL, a negative one is ignored.  timeout_ms: -1
 * waits for ever, 0 not at all.  Returns the number of entries with
 * revents set, or -EINVAL, -ENOMEM.
 */
int uk_vfs_poll(struct pollfd *fds, nfds_t n, int timeout_ms);

/** One directory entry. */
struct uk_vfs_dirent {
	uint64_t ino;
	unsigned char type;             /**< DT_DIR, DT_REG... */
	char name[UK_VFS_NAME_MAX + 1];
};

/**
 * The next entry of the directory open as fd ("." and ".." first).
 * Returns 1 and fills *d, 0 at the end, -EBADF, -ENOTDIR, -EIO.
 */
int uk_vfs_readdir(int fd, struct uk_vfs_dirent *d);
/** Restarts the listing of the directory open as fd.  0 or -ENOTDIR. */
int uk_vfs_rewinddir(int fd);

/* ---- limits, clock -------------------------------------------------- */

/**
 * Lowers (or raises, up to UK_VFS_FD_MAX) the number of descriptors:
 * opens then fail with -EMFILE at that count.  Returns the previous
 * limit; n 0 only reads it.
 */
unsigned int uk_vfs_fd_limit(unsigned int n);
/** Descriptors in use. */
unsigned int uk_vfs_fd_count(void);
/**
 * Replaces the monotonic clock that times operations for the latency
 * histogram (NULL: uk_plat_time_mono_ns).  For tests.
 */
void uk_vfs_clock_set(uint64_t (*clock_ns)(void));

#ifdef __cplusplus
}
#endif

#endif /* UK_VFS_H */
