/*
 * node_fs: the VFS's mounts and descriptors as Linux shows them
 * (/proc/self/mountinfo, statfs, /proc/sys/fs/file-nr) and node_exporter's
 * node_filesystem_* (labels mountpoint, device, fstype: one folder per
 * mount, made by uk_node_sync()), node_filefd_* and the process
 * collector's process_open_fds and process_max_fds.
 *
 * Figures come from statvfs of the mountpoint at every read.  The root
 * is mountpoint "/" with its device and type as the VFS names them
 * ("ramfs"); never "rootfs", which Linux's dashboards exclude.  Every
 * family carries the same three labels, so avail/size and
 * files_free/files divide series by series.  A mount whose statvfs
 * fails reads node_filesystem_device_error 1 and zeros.  The pseudo
 * file systems "proc" and "sysfs" (lib/procfs) get no folder, as
 * node_exporter leaves them out by default.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <uk/node.h>
#include <uk/store_publish.h>
#include <uk/vfs.h>

#include "node_impl.h"

static void copy(char *dst, size_t n, const char *src)
{
	size_t l = strlen(src);

	if (l >= n)
		l = n - 1;
	memcpy(dst, src, l);
	dst[l] = '\0';
}

static void fill_statvfs(struct uk_node_fs *out)
{
	struct statvfs sv;
	uint64_t bs;

	if (uk_vfs_statvfs(out->mountpoint, &sv)) {
		out->error = 1;
		return;
	}
	bs = sv.f_frsize ? sv.f_frsize : sv.f_bsize;
	out->size = (uint64_t)sv.f_blocks * bs;
	out->free = (uint64_t)sv.f_bfree * bs;
	out->avail = (uint64_t)sv.f_bavail * bs;
	out->files = sv.f_files;
	out->files_free = sv.f_ffree;
}

/* The mount's identity only, without statvfs. */
static int fs_entry(unsigned int i, struct uk_node_fs *out)
{
	struct uk_vfs_mntent e;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = uk_vfs_mount_entry(i, &e);
	if (rc == -ENOENT)
		return rc;
	copy(out->mountpoint, sizeof(out->mountpoint), e.dir);
	copy(out->fstype, sizeof(out->fstype), e.fstype);
	copy(out->device, sizeof(out->device),
	     strcmp(e.source, "rootfs") ? e.source : e.fstype);
	out->readonly = !!(e.flags & UK_VFS_MNT_RDONLY);
	return 0;
}

int uk_node_fs_read(unsigned int i, struct uk_node_fs *out)
{
	int rc = fs_entry(i, out);

	if (!rc)
		fill_statvfs(out);
	return rc;
}

int uk_node_fds_read(struct uk_node_fds *out)
{
	out->allocated = uk_vfs_fd_count();
	out->maximum = uk_vfs_fd_limit(0);
	return 0;
}

/* ---- folders ---------------------------------------------------------- */

#define SLOTS 16

struct slot {
	struct uk_store_folder *f;
	char mountpoint[256];
	char device[64];
	char fstype[32];
};
static struct slot slots[SLOTS];

enum { F_SIZE, F_FREE, F_AVAIL, F_FILES, F_FFREE, F_RO, F_ERR };

static int get_fs(struct slot *s, int what, uint64_t *out)
{
	struct uk_node_fs fs;

	memset(&fs, 0, sizeof(fs));
	memcpy(fs.mountpoint, s->mountpoint, sizeof(fs.mountpoint));
	fill_statvfs(&fs);
	switch (what) {
	case F_SIZE: *out = fs.size; break;
	case F_FREE: *out = fs.free; break;
	case F_AVAIL: *out = fs.avail; break;
	case F_FILES: *out = fs.files; break;
	case F_FFREE: *out = fs.files_free; break;
	default: *out = fs.error; break;
	}
	return 0;
}

#define FS_GETTER(name, what) \
	static int get_##name(void *cookie, uint64_t *out) \
	{ \
		return get_fs(cookie, what, out); \
	}
FS_GETTER(size, F_SIZE)
FS_GETTER(free, F_FREE)
FS_GETTER(avail, F_AVAIL)
FS_GETTER(files, F_FILES)
FS_GETTER(ffree, F_FFREE)
FS_GETTER(err, F_ERR)

static int get_ro(void *cookie, uint64_t *out)
{
	const struct slot *s = cookie;
	struct uk_node_fs fs;
	unsigned int i;

	*out = 0;
	for (i = 0; !fs_entry(i, &fs); i++)
		if (!strcmp(fs.mountpoint, s->mountpoint))
			*out = fs.readonly;
	return 0;
}

static const struct uk_store_entry fs_tmpl[] = {
	UK_STORE_ENTRY(filesystem_size_bytes, u64, gauge, bytes,
		       "Filesystem size in bytes.", get_size, NULL, NULL),
	UK_STORE_ENTRY(filesystem_free_bytes, u64, gauge, bytes,
		       "Filesystem free space in bytes.", get_free, NULL,
		       NULL),
	UK_STORE_ENTRY(filesystem_avail_bytes, u64, gauge, bytes,
		       "Filesystem space available to non-root users in "
		       "bytes.", get_avail, NULL, NULL),
	UK_STORE_ENTRY(filesystem_files, u64, gauge, none,
		       "Filesystem total file nodes.", get_files, NULL, NULL),
	UK_STORE_ENTRY(filesystem_files_free, u64, gauge, none,
		       "Filesystem total free file nodes.", get_ffree, NULL,
		       NULL),
	UK_STORE_ENTRY(filesystem_readonly, u64, gauge, none,
		       "Filesystem read-only status.", get_ro, NULL, NULL),
	UK_STORE_ENTRY(filesystem_device_error, u64, gauge, none,
		       "Whether an error occurred while getting statistics "
		       "for the given device.", get_err, NULL, NULL),
};

/* A path component naming mountpoint mp: "root" for "/", else mp
 * without its leading '/' and with '_' for the others. */
static void folder_name(char *out, size_t n, const char *mp)
{
	size_t i;

	if (!strcmp(mp, "/")) {
		copy(out, n, "root");
		return;
	}
	copy(out, n, mp[0] == '/' ? mp + 1 : mp);
	for (i = 0; out[i]; i++)
		if (out[i] == '/')
			out[i] = '_';
}

static int mounted(const struct slot *s)
{
	struct uk_node_fs fs;
	unsigned int i;

	for (i = 0; !fs_entry(i, &fs); i++)
		if (!strcmp(fs.mountpoint, s->mountpoint) &&
		    !strcmp(fs.device, s->device) &&
		    !strcmp(fs.fstype, s->fstype))
			return 1;
	return 0;
}

static struct slot *find(const struct uk_node_fs *fs)
{
	unsigned int i;

	for (i = 0; i < SLOTS; i++)
		if (slots[i].f && !strcmp(slots[i].mountpoint, fs->mountpoint))
			return &slots[i];
	return NULL;
}

int _uk_node_fs_sync(void)
{
	static const char *const names[] = { "mountpoint", "device", "fstype" };
	struct uk_node_fs fs;
	unsigned int i, j;
	int rc = 0, r;
	char name[64];

	for (j = 0; j < SLOTS; j++)
		if (slots[j].f && !mounted(&slots[j])) {
			uk_store_folder_remove(slots[j].f);
			slots[j].f = NULL;
		}
	for (i = 0; !fs_entry(i, &fs); i++) {
		struct slot *s;
		const char *values[3];

		/* As node_exporter's defaults: no series for the kernel's
		 * pseudo file systems. */
		if (find(&fs) || !strcmp(fs.fstype, "proc") ||
		    !strcmp(fs.fstype, "sysfs"))
			continue;
		for (j = 0; j < SLOTS && slots[j].f; j++)
			;
		if (j == SLOTS)
			return rc ? rc : -ENOSPC;
		s = &slots[j];
		memcpy(s->mountpoint, fs.mountpoint, sizeof(s->mountpoint));
		memcpy(s->device, fs.device, sizeof(s->device));
		memcpy(s->fstype, fs.fstype, sizeof(s->fstype));
		values[0] = s->mountpoint;
		values[1] = s->device;
		values[2] = s->fstype;
		folder_name(name, sizeof(name), s->mountpoint);
		r = uk_store_folder_add_labels(&uk_store_lib_node, names,
					       values, 3, name, fs_tmpl,
					       sizeof(fs_tmpl) /
					       sizeof(fs_tmpl[0]), s, NULL,
					       &s->f);
		if (r && !rc)
			rc = r;
	}
	return rc;
}

/* ---- descriptors ------------------------------------------------------ */

static int get_fds(void *cookie, uint64_t *out)
{
	struct uk_node_fds f;

	uk_node_fds_read(&f);
	*out = cookie ? f.maximum : f.allocated;
	return 0;
}

UK_STORE_STATIC_ENTRY(node, filefd_allocated, u64, gauge, none,
		      "File descriptor statistics: allocated.", get_fds, NULL,
		      0);
UK_STORE_STATIC_ENTRY(node, filefd_maximum, u64, gauge, none,
		      "File descriptor statistics: maximum.", get_fds, NULL,
		      1);
UK_STORE_STATIC_ENTRY(process, open_fds, u64, gauge, none,
		      "Number of open file descriptors.", get_fds, NULL, 0);
UK_STORE_STATIC_ENTRY(process, max_fds, u64, gauge, none,
		      "Maximum number of open file descriptors.", get_fds,
		      NULL, 1);
