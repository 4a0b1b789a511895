/*
 * tarfs over a block device: a backing whose reads go through
 * uk_blkdev_read(), so an archive written raw onto a disk (QEMU's
 * -drive file=site.tar,format=raw) is mounted and read in place, as the
 * initrd is, with nothing copied at boot.
 *
 * tarfs asks for byte ranges; a device reads whole sectors.  The sectors
 * fully inside a range are read straight into the caller's buffer, in
 * one blocking request chain (ukblkdev splits it at the device's
 * max_sectors); a partial sector at either end goes through a bounce
 * buffer of one sector.  Tar members start on 512-byte boundaries, so
 * on a 512-byte-sector disk only the last piece of a file whose size is
 * not a multiple of 512 bounces.  Every range is checked against the
 * device's capacity first (tarfs also checks it against the backing's
 * size, which is that capacity): nothing past the disk is ever asked.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/blkdev.h>
#include <uk/tarfs.h>

/* Most sectors in one uk_blkdev_read() (its count is 32 bits). */
#define CHUNK_SECTORS (1u << 20)

/* Reads sector sec into a bounce buffer, then len bytes at skip of it. */
static int bounce(struct uk_blkdev *dev, uint64_t sec, size_t skip,
		  void *dst, size_t len)
{
	struct uk_alloc *a = uk_alloc_get_default();
	uint8_t *b = uk_malloc(a, dev->sector_size);
	int rc;

	if (!b)
		return -ENOMEM;
	rc = uk_blkdev_read(dev, sec, 1, b);
	if (!rc)
		memcpy(dst, b + skip, len);
	uk_free(a, b);
	return rc;
}

/*
 * The backing's read: n bytes at off of the device cookie into buf.
 * Returns 0, -EIO (past the capacity), or the device's error.
 */
static int blk_read(void *cookie, void *buf, size_t n, uint64_t off)
{
	struct uk_blkdev *dev = cookie;
	uint32_t ss = dev->sector_size;
	uint8_t *p = buf;
	uint64_t sec;
	size_t skip;
	int rc;

	if (off > uk_blkdev_size(dev) || n > uk_blkdev_size(dev) - off)
		return -EIO;
	sec = off / ss;
	skip = (size_t)(off % ss);
	if (n && (skip || n < ss)) {
		size_t len = ss - skip < n ? ss - skip : n;

		rc = bounce(dev, sec, skip, p, len);
		if (rc)
			return rc;
		p += len;
		n -= len;
		sec++;
	}
	while (n >= ss) {
		uint64_t count = n / ss;

		if (count > CHUNK_SECTORS)
			count = CHUNK_SECTORS;
		rc = uk_blkdev_read(dev, sec, (uint32_t)count, p);
		if (rc)
			return rc;
		p += count * ss;
		n -= (size_t)(count * ss);
		sec += count;
	}
	if (n)
		return bounce(dev, sec, 0, p, n);
	return 0;
}

/* Sets b to the whole of dev, read in place. */
void uk_tarfs_backing_blk(struct uk_tarfs_backing *b, struct uk_blkdev *dev)
{
	memset(b, 0, sizeof(*b));
	b->read = blk_read;
	b->cookie = dev;
	b->size = uk_blkdev_size(dev);
}
