/*
 * The region allocator's page layer: a buddy allocator over the region's
 * 4 KiB pages, whose state is the page descriptor array (free pages are
 * never written).  A run of n pages is cut from one power-of-two block
 * whose unused tail goes back; when no block is big enough, a walk over
 * the blocks in address order finds n free pages in a row.  A run is
 * freed as the aligned blocks it decomposes into, each merged with its
 * free buddies.  Callers hold the region's lock.
 */
#include <uk/assert.h>

#include "region_impl.h"

static void block_free(struct region *r, uint32_t i, unsigned o)
{
	while (o + 1 < NORDERS) {
		uint32_t b = i ^ (1u << o);

		if (b >= r->npages || r->pages[b].type != P_FREE_HEAD ||
		    r->pages[b].order != o)
			break;
		list_del(r, &r->free_head[o], b);
		r->pages[b].type = P_FREE;
		i &= ~(1u << o);
		o++;
	}
	r->pages[i].type = P_FREE_HEAD;
	r->pages[i].order = (uint8_t)o;
	list_push(r, &r->free_head[o], i);
}

/* Frees pages [i, i + n) as maximal aligned blocks; marks them free. */
void _uk_region_run_free(struct region *r, uint32_t i, uint32_t n)
{
	uint32_t k;

	for (k = 0; k < n; k++)
		r->pages[i + k].type = P_FREE;
	r->nfree += n;
	while (n) {
		unsigned o = 0;

		while (o + 1 < NORDERS && !(i & ((2u << o) - 1)) &&
		       (2u << o) <= n)
			o++;
		block_free(r, i, o);
		i += 1u << o;
		n -= 1u << o;
	}
}

/* Takes n pages; returns the first page's index or NONE. */
uint32_t _uk_region_run_alloc(struct region *r, uint32_t n)
{
	unsigned want = 0, o;
	uint32_t i;

	while ((1ULL << want) < n)
		want++;
	for (o = want; o < NORDERS && r->free_head[o] == NONE; o++)
		;
	if (o >= NORDERS)
		return NONE;
	i = r->free_head[o];
	list_del(r, &r->free_head[o], i);
	r->pages[i].type = P_FREE;
	while (o > want) {
		o--;
		block_free(r, i + (1u << o), o);
	}
	r->nfree -= 1u << want;
	if ((1u << want) > n)
		_uk_region_run_free(r, i + n, (1u << want) - n);
	return i;
}

/*
 * Takes the free pages [s, s + n), which lie in the run of free blocks
 * starting with the one at head.  All blocks overlapping the range
 * leave their lists first, so the parts outside it, freed again last,
 * cannot merge with a block about to be taken.
 */
static void run_take(struct region *r, uint32_t head, uint32_t s, uint32_t n)
{
	uint32_t i = head;

	while (i < s + n) {
		uint32_t len = 1u << r->pages[i].order;

		UK_ASSERT(r->pages[i].type == P_FREE_HEAD);
		list_del(r, &r->free_head[r->pages[i].order], i);
		r->pages[i].type = P_FREE;
		r->nfree -= len;
		i += len;
	}
	if (head < s)
		_uk_region_run_free(r, head, s - head);
	if (i > s + n)
		_uk_region_run_free(r, s + n, i - (s + n));
}

/*
 * The slow path for runs the buddy lists cannot serve with one block:
 * walks the blocks in address order for n free pages in a row whose
 * first page's address is a multiple of align (a power of two >=
 * PAGE_SIZE).  Returns the first page or NONE.  O(blocks); taken only
 * when memory is tight or fragmented.
 */
uint32_t _uk_region_run_scan(struct region *r, uint32_t n, size_t align)
{
	uint32_t i = 0, head = NONE;
	uintptr_t b = (uintptr_t)r->base;

	while (i < r->npages) {
		struct page *p = &r->pages[i];
		uintptr_t a;
		uint64_t s;

		if (p->type != P_FREE_HEAD) {
			UK_ASSERT(p->type == P_LARGE || p->type == P_SLAB);
			head = NONE;
			i += p->n;
			continue;
		}
		if (head == NONE)
			head = i;
		i += 1u << p->order;
		a = b + ((uintptr_t)head << PAGE_SHIFT);
		s = head + ((((a + align - 1) & ~(uintptr_t)(align - 1)) - a) >>
			    PAGE_SHIFT);
		if (s + n <= i) {
			run_take(r, head, (uint32_t)s, n);
			return (uint32_t)s;
		}
	}
	return NONE;
}

/* Marks a run taken as type (LARGE or SLAB) of n pages at i. */
void _uk_region_run_mark(struct region *r, uint32_t i, uint32_t n, int type)
{
	uint32_t k;

	r->pages[i].type = (uint8_t)type;
	r->pages[i].n = n;
	r->pages[i].next = r->pages[i].prev = NONE;
	for (k = 1; k < n; k++) {
		r->pages[i + k].type = P_TAIL;
		r->pages[i + k].n = i;
	}
}
