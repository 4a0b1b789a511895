/*
 * 9pfs: lib/vfs's file system type "9p" over lib/uk9p's client (see
 * uk/9pfs.h for the options and what is shown).
 *
 * Nodes.  The VFS asks for a node per lookup; each is a fresh fid walked
 * from its directory's fid (one Twalk), with the server's qid path as
 * its inode number, so two lookups of one file give two nodes with the
 * same number, which the VFS allows.  The node's fid is never opened (a
 * walk from an open fid is not allowed): an open clones it and opens the
 * clone, which is the open file's handle; closing clunks the clone,
 * releasing the node clunks its fid.  A file made by create() comes with
 * the open fid of its Tlcreate, which the first open takes over, so
 * creating and writing a file costs no extra open.
 *
 * Locking.  Every op runs under the mount's lock (the VFS's), and most
 * keep it for their messages: a lookup, a create or a rename is one or
 * two round trips.  Reads and writes let go of it while their messages
 * travel (uk_vfs_mount_unlock): they touch only the open file's fid,
 * which the open file keeps alive (the VFS holds the node and the handle
 * until the last close, and releases nothing without the lock), and the
 * client is made for concurrent requests.  So a slow read of one file
 * does not hold up lookups or reads of others.  The VFS's position lock
 * keeps read()/write() on one descriptor atomic meanwhile.
 *
 * Directories list through Treaddir in 4 KiB batches kept with the open
 * directory; the server's "." and ".." are dropped (the VFS adds its
 * own), as are symbolic links and special files.  ".." of the mount's
 * root is the root itself, never asked of the server.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <uk/9p.h>
#include <uk/9pfs.h>
#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/lock.h>
#include <uk/print.h>
#include <uk/vfs_fs.h>

#include "9pfs_impl.h"

#define DIRBUF 4096
#define NS_PER_MS 1000000ULL
/* qid types not shown: symbolic links, authentication files, mounts. */
#define QT_HIDDEN (UK_9P_QTSYMLINK | 0x08 | 0x10)

/* An open file or directory. */
struct p9open {
	struct uk_9p_fid *fid;       /* opened */
	/* Directories: a batch of raw entries, and the VFS cookie at which
	 * dpos stands (the offset the server gave the entry before it). */
	uint8_t *dbuf;
	uint32_t dlen, dpos;
	uint64_t dcookie;
};

static struct p9fs *fs_of(struct uk_vfs_node *n)
{
	return uk_vfs_mount_priv(n->mnt);
}

static struct p9node *pn(struct uk_vfs_node *n)
{
	return (struct p9node *)n;
}

/* Copies a VFS name (len bytes, not terminated) for the client. */
static void cname(char *out, const char *name, size_t len)
{
	UK_ASSERT(len <= UK_VFS_NAME_MAX);
	memcpy(out, name, len);
	out[len] = 0;
}

/*
 * A node for fid (qid already known) of mount m with a reference, or
 * NULL (fid clunked).  Symbolic links and special files are refused
 * with -ENOENT: the VFS shows regular files and directories only.
 */
static int node_new(struct uk_vfs_mount *m, struct uk_9p_fid *fid,
		    struct uk_vfs_node **out)
{
	struct p9fs *fs = uk_vfs_mount_priv(m);
	struct p9node *n;

	if (fid->qid.type & QT_HIDDEN) {
		uk_9p_clunk(fid);
		return -ENOENT;
	}
	n = uk_calloc(fs->a, 1, sizeof(*n));
	if (!n) {
		uk_9p_clunk(fid);
		return -ENOMEM;
	}
	n->fid = fid;
	uk_vfs_node_init(&n->vn, m, fid->qid.path,
			 (fid->qid.type & UK_9P_QTDIR) ? S_IFDIR : S_IFREG);
	uk_vfs_node_hold(&n->vn);
	*out = &n->vn;
	return 0;
}

static int p9_lookup(struct uk_vfs_node *dir, const char *name, size_t len,
		     struct uk_vfs_node **out)
{
	char buf[UK_VFS_NAME_MAX + 1];
	const char *names[1] = { buf };
	struct uk_9p_fid *fid;
	int rc;

	if (len == 2 && name[0] == '.' && name[1] == '.' &&
	    dir->ino == fs_of(dir)->root_ino) {
		/* Never above the share, whatever the server would say. */
		uk_vfs_node_hold(dir);
		*out = dir;
		return 0;
	}
	cname(buf, name, len);
	rc = _p9fs_err(uk_9p_walk(pn(dir)->fid, names, 1, &fid));
	if (rc)
		return rc;
	return node_new(dir->mnt, fid, out);
}

static int p9_create(struct uk_vfs_node *dir, const char *name, size_t len,
		     mode_t mode, struct uk_vfs_node **out)
{
	char buf[UK_VFS_NAME_MAX + 1];
	const char *names[1] = { buf };
	struct uk_9p_fid *open, *fid;
	int rc;

	cname(buf, name, len);
	rc = _p9fs_err(uk_9p_lcreate(pn(dir)->fid, buf, UK_9P_O_RDWR |
				     UK_9P_O_CREAT | UK_9P_O_EXCL,
				     mode & 07777, UK_9P_NOGID, &open));
	if (rc)
		return rc;
	rc = _p9fs_err(uk_9p_walk(pn(dir)->fid, names, 1, &fid));
	if (!rc)
		rc = node_new(dir->mnt, fid, out);
	if (rc) {
		uk_9p_clunk(open);
		return rc;
	}
	pn(*out)->created = open;
	return 0;
}

static int p9_mkdir(struct uk_vfs_node *dir, const char *name, size_t len,
		    mode_t mode)
{
	char buf[UK_VFS_NAME_MAX + 1];

	cname(buf, name, len);
	return _p9fs_err(uk_9p_mkdir(pn(dir)->fid, buf, mode & 07777,
				     UK_9P_NOGID, NULL));
}

static int p9_unlink(struct uk_vfs_node *dir, const char *name, size_t len,
		     struct uk_vfs_node *node)
{
	char buf[UK_VFS_NAME_MAX + 1];

	cname(buf, name, len);
	return _p9fs_err(uk_9p_unlinkat(pn(dir)->fid, buf, 0));
}

static int p9_rmdir(struct uk_vfs_node *dir, const char *name, size_t len,
		    struct uk_vfs_node *node)
{
	char buf[UK_VFS_NAME_MAX + 1];

	cname(buf, name, len);
	return _p9fs_err(uk_9p_unlinkat(pn(dir)->fid, buf,
					UK_9P_AT_REMOVEDIR));
}

static int p9_rename(struct uk_vfs_node *odir, const char *oname, size_t olen,
		     struct uk_vfs_node *node, struct uk_vfs_node *ndir,
		     const char *nname, size_t nlen, struct uk_vfs_node *target)
{
	char from[UK_VFS_NAME_MAX + 1], to[UK_VFS_NAME_MAX + 1];

	cname(from, oname, olen);
	cname(to, nname, nlen);
	return _p9fs_err(uk_9p_renameat(pn(odir)->fid, from, pn(ndir)->fid,
					to));
}

static int p9_open(struct uk_vfs_node *node, int flags, void **handle)
{
	struct p9fs *fs = fs_of(node);
	struct p9node *n = pn(node);
	struct p9open *o;
	uint32_t f;
	int rc;

	o = uk_calloc(fs->a, 1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	if (n->created && node->type == S_IFREG) {
		/* Opened read-write by Tlcreate: good for any access. */
		o->fid = n->created;
		n->created = NULL;
		*handle = o;
		return 0;
	}
	if (node->type == S_IFDIR) {
		f = UK_9P_O_RDONLY | UK_9P_O_DIRECTORY;
		o->dbuf = uk_malloc(fs->a, DIRBUF);
		if (!o->dbuf) {
			uk_free(fs->a, o);
			return -ENOMEM;
		}
	} else {
		/* O_TRUNC and O_APPEND are the VFS's (truncate, offsets). */
		f = (uint32_t)(flags & O_ACCMODE);
	}
	rc = _p9fs_err(uk_9p_walk(n->fid, NULL, 0, &o->fid));
	if (!rc) {
		rc = _p9fs_err(uk_9p_lopen(o->fid, f));
		if (rc)
			uk_9p_clunk(o->fid);
	}
	if (rc) {
		uk_free(fs->a, o->dbuf);
		uk_free(fs->a, o);
		return rc;
	}
	*handle = o;
	return 0;
}

static void p9_close(struct uk_vfs_node *node, void *handle)
{
	struct p9fs *fs = fs_of(node);
	struct p9open *o = handle;

	uk_9p_clunk(o->fid);
	uk_free(fs->a, o->dbuf);
	uk_free(fs->a, o);
}

static ssize_t p9_read(struct uk_vfs_node *node, void *handle, void *buf,
		       size_t len, off_t off)
{
	struct p9open *o = handle;
	int64_t r;

	uk_vfs_mount_unlock(node->mnt);
	r = uk_9p_read(o->fid, (uint64_t)off, buf, len);
	uk_vfs_mount_lock(node->mnt);
	return r < 0 ? _p9fs_err((int)r) : (ssize_t)r;
}

static ssize_t p9_write(struct uk_vfs_node *node, void *handle,
			const void *buf, size_t len, off_t off)
{
	struct p9open *o = handle;
	int64_t r;

	uk_vfs_mount_unlock(node->mnt);
	r = uk_9p_write(o->fid, (uint64_t)off, buf, len);
	uk_vfs_mount_lock(node->mnt);
	return r < 0 ? _p9fs_err((int)r) : (ssize_t)r;
}

static int p9_truncate(struct uk_vfs_node *node, off_t len)
{
	struct uk_9p_setattr sa;

	memset(&sa, 0, sizeof(sa));
	sa.valid = UK_9P_SETATTR_SIZE;
	sa.size = (uint64_t)len;
	return _p9fs_err(uk_9p_setattr(pn(node)->fid, &sa));
}

/* The next entry worth showing of o's batch, refilled at *cookie. */
static int p9_readdir(struct uk_vfs_node *dir, void *handle, uint64_t *cookie,
		      struct uk_vfs_dirent *d)
{
	struct p9open *o = handle;
	struct uk_9p_dirent e;
	int rc;

	for (;;) {
		if (o->dpos >= o->dlen || o->dcookie != *cookie) {
			rc = uk_9p_readdir(o->fid, *cookie, o->dbuf, DIRBUF);
			if (rc < 0)
				return _p9fs_err(rc);
			o->dlen = (uint32_t)rc;
			o->dpos = 0;
			o->dcookie = *cookie;
			if (!rc)
				return 0;
		}
		rc = uk_9p_dirent_next(o->dbuf, o->dlen, &o->dpos, &e);
		if (rc < 0)
			return _p9fs_err(rc);
		if (rc == 0) {
			o->dlen = 0;    /* the batch is used up: refill */
			continue;
		}
		*cookie = o->dcookie = e.offset;
		if (!strcmp(e.name, ".") || !strcmp(e.name, ".."))
			continue;
		if ((e.qid.type & QT_HIDDEN) ||
		    (e.type != DT_UNKNOWN && e.type != DT_DIR &&
		     e.type != DT_REG))
			continue;       /* a symbolic link, a device... */
		d->ino = e.qid.path;
		d->type = (e.qid.type & UK_9P_QTDIR) ? DT_DIR : DT_REG;
		memcpy(d->name, e.name, sizeof(d->name));
		return 1;
	}
}

static int p9_getattr(struct uk_vfs_node *node, struct stat *st)
{
	struct uk_9p_attr a;
	int rc;

	rc = _p9fs_err(uk_9p_getattr(pn(node)->fid, UK_9P_GETATTR_BASIC, &a));
	if (rc)
		return rc;
	st->st_mode = (mode_t)a.mode;
	st->st_nlink = (nlink_t)a.nlink;
	st->st_uid = a.uid;
	st->st_gid = a.gid;
	st->st_size = (off_t)a.size;
	st->st_blksize = (blksize_t)a.blksize;
	st->st_blocks = (blkcnt_t)a.blocks;
	st->st_atim.tv_sec = (time_t)a.atime_sec;
	st->st_atim.tv_nsec = (long)a.atime_nsec;
	st->st_mtim.tv_sec = (time_t)a.mtime_sec;
	st->st_mtim.tv_nsec = (long)a.mtime_nsec;
	st->st_ctim.tv_sec = (time_t)a.ctime_sec;
	st->st_ctim.tv_nsec = (long)a.ctime_nsec;
	return 0;
}

static int p9_statfs(struct uk_vfs_mount *m, struct statvfs *sv)
{
	return _p9fs_statfs_get(uk_vfs_mount_priv(m), sv);
}

static int p9_fsync(struct uk_vfs_node *node, void *handle)
{
	struct p9open *o = handle;

	if (node->type != S_IFREG)
		return 0;
	return _p9fs_err(uk_9p_fsync(o->fid, 0));
}

static void p9_release(struct uk_vfs_node *node)
{
	struct p9fs *fs = fs_of(node);
	struct p9node *n = pn(node);

	if (n->created)
		uk_9p_clunk(n->created);
	uk_9p_clunk(n->fid);
	uk_free(fs->a, n);
}

/* ---- mounting ---------------------------------------------------------- */

struct p9opts {
	char aname[256];
	char uname[64];
	uint64_t uid, msize, statfs_ms;
};

static int opt_str(char *d, size_t n, const char *v, size_t vl)
{
	if (vl >= n)
		return -EINVAL;
	memcpy(d, v, vl);
	d[vl] = 0;
	return 0;
}

#define KEY(s) (kl == sizeof(s) - 1 && !memcmp(k, s, kl))

static int parse_opts(const char *opts, struct p9opts *o)
{
	const char *p = opts, *k, *v;
	size_t kl, vl;
	int rc;

	memset(o, 0, sizeof(*o));
	strcpy(o->uname, "root");
	o->statfs_ms = UK_9PFS_STATFS_MS;
	while (uk_vfs_opt_next(&p, &k, &kl, &v, &vl)) {
		if (KEY("aname"))
			rc = opt_str(o->aname, sizeof(o->aname), v, vl);
		else if (KEY("uname"))
			rc = opt_str(o->uname, sizeof(o->uname), v, vl);
		else if (KEY("uid"))
			rc = uk_vfs_parse_size(v, vl, &o->uid) ||
			     o->uid > UINT32_MAX ? -EINVAL : 0;
		else if (KEY("msize"))
			rc = uk_vfs_parse_size(v, vl, &o->msize) ||
			     o->msize > UINT32_MAX ? -EINVAL : 0;
		else if (KEY("statfs_ms"))
			rc = uk_vfs_parse_size(v, vl, &o->statfs_ms) ||
			     o->statfs_ms > 3600000 ? -EINVAL : 0;
		else
			rc = -EINVAL;
		if (rc)
			return rc;
	}
	return 0;
}

static void fs_free(struct p9fs *fs)
{
	if (fs->c)
		uk_9p_client_destroy(fs->c);
	uk_mutex_fini(&fs->sv_lock);
	uk_free(fs->a, fs);
}

static int p9_mount(struct uk_vfs_mount *m, const char *source,
		    const char *opts, const void *data,
		    struct uk_vfs_node **root)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct uk_9p_client_cfg cfg = { 0 };
	struct uk_9p_trans *t;
	struct uk_9p_fid *rfid;
	struct p9opts o;
	struct p9fs *fs;
	int rc;

	rc = parse_opts(opts, &o);
	if (rc)
		return rc;
	t = uk_9p_trans_find(source);
	if (!t)
		return -ENOENT;
	fs = uk_calloc(a, 1, sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	fs->a = a;
	uk_mutex_init(&fs->sv_lock, NULL);
	fs->sv_period_ns = o.statfs_ms * NS_PER_MS;
	cfg.msize = (uint32_t)o.msize;
	rc = _p9fs_err(uk_9p_client_create(t, &cfg, &fs->c));
	if (rc) {
		uk_pr_err("9pfs: %s: no 9P2000.L session over tag %s (%d)\n",
			  uk_vfs_mount_path(m), source, rc);
		fs->c = NULL;
		fs_free(fs);
		return rc;
	}
	rc = _p9fs_err(uk_9p_attach(fs->c, o.uname, (uint32_t)o.uid, o.aname,
				    &rfid));
	if (rc) {
		uk_pr_err("9pfs: %s: attach failed (%d)\n",
			  uk_vfs_mount_path(m), rc);
		fs_free(fs);
		return rc;
	}
	uk_vfs_mount_set_priv(m, fs);
	fs->root_ino = rfid->qid.path;
	rc = _p9fs_statfs_refresh(fs, rfid);
	if (!rc && !(rfid->qid.type & UK_9P_QTDIR))
		rc = -ENOTDIR;
	if (!rc)
		rc = _p9fs_statfs_start(fs, rfid);
	if (!rc)
		rc = node_new(m, rfid, root);
	else
		uk_9p_clunk(rfid);
	if (rc) {
		_p9fs_statfs_stop(fs);
		uk_vfs_mount_set_priv(m, NULL);
		fs_free(fs);
		return rc;
	}
	return 0;
}

static void p9_unmount(struct uk_vfs_mount *m)
{
	struct p9fs *fs = uk_vfs_mount_priv(m);

	/* Every node, the root's included, is released: only the
	 * refresher's fid is left. */
	_p9fs_statfs_stop(fs);
	fs_free(fs);
}

static const struct uk_vfs_fs_ops p9_ops = {
	.mount = p9_mount,
	.unmount = p9_unmount,
	.lookup = p9_lookup,
	.create = p9_create,
	.mkdir = p9_mkdir,
	.unlink = p9_unlink,
	.rmdir = p9_rmdir,
	.rename = p9_rename,
	.open = p9_open,
	.close = p9_close,
	.read = p9_read,
	.write = p9_write,
	.truncate = p9_truncate,
	.readdir = p9_readdir,
	.getattr = p9_getattr,
	.statfs = p9_statfs,
	.fsync = p9_fsync,
	.release = p9_release,
};

UK_VFS_FS_TYPE(9p, &p9_ops);
