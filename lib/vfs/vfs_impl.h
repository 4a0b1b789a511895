/*
 * The VFS's private definitions, shared by its files only.
 *
 * Locks, in the only order they are ever nested: an open file's
 * position lock (file.c), a mount's lock, then the mount table's lock
 * (which guards the list of mounts and every mount's busy count), then
 * the descriptor table's lock.  A walk holds
 * at most one mount lock at a time: crossing into another mount, it
 * marks that mount busy under the table lock before letting go of the
 * first, so a mount it is about to enter cannot be unmounted.
 */
#ifndef VFS_IMPL_H
#define VFS_IMPL_H

#include <stdint.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <uk/counter.h>
#include <uk/lock.h>
#include <uk/store_publish.h>
#include <uk/vfs.h>
#include <uk/vfs_file.h>
#include <uk/vfs_fs.h>

/* Metrics are compiled in unless built with -DUK_VFS_METRICS=0. */
#ifndef UK_VFS_METRICS
#define UK_VFS_METRICS 1
#endif

/* The latency histogram's bounds in ns (1 us .. 1 s), stats.c. */
#define VFS_HIST_N 11
extern const uint64_t _vfs_hist_le_ns[VFS_HIST_N];

/*
 * Per-mount metrics; written under the mount's lock (one writer), with
 * relaxed atomics for the scraper.  The histogram counts in integer
 * nanoseconds (no floating point on the I/O path); stats.c turns it
 * into seconds for the store.
 */
struct vfs_mstats {
	uint64_t reads, writes, read_bytes, written_bytes, opens, errors;
	uint64_t bucket[VFS_HIST_N + 1];  /* not cumulative; last: +Inf */
	uint64_t count, sum_ns;
};

struct uk_vfs_mount {
	struct uk_vfs_mount *next;         /* the table, by creation */
	const struct uk_vfs_fs_type *type;
	struct uk_mutex lock;
	struct uk_vfs_node *root;          /* a reference held */
	struct uk_vfs_mount *parent;       /* NULL for "/" */
	struct uk_vfs_node *covered;       /* in parent; a reference held */
	uint32_t busy;        /* walks and open files in it (table lock) */
	uint32_t nchildren;   /* mounts on its nodes (its lock + table) */
	uint32_t id;          /* st_dev */
	unsigned long flags;  /* UK_VFS_MNT_* */
	void *priv;
	char *path;           /* the mountpoint, canonical */
	char *source;
#if UK_VFS_METRICS
	struct vfs_mstats st;
	struct uk_store_folder *folder;
	/*
	 * The last statfs figures (size, free, avail, files, files_free in
	 * that order; atomic), which a scrape reports when it finds the
	 * lock taken or the mount gone, and whether the file system is
	 * still mounted (changed under the lock).
	 */
	uint64_t svc[5];
	int alive;
#endif
};

/* ---- mounts (mount.c) ------------------------------------------------ */

void _vfs_table_lock(void);
void _vfs_table_unlock(void);
/* The mounts, newest first, linked by next (the table lock held). */
struct uk_vfs_mount *_vfs_mounts(void);
/* The root mount, marked busy (mounting the default ramfs the first time);
 * NULL and *err when there is none. */
struct uk_vfs_mount *_vfs_root_busy(int *err);
/* Marks m busy / not busy (takes the table lock). */
void _vfs_mount_busy(struct uk_vfs_mount *m);
void _vfs_mount_unbusy(struct uk_vfs_mount *m);
/* The mount on node n of parent (n's lock held), marked busy, or NULL. */
struct uk_vfs_mount *_vfs_mount_on(struct uk_vfs_node *n);
/* Whether node n (its mount locked) is a mountpoint. */
int _vfs_is_mountpoint(struct uk_vfs_node *n);

/* ---- walks (walk.c) -------------------------------------------------- */

enum { VFS_LAST_NORM, VFS_LAST_DOT, VFS_LAST_DOTDOT, VFS_LAST_ROOT };

/*
 * A walk's state.  After a successful _vfs_walk(), m is locked and busy
 * and node holds a reference: the final node, or (parent mode) the
 * directory holding the last component (last, lastlen, lasttype).
 * trailing tells whether the path ended with '/'.
 */
struct vfs_walk {
	struct uk_vfs_mount *m;
	struct uk_vfs_node *node;
	const char *last;
	size_t lastlen;
	int lasttype;
	int trailing;
	uint64_t t0;          /* start of the operation, for the histogram */
};

/*
 * Resolves path (parent: stop before the last component).  Returns 0
 * (see struct vfs_walk) or a negative errno with nothing held.
 */
int _vfs_walk(const char *path, int parent, struct vfs_walk *w);
/*
 * Looks the last component up after a parent walk: 0 and *out (with a
 * reference, crossing into a mount on it, w->m following), -ENOENT, or
 * another error.  Only for lasttype VFS_LAST_NORM.
 */
int _vfs_walk_last(struct vfs_walk *w, struct uk_vfs_node **out);
/* Makes node (a reference from _vfs_walk_last) the walk's node in place
 * of its parent, entering a mount on it. */
void _vfs_walk_descend(struct vfs_walk *w, struct uk_vfs_node *node);
/* Ends a walk: records rc for the metrics, drops node, unlocks, unbusies.
 * Returns rc. */
int _vfs_walk_end(struct vfs_walk *w, int rc);

/* ---- files (file.c) -------------------------------------------------- */

/* Opens node (a reference the file takes over; w->m locked) as a file
 * object: 0 and *out with one reference, or an error. */
int _vfs_file_open(struct uk_vfs_mount *m, struct uk_vfs_node *node,
		   int flags, struct uk_vfs_file **out);

/* stat of node of m (m locked), st_dev, st_ino and the type filled in. */
int _vfs_node_stat(struct uk_vfs_mount *m, struct uk_vfs_node *node,
		   struct stat *st);
/* statvfs of m (m locked) with the mount's flags (and cached for the
 * store). */
int _vfs_mount_statvfs(struct uk_vfs_mount *m, struct statvfs *sv);

/* ---- descriptors (fd.c) ---------------------------------------------- */

/* Reserves the lowest free descriptor (not yet usable): fd or -EMFILE. */
int _vfs_fd_reserve(void);
/* Installs f (taking a reference) at a reserved fd. */
void _vfs_fd_install(int fd, struct uk_vfs_file *f);
/* Gives a reserved fd back. */
void _vfs_fd_unreserve(int fd);

/* ---- metrics (stats.c) ------------------------------------------------ */

uint64_t _vfs_now(void);
/* Sets up m's metrics before it becomes visible. */
void _vfs_stats_init(struct uk_vfs_mount *m);
/* Publishes m as folder vfs/<escaped mountpoint>;
 * a mountpoint that cannot be a folder is mounted without one. */
void _vfs_stats_mount(struct uk_vfs_mount *m);
/* The file system of m is gone (m locked): scrapes use the cache. */
void _vfs_stats_dead(struct uk_vfs_mount *m);
/* Records m's statfs figures for scrapes. */
void _vfs_stats_cache(struct uk_vfs_mount *m, const struct statvfs *sv);
/* Frees m, an unmounted mount, once no scrape can read it any more. */
void _vfs_stats_free(struct uk_vfs_mount *m);
/* Frees an unmounted mount's memory (mount.c). */
void _vfs_mount_free(struct uk_vfs_mount *m);
/*
 * Escapes a mountpoint into a store folder name: "/" is "-", otherwise
 * the path without its leading slash with '/' as '-', and '-', '\' and a
 * leading '.' written as \xNN (systemd's path escaping).  Returns the
 * length, or -ENAMETOOLONG if it needs more than size - 1 bytes.
 */
int _vfs_escape_mountpoint(const char *path, char *out, size_t size);

#if UK_VFS_METRICS
/* Counts an operation of m (locked) started at t0 that returned rc. */
static inline void _vfs_count_op(struct uk_vfs_mount *m, uint64_t t0, int rc)
{
	uint64_t ns = _vfs_now() - t0;
	unsigned int i = 0;

	if (rc < 0)
		uk_counter_add(&m->st.errors, 1);
	while (i < VFS_HIST_N && ns > _vfs_hist_le_ns[i])
		i++;
	uk_counter_add(&m->st.bucket[i], 1);
	uk_counter_add(&m->st.count, 1);
	uk_counter_add(&m->st.sum_ns, ns);
}
static inline uint64_t _vfs_op_start(void)
{
	return _vfs_now();
}
#else
static inline void _vfs_count_op(struct uk_vfs_mount *m, uint64_t t0, int rc)
{
	(void)m;
	(void)t0;
	(void)rc;
}
static inline uint64_t _vfs_op_start(void)
{
	return 0;
}
#endif

#endif /* VFS_IMPL_H */
