/*
 * The files built into the demo image, placed in the root ramfs when it
 * is mounted (UK_RAMFS_FILE, read in place: nothing is copied unless a
 * file is rewritten).  The file server serves the whole VFS tree, so
 * these are /index.html (also "/"), /hello.txt, /1k.bin and /64k.bin;
 * the mounts (/site, /data, /initrd) hang beside them.
 */
#include <stddef.h>

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

/* Fills the binary files' pattern (before the first file call). */
void demo_site_init(void)
{
	size_t i;

	for (i = 0; i < sizeof(blob); i++)
		blob[i] = (char)('a' + i % 26);
}
