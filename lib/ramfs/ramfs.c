/*
 * ramfs: files and directories in memory, under lib/vfs (see
 * uk/ramfs.h for the options).
 *
 * A directory is a list of entries in creation order, each with a
 * listing id that only grows, so a listing in progress (its cursor is
 * the next id) survives entries being added or removed.  Lookups scan the
 * list: directories are expected to be small.  A file's data is one
 * buffer of cap bytes of which size are the file; bytes past cap read as
 * zeros, so extending a file with truncate allocates nothing (a sparse
 * tail, as tmpfs has), and the bytes in [size, cap) are kept zero so a
 * file that grows again reads zeros there.  A file of the image points
 * at the image's bytes (ext) until it is first changed.
 *
 * Every byte the mount allocates (nodes, entries, data buffers) is
 * charged against size=; a charge that does not fit, or an allocation
 * that fails, is -ENOSPC, and a write that only partly fits is short.
 *
 * References: ramfs holds one VFS reference on each node linked in a
 * directory (the root included), so lookups never meet a dying node;
 * unlink and rmdir drop it, and the node is freed when the VFS's last
 * reference (an open file) goes too.  All ops run under the mount's lock.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#include <uk/ramfs.h>
#include <uk/vfs_fs.h>

#define BLOCK 4096
#define BOGO_DIRENT 20   /* a directory's st_size per entry, as tmpfs */
#define MAX_FILE (1ULL << 40)

struct ramfs_dirent;

struct ramfs_node {
	struct uk_vfs_node vn;
	struct ramfs_node *parent;      /* directories: the one holding it */
	mode_t mode;
	int linked;                     /* in a directory (or the root) */
	struct timespec atime, mtime, ctime;
	/* regular files */
	char *data;
	const char *ext;                /* image bytes until first change */
	uint64_t size, cap;
	/* directories */
	struct ramfs_dirent *first, *last;
	uint64_t next_id;
	uint32_t nentries, nsubdirs;
};

struct ramfs_dirent {
	struct ramfs_dirent *next, *prev;
	struct ramfs_node *node;
	uint64_t id;
	uint16_t len;
	char name[];
};

struct ramfs {
	struct uk_alloc *a;
	uint64_t limit, used;           /* bytes; limit 0: none */
	uint64_t max_nodes, nodes;      /* max 0: none */
	uint64_t next_ino;
	struct ramfs_node *root;
};

static struct ramfs *fs_of(struct uk_vfs_node *n)
{
	return uk_vfs_mount_priv(n->mnt);
}

static struct ramfs_node *rn(struct uk_vfs_node *n)
{
	return (struct ramfs_node *)n;
}

/* ---- accounting ------------------------------------------------------ */

static int charge(struct ramfs *fs, uint64_t bytes)
{
	if (fs->limit && (fs->used > fs->limit ||
			  bytes > fs->limit - fs->used))
		return -ENOSPC;
	fs->used += bytes;
	return 0;
}

static void uncharge(struct ramfs *fs, uint64_t bytes)
{
	UK_ASSERT(fs->used >= bytes);
	fs->used -= bytes;
}

static void *alloc_charged(struct ramfs *fs, size_t bytes)
{
	void *p;

	if (charge(fs, bytes))
		return NULL;
	p = uk_calloc(fs->a, 1, bytes);
	if (!p)
		uncharge(fs, bytes);
	return p;
}

static void free_charged(struct ramfs *fs, void *p, size_t bytes)
{
	uk_free(fs->a, p);
	uncharge(fs, bytes);
}

static void now(struct timespec *ts)
{
	uint64_t t = uk_plat_time_wall_ns();

	ts->tv_sec = (time_t)(t / UK_NSEC_PER_SEC);
	ts->tv_nsec = (long)(t % UK_NSEC_PER_SEC);
}

static void touch(struct ramfs_node *n)
{
	now(&n->mtime);
	n->ctime = n->mtime;
}

/* ---- nodes and entries ------------------------------------------------ */

static struct ramfs_node *node_new(struct ramfs *fs, struct uk_vfs_mount *m,
				   mode_t type, mode_t perm)
{
	struct ramfs_node *n;

	if (fs->max_nodes && fs->nodes >= fs->max_nodes)
		return NULL;
	n = alloc_charged(fs, sizeof(*n));
	if (!n)
		return NULL;
	uk_vfs_node_init(&n->vn, m, fs->next_ino++, type);
	n->mode = type | (perm & 07777);
	now(&n->atime);
	n->mtime = n->ctime = n->atime;
	fs->nodes++;
	return n;
}

static void node_free(struct ramfs *fs, struct ramfs_node *n)
{
	UK_ASSERT(!n->first);
	if (n->data)
		free_charged(fs, n->data, n->cap);
	free_charged(fs, n, sizeof(*n));
	fs->nodes--;
}

static struct ramfs_dirent *entry_find(struct ramfs_node *dir,
				       const char *name, size_t len)
{
	struct ramfs_dirent *d;

	for (d = dir->first; d; d = d->next)
		if (d->len == len && !memcmp(d->name, name, len))
			return d;
	return NULL;
}

/* A new entry name for n (charged), not yet linked; NULL if no room. */
static struct ramfs_dirent *entry_new(struct ramfs *fs, const char *name,
				      size_t len, struct ramfs_node *n)
{
	struct ramfs_dirent *d = alloc_charged(fs, sizeof(*d) + len);

	if (!d)
		return NULL;
	memcpy(d->name, name, len);
	d->len = (uint16_t)len;
	d->node = n;
	return d;
}

/* Links entry d into dir, taking ramfs's reference on its node. */
static void entry_link(struct ramfs_node *dir, struct ramfs_dirent *d)
{
	struct ramfs_node *n = d->node;

	d->id = dir->next_id++;
	d->next = NULL;
	d->prev = dir->last;
	if (dir->last)
		dir->last->next = d;
	else
		dir->first = d;
	dir->last = d;
	dir->nentries++;
	if (n->vn.type == S_IFDIR) {
		dir->nsubdirs++;
		n->parent = dir;
	}
	n->linked = 1;
	uk_vfs_node_hold(&n->vn);
	touch(dir);
}

/* Links n into dir as name.  Returns 0 or -ENOSPC. */
static int entry_add(struct ramfs *fs, struct ramfs_node *dir,
		     const char *name, size_t len, struct ramfs_node *n)
{
	struct ramfs_dirent *d = entry_new(fs, name, len, n);

	if (!d)
		return -ENOSPC;
	entry_link(dir, d);
	return 0;
}

/* Unlinks entry d of dir and drops ramfs's reference on its node. */
static void entry_del(struct ramfs *fs, struct ramfs_node *dir,
		      struct ramfs_dirent *d)
{
	struct ramfs_node *n = d->node;

	if (d->prev)
		d->prev->next = d->next;
	else
		dir->first = d->next;
	if (d->next)
		d->next->prev = d->prev;
	else
		dir->last = d->prev;
	dir->nentries--;
	if (n->vn.type == S_IFDIR) {
		dir->nsubdirs--;
		/* An open handle's ".." must not reach a freed directory. */
		if (n->parent == dir)
			n->parent = NULL;
	}
	free_charged(fs, d, sizeof(*d) + d->len);
	touch(dir);
	n->linked = 0;
	n->ctime = dir->mtime;
	uk_vfs_node_put(&n->vn);
}

/* ---- file data ---------------------------------------------------------- */

/* Makes an image file's bytes the node's own (first change). */
static int materialize(struct ramfs *fs, struct ramfs_node *n)
{
	char *p;

	if (!n->ext)
		return 0;
	p = n->size ? alloc_charged(fs, n->size) : NULL;
	if (n->size && !p)
		return -ENOSPC;
	if (p)
		memcpy(p, n->ext, n->size);
	n->data = p;
	n->cap = n->size;
	n->ext = NULL;
	return 0;
}

/*
 * Grows the buffer to hold want bytes (at least need), zero-filled past
 * the old capacity.  Returns 0, or -ENOSPC when not even need fits.
 */
static int grow(struct ramfs *fs, struct ramfs_node *n, uint64_t need,
		uint64_t want)
{
	uint64_t cap;
	char *p;

	if (need <= n->cap)
		return 0;
	for (cap = want; cap >= need; cap = cap == need ? 0 : need) {
		if (charge(fs, cap - n->cap))
			continue;
		p = uk_realloc(fs->a, n->data, (size_t)cap);
		if (!p) {
			uncharge(fs, cap - n->cap);
			continue;
		}
		memset(p + n->cap, 0, (size_t)(cap - n->cap));
		n->data = p;
		n->cap = cap;
		return 0;
	}
	return -ENOSPC;
}

/* How many more bytes of capacity the limit allows. */
static uint64_t room(struct ramfs *fs)
{
	if (!fs->limit)
		return UINT64_MAX;
	return fs->used < fs->limit ? fs->limit - fs->used : 0;
}

static ssize_t ramfs_read(struct uk_vfs_node *node, void *handle, void *buf,
			  size_t len, off_t off)
{
	struct ramfs_node *n = rn(node);
	const char *src = n->ext ? n->ext : n->data;
	uint64_t avail = n->ext ? n->size : n->cap;
	uint64_t o = (uint64_t)off, k, from_buf = 0;

	if (o >= n->size)
		return 0;
	k = n->size - o < len ? n->size - o : len;
	if (o < avail)
		from_buf = avail - o < k ? avail - o : k;
	if (from_buf)
		memcpy(buf, src + o, (size_t)from_buf);
	memset((char *)buf + from_buf, 0, (size_t)(k - from_buf));
	now(&n->atime);
	return (ssize_t)k;
}

static ssize_t ramfs_write(struct uk_vfs_node *node, void *handle,
			   const void *buf, size_t len, off_t off)
{
	struct ramfs *fs = fs_of(node);
	struct ramfs_node *n = rn(node);
	uint64_t o = (uint64_t)off, end, want;
	int rc;

	if (!len)
		return 0;
	if (o >= MAX_FILE || len > MAX_FILE - o)
		return -EFBIG;
	rc = materialize(fs, n);
	if (rc)
		return rc;
	end = o + len;
	if (end > n->cap) {
		/* Room to grow by half again, or what the limit leaves. */
		want = n->cap + n->cap / 2;
		want = want < end ? end : want;
		want = (want + 63) & ~63ULL;
		if (grow(fs, n, end, want)) {
			/* Short: as much as fits, if that reaches off. */
			uint64_t r = room(fs);

			if (!fs->limit || r == 0 || n->cap + r <= o ||
			    grow(fs, n, n->cap + r, n->cap + r))
				return -ENOSPC;
			end = n->cap;
			len = (size_t)(end - o);
		}
	}
	memcpy(n->data + o, buf, len);
	if (end > n->size)
		n->size = end;
	touch(n);
	return (ssize_t)len;
}

static int ramfs_truncate(struct uk_vfs_node *node, off_t len)
{
	struct ramfs *fs = fs_of(node);
	struct ramfs_node *n = rn(node);
	uint64_t l = (uint64_t)len;
	int rc;

	if (l > MAX_FILE)
		return -EFBIG;
	rc = materialize(fs, n);
	if (rc)
		return rc;
	if (l < n->size && l < n->cap) {
		/* Keep [size, cap) zero; give most of a big buffer back. */
		memset(n->data + l, 0, (size_t)((n->size < n->cap ? n->size
							    : n->cap) - l));
		if (l < n->cap / 4) {
			uint64_t cap = (l + 63) & ~63ULL;
			char *p = cap ? uk_realloc(fs->a, n->data, (size_t)cap)
				      : NULL;

			if (!cap)
				uk_free(fs->a, n->data);
			if (p || !cap) {
				uncharge(fs, n->cap - cap);
				n->data = p;
				n->cap = cap;
			}
		}
	}
	n->size = l;
	touch(n);
	return 0;
}

/* ---- the name space ------------------------------------------------------ */

static int ramfs_lookup(struct uk_vfs_node *dir, const char *name, size_t len,
			struct uk_vfs_node **out)
{
	struct ramfs_node *d = rn(dir);
	struct ramfs_dirent *e;

	if (len == 2 && name[0] == '.' && name[1] == '.') {
		*out = &(d->parent ? d->parent : d)->vn;
		uk_vfs_node_hold(*out);
		return 0;
	}
	e = entry_find(d, name, len);
	if (!e)
		return -ENOENT;
	*out = &e->node->vn;
	uk_vfs_node_hold(*out);
	return 0;
}

static int make(struct uk_vfs_node *dir, const char *name, size_t len,
		mode_t mode, struct ramfs_node **out)
{
	struct ramfs *fs = fs_of(dir);
	struct ramfs_node *d = rn(dir), *n;
	int rc;

	if (!d->linked)
		return -ENOENT;  /* a removed directory takes no entries */
	if (entry_find(d, name, len))
		return -EEXIST;
	n = node_new(fs, dir->mnt, mode & S_IFMT, mode);
	if (!n)
		return -ENOSPC;
	rc = entry_add(fs, d, name, len, n);
	if (rc) {
		node_free(fs, n);
		return rc;
	}
	*out = n;
	return 0;
}

static int ramfs_create(struct uk_vfs_node *dir, const char *name, size_t len,
			mode_t mode, struct uk_vfs_node **out)
{
	struct ramfs_node *n;
	int rc = make(dir, name, len, (mode & 07777) | S_IFREG, &n);

	if (rc)
		return rc;
	uk_vfs_node_hold(&n->vn);
	*out = &n->vn;
	return 0;
}

static int ramfs_mkdir(struct uk_vfs_node *dir, const char *name, size_t len,
		       mode_t mode)
{
	struct ramfs_node *n;

	return make(dir, name, len, (mode & 07777) | S_IFDIR, &n);
}

static int ramfs_unlink(struct uk_vfs_node *dir, const char *name, size_t len,
			struct uk_vfs_node *node)
{
	struct ramfs_dirent *e = entry_find(rn(dir), name, len);

	if (!e || &e->node->vn != node)
		return -ENOENT;
	entry_del(fs_of(dir), rn(dir), e);
	return 0;
}

static int ramfs_rmdir(struct uk_vfs_node *dir, const char *name, size_t len,
		       struct uk_vfs_node *node)
{
	struct ramfs_dirent *e = entry_find(rn(dir), name, len);

	if (!e || &e->node->vn != node)
		return -ENOENT;
	if (rn(node)->nentries)
		return -ENOTEMPTY;
	entry_del(fs_of(dir), rn(dir), e);
	return 0;
}

static int ramfs_rename(struct uk_vfs_node *odir, const char *oname,
			size_t olen, struct uk_vfs_node *node,
			struct uk_vfs_node *ndir, const char *nname,
			size_t nlen, struct uk_vfs_node *target)
{
	struct ramfs *fs = fs_of(odir);
	struct ramfs_node *od = rn(odir), *nd = rn(ndir), *n = rn(node);
	struct ramfs_dirent *oe = entry_find(od, oname, olen), *te = NULL, *ne;

	if (!oe || oe->node != n)
		return -ENOENT;
	if (!nd->linked)
		return -ENOENT;
	if (target) {
		te = entry_find(nd, nname, nlen);
		if (!te || &te->node->vn != target)
			return -ENOENT;
		if (target->type == S_IFDIR && rn(target)->nentries)
			return -ENOTEMPTY;
	}
	/*
	 * The new entry is allocated first, the only step that can fail;
	 * then the replaced entry goes, the new one is linked (a reference
	 * on node) and the old one unlinked (dropping one).
	 */
	ne = entry_new(fs, nname, nlen, n);
	if (!ne)
		return -ENOSPC;
	if (te)
		entry_del(fs, nd, te);
	entry_link(nd, ne);
	entry_del(fs, od, oe);
	n->linked = 1;
	if (n->vn.type == S_IFDIR)
		n->parent = nd;
	n->ctime = nd->mtime;
	return 0;
}

static int ramfs_readdir(struct uk_vfs_node *dir, void *handle,
			 uint64_t *cookie, struct uk_vfs_dirent *d)
{
	struct ramfs_dirent *e;

	for (e = rn(dir)->first; e && e->id < *cookie; e = e->next)
		;
	if (!e)
		return 0;
	memcpy(d->name, e->name, e->len);
	d->name[e->len] = 0;
	d->ino = e->node->vn.ino;
	d->type = e->node->vn.type == S_IFDIR ? DT_DIR : DT_REG;
	*cookie = e->id + 1;
	return 1;
}

static int ramfs_getattr(struct uk_vfs_node *node, struct stat *st)
{
	struct ramfs_node *n = rn(node);

	st->st_mode = n->mode;
	st->st_blksize = BLOCK;
	st->st_atim = n->atime;
	st->st_mtim = n->mtime;
	st->st_ctim = n->ctime;
	if (node->type == S_IFDIR && !n->linked) {
		/* Removed, still open: no links, no entries. */
		st->st_nlink = 0;
		st->st_size = 0;
	} else if (node->type == S_IFDIR) {
		st->st_nlink = 2 + n->nsubdirs;
		st->st_size = (off_t)(n->nentries + 2) * BOGO_DIRENT;
	} else {
		st->st_nlink = n->linked;
		st->st_size = (off_t)n->size;
		st->st_blocks = (blkcnt_t)((n->cap + 511) / 512);
	}
	return 0;
}

static int ramfs_statfs(struct uk_vfs_mount *m, struct statvfs *sv)
{
	struct ramfs *fs = uk_vfs_mount_priv(m);

	sv->f_bsize = BLOCK;
	sv->f_frsize = BLOCK;
	if (fs->limit) {
		sv->f_blocks = fs->limit / BLOCK;
		sv->f_bfree = room(fs) / BLOCK;
		sv->f_bavail = sv->f_bfree;
	}
	if (fs->max_nodes) {
		sv->f_files = fs->max_nodes;
		sv->f_ffree = fs->max_nodes - fs->nodes;
		sv->f_favail = sv->f_ffree;
	}
	sv->f_namemax = UK_VFS_NAME_MAX;
	return 0;
}

static void ramfs_release(struct uk_vfs_node *node)
{
	struct ramfs_node *n = rn(node);

	/* Only unlinked nodes lose their last reference. */
	UK_ASSERT(!n->linked);
	node_free(fs_of(node), n);
}

/* ---- mounting ------------------------------------------------------------ */

extern const struct uk_ramfs_file __start_uk_ramfs_files[]
	__attribute__((weak));
extern const struct uk_ramfs_file __stop_uk_ramfs_files[]
	__attribute__((weak));

/* Places one image file, creating its parent directories. */
static int place_file(struct ramfs *fs, struct uk_vfs_mount *m,
		      const struct uk_ramfs_file *f)
{
	struct ramfs_node *dir = fs->root, *n;
	struct ramfs_dirent *e;
	const char *p = f->path, *s;
	size_t len;
	int rc;

	if (!p || p[0] != '/')
		return -EINVAL;
	for (;;) {
		while (*p == '/')
			p++;
		s = p;
		while (*p && *p != '/')
			p++;
		len = (size_t)(p - s);
		if (!len || len > UK_VFS_NAME_MAX ||
		    (s[0] == '.' && (len == 1 || (len == 2 && s[1] == '.'))))
			return -EINVAL;
		while (*p == '/')
			p++;
		e = entry_find(dir, s, len);
		if (!*p)
			break;
		if (e && e->node->vn.type != S_IFDIR)
			return -ENOTDIR;
		if (!e) {
			rc = make(&dir->vn, s, len, S_IFDIR | 0755, &n);
			if (rc)
				return rc;
		} else {
			n = e->node;
		}
		dir = n;
	}
	if (e)
		return -EEXIST;
	rc = make(&dir->vn, s, len, S_IFREG | (f->mode & 07777), &n);
	if (rc)
		return rc;
	n->ext = f->data;
	n->size = f->len;
	return 0;
}

/*
 * Frees root and every node below it (no VFS users are left), without
 * recursion: a directory's entries are detached one by one, descending
 * into subdirectories and climbing back through the parent pointers.
 */
static void free_tree(struct ramfs *fs, struct ramfs_node *root)
{
	struct ramfs_node *n = root, *up;

	while (n) {
		struct ramfs_dirent *d = n->first;

		if (d) {
			struct ramfs_node *c = d->node;

			n->first = d->next;
			free_charged(fs, d, sizeof(*d) + d->len);
			if (c->vn.type == S_IFDIR) {
				UK_ASSERT(c->parent == n);
				n = c;
			} else {
				node_free(fs, c);
			}
			continue;
		}
		n->last = NULL;
		up = n == root ? NULL : n->parent;
		node_free(fs, n);
		n = up;
	}
}

static int parse_opts(struct ramfs *fs, const char *opts)
{
	const char *p = opts, *k, *v;
	size_t kl, vl;
	uint64_t total, free_pages;
	int have_size = 0;

	while (uk_vfs_opt_next(&p, &k, &kl, &v, &vl)) {
		if (kl == 4 && !memcmp(k, "size", 4)) {
			if (uk_vfs_parse_size(v, vl, &fs->limit))
				return -EINVAL;
			have_size = 1;
		} else if (kl == 9 && !memcmp(k, "nr_inodes", 9)) {
			if (uk_vfs_parse_size(v, vl, &fs->max_nodes))
				return -EINVAL;
		} else {
			return -EINVAL;
		}
	}
	if (!have_size && uk_alloc_is_region(fs->a) &&
	    !uk_alloc_region_pages(fs->a, &total, &free_pages))
		fs->limit = total * 4096 / 2;
	return 0;
}

static int ramfs_mount(struct uk_vfs_mount *m, const char *source,
		       const char *opts, const void *data,
		       struct uk_vfs_node **root)
{
	struct uk_alloc *a = uk_alloc_get_default();
	const struct uk_ramfs_file *f;
	struct ramfs *fs;
	int rc;

	fs = uk_calloc(a, 1, sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	fs->a = a;
	fs->next_ino = 1;
	rc = parse_opts(fs, opts);
	if (rc) {
		uk_free(a, fs);
		return rc;
	}
	fs->root = node_new(fs, m, S_IFDIR, 0755);
	if (!fs->root) {
		uk_free(a, fs);
		return -ENOMEM;
	}
	fs->root->linked = 1;
	uk_vfs_node_hold(&fs->root->vn);     /* ramfs's own */
	uk_vfs_mount_set_priv(m, fs);
	if (!strcmp(uk_vfs_mount_path(m), "/"))
		for (f = __start_uk_ramfs_files;
		     f && f < __stop_uk_ramfs_files; f++) {
			rc = place_file(fs, m, f);
			if (rc)
				uk_pr_warn("ramfs: image file %s not placed "
					   "(%d)\n", f->path ? f->path : "?",
					   rc);
		}
	uk_vfs_node_hold(&fs->root->vn);     /* the VFS's */
	*root = &fs->root->vn;
	return 0;
}

static void ramfs_unmount(struct uk_vfs_mount *m)
{
	struct ramfs *fs = uk_vfs_mount_priv(m);
	struct uk_alloc *a = fs->a;

	UK_ASSERT(fs->root->vn.refs == 1);
	free_tree(fs, fs->root);
	UK_ASSERT(fs->used == 0 && fs->nodes == 0);
	uk_free(a, fs);
}

static const struct uk_vfs_fs_ops ramfs_ops = {
	.mount = ramfs_mount,
	.unmount = ramfs_unmount,
	.lookup = ramfs_lookup,
	.create = ramfs_create,
	.mkdir = ramfs_mkdir,
	.unlink = ramfs_unlink,
	.rmdir = ramfs_rmdir,
	.rename = ramfs_rename,
	.read = ramfs_read,
	.write = ramfs_write,
	.truncate = ramfs_truncate,
	.readdir = ramfs_readdir,
	.getattr = ramfs_getattr,
	.statfs = ramfs_statfs,
	.release = ramfs_release,
};

UK_VFS_FS_TYPE(ramfs, &ramfs_ops);
