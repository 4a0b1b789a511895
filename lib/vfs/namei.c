/*
 * Operations on names: open (with creation), mkdir, rmdir, unlink,
 * rename, stat, truncate, statvfs.  Each walks its path (walk.c), then
 * checks what Linux checks, in Linux's order, so that a program sees the
 * same errno for the same mistake (the differential test compares them
 * against the host): for instance unlink() of a directory is -EISDIR,
 * rmdir("x/..") is -ENOTEMPTY, a read-only mount reports -EEXIST before
 * -EROFS for mkdir of an existing name but -EROFS first for rmdir.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>

#include <uk/assert.h>
#include <uk/lock.h>
#include <uk/vfs.h>
#include <uk/vfs_file.h>
#include <uk/vfs_fs.h>

#include "vfs_impl.h"

static const struct uk_vfs_fs_ops *ops_of(struct vfs_walk *w)
{
	return w->m->type->ops;
}

static int rdonly(struct vfs_walk *w)
{
	return !!(w->m->flags & UK_VFS_MNT_RDONLY);
}

/*
 * Resolves an open's path to a node (created with O_CREAT): 0 with the
 * node as w->node, *created set, or an error with the walk ended.
 */
static int open_node(const char *path, int flags, mode_t mode,
		     struct vfs_walk *w, int *created)
{
	struct uk_vfs_node *node;
	int rc;

	*created = 0;
	if (!(flags & O_CREAT))
		return _vfs_walk(path, 0, w);
	rc = _vfs_walk(path, 1, w);
	if (rc)
		return rc;
	/* ".", ".." or "/" exist; a trailing slash can name no file. */
	if (w->lasttype != VFS_LAST_NORM)
		return _vfs_walk_end(w, flags & O_EXCL ? -EEXIST : -EISDIR);
	if (w->trailing)
		return _vfs_walk_end(w, -EISDIR);
	rc = _vfs_walk_last(w, &node);
	if (!rc) {
		if (flags & O_EXCL) {
			uk_vfs_node_put(node);
			return _vfs_walk_end(w, -EEXIST);
		}
		_vfs_walk_descend(w, node);
		return 0;
	}
	if (rc != -ENOENT)
		return _vfs_walk_end(w, rc);
	if (rdonly(w))
		return _vfs_walk_end(w, -EROFS);
	rc = ops_of(w)->create(w->node, w->last, w->lastlen,
			       (mode & 07777) | S_IFREG, &node);
	if (rc)
		return _vfs_walk_end(w, rc);
	UK_ASSERT(node->type == S_IFREG && node->mnt == w->m);
	uk_vfs_node_put(w->node);
	w->node = node;
	*created = 1;
	return 0;
}

/* Opens path (see uk/vfs.h): the descriptor or a negative errno. */
int uk_vfs_open(const char *path, int flags, mode_t mode)
{
	struct uk_vfs_file *f;
	struct vfs_walk w;
	int fd, rc, created, acc = flags & O_ACCMODE;
	int writes = acc != O_RDONLY || (flags & O_TRUNC);

	if (acc == O_ACCMODE ||
	    (flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY))
		return -EINVAL;
	/* As Linux: the descriptor first, so -EMFILE creates nothing. */
	fd = _vfs_fd_reserve();
	if (fd < 0)
		return fd;
	rc = open_node(path, flags, mode, &w, &created);
	if (rc) {
		_vfs_fd_unreserve(fd);
		return rc;
	}
	if ((flags & O_CREAT) && w.node->type == S_IFDIR)
		rc = -EISDIR;
	else if ((flags & O_DIRECTORY) && w.node->type != S_IFDIR)
		rc = -ENOTDIR;
	else if (w.node->type == S_IFDIR && writes)
		rc = -EISDIR;
	else if (writes && rdonly(&w))
		rc = -EROFS;
	else if ((flags & O_TRUNC) && !created && w.node->type == S_IFREG)
		rc = ops_of(&w)->truncate(w.node, 0);
	if (!rc) {
		/* The file takes over the walk's node reference. */
		rc = _vfs_file_open(w.m, w.node, flags, &f);
		w.node = NULL;
	}
	_vfs_walk_end(&w, rc);
	if (rc) {
		_vfs_fd_unreserve(fd);
		return rc;
	}
	_vfs_fd_install(fd, f);
	uk_vfs_file_put(f);
	return fd;
}

/* Creates directory path: 0 or a negative errno. */
int uk_vfs_mkdir(const char *path, mode_t mode)
{
	struct uk_vfs_node *node;
	struct vfs_walk w;
	int rc;

	rc = _vfs_walk(path, 1, &w);
	if (rc)
		return rc;
	if (w.lasttype != VFS_LAST_NORM)
		return _vfs_walk_end(&w, -EEXIST);
	rc = _vfs_walk_last(&w, &node);
	if (!rc) {
		uk_vfs_node_put(node);
		return _vfs_walk_end(&w, -EEXIST);
	}
	if (rc != -ENOENT)
		return _vfs_walk_end(&w, rc);
	if (rdonly(&w))
		return _vfs_walk_end(&w, -EROFS);
	rc = ops_of(&w)->mkdir(w.node, w.last, w.lastlen,
			       (mode & 07777) | S_IFDIR);
	return _vfs_walk_end(&w, rc);
}

/* Removes the empty directory path: 0 or a negative errno. */
int uk_vfs_rmdir(const char *path)
{
	struct uk_vfs_node *node;
	struct vfs_walk w;
	int rc;

	rc = _vfs_walk(path, 1, &w);
	if (rc)
		return rc;
	switch (w.lasttype) {
	case VFS_LAST_DOTDOT:
		return _vfs_walk_end(&w, -ENOTEMPTY);
	case VFS_LAST_DOT:
		return _vfs_walk_end(&w, -EINVAL);
	case VFS_LAST_ROOT:
		return _vfs_walk_end(&w, -EBUSY);
	}
	if (rdonly(&w))
		return _vfs_walk_end(&w, -EROFS);
	rc = _vfs_walk_last(&w, &node);
	if (rc)
		return _vfs_walk_end(&w, rc);
	if (node->type != S_IFDIR)
		rc = -ENOTDIR;
	else if (_vfs_is_mountpoint(node))
		rc = -EBUSY;
	else
		rc = ops_of(&w)->rmdir(w.node, w.last, w.lastlen, node);
	uk_vfs_node_put(node);
	return _vfs_walk_end(&w, rc);
}

/* Removes the file path: 0 or a negative errno. */
int uk_vfs_unlink(const char *path)
{
	struct uk_vfs_node *node;
	struct vfs_walk w;
	int rc;

	rc = _vfs_walk(path, 1, &w);
	if (rc)
		return rc;
	if (w.lasttype != VFS_LAST_NORM)
		return _vfs_walk_end(&w, -EISDIR);
	if (rdonly(&w))
		return _vfs_walk_end(&w, -EROFS);
	rc = _vfs_walk_last(&w, &node);
	if (rc)
		return _vfs_walk_end(&w, rc);
	if (node->type == S_IFDIR)
		rc = -EISDIR;
	else if (w.trailing)
		rc = -ENOTDIR;
	else
		rc = ops_of(&w)->unlink(w.node, w.last, w.lastlen, node);
	uk_vfs_node_put(node);
	return _vfs_walk_end(&w, rc);
}

/*
 * Whether the directory ancestor (by inode number) is dir or one of its
 * ancestors up to the mount's root, found through "..".  m is locked.
 */
static int is_ancestor(struct uk_vfs_mount *m, uint64_t ancestor,
		       struct uk_vfs_node *dir, int *err)
{
	struct uk_vfs_node *cur = dir, *up;
	int found = 0;

	uk_vfs_node_hold(cur);
	for (;;) {
		if (cur->ino == ancestor) {
			found = 1;
			break;
		}
		if (cur->ino == m->root->ino)
			break;
		*err = m->type->ops->lookup(cur, "..", 2, &up);
		if (*err)
			break;
		uk_vfs_node_put(cur);
		cur = up;
	}
	uk_vfs_node_put(cur);
	return found;
}

/* The checks and the call of a rename whose parents are both walked. */
static int rename_in(struct vfs_walk *ow, struct vfs_walk *nw)
{
	struct uk_vfs_mount *m = nw->m;
	struct uk_vfs_node *old = NULL, *new = NULL;
	int rc, err = 0;

	if (ow->lasttype != VFS_LAST_NORM || nw->lasttype != VFS_LAST_NORM)
		return -EBUSY;
	if (m->flags & UK_VFS_MNT_RDONLY)
		return -EROFS;
	rc = _vfs_walk_last(ow, &old);
	if (rc)
		return rc;
	rc = _vfs_walk_last(nw, &new);
	if (rc && rc != -ENOENT)
		goto out;
	rc = 0;
	if (old->type != S_IFDIR && (ow->trailing || nw->trailing)) {
		rc = -ENOTDIR;
		goto out;
	}
	if (ow->node != nw->node) {
		/* Neither may contain the other's parent. */
		if (old->type == S_IFDIR &&
		    is_ancestor(m, old->ino, nw->node, &err))
			rc = -EINVAL;
		else if (!err && new && new->type == S_IFDIR &&
			 is_ancestor(m, new->ino, ow->node, &err))
			rc = -ENOTEMPTY;
		if (err)
			rc = err;
		if (rc)
			goto out;
	}
	if (new && new->ino == old->ino)
		goto out;
	if (new && old->type == S_IFDIR && new->type != S_IFDIR)
		rc = -ENOTDIR;
	else if (new && old->type != S_IFDIR && new->type == S_IFDIR)
		rc = -EISDIR;
	else if (_vfs_is_mountpoint(old) || (new && _vfs_is_mountpoint(new)))
		rc = -EBUSY;
	else
		rc = m->type->ops->rename(ow->node, ow->last, ow->lastlen, old,
					  nw->node, nw->last, nw->lastlen,
					  new);
out:
	if (old)
		uk_vfs_node_put(old);
	if (new)
		uk_vfs_node_put(new);
	return rc;
}

/* Renames from to to: 0 or a negative errno (see uk/vfs.h). */
int uk_vfs_rename(const char *from, const char *to)
{
	struct vfs_walk ow, nw;
	int rc;

	rc = _vfs_walk(from, 1, &ow);
	if (rc)
		return rc;
	/* Keep the old parent (reference, busy mark) but not its lock,
	 * which the second walk may need. */
	uk_mutex_unlock(&ow.m->lock);
	rc = _vfs_walk(to, 1, &nw);
	if (rc) {
		uk_mutex_lock(&ow.m->lock);
		return _vfs_walk_end(&ow, rc);
	}
	if (nw.m != ow.m) {
		_vfs_walk_end(&nw, -EXDEV);
		uk_mutex_lock(&ow.m->lock);
		return _vfs_walk_end(&ow, -EXDEV);
	}
	/* Same mount, now locked by the second walk: end the first one
	 * under that lock without counting the operation twice. */
	rc = rename_in(&ow, &nw);
	uk_vfs_node_put(ow.node);
	ow.node = NULL;
	_vfs_mount_unbusy(ow.m);
	return _vfs_walk_end(&nw, rc);
}

/* Status of path: 0 or a negative errno. */
int uk_vfs_stat(const char *path, struct stat *st)
{
	struct vfs_walk w;
	int rc;

	rc = _vfs_walk(path, 0, &w);
	if (rc)
		return rc;
	rc = _vfs_node_stat(w.m, w.node, st);
	return _vfs_walk_end(&w, rc);
}

/* Sets the size of file path: 0 or a negative errno. */
int uk_vfs_truncate(const char *path, off_t len)
{
	struct vfs_walk w;
	int rc;

	if (len < 0)
		return -EINVAL;
	rc = _vfs_walk(path, 0, &w);
	if (rc)
		return rc;
	if (w.node->type == S_IFDIR)
		rc = -EISDIR;
	else if (rdonly(&w))
		rc = -EROFS;
	else
		rc = ops_of(&w)->truncate(w.node, len);
	return _vfs_walk_end(&w, rc);
}

/* Statistics of the file system holding path: 0 or a negative errno. */
int uk_vfs_statvfs(const char *path, struct statvfs *sv)
{
	struct vfs_walk w;
	int rc;

	rc = _vfs_walk(path, 0, &w);
	if (rc)
		return rc;
	rc = _vfs_mount_statvfs(w.m, sv);
	return _vfs_walk_end(&w, rc);
}
