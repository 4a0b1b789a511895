/*
 * tarfs's file system ops over the index that scan.c builds (see
 * uk/tarfs.h).  Everything is read-only: the mount is forced read-only,
 * so the VFS answers -EROFS for any change before reaching here.  Nodes
 * live in the index for the whole mount, so release has nothing to do.
 * Reads are bounded by the member's size, which the scan checked against
 * the backing's, and go straight to the backing; one that waits for a
 * device does so without the mount's lock, which guards nothing here
 * once the index is built.  blk.c is the block device backing.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <uk/alloc.h>
#include <uk/blkdev.h>
#include <uk/plat/initrd.h>
#include <uk/tarfs.h>
#include <uk/vfs_fs.h>

#include "tarfs_impl.h"

#define DEFAULT_MAXFILES 65536

static struct tarfs *fs_of(struct uk_vfs_node *n)
{
	return uk_vfs_mount_priv(n->mnt);
}

static uint32_t idx(struct uk_vfs_node *n)
{
	return (uint32_t)(n->ino - 1);
}

/* Sets b to len bytes at base. */
void uk_tarfs_backing_mem(struct uk_tarfs_backing *b, const void *base,
			  size_t len)
{
	memset(b, 0, sizeof(*b));
	b->base = base;
	b->size = len;
}

/* Sets b to the initrd: 0 or -ENOENT. */
int uk_tarfs_backing_initrd(struct uk_tarfs_backing *b)
{
	const void *p;
	size_t len;

	if (uk_plat_initrd(&p, &len))
		return -ENOENT;
	uk_tarfs_backing_mem(b, p, len);
	return 0;
}

/* Whether b starts with a ustar header: 1, 0, or -EIO. */
int uk_tarfs_probe(const struct uk_tarfs_backing *b)
{
	unsigned char h[512];

	if (b->size < sizeof(h))
		return 0;
	if (b->base)
		memcpy(h, b->base, sizeof(h));
	else if (!b->read || b->read(b->cookie, h, sizeof(h), 0))
		return -EIO;
	return !memcmp(h + 257, "ustar", 5);
}

/*
 * The backing a source names when no backing is given: "initrd", or a
 * registered block device.  Returns 0, or -ENOENT.
 */
static int backing_by_name(const char *source, struct uk_tarfs_backing *b)
{
	struct uk_blkdev *dev;

	if (!strcmp(source, "initrd"))
		return uk_tarfs_backing_initrd(b);
	dev = uk_blkdev_find(source);
	if (!dev)
		return -ENOENT;
	uk_tarfs_backing_blk(b, dev);
	return 0;
}

static int tarfs_lookup(struct uk_vfs_node *dir, const char *name, size_t len,
			struct uk_vfs_node **out)
{
	struct tarfs *fs = fs_of(dir);
	uint32_t c;

	if (len == 2 && name[0] == '.' && name[1] == '.')
		c = fs->nodes[idx(dir)].parent;
	else
		c = _tarfs_child(fs, idx(dir), name, len);
	if (c == TAR_NONE)
		return -ENOENT;
	*out = &fs->nodes[c].vn;
	uk_vfs_node_hold(*out);
	return 0;
}

static ssize_t tarfs_read(struct uk_vfs_node *node, void *handle, void *buf,
			  size_t len, off_t off)
{
	struct tarfs *fs = fs_of(node);
	struct tar_node *t = &fs->nodes[idx(node)];
	uint64_t o = (uint64_t)off;
	int rc;

	if (o >= t->size)
		return 0;
	if (len > t->size - o)
		len = (size_t)(t->size - o);
	if (fs->b.base)
		return _tarfs_backing_read(fs, buf, len, t->off + o) ? -EIO :
			(ssize_t)len;
	/* A device waits: the index is immutable, so others may go on. */
	uk_vfs_mount_unlock(node->mnt);
	rc = _tarfs_backing_read(fs, buf, len, t->off + o);
	uk_vfs_mount_lock(node->mnt);
	return rc ? -EIO : (ssize_t)len;
}

static int tarfs_readdir(struct uk_vfs_node *dir, void *handle,
			 uint64_t *cookie, struct uk_vfs_dirent *d)
{
	struct tarfs *fs = fs_of(dir);
	struct tar_node *t;
	uint32_t c;

	if (*cookie == UINT64_MAX)
		return 0;
	c = *cookie ? (uint32_t)(*cookie - 1) : fs->nodes[idx(dir)].first;
	if (c == TAR_NONE)
		return 0;
	t = &fs->nodes[c];
	memcpy(d->name, fs->pool + t->name, t->namelen);
	d->name[t->namelen] = 0;
	d->ino = t->vn.ino;
	d->type = t->vn.type == S_IFDIR ? DT_DIR : DT_REG;
	*cookie = t->next == TAR_NONE ? UINT64_MAX : (uint64_t)t->next + 1;
	return 1;
}

static int tarfs_getattr(struct uk_vfs_node *node, struct stat *st)
{
	struct tar_node *t = &fs_of(node)->nodes[idx(node)];

	st->st_mode = node->type | t->mode;
	st->st_nlink = node->type == S_IFDIR ? 2 + t->nsubdirs : 1;
	st->st_size = node->type == S_IFDIR ? 512 : (off_t)t->size;
	st->st_blksize = 512;
	st->st_blocks = (blkcnt_t)((t->size + 511) / 512);
	st->st_mtim.tv_sec = (time_t)t->mtime;
	st->st_atim = st->st_ctim = st->st_mtim;
	return 0;
}

static int tarfs_statfs(struct uk_vfs_mount *m, struct statvfs *sv)
{
	struct tarfs *fs = uk_vfs_mount_priv(m);

	sv->f_bsize = 512;
	sv->f_frsize = 512;
	sv->f_blocks = (fs->b.size + 511) / 512;
	sv->f_files = fs->n;
	sv->f_flag = ST_RDONLY;
	sv->f_namemax = UK_VFS_NAME_MAX;
	return 0;
}

static void tarfs_release(struct uk_vfs_node *node)
{
	/* Nodes live in the index until unmount. */
}

static int parse_opts(struct tarfs *fs, const char *opts)
{
	const char *p = opts, *k, *v;
	size_t kl, vl;
	uint64_t max;

	fs->max = DEFAULT_MAXFILES;
	while (uk_vfs_opt_next(&p, &k, &kl, &v, &vl)) {
		if (kl == 8 && !memcmp(k, "maxfiles", 8) &&
		    !uk_vfs_parse_size(v, vl, &max) && max >= 1 &&
		    max < TAR_NONE) {
			fs->max = (uint32_t)max;
			continue;
		}
		return -EINVAL;
	}
	return 0;
}

static int tarfs_mount(struct uk_vfs_mount *m, const char *source,
		       const char *opts, const void *data,
		       struct uk_vfs_node **root)
{
	struct uk_alloc *a = uk_alloc_get_default();
	const struct uk_tarfs_backing *b = data;
	struct tarfs *fs;
	uint32_t i;
	int rc;

	fs = uk_calloc(a, 1, sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	fs->a = a;
	rc = parse_opts(fs, opts);
	if (!rc) {
		if (b)
			fs->b = *b;
		else
			rc = backing_by_name(source, &fs->b);
	}
	if (!rc && !fs->b.base && !fs->b.read)
		rc = -EINVAL;
	uk_vfs_mount_set_priv(m, fs);
	if (!rc)
		rc = _tarfs_index_build(fs, m);
	if (rc) {
		_tarfs_index_free(fs);
		uk_free(a, fs);
		uk_vfs_mount_set_priv(m, NULL);
		return rc;
	}
	/* The index no longer moves: the nodes become the VFS's. */
	for (i = 0; i < fs->n; i++)
		uk_vfs_node_init(&fs->nodes[i].vn, m, (uint64_t)i + 1,
				 fs->nodes[i].vn.type);
	fs->nodes[0].parent = 0;
	uk_vfs_mount_set_rdonly(m);
	uk_vfs_node_hold(&fs->nodes[0].vn);
	*root = &fs->nodes[0].vn;
	return 0;
}

static void tarfs_unmount(struct uk_vfs_mount *m)
{
	struct tarfs *fs = uk_vfs_mount_priv(m);

	_tarfs_index_free(fs);
	uk_free(fs->a, fs);
}

static const struct uk_vfs_fs_ops tarfs_ops = {
	.mount = tarfs_mount,
	.unmount = tarfs_unmount,
	.lookup = tarfs_lookup,
	.read = tarfs_read,
	.readdir = tarfs_readdir,
	.getattr = tarfs_getattr,
	.statfs = tarfs_statfs,
	.release = tarfs_release,
};

UK_VFS_FS_TYPE(tarfs, &tarfs_ops);
