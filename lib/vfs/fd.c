/*
 * The descriptor table: one array of open objects shared by files,
 * directories, the console and sockets, the calls that act on a
 * descriptor whatever it holds (read, write, close, dup, fcntl, poll...),
 * dispatched through the object's ops.
 *
 * Descriptors 0, 1 and 2 start out as the console (reads return what is
 * waiting on it, writes print), statically: nothing runs at boot.  A
 * slot may be reserved before its object exists, so that open() fails
 * with -EMFILE before it creates anything, as Linux's does; a reserved
 * slot is taken for allocation but not open for any call.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/lock.h>
#include <uk/plat/console.h>
#include <uk/plat/time.h>
#include <uk/thread.h>
#include <uk/vfs.h>
#include <uk/vfs_file.h>

#include "vfs_impl.h"

/* ---- the console -------------------------------------------------- */

static ssize_t con_read(struct uk_vfs_file *f, void *buf, size_t n)
{
	int r = uk_plat_console_read(buf, n);

	return r == 0 && n ? -EAGAIN : r;
}

static ssize_t con_write(struct uk_vfs_file *f, const void *buf, size_t n)
{
	return uk_plat_console_write(buf, n);
}

static int con_fstat(struct uk_vfs_file *f, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | 0620;
	st->st_nlink = 1;
	return 0;
}

static void con_release(struct uk_vfs_file *f)
{
	UK_ASSERT(0); /* a static reference is never dropped */
}

static const struct uk_vfs_file_ops con_ops = {
	.read = con_read,
	.write = con_write,
	.fstat = con_fstat,
	.release = con_release,
};

/* One reference per initial descriptor, plus a static one. */
static struct uk_vfs_file con_in = { &con_ops, 2, O_RDONLY };
static struct uk_vfs_file con_out = { &con_ops, 3, O_WRONLY };

/* ---- the table ------------------------------------------------------ */

static struct uk_vfs_file reserved; /* marks a reserved slot */
static struct uk_mutex fd_lock = UK_MUTEX_INITIALIZER;
static struct uk_vfs_file *fdtab[UK_VFS_FD_MAX] = {
	&con_in, &con_out, &con_out
};
static uint8_t fd_cloexec[UK_VFS_FD_MAX];
static unsigned int fd_limit = UK_VFS_FD_MAX;
static unsigned int fd_used = 3;

/* Sets up f with the creator's reference. */
void uk_vfs_file_init(struct uk_vfs_file *f, const struct uk_vfs_file_ops *ops,
		      int flags)
{
	f->ops = ops;
	f->refs = 1;
	f->flags = flags;
}

/* Takes another reference on f. */
void uk_vfs_file_hold(struct uk_vfs_file *f)
{
	uint32_t r = __atomic_add_fetch(&f->refs, 1, __ATOMIC_RELAXED);

	UK_ASSERT(r > 1);
}

/* Drops a reference on f; the last one releases it. */
void uk_vfs_file_put(struct uk_vfs_file *f)
{
	uint32_t r = __atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL);

	UK_ASSERT(r != UINT32_MAX);
	if (!r)
		f->ops->release(f);
}

static int lowest_free_locked(int from)
{
	int fd;

	if (fd_used >= fd_limit)  /* both change only under fd_lock */
		return -EMFILE;
	for (fd = from; fd < (int)fd_limit; fd++)
		if (!fdtab[fd])
			return fd;
	return -EMFILE;
}

static void take_locked(int fd, struct uk_vfs_file *f)
{
	UK_ASSERT(!fdtab[fd] || fdtab[fd] == &reserved);
	if (!fdtab[fd])
		__atomic_add_fetch(&fd_used, 1, __ATOMIC_RELAXED);
	fdtab[fd] = f;
	fd_cloexec[fd] = 0;
}

/* Reserves the lowest free descriptor: fd or -EMFILE. */
int _vfs_fd_reserve(void)
{
	int fd;

	uk_mutex_lock(&fd_lock);
	fd = lowest_free_locked(0);
	if (fd >= 0)
		take_locked(fd, &reserved);
	uk_mutex_unlock(&fd_lock);
	return fd;
}

/* Installs f, taking a reference, at reserved descriptor fd. */
void _vfs_fd_install(int fd, struct uk_vfs_file *f)
{
	uk_vfs_file_hold(f);
	uk_mutex_lock(&fd_lock);
	UK_ASSERT(fdtab[fd] == &reserved);
	fdtab[fd] = f;
	uk_mutex_unlock(&fd_lock);
}

/* Frees reserved descriptor fd. */
void _vfs_fd_unreserve(int fd)
{
	uk_mutex_lock(&fd_lock);
	UK_ASSERT(fdtab[fd] == &reserved);
	fdtab[fd] = NULL;
	__atomic_sub_fetch(&fd_used, 1, __ATOMIC_RELAXED);
	uk_mutex_unlock(&fd_lock);
}

/* Installs f at the lowest free descriptor: the descriptor or -EMFILE. */
int uk_vfs_fd_alloc(struct uk_vfs_file *f)
{
	int fd;

	uk_vfs_file_hold(f);
	uk_mutex_lock(&fd_lock);
	fd = lowest_free_locked(0);
	if (fd >= 0)
		take_locked(fd, f);
	uk_mutex_unlock(&fd_lock);
	if (fd < 0)
		uk_vfs_file_put(f);
	return fd;
}

/* The object open as fd, with a reference; NULL if fd is not open. */
struct uk_vfs_file *uk_vfs_fd_get(int fd)
{
	struct uk_vfs_file *f = NULL;

	if (fd < 0 || fd >= UK_VFS_FD_MAX)
		return NULL;
	uk_mutex_lock(&fd_lock);
	if (fdtab[fd] && fdtab[fd] != &reserved) {
		f = fdtab[fd];
		uk_vfs_file_hold(f);
	}
	uk_mutex_unlock(&fd_lock);
	return f;
}

/* Closes fd: 0 or -EBADF. */
int uk_vfs_close(int fd)
{
	struct uk_vfs_file *f = NULL;

	if (fd < 0 || fd >= UK_VFS_FD_MAX)
		return -EBADF;
	uk_mutex_lock(&fd_lock);
	if (fdtab[fd] && fdtab[fd] != &reserved) {
		f = fdtab[fd];
		fdtab[fd] = NULL;
		__atomic_sub_fetch(&fd_used, 1, __ATOMIC_RELAXED);
	}
	uk_mutex_unlock(&fd_lock);
	if (!f)
		return -EBADF;
	uk_vfs_file_put(f);
	return 0;
}

/* A new descriptor for fd's object, the lowest at or above from. */
static int dup_from(int fd, int from, int cloexec)
{
	struct uk_vfs_file *f;
	int nfd;

	uk_mutex_lock(&fd_lock);
	if (fd < 0 || fd >= UK_VFS_FD_MAX || !fdtab[fd] ||
	    fdtab[fd] == &reserved) {
		uk_mutex_unlock(&fd_lock);
		return -EBADF;
	}
	f = fdtab[fd];
	nfd = lowest_free_locked(from);
	if (nfd >= 0) {
		uk_vfs_file_hold(f);
		take_locked(nfd, f);
		fd_cloexec[nfd] = (uint8_t)cloexec;
	}
	uk_mutex_unlock(&fd_lock);
	return nfd;
}

/* The lowest free descriptor for fd's object: it, -EBADF or -EMFILE. */
int uk_vfs_dup(int fd)
{
	return dup_from(fd, 0, 0);
}

/* Makes newfd refer to fd's object: newfd, -EBADF or -EBUSY. */
int uk_vfs_dup2(int fd, int newfd)
{
	struct uk_vfs_file *f, *old;

	uk_mutex_lock(&fd_lock);
	if (fd < 0 || fd >= UK_VFS_FD_MAX || !fdtab[fd] ||
	    fdtab[fd] == &reserved || newfd < 0 ||
	    newfd >= (int)fd_limit) {
		uk_mutex_unlock(&fd_lock);
		return -EBADF;
	}
	if (fd == newfd) {
		uk_mutex_unlock(&fd_lock);
		return newfd;
	}
	old = fdtab[newfd];
	if (old == &reserved) {
		/* An open() is filling that slot right now (Linux: EBUSY). */
		uk_mutex_unlock(&fd_lock);
		return -EBUSY;
	}
	f = fdtab[fd];
	uk_vfs_file_hold(f);
	if (!old)
		__atomic_add_fetch(&fd_used, 1, __ATOMIC_RELAXED);
	fdtab[newfd] = f;
	fd_cloexec[newfd] = 0;
	uk_mutex_unlock(&fd_lock);
	if (old)
		uk_vfs_file_put(old);
	return newfd;
}

static int fd_open(int fd)
{
	struct uk_vfs_file *f = uk_vfs_fd_get(fd);

	if (!f)
		return 0;
	uk_vfs_file_put(f);
	return 1;
}

/* fcntl's commands (see uk/vfs.h). */
int uk_vfs_fcntl(int fd, int cmd, long arg)
{
	struct uk_vfs_file *f;
	int rc = 0, fl;

	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg < 0 || arg >= (long)uk_vfs_fd_limit(0))
			return fd_open(fd) ? -EINVAL : -EBADF;
		return dup_from(fd, (int)arg, cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
	case F_SETFD:
		uk_mutex_lock(&fd_lock);
		if (fd < 0 || fd >= UK_VFS_FD_MAX || !fdtab[fd] ||
		    fdtab[fd] == &reserved)
			rc = -EBADF;
		else if (cmd == F_GETFD)
			rc = fd_cloexec[fd] ? FD_CLOEXEC : 0;
		else
			fd_cloexec[fd] = (arg & FD_CLOEXEC) ? 1 : 0;
		uk_mutex_unlock(&fd_lock);
		return rc;
	case F_GETFL:
	case F_SETFL:
		break;
	default:
		return fd_open(fd) ? -EINVAL : -EBADF;
	}
	f = uk_vfs_fd_get(fd);
	if (!f)
		return -EBADF;
	if (cmd == F_GETFL) {
		rc = uk_vfs_file_flags(f);
	} else {
		fl = (uk_vfs_file_flags(f) & ~(O_APPEND | O_NONBLOCK)) |
		     ((int)arg & (O_APPEND | O_NONBLOCK));
		if (f->ops->setfl)
			rc = f->ops->setfl(f, fl);
		if (!rc)
			__atomic_store_n(&f->flags, fl, __ATOMIC_RELAXED);
	}
	uk_vfs_file_put(f);
	return rc;
}

/* Sets the descriptor limit (0: unchanged); returns the previous one. */
unsigned int uk_vfs_fd_limit(unsigned int n)
{
	unsigned int old;

	if (!n)
		return __atomic_load_n(&fd_limit, __ATOMIC_RELAXED);
	uk_mutex_lock(&fd_lock);
	old = fd_limit;
	if (n)
		__atomic_store_n(&fd_limit, n < UK_VFS_FD_MAX ? n
						: UK_VFS_FD_MAX,
				 __ATOMIC_RELAXED);
	uk_mutex_unlock(&fd_lock);
	return old;
}

/* Descriptors in use (reserved ones included). */
unsigned int uk_vfs_fd_count(void)
{
	return __atomic_load_n(&fd_used, __ATOMIC_RELAXED);
}

/* ---- calls on a descriptor -------------------------------------------- */

/* read(): the count, -EBADF (not open, or not for reading), or the
 * object's error (-EINVAL if it cannot be read). */
ssize_t uk_vfs_read(int fd, void *buf, size_t n)
{
	struct uk_vfs_file *f = uk_vfs_fd_get(fd);
	ssize_t r;

	if (!f)
		return -EBADF;
	if ((uk_vfs_file_flags(f) & O_ACCMODE) == O_WRONLY)
		r = -EBADF;
	else
		r = f->ops->read ? f->ops->read(f, buf, n) : -EINVAL;
	uk_vfs_file_put(f);
	return r;
}

/* write(): the count, -EBADF (not open for writing) or the object's
 * error. */
ssize_t uk_vfs_write(int fd, const void *buf, size_t n)
{
	struct uk_vfs_file *f = uk_vfs_fd_get(fd);
	ssize_t r;

	if (!f)
		return -EBADF;
	if ((uk_vfs_file_flags(f) & O_ACCMODE) == O_RDONLY)
		r = -EBADF;
	else
		r = f->ops->write ? f->ops->write(f, buf, n) : -EINVAL;
	uk_vfs_file_put(f);
	return r;
}

/* pread(): the count, -EBADF, -ESPIPE (not a file), -EINVAL... */
ssize_t uk_vfs_pread(int fd, void *buf, size_t n, off_t off)
{
	struct uk_vfs_file *f = uk_vfs_fd_get(fd);
	ssize_t r;

	if (!f)
		return -EBADF;
	if ((uk_vfs_file_flags(f) & O_ACCMODE) == O_WRONLY)
		r = -EBADF;
	else
		r = f->ops->pread ? f->ops->pread(f, buf, n, off) : -ESPIPE;
	uk_vfs_file_put(f);
	return r;
}

/* pwrite(): the count, -EBADF, -ESPIPE, -EINVAL... */
ssize_t uk_vfs_pwrite(int fd, const void *buf, size_t n, off_t off)
{
	struct uk_vfs_file *f = uk_vfs_fd_get(fd);
	ssize_t r;

	if (!f)
		return -EBADF;
	if ((uk_vfs_file_flags(f) & O_ACCMODE) == O_RDONLY)
		r = -EBADF;
	else
		r = f->ops->pwrite ? f->ops->pwrite(f, buf, n, off) : -ESPIPE;
	uk_vfs_file_put(f);
	return r;
}

/* lseek(): the new offset, -EBADF, -ESPIPE or -EINVAL. */
off_t uk_vfs_lseek(int fd, off_t off, int whence)
{
	struct uk_vfs_file *f = uk_vfs_fd_get(fd);
	off_t r;

	if (!f)
		return -EBADF;
	r = f->ops->lseek ? f->ops->lseek(f, off, whence) : -ESPIPE;
	uk_vfs_file_put(f);
	return r;
}

/* fstat(): 0 or -EBADF (an object without fstat reports zeros). */
int uk_vfs_fstat(int fd, struct stat *st)
{
	struct uk_vfs_file *f = uk_vfs_fd_get(fd);
	int r;

	if (!f)
		return -EBADF;
	if (f->ops->fstat) {
		r = f->ops->fstat(f, st);
	} else {
		memset(st, 0, sizeof(*st));
		r = 0;
	}
	uk_vfs_file_put(f);
	return r;
}

/* ftruncate(): 0, -EINVAL (negative, not a file open for writing),
 * -EBADF, or the file system's error. */
int uk_vfs_ftruncate(int fd, off_t len)
{
	struct uk_vfs_file *f;
	int r;

	if (len < 0)
		return -EINVAL;
	f = uk_vfs_fd_get(fd);
	if (!f)
		return -EBADF;
	r = f->ops->ftruncate ? f->ops->ftruncate(f, len) : -EINVAL;
	uk_vfs_file_put(f);
	return r;
}

/* fsync(): 0, -EBADF, -EINVAL (not a file) or -EIO. */
int uk_vfs_fsync(int fd)
{
	struct uk_vfs_file *f = uk_vfs_fd_get(fd);
	int r;

	if (!f)
		return -EBADF;
	r = f->ops->fsync ? f->ops->fsync(f) : -EINVAL;
	uk_vfs_file_put(f);
	return r;
}

/* fstatvfs(): 0, -EBADF or -ENOSYS (not a file). */
int uk_vfs_fstatvfs(int fd, struct statvfs *sv)
{
	struct uk_vfs_file *f = uk_vfs_fd_get(fd);
	int r;

	if (!f)
		return -EBADF;
	r = f->ops->fstatvfs ? f->ops->fstatvfs(f, sv) : -ENOSYS;
	uk_vfs_file_put(f);
	return r;
}

/* The next entry of a directory: 1, 0 at the end, -EBADF, -ENOTDIR. */
int uk_vfs_readdir(int fd, struct uk_vfs_dirent *d)
{
	struct uk_vfs_file *f = uk_vfs_fd_get(fd);
	int r;

	if (!f)
		return -EBADF;
	r = f->ops->readdir ? f->ops->readdir(f, d) : -ENOTDIR;
	uk_vfs_file_put(f);
	return r;
}

/* Restarts a listing: 0, -EBADF or -ENOTDIR. */
int uk_vfs_rewinddir(int fd)
{
	struct uk_vfs_file *f = uk_vfs_fd_get(fd);
	int r;

	if (!f)
		return -EBADF;
	r = f->ops->rewinddir ? f->ops->rewinddir(f) : -ENOTDIR;
	uk_vfs_file_put(f);
	return r;
}

/* ---- poll ------------------------------------------------------------ */

/*
 * Descriptors a poll() handles on the stack (about 2 KB): a server's loop
 * (the exporter's slots and listener) then allocates nothing, and still
 * polls when the heap is exhausted.  Larger calls allocate.
 */
#define POLL_STACK 48
#define ALWAYS (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

typedef int (*poll_fn)(struct uk_vfs_pollreq *, unsigned int, int);

/*
 * Polls the requests of one kind (function fn) among reqs, through the
 * scratch array: copies them out, calls fn once, copies revents back.
 * Returns fn's count or error.
 */
static int poll_kind(poll_fn fn, struct uk_vfs_pollreq *reqs, nfds_t n,
		     struct uk_vfs_pollreq *scratch, unsigned int *idx,
		     int timeout)
{
	unsigned int k = 0, j;
	nfds_t i;
	int r;

	for (i = 0; i < n; i++)
		if (reqs[i].file && reqs[i].file->ops->poll == fn) {
			scratch[k] = reqs[i];
			scratch[k].revents = 0;
			idx[k++] = (unsigned int)i;
		}
	r = fn(scratch, k, timeout);
	if (r < 0)
		return r;
	for (j = 0; j < k; j++)
		reqs[idx[j]].revents = scratch[j].revents;
	return r;
}

/*
 * One pass over every kind: with a single kind and nothing ready yet it
 * may wait (timeout), otherwise each is asked without waiting.  Returns
 * the number of entries with events, or an error.
 */
static int poll_pass(struct uk_vfs_pollreq *reqs, nfds_t n,
		     struct uk_vfs_pollreq *scratch, unsigned int *idx,
		     poll_fn *kinds, unsigned int nkinds, int ready,
		     int timeout)
{
	unsigned int k;
	nfds_t i;
	int r;

	for (k = 0; k < nkinds; k++) {
		r = poll_kind(kinds[k], reqs, n, scratch, idx,
			      nkinds == 1 && !ready ? timeout : 0);
		if (r < 0)
			return r;
	}
	ready = 0;
	for (i = 0; i < n; i++)
		ready += reqs[i].revents != 0;
	return ready;
}

/* poll() over the table (see uk/vfs.h). */
int uk_vfs_poll(struct pollfd *fds, nfds_t n, int timeout)
{
	struct uk_vfs_pollreq sreqs[POLL_STACK], sscratch[POLL_STACK];
	unsigned int sidx[POLL_STACK], *idx = sidx, nkinds = 0, k;
	poll_fn skinds[POLL_STACK], *kinds = skinds;
	struct uk_vfs_pollreq *reqs = sreqs, *scratch = sscratch;
	struct uk_alloc *a = uk_alloc_get_default();
	uint64_t deadline = 0, now;
	int ready = 0, r = 0;
	nfds_t i;

	if (n > uk_vfs_fd_limit(0))
		return -EINVAL;
	if (n > POLL_STACK) {
		reqs = uk_calloc(a, n, sizeof(*reqs));
		scratch = uk_calloc(a, n, sizeof(*scratch));
		idx = uk_calloc(a, n, sizeof(*idx));
		kinds = uk_calloc(a, n, sizeof(*kinds));
		if (!reqs || !scratch || !idx || !kinds) {
			r = -ENOMEM;
			goto out_free;
		}
	}
	for (i = 0; i < n; i++) {
		struct uk_vfs_file *f = NULL;

		fds[i].revents = 0;
		reqs[i].events = (short)(fds[i].events | POLLERR | POLLHUP);
		reqs[i].revents = 0;
		if (fds[i].fd >= 0) {
			f = uk_vfs_fd_get(fds[i].fd);
			if (!f)
				reqs[i].revents = POLLNVAL;
		}
		reqs[i].file = f;
		if (!f)
			continue;
		if (!f->ops->poll) {
			reqs[i].revents = (short)(fds[i].events & ALWAYS);
			continue;
		}
		for (k = 0; k < nkinds; k++)
			if (kinds[k] == f->ops->poll)
				break;
		if (k == nkinds)
			kinds[nkinds++] = f->ops->poll;
	}
	for (i = 0; i < n; i++)
		ready += reqs[i].revents != 0;
	if (timeout > 0)
		deadline = uk_plat_time_mono_ns() +
			   (uint64_t)timeout * UK_NSEC_PER_MSEC;
	for (;;) {
		r = poll_pass(reqs, n, scratch, idx, kinds, nkinds, ready,
			      timeout);
		/*
		 * One kind waited by itself; several are polled in turn; with
		 * none (no descriptor, or only negative ones) poll() sleeps.
		 */
		if (r || !timeout || nkinds == 1)
			break;
		now = uk_plat_time_mono_ns();
		if (timeout > 0 && now >= deadline)
			break;
		uk_thread_sleep_ns(nkinds ? UK_NSEC_PER_MSEC
				   : timeout > 0 ? deadline - now
				   : UK_NSEC_PER_SEC);
	}
	if (r >= 0)
		for (i = 0; i < n; i++)
			fds[i].revents = reqs[i].revents;
	for (i = 0; i < n; i++)
		if (reqs[i].file)
			uk_vfs_file_put(reqs[i].file);
out_free:
	if (n > POLL_STACK) {
		uk_free(a, reqs);
		uk_free(a, scratch);
		uk_free(a, idx);
		uk_free(a, kinds);
	}
	return r;
}
