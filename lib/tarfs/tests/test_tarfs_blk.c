/*
 * tarfs over a block device: archives written onto a fake ukblkdev
 * device held in memory (512- and 4096-byte sectors, at most 3 sectors
 * per request so that reads split), mounted by the device's name as the
 * boot line does ("vda:/site:tarfs").  Every file is read whole and in
 * random pieces at unaligned offsets and compared byte for byte; the
 * device must never be asked for a sector past its capacity.  Bad
 * input: a disk smaller than the archive its header describes, a
 * corrupt header, a device that fails in the middle of a file (-EIO for
 * that read, the rest still served), and probing a disk that holds no
 * archive.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <uk/blkdev.h>
#include <uk/store.h>
#include <uk/tarfs.h>
#include <uk/test.h>
#include <uk/vfs.h>

/* ---- a block device in memory ---------------------------------------- */

struct memdev {
	struct uk_blkdev dev;
	uint8_t *data;
	uint64_t bad_sector;     /* reads touching it fail with -EIO */
	unsigned int reads;
	int beyond;              /* a request past the capacity reached us */
};

static int memdev_submit(struct uk_blkdev *dev, struct uk_blkreq *req)
{
	struct memdev *m = dev->priv;
	uint64_t ss = dev->sector_size;
	int rc = 0;

	if (req->sector + req->count > dev->sectors)
		m->beyond = 1;
	if (req->op != UK_BLKREQ_READ)
		rc = -EIO;
	else if (m->bad_sector >= req->sector &&
		 m->bad_sector < req->sector + req->count)
		rc = -EIO;
	else
		memcpy(req->buf, m->data + req->sector * ss, req->count * ss);
	m->reads++;
	uk_blkdev_complete(dev, req, rc);
	return 0;
}

static void memdev_release(struct uk_blkdev *dev)
{
	struct memdev *m = dev->priv;

	free(m->data);
	free(m);
}

static const struct uk_blkdev_ops memdev_ops = {
	.submit = memdev_submit, .release = memdev_release,
};

/* Devices of the current case, unregistered by the next fresh(). */
static struct memdev *devs[8];
static unsigned int ndevs;

/* A device of len bytes (rounded down to sectors) holding img. */
static struct memdev *memdev_new(const void *img, size_t len, uint32_t ss)
{
	struct memdev *m = calloc(1, sizeof(*m));

	m->data = calloc(1, len / ss * ss + ss);
	memcpy(m->data, img, len / ss * ss);
	m->bad_sector = UINT64_MAX;
	m->dev.ops = &memdev_ops;
	m->dev.sectors = len / ss;
	m->dev.sector_size = ss;
	m->dev.max_sectors = 3;
	m->dev.max_in_flight = 4;
	m->dev.priv = m;
	if (uk_blkdev_register(&m->dev))
		return NULL;
	devs[ndevs++] = m;
	return m;
}

/* ---- an archive -------------------------------------------------------- */

static uint8_t tarimg[1 << 18];
static size_t tarlen;
static uint8_t big[70001], odd[1000];

static void octal(uint8_t *p, size_t n, uint64_t v)
{
	p[n - 1] = 0;
	for (n--; n > 0; n--, v >>= 3)
		p[n - 1] = (uint8_t)('0' + (v & 7));
}

static void member(const char *name, char type, const void *d, size_t n)
{
	uint8_t *h = tarimg + tarlen;
	unsigned int sum = 0, i;

	memset(h, 0, 512);
	memcpy(h, name, strlen(name));
	octal(h + 100, 8, 0644);
	octal(h + 124, 12, n);
	octal(h + 136, 12, 1700000000);
	h[156] = (uint8_t)type;
	memcpy(h + 257, "ustar\0" "00", 8);
	memset(h + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += h[i];
	octal(h + 148, 7, sum);
	tarlen += 512;
	if (n)
		memcpy(tarimg + tarlen, d, n);
	tarlen += (n + 511) / 512 * 512;
}

/* dir/, dir/a.txt, big.bin (70001 bytes), dir/odd.bin, two zero blocks
 * and the rest of a 10 KiB record, as tar writes it. */
static void archive(void)
{
	size_t i;

	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + (i >> 9));
	for (i = 0; i < sizeof(odd); i++)
		odd[i] = (uint8_t)(255 - i);
	tarlen = 0;
	memset(tarimg, 0, sizeof(tarimg));
	member("dir/", '5', NULL, 0);
	member("dir/a.txt", '0', "alpha", 5);
	member("big.bin", '0', big, sizeof(big));
	member("dir/odd.bin", '0', odd, sizeof(odd));
	tarlen += 1024;
	tarlen = (tarlen + 10239) / 10240 * 10240;
}

static void fresh(void)
{
	uk_vfs_umount("/site");
	while (ndevs)
		uk_blkdev_unregister(&devs[--ndevs]->dev);
	uk_vfs_umount("/");
	uk_vfs_mount("ramfs", "/", "ramfs", 0, NULL, NULL);
	uk_vfs_mkdir("/site", 0755);
}

/* Compares path with want, whole, then in pieces at odd offsets. */
static int same(const char *path, const uint8_t *want, size_t n)
{
	static uint8_t buf[sizeof(big) + 10];
	size_t off, len;
	int fd, i;
	long r;

	fd = uk_vfs_open(path, O_RDONLY, 0);
	if (fd < 0)
		return fd;
	r = uk_vfs_read(fd, buf, sizeof(buf));
	if (r != (long)n || memcmp(buf, want, n)) {
		uk_vfs_close(fd);
		return -1;
	}
	for (i = 0; i < 200; i++) {
		off = (size_t)rand() % (n + 1);
		len = (size_t)rand() % 9000;
		r = uk_vfs_pread(fd, buf, len, (off_t)off);
		if (r != (long)(len < n - off ? len : n - off) ||
		    memcmp(buf, want + off, (size_t)r)) {
			uk_vfs_close(fd);
			return -2;
		}
	}
	uk_vfs_close(fd);
	return 0;
}

static void check_sectors(uint32_t ss)
{
	struct uk_tarfs_backing b;
	struct memdev *m;

	fresh();
	archive();
	m = memdev_new(tarimg, tarlen, ss);
	UK_TEST_ASSERT(m);
	uk_tarfs_backing_blk(&b, &m->dev);
	UK_TEST_EQ(b.size, (uint64_t)tarlen / ss * ss);
	UK_TEST_EQ(uk_tarfs_probe(&b), 1);
	UK_TEST_EQ(uk_vfs_mount(m->dev.name, "/site", "tarfs", 0, NULL, NULL),
		   0);
	UK_TEST_EQ(same("/site/dir/a.txt", (const uint8_t *)"alpha", 5), 0);
	UK_TEST_EQ(same("/site/big.bin", big, sizeof(big)), 0);
	UK_TEST_EQ(same("/site/dir/odd.bin", odd, sizeof(odd)), 0);
	UK_TEST_EQ(m->beyond, 0);
	/* The reads are the device's: its counters moved. */
	UK_TEST_ASSERT(m->dev.stats.read_bytes >= sizeof(big));
	UK_TEST_EQ(uk_tarfs_probe(&b), 1);
	UK_TEST_EQ(uk_vfs_umount("/site"), 0);
}

UK_TEST(tarfs_blk_512_byte_sectors)
{
	check_sectors(512);
}

UK_TEST(tarfs_blk_4096_byte_sectors)
{
	check_sectors(4096);
}

UK_TEST(tarfs_blk_sources)
{
	fresh();
	/* Neither "initrd" (none on linuxu) nor a registered device. */
	UK_TEST_EQ(uk_vfs_mount("initrd", "/site", "tarfs", 0, NULL, NULL),
		   -ENOENT);
	UK_TEST_EQ(uk_vfs_mount("vdzz", "/site", "tarfs", 0, NULL, NULL),
		   -ENOENT);
}

UK_TEST(tarfs_blk_disk_smaller_than_its_archive)
{
	struct memdev *m;
	struct uk_tarfs_backing b;

	fresh();
	archive();
	/* Cut in the middle of big.bin's data: its header says 70001
	 * bytes, the disk ends 20 KiB into them. */
	m = memdev_new(tarimg, 3 * 512 + 20 * 1024, 512);
	UK_TEST_ASSERT(m);
	uk_tarfs_backing_blk(&b, &m->dev);
	UK_TEST_EQ(uk_tarfs_probe(&b), 1);
	UK_TEST_EQ(uk_vfs_mount(m->dev.name, "/site", "tarfs", 0, NULL, NULL),
		   -EINVAL);
	UK_TEST_EQ(m->beyond, 0);
	/* Nothing mounted: /site is the ramfs's empty directory. */
	UK_TEST_EQ(uk_vfs_open("/site/dir/a.txt", O_RDONLY, 0), -ENOENT);
	/* Cut inside a header. */
	m = memdev_new(tarimg, 512, 512);
	UK_TEST_ASSERT(m);
	UK_TEST_EQ(uk_vfs_mount(m->dev.name, "/site", "tarfs", 0, NULL, NULL),
		   0); /* one header, no data: dir/ alone, then the end */
	UK_TEST_EQ(uk_vfs_umount("/site"), 0);
	m = memdev_new(tarimg, 2 * 512, 512);
	UK_TEST_ASSERT(m);
	UK_TEST_EQ(uk_vfs_mount(m->dev.name, "/site", "tarfs", 0, NULL, NULL),
		   -EINVAL); /* a.txt's header, its data cut */
}

UK_TEST(tarfs_blk_corrupt_header)
{
	struct memdev *m;

	fresh();
	archive();
	tarimg[512 * 3 + 10] ^= 0x55;  /* big.bin's header (its name) */
	m = memdev_new(tarimg, tarlen, 512);
	UK_TEST_ASSERT(m);
	UK_TEST_EQ(uk_vfs_mount(m->dev.name, "/site", "tarfs", 0, NULL, NULL),
		   -EINVAL);
	UK_TEST_EQ(uk_vfs_open("/site/dir/a.txt", O_RDONLY, 0), -ENOENT);
}

UK_TEST(tarfs_blk_device_error_mid_file)
{
	static uint8_t buf[sizeof(big)];
	struct memdev *m;
	int fd;

	fresh();
	archive();
	m = memdev_new(tarimg, tarlen, 512);
	UK_TEST_ASSERT(m);
	UK_TEST_EQ(uk_vfs_mount(m->dev.name, "/site", "tarfs", 0, NULL, NULL),
		   0);
	/* big.bin's data starts at sector 4; sector 50 is inside it. */
	m->bad_sector = 50;
	fd = uk_vfs_open("/site/big.bin", O_RDONLY, 0);
	UK_TEST_ASSERT(fd >= 0);
	UK_TEST_EQ(uk_vfs_read(fd, buf, sizeof(buf)), -EIO);
	UK_TEST_EQ(uk_vfs_pread(fd, buf, 512, 0), 512);  /* before it */
	UK_TEST_EQ(uk_vfs_pread(fd, buf, 100, (50 - 4) * 512 + 7), -EIO);
	UK_TEST_EQ(uk_vfs_close(fd), 0);
	UK_TEST_EQ(same("/site/dir/odd.bin", odd, sizeof(odd)), 0);
	m->bad_sector = UINT64_MAX;
	UK_TEST_EQ(same("/site/big.bin", big, sizeof(big)), 0);
	UK_TEST_EQ(uk_vfs_umount("/site"), 0);
}

UK_TEST(tarfs_blk_probe_other_content)
{
	static uint8_t zeros[8192], text[8192];
	struct uk_tarfs_backing b;
	struct memdev *m;

	fresh();
	m = memdev_new(zeros, sizeof(zeros), 512);
	UK_TEST_ASSERT(m);
	uk_tarfs_backing_blk(&b, &m->dev);
	UK_TEST_EQ(uk_tarfs_probe(&b), 0);
	memset(text, 'x', sizeof(text));
	m = memdev_new(text, sizeof(text), 512);
	UK_TEST_ASSERT(m);
	uk_tarfs_backing_blk(&b, &m->dev);
	UK_TEST_EQ(uk_tarfs_probe(&b), 0);
	m->bad_sector = 0;
	UK_TEST_EQ(uk_tarfs_probe(&b), -EIO);
	m = memdev_new(text, 0, 512);  /* an empty disk */
	UK_TEST_ASSERT(m);
	uk_tarfs_backing_blk(&b, &m->dev);
	UK_TEST_EQ(uk_tarfs_probe(&b), 0);
}
