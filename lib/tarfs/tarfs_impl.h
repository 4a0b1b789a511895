/*
 * tarfs's private definitions: the index that scan.c builds from an
 * archive's headers and tarfs.c serves.
 *
 * The index is an array of nodes (index 0 is the root), each with its
 * name component (in one string pool), its parent, its children as a
 * list in archive order, and where its data lies in the backing.  A hash
 * table over (parent, name) finds a child in O(1).  The array never
 * moves once the mount is done, so the VFS may keep pointers into it.
 */
#ifndef TARFS_IMPL_H
#define TARFS_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <uk/alloc.h>
#include <uk/tarfs.h>
#include <uk/vfs_fs.h>

#define TAR_NONE UINT32_MAX

struct tar_node {
	struct uk_vfs_node vn;   /* ino = index + 1; type S_IFREG/S_IFDIR */
	uint32_t parent;
	uint32_t first, last;    /* children, in archive order */
	uint32_t next;           /* sibling */
	uint32_t hnext;          /* hash chain */
	uint32_t name;           /* offset in the pool */
	uint16_t namelen;
	uint16_t mode;           /* permission bits */
	uint32_t nsubdirs;
	int64_t mtime;
	uint64_t off, size;      /* data in the backing */
};

struct tarfs {
	struct uk_alloc *a;
	struct uk_tarfs_backing b;
	struct tar_node *nodes;
	uint32_t n, cap, max;
	uint32_t *hash;          /* heads; hmask + 1 of them */
	uint32_t hmask;
	char *pool;
	size_t plen, pcap;
};

/*
 * Reads the archive's headers from fs->b and builds fs's index (fs->a,
 * fs->b and fs->max set).  Returns 0, or -EINVAL (a bad archive; a
 * console line says why and where), -EIO (the backing failed), -EFBIG
 * (more than max nodes), -ENOMEM.  On error the caller frees with
 * _tarfs_index_free().
 */
int _tarfs_index_build(struct tarfs *fs, struct uk_vfs_mount *m);
/* Frees what the index holds. */
void _tarfs_index_free(struct tarfs *fs);
/* The child name (len bytes) of node dir, or TAR_NONE. */
uint32_t _tarfs_child(const struct tarfs *fs, uint32_t dir, const char *name,
		      size_t len);
/* Reads n bytes at off of the backing: 0 or -EIO. */
int _tarfs_backing_read(const struct tarfs *fs, void *buf, size_t n,
			uint64_t off);

#endif /* TARFS_IMPL_H */
