/*
 * The 9p-test image: the 9P client over virtio-9p against QEMU's own 9P
 * server, on a host folder shared by drivers/virtio/tests/blk_9p_kvm.sh
 * (--share DIR:TAG).  The script puts host.bin (byte i = HOSTB(i)),
 * delete-me.txt and sub/keep in the folder and passes what the guest
 * must find as options: p9test.tag, p9test.hostsize and the host's
 * statfs figures (p9test.bsize, .blocks, .files).  Afterwards it checks
 * on the host what this image created, renamed, truncated and removed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <uk/9p.h>
#include <uk/plat/cmdline.h>
#include <uk/test.h>
#include <uk/thread.h>
#include <uk/virtio.h>

#define HOSTB(i) ((uint8_t)((i) * 13 + 5))
#define GUESTB(i) ((uint8_t)((i) * 7 + 3))
#define GUEST_SIZE 100000

static uint8_t big[400000];

static uint64_t opt(const char *key)
{
	const char *v = uk_plat_option(key);

	return v ? strtoull(v, NULL, 0) : 0;
}

static struct uk_9p_fid *root(void)
{
	static struct uk_9p_client *c;
	static struct uk_9p_fid *r;
	static int tried;
	const char *tag = uk_plat_option("p9test.tag");
	struct uk_9p_trans *t;
	int rc;

	if (tried)
		return r;
	tried = 1;
	uk_test_log("virtio-9p devices attached: %d",
		    uk_virtio_probe(UK_VIRTIO_ID_9P, uk_virtio_9p_attach));
	t = uk_9p_trans_find(tag ? tag : "");
	if (!t) {
		uk_test_log("no transport with tag %s", tag ? tag : "(none)");
		return NULL;
	}
	rc = uk_9p_client_create(t, NULL, &c);
	if (rc) {
		uk_test_log("version: %d", rc);
		return NULL;
	}
	uk_test_log("%s: msize %u, %u requests at once", t->tag,
		    uk_9p_client_msize(c), t->max_requests);
	rc = uk_9p_attach(c, "root", 0, "", &r);
	if (rc) {
		uk_test_log("attach: %d", rc);
		r = NULL;
	}
	return r;
}

UK_TEST(p9_kvm_version_and_attach)
{
	struct uk_9p_fid *r = root();

	UK_TEST_ASSERT(r != NULL);
	UK_TEST_EQ(r->qid.type & UK_9P_QTDIR, UK_9P_QTDIR);
}

UK_TEST(p9_kvm_reads_the_host_file)
{
	struct uk_9p_fid *r = root(), *f;
	uint64_t size = opt("p9test.hostsize"), i;
	struct uk_9p_attr a;
	unsigned int bad = 0;

	UK_TEST_ASSERT(r != NULL);
	UK_TEST_ASSERT(size > 0 && size <= sizeof(big));
	UK_TEST_EQ(uk_9p_walk_path(r, "host.bin", &f), 0);
	UK_TEST_EQ(uk_9p_getattr(f, UK_9P_GETATTR_BASIC, &a), 0);
	UK_TEST_EQ(a.size, size);
	UK_TEST_EQ(uk_9p_lopen(f, UK_9P_O_RDONLY), 0);
	UK_TEST_EQ(uk_9p_read(f, 0, big, sizeof(big)), (int64_t)size);
	for (i = 0; i < size; i++)
		bad += big[i] != HOSTB(i);
	UK_TEST_EQ(bad, 0);
	UK_TEST_EQ(uk_9p_clunk(f), 0);
}

UK_TEST(p9_kvm_creates_writes_and_reads_back)
{
	struct uk_9p_fid *r = root(), *f;
	struct uk_9p_attr a;
	unsigned int bad = 0;
	int i;

	UK_TEST_ASSERT(r != NULL);
	for (i = 0; i < GUEST_SIZE; i++)
		big[i] = GUESTB(i);
	UK_TEST_EQ(uk_9p_lcreate(r, "from-guest.bin", UK_9P_O_RDWR, 0644,
				 UK_9P_NOGID, &f), 0);
	UK_TEST_EQ(uk_9p_write(f, 0, big, GUEST_SIZE), GUEST_SIZE);
	UK_TEST_EQ(uk_9p_fsync(f, 0), 0);
	UK_TEST_EQ(uk_9p_getattr(f, UK_9P_GETATTR_BASIC, &a), 0);
	UK_TEST_EQ(a.size, GUEST_SIZE);
	memset(big, 0, GUEST_SIZE);
	UK_TEST_EQ(uk_9p_read(f, 0, big, GUEST_SIZE), GUEST_SIZE);
	for (i = 0; i < GUEST_SIZE; i++)
		bad += big[i] != GUESTB(i);
	UK_TEST_EQ(bad, 0);
	UK_TEST_EQ(uk_9p_clunk(f), 0);
}

/* The type of name in the root directory (-1: not listed). */
static int listed(struct uk_9p_fid *r, const char *name)
{
	static uint8_t dbuf[8192];
	struct uk_9p_dirent de;
	struct uk_9p_fid *d;
	uint64_t off = 0;
	uint32_t pos;
	int n, type = -1;

	if (uk_9p_walk(r, NULL, 0, &d))
		return -2;
	if (uk_9p_lopen(d, UK_9P_O_RDONLY | UK_9P_O_DIRECTORY)) {
		uk_9p_clunk(d);
		return -2;
	}
	while ((n = uk_9p_readdir(d, off, dbuf, sizeof(dbuf))) > 0)
		for (pos = 0; uk_9p_dirent_next(dbuf, (uint32_t)n, &pos,
						 &de) == 1;) {
			off = de.offset;
			if (!strcmp(de.name, name))
				type = de.type;
		}
	uk_9p_clunk(d);
	return n < 0 ? n : type;
}

UK_TEST(p9_kvm_readdir_lists_the_host_files)
{
	struct uk_9p_fid *r = root();

	UK_TEST_ASSERT(r != NULL);
	UK_TEST_EQ(listed(r, "host.bin"), 8); /* DT_REG */
	UK_TEST_EQ(listed(r, "sub"), 4);      /* DT_DIR */
	UK_TEST_EQ(listed(r, "no-such-file"), -1);
}

UK_TEST(p9_kvm_mkdir_rename_unlink)
{
	struct uk_9p_fid *r = root(), *dir, *f, *g;

	UK_TEST_ASSERT(r != NULL);
	UK_TEST_EQ(uk_9p_mkdir(r, "made-by-guest", 0755, UK_9P_NOGID, NULL),
		   0);
	UK_TEST_EQ(uk_9p_mkdir(r, "tmpdir", 0755, UK_9P_NOGID, NULL), 0);
	UK_TEST_EQ(uk_9p_walk_path(r, "tmpdir", &dir), 0);
	UK_TEST_EQ(uk_9p_lcreate(dir, "x", UK_9P_O_WRONLY, 0600, UK_9P_NOGID,
				 &f), 0);
	UK_TEST_EQ(uk_9p_write(f, 0, "moved by the guest\n", 19), 19);
	UK_TEST_EQ(uk_9p_clunk(f), 0);
	UK_TEST_EQ(uk_9p_renameat(dir, "x", r, "renamed.txt"), 0);
	UK_TEST_EQ(uk_9p_walk_path(dir, "x", &g), -ENOENT);
	UK_TEST_EQ(uk_9p_clunk(dir), 0);
	UK_TEST_EQ(uk_9p_unlinkat(r, "tmpdir", UK_9P_AT_REMOVEDIR), 0);
	UK_TEST_EQ(uk_9p_unlinkat(r, "delete-me.txt", 0), 0);
	UK_TEST_EQ(uk_9p_walk_path(r, "delete-me.txt", &g), -ENOENT);
	UK_TEST_EQ(listed(r, "renamed.txt"), 8);
}

UK_TEST(p9_kvm_setattr_truncates)
{
	struct uk_9p_fid *r = root(), *f;
	struct uk_9p_setattr sa = { .valid = UK_9P_SETATTR_SIZE, .size = 10 };
	struct uk_9p_attr a;

	UK_TEST_ASSERT(r != NULL);
	UK_TEST_EQ(uk_9p_lcreate(r, "trunc.txt", UK_9P_O_RDWR, 0644,
				 UK_9P_NOGID, &f), 0);
	UK_TEST_EQ(uk_9p_write(f, 0, big, 1000), 1000);
	UK_TEST_EQ(uk_9p_setattr(f, &sa), 0);
	UK_TEST_EQ(uk_9p_getattr(f, UK_9P_GETATTR_BASIC, &a), 0);
	UK_TEST_EQ(a.size, 10);
	UK_TEST_EQ(uk_9p_clunk(f), 0);
}

/*
 * QEMU reports the host's statfs with the block size scaled up to fit
 * its msize (and the block counts divided alike); the file counts are
 * the host's.
 */
UK_TEST(p9_kvm_statfs_matches_the_host)
{
	struct uk_9p_fid *r = root();
	uint64_t hbsize = opt("p9test.bsize"), hblocks = opt("p9test.blocks");
	struct uk_9p_statfs st;
	uint64_t factor;

	UK_TEST_ASSERT(r != NULL);
	UK_TEST_EQ(uk_9p_statfs(r, &st), 0);
	uk_test_log("statfs: bsize %u, blocks %llu, files %llu, namelen %u",
		    st.bsize, (unsigned long long)st.blocks,
		    (unsigned long long)st.files, st.namelen);
	UK_TEST_ASSERT(hbsize && st.bsize && st.bsize % hbsize == 0);
	factor = st.bsize / hbsize;
	UK_TEST_EQ(st.blocks, hblocks / factor);
	UK_TEST_EQ(st.files, opt("p9test.files"));
}

UK_TEST(p9_kvm_server_errors)
{
	struct uk_9p_fid *r = root(), *f;

	UK_TEST_ASSERT(r != NULL);
	UK_TEST_EQ(uk_9p_walk_path(r, "missing/deeper", &f), -ENOENT);
	UK_TEST_EQ(uk_9p_mkdir(r, "sub", 0755, UK_9P_NOGID, NULL), -EEXIST);
	UK_TEST_EQ(uk_9p_unlinkat(r, "sub", UK_9P_AT_REMOVEDIR), -ENOTEMPTY);
}

/* Four threads reading host.bin at once: requests in flight together on
 * the virtqueue, each completed to its own thread. */
struct reader {
	struct uk_9p_fid *f;
	uint64_t off;
	uint8_t buf[20000];
	int64_t rc;
	unsigned int bad;
};

static void reader_fn(void *arg)
{
	struct reader *r = arg;
	int64_t i;

	r->rc = uk_9p_read(r->f, r->off, r->buf, sizeof(r->buf));
	for (i = 0; i < r->rc; i++)
		r->bad += r->buf[i] != HOSTB(r->off + (uint64_t)i);
}

UK_TEST(p9_kvm_concurrent_readers)
{
	struct uk_9p_fid *r = root();
	static struct reader rd[4];
	struct uk_thread *t[4];
	int i;

	UK_TEST_ASSERT(r != NULL);
	for (i = 0; i < 4; i++) {
		UK_TEST_EQ(uk_9p_walk_path(r, "host.bin", &rd[i].f), 0);
		UK_TEST_EQ(uk_9p_lopen(rd[i].f, UK_9P_O_RDONLY), 0);
		rd[i].off = 50000 * (uint64_t)i + 7;
	}
	for (i = 0; i < 4; i++)
		UK_TEST_EQ(uk_thread_create(&t[i], "reader", reader_fn, &rd[i],
					    0), 0);
	for (i = 0; i < 4; i++) {
		UK_TEST_EQ(uk_thread_join(t[i]), 0);
		UK_TEST_EQ(rd[i].rc, (int64_t)sizeof(rd[i].buf));
		UK_TEST_EQ(rd[i].bad, 0);
		UK_TEST_EQ(uk_9p_clunk(rd[i].f), 0);
	}
}
