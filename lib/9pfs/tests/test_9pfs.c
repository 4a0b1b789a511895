/*
 * 9pfs against a scripted 9P server (lib/uk9p/tests/fake_trans.c): the
 * messages the VFS's calls turn into, checked one by one.  A server error
 * in the middle of a multi-message read fails that read with the
 * server's errno and the mount goes on; a malformed reply is -EIO; the
 * server's "." and "..", symbolic links and devices are not listed; ".."
 * of the share's root never reaches the server; statvfs is answered from
 * the figures taken at mount without a message; every node's fid and
 * every open's fid are clunked when released, and unmounting leaves no
 * fid behind (the client asserts it).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <uk/9p.h>
#include <uk/test.h>
#include <uk/vfs.h>

#include "../../uk9p/tests/fake_trans.h"

#define TSTATFS 8
#define TLOPEN 12
#define TGETATTR 24
#define TREADDIR 40
#define TWALK 110
#define TREAD 116
#define TCLUNK 120
#define RSTATFS 9
#define RLERROR 7
#define RLOPEN 13
#define RGETATTR 25
#define RREADDIR 41
#define RVERSION 101
#define RATTACH 105
#define RWALK 111
#define RREAD 117
#define RCLUNK 121

#define MSIZE 4096
#define IOMAX (MSIZE - 24)

static struct fake_trans ft;
static struct rb rb;

static void send_empty(uint8_t type)
{
	rb_start(&rb, type);
	fake_send(&ft, &rb);
}

static void send_walk(unsigned int n, uint8_t qtype, uint64_t path)
{
	rb_start(&rb, RWALK);
	rb16(&rb, (uint16_t)n);
	if (n)
		rbqid(&rb, qtype, 0, path);
	fake_send(&ft, &rb);
}

static void send_lopen(uint8_t qtype, uint64_t path)
{
	rb_start(&rb, RLOPEN);
	rbqid(&rb, qtype, 0, path);
	rb32(&rb, 0);
	fake_send(&ft, &rb);
}

static void send_read(const void *p, uint32_t n)
{
	rb_start(&rb, RREAD);
	rb32(&rb, n);
	rbbytes(&rb, p, n);
	fake_send(&ft, &rb);
}

static void send_lerror(uint32_t e)
{
	rb_start(&rb, RLERROR);
	rb32(&rb, e);
	fake_send(&ft, &rb);
}

static void send_getattr(uint64_t path, uint64_t size)
{
	int i;

	rb_start(&rb, RGETATTR);
	rb64(&rb, UK_9P_GETATTR_BASIC);
	rbqid(&rb, 0, 0, path);
	rb32(&rb, 0100644);
	rb32(&rb, 0);
	rb32(&rb, 0);
	rb64(&rb, 1);        /* nlink */
	rb64(&rb, 0);        /* rdev */
	rb64(&rb, size);
	rb64(&rb, 4096);     /* blksize */
	rb64(&rb, (size + 511) / 512);
	for (i = 0; i < 10; i++)
		rb64(&rb, 1700000000);  /* times, gen, data_version */
	fake_send(&ft, &rb);
}

/* Mounts the scripted server on /m (statfs only at mount). */
static int mount_fake(void)
{
	int rc;

	uk_vfs_umount("/m");
	uk_vfs_umount("/");
	uk_vfs_mount("ramfs", "/", "ramfs", 0, NULL, NULL);
	uk_vfs_mkdir("/m", 0755);
	fake_init(&ft, "fake", MSIZE, 4);
	if (uk_9p_trans_register(&ft.t))
		return -1;
	rb_start(&rb, RVERSION);
	rb32(&rb, MSIZE);
	rbstr(&rb, "9P2000.L");
	fake_send(&ft, &rb);
	rb_start(&rb, RATTACH);
	rbqid(&rb, UK_9P_QTDIR, 0, 1);
	fake_send(&ft, &rb);
	rb_start(&rb, RSTATFS);
	rb32(&rb, 0x01021997);  /* V9FS_MAGIC */
	rb32(&rb, 4096);
	rb64(&rb, 1000);        /* blocks */
	rb64(&rb, 600);         /* bfree */
	rb64(&rb, 500);         /* bavail */
	rb64(&rb, 100);
	rb64(&rb, 90);
	rb64(&rb, 7);
	rb32(&rb, 255);
	fake_send(&ft, &rb);
	rc = uk_vfs_mount("fake", "/m", "9p", 0, "statfs_ms=0", NULL);
	return rc;
}

static void unmount_fake(void)
{
	send_empty(RCLUNK);     /* the root's fid */
	uk_vfs_umount("/m");
	uk_9p_trans_unregister(&ft.t);
	fake_fini(&ft);
}

/* The fid number a logged request names (offset 7 for most). */
static uint32_t req_fid(unsigned int i)
{
	return (uint32_t)req_le(&ft.log[i], 7, 4);
}

UK_TEST(p9fs_mount_and_statvfs_from_the_cache)
{
	struct statvfs sv;
	unsigned int n;

	UK_TEST_EQ(mount_fake(), 0);
	UK_TEST_EQ(ft.nlog, 3);
	UK_TEST_EQ(ft.log[2].type, TSTATFS);
	n = ft.nlog;
	UK_TEST_EQ(uk_vfs_statvfs("/m", &sv), 0);
	UK_TEST_EQ(ft.nlog, n);   /* no message: the cached figures */
	UK_TEST_EQ(sv.f_bsize, 4096);
	UK_TEST_EQ(sv.f_blocks, 1000);
	UK_TEST_EQ(sv.f_bfree, 600);
	UK_TEST_EQ(sv.f_bavail, 500);
	UK_TEST_EQ(sv.f_files, 100);
	/* ".." of the share's root is the mountpoint's parent, without a
	 * message to the server. */
	UK_TEST_EQ(uk_vfs_statvfs("/m/..", &sv), 0);
	UK_TEST_EQ(ft.nlog, n);
	UK_TEST_EQ(uk_vfs_statvfs("/m/../m/../..", &sv), 0);
	UK_TEST_EQ(ft.nlog, n);
	unmount_fake();
}

UK_TEST(p9fs_nodes_are_clunked)
{
	struct stat st;
	unsigned int n;

	UK_TEST_EQ(mount_fake(), 0);
	n = ft.nlog;
	send_walk(1, 0, 2);
	send_getattr(2, 1234);
	send_empty(RCLUNK);
	UK_TEST_EQ(uk_vfs_stat("/m/a", &st), 0);
	UK_TEST_EQ(st.st_size, 1234);
	UK_TEST_ASSERT(S_ISREG(st.st_mode));
	UK_TEST_EQ(st.st_ino, 2);
	UK_TEST_EQ(ft.nlog, n + 3);
	UK_TEST_EQ(ft.log[n].type, TWALK);
	UK_TEST_EQ(ft.log[n + 1].type, TGETATTR);
	UK_TEST_EQ(ft.log[n + 2].type, TCLUNK);
	/* Twalk fid[4] newfid[4]: the node's fid is the one clunked. */
	UK_TEST_EQ(req_le(&ft.log[n], 11, 4), req_fid(n + 2));
	UK_TEST_EQ(req_fid(n + 1), req_fid(n + 2));
	/* A missing name: Rwalk with no qid, nothing to clunk. */
	n = ft.nlog;
	send_walk(0, 0, 0);
	UK_TEST_EQ(uk_vfs_stat("/m/nope", &st), -ENOENT);
	UK_TEST_EQ(ft.nlog, n + 1);
	/* A symbolic link is not shown: its fid is clunked at once. */
	send_walk(1, UK_9P_QTSYMLINK, 3);
	send_empty(RCLUNK);
	UK_TEST_EQ(uk_vfs_stat("/m/link", &st), -ENOENT);
	UK_TEST_EQ(ft.log[ft.nlog - 1].type, TCLUNK);
	UK_TEST_EQ(fake_pending(&ft), 0);
	unmount_fake();
}

UK_TEST(p9fs_server_error_in_the_middle_of_a_read)
{
	static char part[IOMAX], buf[3 * IOMAX];
	unsigned int n, i;
	int fd;

	memset(part, 'p', sizeof(part));
	UK_TEST_EQ(mount_fake(), 0);
	send_walk(1, 0, 2);          /* lookup "f" */
	send_walk(0, 0, 0);          /* the open's clone */
	send_lopen(0, 2);
	fd = uk_vfs_open("/m/f", O_RDONLY, 0);
	UK_TEST_ASSERT(fd >= 0);
	UK_TEST_EQ(ft.log[ft.nlog - 1].type, TLOPEN);
	/* The first message comes back whole, the second is an error: the
	 * read is that error, not a short count. */
	n = ft.nlog;
	send_read(part, IOMAX);
	send_lerror(ESTALE);
	UK_TEST_EQ(uk_vfs_read(fd, buf, sizeof(buf)), -ESTALE);
	UK_TEST_EQ(ft.nlog, n + 2);
	UK_TEST_EQ(ft.log[n].type, TREAD);
	UK_TEST_EQ(ft.log[n + 1].type, TREAD);
	/* The position did not move; the next read is served. */
	send_read(part, 100);
	UK_TEST_EQ(uk_vfs_read(fd, buf, sizeof(buf)), 100);
	UK_TEST_EQ(req_le(&ft.log[ft.nlog - 1], 11, 8), 0);
	/* A reply that claims more than was asked: -EIO. */
	send_read(part, 64);
	UK_TEST_EQ(uk_vfs_pread(fd, buf, 10, 0), -EIO);
	/* The transport failing: -EIO, and the mount still answers. */
	fake_reply(&ft, "", 0, FAKE_FAIL);
	UK_TEST_EQ(uk_vfs_pread(fd, buf, 10, 0), -EIO);
	send_read("tail", 4);
	UK_TEST_EQ(uk_vfs_pread(fd, buf, 10, 200), 4);
	UK_TEST_EQ(memcmp(buf, "tail", 4), 0);
	/* Closing clunks the open's fid, then the node's. */
	n = ft.nlog;
	send_empty(RCLUNK);
	send_empty(RCLUNK);
	UK_TEST_EQ(uk_vfs_close(fd), 0);
	UK_TEST_EQ(ft.nlog, n + 2);
	for (i = n; i < n + 2; i++)
		UK_TEST_EQ(ft.log[i].type, TCLUNK);
	UK_TEST_ASSERT(req_fid(n) != req_fid(n + 1));
	UK_TEST_EQ(fake_pending(&ft), 0);
	unmount_fake();
}

/* One directory entry of an Rreaddir. */
static void dirent(uint8_t qtype, uint64_t path, uint64_t off, uint8_t type,
		   const char *name)
{
	rbqid(&rb, qtype, 0, path);
	rb64(&rb, off);
	rb8(&rb, type);
	rbstr(&rb, name);
}

UK_TEST(p9fs_readdir_drops_dots_links_and_devices)
{
	struct uk_vfs_dirent d;
	char names[128] = "";
	unsigned int n;
	uint32_t len;
	int fd, r;

	UK_TEST_EQ(mount_fake(), 0);
	send_walk(0, 0, 0);          /* the open's clone of the root */
	send_lopen(UK_9P_QTDIR, 1);
	fd = uk_vfs_open("/m", O_RDONLY | O_DIRECTORY, 0);
	UK_TEST_ASSERT(fd >= 0);
	rb_start(&rb, RREADDIR);
	rb32(&rb, 0);                /* count, patched below */
	len = rb.n;
	dirent(UK_9P_QTDIR, 1, 1, DT_DIR, ".");
	dirent(UK_9P_QTDIR, 9, 2, DT_DIR, "..");
	dirent(0, 2, 3, DT_REG, "a");
	dirent(UK_9P_QTSYMLINK, 3, 4, DT_LNK, "link");
	dirent(0, 4, 5, DT_CHR, "dev");
	dirent(UK_9P_QTDIR, 5, 6, DT_DIR, "d");
	len = rb.n - len;
	rb.b[7] = (uint8_t)len;
	rb.b[8] = (uint8_t)(len >> 8);
	fake_send(&ft, &rb);
	rb_start(&rb, RREADDIR);
	rb32(&rb, 0);                /* the end */
	fake_send(&ft, &rb);
	n = ft.nlog;
	while ((r = uk_vfs_readdir(fd, &d)) == 1) {
		strcat(names, d.name);
		strcat(names, d.type == DT_DIR ? "/ " : " ");
	}
	UK_TEST_EQ(r, 0);
	/* The VFS's own "." and "..", then the server's files. */
	UK_TEST_STREQ(names, "./ ../ a d/ ");
	UK_TEST_EQ(ft.nlog, n + 2);
	UK_TEST_EQ(ft.log[n].type, TREADDIR);
	UK_TEST_EQ(req_le(&ft.log[n], 11, 8), 0);
	UK_TEST_EQ(req_le(&ft.log[n + 1], 11, 8), 6); /* after "d" */
	send_empty(RCLUNK);          /* the open's fid; the root stays */
	UK_TEST_EQ(uk_vfs_close(fd), 0);
	UK_TEST_EQ(fake_pending(&ft), 0);
	unmount_fake();
}

UK_TEST(p9fs_mount_failures)
{
	uk_vfs_umount("/m");
	uk_vfs_mkdir("/m", 0755);
	/* No transport under that tag. */
	UK_TEST_EQ(uk_vfs_mount("notag", "/m", "9p", 0, NULL, NULL), -ENOENT);
	/* Unknown and bad options. */
	UK_TEST_EQ(uk_vfs_mount("fake", "/m", "9p", 0, "cache=loose", NULL),
		   -EINVAL);
	UK_TEST_EQ(uk_vfs_mount("fake", "/m", "9p", 0, "uid=x", NULL),
		   -EINVAL);
	/* A server that fails the attach: its errno, nothing mounted. */
	fake_init(&ft, "fake", MSIZE, 4);
	UK_TEST_EQ(uk_9p_trans_register(&ft.t), 0);
	rb_start(&rb, RVERSION);
	rb32(&rb, MSIZE);
	rbstr(&rb, "9P2000.L");
	fake_send(&ft, &rb);
	send_lerror(EACCES);
	UK_TEST_EQ(uk_vfs_mount("fake", "/m", "9p", 0, "statfs_ms=0", NULL),
		   -EACCES);
	/* A transport that fails at once. */
	fake_reply(&ft, "", 0, FAKE_FAIL);
	UK_TEST_EQ(uk_vfs_mount("fake", "/m", "9p", 0, "statfs_ms=0", NULL),
		   -EIO);
	uk_9p_trans_unregister(&ft.t);
	fake_fini(&ft);
}
