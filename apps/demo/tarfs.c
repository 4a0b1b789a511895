/*
 * Files from the initrd: when QEMU's -initrd is a tar archive (ustar, as
 * GNU tar writes by default), its regular files are served by path; the
 * whole module is always available as /initrd.  Headers are validated by
 * their checksum and every size is bounds-checked against the module, so
 * a corrupt or foreign initrd serves nothing rather than garbage.
 */
#include <stddef.h>
#include <string.h>

#include "demo.h"

#define BLOCK 512

static unsigned long octal(const unsigned char *p, size_t n, int *ok)
{
	unsigned long v = 0;
	size_t i = 0;

	while (i < n && p[i] == ' ')
		i++;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
		if (v >> 60)
			*ok = 0;
		v = v * 8 + (unsigned long)(p[i] - '0');
	}
	if (i < n && p[i] != 0 && p[i] != ' ')
		*ok = 0;
	return v;
}

static int header_ok(const unsigned char *h)
{
	unsigned long sum = 0, want;
	int ok = 1, i;

	for (i = 0; i < BLOCK; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	want = octal(h + 148, 8, &ok);
	return ok && sum == want;
}

/* Appends src (at most n bytes, NUL-terminated earlier) to dst. */
static size_t put(char *dst, size_t at, size_t cap, const unsigned char *src,
		  size_t n)
{
	size_t i;

	for (i = 0; i < n && src[i] && at < cap; i++)
		dst[at++] = (char)src[i];
	return at;
}

/*
 * Looks path (len bytes, starting with '/') up in the tar archive
 * img/size.  Returns 0 and sets *data and *dlen, or -1 when the archive
 * has no such regular file (or is not a tar archive).
 */
int demo_tar_find(const void *img, size_t size, const char *path, size_t len,
		  const char **data, size_t *dlen)
{
	const unsigned char *base = img;
	size_t off = 0;
	char name[256 + 2];

	if (len < 2 || path[0] != '/')
		return -1;
	path++;
	len--;
	while (off + BLOCK <= size) {
		const unsigned char *h = base + off;
		unsigned long fsize;
		size_t n = 0, skip;
		int ok = 1;

		if (!h[0] || !header_ok(h))
			return -1; /* end of archive, or not a tar at all */
		fsize = octal(h + 124, 12, &ok);
		if (!ok || fsize > size - off - BLOCK)
			return -1;
		if (!memcmp(h + 257, "ustar", 5) && h[345]) {
			n = put(name, n, 256, h + 345, 155);
			name[n++] = '/';
		}
		n = put(name, n, 256, h, 100);
		skip = (!memcmp(name, "./", 2)) ? 2 : 0;
		if ((h[156] == '0' || h[156] == 0) && n - skip == len &&
		    !memcmp(name + skip, path, len)) {
			*data = (const char *)h + BLOCK;
			*dlen = fsize;
			return 0;
		}
		off += BLOCK + ((fsize + BLOCK - 1) / BLOCK) * BLOCK;
	}
	return -1;
}
