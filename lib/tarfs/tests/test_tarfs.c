/*
 * tarfs tests on archives written here, header by header: a good one
 * with every supported kind of member (directories, implied ones, ustar
 * prefixes, GNU long names, pax paths and sizes, hard links, a skipped
 * symlink, absolute and "./" names, a replaced member), read through a
 * memory range and through a callback; bad ones (truncated headers and
 * data, wrong checksums, sizes past the end, v7 headers, ".." names,
 * a file used as a directory, bad numbers, garbage), each refused at
 * mount with -EINVAL and leaving nothing mounted; a backing that fails
 * (-EIO); random corruptions of the good archive, which must mount or
 * fail cleanly and never read outside the archive (ASan watches an
 * exactly-sized copy).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <uk/store.h>
#include <uk/tarfs.h>
#include <uk/test.h>
#include <uk/vfs.h>

/* ---- writing archives -------------------------------------------------- */

struct tb {
	unsigned char buf[1 << 17];
	size_t len;
};

static void octal(unsigned char *p, size_t n, uint64_t v)
{
	p[n - 1] = 0;
	for (n--; n > 0; n--) {
		p[n - 1] = (unsigned char)('0' + (v & 7));
		v >>= 3;
	}
}

static void checksum(unsigned char *h)
{
	unsigned int sum = 0, i;

	memset(h + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += h[i];
	octal(h + 148, 7, sum);
	h[155] = ' ';
}

/* Appends a header; returns it for further changes (then checksum()). */
static unsigned char *hdr(struct tb *t, const char *name, char type,
			  uint64_t size, const char *prefix, const char *link)
{
	unsigned char *h = t->buf + t->len;

	memset(h, 0, 512);
	memcpy(h, name, strnlen(name, 100));
	octal(h + 100, 8, 0644);
	octal(h + 108, 8, 1000);
	octal(h + 116, 8, 1000);
	octal(h + 124, 12, size);
	octal(h + 136, 12, 1700000000);
	h[156] = (unsigned char)type;
	if (link)
		memcpy(h + 157, link, strnlen(link, 100));
	memcpy(h + 257, "ustar\0" "00", 8);
	if (prefix)
		memcpy(h + 345, prefix, strnlen(prefix, 155));
	checksum(h);
	t->len += 512;
	return h;
}

static void data(struct tb *t, const void *p, size_t n)
{
	memcpy(t->buf + t->len, p, n);
	memset(t->buf + t->len + n, 0, (512 - n % 512) % 512);
	t->len += (n + 511) / 512 * 512;
}

static void file(struct tb *t, const char *name, const char *s)
{
	hdr(t, name, '0', strlen(s), NULL, NULL);
	data(t, s, strlen(s));
}

static void end(struct tb *t)
{
	memset(t->buf + t->len, 0, 1024);
	t->len += 1024;
}

static char blob[1500];
static char longpfx[130], longname[300], longpath[160];

/* The good archive. */
static void good(struct tb *t)
{
	unsigned char *h;
	char pax[128];
	size_t i;
	int n;

	t->len = 0;
	for (i = 0; i < sizeof(blob); i++)
		blob[i] = (char)('a' + i % 23);
	hdr(t, "docs/", '5', 0, NULL, NULL);
	file(t, "docs/a.txt", "alpha");
	hdr(t, "./b.bin", '0', sizeof(blob), NULL, NULL);
	data(t, blob, sizeof(blob));
	file(t, "x/y/z/deep.txt", "deep");
	/* ustar prefix: "long/ddd...d/file.txt" */
	memcpy(longpfx, "long/", 5);
	memset(longpfx + 5, 'd', 100);
	hdr(t, "file.txt", '0', 3, longpfx, NULL);
	data(t, "pfx", 3);
	snprintf(longpath, sizeof(longpath), "/t/%s/file.txt", longpfx);
	/* GNU format: a long name 'L', then the member (GNU magic, whose
	 * prefix field is not a prefix). */
	memcpy(longname, "gnu/", 4);
	memset(longname + 4, 'L', 250);
	h = hdr(t, "././@LongLink", 'L', strlen(longname) + 1, NULL, NULL);
	memcpy(h + 257, "ustar  \0", 8);
	checksum(h);
	data(t, longname, strlen(longname) + 1);
	h = hdr(t, "gnu/short", '0', 8, NULL, NULL);
	memcpy(h + 257, "ustar  \0", 8);
	memcpy(h + 345, "atime", 5);
	checksum(h);
	data(t, "gnu long", 8);
	/* pax: path and size override the header that follows. */
	n = snprintf(pax, sizeof(pax), "22 path=pax/named.txt\n10 size=4\n");
	hdr(t, "PaxHeaders/x", 'x', (uint64_t)n, NULL, NULL);
	data(t, pax, (size_t)n);
	hdr(t, "truncated-name", '0', 99, NULL, NULL); /* size: pax's 4 */
	data(t, "pax!", 4);
	hdr(t, "docs/hard", '1', 0, NULL, "docs/a.txt");
	hdr(t, "docs/sym", '2', 0, NULL, "a.txt");
	file(t, "dup.txt", "first");
	file(t, "dup.txt", "second!");
	file(t, "/abs/file", "abs");
	end(t);
}

static long size_of(const char *p)
{
	struct stat st;
	int r = uk_vfs_stat(p, &st);

	return r ? r : (long)st.st_size;
}

static long get(const char *p, char *buf, size_t n)
{
	int fd = uk_vfs_open(p, O_RDONLY, 0);
	long r;

	if (fd < 0)
		return fd;
	r = uk_vfs_read(fd, buf, n - 1);
	uk_vfs_close(fd);
	buf[r > 0 ? r : 0] = 0;
	return r;
}

static void list(const char *p, char *out, size_t n)
{
	struct uk_vfs_dirent d;
	size_t o = 0;
	int fd = uk_vfs_open(p, O_RDONLY | O_DIRECTORY, 0);

	out[0] = 0;
	while (fd >= 0 && uk_vfs_readdir(fd, &d) == 1 && o < n)
		o += (size_t)snprintf(out + o, n - o, "%s%s", o ? " " : "",
				      d.name);
	uk_vfs_close(fd);
}

static void fresh(void)
{
	uk_vfs_umount("/t");
	uk_vfs_umount("/");
	uk_vfs_mount("ramfs", "/", "ramfs", 0, NULL, NULL);
	uk_vfs_mkdir("/t", 0755);
}

static int mount_mem(const void *p, size_t len, const char *opts)
{
	struct uk_tarfs_backing b;

	uk_tarfs_backing_mem(&b, p, len);
	return uk_vfs_mount("archive", "/t", "tarfs", 0, opts, &b);
}

static void check_good_tree(void)
{
	static char buf[2048];
	struct statvfs sv;
	struct stat st;
	int fd;

	UK_TEST_EQ(get("/t/docs/a.txt", buf, sizeof(buf)), 5);
	UK_TEST_STREQ(buf, "alpha");
	UK_TEST_EQ(get("/t/b.bin", buf, sizeof(buf)), 1500);
	UK_TEST_EQ(memcmp(buf, blob, 1500), 0);
	UK_TEST_EQ(get("/t/x/y/z/deep.txt", buf, sizeof(buf)), 4);
	UK_TEST_EQ(get(longpath, buf, sizeof(buf)), 3);
	UK_TEST_STREQ(buf, "pfx");
	snprintf(buf, sizeof(buf), "/t/%s", longname);
	UK_TEST_EQ(size_of(buf), 8);
	UK_TEST_EQ(get("/t/pax/named.txt", buf, sizeof(buf)), 4);
	UK_TEST_STREQ(buf, "pax!");
	UK_TEST_EQ(size_of("/t/truncated-name"), -ENOENT);
	UK_TEST_EQ(get("/t/docs/hard", buf, sizeof(buf)), 5);
	UK_TEST_STREQ(buf, "alpha");
	UK_TEST_EQ(size_of("/t/docs/sym"), -ENOENT);     /* skipped */
	UK_TEST_EQ(get("/t/dup.txt", buf, sizeof(buf)), 7);
	UK_TEST_STREQ(buf, "second!");
	UK_TEST_EQ(get("/t/abs/file", buf, sizeof(buf)), 3);
	/* Listings in archive order, implied directories included. */
	list("/t", buf, sizeof(buf));
	UK_TEST_STREQ(buf, ". .. docs b.bin x long gnu pax dup.txt abs");
	list("/t/docs", buf, sizeof(buf));
	UK_TEST_STREQ(buf, ". .. a.txt hard");
	UK_TEST_EQ(uk_vfs_stat("/t/x/y", &st), 0);
	UK_TEST_ASSERT(S_ISDIR(st.st_mode));
	UK_TEST_EQ(uk_vfs_stat("/t/docs/a.txt", &st), 0);
	UK_TEST_EQ(st.st_mode, S_IFREG | 0644);
	UK_TEST_EQ(st.st_mtime, 1700000000);
	/* Offsets, the end. */
	fd = uk_vfs_open("/t/b.bin", O_RDONLY, 0);
	UK_TEST_EQ(uk_vfs_pread(fd, buf, 100, 1450), 50);
	UK_TEST_EQ(memcmp(buf, blob + 1450, 50), 0);
	UK_TEST_EQ(uk_vfs_pread(fd, buf, 100, 1500), 0);
	UK_TEST_EQ(uk_vfs_pread(fd, buf, 100, 1 << 30), 0);
	UK_TEST_EQ(uk_vfs_lseek(fd, 0, SEEK_END), 1500);
	UK_TEST_EQ(uk_vfs_ftruncate(fd, 0), -EINVAL);
	uk_vfs_close(fd);
	/* Read-only, whatever is tried. */
	UK_TEST_EQ(uk_vfs_open("/t/docs/a.txt", O_RDWR, 0), -EROFS);
	UK_TEST_EQ(uk_vfs_open("/t/docs/a.txt", O_RDONLY | O_TRUNC, 0),
		   -EROFS);
	UK_TEST_EQ(uk_vfs_open("/t/new", O_CREAT | O_RDONLY, 0644), -EROFS);
	UK_TEST_EQ(uk_vfs_mkdir("/t/docs", 0755), -EEXIST);
	UK_TEST_EQ(uk_vfs_mkdir("/t/new", 0755), -EROFS);
	UK_TEST_EQ(uk_vfs_unlink("/t/docs/a.txt"), -EROFS);
	UK_TEST_EQ(uk_vfs_rmdir("/t/x/y/z"), -EROFS);
	UK_TEST_EQ(uk_vfs_rename("/t/dup.txt", "/t/d2"), -EROFS);
	UK_TEST_EQ(uk_vfs_truncate("/t/dup.txt", 0), -EROFS);
	UK_TEST_EQ(uk_vfs_statvfs("/t/docs", &sv), 0);
	UK_TEST_ASSERT(sv.f_flag & ST_RDONLY);
	/* ".." of the mount's root leaves it. */
	UK_TEST_EQ(uk_vfs_stat("/t/../t/docs/../x", &st), 0);
	UK_TEST_EQ(size_of("/t/.."), size_of("/"));
}

UK_TEST(tarfs_good_archive_in_memory)
{
	static struct tb t;
	struct uk_store_value v;

	fresh();
	good(&t);
	UK_TEST_EQ(mount_mem(t.buf, t.len, NULL), 0);
	check_good_tree();
	UK_TEST_EQ(uk_store_read_path("vfs/t/readonly", &v), 0);
	UK_TEST_EQ(v.u, 1);
	UK_TEST_EQ(uk_store_read_path("vfs/t/fstype", &v), 0);
	UK_TEST_STREQ(v.str, "tarfs");
	UK_TEST_EQ(uk_store_read_path("vfs/t/files", &v), 0);
	UK_TEST_EQ(v.u, 19);
	UK_TEST_EQ(uk_vfs_umount("/t"), 0);
}

/* ---- a callback backing ------------------------------------------------- */

struct cb {
	const unsigned char *p;
	uint64_t len;
	int calls;
	int fail;
};

static int cb_read(void *cookie, void *buf, size_t n, uint64_t off)
{
	struct cb *c = cookie;

	c->calls++;
	if (c->fail || off + n > c->len)
		return -EIO;
	memcpy(buf, c->p + off, n);
	return 0;
}

UK_TEST(tarfs_callback_backing)
{
	static struct tb t;
	struct uk_tarfs_backing b = { 0 };
	struct cb c = { 0 };
	char buf[16];
	int fd;

	fresh();
	good(&t);
	c.p = t.buf;
	c.len = t.len;
	b.read = cb_read;
	b.cookie = &c;
	b.size = t.len;
	UK_TEST_EQ(uk_vfs_mount("blk0", "/t", "tarfs", 0, NULL, &b), 0);
	UK_TEST_ASSERT(c.calls > 10);  /* the headers, read at mount */
	check_good_tree();
	/* The device fails: reads are -EIO, the rest still works. */
	fd = uk_vfs_open("/t/docs/a.txt", O_RDONLY, 0);
	c.fail = 1;
	UK_TEST_EQ(uk_vfs_read(fd, buf, sizeof(buf)), -EIO);
	c.fail = 0;
	UK_TEST_EQ(uk_vfs_read(fd, buf, sizeof(buf)), 5);
	uk_vfs_close(fd);
	UK_TEST_EQ(uk_vfs_umount("/t"), 0);
	/* It fails at mount: -EIO, nothing mounted. */
	c.fail = 1;
	UK_TEST_EQ(uk_vfs_mount("blk0", "/t", "tarfs", 0, NULL, &b), -EIO);
	UK_TEST_EQ(uk_vfs_umount("/t"), -EINVAL);
}

/* ---- bad archives -------------------------------------------------------- */

/* Mounts len bytes of p (an exact copy, so ASan sees any over-read). */
static int mount_copy(const unsigned char *p, size_t len)
{
	unsigned char *c = malloc(len ? len : 1);
	int rc;

	memcpy(c, p, len);
	rc = mount_mem(c, len, NULL);
	if (!rc)
		rc = uk_vfs_umount("/t") ? -1000 : 0;
	free(c);
	return rc;
}

UK_TEST(tarfs_bad_archives)
{
	static struct tb t;
	unsigned char *h;
	struct stat st;
	size_t i;

	fresh();
	/* Truncated: in a header, in a member's data. */
	good(&t);
	UK_TEST_EQ(mount_copy(t.buf, 3 * 512 + 100), -EINVAL);
	UK_TEST_EQ(mount_copy(t.buf, 512 + 512 + 512 + 700), -EINVAL);
	/* Wrong checksum. */
	good(&t);
	t.buf[512 + 3] ^= 1;
	UK_TEST_EQ(mount_copy(t.buf, t.len), -EINVAL);
	/* A size past the end of the archive. */
	t.len = 0;
	h = hdr(&t, "big", '0', 1ULL << 33, NULL, NULL);
	data(&t, "x", 1);
	end(&t);
	UK_TEST_EQ(mount_copy(t.buf, t.len), -EINVAL);
	/* GNU base-256 size, huge. */
	memset(h + 124, 0xff, 12);
	h[124] = 0x80;
	checksum(h);
	UK_TEST_EQ(mount_copy(t.buf, t.len), -EINVAL);
	/* Not ustar (v7: no magic). */
	t.len = 0;
	file(&t, "v7", "old");
	end(&t);
	memset(t.buf + 257, 0, 8);
	checksum(t.buf);
	UK_TEST_EQ(mount_copy(t.buf, t.len), -EINVAL);
	/* ".." anywhere in a name. */
	t.len = 0;
	file(&t, "../evil", "x");
	end(&t);
	UK_TEST_EQ(mount_copy(t.buf, t.len), -EINVAL);
	t.len = 0;
	file(&t, "ok/../../evil", "x");
	end(&t);
	UK_TEST_EQ(mount_copy(t.buf, t.len), -EINVAL);
	t.len = 0;
	hdr(&t, "a/..", '5', 0, NULL, NULL);
	end(&t);
	UK_TEST_EQ(mount_copy(t.buf, t.len), -EINVAL);
	/* A file used as a directory, and the other way round. */
	t.len = 0;
	file(&t, "a", "file");
	file(&t, "a/b", "inside a file");
	end(&t);
	UK_TEST_EQ(mount_copy(t.buf, t.len), -EINVAL);
	t.len = 0;
	file(&t, "a/b", "x");
	file(&t, "a", "over a directory");
	end(&t);
	UK_TEST_EQ(mount_copy(t.buf, t.len), -EINVAL);
	/* A number that is not one. */
	t.len = 0;
	h = hdr(&t, "n", '0', 1, NULL, NULL);
	memcpy(h + 124, "0000000001x", 12);
	checksum(h);
	data(&t, "x", 1);
	end(&t);
	UK_TEST_EQ(mount_copy(t.buf, t.len), -EINVAL);
	/* Garbage. */
	for (i = 0; i < 4096; i++)
		t.buf[i] = (unsigned char)(i * 7919 >> 3);
	UK_TEST_EQ(mount_copy(t.buf, 4096), -EINVAL);
	/* A bad pax record. */
	t.len = 0;
	hdr(&t, "p", 'x', 12, NULL, NULL);
	data(&t, "99 path=x\n  ", 12);
	file(&t, "after", "x");
	end(&t);
	UK_TEST_EQ(mount_copy(t.buf, t.len), -EINVAL);
	/* Nothing was left mounted; the mountpoint is the plain folder. */
	UK_TEST_EQ(uk_vfs_umount("/t"), -EINVAL);
	UK_TEST_EQ(uk_vfs_stat("/t/docs", &st), -ENOENT);
	/* Empty archives are fine: no bytes, or only the end marker. */
	UK_TEST_EQ(mount_copy(t.buf, 0), 0);
	memset(t.buf, 0, 1024);
	UK_TEST_EQ(mount_copy(t.buf, 1024), 0);
}

UK_TEST(tarfs_options_and_limits)
{
	static struct tb t;

	fresh();
	good(&t);
	UK_TEST_EQ(mount_mem(t.buf, t.len, "maxfiles=5"), -EFBIG);
	UK_TEST_EQ(mount_mem(t.buf, t.len, "maxfiles=0"), -EINVAL);
	UK_TEST_EQ(mount_mem(t.buf, t.len, "size=1m"), -EINVAL);
	UK_TEST_EQ(mount_mem(t.buf, t.len, "maxfiles=19"), 0);
	UK_TEST_EQ(uk_vfs_umount("/t"), 0);
	/* No initrd on linuxu: the default backing is missing. */
	UK_TEST_EQ(uk_vfs_mount("initrd", "/t", "tarfs", 0, NULL, NULL),
		   -ENOENT);
}

/* Reads every file below dir (depth-first); returns the bytes read. */
static long read_all(const char *dir, int depth)
{
	static char buf[4096];
	struct uk_vfs_dirent d;
	long total = 0, n;
	int fd = uk_vfs_open(dir, O_RDONLY | O_DIRECTORY, 0);

	if (fd < 0 || depth > 10)
		return 0;
	while (uk_vfs_readdir(fd, &d) == 1) {
		char p[1024];
		int f;

		if (!strcmp(d.name, ".") || !strcmp(d.name, ".."))
			continue;
		if ((size_t)snprintf(p, sizeof(p), "%s/%s", dir, d.name) >=
		    sizeof(p))
			continue;
		if (d.type == 4) {
			total += read_all(p, depth + 1);
			continue;
		}
		f = uk_vfs_open(p, O_RDONLY, 0);
		while (f >= 0 && (n = uk_vfs_read(f, buf, sizeof(buf))) > 0)
			total += n;
		uk_vfs_close(f);
	}
	uk_vfs_close(fd);
	return total;
}

UK_TEST(tarfs_random_corruptions)
{
	static struct tb t;
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	int i, mounted = 0, refused = 0;

	fresh();
	good(&t);
	for (i = 0; i < 1500; i++) {
		unsigned char *c;
		size_t len = t.len, k, flips;
		int rc;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (x % 4 == 0)
			len = (size_t)(x >> 8) % t.len;
		c = malloc(len ? len : 1);
		memcpy(c, t.buf, len);
		flips = 1 + (x >> 20) % 4;
		for (k = 0; k < flips && len; k++) {
			size_t at = (size_t)((x >> (11 + k * 9)) * 2654435761u)
				    % len;

			c[at] ^= (unsigned char)(1u << (k + (x >> 40) % 5));
			/* Half the time the header stays well-formed, so
			 * the corruption reaches the fields' parsing. */
			if ((x >> 50) & 1 && at / 512 * 512 + 512 <= len &&
			    at % 512 >= 100 && !(at % 512 >= 148 &&
						 at % 512 < 156))
				checksum(c + at / 512 * 512);
		}
		rc = mount_mem(c, len, NULL);
		if (!rc) {
			mounted++;
			read_all("/t", 0);
			UK_TEST_EQ(uk_vfs_umount("/t"), 0);
		} else {
			refused++;
			UK_TEST_ASSERT(rc == -EINVAL || rc == -EFBIG);
		}
		free(c);
	}
	uk_test_log("%d mounted, %d refused", mounted, refused);
	UK_TEST_ASSERT(mounted > 0 && refused > 0);
}
