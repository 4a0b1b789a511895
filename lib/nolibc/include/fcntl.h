/*
 * File control: open() and its flags, fcntl() and its commands, with
 * Linux x86-64's values (so flags mean the same on linuxu, where glibc
 * supplies this header, and in the kernel).  nolibc only declares them:
 * lib/vfs implements them over its descriptor table, which holds files
 * and sockets alike.
 */
#ifndef _NOLIBC_FCNTL_H
#define _NOLIBC_FCNTL_H

#include <sys/types.h>
#include <sys/stat.h>

#define O_ACCMODE   00000003
#define O_RDONLY    00000000
#define O_WRONLY    00000001
#define O_RDWR      00000002
#define O_CREAT     00000100
#define O_EXCL      00000200
#define O_NOCTTY    00000400
#define O_TRUNC     00001000
#define O_APPEND    00002000
#define O_NONBLOCK  00004000
#define O_NDELAY    O_NONBLOCK
#define O_DSYNC     00010000
#define O_DIRECTORY 00200000
#define O_NOFOLLOW  00400000
#define O_CLOEXEC   02000000
#define O_SYNC      04010000
#define O_LARGEFILE 0

#define F_DUPFD         0
#define F_GETFD         1
#define F_SETFD         2
#define F_GETFL         3
#define F_SETFL         4
#define F_DUPFD_CLOEXEC 1030

#define FD_CLOEXEC 1

#ifdef __cplusplus
extern "C" {
#endif

/** Opens path; mode (with O_CREAT) is the new file's permission bits. */
int open(const char *path, int flags, ...);
/** open(path, O_WRONLY | O_CREAT | O_TRUNC, mode). */
int creat(const char *path, mode_t mode);
/** F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL, F_SETFL. */
int fcntl(int fd, int cmd, ...);

#ifdef __cplusplus
}
#endif

#endif
