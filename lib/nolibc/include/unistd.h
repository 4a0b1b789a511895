/*
 * POSIX odds and ends.  File-descriptor I/O (read, write, close) belongs
 * to the networking work and is only declared here, not implemented by
 * nolibc.
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

ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
int close(int fd);

#endif
