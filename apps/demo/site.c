/*
 * The files built into the demo image, placed in the root ramfs when it
 * is mounted (UK_RAMFS_FILE, read in place: nothing is copied unless a
 * file is rewritten).  The file server serves the whole VFS tree, so
 * these are /index.html (also "/"), /hello.txt, /1k.bin and /64k.bin;
 * the mounts (/site, /data, /initrd) hang beside them.
 */
#include <stddef.h>
#include <string.h>

#include <uk/ramfs.h>

#include "demo.h"

static const char index_html[] =
	"<!doctype html><title>ukmon demo</title>"
	"<h1>ukmon demo file server</h1>"
	"<p><a href=\"/hello.txt\">hello.txt</a> "
	"<a href=\"/1k.bin\">1k.bin</a> <a href=\"/64k.bin\">64k.bin</a></p>\n"
	"<p><a href=\"/site/\">/site</a> (a tar archive on a disk), "
	"<a href=\"/data/\">/data</a> (a host folder over 9P, where PUT "
	"and DELETE work), /initrd (the initrd's archive)</p>\n";
static const char hello[] = "Hello from a ukmon unikernel.\n";

/* Filled by demo_site_init() before anything reads it. */
static char blob[64 * 1024];

UK_RAMFS_FILE(index, "/index.html", index_html, sizeof(index_html) - 1);
UK_RAMFS_FILE(hello, "/hello.txt", hello, sizeof(hello) - 1);
UK_RAMFS_FILE(k1, "/1k.bin", blob, 1024);
UK_RAMFS_FILE(k64, "/64k.bin", blob, sizeof(blob));

/*
 * Fills the binary files' pattern, 'a' + i % 26 at byte i (before the
 * first file call): one period, then what is done copied onto what
 * follows, doubling (a multiple of the period each time), since under
 * TCG a byte loop costs a block run per byte.
 */
void demo_site_init(void)
{
	size_t i, n;

	for (i = 0; i < 26; i++)
		blob[i] = (char)('a' + i);
	for (n = 26; n < sizeof(blob); n *= 2)
		memcpy(blob + n, blob,
		       n < sizeof(blob) - n ? n : sizeof(blob) - n);
}
