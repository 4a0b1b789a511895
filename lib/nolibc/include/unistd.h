/*
 * POSIX odds and ends, and descriptor I/O.  The descriptor calls (read,
 * write, close, lseek, dup...) and the path calls (unlink, rmdir...) are
 * declared here and implemented by lib/vfs over its descriptor table,
 * which holds files and sockets alike.
 */
#ifndef _NOLIBC_UNISTD_H
#define _NOLIBC_UNISTD_H

#include <stddef.h>
#include <sys/types.h>

#ifndef NULL
#define NULL ((void *)0)
#endif

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

#ifdef __cplusplus
extern "C" {
#endif

ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
ssize_t pread(int fd, void *buf, size_t n, off_t off);
ssize_t pwrite(int fd, const void *buf, size_t n, off_t off);
off_t lseek(int fd, off_t off, int whence);
int close(int fd);
int dup(int fd);
int dup2(int fd, int newfd);
int fsync(int fd);
int ftruncate(int fd, off_t len);
int truncate(const char *path, off_t len);
int unlink(const char *path);
int rmdir(const char *path);

#ifdef __cplusplus
}
#endif

#endif
