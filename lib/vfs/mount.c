/*
 * The mount table: file system types (a linker section filled by
 * UK_VFS_FS_TYPE), mounting and unmounting, the root mounted on first
 * use, node references, and the small helpers file systems share
 * (option strings, sizes).
 *
 * A mount hangs on a directory node of its parent mount (the covered
 * node, identified by mount and inode number, so that file systems that
 * build a fresh node per lookup work too).  Mounting on a mount's root,
 * or twice on one directory, is refused (-EBUSY): no stacking, so a walk
 * crosses at most one mount per component.  A mount is "busy" while a
 * walk is inside it or a file is open on it; unmounting needs it idle
 * and without mounts below.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/lock.h>
#include <uk/print.h>
#include <uk/vfs.h>
#include <uk/vfs_fs.h>

#include "vfs_impl.h"

extern const struct uk_vfs_fs_type __start_uk_vfs_fs[] __attribute__((weak));
extern const struct uk_vfs_fs_type __stop_uk_vfs_fs[] __attribute__((weak));

static struct uk_mutex table_lock = UK_MUTEX_INITIALIZER;
static struct uk_vfs_mount *mounts;     /* by creation */
static struct uk_vfs_mount *root_mount;
static uint32_t next_id = 1;

/* The mount table, newest first (the table lock held). */
struct uk_vfs_mount *_vfs_mounts(void)
{
	return mounts;
}

/* Takes the mount table's lock. */
void _vfs_table_lock(void)
{
	uk_mutex_lock(&table_lock);
}

/* Releases the mount table's lock. */
void _vfs_table_unlock(void)
{
	uk_mutex_unlock(&table_lock);
}

static const struct uk_vfs_fs_type *fs_type_find(const char *name)
{
	const struct uk_vfs_fs_type *t;

	if (!name)
		return NULL;
	for (t = __start_uk_vfs_fs; t && t < __stop_uk_vfs_fs; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

/* Marks m busy. */
void _vfs_mount_busy(struct uk_vfs_mount *m)
{
	_vfs_table_lock();
	m->busy++;
	_vfs_table_unlock();
}

/* Marks m no longer busy for one walk or file. */
void _vfs_mount_unbusy(struct uk_vfs_mount *m)
{
	_vfs_table_lock();
	UK_ASSERT(m->busy > 0);
	m->busy--;
	_vfs_table_unlock();
}

static struct uk_vfs_mount *mount_on_locked(struct uk_vfs_node *n)
{
	struct uk_vfs_mount *c;

	for (c = mounts; c; c = c->next)
		if (c->parent == n->mnt && c->covered->ino == n->ino)
			return c;
	return NULL;
}

/*
 * The mount whose mountpoint is n (n's mount locked), marked busy for
 * the caller, or NULL.
 */
struct uk_vfs_mount *_vfs_mount_on(struct uk_vfs_node *n)
{
	struct uk_vfs_mount *c;

	if (!n->mnt->nchildren)
		return NULL;
	_vfs_table_lock();
	c = mount_on_locked(n);
	if (c)
		c->busy++;
	_vfs_table_unlock();
	return c;
}

/* Whether n (its mount locked) is a mountpoint. */
int _vfs_is_mountpoint(struct uk_vfs_node *n)
{
	int r;

	if (!n->mnt->nchildren)
		return 0;
	_vfs_table_lock();
	r = mount_on_locked(n) != NULL;
	_vfs_table_unlock();
	return r;
}

/*
 * The root mount marked busy, mounting a default ramfs on first use (its
 * device is "ramfs", as Linux names the source of a ramfs mount; never
 * "rootfs", which names no device).  Returns it, or NULL with *err
 * (-ENOENT without a ramfs).
 */
struct uk_vfs_mount *_vfs_root_busy(int *err)
{
	struct uk_vfs_mount *m;
	int rc, tries;

	for (tries = 0; tries < 2; tries++) {
		_vfs_table_lock();
		m = root_mount;
		if (m)
			m->busy++;
		_vfs_table_unlock();
		if (m)
			return m;
		rc = uk_vfs_mount("ramfs", "/", "ramfs", 0, NULL, NULL);
		if (rc && rc != -EBUSY) {
			*err = rc == -ENODEV ? -ENOENT : rc;
			return NULL;
		}
	}
	*err = -ENOENT;
	return NULL;
}

static char *dup_str(struct uk_alloc *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = uk_malloc(a, n);

	if (d)
		memcpy(d, s, n);
	return d;
}

/*
 * Writes the canonical form of absolute or root-relative path into out
 * (size UK_VFS_PATH_MAX): repeated slashes and "." dropped, ".."
 * removing the previous component (never above "/").  Only for
 * mountpoints, whose components the walk has checked to be directories,
 * so ".." lexically is ".." on the tree (there are no symbolic links).
 */
static void canonical(const char *path, char *out)
{
	size_t o = 0;
	const char *p = path;

	out[o++] = '/';
	while (*p) {
		const char *s;
		size_t len;

		while (*p == '/')
			p++;
		s = p;
		while (*p && *p != '/')
			p++;
		len = (size_t)(p - s);
		if (!len || (len == 1 && s[0] == '.'))
			continue;
		if (len == 2 && s[0] == '.' && s[1] == '.') {
			while (o > 1 && out[o - 1] != '/')
				o--;
			if (o > 1)
				o--;
			continue;
		}
		if (o > 1)
			out[o++] = '/';
		memcpy(out + o, s, len);
		o += len;
	}
	out[o] = 0;
}

static void mount_free(struct uk_alloc *a, struct uk_vfs_mount *m)
{
	uk_free(a, m->path);
	uk_free(a, m->source);
	uk_free(a, m);
}

/* Frees an unmounted mount's memory. */
void _vfs_mount_free(struct uk_vfs_mount *m)
{
	uk_mutex_fini(&m->lock);
	mount_free(uk_alloc_get_default(), m);
}

/*
 * Mounts fstype on target (see uk/vfs.h).  Returns 0, -ENODEV, -EBUSY,
 * -ENOTDIR, -ENOENT, -ENOMEM, -ENAMETOOLONG or the file system's error.
 */
int uk_vfs_mount(const char *source, const char *target, const char *fstype,
		 unsigned long flags, const char *opts, const void *data)
{
	struct uk_alloc *a = uk_alloc_get_default();
	const struct uk_vfs_fs_type *t = fs_type_find(fstype);
	struct uk_vfs_mount *m, *parent = NULL;
	struct uk_vfs_node *covered = NULL, *root = NULL;
	struct vfs_walk w;
	char *canon;
	int rc;

	if (!t)
		return -ENODEV;
	if (!target || !target[0])
		return -ENOENT;
	if (strnlen(target, UK_VFS_PATH_MAX) == UK_VFS_PATH_MAX)
		return -ENAMETOOLONG;
	m = uk_calloc(a, 1, sizeof(*m));
	canon = uk_malloc(a, UK_VFS_PATH_MAX);
	if (!m || !canon) {
		uk_free(a, m);
		uk_free(a, canon);
		return -ENOMEM;
	}
	canonical(target, canon);
	m->type = t;
	m->flags = flags & UK_VFS_MNT_RDONLY;
	uk_mutex_init(&m->lock, NULL);
	_vfs_stats_init(m);
	m->path = dup_str(a, canon);
	m->source = dup_str(a, source ? source : "none");
	uk_free(a, canon);
	if (!m->path || !m->source) {
		mount_free(a, m);
		return -ENOMEM;
	}

	if (strcmp(m->path, "/")) {
		rc = _vfs_walk(target, 0, &w);
		if (rc) {
			mount_free(a, m);
			return rc;
		}
		if (w.node->type != S_IFDIR)
			rc = -ENOTDIR;
		else if (w.node->ino == w.m->root->ino)
			rc = -EBUSY;
		if (rc) {
			_vfs_walk_end(&w, rc);
			mount_free(a, m);
			return rc;
		}
		/* The walk's reference and busy mark become the mount's
		 * until it is linked (then the busy mark is dropped). */
		parent = w.m;
		covered = w.node;
		uk_mutex_unlock(&parent->lock);
	} else {
		_vfs_table_lock();
		rc = root_mount ? -EBUSY : 0;
		_vfs_table_unlock();
		if (rc) {
			mount_free(a, m);
			return rc;
		}
	}

	rc = t->ops->mount(m, m->source, opts, data, &root);
	if (!rc) {
		UK_ASSERT(root && root->type == S_IFDIR && root->mnt == m);
		m->root = root;
		if (parent)
			uk_mutex_lock(&parent->lock);
		_vfs_table_lock();
		if (parent ? mount_on_locked(covered) != NULL
			   : root_mount != NULL)
			rc = -EBUSY;  /* someone else got there first */
		if (!rc) {
			m->id = next_id++;
			m->parent = parent;
			m->covered = covered;
			if (parent) {
				parent->nchildren++;
				parent->busy--;
			} else {
				root_mount = m;
			}
			m->next = mounts;
			mounts = m;
		}
		_vfs_table_unlock();
		if (parent)
			uk_mutex_unlock(&parent->lock);
		if (rc) {
			uk_mutex_lock(&m->lock);
			uk_vfs_node_put(root);
			uk_mutex_unlock(&m->lock);
			t->ops->unmount(m);
		}
	}
	if (rc) {
		if (parent) {
			uk_mutex_lock(&parent->lock);
			uk_vfs_node_put(covered);
			uk_mutex_unlock(&parent->lock);
			_vfs_mount_unbusy(parent);
		}
		mount_free(a, m);
		return rc;
	}
	_vfs_stats_mount(m);
	return 0;
}

/*
 * Unmounts the file system mounted on target.  Returns 0, -EINVAL (not
 * a mountpoint), -EBUSY, or a path error.
 */
int uk_vfs_umount(const char *target)
{
	struct uk_vfs_mount *m, **pp, *parent;
	struct vfs_walk w;
	int rc;

	rc = _vfs_walk(target, 0, &w);
	if (rc)
		return rc;
	m = w.m;
	if (w.node->ino != m->root->ino)
		rc = -EINVAL;
	_vfs_walk_end(&w, 0);
	if (rc)
		return rc;

	_vfs_table_lock();
	if (m->busy || m->nchildren) {
		_vfs_table_unlock();
		return -EBUSY;
	}
	for (pp = &mounts; *pp != m; pp = &(*pp)->next)
		UK_ASSERT(*pp);
	*pp = m->next;
	if (root_mount == m)
		root_mount = NULL;
	_vfs_table_unlock();

	/* Unreachable now: no walk can enter it, no file is open on it;
	 * only a scrape may still look at its figures. */
	uk_mutex_lock(&m->lock);
	_vfs_stats_dead(m);
	uk_vfs_node_put(m->root);
	uk_mutex_unlock(&m->lock);
	m->type->ops->unmount(m);
	parent = m->parent;
	if (parent) {
		uk_mutex_lock(&parent->lock);
		_vfs_table_lock();
		parent->nchildren--;
		_vfs_table_unlock();
		uk_vfs_node_put(m->covered);
		uk_mutex_unlock(&parent->lock);
	}
	_vfs_stats_free(m);
	return 0;
}

/* ---- nodes ----------------------------------------------------------- */

/* Sets up node n of m with no references. */
void uk_vfs_node_init(struct uk_vfs_node *n, struct uk_vfs_mount *m,
		      uint64_t ino, mode_t type)
{
	UK_ASSERT(type == S_IFREG || type == S_IFDIR);
	n->mnt = m;
	n->ino = ino;
	n->type = type;
	n->refs = 0;
}

/* Takes a reference on n (its mount locked). */
void uk_vfs_node_hold(struct uk_vfs_node *n)
{
	n->refs++;
	UK_ASSERT(n->refs > 0);
}

/* Drops a reference on n (its mount locked); the last calls release. */
void uk_vfs_node_put(struct uk_vfs_node *n)
{
	UK_ASSERT(n->refs > 0);
	if (--n->refs == 0)
		n->mnt->type->ops->release(n);
}

/* The file system's state of m. */
void *uk_vfs_mount_priv(const struct uk_vfs_mount *m)
{
	return m->priv;
}

/* Sets the file system's state of m. */
void uk_vfs_mount_set_priv(struct uk_vfs_mount *m, void *priv)
{
	m->priv = priv;
}

/* The mountpoint of m. */
const char *uk_vfs_mount_path(const struct uk_vfs_mount *m)
{
	return m->path;
}

/* Makes m read-only. */
void uk_vfs_mount_set_rdonly(struct uk_vfs_mount *m)
{
	m->flags |= UK_VFS_MNT_RDONLY;
}

/* Whether m is read-only. */
int uk_vfs_mount_rdonly(const struct uk_vfs_mount *m)
{
	return !!(m->flags & UK_VFS_MNT_RDONLY);
}

/* Takes m's lock (a file system retaking it after a wait). */
void uk_vfs_mount_lock(struct uk_vfs_mount *m)
{
	uk_mutex_lock(&m->lock);
}

/* Releases m's lock (a file system about to wait). */
void uk_vfs_mount_unlock(struct uk_vfs_mount *m)
{
	uk_mutex_unlock(&m->lock);
}

/* ---- option strings ---------------------------------------------------- */

/*
 * Parses digits with an optional k/m/g suffix.  Returns 0 and *out, or
 * -EINVAL (empty, not a number, overflow).
 */
int uk_vfs_parse_size(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0, mul = 1;
	size_t i;

	if (len && (s[len - 1] == 'k' || s[len - 1] == 'K'))
		mul = 1ULL << 10;
	else if (len && (s[len - 1] == 'm' || s[len - 1] == 'M'))
		mul = 1ULL << 20;
	else if (len && (s[len - 1] == 'g' || s[len - 1] == 'G'))
		mul = 1ULL << 30;
	if (mul > 1)
		len--;
	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT64_MAX / mul)
		return -EINVAL;
	*out = v * mul;
	return 0;
}

/*
 * The next "key[=value]" of a comma-separated option string.  Returns 1
 * with key and value set (value "" when absent), 0 at the end.
 */
int uk_vfs_opt_next(const char **p, const char **key, size_t *klen,
		    const char **val, size_t *vlen)
{
	const char *s = *p, *e, *eq;

	if (!s)
		return 0;
	while (*s == ',')
		s++;
	if (!*s) {
		*p = s;
		return 0;
	}
	for (e = s; *e && *e != ','; e++)
		;
	for (eq = s; eq < e && *eq != '='; eq++)
		;
	*key = s;
	*klen = (size_t)(eq - s);
	if (eq < e) {
		*val = eq + 1;
		*vlen = (size_t)(e - eq - 1);
	} else {
		*val = e;
		*vlen = 0;
	}
	*p = e;
	return 1;
}
