/*
 * Directory streams over lib/vfs: opendir() opens the directory as a
 * descriptor (O_DIRECTORY) and readdir() returns one entry at a time,
 * "." and ".." first, in a per-stream buffer (a later readdir() on the
 * same stream overwrites it).
 */
#ifndef _NOLIBC_DIRENT_H
#define _NOLIBC_DIRENT_H

#include <sys/types.h>

struct dirent {
	ino_t d_ino;
	off_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[256];
};

#define DT_UNKNOWN 0
#define DT_FIFO    1
#define DT_CHR     2
#define DT_DIR     4
#define DT_BLK     6
#define DT_REG     8
#define DT_LNK     10
#define DT_SOCK    12

typedef struct __nolibc_dir DIR;

#ifdef __cplusplus
extern "C" {
#endif

DIR *opendir(const char *path);
/** Takes over fd, an open directory; closedir() closes it. */
DIR *fdopendir(int fd);
/** The next entry, or NULL at the end (errno unchanged) or on error. */
struct dirent *readdir(DIR *d);
void rewinddir(DIR *d);
int closedir(DIR *d);
int dirfd(DIR *d);

#ifdef __cplusplus
}
#endif

#endif
