/*
 * procfs_vfs: procfs' tree (render.c) as two read-only VFS file system
 * types, "proc" (the tree under /proc) and "sysfs" (under /sys), so the
 * application reads open("/proc/meminfo") as on Linux.
 *
 * A node is its path in the tree, allocated at lookup and freed on
 * release.  A file's text is rendered once, at open, into a buffer the
 * open owns, so that a reader going through it in several reads sees
 * one consistent snapshot (as Linux's seq_file gives for small files);
 * every open renders anew.  Files report size 0, as Linux's do.
 * Inode numbers are a hash of the path: stable, and distinct for the
 * tree's few dozen paths.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <uk/alloc.h>
#include <uk/procfs.h>
#include <uk/vfs.h>
#include <uk/vfs_fs.h>

struct pnode {
	struct uk_vfs_node vn;
	char path[UK_PROCFS_PATH_MAX];
};

struct snap {
	size_t len;
	char text[];
};

static uint64_t ino_of(const char *path)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	while (*path)
		h = (h ^ (unsigned char)*path++) * 1099511628211ULL;
	return h ? h : 1;
}

static struct pnode *pn(struct uk_vfs_node *n)
{
	return (struct pnode *)n;
}

static int node_new(struct uk_vfs_mount *m, const char *path,
		    struct uk_vfs_node **out)
{
	enum uk_procfs_kind k = uk_procfs_kind(path);
	struct pnode *p;

	if (k == UK_PROCFS_NONE)
		return -ENOENT;
	p = uk_calloc(uk_alloc_get_default(), 1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	memcpy(p->path, path, strlen(path) + 1);
	uk_vfs_node_init(&p->vn, m, ino_of(path),
			 k == UK_PROCFS_DIR ? S_IFDIR : S_IFREG);
	uk_vfs_node_hold(&p->vn);
	*out = &p->vn;
	return 0;
}

static int mount_at(struct uk_vfs_mount *m, const char *root,
		    struct uk_vfs_node **out)
{
	uk_vfs_mount_set_rdonly(m);
	uk_vfs_mount_set_priv(m, (void *)root);
	return node_new(m, root, out);
}

static int proc_mount(struct uk_vfs_mount *m, const char *source,
		      const char *opts, const void *data,
		      struct uk_vfs_node **root)
{
	return mount_at(m, "/proc", root);
}

static int sysfs_mount(struct uk_vfs_mount *m, const char *source,
		       const char *opts, const void *data,
		       struct uk_vfs_node **root)
{
	return mount_at(m, "/sys", root);
}

static void pf_unmount(struct uk_vfs_mount *m)
{
}

static int pf_lookup(struct uk_vfs_node *dir, const char *name, size_t len,
		     struct uk_vfs_node **out)
{
	const char *root = uk_vfs_mount_priv(dir->mnt);
	const char *d = pn(dir)->path;
	char path[UK_PROCFS_PATH_MAX];
	size_t dl = strlen(d);

	if (len == 2 && name[0] == '.' && name[1] == '.') {
		const char *slash = strrchr(d, '/');

		if (!strcmp(d, root))
			slash = d + dl;
		memcpy(path, d, (size_t)(slash - d));
		path[slash - d] = '\0';
	} else {
		if (dl + 1 + len >= sizeof(path))
			return -ENOENT;
		memcpy(path, d, dl);
		path[dl] = '/';
		memcpy(path + dl + 1, name, len);
		path[dl + 1 + len] = '\0';
	}
	return node_new(dir->mnt, path, out);
}

static int pf_open(struct uk_vfs_node *node, int flags, void **handle)
{
	struct uk_alloc *a = uk_alloc_get_default();
	size_t size = 4096, len;
	struct snap *s;
	int rc;

	if (node->type == S_IFDIR) {
		*handle = NULL;
		return 0;
	}
	for (;;) {
		s = uk_malloc(a, sizeof(*s) + size);
		if (!s)
			return -ENOMEM;
		rc = uk_procfs_render(pn(node)->path, s->text, size, &len);
		if (rc != -ENOSPC)
			break;
		uk_free(a, s);
		size = len > size ? len + 1024 : size * 2;
	}
	if (rc) {
		uk_free(a, s);
		return rc;
	}
	s->len = len;
	*handle = s;
	return 0;
}

static void pf_close(struct uk_vfs_node *node, void *handle)
{
	uk_free(uk_alloc_get_default(), handle);
}

static ssize_t pf_read(struct uk_vfs_node *node, void *handle, void *buf,
		       size_t len, off_t off)
{
	const struct snap *s = handle;

	if (!s)
		return -EISDIR;
	if ((uint64_t)off >= s->len)
		return 0;
	if (len > s->len - (size_t)off)
		len = s->len - (size_t)off;
	memcpy(buf, s->text + off, len);
	return (ssize_t)len;
}

static int pf_readdir(struct uk_vfs_node *dir, void *handle,
		      uint64_t *cookie, struct uk_vfs_dirent *d)
{
	char path[UK_PROCFS_PATH_MAX];
	const char *dp = pn(dir)->path;
	size_t dl = strlen(dp), nl;
	int rc;

	rc = uk_procfs_entry(dp, (unsigned int)*cookie, d->name,
			     sizeof(d->name));
	if (rc <= 0)
		return rc;
	(*cookie)++;
	nl = strlen(d->name);
	if (dl + 1 + nl >= sizeof(path))
		return -ENAMETOOLONG;
	memcpy(path, dp, dl);
	path[dl] = '/';
	memcpy(path + dl + 1, d->name, nl + 1);
	d->ino = ino_of(path);
	d->type = uk_procfs_kind(path) == UK_PROCFS_DIR ? DT_DIR : DT_REG;
	return 1;
}

static int pf_getattr(struct uk_vfs_node *node, struct stat *st)
{
	st->st_mode = node->type | (node->type == S_IFDIR ? 0555 : 0444);
	st->st_nlink = node->type == S_IFDIR ? 2 : 1;
	st->st_size = 0;
	st->st_blksize = 1024;
	return 0;
}

static int pf_statfs(struct uk_vfs_mount *m, struct statvfs *sv)
{
	sv->f_bsize = 4096;
	sv->f_frsize = 4096;
	sv->f_flag = ST_RDONLY;
	sv->f_namemax = UK_VFS_NAME_MAX;
	return 0;
}

static void pf_release(struct uk_vfs_node *node)
{
	uk_free(uk_alloc_get_default(), pn(node));
}

#define OPS(mountfn) { \
	.mount = mountfn, .unmount = pf_unmount, .lookup = pf_lookup, \
	.open = pf_open, .close = pf_close, .read = pf_read, \
	.readdir = pf_readdir, .getattr = pf_getattr, \
	.statfs = pf_statfs, .release = pf_release }

static const struct uk_vfs_fs_ops proc_ops = OPS(proc_mount);
static const struct uk_vfs_fs_ops sysfs_ops = OPS(sysfs_mount);

UK_VFS_FS_TYPE(proc, &proc_ops);
UK_VFS_FS_TYPE(sysfs, &sysfs_ops);

int uk_procfs_mount(void)
{
	int rc;

	rc = uk_vfs_mkdir("/proc", 0555);
	if (rc && rc != -EEXIST)
		return rc;
	rc = uk_vfs_mkdir("/sys", 0555);
	if (rc && rc != -EEXIST)
		return rc;
	rc = uk_vfs_mount("proc", "/proc", "proc", UK_VFS_MNT_RDONLY, NULL,
			  NULL);
	if (rc)
		return rc;
	rc = uk_vfs_mount("sysfs", "/sys", "sysfs", UK_VFS_MNT_RDONLY, NULL,
			  NULL);
	if (rc)
		uk_vfs_umount("/proc");
	return rc;
}
