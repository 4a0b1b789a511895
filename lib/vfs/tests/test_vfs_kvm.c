/*
 * The VFS in the kernel (the vfs-test image, booted by vfs_kvm.sh with a
 * tar archive as QEMU's -initrd): the root ramfs and a tarfs of the
 * initrd through the POSIX API of nolibc (open, read, write, lseek,
 * stat, opendir/readdir, rename, dup2, statvfs...), poll() and select()
 * over a file and TCP sockets on lwIP's loopback (read() and write() on
 * the sockets too), and the vfs_* metrics in the store.  vfs_kvm.sh
 * writes the archive: hello.txt, dir/sub/blob.bin (100000 bytes, byte i
 * is (7 i + 3) mod 251), a name longer than 100 bytes, an empty folder.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <uk/lwip.h>
#include <uk/store.h>
#include <uk/tarfs.h>
#include <uk/test.h>
#include <uk/vfs.h>

#define BLOB 100000
#define LONGX 120   /* vfs_kvm.sh: long/xxx...x.txt, 120 x */

static long long store_u(const char *path)
{
	struct uk_store_value v;
	int rc = uk_store_read_path(path, &v);

	return rc ? rc : (long long)v.u;
}

static const char *store_s(const char *path)
{
	struct uk_store_value v;

	return uk_store_read_path(path, &v) ? "" : v.str;
}

/* Mounts the initrd on /data, once (cases run in any order). */
static int data_mounted(void)
{
	struct stat st;

	if (!stat("/data/hello.txt", &st))
		return 1;
	mkdir("/data", 0755);
	/* data NULL: the platform's initrd. */
	return !uk_vfs_mount("initrd", "/data", "tarfs", 0, NULL, NULL);
}

UK_TEST(kvm_root_ramfs_posix)
{
	static char big[4096];
	struct statvfs sv, sv2;
	struct dirent *de;
	struct stat st;
	char buf[64];
	int fd, fd2, n = 0;
	DIR *d;

	UK_TEST_EQ(mkdir("/work", 0755), 0);
	fd = open("/work/a.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
	UK_TEST_ASSERT(fd >= 3);
	UK_TEST_EQ(write(fd, "kernel files\n", 13), 13);
	UK_TEST_EQ(lseek(fd, 7, SEEK_SET), 7);
	UK_TEST_EQ(read(fd, buf, sizeof(buf)), 6);
	UK_TEST_EQ(memcmp(buf, "files\n", 6), 0);
	UK_TEST_EQ(pwrite(fd, "K", 1, 0), 1);
	UK_TEST_EQ(pread(fd, buf, 6, 0), 6);
	UK_TEST_EQ(memcmp(buf, "Kernel", 6), 0);
	UK_TEST_EQ(fstat(fd, &st), 0);
	UK_TEST_EQ(st.st_size, 13);
	UK_TEST_ASSERT(S_ISREG(st.st_mode));
	/* dup2 over stdout's number, and back to the console. */
	fd2 = dup(1);
	UK_TEST_EQ(dup2(fd, 1), 1);
	UK_TEST_EQ(write(1, "!", 1), 1);
	UK_TEST_EQ(dup2(fd2, 1), 1);
	UK_TEST_EQ(close(fd2), 0);
	UK_TEST_EQ(stat("/work/a.txt", &st), 0);
	UK_TEST_EQ(st.st_size, 14);   /* the '!' went at the shared offset */
	UK_TEST_EQ(ftruncate(fd, 6), 0);
	UK_TEST_EQ(fsync(fd), 0);
	UK_TEST_EQ(close(fd), 0);
	UK_TEST_EQ(close(fd), -1);
	UK_TEST_EQ(errno, EBADF);
	/* Errors arrive in errno. */
	UK_TEST_EQ(open("/work/missing", O_RDONLY), -1);
	UK_TEST_EQ(errno, ENOENT);
	UK_TEST_EQ(mkdir("/work", 0755), -1);
	UK_TEST_EQ(errno, EEXIST);
	UK_TEST_EQ(rmdir("/work"), -1);
	UK_TEST_EQ(errno, ENOTEMPTY);
	UK_TEST_EQ(rename("/work/a.txt", "/work/b.txt"), 0);
	d = opendir("/work");
	UK_TEST_ASSERT(d != NULL);
	while ((de = readdir(d)))
		n += !strcmp(de->d_name, "b.txt") && de->d_type == DT_REG;
	UK_TEST_EQ(closedir(d), 0);
	UK_TEST_EQ(n, 1);
	/* Half the heap by default; 64 KiB written take 16 blocks. */
	UK_TEST_EQ(statvfs("/work", &sv), 0);
	UK_TEST_ASSERT(sv.f_blocks > 0 && sv.f_bfree <= sv.f_blocks);
	fd = open("/work/b.txt", O_WRONLY | O_APPEND);
	for (n = 0; n < 16; n++)
		UK_TEST_EQ(write(fd, big, sizeof(big)), (long)sizeof(big));
	close(fd);
	UK_TEST_EQ(statvfs("/work", &sv2), 0);
	UK_TEST_ASSERT(sv2.f_bfree + 16 <= sv.f_bfree);
	UK_TEST_EQ(unlink("/work/b.txt"), 0);
	UK_TEST_EQ(rmdir("/work"), 0);
}

UK_TEST(kvm_tarfs_initrd)
{
	static unsigned char buf[BLOB + 16];
	struct dirent *de;
	struct stat st;
	char names[256] = "";
	int fd, bad = 0;
	long i, got = 0, n;
	DIR *d;

	UK_TEST_ASSERT(data_mounted());
	fd = open("/data/hello.txt", O_RDONLY);
	UK_TEST_ASSERT(fd >= 0);
	n = read(fd, buf, sizeof(buf));
	UK_TEST_EQ(n, 22);
	UK_TEST_EQ(memcmp(buf, "hello from the initrd\n", 22), 0);
	close(fd);
	fd = open("/data/dir/sub/blob.bin", O_RDONLY);
	UK_TEST_ASSERT(fd >= 0);
	while ((n = read(fd, buf + got, 4096)) > 0)
		got += n;
	UK_TEST_EQ(got, BLOB);
	for (i = 0; i < BLOB; i++)
		bad += buf[i] != (unsigned char)((7 * i + 3) % 251);
	UK_TEST_EQ(bad, 0);
	UK_TEST_EQ(fstat(fd, &st), 0);
	UK_TEST_EQ(st.st_size, BLOB);
	close(fd);
	strcpy(names, "/data/long/");
	memset(names + 11, 'x', LONGX);
	strcpy(names + 11 + LONGX, ".txt");
	UK_TEST_EQ(stat(names, &st), 0);
	names[0] = 0;
	UK_TEST_EQ(st.st_size, 10);
	UK_TEST_EQ(stat("/data/emptydir", &st), 0);
	UK_TEST_ASSERT(S_ISDIR(st.st_mode));
	d = opendir("/data");
	UK_TEST_ASSERT(d != NULL);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			strcat(names, de->d_name);
			strcat(names, " ");
		}
	closedir(d);
	UK_TEST_ASSERT(strstr(names, "hello.txt ") && strstr(names, "dir ") &&
		       strstr(names, "long ") && strstr(names, "emptydir "));
	/* Read-only. */
	UK_TEST_EQ(open("/data/hello.txt", O_WRONLY), -1);
	UK_TEST_EQ(errno, EROFS);
	UK_TEST_EQ(unlink("/data/hello.txt"), -1);
	UK_TEST_EQ(errno, EROFS);
	/* ".." from the mount leads back to the root. */
	UK_TEST_EQ(stat("/data/dir/../../data/hello.txt", &st), 0);
}

static int listen_on(struct sockaddr_in *sa)
{
	int lfd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(7777);
	inet_pton(AF_INET, "127.0.0.1", &sa->sin_addr);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)sa, sizeof(*sa)) || listen(lfd, 4))
		return -1;
	return lfd;
}

UK_TEST(kvm_poll_file_and_socket)
{
	struct sockaddr_in sa;
	struct pollfd p[3];
	struct timeval tv = { 1, 0 };
	struct stat st;
	fd_set rd;
	char buf[32];
	int f, lfd, c, s;

	UK_TEST_EQ(uk_lwip_init(), 0);
	f = open("/pollfile", O_CREAT | O_RDWR, 0644);
	UK_TEST_ASSERT(f >= 3);
	lfd = listen_on(&sa);
	UK_TEST_ASSERT(lfd > f);
	UK_TEST_EQ(fstat(lfd, &st), 0);
	UK_TEST_ASSERT(S_ISSOCK(st.st_mode));
	/* Nothing pending on the socket: the file alone is ready. */
	p[0] = (struct pollfd){ f, POLLIN | POLLOUT, 0 };
	p[1] = (struct pollfd){ lfd, POLLIN, 0 };
	UK_TEST_EQ(poll(p, 2, 5000), 1);
	UK_TEST_EQ(p[0].revents, POLLIN | POLLOUT);
	UK_TEST_EQ(p[1].revents, 0);
	UK_TEST_EQ(poll(&p[1], 1, 20), 0);   /* times out */
	/* A client connects: the listener becomes readable. */
	c = socket(AF_INET, SOCK_STREAM, 0);
	UK_TEST_EQ(connect(c, (struct sockaddr *)&sa, sizeof(sa)), 0);
	UK_TEST_EQ(poll(&p[1], 1, 5000), 1);
	UK_TEST_ASSERT(p[1].revents & POLLIN);
	s = accept(lfd, NULL, NULL);
	UK_TEST_ASSERT(s >= 0);
	/* write() and read() on sockets, poll() across kinds. */
	UK_TEST_EQ(write(c, "ping", 4), 4);
	p[0] = (struct pollfd){ s, POLLIN, 0 };
	p[1] = (struct pollfd){ c, POLLIN, 0 };
	UK_TEST_EQ(poll(p, 2, 5000), 1);
	UK_TEST_EQ(p[0].revents, POLLIN);
	UK_TEST_EQ(read(s, buf, sizeof(buf)), 4);
	UK_TEST_EQ(memcmp(buf, "ping", 4), 0);
	UK_TEST_EQ(send(s, "pong", 4, 0), 4);
	p[0] = (struct pollfd){ c, POLLIN, 0 };
	UK_TEST_EQ(poll(p, 1, 5000), 1);
	FD_ZERO(&rd);
	FD_SET(c, &rd);
	FD_SET(f, &rd);
	UK_TEST_EQ(select(c + 1, &rd, NULL, NULL, &tv), 2);
	UK_TEST_EQ(recv(c, buf, sizeof(buf), 0), 4);
	UK_TEST_EQ(memcmp(buf, "pong", 4), 0);
	/* File calls on a socket and socket calls on a file. */
	UK_TEST_EQ(lseek(s, 0, SEEK_SET), -1);
	UK_TEST_EQ(errno, ESPIPE);
	UK_TEST_EQ(send(f, "x", 1, 0), -1);
	UK_TEST_EQ(errno, ENOTSOCK);
	/* A closed peer: poll reports it, read returns 0. */
	UK_TEST_EQ(close(c), 0);
	p[0] = (struct pollfd){ s, POLLIN, 0 };
	UK_TEST_EQ(poll(p, 1, 5000), 1);
	UK_TEST_EQ(read(s, buf, sizeof(buf)), 0);
	UK_TEST_EQ(close(s), 0);
	UK_TEST_EQ(close(lfd), 0);
	UK_TEST_EQ(close(f), 0);
	UK_TEST_EQ(unlink("/pollfile"), 0);
}

UK_TEST(kvm_vfs_metrics)
{
	long long reads0, rbytes0, opens0, errors0, writes0, wbytes0;
	char buf[64];
	int fd;

	UK_TEST_ASSERT(data_mounted());
	reads0 = store_u("vfs/data/reads");
	rbytes0 = store_u("vfs/data/read_bytes");
	opens0 = store_u("vfs/data/opens");
	errors0 = store_u("vfs/data/errors");
	writes0 = store_u("vfs/-/writes");
	wbytes0 = store_u("vfs/-/written_bytes");
	UK_TEST_ASSERT(reads0 >= 0 && writes0 >= 0);
	fd = open("/data/hello.txt", O_RDONLY);
	UK_TEST_EQ(read(fd, buf, sizeof(buf)), 22);
	UK_TEST_EQ(read(fd, buf, sizeof(buf)), 0);
	UK_TEST_EQ(store_u("vfs/open_files"), 4);
	close(fd);
	UK_TEST_EQ(store_u("vfs/open_files"), 3);
	UK_TEST_EQ(open("/data/nope", O_RDONLY), -1);
	fd = open("/m.txt", O_CREAT | O_WRONLY, 0644);
	UK_TEST_EQ(write(fd, "metrics", 7), 7);
	close(fd);
	UK_TEST_EQ(unlink("/m.txt"), 0);
	UK_TEST_EQ(store_u("vfs/max_open_files"), UK_VFS_FD_MAX);
	UK_TEST_EQ(store_u("vfs/data/reads"), reads0 + 2);
	UK_TEST_EQ(store_u("vfs/data/read_bytes"), rbytes0 + 22);
	UK_TEST_EQ(store_u("vfs/data/opens"), opens0 + 1);
	UK_TEST_EQ(store_u("vfs/data/errors"), errors0 + 1);
	UK_TEST_EQ(store_u("vfs/-/writes"), writes0 + 1);
	UK_TEST_EQ(store_u("vfs/-/written_bytes"), wbytes0 + 7);
	UK_TEST_EQ(store_u("vfs/data/readonly"), 1);
	UK_TEST_ASSERT(store_u("vfs/data/size") > BLOB);
	UK_TEST_EQ(store_u("vfs/data/free"), 0);
	UK_TEST_ASSERT(store_u("vfs/-/size") > 0);
	UK_TEST_STREQ(store_s("vfs/data/fstype"), "tarfs");
	UK_TEST_STREQ(store_s("vfs/data/device"), "initrd");
	UK_TEST_STREQ(store_s("vfs/-/fstype"), "ramfs");
	UK_TEST_STREQ(store_s("vfs/-/device"), "ramfs");
}
