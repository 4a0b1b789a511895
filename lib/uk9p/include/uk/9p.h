/*
 * uk9p: a 9P2000.L client.
 *
 * Transports.  A transport carries one request and brings back its reply
 * (struct uk_9p_trans_ops.rpc): virtio-9p on kvm (drivers/virtio), a
 * byte stream or a scripted fake in tests.  Transports register under
 * their mount tag (uk_9p_trans_register()); a file system finds one with
 * uk_9p_trans_find("tag") and creates a client over it.  Requests and
 * replies are described by small iovec arrays, so read, write and
 * readdir data go straight between the caller's buffer and the transport
 * (no copy, and no msize-sized buffer per request): a read's reply is
 * received as [11-byte header][caller's buffer], a write is sent as
 * [23-byte header][caller's data].  Read and write counts are bounded by
 * msize - 24, as Linux's client does (servers check against it).
 *
 * Client.  uk_9p_client_create() negotiates the version and msize
 * (Tversion); then uk_9p_attach() gives the root fid, and the operations
 * below work on fids.  Each call is synchronous for its thread; several
 * threads may have requests in flight at once (up to max_requests; a
 * thread beyond that waits for a free request slot).  Each slot owns a
 * tag (its index) and two small buffers for the non-data parts of the
 * messages.
 *
 * Safety.  Every reply is checked before use: its size field must equal
 * the bytes received and fit the buffers given, its tag must be the
 * request's, its type the request's reply (or Rlerror), and every field,
 * count and string must lie inside the message, which must be consumed
 * exactly.  A malformed reply gives -EPROTO (never an out-of-bounds read
 * or a crash); a transport failure gives -EIO; Rlerror gives -ecode (the
 * server's Linux errno; an implausible code gives -EPROTO).
 *
 * Errors: 0 (or a byte count) or a negative errno.
 */
#ifndef UK_9P_H
#define UK_9P_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- transports ------------------------------------------------------ */

/** Most transports the registry holds. */
#define UK_9P_TRANS_MAX 8
/** Longest mount tag (bytes, without the NUL). */
#define UK_9P_TAG_MAX 31

/** One buffer of a request or a reply. */
struct uk_9p_iov {
	void *base;
	uint32_t len;
};

/** One request as a transport sees it. */
struct uk_9p_io {
	const struct uk_9p_iov *tx;  /**< the whole T-message, in order */
	unsigned int ntx;
	const struct uk_9p_iov *rx;  /**< where the R-message goes, in order */
	unsigned int nrx;
	uint32_t rx_len;             /**< set by rpc: reply bytes received */
};

struct uk_9p_trans;

struct uk_9p_trans_ops {
	/**
	 * Sends io's request and waits for its reply, written across io->rx
	 * in order.  Called by up to max_requests threads at once.  Returns
	 * 0 with io->rx_len set, -EMSGSIZE when the reply did not fit io->rx
	 * (the reply is consumed and dropped), or -EIO.
	 */
	int (*rpc)(struct uk_9p_trans *t, struct uk_9p_io *io);
	/** Optional: called by uk_9p_trans_unregister(); may free t. */
	void (*release)(struct uk_9p_trans *t);
};

/** A transport.  The driver fills every field but the private ones. */
struct uk_9p_trans {
	const struct uk_9p_trans_ops *ops;
	char tag[UK_9P_TAG_MAX + 1]; /**< mount tag, NUL-terminated */
	uint32_t max_msize;          /**< largest message (0: no limit) */
	uint32_t max_requests;       /**< concurrent rpc calls (>= 1) */
	void *priv;

	int _registered;             /* private to uk9p */
};

/**
 * Registers t under t->tag.  Returns 0, -EINVAL (no rpc, empty tag,
 * max_requests 0, already registered), -EEXIST (tag taken) or -ENOSPC.
 */
int uk_9p_trans_register(struct uk_9p_trans *t);
/**
 * Removes t from the registry, then calls ops->release (no client may
 * still use t).  Returns 0 or -ENOENT.
 */
int uk_9p_trans_unregister(struct uk_9p_trans *t);
/** The transport registered under tag, or NULL. */
struct uk_9p_trans *uk_9p_trans_find(const char *tag);

/* ---- protocol constants (Linux values, as 9P2000.L carries them) ----- */

/** The version this client speaks. */
#define UK_9P_VERSION "9P2000.L"
/** Default proposed msize: data moves without copies, so it costs no
 * memory; the server and transport may lower it. */
#define UK_9P_MSIZE_DEFAULT (512 * 1024)
/** Smallest msize accepted from a server. */
#define UK_9P_MSIZE_MIN 4096
/** Longest file name; longest walk in one message. */
#define UK_9P_NAME_MAX 255
#define UK_9P_MAXWELEM 16

/** Tlopen/Tlcreate flags. */
#define UK_9P_O_RDONLY 00
#define UK_9P_O_WRONLY 01
#define UK_9P_O_RDWR 02
#define UK_9P_O_CREAT 0100
#define UK_9P_O_EXCL 0200
#define UK_9P_O_TRUNC 01000
#define UK_9P_O_APPEND 02000
#define UK_9P_O_DIRECTORY 0200000

/** qid.type bits. */
#define UK_9P_QTDIR 0x80
#define UK_9P_QTSYMLINK 0x02
#define UK_9P_QTFILE 0x00

/** Tgetattr request_mask. */
#define UK_9P_GETATTR_BASIC 0x000007ffULL
#define UK_9P_GETATTR_ALL 0x00003fffULL

/** struct uk_9p_setattr.valid. */
#define UK_9P_SETATTR_MODE 0x001
#define UK_9P_SETATTR_UID 0x002
#define UK_9P_SETATTR_GID 0x004
#define UK_9P_SETATTR_SIZE 0x008
#define UK_9P_SETATTR_ATIME 0x010      /**< to the server's now... */
#define UK_9P_SETATTR_MTIME 0x020
#define UK_9P_SETATTR_CTIME 0x040
#define UK_9P_SETATTR_ATIME_SET 0x080  /**< ...or to the given time */
#define UK_9P_SETATTR_MTIME_SET 0x100

/** Tunlinkat flags: remove a directory. */
#define UK_9P_AT_REMOVEDIR 0x200

/** A gid meaning "none given" (the server picks). */
#define UK_9P_NOGID 0xffffffffu

struct uk_9p_qid {
	uint8_t type;       /**< UK_9P_QT* */
	uint32_t version;
	uint64_t path;      /**< unique per file on the server */
};

/** Rgetattr. */
struct uk_9p_attr {
	uint64_t valid;     /**< which fields the server filled */
	struct uk_9p_qid qid;
	uint32_t mode, uid, gid;
	uint64_t nlink, rdev, size, blksize, blocks;
	uint64_t atime_sec, atime_nsec, mtime_sec, mtime_nsec;
	uint64_t ctime_sec, ctime_nsec, btime_sec, btime_nsec;
	uint64_t gen, data_version;
};

/** Tsetattr: the fields named in valid are applied. */
struct uk_9p_setattr {
	uint32_t valid;     /**< UK_9P_SETATTR_* */
	uint32_t mode, uid, gid;
	uint64_t size;
	uint64_t atime_sec, atime_nsec, mtime_sec, mtime_nsec;
};

/** Rstatfs. */
struct uk_9p_statfs {
	uint32_t type, bsize;
	uint64_t blocks, bfree, bavail, files, ffree, fsid;
	uint32_t namelen;
};

/** One directory entry of a Rreaddir. */
struct uk_9p_dirent {
	struct uk_9p_qid qid;
	uint64_t offset;    /**< pass to uk_9p_readdir() for the entries after */
	uint8_t type;       /**< DT_* as Linux numbers them */
	char name[UK_9P_NAME_MAX + 1];
};

/* ---- client ---------------------------------------------------------- */

struct uk_9p_client;

/** A fid: a server-side handle on a file, owned by one client. */
struct uk_9p_fid {
	struct uk_9p_client *client;
	uint32_t fid;
	struct uk_9p_qid qid;
	uint32_t iounit;    /**< from lopen/lcreate (0: none given) */
	int open;           /**< lopen/lcreate succeeded */
	struct uk_9p_fid *_next;  /* private: the client's free list */
};

struct uk_9p_client_cfg {
	uint32_t msize;         /**< proposed; 0: UK_9P_MSIZE_DEFAULT */
	uint32_t max_requests;  /**< request slots; 0: min(8, transport's) */
};

/**
 * Creates a client over t and negotiates the version and msize (the
 * smallest of the proposal, the transport's max_msize and the server's
 * answer).  Returns 0 and sets *out, -ENOMEM, -EPROTONOSUPPORT (the
 * server does not speak 9P2000.L), -EPROTO (a bad reply or an msize below
 * UK_9P_MSIZE_MIN), -EINVAL (NULL t) or -EIO.
 */
int uk_9p_client_create(struct uk_9p_trans *t,
			const struct uk_9p_client_cfg *cfg,
			struct uk_9p_client **out);
/** Frees the client; every fid must have been clunked. */
void uk_9p_client_destroy(struct uk_9p_client *c);
/** The negotiated msize. */
uint32_t uk_9p_client_msize(const struct uk_9p_client *c);

/**
 * Attaches to the tree aname as uname (numeric n_uname, or ~0 for none):
 * Tattach without authentication.  Sets *root.  Returns 0 or -errno.
 */
int uk_9p_attach(struct uk_9p_client *c, const char *uname,
		 uint32_t n_uname, const char *aname, struct uk_9p_fid **root);

/**
 * Walks from `from` through the n names (n 0 clones it) to a new fid,
 * several messages when n > UK_9P_MAXWELEM.  Returns 0 and sets *out, or
 * -ENOENT when a name is missing (no fid is left behind), -EINVAL /
 * -ENAMETOOLONG for a bad name, or another -errno.
 */
int uk_9p_walk(struct uk_9p_fid *from, const char *const *names,
	       unsigned int n, struct uk_9p_fid **out);
/**
 * uk_9p_walk() over a path of '/'-separated names ("" or "/" clones;
 * empty components are skipped).  Returns as uk_9p_walk(), or
 * -ENAMETOOLONG for more than 64 components.
 */
int uk_9p_walk_path(struct uk_9p_fid *from, const char *path,
		    struct uk_9p_fid **out);

/**
 * Releases f on the server (Tclunk) and frees it, even when the server
 * answers with an error (which is returned).  Returns 0 or -errno.
 */
int uk_9p_clunk(struct uk_9p_fid *f);

/** Opens f (Tlopen) with UK_9P_O_* flags.  Returns 0 or -errno. */
int uk_9p_lopen(struct uk_9p_fid *f, uint32_t flags);

/**
 * Creates and opens name in directory dir (Tlcreate on a clone of dir,
 * so dir stays the directory).  Sets *out to the open new file.  Returns
 * 0 or -errno (-EEXIST...).
 */
int uk_9p_lcreate(struct uk_9p_fid *dir, const char *name, uint32_t flags,
		  uint32_t mode, uint32_t gid, struct uk_9p_fid **out);

/**
 * Reads up to len bytes at offset from the open fid f, in messages of at
 * most msize - 24 bytes (and the iounit), stopping at the first short
 * reply (end of file).  Returns the bytes read (0 at end of file) or -errno: an error
 * from the server after some messages succeeded is still an error.
 */
int64_t uk_9p_read(struct uk_9p_fid *f, uint64_t offset, void *buf,
		   uint64_t len);
/**
 * Writes len bytes at offset to the open fid f, in messages of at most
 * msize - 24 bytes (and the iounit).  Returns the bytes written (short only when the
 * server wrote less) or -errno.
 */
int64_t uk_9p_write(struct uk_9p_fid *f, uint64_t offset, const void *buf,
		    uint64_t len);

/** Tgetattr with request_mask (UK_9P_GETATTR_*).  Returns 0 or -errno. */
int uk_9p_getattr(struct uk_9p_fid *f, uint64_t mask, struct uk_9p_attr *out);
/** Tsetattr: truncate (SIZE), chmod, times...  Returns 0 or -errno. */
int uk_9p_setattr(struct uk_9p_fid *f, const struct uk_9p_setattr *sa);

/**
 * Reads directory entries of the open directory f from offset (0 first,
 * then the last entry's offset) into buf (raw Rreaddir data, at most
 * msize - 24 bytes used).  Returns the bytes filled (0 at the end) or
 * -errno.  Walk them with uk_9p_dirent_next().
 */
int uk_9p_readdir(struct uk_9p_fid *f, uint64_t offset, void *buf,
		  uint32_t size);
/**
 * Decodes the entry at *pos of buf (len bytes from uk_9p_readdir()) and
 * advances *pos.  Returns 1 with *out filled, 0 at the end, or -EPROTO
 * for a truncated or malformed entry.
 */
int uk_9p_dirent_next(const void *buf, uint32_t len, uint32_t *pos,
		      struct uk_9p_dirent *out);

/** Creates directory name in dir.  qid may be NULL.  Returns 0 or -errno. */
int uk_9p_mkdir(struct uk_9p_fid *dir, const char *name, uint32_t mode,
		uint32_t gid, struct uk_9p_qid *qid);
/**
 * Removes name from dir (flags UK_9P_AT_REMOVEDIR for a directory).  On a
 * server without Tunlinkat (EOPNOTSUPP, as diod), walks to name and uses
 * Tremove, checking the type against flags itself (-EISDIR, -ENOTDIR).
 * Returns 0 or -errno.
 */
int uk_9p_unlinkat(struct uk_9p_fid *dir, const char *name, uint32_t flags);
/**
 * Renames olddir/oldname to newdir/newname (Trenameat, or walk + Trename
 * on a server without it).  Returns 0 or -errno.
 */
int uk_9p_renameat(struct uk_9p_fid *olddir, const char *oldname,
		   struct uk_9p_fid *newdir, const char *newname);
/** Flushes f's data to stable storage (datasync: data only). */
int uk_9p_fsync(struct uk_9p_fid *f, int datasync);
/** File system statistics of the file system holding f. */
int uk_9p_statfs(struct uk_9p_fid *f, struct uk_9p_statfs *out);

#ifdef __cplusplus
}
#endif

#endif /* UK_9P_H */
