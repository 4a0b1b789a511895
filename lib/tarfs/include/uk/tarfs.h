/*
 * tarfs: a read-only file system over a tar archive (ustar, GNU or pax),
 * file system type "tarfs" of lib/vfs.
 *
 * The archive is read in place: mounting reads its headers once and
 * builds an index in memory (one small node per file or directory, its
 * name, where its data starts), never copying file data; reads go to
 * the backing.  The backing is "N bytes at an offset" from anything: a
 * memory range (the initrd, which stays where the platform loaded it), a
 * block device (uk_tarfs_backing_blk(): sectors read through
 * uk_blkdev_read(), partial ones through a one-sector bounce buffer), or
 * any read callback.
 *
 *   struct uk_tarfs_backing b;
 *   uk_tarfs_backing_mem(&b, base, len);
 *   uk_vfs_mount("archive", "/data", "tarfs", 0, NULL, &b);
 *
 * With data NULL the source names the backing: "initrd" is the
 * platform's initrd (uk_plat_initrd), and the name of a registered block
 * device ("vda") is that device, whole:
 *
 *   uk_vfs_mount("vda", "/site", "tarfs", 0, NULL, NULL);
 *
 * A backing read through a callback (a device) runs without the mount's
 * lock (the index never changes once mounted), so readers of different
 * files wait for the device side by side, not one after the other.
 *
 * Options: maxfiles=N (default 65536): the index holds at most N files
 * and directories, implied ones included, which bounds its memory (about
 * 100 bytes per node plus its name); a bigger archive does not mount
 * (-EFBIG).
 *
 * What the archive may hold: regular files ('0', '\0', '7'), directories
 * ('5'), hard links to earlier files ('1'), GNU long names and links
 * ('L', 'K'), pax headers ('x': path, linkpath, size; 'g' ignored).
 * Symbolic links and devices are skipped with a warning.  Directories
 * implied by file paths exist without entries of their own; leading "/"
 * and "./" are dropped; a later member replaces an earlier one of the
 * same name, as tar extracts them.
 *
 * Bad archives never mount: a header whose checksum is wrong, a header
 * that is not ustar (v7 tar included), a member whose size runs past the
 * end of the backing (a console line gives the sizes: a disk smaller than
 * the archive it holds says so), a truncated header, a name with a ".."
 * component,
 * a name used both as a file and as a directory all fail the mount with
 * -EINVAL and a console line saying what and at which offset.  A backing
 * read that fails is -EIO (at mount for headers, on read() for data).
 * Nothing outside the archive's bytes is ever read.
 */
#ifndef UK_TARFS_H
#define UK_TARFS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct uk_blkdev;

/** Where the archive's bytes come from. */
struct uk_tarfs_backing {
	/**
	 * Reads n bytes at off (off + n <= size) into buf.  Returns 0, or a
	 * negative errno (reported as -EIO).  Unused when base is set.
	 */
	int (*read)(void *cookie, void *buf, size_t n, uint64_t off);
	void *cookie;
	/** The archive in memory, read in place; NULL for a callback. */
	const void *base;
	/** The archive's length in bytes. */
	uint64_t size;
};

/** Sets b to the len bytes at base (which must outlive the mount). */
void uk_tarfs_backing_mem(struct uk_tarfs_backing *b, const void *base,
			  size_t len);
/**
 * Sets b to the platform's initrd.  Returns 0, or -ENOENT when the
 * instance was booted without one.
 */
int uk_tarfs_backing_initrd(struct uk_tarfs_backing *b);
/**
 * Sets b to the whole of block device dev (which must outlive the
 * mount), read in place: its capacity is the archive's size.
 */
void uk_tarfs_backing_blk(struct uk_tarfs_backing *b, struct uk_blkdev *dev);
/**
 * Whether b starts with a tar header (the "ustar" magic of POSIX and GNU
 * archives at offset 257), to find the disk that holds an archive; the
 * archive is checked in full only when mounted.  Returns 1, 0 (another
 * content, or shorter than a header), or the backing's error (-EIO).
 */
int uk_tarfs_probe(const struct uk_tarfs_backing *b);

#ifdef __cplusplus
}
#endif

#endif /* UK_TARFS_H */
