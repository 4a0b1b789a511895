/*
 * VFS unit tests, part 2: the descriptor table.  Lowest-free allocation,
 * -EMFILE at the limit (before anything is created), dup and dup2 (over
 * an open descriptor, whose object is released exactly once), shared
 * offsets, fcntl, the console at 0..2, objects of another kind (a fake
 * socket with its own poll), and poll() across kinds.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <uk/test.h>
#include <uk/vfs.h>
#include <uk/vfs_file.h>

#include "test_vfs.h"

/* ---- a fake kind: "ready" decides its poll, release is counted ---- */

struct fake {
	struct uk_vfs_file f;
	int ready;
	int released;
	int polls;
	int last_timeout;
};

static ssize_t fake_read(struct uk_vfs_file *f, void *buf, size_t n)
{
	return ((struct fake *)f)->ready ? 0 : -EAGAIN;
}

static int fake_setfl(struct uk_vfs_file *f, int fl)
{
	return fl & O_APPEND ? -EINVAL : 0;
}

static int fake_poll(struct uk_vfs_pollreq *r, unsigned int n, int timeout)
{
	unsigned int i;
	int k = 0;

	for (i = 0; i < n; i++) {
		struct fake *x = (struct fake *)r[i].file;

		x->polls++;
		x->last_timeout = timeout;
		r[i].revents = x->ready ? (r[i].events & POLLIN) : 0;
		k += r[i].revents != 0;
	}
	return k;
}

static void fake_release(struct uk_vfs_file *f)
{
	((struct fake *)f)->released++;
}

static const struct uk_vfs_file_ops fake_ops = {
	.read = fake_read,
	.setfl = fake_setfl,
	.poll = fake_poll,
	.release = fake_release,
};

static int fake_open(struct fake *x, int ready)
{
	int fd;

	memset(x, 0, sizeof(*x));
	x->ready = ready;
	uk_vfs_file_init(&x->f, &fake_ops, O_RDWR);
	fd = uk_vfs_fd_alloc(&x->f);
	uk_vfs_file_put(&x->f);  /* the creator's reference */
	return fd;
}

UK_TEST(fds_lowest_free_and_emfile)
{
	int fds[16], i, n, old;
	struct stat st;

	tv_fresh_root();
	UK_TEST_EQ(tv_put("/f", "data"), 0);
	old = (int)uk_vfs_fd_limit(8);
	UK_TEST_EQ(old, UK_VFS_FD_MAX);
	for (n = 0; n < 16; n++) {
		fds[n] = uk_vfs_open("/f", O_RDONLY, 0);
		if (fds[n] < 0)
			break;
		UK_TEST_EQ(fds[n], 3 + n);  /* the console holds 0..2 */
	}
	UK_TEST_EQ(n, 5);
	UK_TEST_EQ(fds[n], -EMFILE);
	UK_TEST_EQ(uk_vfs_fd_count(), 8);
	/* -EMFILE comes first: nothing is created. */
	UK_TEST_EQ(uk_vfs_open("/new", O_CREAT | O_RDWR, 0644), -EMFILE);
	UK_TEST_EQ(uk_vfs_stat("/new", &st), -ENOENT);
	UK_TEST_EQ(uk_vfs_dup(fds[0]), -EMFILE);
	UK_TEST_EQ(uk_vfs_fcntl(fds[0], F_DUPFD, 0), -EMFILE);
	/* A freed slot is the next one used. */
	UK_TEST_EQ(uk_vfs_close(fds[2]), 0);
	UK_TEST_EQ(uk_vfs_open("/f", O_RDONLY, 0), fds[2]);
	UK_TEST_EQ(uk_vfs_dup2(fds[0], 8), -EBADF); /* beyond the limit */
	for (i = 0; i < n; i++)
		UK_TEST_EQ(uk_vfs_close(fds[i]), 0);
	UK_TEST_EQ(uk_vfs_close(fds[0]), -EBADF);
	UK_TEST_EQ(uk_vfs_close(-1), -EBADF);
	UK_TEST_EQ(uk_vfs_close(UK_VFS_FD_MAX), -EBADF);
	uk_vfs_fd_limit((unsigned int)old);
	UK_TEST_EQ(uk_vfs_fd_count(), 3);
}

UK_TEST(fds_dup_shares_offset_and_flags)
{
	char b[16];
	int a, d;

	tv_fresh_root();
	UK_TEST_EQ(tv_put("/f", "0123456789"), 0);
	a = uk_vfs_open("/f", O_RDWR, 0);
	d = uk_vfs_dup(a);
	UK_TEST_ASSERT(a >= 3 && d == a + 1);
	UK_TEST_EQ(uk_vfs_read(a, b, 4), 4);
	UK_TEST_EQ(uk_vfs_read(d, b, 2), 2);  /* one offset for both */
	UK_TEST_EQ(memcmp(b, "45", 2), 0);
	UK_TEST_EQ(uk_vfs_lseek(d, 0, SEEK_CUR), 6);
	UK_TEST_EQ(uk_vfs_fcntl(a, F_GETFL, 0), O_RDWR);
	UK_TEST_EQ(uk_vfs_fcntl(d, F_SETFL, O_APPEND), 0);
	UK_TEST_EQ(uk_vfs_fcntl(a, F_GETFL, 0), O_RDWR | O_APPEND);
	UK_TEST_EQ(uk_vfs_write(a, "ab", 2), 2);
	UK_TEST_EQ(tv_size("/f"), 12);           /* appended */
	UK_TEST_EQ(uk_vfs_fcntl(a, F_GETFD, 0), 0);
	UK_TEST_EQ(uk_vfs_fcntl(a, F_SETFD, FD_CLOEXEC), 0);
	UK_TEST_EQ(uk_vfs_fcntl(a, F_GETFD, 0), FD_CLOEXEC);
	UK_TEST_EQ(uk_vfs_fcntl(d, F_GETFD, 0), 0); /* per descriptor */
	UK_TEST_EQ(uk_vfs_fcntl(a, F_DUPFD, 40), 40);
	UK_TEST_EQ(uk_vfs_fcntl(a, 12345, 0), -EINVAL);
	UK_TEST_EQ(uk_vfs_fcntl(99, F_GETFL, 0), -EBADF);
	UK_TEST_EQ(uk_vfs_close(40), 0);
	UK_TEST_EQ(uk_vfs_close(d), 0);
	UK_TEST_EQ(uk_vfs_close(a), 0);
}

UK_TEST(fds_dup2_over_open)
{
	struct fake x, y;
	int fx, fy, f;

	tv_fresh_root();
	UK_TEST_EQ(tv_put("/f", "abc"), 0);
	fx = fake_open(&x, 1);
	fy = fake_open(&y, 0);
	UK_TEST_ASSERT(fx >= 3 && fy == fx + 1);
	f = uk_vfs_open("/f", O_RDONLY, 0);
	/* fy's object is closed, exactly once; fy now reads the file. */
	UK_TEST_EQ(uk_vfs_dup2(f, fy), fy);
	UK_TEST_EQ(y.released, 1);
	UK_TEST_EQ(uk_vfs_lseek(fy, 0, SEEK_END), 3);
	UK_TEST_EQ(uk_vfs_dup2(f, f), f);
	UK_TEST_EQ(uk_vfs_dup2(fy, -1), -EBADF);
	UK_TEST_EQ(uk_vfs_dup2(77, fy), -EBADF);
	/* dup2 onto itself of a fake keeps it; closing the last releases. */
	UK_TEST_EQ(uk_vfs_dup2(fx, fx), fx);
	UK_TEST_EQ(uk_vfs_dup2(fx, 30), 30);
	UK_TEST_EQ(uk_vfs_close(fx), 0);
	UK_TEST_EQ(x.released, 0);
	UK_TEST_EQ(uk_vfs_close(30), 0);
	UK_TEST_EQ(x.released, 1);
	UK_TEST_EQ(uk_vfs_close(fy), 0);
	UK_TEST_EQ(uk_vfs_close(f), 0);
}

UK_TEST(fds_other_kinds)
{
	struct stat st;
	struct fake x;
	char b[4];
	int fx;

	tv_fresh_root();
	fx = fake_open(&x, 0);
	/* What a socket cannot do, it refuses as POSIX says. */
	UK_TEST_EQ(uk_vfs_read(fx, b, 4), -EAGAIN);
	UK_TEST_EQ(uk_vfs_write(fx, b, 4), -EINVAL);
	UK_TEST_EQ(uk_vfs_lseek(fx, 0, SEEK_SET), -ESPIPE);
	UK_TEST_EQ(uk_vfs_pread(fx, b, 4, 0), -ESPIPE);
	UK_TEST_EQ(uk_vfs_pwrite(fx, b, 4, 0), -ESPIPE);
	UK_TEST_EQ(uk_vfs_ftruncate(fx, 0), -EINVAL);
	UK_TEST_EQ(uk_vfs_fsync(fx), -EINVAL);
	UK_TEST_EQ(uk_vfs_readdir(fx, &(struct uk_vfs_dirent){ 0 }),
		   -ENOTDIR);
	/* F_SETFL goes through the kind, which may refuse. */
	UK_TEST_EQ(uk_vfs_fcntl(fx, F_SETFL, O_NONBLOCK), 0);
	UK_TEST_EQ(uk_vfs_fcntl(fx, F_GETFL, 0), O_RDWR | O_NONBLOCK);
	UK_TEST_EQ(uk_vfs_fcntl(fx, F_SETFL, O_APPEND), -EINVAL);
	UK_TEST_EQ(uk_vfs_fcntl(fx, F_GETFL, 0), O_RDWR | O_NONBLOCK);
	UK_TEST_EQ(uk_vfs_close(fx), 0);
	UK_TEST_EQ(x.released, 1);
	/* The console. */
	UK_TEST_EQ(uk_vfs_fstat(1, &st), 0);
	UK_TEST_ASSERT(S_ISCHR(st.st_mode));
	UK_TEST_EQ(uk_vfs_write(2, "(console) ", 10), 10);
	UK_TEST_EQ(uk_vfs_read(1, b, 1), -EBADF);
	UK_TEST_EQ(uk_vfs_write(0, b, 1), -EBADF);
}

UK_TEST(fds_poll_across_kinds)
{
	struct pollfd p[4];
	struct fake x, y;
	int f, fx, fy;

	tv_fresh_root();
	UK_TEST_EQ(tv_put("/f", "abc"), 0);
	f = uk_vfs_open("/f", O_RDONLY, 0);
	fx = fake_open(&x, 0);
	fy = fake_open(&y, 1);
	/* Files are always ready; a closed descriptor is POLLNVAL; a
	 * negative one is skipped. */
	p[0] = (struct pollfd){ f, POLLIN | POLLOUT, 0 };
	p[1] = (struct pollfd){ 99, POLLIN, 0 };
	p[2] = (struct pollfd){ -1, POLLIN, 7 };
	p[3] = (struct pollfd){ fx, POLLIN, 0 };
	UK_TEST_EQ(uk_vfs_poll(p, 4, -1), 2);
	UK_TEST_EQ(p[0].revents, POLLIN | POLLOUT);
	UK_TEST_EQ(p[1].revents, POLLNVAL);
	UK_TEST_EQ(p[2].revents, 0);
	UK_TEST_EQ(p[3].revents, 0);
	UK_TEST_EQ(x.last_timeout, 0);   /* something ready: no waiting */
	/* Sockets alone: their own poll waits, with the timeout. */
	p[0] = (struct pollfd){ fx, POLLIN, 0 };
	p[1] = (struct pollfd){ fy, POLLIN, 0 };
	UK_TEST_EQ(uk_vfs_poll(p, 2, 25), 1);
	UK_TEST_EQ(x.last_timeout, 25);
	UK_TEST_EQ(p[1].revents, POLLIN);
	x.polls = 0;
	UK_TEST_EQ(uk_vfs_poll(p, 1, 0), 0);
	UK_TEST_EQ(x.polls, 1);
	/* A file with a socket: ready at once. */
	p[1] = (struct pollfd){ f, POLLIN, 0 };
	UK_TEST_EQ(uk_vfs_poll(p, 2, -1), 1);
	UK_TEST_EQ(p[1].revents, POLLIN);
	/* Nothing to wait for but time. */
	UK_TEST_EQ(uk_vfs_poll(NULL, 0, 1), 0);
	UK_TEST_EQ(uk_vfs_poll(p, UK_VFS_FD_MAX + 1, 0), -EINVAL);
	uk_vfs_close(f);
	uk_vfs_close(fx);
	uk_vfs_close(fy);
}

UK_TEST(fds_file_access_modes)
{
	char b[8];
	int r, w, d;

	tv_fresh_root();
	UK_TEST_EQ(tv_put("/f", "abc"), 0);
	UK_TEST_EQ(uk_vfs_mkdir("/d", 0755), 0);
	r = uk_vfs_open("/f", O_RDONLY, 0);
	w = uk_vfs_open("/f", O_WRONLY, 0);
	d = uk_vfs_open("/d", O_RDONLY, 0);
	UK_TEST_EQ(uk_vfs_write(r, "x", 1), -EBADF);
	UK_TEST_EQ(uk_vfs_read(w, b, 1), -EBADF);
	UK_TEST_EQ(uk_vfs_ftruncate(r, 0), -EINVAL);
	UK_TEST_EQ(uk_vfs_read(d, b, 1), -EISDIR);
	UK_TEST_EQ(uk_vfs_ftruncate(d, 0), -EINVAL);
	UK_TEST_EQ(uk_vfs_open("/d", O_WRONLY, 0), -EISDIR);
	UK_TEST_EQ(uk_vfs_open("/f", O_RDONLY | O_DIRECTORY, 0), -ENOTDIR);
	UK_TEST_EQ(uk_vfs_open("/f", O_ACCMODE, 0), -EINVAL);
	UK_TEST_EQ(uk_vfs_open("/n", O_CREAT | O_DIRECTORY, 0), -EINVAL);
	UK_TEST_EQ(uk_vfs_pread(r, b, 8, -1), -EINVAL);
	UK_TEST_EQ(uk_vfs_lseek(r, -1, SEEK_SET), -EINVAL);
	UK_TEST_EQ(uk_vfs_lseek(r, 0, 9), -EINVAL);
	UK_TEST_EQ(uk_vfs_lseek(r, 5, SEEK_END), 8);
	UK_TEST_EQ(uk_vfs_read(r, b, 8), 0);
	uk_vfs_close(r);
	uk_vfs_close(w);
	uk_vfs_close(d);
}
