/*
 * Mounts described in text, as the boot line gives them, and the list of
 * what is mounted.
 *
 * A mount description is "SOURCE:TARGET:FSTYPE[:OPTIONS]", the fields of
 * a line of Linux's fstab in mount(8)'s order: the device (a block
 * device "vda", a 9P mount tag "data", "initrd", or any name for a
 * ramfs), the mountpoint, the file system type ("tarfs", "9p", "ramfs")
 * and the file system's comma-separated options, where the generic "ro"
 * and "rw" set the mount's flag and are not passed on.  The boot option
 * vfs.mount=... may be repeated; uk_vfs_mount_boot() mounts each in
 * order, creating missing mountpoint directories (as systemd creates the
 * mountpoints of its mount units), and says on the console what it
 * mounted or why not.
 *
 * The list of mounts (uk_vfs_mount_entry) is what /proc/mounts shows:
 * each mount's directory, device, type and flags, oldest first.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <uk/plat/cmdline.h>
#include <uk/print.h>
#include <uk/vfs.h>

#include "vfs_impl.h"

#define SPEC_MAX 1024

/* Copies n bytes of s into d (size dsize) with a NUL: 0 or -EINVAL. */
static int field(char *d, size_t dsize, const char *s, size_t n)
{
	if (!n || n >= dsize)
		return -EINVAL;
	memcpy(d, s, n);
	d[n] = 0;
	return 0;
}

/*
 * Splits spec into its fields (see uk/vfs.h), moving "ro"/"rw" from the
 * options into *flags.  Returns 0 or -EINVAL.
 */
int uk_vfs_mount_spec_parse(const char *spec, struct uk_vfs_mount_spec *out)
{
	const char *c1, *c2, *c3, *p, *k, *v;
	size_t kl, vl, o = 0;

	memset(out, 0, sizeof(*out));
	if (!spec)
		return -EINVAL;
	c1 = strchr(spec, ':');
	c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c2)
		return -EINVAL;
	c3 = strchr(c2 + 1, ':');
	if (field(out->source, sizeof(out->source), spec,
		  (size_t)(c1 - spec)) ||
	    field(out->target, sizeof(out->target), c1 + 1,
		  (size_t)(c2 - c1 - 1)) ||
	    field(out->fstype, sizeof(out->fstype), c2 + 1,
		  c3 ? (size_t)(c3 - c2 - 1) : strlen(c2 + 1)) ||
	    out->target[0] != '/')
		return -EINVAL;
	if (!c3)
		return 0;
	p = c3 + 1;
	if (strlen(p) >= sizeof(out->opts))
		return -EINVAL;
	while (uk_vfs_opt_next(&p, &k, &kl, &v, &vl)) {
		if (kl == 2 && !vl && !memcmp(k, "ro", 2)) {
			out->flags |= UK_VFS_MNT_RDONLY;
			continue;
		}
		if (kl == 2 && !vl && !memcmp(k, "rw", 2)) {
			out->flags &= ~(unsigned long)UK_VFS_MNT_RDONLY;
			continue;
		}
		if (o)
			out->opts[o++] = ',';
		/* The original text of the option, key=value as given. */
		memcpy(out->opts + o, k, (size_t)(v + vl - k));
		o += (size_t)(v + vl - k);
	}
	out->opts[o] = 0;
	return 0;
}

/* Creates path's directories that do not exist yet: 0 or an error. */
static int mkdir_p(const char *path)
{
	char buf[UK_VFS_PATH_MAX];
	size_t i, n = strlen(path);
	int rc;

	if (n >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != 0)
			continue;
		if (buf[i - 1] == '/')
			continue;
		buf[i] = 0;
		rc = uk_vfs_mkdir(buf, 0755);
		if (rc && rc != -EEXIST)
			return rc;
		buf[i] = path[i];
	}
	return 0;
}

/*
 * Mounts one description, creating its mountpoint's missing
 * directories.  Returns 0, -EINVAL (a malformed description), or
 * uk_vfs_mount()'s or uk_vfs_mkdir()'s error.
 */
int uk_vfs_mount_spec(const char *spec)
{
	struct uk_vfs_mount_spec s;
	int rc;

	rc = uk_vfs_mount_spec_parse(spec, &s);
	if (rc)
		return rc;
	if (strcmp(s.target, "/")) {
		rc = mkdir_p(s.target);
		if (rc)
			return rc;
	}
	return uk_vfs_mount(s.source, s.target, s.fstype, s.flags,
			    s.opts[0] ? s.opts : NULL, NULL);
}

/*
 * Mounts every vfs.mount= of the boot line in order, each reported on
 * the console.  Returns the number that failed.
 */
int uk_vfs_mount_boot(void)
{
	const char *spec;
	unsigned int i;
	int rc, failed = 0;

	for (i = 0; (spec = uk_plat_option_nth("vfs.mount", i)); i++) {
		rc = uk_vfs_mount_spec(spec);
		if (rc) {
			uk_pr_err("vfs: vfs.mount=%s failed (%d)%s\n", spec, rc,
				  rc == -EINVAL ? ": want SOURCE:TARGET:"
				  "FSTYPE[:OPTIONS], or bad options" : "");
			failed++;
		} else {
			uk_pr_info("vfs: mounted %s\n", spec);
		}
	}
	return failed;
}

/* Copies s into d (size n), truncating: 0, or -ENAMETOOLONG if cut. */
static int copy_out(char *d, size_t n, const char *s)
{
	size_t l = strlen(s);

	if (l >= n) {
		memcpy(d, s, n - 1);
		d[n - 1] = 0;
		return -ENAMETOOLONG;
	}
	memcpy(d, s, l + 1);
	return 0;
}

/*
 * The i-th mount, oldest first.  Returns 0 and *e, -ENAMETOOLONG with
 * *e filled but a field cut short, or -ENOENT past the last mount.
 */
int uk_vfs_mount_entry(unsigned int i, struct uk_vfs_mntent *e)
{
	struct uk_vfs_mount *m;
	unsigned int n = 0;
	int rc = 0;

	memset(e, 0, sizeof(*e));
	_vfs_table_lock();
	for (m = _vfs_mounts(); m; m = m->next)
		n++;
	if (i >= n) {
		_vfs_table_unlock();
		return -ENOENT;
	}
	/* The table lists the newest first. */
	for (m = _vfs_mounts(); n-- > i + 1; m = m->next)
		;
	rc |= copy_out(e->dir, sizeof(e->dir), m->path);
	rc |= copy_out(e->source, sizeof(e->source), m->source);
	rc |= copy_out(e->fstype, sizeof(e->fstype), m->type->name);
	e->flags = __atomic_load_n(&m->flags, __ATOMIC_RELAXED);
	_vfs_table_unlock();
	return rc ? -ENAMETOOLONG : 0;
}
