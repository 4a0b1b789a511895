/*
 * The 9P client against a real 9P2000.L server: diod (Debian's), started
 * on a socket pair and exporting a fresh temporary folder, so every
 * operation is checked both through the client and on the host's file
 * system (contents byte for byte, sizes, modes, names, statfs against
 * statvfs).  The server is started on first use and stopped at exit.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <uk/9p.h>
#include <uk/test.h>

#include "diod.h"
#include "stream_trans.h"

static struct {
	int started;
	struct diod d;
	struct stream_trans st;
	struct uk_9p_client *c;
	struct uk_9p_fid *root;
} S;

static void stop_server(void)
{
	/* The client is left as it is: a failed case may hold fids. */
	diod_stop(&S.d);
}

/* Starts diod and attaches; 0, or -1 with a message. */
static int server(void)
{
	struct uk_9p_client_cfg cfg = { .msize = 1024 * 1024 };
	int rc;

	if (S.started)
		return S.root ? 0 : -1;
	S.started = 1;
	S.d.sock = -1;
	atexit(stop_server);
	if (diod_start(&S.d, "uk9p-diod", 0))
		return -1;
	stream_trans_init(&S.st, "diod", S.d.sock, S.d.sock);
	rc = uk_9p_client_create(&S.st.t, &cfg, &S.c);
	if (rc) {
		fprintf(stderr, "diod: no Rversion (%d): is diod installed "
			"(scripts/deps.sh)?\n", rc);
		return -1;
	}
	rc = uk_9p_attach(S.c, "root", 0, S.d.dir, &S.root);
	if (rc) {
		fprintf(stderr, "diod: attach failed (%d)\n", rc);
		return -1;
	}
	return 0;
}

static const char *host(const char *name)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", S.d.dir, name);
	return path;
}

UK_TEST(diod_version_and_attach)
{
	UK_TEST_ASSERT(server() == 0);
	uk_test_log("negotiated msize %u", uk_9p_client_msize(S.c));
	UK_TEST_ASSERT(uk_9p_client_msize(S.c) >= UK_9P_MSIZE_MIN);
	UK_TEST_ASSERT(uk_9p_client_msize(S.c) <= 1024 * 1024);
	UK_TEST_EQ(S.root->qid.type & UK_9P_QTDIR, UK_9P_QTDIR);
}

/* 200 KB: several messages each way at diod's msize. */
UK_TEST(diod_create_write_read_getattr)
{
	static uint8_t out[200000], in[200000], disk[200000];
	struct uk_9p_fid *f, *g;
	struct uk_9p_attr a;
	struct stat st;
	int fd, i;

	UK_TEST_ASSERT(server() == 0);
	for (i = 0; i < (int)sizeof(out); i++)
		out[i] = (uint8_t)(i * 131 + (i >> 12));
	UK_TEST_EQ(uk_9p_lcreate(S.root, "data.bin", UK_9P_O_RDWR, 0644,
				 UK_9P_NOGID, &f), 0);
	UK_TEST_EQ(uk_9p_write(f, 0, out, sizeof(out)), (int64_t)sizeof(out));
	UK_TEST_EQ(uk_9p_fsync(f, 0), 0);
	UK_TEST_EQ(uk_9p_getattr(f, UK_9P_GETATTR_BASIC, &a), 0);
	UK_TEST_EQ(a.size, sizeof(out));
	UK_TEST_EQ(a.mode & 0777, 0644);
	UK_TEST_EQ(uk_9p_clunk(f), 0);
	/* The host sees the same bytes. */
	UK_TEST_EQ(stat(host("data.bin"), &st), 0);
	UK_TEST_EQ(st.st_size, (off_t)sizeof(out));
	fd = open(host("data.bin"), O_RDONLY);
	UK_TEST_ASSERT(fd >= 0);
	UK_TEST_EQ(read(fd, disk, sizeof(disk)), (ssize_t)sizeof(disk));
	close(fd);
	UK_TEST_EQ(memcmp(disk, out, sizeof(out)), 0);
	/* Read it back through a fresh walk and open. */
	UK_TEST_EQ(uk_9p_walk_path(S.root, "data.bin", &g), 0);
	UK_TEST_EQ(uk_9p_lopen(g, UK_9P_O_RDONLY), 0);
	UK_TEST_EQ(uk_9p_read(g, 0, in, sizeof(in)), (int64_t)sizeof(in));
	UK_TEST_EQ(memcmp(in, out, sizeof(in)), 0);
	/* Past the end: a short read, then nothing. */
	UK_TEST_EQ(uk_9p_read(g, sizeof(out) - 10, in, 100), 10);
	UK_TEST_EQ(uk_9p_read(g, sizeof(out), in, 100), 0);
	UK_TEST_EQ(uk_9p_clunk(g), 0);
	UK_TEST_EQ(unlink(host("data.bin")), 0);
}

/* Finds name in the root directory listing; returns its entry type or -1. */
static int listed(const char *name, unsigned int *count)
{
	static uint8_t buf[4096];
	struct uk_9p_dirent de;
	struct uk_9p_fid *d;
	uint64_t off = 0;
	uint32_t pos;
	int n, type = -1;

	*count = 0;
	if (uk_9p_walk(S.root, NULL, 0, &d))
		return -2;
	if (uk_9p_lopen(d, UK_9P_O_RDONLY | UK_9P_O_DIRECTORY)) {
		uk_9p_clunk(d);
		return -2;
	}
	while ((n = uk_9p_readdir(d, off, buf, sizeof(buf))) > 0) {
		for (pos = 0; uk_9p_dirent_next(buf, (uint32_t)n, &pos,
						 &de) == 1;) {
			(*count)++;
			off = de.offset;
			if (!strcmp(de.name, name))
				type = de.type;
		}
	}
	uk_9p_clunk(d);
	return n < 0 ? -3 : type;
}

UK_TEST(diod_mkdir_readdir_rename_unlink)
{
	struct uk_9p_fid *sub, *f;
	struct uk_9p_qid q;
	struct stat st;
	unsigned int n;

	UK_TEST_ASSERT(server() == 0);
	UK_TEST_EQ(uk_9p_mkdir(S.root, "sub", 0755, UK_9P_NOGID, &q), 0);
	UK_TEST_EQ(q.type & UK_9P_QTDIR, UK_9P_QTDIR);
	UK_TEST_EQ(stat(host("sub"), &st), 0);
	UK_TEST_ASSERT(S_ISDIR(st.st_mode));
	UK_TEST_EQ(uk_9p_mkdir(S.root, "sub", 0755, UK_9P_NOGID, NULL),
		   -EEXIST);
	UK_TEST_EQ(listed("sub", &n), 4); /* DT_DIR */
	UK_TEST_ASSERT(n >= 3);          /* ".", "..", "sub" */
	/* A file inside, then moved up under a new name. */
	UK_TEST_EQ(uk_9p_walk_path(S.root, "sub", &sub), 0);
	UK_TEST_EQ(uk_9p_lcreate(sub, "a", UK_9P_O_WRONLY, 0600, UK_9P_NOGID,
				 &f), 0);
	UK_TEST_EQ(uk_9p_write(f, 0, "hello", 5), 5);
	UK_TEST_EQ(uk_9p_clunk(f), 0);
	UK_TEST_EQ(uk_9p_unlinkat(S.root, "sub", UK_9P_AT_REMOVEDIR),
		   -ENOTEMPTY);
	UK_TEST_EQ(uk_9p_renameat(sub, "a", S.root, "b"), 0);
	UK_TEST_EQ(stat(host("sub/a"), &st), -1);
	UK_TEST_EQ(stat(host("b"), &st), 0);
	UK_TEST_EQ(st.st_size, 5);
	UK_TEST_EQ(listed("b", &n), 8); /* DT_REG */
	UK_TEST_EQ(uk_9p_unlinkat(S.root, "b", 0), 0);
	UK_TEST_EQ(stat(host("b"), &st), -1);
	UK_TEST_EQ(uk_9p_unlinkat(S.root, "b", 0), -ENOENT);
	UK_TEST_EQ(uk_9p_clunk(sub), 0);
	UK_TEST_EQ(uk_9p_unlinkat(S.root, "sub", UK_9P_AT_REMOVEDIR), 0);
	UK_TEST_EQ(stat(host("sub"), &st), -1);
	UK_TEST_EQ(listed("sub", &n), -1);
}

UK_TEST(diod_setattr_truncate_and_mode)
{
	struct uk_9p_setattr sa = { 0 };
	struct uk_9p_fid *f;
	struct stat st;

	UK_TEST_ASSERT(server() == 0);
	UK_TEST_EQ(uk_9p_lcreate(S.root, "t.txt", UK_9P_O_RDWR, 0644,
				 UK_9P_NOGID, &f), 0);
	UK_TEST_EQ(uk_9p_write(f, 0, "0123456789abcdef", 16), 16);
	sa.valid = UK_9P_SETATTR_SIZE;
	sa.size = 10;
	UK_TEST_EQ(uk_9p_setattr(f, &sa), 0);
	sa.valid = UK_9P_SETATTR_MODE;
	sa.mode = 0600;
	UK_TEST_EQ(uk_9p_setattr(f, &sa), 0);
	sa.valid = UK_9P_SETATTR_MTIME | UK_9P_SETATTR_MTIME_SET;
	sa.mtime_sec = 1000000000;
	UK_TEST_EQ(uk_9p_setattr(f, &sa), 0);
	UK_TEST_EQ(stat(host("t.txt"), &st), 0);
	UK_TEST_EQ(st.st_size, 10);
	UK_TEST_EQ(st.st_mode & 0777, 0600);
	UK_TEST_EQ(st.st_mtime, 1000000000);
	UK_TEST_EQ(uk_9p_clunk(f), 0);
	UK_TEST_EQ(uk_9p_unlinkat(S.root, "t.txt", 0), 0);
}

UK_TEST(diod_statfs_matches_host)
{
	struct uk_9p_statfs s;
	struct statvfs v;

	UK_TEST_ASSERT(server() == 0);
	UK_TEST_EQ(uk_9p_statfs(S.root, &s), 0);
	UK_TEST_EQ(statvfs(S.d.dir, &v), 0);
	UK_TEST_EQ(s.bsize, v.f_bsize);
	UK_TEST_EQ(s.blocks, v.f_blocks);
	UK_TEST_EQ(s.files, v.f_files);
	UK_TEST_EQ(s.namelen, v.f_namemax);
}

UK_TEST(diod_errors_reach_the_caller)
{
	struct uk_9p_fid *f, *g;
	uint8_t b[16];

	UK_TEST_ASSERT(server() == 0);
	UK_TEST_EQ(uk_9p_walk_path(S.root, "nope/deeper", &f), -ENOENT);
	UK_TEST_EQ(uk_9p_lcreate(S.root, "x", UK_9P_O_RDWR, 0644, UK_9P_NOGID,
				 &f), 0);
	UK_TEST_EQ(uk_9p_lcreate(S.root, "x", UK_9P_O_RDWR | UK_9P_O_CREAT |
				 UK_9P_O_EXCL, 0644, UK_9P_NOGID, &g),
		   -EEXIST);
	UK_TEST_EQ(uk_9p_clunk(f), 0);
	/* Reading a fid that was never opened. */
	UK_TEST_EQ(uk_9p_walk_path(S.root, "x", &f), 0);
	UK_TEST_ASSERT(uk_9p_read(f, 0, b, sizeof(b)) < 0);
	/* Walking through a file. */
	UK_TEST_ASSERT(uk_9p_walk_path(f, "y", &g) < 0);
	UK_TEST_EQ(uk_9p_clunk(f), 0);
	UK_TEST_EQ(uk_9p_unlinkat(S.root, "x", 0), 0);
}

/* Enough entries to take several Treaddir rounds from the offsets. */
UK_TEST(diod_readdir_many_entries)
{
	char name[128], path[256];
	unsigned int n;
	int i, fd;

	UK_TEST_ASSERT(server() == 0);
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name),
			 "entry-with-a-rather-long-name-%03d", i);
		snprintf(path, sizeof(path), "%s/%s", S.d.dir, name);
		fd = open(path, O_CREAT | O_WRONLY, 0644);
		UK_TEST_ASSERT(fd >= 0);
		close(fd);
	}
	UK_TEST_EQ(listed("entry-with-a-rather-long-name-199", &n), 8);
	UK_TEST_EQ(n, 202);
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name),
			 "entry-with-a-rather-long-name-%03d", i);
		UK_TEST_EQ(uk_9p_unlinkat(S.root, name, 0), 0);
	}
	UK_TEST_EQ(listed("entry-with-a-rather-long-name-199", &n), -1);
	UK_TEST_EQ(n, 2);
}
