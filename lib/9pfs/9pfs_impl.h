/*
 * 9pfs's private definitions, shared by 9pfs.c (the file system ops) and
 * statfs.c (the statfs figures and the thread that refreshes them).
 */
#ifndef P9FS_IMPL_H
#define P9FS_IMPL_H

#include <stdint.h>
#include <sys/statvfs.h>

#include <uk/9p.h>
#include <uk/alloc.h>
#include <uk/lock.h>
#include <uk/thread.h>
#include <uk/vfs_fs.h>

/* A mount. */
struct p9fs {
	struct uk_alloc *a;
	struct uk_9p_client *c;
	uint64_t root_ino;           /* the root's qid path */

	/* statfs.c: the last figures, and their refresher. */
	struct uk_mutex sv_lock;     /* sv; never held across a message */
	struct statvfs sv;
	int sv_rc;                   /* the last refresh's result */
	struct uk_9p_fid *sv_fid;    /* the refresher's clone of the root */
	uint64_t sv_period_ns;       /* 0: no refresher */
	uint32_t sv_stop;            /* wait word: 1 stops the refresher */
	struct uk_thread *sv_thread;
};

/* A node: one fid (never opened) walked from its directory. */
struct p9node {
	struct uk_vfs_node vn;
	struct uk_9p_fid *fid;
	/* An open fid from Tlcreate, handed to the first open. */
	struct uk_9p_fid *created;
};

/*
 * Asks the server for the figures of the file system holding fid and
 * records them.  Returns 0 or -errno.
 */
int _p9fs_statfs_refresh(struct p9fs *fs, struct uk_9p_fid *fid);
/* Copies the last figures into *sv.  Returns 0 or the refresh's error. */
int _p9fs_statfs_get(struct p9fs *fs, struct statvfs *sv);
/*
 * Starts the refresher (if sv_period_ns) on a clone of root.  Returns 0
 * or -errno.
 */
int _p9fs_statfs_start(struct p9fs *fs, struct uk_9p_fid *root);
/* Stops and joins the refresher, clunks its fid. */
void _p9fs_statfs_stop(struct p9fs *fs);
/* A client error as the VFS reports it: malformed replies are -EIO. */
int _p9fs_err(int rc);

#endif /* P9FS_IMPL_H */
