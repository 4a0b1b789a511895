/*
 * The file server's access log: one line per request, appended to a file
 * of the VFS (/data/access.log when a host folder is mounted on /data),
 * as a real service keeps one, so that under load the write side of the
 * file system moves as the read side does.
 *
 * Lines are buffered (LOG_BUF bytes) and written when the buffer is
 * full or on demo_log_flush(), which the file server calls every second:
 * one write per batch, not per request.  Before a batch would take the
 * file past the rotation size, the file is rotated as logrotate does:
 * access.log.(keep-1) -> access.log.keep, ..., access.log -> access.log.1,
 * then a fresh access.log.  A batch that cannot be written (the file
 * system full: ENOSPC) is dropped and counted; the next one tries again.
 * One lock serializes it all; the writes happen under it, so a request
 * that fills the buffer waits for that write.
 *
 * Written over the uk_vfs_* calls (not the POSIX names) so that it runs
 * on linuxu over a ramfs in its unit test.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <uk/counter.h>
#include <uk/lock.h>
#include <uk/store_publish.h>
#include <uk/vfs.h>

#include "demo.h"

#define LOG_BUF 4096
#define PATH_LEN 128

static struct {
	struct uk_mutex lock;
	int ready;               /* lock initialised */
	int fd;                  /* -1: no log */
	char path[PATH_LEN];
	char buf[LOG_BUF];
	size_t n;                /* bytes buffered */
	uint64_t nlines;         /* lines buffered */
	uint64_t size;           /* the file's size */
	uint64_t rotate;
	unsigned int keep;
} L = { .fd = -1 };

static uint64_t n_lines, n_dropped, n_rotations;

static int get_u64(void *cookie, uint64_t *out)
{
	*out = uk_counter_read(cookie);
	return 0;
}

UK_STORE_STATIC_ENTRY(fileserver, log_lines, u64, counter, none,
		      "Access log lines written.", get_u64, NULL, &n_lines);
UK_STORE_STATIC_ENTRY(fileserver, log_dropped_lines, u64, counter, none,
		      "Access log lines lost because their write failed "
		      "(a full file system).", get_u64, NULL, &n_dropped);
UK_STORE_STATIC_ENTRY(fileserver, log_rotations, u64, counter, none,
		      "Access log rotations.", get_u64, NULL, &n_rotations);

static int reopen(void)
{
	struct stat st;

	L.fd = uk_vfs_open(L.path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (L.fd < 0)
		return L.fd;
	L.size = uk_vfs_fstat(L.fd, &st) ? 0 : (uint64_t)st.st_size;
	return 0;
}

/* Shifts the old logs by one and starts a new file (lock held). */
static void rotate(void)
{
	char from[PATH_LEN + 16], to[PATH_LEN + 16];
	unsigned int i;

	uk_vfs_close(L.fd);
	L.fd = -1;
	for (i = L.keep; i > 0; i--) {
		if (i > 1)
			snprintf(from, sizeof(from), "%s.%u", L.path, i - 1);
		else
			snprintf(from, sizeof(from), "%s", L.path);
		snprintf(to, sizeof(to), "%s.%u", L.path, i);
		uk_vfs_rename(from, to);  /* a missing one is fine */
	}
	if (!L.keep)
		uk_vfs_unlink(L.path);
	uk_counter_add(&n_rotations, 1);
	reopen();
}

/* Writes the buffer out (lock held). */
static void flush_locked(void)
{
	size_t done = 0;
	long w = 0;

	if (!L.n)
		return;
	if (L.fd >= 0 && L.size && L.size + L.n > L.rotate)
		rotate();
	while (L.fd >= 0 && done < L.n) {
		w = uk_vfs_write(L.fd, L.buf + done, L.n - done);
		if (w <= 0)
			break;
		done += (size_t)w;
		L.size += (uint64_t)w;
	}
	if (done == L.n)
		uk_counter_add(&n_lines, L.nlines);
	else
		uk_counter_add(&n_dropped, L.nlines);
	L.n = 0;
	L.nlines = 0;
}

/*
 * Starts logging to path (created if need be, appended to), rotated
 * before it passes rotate_bytes, keeping keep old files.  Returns 0 or
 * the open's error (then nothing is logged).
 */
int demo_log_open(const char *path, uint64_t rotate_bytes, unsigned int keep)
{
	int rc;

	if (!L.ready) {
		uk_mutex_init(&L.lock, "fileserver_log");
		L.ready = 1;
	}
	if (strlen(path) >= PATH_LEN)
		return -ENAMETOOLONG;
	uk_mutex_lock(&L.lock);
	if (L.fd >= 0) {
		flush_locked();
		uk_vfs_close(L.fd);
	}
	strcpy(L.path, path);
	L.rotate = rotate_bytes;
	L.keep = keep;
	L.n = 0;
	L.nlines = 0;
	rc = reopen();
	uk_mutex_unlock(&L.lock);
	return rc;
}

/* Whether a log is open. */
int demo_log_active(void)
{
	return __atomic_load_n(&L.fd, __ATOMIC_RELAXED) >= 0;
}

/* Appends one line (with its newline) to the buffer, writing it if full. */
void demo_log_line(const char *line, size_t len)
{
	if (!L.ready)
		return;
	uk_mutex_lock(&L.lock);
	if (L.fd < 0) {
		uk_mutex_unlock(&L.lock);
		return;
	}
	if (L.n + len > sizeof(L.buf))
		flush_locked();
	if (len > sizeof(L.buf))
		len = sizeof(L.buf);  /* cut: a line never spans batches */
	memcpy(L.buf + L.n, line, len);
	L.n += len;
	L.nlines++;
	uk_mutex_unlock(&L.lock);
}

/* Writes what is buffered. */
void demo_log_flush(void)
{
	if (!L.ready)
		return;
	uk_mutex_lock(&L.lock);
	flush_locked();
	uk_mutex_unlock(&L.lock);
}

/* Flushes and closes the log (nothing is logged afterwards). */
void demo_log_close(void)
{
	if (!L.ready)
		return;
	uk_mutex_lock(&L.lock);
	flush_locked();
	if (L.fd >= 0)
		uk_vfs_close(L.fd);
	L.fd = -1;
	uk_mutex_unlock(&L.lock);
}
