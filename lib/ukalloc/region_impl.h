/*
 * ukalloc-internal: the region allocator's state, shared by its page
 * layer (pages.c, the buddy allocator) and its object layer (region.c).
 * Everything here is used under the region's lock.
 */
#ifndef UK_ALLOC_REGION_IMPL_H
#define UK_ALLOC_REGION_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <uk/alloc.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define NORDERS 32
#define NONE 0xffffffffu

enum ptype {
	P_FREE = 0,     /* in a free block (FREE_HEAD: its first page) */
	P_FREE_HEAD,
	P_LARGE,        /* first page of a page allocation */
	P_SLAB,         /* first page of a slab */
	P_TAIL,         /* later page of a LARGE run or a SLAB */
};

struct page {
	uint8_t type;
	uint8_t order;   /* FREE_HEAD: block order; SLAB: size class */
	uint16_t inuse;  /* SLAB: objects handed out */
	uint32_t next;   /* FREE_HEAD: free list; SLAB: partial list */
	uint32_t prev;   /* ditto */
	uint32_t n;      /* LARGE, SLAB: run length in pages; TAIL: head */
	uint64_t map[4]; /* SLAB: allocated objects */
};

/* Objects up to 3584 bytes; the table is the only tuning knob. */
static const uint16_t class_size[] __attribute__((unused)) = {
	16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448,
	512, 640, 768, 896, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584,
};
#define NCLASSES (sizeof(class_size) / sizeof(class_size[0]))
#define MAX_SMALL 3584

struct region {
	struct uk_alloc a;       /* first: the allocator is the region */
	int lock;
	int junk;
	struct page *pages;
	char *base;              /* page 0 */
	uint32_t npages;
	uint32_t nfree;          /* pages in free blocks */
	uint32_t ncached;        /* pages in cached empty slabs */
	uint32_t free_head[NORDERS];
	uint32_t partial[NCLASSES]; /* slabs with a free object */
	uint32_t empty[NCLASSES];   /* one cached empty slab per class */
};

static inline unsigned slab_pages(unsigned cls)
{
	return class_size[cls] > 1024 ? 4 : 1;
}

static inline unsigned slab_objs(unsigned cls)
{
	return (unsigned)(slab_pages(cls) * PAGE_SIZE / class_size[cls]);
}

static inline void region_lock(struct region *r)
{
	while (__atomic_exchange_n(&r->lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&r->lock, __ATOMIC_RELAXED))
			__builtin_ia32_pause();
}

static inline void region_unlock(struct region *r)
{
	__atomic_store_n(&r->lock, 0, __ATOMIC_RELEASE);
}

/* ---- lists of page indices ------------------------------------------ */

static inline void list_push(struct region *r, uint32_t *head, uint32_t i)
{
	struct page *p = &r->pages[i];

	p->prev = NONE;
	p->next = *head;
	if (*head != NONE)
		r->pages[*head].prev = i;
	*head = i;
}

static inline void list_del(struct region *r, uint32_t *head, uint32_t i)
{
	struct page *p = &r->pages[i];

	if (p->prev != NONE)
		r->pages[p->prev].next = p->next;
	else
		*head = p->next;
	if (p->next != NONE)
		r->pages[p->next].prev = p->prev;
	p->next = p->prev = NONE;
}

/* pages.c: the buddy layer.  Runs are given as first page and length. */

/* Frees pages [i, i + n) (merging buddies) and marks them free. */
void _uk_region_run_free(struct region *r, uint32_t i, uint32_t n);
/* Takes n pages from the buddy lists; returns the first or NONE. */
uint32_t _uk_region_run_alloc(struct region *r, uint32_t n);
/*
 * Finds and takes n free pages in a row starting at a multiple of align
 * (a power of two >= PAGE_SIZE) by walking all blocks; returns the first
 * page or NONE.
 */
uint32_t _uk_region_run_scan(struct region *r, uint32_t n, size_t align);
/* Marks pages [i, i + n) as one LARGE or SLAB run. */
void _uk_region_run_mark(struct region *r, uint32_t i, uint32_t n, int type);

#endif
