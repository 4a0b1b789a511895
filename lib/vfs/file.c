/*
 * Open files and directories: the descriptor table's objects for nodes
 * of a mounted file system.  Each holds a reference on its node and a
 * busy mark on its mount (so the mount stays while it is open), the
 * file system's handle, the position and, for directories, the listing
 * cursor.  Every operation runs under the mount's lock; it is also where
 * the per-mount counters and the latency histogram are fed (plain adds:
 * the lock makes them single writer).  read(), write() and lseek() also
 * hold the file's position lock, taken before the mount's, so that
 * reading the position, the transfer and the update stay one step, as
 * POSIX wants of regular files, even on a file system that lets go of
 * the mount's lock while it waits for a server (9pfs).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/counter.h>
#include <uk/lock.h>
#include <uk/vfs.h>
#include <uk/vfs_file.h>
#include <uk/vfs_fs.h>

#include "vfs_impl.h"

struct vfs_nfile {
	struct uk_vfs_file f;
	struct uk_vfs_mount *m;
	struct uk_vfs_node *node;
	void *handle;
	struct uk_mutex pos_lock; /* pos, for read/write/lseek; before m's */
	off_t pos;
	uint64_t cookie;   /* the file system's listing cursor */
	int dots;          /* "." and ".." already listed (0..2) */
};

static const struct uk_vfs_file_ops nfile_ops;

static struct vfs_nfile *nf(struct uk_vfs_file *f)
{
	return (struct vfs_nfile *)f;
}

static const struct uk_vfs_fs_ops *fsops(struct vfs_nfile *n)
{
	return n->m->type->ops;
}

/* Ends an operation on n's mount: histogram and errors, unlock. */
static long op_end(struct vfs_nfile *n, uint64_t t0, long rc)
{
	_vfs_count_op(n->m, t0, rc < 0 ? (int)rc : 0);
	uk_mutex_unlock(&n->m->lock);
	return rc;
}

static int getsize(struct vfs_nfile *n, off_t *size)
{
	struct stat st;
	int rc;

	memset(&st, 0, sizeof(st));
	rc = fsops(n)->getattr(n->node, &st);
	if (!rc)
		*size = st.st_size;
	return rc;
}

static ssize_t do_read(struct vfs_nfile *n, void *buf, size_t len, off_t off,
		       int advance)
{
	uint64_t t0;
	ssize_t r;

	uk_mutex_lock(&n->m->lock);
	t0 = _vfs_op_start();
	if (n->node->type == S_IFDIR)
		return op_end(n, t0, -EISDIR);
	if (advance)
		off = n->pos;
	if (len > SSIZE_MAX)
		len = SSIZE_MAX;
	r = fsops(n)->read(n->node, n->handle, buf, len, off);
	if (r > 0) {
		if (advance)
			n->pos += r;
#if UK_VFS_METRICS
		uk_counter_add(&n->m->st.read_bytes, (uint64_t)r);
#endif
	}
#if UK_VFS_METRICS
	uk_counter_add(&n->m->st.reads, 1);
#endif
	return op_end(n, t0, r);
}

static ssize_t do_write(struct vfs_nfile *n, const void *buf, size_t len,
			off_t off, int advance)
{
	uint64_t t0;
	ssize_t r = 0;

	uk_mutex_lock(&n->m->lock);
	t0 = _vfs_op_start();
	if (advance)
		off = n->pos;
	/* Nothing to write moves nothing, not even to the end (Linux). */
	if (len && (uk_vfs_file_flags(&n->f) & O_APPEND))
		r = getsize(n, &off);
	if (len > SSIZE_MAX)
		len = SSIZE_MAX;
	if (!r && len && (off_t)len > INT64_MAX - off)
		r = -EFBIG;
	if (!r)
		r = fsops(n)->write(n->node, n->handle, buf, len, off);
	if (r >= 0) {
		/* With O_APPEND the position follows even for pwrite's
		 * caller-visible offset semantics: Linux appends there too,
		 * but only write() moves the position. */
		if (advance)
			n->pos = off + r;
#if UK_VFS_METRICS
		uk_counter_add(&n->m->st.written_bytes, (uint64_t)r);
#endif
	}
#if UK_VFS_METRICS
	uk_counter_add(&n->m->st.writes, 1);
#endif
	return op_end(n, t0, r);
}

/* Positioned I/O (pread, pwrite) takes no position lock, as on Linux. */
static ssize_t nf_read(struct uk_vfs_file *f, void *buf, size_t len)
{
	struct vfs_nfile *n = nf(f);
	ssize_t r;

	uk_mutex_lock(&n->pos_lock);
	r = do_read(n, buf, len, 0, 1);
	uk_mutex_unlock(&n->pos_lock);
	return r;
}

static ssize_t nf_write(struct uk_vfs_file *f, const void *buf, size_t len)
{
	struct vfs_nfile *n = nf(f);
	ssize_t r;

	uk_mutex_lock(&n->pos_lock);
	r = do_write(n, buf, len, 0, 1);
	uk_mutex_unlock(&n->pos_lock);
	return r;
}

static ssize_t nf_pread(struct uk_vfs_file *f, void *buf, size_t len,
			off_t off)
{
	if (off < 0)
		return -EINVAL;
	return do_read(nf(f), buf, len, off, 0);
}

static ssize_t nf_pwrite(struct uk_vfs_file *f, const void *buf, size_t len,
			 off_t off)
{
	if (off < 0)
		return -EINVAL;
	return do_write(nf(f), buf, len, off, 0);
}

static off_t nf_lseek(struct uk_vfs_file *f, off_t off, int whence)
{
	struct vfs_nfile *n = nf(f);
	off_t base = 0;
	int rc = 0;

	uk_mutex_lock(&n->pos_lock);
	uk_mutex_lock(&n->m->lock);
	if (n->node->type == S_IFDIR) {
		/* Listing cursors are not offsets: only a rewind. */
		if (whence == SEEK_SET && off == 0) {
			n->cookie = 0;
			n->dots = 0;
			n->pos = 0;
		} else {
			rc = -EINVAL;
		}
		uk_mutex_unlock(&n->m->lock);
		uk_mutex_unlock(&n->pos_lock);
		return rc;
	}
	switch (whence) {
	case SEEK_SET:
		break;
	case SEEK_CUR:
		base = n->pos;
		break;
	case SEEK_END:
		rc = getsize(n, &base);
		break;
	default:
		rc = -EINVAL;
	}
	if (!rc && ((off > 0 && base > INT64_MAX - off) || base + off < 0))
		rc = -EINVAL;
	if (!rc)
		n->pos = base + off;
	base = n->pos;
	uk_mutex_unlock(&n->m->lock);
	uk_mutex_unlock(&n->pos_lock);
	return rc ? rc : base;
}

/* Fills *st for node n of mount m (m locked). */
static int node_stat(struct uk_vfs_mount *m, struct uk_vfs_node *node,
		     struct stat *st)
{
	int rc;

	memset(st, 0, sizeof(*st));
	rc = m->type->ops->getattr(node, st);
	st->st_dev = m->id;
	st->st_ino = node->ino;
	st->st_mode = (st->st_mode & ~S_IFMT) | node->type;
	return rc;
}

static int nf_fstat(struct uk_vfs_file *f, struct stat *st)
{
	struct vfs_nfile *n = nf(f);
	int rc;

	uk_mutex_lock(&n->m->lock);
	rc = node_stat(n->m, n->node, st);
	uk_mutex_unlock(&n->m->lock);
	return rc;
}

static int nf_ftruncate(struct uk_vfs_file *f, off_t len)
{
	struct vfs_nfile *n = nf(f);
	uint64_t t0;

	if (n->node->type != S_IFREG || (uk_vfs_file_flags(f) & O_ACCMODE) == O_RDONLY)
		return -EINVAL;
	uk_mutex_lock(&n->m->lock);
	t0 = _vfs_op_start();
	return (int)op_end(n, t0, fsops(n)->truncate(n->node, len));
}

static int nf_fsync(struct uk_vfs_file *f)
{
	struct vfs_nfile *n = nf(f);
	uint64_t t0;
	int rc = 0;

	uk_mutex_lock(&n->m->lock);
	t0 = _vfs_op_start();
	if (fsops(n)->fsync)
		rc = fsops(n)->fsync(n->node, n->handle);
	return (int)op_end(n, t0, rc);
}

/* The file system's statistics of m with the mount's own flags. */
static int mount_statvfs(struct uk_vfs_mount *m, struct statvfs *sv)
{
	int rc;

	memset(sv, 0, sizeof(*sv));
	rc = m->type->ops->statfs(m, sv);
	if (rc)
		return rc;
	if (m->flags & UK_VFS_MNT_RDONLY)
		sv->f_flag |= ST_RDONLY;
	sv->f_fsid = m->id;
	if (!sv->f_namemax)
		sv->f_namemax = UK_VFS_NAME_MAX;
	_vfs_stats_cache(m, sv);
	return 0;
}

static int nf_fstatvfs(struct uk_vfs_file *f, struct statvfs *sv)
{
	struct vfs_nfile *n = nf(f);
	int rc;

	uk_mutex_lock(&n->m->lock);
	rc = mount_statvfs(n->m, sv);
	uk_mutex_unlock(&n->m->lock);
	return rc;
}

static int nf_readdir(struct uk_vfs_file *f, struct uk_vfs_dirent *d)
{
	struct vfs_nfile *n = nf(f);
	struct uk_vfs_node *up;
	uint64_t t0;
	int rc = 1;

	uk_mutex_lock(&n->m->lock);
	t0 = _vfs_op_start();
	if (n->node->type != S_IFDIR)
		return (int)op_end(n, t0, -ENOTDIR);
	memset(d, 0, sizeof(*d));
	if (n->dots < 2) {
		d->type = DT_DIR;
		d->ino = n->node->ino;
		d->name[0] = '.';
		if (n->dots == 1) {
			d->name[1] = '.';
			/* A mount's root reports itself as its parent. */
			if (n->node->ino != n->m->root->ino &&
			    !fsops(n)->lookup(n->node, "..", 2, &up)) {
				d->ino = up->ino;
				uk_vfs_node_put(up);
			}
		}
		n->dots++;
	} else {
		rc = fsops(n)->readdir(n->node, n->handle, &n->cookie, d);
	}
	return (int)op_end(n, t0, rc);
}

static int nf_rewinddir(struct uk_vfs_file *f)
{
	return (int)nf_lseek(f, 0, SEEK_SET);
}

static void nf_release(struct uk_vfs_file *f)
{
	struct vfs_nfile *n = nf(f);
	struct uk_vfs_mount *m = n->m;

	uk_mutex_lock(&m->lock);
	if (fsops(n)->close)
		fsops(n)->close(n->node, n->handle);
	uk_vfs_node_put(n->node);
	uk_mutex_unlock(&m->lock);
	_vfs_mount_unbusy(m);
	uk_mutex_fini(&n->pos_lock);
	uk_free(uk_alloc_get_default(), n);
}

static const struct uk_vfs_file_ops nfile_ops = {
	.read = nf_read,
	.write = nf_write,
	.pread = nf_pread,
	.pwrite = nf_pwrite,
	.lseek = nf_lseek,
	.fstat = nf_fstat,
	.ftruncate = nf_ftruncate,
	.fsync = nf_fsync,
	.fstatvfs = nf_fstatvfs,
	.readdir = nf_readdir,
	.rewinddir = nf_rewinddir,
	.release = nf_release,
};

/*
 * Opens node (a reference the file takes over) of m (locked) with flags.
 * Returns 0 and *out (one reference), -ENOMEM, or the file system's
 * open error; on error the node reference is dropped.
 */
int _vfs_file_open(struct uk_vfs_mount *m, struct uk_vfs_node *node,
		   int flags, struct uk_vfs_file **out)
{
	struct vfs_nfile *n;
	void *handle = NULL;
	int rc;

	n = uk_calloc(uk_alloc_get_default(), 1, sizeof(*n));
	if (!n) {
		uk_vfs_node_put(node);
		return -ENOMEM;
	}
	if (m->type->ops->open) {
		rc = m->type->ops->open(node, flags, &handle);
		if (rc) {
			uk_free(uk_alloc_get_default(), n);
			uk_vfs_node_put(node);
			return rc;
		}
	}
	uk_vfs_file_init(&n->f, &nfile_ops,
			 flags & (O_ACCMODE | O_APPEND | O_NONBLOCK));
	uk_mutex_init(&n->pos_lock, NULL);
	n->m = m;
	n->node = node;
	n->handle = handle;
	_vfs_mount_busy(m);
#if UK_VFS_METRICS
	uk_counter_add(&m->st.opens, 1);
#endif
	*out = &n->f;
	return 0;
}

/* stat of a walked node, for uk_vfs_stat (m locked). */
int _vfs_node_stat(struct uk_vfs_mount *m, struct uk_vfs_node *node,
		   struct stat *st)
{
	return node_stat(m, node, st);
}

/* statvfs of m (locked), for uk_vfs_statvfs and the store. */
int _vfs_mount_statvfs(struct uk_vfs_mount *m, struct statvfs *sv)
{
	return mount_statvfs(m, sv);
}
