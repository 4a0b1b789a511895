/*
 * The VFS's metrics in ukstore (library "vfs").  Each mount is a folder
 * labelled with its mountpoint: vfs_reads_total{mountpoint="/data"}.  A
 * mountpoint holds '/', which a folder name may not, so the folder's name
 * is the mountpoint escaped as systemd escapes paths ("/" is "-", "/data"
 * is "data", "/mnt/a-b" is "mnt-a\x2db"; store path vfs/data/reads) and
 * its label value is the mountpoint itself (uk_store_folder_add_valued).
 *
 * Counters are plain adds made under the mount's lock (file.c); the
 * statfs figures are asked of the file system at scrape time when its
 * lock is free, else the last figures are reported, so a scrape never
 * waits behind a file system operation.  A folder's cookie is its mount:
 * an unmounted mount's memory lives until the store releases the folder,
 * and reports its last figures meanwhile.
 *
 * Built with -DUK_VFS_METRICS=0 (make VFS_METRICS=0) there are no
 * counters, no clock reads on the I/O path and no store entries at all.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/statvfs.h>

#include <uk/counter.h>
#include <uk/lock.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#include <uk/store_publish.h>
#include <uk/vfs.h>

#include "vfs_impl.h"

static uint64_t (*clock_fn)(void);

/* The operation clock: the injected one, or the monotonic clock. */
uint64_t _vfs_now(void)
{
	uint64_t (*fn)(void) = __atomic_load_n(&clock_fn, __ATOMIC_RELAXED);

	return fn ? fn() : uk_plat_time_mono_ns();
}

/* Replaces the operation clock (NULL: the monotonic clock). */
void uk_vfs_clock_set(uint64_t (*fn)(void))
{
	__atomic_store_n(&clock_fn, fn, __ATOMIC_RELAXED);
}

/*
 * Escapes path into a folder name (systemd's path escaping): returns its
 * length, or -ENAMETOOLONG when it needs size bytes or more.
 */
int _vfs_escape_mountpoint(const char *path, char *out, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, i;

	while (*path == '/')
		path++;
	if (!*path) {
		if (size < 2)
			return -ENAMETOOLONG;
		out[0] = '-';
		out[1] = 0;
		return 1;
	}
	for (i = 0; path[i]; i++) {
		unsigned char c = (unsigned char)path[i];
		int esc = c == '-' || c == '\\' || (c == '.' && i == 0);

		if (c == '/' && !path[i + 1])
			break;
		if (o + (esc ? 4 : 1) >= size)
			return -ENAMETOOLONG;
		if (c == '/') {
			out[o++] = '-';
		} else if (esc) {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = 0;
	return (int)o;
}

#if UK_VFS_METRICS

UK_STORE_LIBRARY(vfs);

static int get_open_files(void *cookie, uint64_t *out)
{
	*out = uk_vfs_fd_count();
	return 0;
}

static int get_max_open_files(void *cookie, uint64_t *out)
{
	*out = uk_vfs_fd_limit(0);
	return 0;
}

UK_STORE_STATIC_ENTRY(vfs, open_files, u64, gauge, none,
		      "Descriptors in use (files, directories, sockets, "
		      "the console).", get_open_files, NULL, NULL);
UK_STORE_STATIC_ENTRY(vfs, max_open_files, u64, gauge, none,
		      "Most descriptors that may be open at once.",
		      get_max_open_files, NULL, NULL);

/* Latency buckets: 1 us to 1 s, by factors of about 4. */
static const double op_le[VFS_HIST_N] = {
	1e-6, 4e-6, 16e-6, 64e-6, 256e-6, 1e-3, 4e-3, 16e-3, 64e-3, 256e-3,
	1.0,
};
const uint64_t _vfs_hist_le_ns[VFS_HIST_N] = {
	1000, 4000, 16000, 64000, 256000, 1000000, 4000000, 16000000,
	64000000, 256000000, 1000000000,
};

#define COUNTER_GETTER(field) \
	static int get_##field(void *cookie, uint64_t *out) \
	{ \
		struct uk_vfs_mount *m = cookie; \
		*out = uk_counter_read(&m->st.field); \
		return 0; \
	}
COUNTER_GETTER(reads)
COUNTER_GETTER(writes)
COUNTER_GETTER(read_bytes)
COUNTER_GETTER(written_bytes)
COUNTER_GETTER(opens)
COUNTER_GETTER(errors)

enum { SV_SIZE, SV_FREE, SV_AVAIL, SV_FILES, SV_FFREE };

/* Records m's statfs figures. */
void _vfs_stats_cache(struct uk_vfs_mount *m, const struct statvfs *sv)
{
	uint64_t bs = sv->f_frsize ? sv->f_frsize : sv->f_bsize;

	uk_counter_set(&m->svc[SV_SIZE], sv->f_blocks * bs);
	uk_counter_set(&m->svc[SV_FREE], sv->f_bfree * bs);
	uk_counter_set(&m->svc[SV_AVAIL], sv->f_bavail * bs);
	uk_counter_set(&m->svc[SV_FILES], sv->f_files);
	uk_counter_set(&m->svc[SV_FFREE], sv->f_ffree);
}

/* Refreshes the figures if the mount's lock is free, then reads one. */
static int sv_get(struct uk_vfs_mount *m, int which, uint64_t *out)
{
	struct statvfs sv;

	if (!uk_mutex_trylock(&m->lock)) {
		if (m->alive)
			_vfs_mount_statvfs(m, &sv);
		uk_mutex_unlock(&m->lock);
	}
	*out = uk_counter_read(&m->svc[which]);
	return 0;
}

#define SV_GETTER(name, which) \
	static int get_##name(void *cookie, uint64_t *out) \
	{ \
		return sv_get(cookie, which, out); \
	}
SV_GETTER(size, SV_SIZE)
SV_GETTER(free, SV_FREE)
SV_GETTER(avail, SV_AVAIL)
SV_GETTER(files, SV_FILES)
SV_GETTER(files_free, SV_FFREE)

static int get_readonly(void *cookie, uint64_t *out)
{
	struct uk_vfs_mount *m = cookie;

	*out = !!(__atomic_load_n(&m->flags, __ATOMIC_RELAXED) &
		  UK_VFS_MNT_RDONLY);
	return 0;
}

/* The histogram in seconds, cumulative; count is at least the sum of
 * the buckets read (an observation may land between two reads). */
static int get_op_seconds(void *cookie, struct uk_store_hist_val *out)
{
	struct uk_vfs_mount *m = cookie;
	uint64_t cum = 0, count;
	unsigned int i;

	out->nbuckets = VFS_HIST_N;
	out->le = op_le;
	for (i = 0; i < VFS_HIST_N; i++) {
		cum += uk_counter_read(&m->st.bucket[i]);
		out->cum[i] = cum;
	}
	cum += uk_counter_read(&m->st.bucket[VFS_HIST_N]);
	count = uk_counter_read(&m->st.count);
	out->count = count > cum ? count : cum;
	out->sum = (double)uk_counter_read(&m->st.sum_ns) * 1e-9;
	return 0;
}

static int get_device(void *cookie, const char **out)
{
	struct uk_vfs_mount *m = cookie;

	*out = m->source;
	return 0;
}

static int get_fstype(void *cookie, const char **out)
{
	struct uk_vfs_mount *m = cookie;

	*out = m->type->name;
	return 0;
}

static const struct uk_store_entry mount_tmpl[] = {
	UK_STORE_ENTRY(reads, u64, counter, none,
		       "read() and pread() calls on the mount's files.",
		       get_reads, NULL, NULL),
	UK_STORE_ENTRY(writes, u64, counter, none,
		       "write() and pwrite() calls on the mount's files.",
		       get_writes, NULL, NULL),
	UK_STORE_ENTRY(read_bytes, u64, counter, bytes,
		       "Bytes read from the mount's files.", get_read_bytes,
		       NULL, NULL),
	UK_STORE_ENTRY(written_bytes, u64, counter, bytes,
		       "Bytes written to the mount's files.",
		       get_written_bytes, NULL, NULL),
	UK_STORE_ENTRY(opens, u64, counter, none,
		       "Files and directories opened on the mount.",
		       get_opens, NULL, NULL),
	UK_STORE_ENTRY(errors, u64, counter, none,
		       "Operations on the mount that failed (ENOENT "
		       "included).", get_errors, NULL, NULL),
	UK_STORE_ENTRY(size, u64, gauge, bytes,
		       "Size of the file system (statvfs f_blocks; 0: no "
		       "limit).", get_size, NULL, NULL),
	UK_STORE_ENTRY(free, u64, gauge, bytes,
		       "Free space (statvfs f_bfree).", get_free, NULL, NULL),
	UK_STORE_ENTRY(avail, u64, gauge, bytes,
		       "Space available to writers (statvfs f_bavail).",
		       get_avail, NULL, NULL),
	UK_STORE_ENTRY(files, u64, gauge, none,
		       "File nodes (statvfs f_files; 0: no limit).",
		       get_files, NULL, NULL),
	UK_STORE_ENTRY(files_free, u64, gauge, none,
		       "Free file nodes (statvfs f_ffree).", get_files_free,
		       NULL, NULL),
	UK_STORE_ENTRY(readonly, u64, gauge, none,
		       "1 if the mount is read-only.", get_readonly, NULL,
		       NULL),
	UK_STORE_ENTRY(op_seconds, hist, histogram, seconds,
		       "Latency of operations on the mount (walks, reads, "
		       "writes...).", get_op_seconds, NULL, NULL),
	UK_STORE_ENTRY(device, str, info, none,
		       "The mounted device (mount's source).", get_device,
		       NULL, NULL),
	UK_STORE_ENTRY(fstype, str, info, none,
		       "The file system type.", get_fstype, NULL, NULL),
};

static void folder_release(void *cookie)
{
	_vfs_mount_free(cookie);
}

/* Sets up m's metrics before it is visible. */
void _vfs_stats_init(struct uk_vfs_mount *m)
{
	m->alive = 1;
}

/* Publishes m's folder (none if its mountpoint cannot be one). */
void _vfs_stats_mount(struct uk_vfs_mount *m)
{
	struct statvfs sv;
	char name[64];
	int rc;

	/* The first figures, for scrapes that find the lock taken. */
	uk_mutex_lock(&m->lock);
	_vfs_mount_statvfs(m, &sv);
	uk_mutex_unlock(&m->lock);
	rc = _vfs_escape_mountpoint(m->path, name, sizeof(name));
	if (rc >= 0)
		rc = uk_store_folder_add_valued(&uk_store_lib_vfs, "mountpoint",
						name, m->path, mount_tmpl,
						sizeof(mount_tmpl) /
						sizeof(mount_tmpl[0]), m,
						folder_release, &m->folder);
	if (rc < 0) {
		m->folder = NULL;
		uk_pr_warn("vfs: no metrics for mount %s (%d)\n", m->path, rc);
	}
}

/* The file system is gone (m locked). */
void _vfs_stats_dead(struct uk_vfs_mount *m)
{
	m->alive = 0;
}

/* Frees m once the store no longer reads it. */
void _vfs_stats_free(struct uk_vfs_mount *m)
{
	if (m->folder)
		uk_store_folder_remove(m->folder); /* frees m on release */
	else
		_vfs_mount_free(m);
}

#else /* !UK_VFS_METRICS */

void _vfs_stats_cache(struct uk_vfs_mount *m, const struct statvfs *sv)
{
}

void _vfs_stats_init(struct uk_vfs_mount *m)
{
}

void _vfs_stats_mount(struct uk_vfs_mount *m)
{
}

void _vfs_stats_dead(struct uk_vfs_mount *m)
{
}

void _vfs_stats_free(struct uk_vfs_mount *m)
{
	_vfs_mount_free(m);
}

#endif
