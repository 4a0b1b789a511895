/*
 * Reading a tar archive's headers into tarfs's index (tarfs_impl.h).
 *
 * The archive is a sequence of 512-byte headers, each followed by its
 * member's data rounded up to 512 bytes, and ends with zero blocks (or,
 * leniently, with the backing).  Every header is checked before use: its
 * checksum (the unsigned sum of its bytes with the checksum field as
 * spaces; old tars' signed sum is accepted too), the ustar magic (POSIX
 * "ustar\0" "00", whose prefix field extends the name, or GNU's
 * "ustar  \0"), numeric fields (octal, or GNU's base-256), and that the
 * member's data lies within the backing.  GNU long names ('L'), long link
 * names ('K') and pax headers ('x': path, linkpath, size) apply to the
 * header that follows them.  Names are split into components: empty and
 * "." ones vanish, a ".." one rejects the archive.  Any failure stops the
 * scan with the reason and the header's offset on the console.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include <uk/alloc.h>
#include <uk/print.h>
#include <uk/vfs_fs.h>

#include "tarfs_impl.h"

#define BLOCK 512
#define LONGNAME_MAX 4096  /* 'L', 'K' and pax values */
#define PAX_MAX 65536      /* a pax header's records */

/* The state carried from extension headers to the next real one. */
struct scan {
	struct tarfs *fs;
	struct uk_vfs_mount *m;
	uint64_t at;               /* the header being read */
	char name[LONGNAME_MAX + 1];
	char link[LONGNAME_MAX + 1];
	int has_name, has_link, has_size;
	uint64_t size;
};

static int bad(struct scan *s, const char *why)
{
	uk_pr_err("tarfs: %s: %s at offset %llu\n",
		  uk_vfs_mount_path(s->m), why, (unsigned long long)s->at);
	return -EINVAL;
}

/* A member (or header) that the backing is too short to hold: a cut
 * archive, or a disk smaller than the archive it should hold. */
static int too_short(struct scan *s, const char *what, uint64_t need)
{
	uk_pr_err("tarfs: %s: %s at offset %llu needs %llu bytes, the "
		  "backing ends at %llu (a truncated archive, or a device "
		  "smaller than the archive)\n", uk_vfs_mount_path(s->m), what,
		  (unsigned long long)s->at, (unsigned long long)need,
		  (unsigned long long)s->fs->b.size);
	return -EINVAL;
}

/* Reads n bytes at off of the backing (within its size): 0 or -EIO. */
int _tarfs_backing_read(const struct tarfs *fs, void *buf, size_t n,
			uint64_t off)
{
	if (off > fs->b.size || n > fs->b.size - off)
		return -EIO;
	if (fs->b.base) {
		memcpy(buf, (const char *)fs->b.base + off, n);
		return 0;
	}
	return fs->b.read(fs->b.cookie, buf, n, off) ? -EIO : 0;
}

/*
 * A numeric field: octal digits after optional spaces, ended by NUL or
 * space, or GNU's base-256 (top bit set).  Returns 0 and *out, or -1.
 */
static int number(const unsigned char *p, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;

	if (p[0] & 0x80) {
		if (p[0] != 0x80)
			return -1;  /* negative, or too big */
		for (i = 1; i < n; i++) {
			if (v >> 56)
				return -1;
			v = v << 8 | p[i];
		}
		*out = v;
		return 0;
	}
	while (i < n && p[i] == ' ')
		i++;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
		if (v >> 61)
			return -1;
		v = v * 8 + (uint64_t)(p[i] - '0');
	}
	if (i < n && p[i] != 0 && p[i] != ' ')
		return -1;
	*out = v;
	return 0;
}

static int checksum_ok(const unsigned char *h)
{
	uint64_t want;
	long sum_u = 0, sum_s = 0;
	int i;

	for (i = 0; i < BLOCK; i++) {
		int c = (i >= 148 && i < 156) ? ' ' : h[i];

		sum_u += c;
		sum_s += (i >= 148 && i < 156) ? ' ' : (signed char)h[i];
	}
	if (number(h + 148, 8, &want))
		return 0;
	return (uint64_t)sum_u == want || (sum_s >= 0 && (uint64_t)sum_s == want);
}

static int all_zero(const unsigned char *h)
{
	int i;

	for (i = 0; i < BLOCK; i++)
		if (h[i])
			return 0;
	return 1;
}

/* ---- the index ------------------------------------------------------- */

static uint32_t hash_of(uint32_t parent, const char *name, size_t len)
{
	uint32_t h = 2166136261u ^ parent;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	return h;
}

/* The child name of dir, or TAR_NONE. */
uint32_t _tarfs_child(const struct tarfs *fs, uint32_t dir, const char *name,
		      size_t len)
{
	uint32_t i;

	if (!fs->hash)
		return TAR_NONE;
	for (i = fs->hash[hash_of(dir, name, len) & fs->hmask]; i != TAR_NONE;
	     i = fs->nodes[i].hnext) {
		const struct tar_node *t = &fs->nodes[i];

		if (t->parent == dir && t->namelen == len &&
		    !memcmp(fs->pool + t->name, name, len))
			return i;
	}
	return TAR_NONE;
}

static int rehash(struct tarfs *fs, uint32_t size)
{
	uint32_t *h = uk_malloc(fs->a, size * sizeof(*h)), i;

	if (!h)
		return -ENOMEM;
	for (i = 0; i < size; i++)
		h[i] = TAR_NONE;
	uk_free(fs->a, fs->hash);
	fs->hash = h;
	fs->hmask = size - 1;
	for (i = 1; i < fs->n; i++) {
		struct tar_node *t = &fs->nodes[i];
		uint32_t b = hash_of(t->parent, fs->pool + t->name,
				     t->namelen) & fs->hmask;

		t->hnext = h[b];
		h[b] = i;
	}
	return 0;
}

/* Appends node name (len bytes) under parent: its index, or -errno. */
static long node_add(struct tarfs *fs, uint32_t parent, const char *name,
		     size_t len, mode_t type)
{
	struct tar_node *t;
	uint32_t i = fs->n, b;
	int rc;

	if (fs->n >= fs->max)
		return -EFBIG;
	if (fs->n == fs->cap) {
		uint32_t cap = fs->cap ? fs->cap * 2 : 64;
		struct tar_node *p;

		if (cap > fs->max)
			cap = fs->max;
		p = uk_realloc(fs->a, fs->nodes, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		fs->nodes = p;
		fs->cap = cap;
	}
	if (fs->plen + len > fs->pcap) {
		size_t cap = fs->pcap ? fs->pcap * 2 : 4096;
		char *p;

		while (cap < fs->plen + len)
			cap *= 2;
		p = uk_realloc(fs->a, fs->pool, cap);
		if (!p)
			return -ENOMEM;
		fs->pool = p;
		fs->pcap = cap;
	}
	t = &fs->nodes[i];
	memset(t, 0, sizeof(*t));
	if (len)
		memcpy(fs->pool + fs->plen, name, len);
	t->name = (uint32_t)fs->plen;
	t->namelen = (uint16_t)len;
	fs->plen += len;
	t->parent = parent;
	t->first = t->last = t->next = TAR_NONE;
	t->mode = type == S_IFDIR ? 0755 : 0644;
	t->vn.type = type;
	fs->n++;
	if (i) {
		struct tar_node *p = &fs->nodes[parent];

		if (p->last == TAR_NONE)
			p->first = i;
		else
			fs->nodes[p->last].next = i;
		p->last = i;
		if (type == S_IFDIR)
			p->nsubdirs++;
		if ((uint64_t)fs->n * 2 > (uint64_t)fs->hmask + 1) {
			rc = rehash(fs, (fs->hmask + 1) * 2);
			if (rc)
				return rc;
		} else {
			b = hash_of(parent, name, len) & fs->hmask;
			t->hnext = fs->hash[b];
			fs->hash[b] = i;
		}
	}
	return i;
}

/*
 * Enters one member: path (len bytes, not NUL-terminated) of the given
 * type, creating implied directories.  Returns the node's index or a
 * negative errno (after saying why).
 */
static long enter(struct scan *s, const char *path, size_t len, mode_t type)
{
	struct tarfs *fs = s->fs;
	uint32_t cur = 0;
	size_t i = 0;

	for (;;) {
		size_t st, cl;
		uint32_t c;
		int last;
		long r;

		while (i < len && path[i] == '/')
			i++;
		st = i;
		while (i < len && path[i] != '/')
			i++;
		cl = i - st;
		while (i < len && path[i] == '/')
			i++;
		last = i >= len;
		if (cl == 1 && path[st] == '.') {
			if (last)
				break;
			continue;
		}
		if (cl == 2 && path[st] == '.' && path[st + 1] == '.')
			return bad(s, "member name with a \"..\" component");
		if (!cl)
			break;
		if (cl > UK_VFS_NAME_MAX)
			return bad(s, "member name component too long");
		c = _tarfs_child(fs, cur, path + st, cl);
		if (c != TAR_NONE) {
			mode_t have = fs->nodes[c].vn.type;

			if (!last && have != S_IFDIR)
				return bad(s, "member inside a file");
			if (last && have != type)
				return bad(s, "member both a file and a "
					   "directory");
		} else {
			r = node_add(fs, cur, path + st, cl,
				     last ? type : S_IFDIR);
			if (r < 0) {
				if (r == -EFBIG)
					uk_pr_err("tarfs: %s: more than %u "
						  "files (maxfiles=)\n",
						  uk_vfs_mount_path(s->m),
						  (unsigned int)fs->max);
				return r;
			}
			c = (uint32_t)r;
		}
		cur = c;
		if (last)
			return cur;
	}
	/* The name was the root itself ("./"): only a directory may be. */
	if (type != S_IFDIR)
		return bad(s, "file member without a name");
	return 0;
}

/* ---- headers ----------------------------------------------------------- */

/* Reads a long name or link ('L', 'K') of size bytes at off into dst. */
static int read_long(struct scan *s, char *dst, uint64_t off, uint64_t size)
{
	size_t n;

	if (size == 0 || size > LONGNAME_MAX)
		return bad(s, "bad GNU long name");
	n = (size_t)size;
	if (_tarfs_backing_read(s->fs, dst, n, off))
		return -EIO;
	dst[n] = 0;
	return 0;
}

/* Parses a pax header's records (size bytes at off). */
static int read_pax(struct scan *s, uint64_t off, uint64_t size)
{
	struct tarfs *fs = s->fs;
	char *buf;
	size_t p = 0, n;
	int rc = 0;

	if (size > PAX_MAX)
		return bad(s, "pax header too long");
	n = (size_t)size;
	buf = uk_malloc(fs->a, n + 1);
	if (!buf)
		return -ENOMEM;
	if (_tarfs_backing_read(fs, buf, n, off)) {
		uk_free(fs->a, buf);
		return -EIO;
	}
	while (p < n && !rc) {
		size_t len = 0, q = p, k, klen, vlen;
		const char *v;

		while (q < n && buf[q] >= '0' && buf[q] <= '9' && len < n)
			len = len * 10 + (size_t)(buf[q++] - '0');
		if (q >= n || buf[q] != ' ' || len <= q - p ||
		    len > n - p || buf[p + len - 1] != '\n') {
			rc = bad(s, "bad pax record");
			break;
		}
		k = q + 1;
		for (q = k; q < p + len - 1 && buf[q] != '='; q++)
			;
		if (q >= p + len - 1) {
			rc = bad(s, "bad pax record");
			break;
		}
		klen = q - k;
		v = buf + q + 1;
		vlen = p + len - 1 - (q + 1);
		if (klen == 4 && !memcmp(buf + k, "path", 4)) {
			if (vlen == 0 || vlen > LONGNAME_MAX) {
				rc = bad(s, "bad pax path");
				break;
			}
			memcpy(s->name, v, vlen);
			s->name[vlen] = 0;
			s->has_name = 1;
		} else if (klen == 8 && !memcmp(buf + k, "linkpath", 8)) {
			if (vlen == 0 || vlen > LONGNAME_MAX) {
				rc = bad(s, "bad pax linkpath");
				break;
			}
			memcpy(s->link, v, vlen);
			s->link[vlen] = 0;
			s->has_link = 1;
		} else if (klen == 4 && !memcmp(buf + k, "size", 4)) {
			uint64_t sz = 0;
			size_t j;

			for (j = 0; j < vlen; j++) {
				if (v[j] < '0' || v[j] > '9' ||
				    sz > (UINT64_MAX - 9) / 10) {
					rc = bad(s, "bad pax size");
					break;
				}
				sz = sz * 10 + (uint64_t)(v[j] - '0');
			}
			s->size = sz;
			s->has_size = 1;
		}
		p += len;
	}
	uk_free(fs->a, buf);
	return rc;
}

/* The member name of header h (a pending long name first), NUL-ended. */
static const char *member_name(struct scan *s, const unsigned char *h,
			       char *buf, int posix)
{
	size_t n = 0, i;

	if (s->has_name)
		return s->name;
	if (posix && h[345]) {
		for (i = 0; i < 155 && h[345 + i]; i++)
			buf[n++] = (char)h[345 + i];
		buf[n++] = '/';
	}
	for (i = 0; i < 100 && h[i]; i++)
		buf[n++] = (char)h[i];
	buf[n] = 0;
	return buf;
}

/* A hard link: the member takes an earlier regular file's data. */
static int hard_link(struct scan *s, const unsigned char *h, const char *name,
		     int64_t mtime, uint16_t mode)
{
	struct tarfs *fs = s->fs;
	char lbuf[101];
	const char *target = lbuf, *p;
	uint32_t cur = 0;
	size_t i;
	long r;

	if (s->has_link) {
		target = s->link;
	} else {
		for (i = 0; i < 100 && h[157 + i]; i++)
			lbuf[i] = (char)h[157 + i];
		lbuf[i] = 0;
	}
	/* Find the target by walking its components. */
	for (p = target; *p && cur != TAR_NONE;) {
		const char *st;

		while (*p == '/')
			p++;
		st = p;
		while (*p && *p != '/')
			p++;
		if (p == st || (p - st == 1 && st[0] == '.'))
			continue;
		cur = _tarfs_child(fs, cur, st, (size_t)(p - st));
	}
	if (cur == TAR_NONE || cur == 0 ||
	    fs->nodes[cur].vn.type != S_IFREG) {
		uk_pr_warn("tarfs: %s: hard link %s to a missing file "
			   "skipped\n", uk_vfs_mount_path(s->m), name);
		return 0;
	}
	r = enter(s, name, strlen(name), S_IFREG);
	if (r < 0)
		return (int)r;
	fs->nodes[r].off = fs->nodes[cur].off;
	fs->nodes[r].size = fs->nodes[cur].size;
	fs->nodes[r].mtime = mtime;
	fs->nodes[r].mode = mode;
	return 0;
}

/*
 * Builds fs's index from the backing (see tarfs_impl.h).  Returns 0 or
 * a negative errno.
 */
int _tarfs_index_build(struct tarfs *fs, struct uk_vfs_mount *m)
{
	struct scan *s;
	unsigned char h[BLOCK];
	char *nbuf;
	uint64_t total = fs->b.size;
	int rc = 0;
	long r;

	s = uk_calloc(fs->a, 1, sizeof(*s) + 256 + 2);
	if (!s)
		return -ENOMEM;
	nbuf = (char *)(s + 1);
	s->fs = fs;
	s->m = m;
	rc = rehash(fs, 64);
	if (!rc) {
		r = node_add(fs, 0, "", 0, S_IFDIR);
		rc = r < 0 ? (int)r : 0;
	}
	while (!rc && s->at < total) {
		uint64_t size, data, next, mt, md;
		const char *name;
		int posix, type;

		if (total - s->at < BLOCK) {
			rc = too_short(s, "truncated header", BLOCK);
			break;
		}
		if (_tarfs_backing_read(fs, h, BLOCK, s->at)) {
			rc = -EIO;
			break;
		}
		if (all_zero(h))
			break;  /* the end-of-archive marker */
		if (!checksum_ok(h)) {
			rc = bad(s, "bad header checksum");
			break;
		}
		posix = !memcmp(h + 257, "ustar\0" "00", 8);
		if (!posix && memcmp(h + 257, "ustar  \0", 8)) {
			rc = bad(s, "not a ustar header");
			break;
		}
		if (number(h + 124, 12, &size) || number(h + 136, 12, &mt) ||
		    number(h + 100, 8, &md)) {
			rc = bad(s, "bad numeric field");
			break;
		}
		type = h[156];
		if (s->has_size && type != 'x' && type != 'g' &&
		    type != 'L' && type != 'K')
			size = s->size;
		data = s->at + BLOCK;
		if (size > total - data) {
			rc = too_short(s, "member", BLOCK + size);
			break;
		}
		next = data + ((size + BLOCK - 1) / BLOCK) * BLOCK;
		if (next > total)
			next = total; /* a last member without its padding */

		switch (type) {
		case 'L':
			rc = read_long(s, s->name, data, size);
			s->has_name = !rc;
			break;
		case 'K':
			rc = read_long(s, s->link, data, size);
			s->has_link = !rc;
			break;
		case 'x':
			rc = read_pax(s, data, size);
			break;
		case 'g':
			break;
		case '0': case 0: case '7': case '1': case '5':
			name = member_name(s, h, nbuf, posix);
			if (type == '1') {
				rc = hard_link(s, h, name, (int64_t)mt,
					       (uint16_t)(md & 07777));
			} else {
				r = enter(s, name, strlen(name),
					  type == '5' ? S_IFDIR : S_IFREG);
				rc = r < 0 ? (int)r : 0;
				if (!rc) {
					struct tar_node *t = &fs->nodes[r];

					if (type != '5') {
						t->off = data;
						t->size = size;
					}
					t->mtime = (int64_t)mt;
					t->mode = (uint16_t)(md & 07777);
				}
			}
			s->has_name = s->has_link = s->has_size = 0;
			break;
		default:
			uk_pr_warn("tarfs: %s: member of type '%c' skipped "
				   "at offset %llu\n", uk_vfs_mount_path(m),
				   type, (unsigned long long)s->at);
			s->has_name = s->has_link = s->has_size = 0;
			break;
		}
		s->at = next;
	}
	uk_free(fs->a, s);
	return rc;
}

/* Frees what the index holds. */
void _tarfs_index_free(struct tarfs *fs)
{
	uk_free(fs->a, fs->nodes);
	uk_free(fs->a, fs->hash);
	uk_free(fs->a, fs->pool);
	fs->nodes = NULL;
	fs->hash = NULL;
	fs->pool = NULL;
}
