/*
 * 9pfs: a host folder shared over 9P2000.L (QEMU's virtio-9p, diod...),
 * file system type "9p" of lib/vfs, over lib/uk9p's client.
 *
 *   uk_vfs_mount("data", "/data", "9p", 0, NULL, NULL);
 *   boot line: vfs.mount=data:/data:9p
 *
 * The source is the transport's mount tag (uk_9p_trans_find()): QEMU's
 * "-fsdev local,id=fs0,path=DIR,security_model=none -device
 * virtio-9p-pci,fsdev=fs0,mount_tag=data" is mounted by tag "data".
 *
 * Options (comma-separated):
 *   aname=PATH     the tree to attach to (diod exports by path; QEMU
 *                  ignores it); default ""
 *   uname=NAME     the user attaching (default "root")
 *   uid=N          its numeric id (n_uname; default 0)
 *   msize=N[k|m]   the largest message proposed (default 512K; the
 *                  server and the transport may lower it)
 *   statfs_ms=N    how often the size and free space are asked of the
 *                  server for statvfs() and the store (default 1000; 0:
 *                  only at mount)
 * Any other option is -EINVAL; a tag with no transport is -ENOENT.
 *
 * Every node is a fid (a walk from its directory), clunked when the VFS
 * releases the node; an open file or directory has a fid of its own
 * (a clone, Tlopen'ed; the one Tlcreate opened for a new file).  Only
 * regular files and directories are shown: symbolic links and special
 * files of the host folder are neither found nor listed, so nothing
 * outside the share is reachable through them.
 *
 * statvfs never waits for the server: it answers from figures that a
 * thread of the mount refreshes every statfs_ms (the store reads statvfs
 * at scrape time).  Reads and writes let go of the mount's lock while
 * their messages travel, so several files (or several requests on one)
 * move at once; other operations keep it.
 *
 * Errors: the server's errno (Rlerror), -EIO for a transport failure or
 * a malformed reply.
 */
#ifndef UK_9PFS_H
#define UK_9PFS_H

/** Default period of the statfs refresh, in ms (option statfs_ms). */
#define UK_9PFS_STATFS_MS 1000

#endif /* UK_9PFS_H */
