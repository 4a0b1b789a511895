/*
 * The VFS against Linux: one random sequence of file operations runs
 * against a fresh ramfs root through uk_vfs_* and against a temporary
 * folder of the host through glibc, and every result must agree: return
 * values, errno, bytes read, file types, sizes and link counts, the
 * names a directory lists, and, at the end, the whole tree with its
 * contents.  Paths come from a small set of names so that operations
 * collide (existing and missing files, files where directories are
 * expected, non-empty directories, renames over files and directories,
 * a directory into itself), with ".", "..", repeated and trailing slashes
 * and over-long names mixed in.  ".." never climbs above the test's root,
 * which on the host is not a file system root.
 *
 * The seed comes from VFS_DIFF_SEED (else the clock) and is printed, with
 * the last operations, on a mismatch; VFS_DIFF_OPS and VFS_DIFF_ROUNDS
 * set the length.  Run as root or not, the operations never depend on
 * permissions (every mode keeps the owner's rights).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <uk/test.h>
#include <uk/vfs.h>

#define SLOTS 12
#define MAXIO 9000
#define LOG 40

struct slot {
	int open;
	int hfd, vfd;
	int isdir;
};

struct run {
	uint64_t rng, seed;
	char host[256];
	struct slot s[SLOTS];
	char log[LOG][160];
	unsigned long nops;
	int failed;
};

/* Outcomes over all runs, by operation: successes and errors. */
static const char *const op_names[] = {
	"open", "close", "read", "write", "lseek", "ftruncate", "fstat",
	"fsync", "dup2", "dup", "mkdir", "rmdir", "unlink", "rename",
	"stat", "truncate", "opendir", "opendir",
};
static unsigned long n_ok[18], n_err[18];

static int op_index(const char *op)
{
	int i;

	for (i = 0; i < 17; i++)
		if (!strncmp(op, op_names[i], strlen(op_names[i])))
			return i;
	return 17;
}

static uint64_t rnd(struct run *r)
{
	uint64_t x = r->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->rng = x;
	return x * 2685821657736338717ULL;
}

static unsigned int pick(struct run *r, unsigned int n)
{
	return (unsigned int)(rnd(r) % n);
}

static void logop(struct run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void logop(struct run *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->log[r->nops % LOG], sizeof(r->log[0]), fmt, ap);
	va_end(ap);
}

static void report(struct run *r, const char *what)
{
	unsigned long i, from = r->nops >= LOG ? r->nops - LOG + 1 : 0;

	if (r->failed++)
		return;
	uk_test_log("MISMATCH (seed %llu, operation %lu): %s",
		    (unsigned long long)r->seed, r->nops, what);
	for (i = from; i <= r->nops; i++)
		uk_test_log("  #%lu %s", i, r->log[i % LOG]);
}

/* Compares two results (negative: -errno on the VFS side, -1 and errno
 * on the host's).  Returns 1 when they agree. */
static int same(struct run *r, const char *op, long h, int herr, long v)
{
	char b[160];

	if (h < 0)
		h = -herr;
	if (h < 0)
		n_err[op_index(op)]++;
	else
		n_ok[op_index(op)]++;
	if (h == v)
		return 1;
	snprintf(b, sizeof(b), "%s: host %ld (%s), vfs %ld (%s)", op, h,
		 h < 0 ? strerror((int)-h) : "ok", v,
		 v < 0 ? strerror((int)-v) : "ok");
	report(r, b);
	return 0;
}

/* ---- paths -------------------------------------------------------------- */

static const char *const names[] = { "a", "b", "c", "d" };

/* A random relative path: 1..3 names, sometimes ".", "..", "//", a
 * trailing slash, an over-long component or an over-long path. */
static void gen_path(struct run *r, char *p, size_t size)
{
	unsigned int n = 1 + pick(r, 3), i, depth = 0;
	size_t o = 0;

	if (!pick(r, 200)) {
		/* Longer than UK_VFS_PATH_MAX in all. */
		for (o = 0; o < 4200 && o + 2 < size; o += 2)
			memcpy(p + o, "a/", 2);
		p[o] = 0;
		return;
	}
	for (i = 0; i < n; i++) {
		unsigned int k = pick(r, 20);
		const char *c;
		char longname[300];

		if (i)
			o += (size_t)snprintf(p + o, size - o,
					      pick(r, 10) ? "/" : "//");
		if (k == 0 && i + 1 < n) {
			c = ".";
		} else if (k == 1 && depth > 0) {
			c = "..";
			depth--;
		} else if (k == 2 && !pick(r, 4)) {
			memset(longname, 'x', 256);
			longname[256] = 0;
			c = longname;
		} else {
			c = names[pick(r, 4)];
			depth++;
		}
		o += (size_t)snprintf(p + o, size - o, "%s", c);
	}
	if (!pick(r, 12))
		snprintf(p + o, size - o, "/");
}

static void host_path(struct run *r, const char *p, char *out, size_t size)
{
	if ((size_t)snprintf(out, size, "%s/%s", r->host, p) >= size)
		abort();
}

static void vfs_path(const char *p, char *out, size_t size)
{
	if ((size_t)snprintf(out, size, "/%s", p) >= size)
		abort();
}

/* ---- operations ------------------------------------------------------------ */

static int rand_flags(struct run *r)
{
	static const int acc[] = { O_RDONLY, O_WRONLY, O_RDWR };
	int f = acc[pick(r, 3)];

	if (pick(r, 3))
		f |= O_CREAT;
	if (!pick(r, 5))
		f |= O_EXCL;
	if (!pick(r, 5))
		f |= O_TRUNC;
	if (!pick(r, 4))
		f |= O_APPEND;
	if (!pick(r, 8))
		f |= O_DIRECTORY;
	return f;
}

static int free_slot(struct run *r)
{
	int i;

	for (i = 0; i < SLOTS; i++)
		if (!r->s[i].open)
			return i;
	return -1;
}

static int open_slot(struct run *r)
{
	int i, k = pick(r, SLOTS);

	for (i = 0; i < SLOTS; i++)
		if (r->s[(k + i) % SLOTS].open)
			return (k + i) % SLOTS;
	return -1;
}

static void set_slot(struct run *r, int i, int hfd, int vfd)
{
	struct stat st;

	r->s[i].open = 1;
	r->s[i].hfd = hfd;
	r->s[i].vfd = vfd;
	r->s[i].isdir = !fstat(hfd, &st) && S_ISDIR(st.st_mode);
}

static void op_open(struct run *r)
{
	char p[4400], hp[4700], vp[4400];
	int i = free_slot(r), fl = rand_flags(r), h, v, e;

	if (i < 0)
		return;
	gen_path(r, p, sizeof(p));
	host_path(r, p, hp, sizeof(hp));
	vfs_path(p, vp, sizeof(vp));
	logop(r, "open(%.60s, %#o)", p, fl);
	errno = 0;
	h = open(hp, fl, 0644);
	e = errno;
	v = uk_vfs_open(vp, fl, 0644);
	if ((h < 0) != (v < 0) || (h < 0 && -e != v)) {
		same(r, "open", h, e, v);
		if (h >= 0)
			close(h);
		if (v >= 0)
			uk_vfs_close(v);
		return;
	}
	if (h >= 0)
		set_slot(r, i, h, v);
}

static void op_close(struct run *r)
{
	int i = open_slot(r), h, e, v;

	if (i < 0 || !pick(r, 20)) {
		logop(r, "close(bad)");
		errno = 0;
		h = close(-1);
		e = errno;
		same(r, "close(-1)", h, e, uk_vfs_close(-1));
		same(r, "close(999)", close(999), errno, uk_vfs_close(999));
		return;
	}
	logop(r, "close(slot %d)", i);
	errno = 0;
	h = close(r->s[i].hfd);
	e = errno;
	v = uk_vfs_close(r->s[i].vfd);
	same(r, "close", h, e, v);
	r->s[i].open = 0;
}

static void fill(struct run *r, char *b, size_t n)
{
	size_t i;
	uint64_t x = rnd(r);

	for (i = 0; i < n; i++) {
		b[i] = (char)('A' + (x & 31));
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	}
}

static size_t io_len(struct run *r)
{
	switch (pick(r, 4)) {
	case 0:
		return pick(r, 8);
	case 1:
		return pick(r, 100);
	case 2:
		return pick(r, 1500);
	default:
		return pick(r, MAXIO);
	}
}

static off_t io_off(struct run *r)
{
	return pick(r, 3) ? (off_t)pick(r, 5000) : (off_t)pick(r, 70000) -
		(pick(r, 20) ? 0 : 3);
}

static void op_rw(struct run *r, int kind)
{
	static char hb[MAXIO], vb[MAXIO];
	int i = open_slot(r), e;
	size_t n = io_len(r);
	off_t off = io_off(r);
	long h, v;

	if (i < 0)
		return;
	errno = 0;
	switch (kind) {
	case 0:
		logop(r, "read(slot %d, %zu)", i, n);
		h = read(r->s[i].hfd, hb, n);
		e = errno;
		v = uk_vfs_read(r->s[i].vfd, vb, n);
		break;
	case 1:
		logop(r, "pread(slot %d, %zu, %ld)", i, n, (long)off);
		h = pread(r->s[i].hfd, hb, n, off);
		e = errno;
		v = uk_vfs_pread(r->s[i].vfd, vb, n, off);
		break;
	case 2:
		fill(r, hb, n);
		logop(r, "write(slot %d, %zu)", i, n);
		h = write(r->s[i].hfd, hb, n);
		e = errno;
		v = uk_vfs_write(r->s[i].vfd, hb, n);
		break;
	default:
		fill(r, hb, n);
		logop(r, "pwrite(slot %d, %zu, %ld)", i, n, (long)off);
		h = pwrite(r->s[i].hfd, hb, n, off);
		e = errno;
		v = uk_vfs_pwrite(r->s[i].vfd, hb, n, off);
		break;
	}
	if (same(r, kind < 2 ? "read" : "write", h, e, v) && kind < 2 &&
	    h > 0 && memcmp(hb, vb, (size_t)h))
		report(r, "read: different bytes");
}

static void op_lseek(struct run *r)
{
	static const int wh[] = { SEEK_SET, SEEK_CUR, SEEK_END };
	int i = open_slot(r), w = wh[pick(r, 3)], e;
	off_t off = (off_t)pick(r, 6000) - 500;
	long h, v;

	if (i < 0)
		return;
	if (r->s[i].isdir) {
		/* Directory offsets are the file system's own: only a
		 * rewind means the same everywhere. */
		w = SEEK_SET;
		off = 0;
	}
	if (!pick(r, 40))
		w = 7;
	logop(r, "lseek(slot %d, %ld, %d)", i, (long)off, w);
	errno = 0;
	h = lseek(r->s[i].hfd, off, w);
	e = errno;
	v = uk_vfs_lseek(r->s[i].vfd, off, w);
	same(r, "lseek", h, e, v);
}

static void op_ftruncate(struct run *r)
{
	int i = open_slot(r), e;
	off_t len = pick(r, 10) ? (off_t)pick(r, 20000) : -1;
	long h, v;

	if (i < 0)
		return;
	logop(r, "ftruncate(slot %d, %ld)", i, (long)len);
	errno = 0;
	h = ftruncate(r->s[i].hfd, len);
	e = errno;
	v = uk_vfs_ftruncate(r->s[i].vfd, len);
	same(r, "ftruncate", h, e, v);
}

static void cmp_stat(struct run *r, const char *op, const struct stat *a,
		     const struct stat *b)
{
	char m[160];

	if ((a->st_mode & S_IFMT) != (b->st_mode & S_IFMT) ||
	    (S_ISREG(a->st_mode) && a->st_size != b->st_size) ||
	    a->st_nlink != b->st_nlink) {
		snprintf(m, sizeof(m), "%s: host mode %o size %ld nlink %lu, "
			 "vfs mode %o size %ld nlink %lu", op,
			 (unsigned int)a->st_mode, (long)a->st_size,
			 (unsigned long)a->st_nlink, (unsigned int)b->st_mode,
			 (long)b->st_size, (unsigned long)b->st_nlink);
		report(r, m);
	}
}

static void op_fstat(struct run *r)
{
	struct stat a, b;
	int i = open_slot(r), e;
	long h, v;

	if (i < 0)
		return;
	logop(r, "fstat(slot %d)", i);
	errno = 0;
	h = fstat(r->s[i].hfd, &a);
	e = errno;
	v = uk_vfs_fstat(r->s[i].vfd, &b);
	if (same(r, "fstat", h, e, v) && !h)
		cmp_stat(r, "fstat", &a, &b);
}

static void op_fsync(struct run *r)
{
	int i = open_slot(r), e;
	long h, v;

	if (i < 0)
		return;
	logop(r, "fsync(slot %d)", i);
	errno = 0;
	h = fsync(r->s[i].hfd);
	e = errno;
	v = uk_vfs_fsync(r->s[i].vfd);
	same(r, "fsync", h, e, v);
}

static void op_dup(struct run *r)
{
	int i = open_slot(r), j = free_slot(r), e;
	long h, v;

	if (i < 0 || j < 0)
		return;
	if (pick(r, 2)) {
		logop(r, "dup(slot %d)", i);
		errno = 0;
		h = dup(r->s[i].hfd);
		e = errno;
		v = uk_vfs_dup(r->s[i].vfd);
	} else {
		/* Onto a number of its own, free on both sides. */
		logop(r, "dup2(slot %d, fresh %d)", i, j);
		errno = 0;
		h = dup2(r->s[i].hfd, 600 + j);
		e = errno;
		v = uk_vfs_dup2(r->s[i].vfd, 200 + j);
		if (h >= 0 && (h != 600 + j || v != 200 + j))
			report(r, "dup2: wrong descriptor");
	}
	if (!same(r, "dup", h < 0 ? h : 0, e, v < 0 ? v : 0))
		return;
	if (h >= 0) {
		set_slot(r, j, (int)h, (int)v);
		r->s[j].isdir = r->s[i].isdir;
	}
}

static void op_dup2_open(struct run *r)
{
	int i = open_slot(r), j = open_slot(r), e;
	long h, v;

	if (i < 0 || j < 0)
		return;
	/* Over an open descriptor, which is closed first. */
	logop(r, "dup2(slot %d, slot %d)", i, j);
	errno = 0;
	h = dup2(r->s[i].hfd, r->s[j].hfd);
	e = errno;
	v = uk_vfs_dup2(r->s[i].vfd, r->s[j].vfd);
	if (same(r, "dup2", h, e, v < 0 ? v : (v == r->s[j].vfd ?
						  r->s[j].hfd : -1)))
		r->s[j].isdir = r->s[i].isdir;
}

static void path_op(struct run *r, int kind)
{
	char p[4400], q[4400], hp[4700], vp[4400], hq[4700], vq[4400];
	struct stat a, b;
	off_t len = pick(r, 10) ? (off_t)pick(r, 9000) : -1;
	long h, v;
	int e;

	gen_path(r, p, sizeof(p));
	host_path(r, p, hp, sizeof(hp));
	vfs_path(p, vp, sizeof(vp));
	errno = 0;
	switch (kind) {
	case 0:
		logop(r, "mkdir(%.60s)", p);
		h = mkdir(hp, 0755);
		e = errno;
		v = uk_vfs_mkdir(vp, 0755);
		same(r, "mkdir", h, e, v);
		break;
	case 1:
		logop(r, "rmdir(%.60s)", p);
		h = rmdir(hp);
		e = errno;
		v = uk_vfs_rmdir(vp);
		same(r, "rmdir", h, e, v);
		break;
	case 2:
		logop(r, "unlink(%.60s)", p);
		h = unlink(hp);
		e = errno;
		v = uk_vfs_unlink(vp);
		same(r, "unlink", h, e, v);
		break;
	case 3:
		gen_path(r, q, sizeof(q));
		host_path(r, q, hq, sizeof(hq));
		vfs_path(q, vq, sizeof(vq));
		logop(r, "rename(%.60s, %.60s)", p, q);
		errno = 0;
		h = rename(hp, hq);
		e = errno;
		v = uk_vfs_rename(vp, vq);
		same(r, "rename", h, e, v);
		break;
	case 4:
		logop(r, "stat(%.60s)", p);
		h = stat(hp, &a);
		e = errno;
		v = uk_vfs_stat(vp, &b);
		if (same(r, "stat", h, e, v) && !h)
			cmp_stat(r, "stat", &a, &b);
		break;
	default:
		logop(r, "truncate(%.60s, %ld)", p, (long)len);
		h = truncate(hp, len);
		e = errno;
		v = uk_vfs_truncate(vp, len);
		same(r, "truncate", h, e, v);
		break;
	}
}

/* ---- listings -------------------------------------------------------------- */

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

#define LIST_MAX 64

/* Lists host directory hp and VFS directory vp (sorted names, joined). */
static int list_both(const char *hp, const char *vp, char *hs, char *vs,
		     size_t size, long *hrc, int *herr, long *vrc)
{
	static char hn[LIST_MAX][260], vn[LIST_MAX][260];
	char *hv[LIST_MAX], *vv[LIST_MAX];
	struct uk_vfs_dirent d;
	struct dirent *de;
	int nh = 0, nv = 0, i, fd;
	size_t o;
	DIR *dir;

	*hrc = 0;
	*vrc = 0;
	errno = 0;
	dir = opendir(hp);
	if (!dir) {
		*hrc = -1;
		*herr = errno;
	} else {
		while ((de = readdir(dir)) && nh < LIST_MAX) {
			snprintf(hn[nh], sizeof(hn[0]), "%s", de->d_name);
			hv[nh] = hn[nh];
			nh++;
		}
		closedir(dir);
	}
	fd = uk_vfs_open(vp, O_RDONLY | O_DIRECTORY, 0);
	if (fd < 0) {
		*vrc = fd;
	} else {
		while (nv < LIST_MAX && (i = uk_vfs_readdir(fd, &d)) == 1) {
			snprintf(vn[nv], sizeof(vn[0]), "%s", d.name);
			vv[nv] = vn[nv];
			nv++;
		}
		uk_vfs_close(fd);
	}
	qsort(hv, (size_t)nh, sizeof(hv[0]), cmpstr);
	qsort(vv, (size_t)nv, sizeof(vv[0]), cmpstr);
	for (o = 0, i = 0; i < nh && o < size; i++)
		o += (size_t)snprintf(hs + o, size - o, "%s ", hv[i]);
	hs[o < size ? o : size - 1] = 0;
	for (o = 0, i = 0; i < nv && o < size; i++)
		o += (size_t)snprintf(vs + o, size - o, "%s ", vv[i]);
	vs[o < size ? o : size - 1] = 0;
	return 0;
}

static void op_readdir(struct run *r)
{
	char p[4400], hp[4700], vp[4400], hs[2048], vs[2048], m[200];
	long h, v;
	int e = 0;

	gen_path(r, p, sizeof(p));
	if (!pick(r, 3))
		snprintf(p, sizeof(p), ".");
	host_path(r, p, hp, sizeof(hp));
	vfs_path(p, vp, sizeof(vp));
	logop(r, "readdir(%.60s)", p);
	list_both(hp, vp, hs, vs, sizeof(hs), &h, &e, &v);
	if (same(r, "opendir", h, e, v) && !h && strcmp(hs, vs)) {
		snprintf(m, sizeof(m), "readdir: host [%.80s] vfs [%.80s]",
			 hs, vs);
		report(r, m);
	}
}

/* ---- whole trees -------------------------------------------------------------- */

/* Compares the trees under relative directory p, contents included. */
static void cmp_tree(struct run *r, const char *p, int depth)
{
	char hp[512], vp[512], hs[2048], vs[2048], *save, *tok;
	static char hb[70000 + MAXIO], vb[70000 + MAXIO];
	long h, v;
	int e = 0;

	host_path(r, p, hp, sizeof(hp));
	vfs_path(p, vp, sizeof(vp));
	list_both(hp, vp, hs, vs, sizeof(hs), &h, &e, &v);
	if (!same(r, "tree: opendir", h, e, v) || h)
		return;
	if (strcmp(hs, vs)) {
		report(r, "tree: different names");
		return;
	}
	for (tok = strtok_r(hs, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		char sub[512], hq[600], vq[600];
		struct stat a, b;

		if (!strcmp(tok, ".") || !strcmp(tok, ".."))
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", p, tok) >=
		    sizeof(sub))
			abort();
		host_path(r, sub, hq, sizeof(hq));
		vfs_path(sub, vq, sizeof(vq));
		if (stat(hq, &a) || uk_vfs_stat(vq, &b)) {
			report(r, "tree: stat failed");
			return;
		}
		cmp_stat(r, "tree: stat", &a, &b);
		if (S_ISDIR(a.st_mode) && depth < 8) {
			cmp_tree(r, sub, depth + 1);
		} else if (S_ISREG(a.st_mode) &&
			   (size_t)a.st_size <= sizeof(hb)) {
			int hf = open(hq, O_RDONLY);
			int vf = uk_vfs_open(vq, O_RDONLY, 0);
			ssize_t hn = read(hf, hb, sizeof(hb));
			ssize_t vn = uk_vfs_read(vf, vb, sizeof(vb));

			if (hn != vn || hn < 0 || memcmp(hb, vb, (size_t)hn))
				report(r, "tree: different contents");
			close(hf);
			uk_vfs_close(vf);
		}
	}
}

static int rm_cb(const char *p, const struct stat *st, int flag,
		 struct FTW *ftw)
{
	return remove(p);
}

static uint64_t env_u64(const char *name, uint64_t dflt)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : dflt;
}

/*
 * Where the host's folders go: VFS_DIFF_DIR, else /dev/shm when it is
 * usable (a tmpfs: fsync costs nothing there), else /tmp.
 */
static const char *host_tmp(void)
{
	const char *d = getenv("VFS_DIFF_DIR");

	if (d && *d)
		return d;
	if (!access("/dev/shm", W_OK | X_OK))
		return "/dev/shm";
	return "/tmp";
}

/* One run: nops operations from seed.  Returns the number of failures. */
static int run_one(uint64_t seed, unsigned long nops)
{
	static struct run r;
	unsigned long i;
	int k;

	memset(&r, 0, sizeof(r));
	r.seed = seed;
	r.rng = seed ? seed : 1;
	snprintf(r.host, sizeof(r.host), "%s/ukvfs-diff-XXXXXX", host_tmp());
	if (!mkdtemp(r.host)) {
		uk_test_log("mkdtemp failed: %s", strerror(errno));
		return 1;
	}
	/* A fresh root ramfs without a size limit. */
	uk_vfs_umount("/");
	if (uk_vfs_mount("difftest", "/", "ramfs", 0, "size=0", NULL)) {
		uk_test_log("cannot mount the root ramfs");
		return 1;
	}
	for (i = 0; i < nops && !r.failed; i++) {
		r.nops = i;
		k = (int)pick(&r, 100);
		if (k < 14)
			op_open(&r);
		else if (k < 22)
			op_close(&r);
		else if (k < 30)
			op_rw(&r, 0);
		else if (k < 34)
			op_rw(&r, 1);
		else if (k < 44)
			op_rw(&r, 2);
		else if (k < 48)
			op_rw(&r, 3);
		else if (k < 53)
			op_lseek(&r);
		else if (k < 56)
			op_ftruncate(&r);
		else if (k < 59)
			op_fstat(&r);
		else if (k < 60)
			op_fsync(&r);
		else if (k < 63)
			op_dup(&r);
		else if (k < 64)
			op_dup2_open(&r);
		else if (k < 70)
			path_op(&r, 0);
		else if (k < 74)
			path_op(&r, 1);
		else if (k < 78)
			path_op(&r, 2);
		else if (k < 86)
			path_op(&r, 3);
		else if (k < 92)
			path_op(&r, 4);
		else if (k < 94)
			path_op(&r, 5);
		else
			op_readdir(&r);
	}
	if (!r.failed) {
		r.nops = i;
		logop(&r, "(final tree comparison)");
		cmp_tree(&r, ".", 0);
	}
	for (k = 0; k < SLOTS; k++)
		if (r.s[k].open) {
			close(r.s[k].hfd);
			uk_vfs_close(r.s[k].vfd);
		}
	nftw(r.host, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	if (uk_vfs_umount("/"))
		uk_test_log("root still busy after the run");
	return r.failed;
}

UK_TEST(vfs_vs_linux)
{
	uint64_t seed = env_u64("VFS_DIFF_SEED",
				(uint64_t)time(NULL) * 2654435761ULL ^
				(uint64_t)getpid());
	unsigned long nops = (unsigned long)env_u64("VFS_DIFF_OPS", 5000);
	unsigned long rounds = (unsigned long)env_u64("VFS_DIFF_ROUNDS", 16);
	struct timespec t0, t1;
	unsigned long i;
	int fails = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < rounds && !fails; i++)
		fails += run_one(seed + i, nops);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	uk_test_log("%lu rounds of %lu operations from seed %llu in %.2f s%s",
		    i, nops, (unsigned long long)seed,
		    (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9,
		    fails ? " (rerun with VFS_DIFF_SEED=<the failing seed>)"
			  : "");
	for (i = 0; i < 16; i++)
		uk_test_log("  %-9s %6lu ok %6lu errors", op_names[i], n_ok[i],
			    n_err[i]);
	UK_TEST_EQ(fails, 0);
}
