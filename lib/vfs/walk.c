/*
 * Path resolution.  A walk starts at the root mount's root and takes one
 * component at a time, as Linux does, so that the errors match: each
 * directory walked through must be a directory (-ENOTDIR), each name is
 * looked up by the file system (-ENOENT; -ENAMETOOLONG past
 * UK_VFS_NAME_MAX), and ".." is the parent of the directory actually
 * reached, never the lexical one.  ".." of "/" is "/"; ".." of a mount's
 * root is the parent of its mountpoint, in the mount below, so a path
 * can neither climb above the root nor stay inside a mount it left.
 * Entering a directory that is a mountpoint continues at the mounted
 * root.
 *
 * The walk holds the lock of the mount it is in, a busy mark on that
 * mount, and a reference on its current node; crossing to another mount
 * marks the next one busy before letting go of the current one (see
 * vfs_impl.h for the lock order).
 */
#include <errno.h>
#include <string.h>

#include <uk/assert.h>
#include <uk/lock.h>
#include <uk/vfs.h>
#include <uk/vfs_fs.h>

#include "vfs_impl.h"

/* Leaves w's mount (node already dropped) for c, busy, at c's root. */
static void switch_to_root(struct vfs_walk *w, struct uk_vfs_mount *c)
{
	uk_mutex_unlock(&w->m->lock);
	_vfs_mount_unbusy(w->m);
	uk_mutex_lock(&c->lock);
	w->m = c;
	w->node = c->root;
	uk_vfs_node_hold(w->node);
}

/* Makes next (a reference, in w->m) the current node, entering a mount
 * on it. */
static void descend(struct vfs_walk *w, struct uk_vfs_node *next)
{
	struct uk_vfs_mount *c = NULL;

	uk_vfs_node_put(w->node);
	if (next->type == S_IFDIR)
		c = _vfs_mount_on(next);
	if (!c) {
		w->node = next;
		return;
	}
	uk_vfs_node_put(next);
	switch_to_root(w, c);
}

/* Moves to the parent of the current directory. */
static int go_up(struct vfs_walk *w)
{
	struct uk_vfs_node *next;
	int rc;

	if (w->node->ino == w->m->root->ino) {
		struct uk_vfs_mount *m = w->m, *p = m->parent;
		struct uk_vfs_node *cov = m->covered;

		if (!p)
			return 0;
		/*
		 * p has a mount on it (m) so it stays mounted; m stays busy
		 * until p's lock is held and covered has a reference of
		 * ours, so an unmount of m cannot free covered meanwhile.
		 */
		_vfs_mount_busy(p);
		uk_vfs_node_put(w->node);
		uk_mutex_unlock(&m->lock);
		uk_mutex_lock(&p->lock);
		uk_vfs_node_hold(cov);
		_vfs_mount_unbusy(m);
		w->m = p;
		w->node = cov;
		/* Mountpoints are never roots: no second mount to climb. */
		UK_ASSERT(w->node->ino != p->root->ino);
	}
	rc = w->m->type->ops->lookup(w->node, "..", 2, &next);
	if (rc)
		return rc;
	UK_ASSERT(next->type == S_IFDIR && next->mnt == w->m);
	uk_vfs_node_put(w->node);
	w->node = next;
	return 0;
}

/* One component (not the last in parent mode) from the current node. */
static int step(struct vfs_walk *w, const char *s, size_t len)
{
	struct uk_vfs_node *next;
	int rc;

	if (w->node->type != S_IFDIR)
		return -ENOTDIR;
	if (len == 1 && s[0] == '.')
		return 0;
	if (len == 2 && s[0] == '.' && s[1] == '.')
		return go_up(w);
	if (len > UK_VFS_NAME_MAX)
		return -ENAMETOOLONG;
	rc = w->m->type->ops->lookup(w->node, s, len, &next);
	if (rc)
		return rc;
	UK_ASSERT(next->mnt == w->m);
	descend(w, next);
	return 0;
}

/*
 * Resolves path, or (parent) all but its last component.  Returns 0
 * with w->m locked and busy and w->node referenced, or a negative errno
 * with nothing held.
 */
int _vfs_walk(const char *path, int parent, struct vfs_walk *w)
{
	const char *p = path;
	size_t plen;
	int rc = 0;

	memset(w, 0, sizeof(*w));
	if (!path)
		return -EFAULT;
	plen = strnlen(path, UK_VFS_PATH_MAX);
	if (plen == UK_VFS_PATH_MAX)
		return -ENAMETOOLONG;
	if (!plen)
		return -ENOENT;
	w->m = _vfs_root_busy(&rc);
	if (!w->m)
		return rc;
	w->t0 = _vfs_op_start();
	uk_mutex_lock(&w->m->lock);
	w->node = w->m->root;
	uk_vfs_node_hold(w->node);
	w->lasttype = VFS_LAST_ROOT;

	for (;;) {
		const char *s, *e;
		size_t len;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		s = p;
		while (*p && *p != '/')
			p++;
		e = p;
		len = (size_t)(e - s);
		while (*p == '/')
			p++;
		if (!*p) {
			/* The last component. */
			w->trailing = p != e;
			if (parent) {
				if (w->node->type != S_IFDIR) {
					rc = -ENOTDIR;
					break;
				}
				w->last = s;
				w->lastlen = len;
				if (len == 1 && s[0] == '.')
					w->lasttype = VFS_LAST_DOT;
				else if (len == 2 && s[0] == '.' && s[1] == '.')
					w->lasttype = VFS_LAST_DOTDOT;
				else
					w->lasttype = VFS_LAST_NORM;
				return 0;
			}
		}
		rc = step(w, s, len);
		if (rc)
			break;
	}
	if (!rc && !parent && w->trailing && w->node->type != S_IFDIR)
		rc = -ENOTDIR;
	if (rc)
		return _vfs_walk_end(w, rc);
	return 0;
}

/*
 * Looks up the last component of a parent walk in w->node, without
 * entering a mount on it.  Returns 0 and *out (a reference), -ENOENT,
 * -ENAMETOOLONG, or the file system's error.
 */
int _vfs_walk_last(struct vfs_walk *w, struct uk_vfs_node **out)
{
	int rc;

	UK_ASSERT(w->lasttype == VFS_LAST_NORM);
	if (w->lastlen > UK_VFS_NAME_MAX)
		return -ENAMETOOLONG;
	rc = w->m->type->ops->lookup(w->node, w->last, w->lastlen, out);
	UK_ASSERT(rc || (*out)->mnt == w->m);
	return rc;
}

/*
 * Makes node (a reference, from _vfs_walk_last) the walk's node, in
 * place of its parent, entering a mount on it.
 */
void _vfs_walk_descend(struct vfs_walk *w, struct uk_vfs_node *node)
{
	descend(w, node);
}

/*
 * Ends a walk: counts the operation and its result on the mount it
 * ended in, drops the node, the lock and the busy mark.  Returns rc.
 */
int _vfs_walk_end(struct vfs_walk *w, int rc)
{
	struct uk_vfs_mount *m = w->m;

	if (!m)
		return rc;
	_vfs_count_op(m, w->t0, rc);
	if (w->node)
		uk_vfs_node_put(w->node);
	uk_mutex_unlock(&m->lock);
	_vfs_mount_unbusy(m);
	w->m = NULL;
	w->node = NULL;
	return rc;
}
