/*
 * From a request's target to a path of the VFS tree, refusing anything
 * that could lead elsewhere.  The file server serves the VFS tree as it
 * is (the root ramfs and its mounts), and the VFS itself never climbs
 * above "/", but a request is refused before it reaches the VFS when it
 * tries: a ".." segment (however encoded: "%2e%2e" is decoded first), an
 * encoded '/' ("%2f", which would make one segment two), an encoded NUL
 * ("%00", which would cut the path short in C), control characters, a
 * malformed escape, or a target that is not an absolute path.  "." and
 * empty segments are dropped; the query and fragment are ignored.
 */
#include <stddef.h>
#include <string.h>

#include "demo.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decodes target (len bytes) into out (size bytes): "/" or "/a/b"
 * without a trailing slash.  Returns 0, 400 (refused, see above) or 414
 * (longer than out).
 */
int demo_path_decode(const char *target, size_t len, char *out, size_t size)
{
	size_t i = 0, o = 0, seg;

	if (size < 2)
		return 414;
	if (!len || target[0] != '/')
		return 400;
	out[o++] = '/';
	seg = o;
	while (i <= len) {
		int c;

		if (i == len || target[i] == '?' || target[i] == '#') {
			c = '/';
			len = i;        /* the end of the path */
		} else if (target[i] == '%') {
			int h, l;

			if (i + 2 >= len)
				return 400;
			h = hexval(target[i + 1]);
			l = hexval(target[i + 2]);
			if (h < 0 || l < 0)
				return 400;
			c = h << 4 | l;
			/* An encoded slash or NUL is never a path. */
			if (c == '/' || c == 0)
				return 400;
			i += 2;
		} else {
			c = (unsigned char)target[i];
		}
		i++;
		if (c < 0x20 || c == 0x7f)
			return 400;
		if (c != '/') {
			if (o + 1 >= size)
				return 414;
			out[o++] = (char)c;
			continue;
		}
		/* The end of a segment: out[seg, o). */
		if ((o - seg == 1 && out[seg] == '.') || o == seg) {
			o = seg;        /* "." and "" vanish */
		} else if (o - seg == 2 && out[seg] == '.' &&
			   out[seg + 1] == '.') {
			return 400;
		} else {
			if (o + 1 >= size)
				return 414;
			out[o++] = '/';
			seg = o;
		}
		if (i > len)
			break;
	}
	/* No trailing slash but for "/" itself. */
	if (o > 1 && out[o - 1] == '/')
		o--;
	out[o] = 0;
	return 0;
}
