/*
 * The POSIX file API of the kernel (declared by nolibc's fcntl.h,
 * unistd.h, sys/stat.h, sys/statvfs.h, dirent.h, poll.h, sys/select.h and
 * stdio.h's rename): each call is its uk_vfs_* function with the negative
 * errno moved into errno and -1 returned, once, here (musl's
 * __syscall_ret).  kvm only: on linuxu these names are glibc's.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <uk/vfs.h>

/* A result of the VFS as a POSIX one. */
static long ret(long r)
{
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

/*
 * Each call below returns what its uk_vfs_* counterpart returns (see
 * uk/vfs.h for its meaning and its errors) when that is not negative,
 * else -1 with errno set to the error.
 */
int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return (int)ret(uk_vfs_open(path, flags, mode));
}

int creat(const char *path, mode_t mode)
{
	return (int)ret(uk_vfs_open(path, O_WRONLY | O_CREAT | O_TRUNC, mode));
}

int fcntl(int fd, int cmd, ...)
{
	long arg = 0;
	va_list ap;

	va_start(ap, cmd);
	if (cmd != F_GETFD && cmd != F_GETFL)
		arg = va_arg(ap, int);
	va_end(ap);
	return (int)ret(uk_vfs_fcntl(fd, cmd, arg));
}

ssize_t read(int fd, void *buf, size_t n)
{
	return ret(uk_vfs_read(fd, buf, n));
}

ssize_t write(int fd, const void *buf, size_t n)
{
	return ret(uk_vfs_write(fd, buf, n));
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	return ret(uk_vfs_pread(fd, buf, n, off));
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	return ret(uk_vfs_pwrite(fd, buf, n, off));
}

off_t lseek(int fd, off_t off, int whence)
{
	return ret(uk_vfs_lseek(fd, off, whence));
}

int close(int fd)
{
	return (int)ret(uk_vfs_close(fd));
}

int dup(int fd)
{
	return (int)ret(uk_vfs_dup(fd));
}

int dup2(int fd, int newfd)
{
	return (int)ret(uk_vfs_dup2(fd, newfd));
}

int fsync(int fd)
{
	return (int)ret(uk_vfs_fsync(fd));
}

int ftruncate(int fd, off_t len)
{
	return (int)ret(uk_vfs_ftruncate(fd, len));
}

int truncate(const char *path, off_t len)
{
	return (int)ret(uk_vfs_truncate(path, len));
}

int unlink(const char *path)
{
	return (int)ret(uk_vfs_unlink(path));
}

int rmdir(const char *path)
{
	return (int)ret(uk_vfs_rmdir(path));
}

int mkdir(const char *path, mode_t mode)
{
	return (int)ret(uk_vfs_mkdir(path, mode));
}

int rename(const char *from, const char *to)
{
	return (int)ret(uk_vfs_rename(from, to));
}

int stat(const char *restrict path, struct stat *restrict st)
{
	return (int)ret(uk_vfs_stat(path, st));
}

int lstat(const char *restrict path, struct stat *restrict st)
{
	return (int)ret(uk_vfs_stat(path, st));
}

int fstat(int fd, struct stat *st)
{
	return (int)ret(uk_vfs_fstat(fd, st));
}

int statvfs(const char *restrict path, struct statvfs *restrict sv)
{
	return (int)ret(uk_vfs_statvfs(path, sv));
}

int fstatvfs(int fd, struct statvfs *sv)
{
	return (int)ret(uk_vfs_fstatvfs(fd, sv));
}

int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	return (int)ret(uk_vfs_poll(fds, n, timeout));
}

/*
 * select() as one poll() over the descriptors named in the sets: the
 * number of bits left set, or -1 with errno EINVAL (bad n or timeout),
 * EBADF (a descriptor not open), ENOMEM.
 */
int select(int n, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *tv)
{
	struct pollfd *p;
	int i, k = 0, r, timeout = -1;

	if (n < 0 || n > FD_SETSIZE) {
		errno = EINVAL;
		return -1;
	}
	if (tv) {
		if (tv->tv_sec < 0 || tv->tv_usec < 0) {
			errno = EINVAL;
			return -1;
		}
		timeout = tv->tv_sec > 2000000 ? 2000000000 :
			  (int)(tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000);
	}
	p = calloc((size_t)(n ? n : 1), sizeof(*p));
	if (!p) {
		errno = ENOMEM;
		return -1;
	}
	for (i = 0; i < n; i++) {
		short ev = 0;

		if (rd && FD_ISSET(i, rd))
			ev |= POLLIN;
		if (wr && FD_ISSET(i, wr))
			ev |= POLLOUT;
		if (ex && FD_ISSET(i, ex))
			ev |= POLLPRI;
		if (ev) {
			p[k].fd = i;
			p[k++].events = ev;
		}
	}
	r = uk_vfs_poll(p, (nfds_t)k, timeout);
	if (r >= 0) {
		for (i = 0; i < k && !(p[i].revents & POLLNVAL); i++)
			;
		if (i < k) {
			r = -EBADF;
		} else {
			if (rd)
				FD_ZERO(rd);
			if (wr)
				FD_ZERO(wr);
			if (ex)
				FD_ZERO(ex);
			r = 0;
			for (i = 0; i < k; i++) {
				short re = p[i].revents;

				if (rd && (re & (POLLIN | POLLHUP | POLLERR))
				    && (p[i].events & POLLIN)) {
					FD_SET(p[i].fd, rd);
					r++;
				}
				if (wr && (re & (POLLOUT | POLLERR)) &&
				    (p[i].events & POLLOUT)) {
					FD_SET(p[i].fd, wr);
					r++;
				}
				if (ex && (re & POLLPRI) &&
				    (p[i].events & POLLPRI)) {
					FD_SET(p[i].fd, ex);
					r++;
				}
			}
		}
	}
	free(p);
	return (int)ret(r);
}

/* ---- directory streams ----------------------------------------------- */

/*
 * A DIR is a descriptor and the entry readdir() returns.  opendir and
 * fdopendir return NULL with errno on failure (ENOTDIR, ENOENT, EBADF,
 * ENOMEM...); readdir returns NULL at the end (errno unchanged) or with
 * errno set on an error; closedir returns 0 or -1 and EBADF.
 */

struct __nolibc_dir {
	int fd;
	struct dirent ent;
};

DIR *fdopendir(int fd)
{
	struct stat st;
	DIR *d;

	if (uk_vfs_fstat(fd, &st)) {
		errno = EBADF;
		return NULL;
	}
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		errno = ENOMEM;
		return NULL;
	}
	d->fd = fd;
	return d;
}

DIR *opendir(const char *path)
{
	int fd = uk_vfs_open(path, O_RDONLY | O_DIRECTORY, 0);
	DIR *d;

	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	d = fdopendir(fd);
	if (!d)
		uk_vfs_close(fd);
	return d;
}

struct dirent *readdir(DIR *d)
{
	struct uk_vfs_dirent e;
	int r = uk_vfs_readdir(d->fd, &e);

	if (r <= 0) {
		if (r < 0)
			errno = -r;
		return NULL;
	}
	d->ent.d_ino = e.ino;
	d->ent.d_off++;
	d->ent.d_reclen = sizeof(d->ent);
	d->ent.d_type = e.type;
	memcpy(d->ent.d_name, e.name, sizeof(d->ent.d_name));
	return &d->ent;
}

void rewinddir(DIR *d)
{
	uk_vfs_rewinddir(d->fd);
	d->ent.d_off = 0;
}

int closedir(DIR *d)
{
	int r = uk_vfs_close(d->fd);

	free(d);
	return (int)ret(r);
}

int dirfd(DIR *d)
{
	return d->fd;
}
