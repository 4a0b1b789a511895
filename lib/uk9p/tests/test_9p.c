/*
 * Tests of the 9P2000.L client against a scripted server (fake_trans.c):
 * the exact bytes of each request, the parsing of each reply, splitting
 * reads and writes at msize, tags and fids, and replies a broken or
 * hostile server could send (short messages, sizes that lie, counts
 * beyond the buffers, wrong tags and types, odd error codes, an Rlerror
 * in the middle of a read), each of which must give a clear error.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <uk/9p.h>
#include <uk/test.h>
#include <uk/thread.h>

#include "fake_trans.h"

#define RVERSION 101
#define RATTACH 105
#define RWALK 111
#define RLOPEN 13
#define RLCREATE 15
#define RREAD 117
#define RWRITE 119
#define RCLUNK 121
#define RGETATTR 25
#define RSETATTR 27
#define RREADDIR 41
#define RMKDIR 73
#define RRENAMEAT 75
#define RUNLINKAT 77
#define RFSYNC 51
#define RSTATFS 9
#define RLERROR 7

static struct fake_trans ft;
static struct rb rb; /* 64 KiB: not on the stack */

static void send_version(uint32_t msize, const char *ver)
{
	rb_start(&rb, RVERSION);
	rb32(&rb, msize);
	rbstr(&rb, ver);
	fake_send(&ft, &rb);
}

static void send_empty(uint8_t type)
{
	rb_start(&rb, type);
	fake_send(&ft, &rb);
}

static void send_lerror(uint32_t ecode)
{
	rb_start(&rb, RLERROR);
	rb32(&rb, ecode);
	fake_send(&ft, &rb);
}

static void send_qid(uint8_t type, uint8_t qtype, uint64_t path)
{
	rb_start(&rb, type);
	rbqid(&rb, qtype, 0, path);
	fake_send(&ft, &rb);
}

/* A client with the given msize and a root fid. */
static struct uk_9p_client *setup(uint32_t msize, struct uk_9p_fid **root)
{
	struct uk_9p_client_cfg cfg = { .msize = msize };
	struct uk_9p_client *c;

	fake_init(&ft, "t", 0, 4);
	send_version(msize, "9P2000.L");
	if (uk_9p_client_create(&ft.t, &cfg, &c))
		return NULL;
	send_qid(RATTACH, UK_9P_QTDIR, 1);
	if (uk_9p_attach(c, "root", 0, "/srv", root))
		return NULL;
	return c;
}

static void teardown(struct uk_9p_client *c, struct uk_9p_fid *root)
{
	send_empty(RCLUNK);
	uk_9p_clunk(root);
	uk_9p_client_destroy(c);
	fake_fini(&ft);
}

static const struct fake_req *last(void)
{
	return &ft.log[ft.nlog - 1];
}

UK_TEST(p9_version_request_bytes_and_msize)
{
	static const uint8_t want[] = {
		21, 0, 0, 0, 100, 0xff, 0xff, 0x00, 0x20, 0, 0,
		8, 0, '9', 'P', '2', '0', '0', '0', '.', 'L',
	};
	struct uk_9p_client_cfg cfg = { .msize = 8192 };
	struct uk_9p_client *c;

	fake_init(&ft, "t", 0, 4);
	send_version(4096, "9P2000.L");
	UK_TEST_EQ(uk_9p_client_create(&ft.t, &cfg, &c), 0);
	UK_TEST_EQ(ft.log[0].len, sizeof(want));
	UK_TEST_EQ(memcmp(ft.log[0].bytes, want, sizeof(want)), 0);
	/* The server lowered it. */
	UK_TEST_EQ(uk_9p_client_msize(c), 4096);
	uk_9p_client_destroy(c);
	fake_fini(&ft);
	/* The transport's limit lowers the proposal. */
	fake_init(&ft, "t", 6000, 4);
	send_version(6000, "9P2000.L");
	UK_TEST_EQ(uk_9p_client_create(&ft.t, NULL, &c), 0);
	UK_TEST_EQ(req_le(&ft.log[0], 7, 4), 6000);
	uk_9p_client_destroy(c);
	fake_fini(&ft);
}

UK_TEST(p9_version_refusals)
{
	struct uk_9p_client_cfg cfg = { .msize = 8192 };
	struct uk_9p_client *c;

	fake_init(&ft, "t", 0, 4);
	send_version(8192, "9P2000");
	UK_TEST_EQ(uk_9p_client_create(&ft.t, &cfg, &c), -EPROTONOSUPPORT);
	send_version(1 << 20, "9P2000.L"); /* raised: not allowed */
	UK_TEST_EQ(uk_9p_client_create(&ft.t, &cfg, &c), -EPROTO);
	send_version(512, "9P2000.L");     /* too small to be useful */
	UK_TEST_EQ(uk_9p_client_create(&ft.t, &cfg, &c), -EPROTO);
	fake_reply(&ft, "\x05\0\0\0\x65", 5, 0);          /* short */
	UK_TEST_EQ(uk_9p_client_create(&ft.t, &cfg, &c), -EPROTO);
	fake_reply(&ft, "", 0, FAKE_FAIL);                 /* transport */
	UK_TEST_EQ(uk_9p_client_create(&ft.t, &cfg, &c), -EIO);
	/* A version string longer than the buffer, and one with a NUL. */
	rb_start(&rb, RVERSION);
	rb32(&rb, 8192);
	rb16(&rb, 200);
	memset(rb.b + rb.n, 'x', 200);
	rb.n += 200;
	fake_send(&ft, &rb);
	UK_TEST_EQ(uk_9p_client_create(&ft.t, &cfg, &c), -EPROTO);
	rb_start(&rb, RVERSION);
	rb32(&rb, 8192);
	rb16(&rb, 9);
	rbbytes(&rb, "9P2000.L\0", 9);
	fake_send(&ft, &rb);
	UK_TEST_EQ(uk_9p_client_create(&ft.t, &cfg, &c), -EPROTO);
	UK_TEST_EQ(fake_pending(&ft), 0);
	fake_fini(&ft);
}

UK_TEST(p9_attach_walk_clunk_encoding)
{
	struct uk_9p_fid *root, *f;
	struct uk_9p_client *c = setup(8192, &root);
	const char *names[] = { "dir", "file" };
	const struct fake_req *q;

	UK_TEST_ASSERT(c != NULL);
	/* Tattach: fid, NOFID, "root", "/srv", n_uname 0. */
	q = &ft.log[1];
	UK_TEST_EQ(q->type, 104);
	UK_TEST_EQ(req_le(q, 7, 4), root->fid);
	UK_TEST_EQ(req_le(q, 11, 4), 0xffffffffu);
	UK_TEST_EQ(req_le(q, 15, 2), 4);
	UK_TEST_EQ(memcmp(q->bytes + 17, "root", 4), 0);
	UK_TEST_EQ(root->qid.type, UK_9P_QTDIR);

	rb_start(&rb, RWALK);
	rb16(&rb, 2);
	rbqid(&rb, UK_9P_QTDIR, 0, 2);
	rbqid(&rb, UK_9P_QTFILE, 7, 3);
	fake_send(&ft, &rb);
	UK_TEST_EQ(uk_9p_walk(root, names, 2, &f), 0);
	q = last();
	UK_TEST_EQ(q->type, 110);
	UK_TEST_EQ(req_le(q, 7, 4), root->fid);
	UK_TEST_EQ(req_le(q, 11, 4), f->fid);
	UK_TEST_EQ(req_le(q, 15, 2), 2);
	UK_TEST_EQ(q->len, 7 + 10 + 2 + 3 + 2 + 4);
	UK_TEST_EQ(f->qid.path, 3);
	UK_TEST_EQ(f->qid.version, 7);
	UK_TEST_ASSERT(f->fid != root->fid);
	send_empty(RCLUNK);
	UK_TEST_EQ(uk_9p_clunk(f), 0);
	UK_TEST_EQ(last()->type, 120);
	teardown(c, root);
}

UK_TEST(p9_walk_partial_long_and_path)
{
	struct uk_9p_fid *root, *f;
	struct uk_9p_client *c = setup(8192, &root);
	const char *names[20];
	uint32_t fidnum;
	int i;

	UK_TEST_ASSERT(c != NULL);
	/* Partial walk: the second name is missing. */
	names[0] = "a";
	names[1] = "missing";
	rb_start(&rb, RWALK);
	rb16(&rb, 1);
	rbqid(&rb, UK_9P_QTDIR, 0, 2);
	fake_send(&ft, &rb);
	UK_TEST_EQ(uk_9p_walk(root, names, 2, &f), -ENOENT);
	fidnum = (uint32_t)req_le(last(), 11, 4);
	/* The server never took that fid: its number is reused. */
	rb_start(&rb, RWALK);
	rb16(&rb, 0);
	fake_send(&ft, &rb);
	UK_TEST_EQ(uk_9p_walk(root, NULL, 0, &f), 0);
	UK_TEST_EQ(f->fid, fidnum);
	UK_TEST_EQ(f->qid.path, root->qid.path); /* a clone */
	send_empty(RCLUNK);
	uk_9p_clunk(f);

	/* More qids than names: a protocol error. */
	rb_start(&rb, RWALK);
	rb16(&rb, 3);
	for (i = 0; i < 3; i++)
		rbqid(&rb, 0, 0, 9);
	fake_send(&ft, &rb);
	UK_TEST_EQ(uk_9p_walk(root, names, 2, &f), -EPROTO);

	/* 20 names: 16 from root to the new fid, then 4 from it to itself. */
	for (i = 0; i < 20; i++)
		names[i] = "d";
	rb_start(&rb, RWALK);
	rb16(&rb, 16);
	for (i = 0; i < 16; i++)
		rbqid(&rb, UK_9P_QTDIR, 0, 100 + i);
	fake_send(&ft, &rb);
	rb_start(&rb, RWALK);
	rb16(&rb, 4);
	for (i = 0; i < 4; i++)
		rbqid(&rb, UK_9P_QTDIR, 0, 200 + i);
	fake_send(&ft, &rb);
	UK_TEST_EQ(uk_9p_walk(root, names, 20, &f), 0);
	UK_TEST_EQ(req_le(last(), 7, 4), f->fid);
	UK_TEST_EQ(req_le(last(), 11, 4), f->fid);
	UK_TEST_EQ(req_le(last(), 15, 2), 4);
	UK_TEST_EQ(f->qid.path, 203);
	send_empty(RCLUNK);
	uk_9p_clunk(f);

	/* A path: empty components skipped. */
	rb_start(&rb, RWALK);
	rb16(&rb, 2);
	rbqid(&rb, UK_9P_QTDIR, 0, 5);
	rbqid(&rb, UK_9P_QTFILE, 0, 6);
	fake_send(&ft, &rb);
	UK_TEST_EQ(uk_9p_walk_path(root, "/a//bb/", &f), 0);
	UK_TEST_EQ(req_le(last(), 15, 2), 2);
	UK_TEST_EQ(last()->len, 7 + 10 + 3 + 4);
	send_empty(RCLUNK);
	uk_9p_clunk(f);

	/* Bad names never reach the server. */
	names[0] = "a/b";
	UK_TEST_EQ(uk_9p_walk(root, names, 1, &f), -EINVAL);
	names[0] = "";
	UK_TEST_EQ(uk_9p_walk(root, names, 1, &f), -EINVAL);
	{
		char longname[300];

		memset(longname, 'n', 299);
		longname[299] = '\0';
		names[0] = longname;
		UK_TEST_EQ(uk_9p_walk(root, names, 1, &f), -ENAMETOOLONG);
	}
	UK_TEST_EQ(fake_pending(&ft), 0);
	teardown(c, root);
}

UK_TEST(p9_lerror_maps_to_errno)
{
	struct uk_9p_fid *root, *f;
	struct uk_9p_client *c = setup(8192, &root);
	struct uk_9p_attr a;
	const char *names[] = { "x" };

	UK_TEST_ASSERT(c != NULL);
	send_lerror(ENOENT);
	UK_TEST_EQ(uk_9p_walk(root, names, 1, &f), -ENOENT);
	send_lerror(EACCES);
	UK_TEST_EQ(uk_9p_getattr(root, UK_9P_GETATTR_ALL, &a), -EACCES);
	/* Codes that are no errno. */
	send_lerror(0);
	UK_TEST_EQ(uk_9p_getattr(root, UK_9P_GETATTR_ALL, &a), -EPROTO);
	send_lerror(100000);
	UK_TEST_EQ(uk_9p_getattr(root, UK_9P_GETATTR_ALL, &a), -EPROTO);
	/* An Rlerror with trailing bytes. */
	rb_start(&rb, RLERROR);
	rb32(&rb, EIO);
	rb8(&rb, 0);
	fake_send(&ft, &rb);
	UK_TEST_EQ(uk_9p_getattr(root, UK_9P_GETATTR_ALL, &a), -EPROTO);
	teardown(c, root);
}

static void send_getattr(uint64_t size, int drop, int extra)
{
	int i;

	rb_start(&rb, RGETATTR);
	rb64(&rb, UK_9P_GETATTR_BASIC);
	rbqid(&rb, UK_9P_QTFILE, 1, 42);
	rb32(&rb, 0100644);
	rb32(&rb, 1000);
	rb32(&rb, 1001);
	rb64(&rb, 1);        /* nlink */
	rb64(&rb, 0);        /* rdev */
	rb64(&rb, size);
	rb64(&rb, 4096);     /* blksize */
	rb64(&rb, 8);        /* blocks */
	for (i = 0; i < 10; i++)
		rb64(&rb, 1700000000 + i);
	rb.n -= drop;
	while (extra--)
		rb8(&rb, 0);
	fake_send(&ft, &rb);
}

UK_TEST(p9_getattr_and_malformed_replies)
{
	struct uk_9p_fid *root;
	struct uk_9p_client *c = setup(8192, &root);
	struct uk_9p_attr a;

	UK_TEST_ASSERT(c != NULL);
	send_getattr(12345, 0, 0);
	UK_TEST_EQ(uk_9p_getattr(root, UK_9P_GETATTR_ALL, &a), 0);
	UK_TEST_EQ(req_le(last(), 11, 8), UK_9P_GETATTR_ALL);
	UK_TEST_EQ(a.size, 12345);
	UK_TEST_EQ(a.mode, 0100644);
	UK_TEST_EQ(a.uid, 1000);
	UK_TEST_EQ(a.gid, 1001);
	UK_TEST_EQ(a.qid.path, 42);
	UK_TEST_EQ(a.mtime_sec, 1700000002);
	UK_TEST_EQ(a.data_version, 1700000009);
	/* One byte short, one byte too many. */
	send_getattr(1, 1, 0);
	UK_TEST_EQ(uk_9p_getattr(root, UK_9P_GETATTR_ALL, &a), -EPROTO);
	send_getattr(1, 0, 1);
	UK_TEST_EQ(uk_9p_getattr(root, UK_9P_GETATTR_ALL, &a), -EPROTO);
	/* The size field lies (says more, or less, than was received). */
	send_getattr(1, 0, 0);
	ft.script[(ft.tail - 1) % FAKE_SCRIPT_MAX].flags = FAKE_TAG;
	ft.script[(ft.tail - 1) % FAKE_SCRIPT_MAX].bytes[0] = 200;
	UK_TEST_EQ(uk_9p_getattr(root, UK_9P_GETATTR_ALL, &a), -EPROTO);
	send_getattr(1, 0, 0);
	ft.script[(ft.tail - 1) % FAKE_SCRIPT_MAX].flags = FAKE_TAG;
	ft.script[(ft.tail - 1) % FAKE_SCRIPT_MAX].bytes[0] = 100;
	UK_TEST_EQ(uk_9p_getattr(root, UK_9P_GETATTR_ALL, &a), -EPROTO);
	/* The wrong tag: a reply to some other request. */
	send_getattr(1, 0, 0);
	ft.script[(ft.tail - 1) % FAKE_SCRIPT_MAX].flags = FAKE_SIZE;
	ft.script[(ft.tail - 1) % FAKE_SCRIPT_MAX].bytes[5] = 0x77;
	UK_TEST_EQ(uk_9p_getattr(root, UK_9P_GETATTR_ALL, &a), -EPROTO);
	/* The wrong type. */
	send_empty(RCLUNK);
	UK_TEST_EQ(uk_9p_getattr(root, UK_9P_GETATTR_ALL, &a), -EPROTO);
	/* Shorter than a header; longer than our buffers. */
	fake_reply(&ft, "\x03\0\0", 3, 0);
	UK_TEST_EQ(uk_9p_getattr(root, UK_9P_GETATTR_ALL, &a), -EPROTO);
	rb_start(&rb, RGETATTR);
	rb.n = 5000;
	fake_send(&ft, &rb);
	UK_TEST_EQ(uk_9p_getattr(root, UK_9P_GETATTR_ALL, &a), -EPROTO);
	/* The transport failing. */
	fake_reply(&ft, "", 0, FAKE_FAIL);
	UK_TEST_EQ(uk_9p_getattr(root, UK_9P_GETATTR_ALL, &a), -EIO);
	UK_TEST_EQ(fake_pending(&ft), 0);
	teardown(c, root);
}

static void send_rread(const uint8_t *data, uint32_t n)
{
	rb_start(&rb, RREAD);
	rb32(&rb, n);
	rbbytes(&rb, data, n);
	fake_send(&ft, &rb);
}

/* msize 8192: reads go in messages of 8192 - 24 bytes. */
UK_TEST(p9_read_splits_at_msize)
{
	struct uk_9p_fid *root;
	struct uk_9p_client *c = setup(8192, &root);
	static uint8_t data[20000], buf[20000];
	int i;

	UK_TEST_ASSERT(c != NULL);
	for (i = 0; i < (int)sizeof(data); i++)
		data[i] = (uint8_t)(i * 31 + 7);
	send_rread(data, 8168);
	send_rread(data + 8168, 8168);
	send_rread(data + 16336, 3664);
	UK_TEST_EQ(uk_9p_read(root, 1000, buf, sizeof(buf)), 20000);
	UK_TEST_EQ(memcmp(buf, data, sizeof(buf)), 0);
	UK_TEST_EQ(ft.log[ft.nlog - 3].type, 116);
	UK_TEST_EQ(req_le(&ft.log[ft.nlog - 3], 11, 8), 1000);
	UK_TEST_EQ(req_le(&ft.log[ft.nlog - 3], 19, 4), 8168);
	UK_TEST_EQ(req_le(&ft.log[ft.nlog - 2], 11, 8), 1000 + 8168);
	UK_TEST_EQ(req_le(last(), 19, 4), 3664);
	/* A short reply is the end of the file: no further request. */
	send_rread(data, 100);
	UK_TEST_EQ(uk_9p_read(root, 0, buf, sizeof(buf)), 100);
	send_rread(data, 0);
	UK_TEST_EQ(uk_9p_read(root, 0, buf, sizeof(buf)), 0);
	UK_TEST_EQ(fake_pending(&ft), 0);
	teardown(c, root);
}

UK_TEST(p9_read_error_in_the_middle)
{
	struct uk_9p_fid *root;
	struct uk_9p_client *c = setup(8192, &root);
	static uint8_t data[20000], buf[20000];
	unsigned int n0;

	UK_TEST_ASSERT(c != NULL);
	memset(data, 0xaa, sizeof(data));
	send_rread(data, 8168);
	send_lerror(EIO);
	n0 = ft.nlog;
	/* The first message succeeded, the second failed: an error, not a
	 * short count that looks like the end of the file. */
	UK_TEST_EQ(uk_9p_read(root, 0, buf, sizeof(buf)), -EIO);
	UK_TEST_EQ(ft.nlog - n0, 2);
	/* A count beyond what was asked for. */
	send_rread(data, 8168);
	rb_start(&rb, RREAD);
	rb32(&rb, 9000);
	fake_send(&ft, &rb);
	UK_TEST_EQ(uk_9p_read(root, 0, buf, sizeof(buf)), -EPROTO);
	/* A count larger than the data that came. */
	rb_start(&rb, RREAD);
	rb32(&rb, 100);
	rbbytes(&rb, data, 50);
	fake_send(&ft, &rb);
	UK_TEST_EQ(uk_9p_read(root, 0, buf, 1000), -EPROTO);
	/* More data than the count says. */
	rb_start(&rb, RREAD);
	rb32(&rb, 10);
	rbbytes(&rb, data, 50);
	fake_send(&ft, &rb);
	UK_TEST_EQ(uk_9p_read(root, 0, buf, 1000), -EPROTO);
	/* A reply longer than the buffers offered (the transport drops it). */
	send_rread(data, 2000);
	UK_TEST_EQ(uk_9p_read(root, 0, buf, 1000), -EPROTO);
	UK_TEST_EQ(fake_pending(&ft), 0);
	teardown(c, root);
}

static void send_rwrite(uint32_t n)
{
	rb_start(&rb, RWRITE);
	rb32(&rb, n);
	fake_send(&ft, &rb);
}

/* Writes go in messages of 8192 - 24 bytes: header, then the data. */
UK_TEST(p9_write_splits_at_msize)
{
	struct uk_9p_fid *root;
	struct uk_9p_client *c = setup(8192, &root);
	static uint8_t data[20000];
	const struct fake_req *q;
	int i;

	UK_TEST_ASSERT(c != NULL);
	for (i = 0; i < (int)sizeof(data); i++)
		data[i] = (uint8_t)(i ^ 0x5c);
	send_rwrite(8168);
	send_rwrite(8168);
	send_rwrite(3664);
	UK_TEST_EQ(uk_9p_write(root, 7, data, sizeof(data)), 20000);
	q = &ft.log[ft.nlog - 3];
	UK_TEST_EQ(q->type, 118);
	UK_TEST_EQ(q->len, 8191);
	UK_TEST_EQ(req_le(q, 0, 4), 8191);
	UK_TEST_EQ(req_le(q, 11, 8), 7);
	UK_TEST_EQ(req_le(q, 19, 4), 8168);
	UK_TEST_EQ(memcmp(q->bytes + 23, data, 8168), 0);
	q = last();
	UK_TEST_EQ(req_le(q, 11, 8), 7 + 2 * 8168);
	UK_TEST_EQ(memcmp(q->bytes + 23, data + 2 * 8168, 3664), 0);
	/* A short write stops; a count above what was sent is a lie; a
	 * server that writes nothing is an error, not a loop. */
	send_rwrite(100);
	UK_TEST_EQ(uk_9p_write(root, 0, data, 1000), 100);
	send_rwrite(1001);
	UK_TEST_EQ(uk_9p_write(root, 0, data, 1000), -EPROTO);
	send_rwrite(0);
	UK_TEST_EQ(uk_9p_write(root, 0, data, 1000), -EIO);
	send_lerror(ENOSPC);
	UK_TEST_EQ(uk_9p_write(root, 0, data, 1000), -ENOSPC);
	UK_TEST_EQ(fake_pending(&ft), 0);
	teardown(c, root);
}

static void dirent(struct rb *r, uint64_t path, uint64_t off, uint8_t type,
		   const char *name)
{
	rbqid(r, type == 4 ? UK_9P_QTDIR : 0, 0, path);
	rb64(r, off);
	rb8(r, type);
	rbstr(r, name);
}

UK_TEST(p9_readdir_and_dirents)
{
	struct uk_9p_fid *root;
	struct uk_9p_client *c = setup(8192, &root);
	static struct rb ents;
	uint8_t buf[4096];
	struct uk_9p_dirent de;
	uint32_t pos = 0;
	int n;

	UK_TEST_ASSERT(c != NULL);
	ents.n = 0;
	dirent(&ents, 10, 1, 4, ".");
	dirent(&ents, 11, 2, 8, "hello.txt");
	dirent(&ents, 12, 3, 4, "sub");
	rb_start(&rb, RREADDIR);
	rb32(&rb, ents.n);
	rbbytes(&rb, ents.b, ents.n);
	fake_send(&ft, &rb);
	n = uk_9p_readdir(root, 0, buf, sizeof(buf));
	UK_TEST_EQ(n, (int)ents.n);
	UK_TEST_EQ(last()->type, 40);
	UK_TEST_EQ(req_le(last(), 19, 4), sizeof(buf));
	UK_TEST_EQ(uk_9p_dirent_next(buf, (uint32_t)n, &pos, &de), 1);
	UK_TEST_STREQ(de.name, ".");
	UK_TEST_EQ(uk_9p_dirent_next(buf, (uint32_t)n, &pos, &de), 1);
	UK_TEST_STREQ(de.name, "hello.txt");
	UK_TEST_EQ(de.type, 8);
	UK_TEST_EQ(de.offset, 2);
	UK_TEST_EQ(de.qid.path, 11);
	UK_TEST_EQ(uk_9p_dirent_next(buf, (uint32_t)n, &pos, &de), 1);
	UK_TEST_STREQ(de.name, "sub");
	UK_TEST_EQ(uk_9p_dirent_next(buf, (uint32_t)n, &pos, &de), 0);
	/* Truncated entries and names a file system cannot take. */
	pos = 0;
	UK_TEST_EQ(uk_9p_dirent_next(buf, 30, &pos, &de), 1);
	UK_TEST_EQ(uk_9p_dirent_next(buf, 30, &pos, &de), -EPROTO);
	ents.n = 0;
	dirent(&ents, 1, 1, 8, "../../etc");
	pos = 0;
	UK_TEST_EQ(uk_9p_dirent_next(ents.b, ents.n, &pos, &de), -EPROTO);
	ents.n = 0;
	dirent(&ents, 1, 1, 8, "");
	pos = 0;
	UK_TEST_EQ(uk_9p_dirent_next(ents.b, ents.n, &pos, &de), -EPROTO);
	ents.n = 0;
	rbqid(&ents, 0, 0, 1);
	rb64(&ents, 1);
	rb8(&ents, 8);
	rb16(&ents, 60000);   /* a name length past the buffer */
	rbbytes(&ents, "abc", 3);
	pos = 0;
	UK_TEST_EQ(uk_9p_dirent_next(ents.b, ents.n, &pos, &de), -EPROTO);
	/* The end, and a count past what was asked. */
	rb_start(&rb, RREADDIR);
	rb32(&rb, 0);
	fake_send(&ft, &rb);
	UK_TEST_EQ(uk_9p_readdir(root, 3, buf, sizeof(buf)), 0);
	rb_start(&rb, RREADDIR);
	rb32(&rb, 200);
	rbbytes(&rb, ents.b, 100);
	fake_send(&ft, &rb);
	UK_TEST_EQ(uk_9p_readdir(root, 3, buf, 100), -EPROTO);
	teardown(c, root);
}

UK_TEST(p9_open_create_and_tree_operations)
{
	struct uk_9p_fid *root, *f;
	struct uk_9p_client *c = setup(8192, &root);
	struct uk_9p_setattr sa = { 0 };
	struct uk_9p_statfs st;
	struct uk_9p_qid qid;
	const struct fake_req *q;

	UK_TEST_ASSERT(c != NULL);
	/* lcreate: a clone (Twalk with no names), then Tlcreate on it. */
	rb_start(&rb, RWALK);
	rb16(&rb, 0);
	fake_send(&ft, &rb);
	rb_start(&rb, RLCREATE);
	rbqid(&rb, UK_9P_QTFILE, 0, 77);
	rb32(&rb, 4096);
	fake_send(&ft, &rb);
	UK_TEST_EQ(uk_9p_lcreate(root, "new.txt", UK_9P_O_RDWR | UK_9P_O_CREAT,
				 0644, UK_9P_NOGID, &f), 0);
	q = last();
	UK_TEST_EQ(q->type, 14);
	UK_TEST_EQ(req_le(q, 7, 4), f->fid);
	UK_TEST_EQ(req_le(q, 11, 2), 7);
	UK_TEST_EQ(req_le(q, 20, 4), UK_9P_O_RDWR | UK_9P_O_CREAT);
	UK_TEST_EQ(req_le(q, 24, 4), 0644);
	UK_TEST_EQ(req_le(q, 28, 4), UK_9P_NOGID);
	UK_TEST_EQ(f->open, 1);
	UK_TEST_EQ(f->iounit, 4096);
	UK_TEST_EQ(f->qid.path, 77);
	/* The iounit bounds messages below msize. */
	{
		static uint8_t d[5000];

		send_rwrite(4096);
		send_rwrite(904);
		UK_TEST_EQ(uk_9p_write(f, 0, d, sizeof(d)), 5000);
		UK_TEST_EQ(req_le(&ft.log[ft.nlog - 2], 19, 4), 4096);
	}
	/* setattr: truncate. */
	sa.valid = UK_9P_SETATTR_SIZE;
	sa.size = 10;
	send_empty(RSETATTR);
	UK_TEST_EQ(uk_9p_setattr(f, &sa), 0);
	q = last();
	UK_TEST_EQ(q->type, 26);
	UK_TEST_EQ(q->len, 7 + 4 + 4 + 12 + 8 + 32);
	UK_TEST_EQ(req_le(q, 11, 4), UK_9P_SETATTR_SIZE);
	UK_TEST_EQ(req_le(q, 27, 8), 10);
	send_empty(RFSYNC);
	UK_TEST_EQ(uk_9p_fsync(f, 1), 0);
	UK_TEST_EQ(last()->len, 15);
	UK_TEST_EQ(req_le(last(), 11, 4), 1);
	send_empty(RCLUNK);
	UK_TEST_EQ(uk_9p_clunk(f), 0);
	/* A refused create leaves no fid: the clone is clunked. */
	rb_start(&rb, RWALK);
	rb16(&rb, 0);
	fake_send(&ft, &rb);
	send_lerror(EEXIST);
	send_empty(RCLUNK);
	UK_TEST_EQ(uk_9p_lcreate(root, "new.txt", UK_9P_O_CREAT | UK_9P_O_EXCL,
				 0644, UK_9P_NOGID, &f), -EEXIST);
	UK_TEST_EQ(last()->type, 120);
	/* lopen */
	rb_start(&rb, RLOPEN);
	rbqid(&rb, UK_9P_QTDIR, 3, 1);
	rb32(&rb, 0);
	fake_send(&ft, &rb);
	UK_TEST_EQ(uk_9p_lopen(root, UK_9P_O_RDONLY | UK_9P_O_DIRECTORY), 0);
	UK_TEST_EQ(req_le(last(), 11, 4), UK_9P_O_DIRECTORY);
	UK_TEST_EQ(root->qid.version, 3);
	/* mkdir, renameat, unlinkat */
	send_qid(RMKDIR, UK_9P_QTDIR, 88);
	UK_TEST_EQ(uk_9p_mkdir(root, "d", 0755, UK_9P_NOGID, &qid), 0);
	UK_TEST_EQ(qid.path, 88);
	UK_TEST_EQ(last()->type, 72);
	UK_TEST_EQ(last()->len, 7 + 4 + 3 + 8);
	send_empty(RRENAMEAT);
	UK_TEST_EQ(uk_9p_renameat(root, "a", root, "bb"), 0);
	UK_TEST_EQ(last()->type, 74);
	UK_TEST_EQ(last()->len, 7 + 4 + 3 + 4 + 4);
	send_empty(RUNLINKAT);
	UK_TEST_EQ(uk_9p_unlinkat(root, "d", UK_9P_AT_REMOVEDIR), 0);
	UK_TEST_EQ(last()->type, 76);
	UK_TEST_EQ(req_le(last(), 14, 4), UK_9P_AT_REMOVEDIR);
	UK_TEST_EQ(uk_9p_unlinkat(root, "x/y", 0), -EINVAL);
	UK_TEST_EQ(uk_9p_mkdir(root, "", 0755, 0, NULL), -EINVAL);
	/* statfs */
	rb_start(&rb, RSTATFS);
	rb32(&rb, 0x01021997);
	rb32(&rb, 4096);
	rb64(&rb, 1000);
	rb64(&rb, 600);
	rb64(&rb, 500);
	rb64(&rb, 100);
	rb64(&rb, 50);
	rb64(&rb, 0xabc);
	rb32(&rb, 255);
	fake_send(&ft, &rb);
	UK_TEST_EQ(uk_9p_statfs(root, &st), 0);
	UK_TEST_EQ(st.bsize, 4096);
	UK_TEST_EQ(st.blocks, 1000);
	UK_TEST_EQ(st.bavail, 500);
	UK_TEST_EQ(st.namelen, 255);
	UK_TEST_EQ(fake_pending(&ft), 0);
	teardown(c, root);
}

/* Two requests in flight at once carry different tags. */
struct getter {
	struct uk_9p_fid *f;
	int rc;
};

static void getattr_thread(void *arg)
{
	struct getter *g = arg;
	struct uk_9p_attr a;

	g->rc = uk_9p_getattr(g->f, UK_9P_GETATTR_BASIC, &a);
}

UK_TEST(p9_concurrent_requests_use_distinct_tags)
{
	struct uk_9p_fid *root;
	struct uk_9p_client *c = setup(8192, &root);
	struct getter g1, g2;
	struct uk_thread *t1, *t2;
	unsigned int n0;

	UK_TEST_ASSERT(c != NULL);
	n0 = ft.nlog;
	send_getattr(1, 0, 0);
	send_getattr(2, 0, 0);
	ft.rendezvous = 2;
	g1.f = g2.f = root;
	UK_TEST_EQ(uk_thread_create(&t1, "g1", getattr_thread, &g1, 0), 0);
	UK_TEST_EQ(uk_thread_create(&t2, "g2", getattr_thread, &g2, 0), 0);
	UK_TEST_EQ(uk_thread_join(t1), 0);
	UK_TEST_EQ(uk_thread_join(t2), 0);
	ft.rendezvous = 0;
	UK_TEST_EQ(g1.rc, 0);
	UK_TEST_EQ(g2.rc, 0);
	UK_TEST_EQ(ft.nlog - n0, 2);
	UK_TEST_ASSERT(ft.log[n0].tag != ft.log[n0 + 1].tag);
	UK_TEST_ASSERT(ft.log[n0].tag != 0xffff);
	teardown(c, root);
}

UK_TEST(p9_transport_registry)
{
	struct fake_trans a, b;

	fake_init(&a, "share", 0, 1);
	fake_init(&b, "share", 0, 1);
	UK_TEST_EQ(uk_9p_trans_register(&a.t), 0);
	UK_TEST_EQ(uk_9p_trans_register(&a.t), -EINVAL);
	UK_TEST_EQ(uk_9p_trans_register(&b.t), -EEXIST);
	UK_TEST_EQ(uk_9p_trans_find("share"), &a.t);
	UK_TEST_EQ(uk_9p_trans_find("other"), NULL);
	UK_TEST_EQ(uk_9p_trans_unregister(&a.t), 0);
	UK_TEST_EQ(uk_9p_trans_unregister(&a.t), -ENOENT);
	UK_TEST_EQ(uk_9p_trans_find("share"), NULL);
	b.t.tag[0] = '\0';
	UK_TEST_EQ(uk_9p_trans_register(&b.t), -EINVAL);
}

/* A server without Tunlinkat/Trenameat (diod): walk + Tremove/Trename,
 * and the client stops asking for the missing operation. */
UK_TEST(p9_unlinkat_renameat_fallbacks)
{
	struct uk_9p_fid *root;
	struct uk_9p_client *c = setup(8192, &root);

	UK_TEST_ASSERT(c != NULL);
	send_lerror(EOPNOTSUPP);
	rb_start(&rb, RWALK);
	rb16(&rb, 1);
	rbqid(&rb, UK_9P_QTFILE, 0, 5);
	fake_send(&ft, &rb);
	send_empty(123); /* Rremove */
	UK_TEST_EQ(uk_9p_unlinkat(root, "f", 0), 0);
	UK_TEST_EQ(last()->type, 122);
	/* Next time straight to the walk; the type is checked here. */
	rb_start(&rb, RWALK);
	rb16(&rb, 1);
	rbqid(&rb, UK_9P_QTDIR, 0, 6);
	fake_send(&ft, &rb);
	send_empty(RCLUNK);
	UK_TEST_EQ(uk_9p_unlinkat(root, "d", 0), -EISDIR);
	UK_TEST_EQ(ft.log[ft.nlog - 2].type, 110);
	send_lerror(EOPNOTSUPP);
	rb_start(&rb, RWALK);
	rb16(&rb, 1);
	rbqid(&rb, UK_9P_QTFILE, 0, 5);
	fake_send(&ft, &rb);
	send_empty(21); /* Rrename */
	send_empty(RCLUNK);
	UK_TEST_EQ(uk_9p_renameat(root, "a", root, "b"), 0);
	UK_TEST_EQ(ft.log[ft.nlog - 2].type, 20);
	UK_TEST_EQ(req_le(&ft.log[ft.nlog - 2], 11, 4), root->fid);
	UK_TEST_EQ(fake_pending(&ft), 0);
	teardown(c, root);
}
