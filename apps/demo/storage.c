/*
 * The demo's file systems.  The root "/" is the VFS's ramfs with the
 * files built into the image (site.c); on it hang:
 *
 *   - every vfs.mount=SOURCE:TARGET:FSTYPE[:OPTIONS] of the boot line,
 *     in order (lib/vfs);
 *   - then the defaults, each unless a vfs.mount names its mountpoint:
 *     the 9P share tagged "data" read-write on /data (QEMU's
 *     -fsdev ... -device virtio-9p-pci (or -device),...,mount_tag=data), the first
 *     virtio-blk disk that holds a tar archive read-only on /site, and
 *     the initrd, when it is a tar archive, on /initrd.
 *
 * Devices are probed first, in probe_devices(), the one place that
 * knows how drivers find their devices (virtio over PCI today).  Each
 * mount, or why it failed, is on the console, and the list of mounts at
 * the end; the store shows each as vfs_device_info / vfs_fstype_info.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <uk/9p.h>
#include <uk/blkdev.h>
#include <uk/plat/cmdline.h>
#include <uk/print.h>
#include <uk/tarfs.h>
#include <uk/vfs.h>
#include <uk/virtio.h>

#include "demo.h"

/* Finds and attaches the block and 9P devices. */
static void probe_devices(void)
{
	uk_virtio_probe(UK_VIRTIO_ID_BLOCK, uk_virtio_blk_attach);
	uk_virtio_probe(UK_VIRTIO_ID_9P, uk_virtio_9p_attach);
}

/* Whether a vfs.mount= of the boot line names mountpoint target. */
static int named(const char *target)
{
	struct uk_vfs_mount_spec s;
	const char *v;
	unsigned int i;

	for (i = 0; (v = uk_plat_option_nth("vfs.mount", i)); i++)
		if (!uk_vfs_mount_spec_parse(v, &s) &&
		    !strcmp(s.target, target))
			return 1;
	return 0;
}

/* Mounts spec (a default), reporting it.  Returns 0 or the error. */
static int mount_default(const char *spec)
{
	int rc = uk_vfs_mount_spec(spec);

	if (rc)
		uk_pr_err("demo: mounting %s failed (%d)\n", spec, rc);
	return rc;
}

/* The first disk whose first header is a tar header, or NULL. */
static struct uk_blkdev *tar_disk(void)
{
	struct uk_tarfs_backing b;
	struct uk_blkdev *dev;
	unsigned int i;

	for (i = 0; (dev = uk_blkdev_get(i)); i++) {
		uk_tarfs_backing_blk(&b, dev);
		if (uk_tarfs_probe(&b) == 1)
			return dev;
	}
	return NULL;
}

/* Mounts the boot line's and the default file systems (see demo.h). */
int demo_storage_start(void)
{
	struct uk_tarfs_backing b;
	struct uk_vfs_mntent e;
	struct uk_blkdev *dev;
	char spec[64];
	struct stat st;
	unsigned int i;
	int rc = 0, r;

	probe_devices();
	uk_vfs_stat("/", &st);  /* the root ramfs, with the image's files */
	if (uk_vfs_mount_boot())
		rc = -EINVAL;
	if (!named("/data") && uk_9p_trans_find("data")) {
		r = mount_default("data:/data:9p");
		rc = rc ? rc : r;
	}
	if (!named("/site") && (dev = tar_disk())) {
		snprintf(spec, sizeof(spec), "%s:/site:tarfs:ro", dev->name);
		r = mount_default(spec);
		rc = rc ? rc : r;
	}
	if (!named("/initrd") && !uk_tarfs_backing_initrd(&b)) {
		if (uk_tarfs_probe(&b) == 1) {
			r = mount_default("initrd:/initrd:tarfs:ro");
			rc = rc ? rc : r;
		} else {
			uk_pr_info("demo: the initrd is not a tar archive: "
				   "not mounted\n");
		}
	}
	for (i = 0; uk_vfs_mount_entry(i, &e) != -ENOENT; i++)
		uk_pr_info("demo: %s on %s (%s, %s)\n", e.source, e.dir,
			   e.fstype, e.flags & UK_VFS_MNT_RDONLY ? "ro" : "rw");
	return rc;
}
