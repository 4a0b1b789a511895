/*
 * 9pfs's statfs figures.  The VFS reads statvfs at scrape time, which
 * must never wait for a server, so a 9P mount answers from the last
 * figures it has: taken at mount, then refreshed every statfs_ms by a
 * thread of its own, on a fid of its own (a clone of the root, so that
 * unmounting, which releases the root's fid first, never pulls a fid
 * from under it).  The figures are copied under a small lock that is
 * never held while a message travels.
 */
#include <errno.h>
#include <string.h>

#include <uk/9p.h>
#include <uk/lock.h>
#include <uk/print.h>
#include <uk/thread.h>
#include <uk/wait.h>

#include "9pfs_impl.h"

#define STACK_SIZE (32 * 1024)

/* -EPROTO, -EMSGSIZE (a reply that made no sense): -EIO for the VFS. */
int _p9fs_err(int rc)
{
	return rc == -EPROTO || rc == -EMSGSIZE ? -EIO : rc;
}

/* Asks the server and records the figures: 0 or -errno. */
int _p9fs_statfs_refresh(struct p9fs *fs, struct uk_9p_fid *fid)
{
	struct uk_9p_statfs st;
	struct statvfs sv;
	int rc;

	rc = _p9fs_err(uk_9p_statfs(fid, &st));
	memset(&sv, 0, sizeof(sv));
	if (!rc) {
		sv.f_bsize = st.bsize;
		sv.f_frsize = st.bsize;
		sv.f_blocks = st.blocks;
		sv.f_bfree = st.bfree;
		sv.f_bavail = st.bavail;
		sv.f_files = st.files;
		sv.f_ffree = st.ffree;
		sv.f_favail = st.ffree;
		sv.f_fsid = st.fsid;
		sv.f_namemax = st.namelen;
	}
	uk_mutex_lock(&fs->sv_lock);
	/* A failed refresh keeps the last good figures. */
	if (!rc)
		fs->sv = sv;
	fs->sv_rc = rc;
	uk_mutex_unlock(&fs->sv_lock);
	return rc;
}

/* The last figures: 0, or the error of a mount that never had any. */
int _p9fs_statfs_get(struct p9fs *fs, struct statvfs *sv)
{
	int rc = 0;

	uk_mutex_lock(&fs->sv_lock);
	*sv = fs->sv;
	if (!fs->sv.f_bsize)
		rc = fs->sv_rc ? fs->sv_rc : -EIO;
	uk_mutex_unlock(&fs->sv_lock);
	return rc;
}

static void refresher(void *arg)
{
	struct p9fs *fs = arg;
	int warned = 0, rc;

	while (!__atomic_load_n(&fs->sv_stop, __ATOMIC_ACQUIRE)) {
		uk_wait_on(&fs->sv_stop, 0, uk_wait_now_ns() +
			   fs->sv_period_ns);
		if (__atomic_load_n(&fs->sv_stop, __ATOMIC_ACQUIRE))
			break;
		rc = _p9fs_statfs_refresh(fs, fs->sv_fid);
		if (rc && !warned)
			uk_pr_warn("9pfs: statfs failed (%d); the last "
				   "figures stand\n", rc);
		warned = rc != 0;
	}
}

/* Clones root for the refresher and starts it: 0 or -errno. */
int _p9fs_statfs_start(struct p9fs *fs, struct uk_9p_fid *root)
{
	int rc;

	if (!fs->sv_period_ns)
		return 0;
	rc = _p9fs_err(uk_9p_walk(root, NULL, 0, &fs->sv_fid));
	if (rc)
		return rc;
	rc = uk_thread_create(&fs->sv_thread, "9pfs-statfs", refresher, fs,
			      STACK_SIZE);
	if (rc) {
		uk_9p_clunk(fs->sv_fid);
		fs->sv_fid = NULL;
		fs->sv_thread = NULL;
	} else {
		/* A file system's own thread: system CPU time. */
		uk_thread_set_class(fs->sv_thread, UK_THREAD_CLASS_SYSTEM);
	}
	return rc;
}

/* Stops the refresher (if any) and clunks its fid. */
void _p9fs_statfs_stop(struct p9fs *fs)
{
	if (fs->sv_thread) {
		__atomic_store_n(&fs->sv_stop, 1, __ATOMIC_RELEASE);
		uk_wake(&fs->sv_stop, -1);
		uk_thread_join(fs->sv_thread);
		fs->sv_thread = NULL;
	}
	if (fs->sv_fid) {
		uk_9p_clunk(fs->sv_fid);
		fs->sv_fid = NULL;
	}
}
