/*
 * The region allocator: the kernel heap (and the allocator that linuxu
 * tests run over an mmap()ed block).  Two layers share one lock:
 *
 * - pages (pages.c): a buddy allocator over the region's 4 KiB pages.
 *   Its state is an array of page descriptors at the start of the
 *   region, so free pages are never written (their junk stays put) and
 *   every page's state can be checked when a pointer comes back.
 * - objects: size classes from 16 bytes to 3.5 KiB, each served from
 *   slabs (1 page, or 4 for classes above 1 KiB) whose allocation bitmap
 *   lives in the slab's page descriptor; larger requests take whole
 *   pages.  Power-of-two classes give naturally aligned objects, which
 *   is how memalign serves small alignments; larger alignments come
 *   from pages, trimmed front and back.
 *
 * A pointer that is not a live allocation of this region, or a block
 * freed twice, is a broken invariant: UK_ASSERT panics.  With junk
 * filling on (UK_ALLOC_DEBUG, or uk_alloc_region_set_junk()), freed
 * memory is overwritten with UK_ALLOC_JUNK.
 */
#include <errno.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/assert.h>

#include "region_impl.h"

/* Gives back the cached empty slabs; returns whether there were any. */
static int drop_empty_slabs(struct region *r)
{
	unsigned c;
	int any = 0;

	for (c = 0; c < NCLASSES; c++) {
		if (r->empty[c] == NONE)
			continue;
		_uk_region_run_free(r, r->empty[c], slab_pages(c));
		r->ncached -= slab_pages(c);
		r->empty[c] = NONE;
		any = 1;
	}
	return any;
}

/* run_alloc, falling back on a scan and on the cached empty slabs. */
static uint32_t run_alloc_reclaim(struct region *r, uint32_t n)
{
	uint32_t i = _uk_region_run_alloc(r, n);

	if (i == NONE)
		i = _uk_region_run_scan(r, n, PAGE_SIZE);
	if (i == NONE && drop_empty_slabs(r)) {
		i = _uk_region_run_alloc(r, n);
		if (i == NONE)
			i = _uk_region_run_scan(r, n, PAGE_SIZE);
	}
	return i;
}

/* ---- objects ---------------------------------------------------------- */

static int size_class(size_t size)
{
	unsigned c;

	if (size <= 128)
		return size ? (int)((size + 15) / 16 - 1) : 0;
	for (c = 8; c < NCLASSES; c++)
		if (size <= class_size[c])
			return (int)c;
	return -1;
}

/* Marks the slab bits of objects past nobj as taken, so a search never finds them. */
static void slab_init_map(struct page *p, unsigned nobj)
{
	unsigned b;

	for (b = nobj; b < 256; b++)
		p->map[b / 64] |= 1ULL << (b % 64);
}

static void *slab_get(struct region *r, unsigned c)
{
	unsigned nobj = slab_objs(c), w;
	uint32_t i = r->partial[c];
	struct page *p;

	if (i == NONE) {
		i = r->empty[c];
		if (i != NONE) {
			r->empty[c] = NONE;
			r->ncached -= slab_pages(c);
		} else {
			i = run_alloc_reclaim(r, slab_pages(c));
			if (i == NONE)
				return NULL;
			_uk_region_run_mark(r, i, slab_pages(c), P_SLAB);
			r->pages[i].order = (uint8_t)c;
			r->pages[i].inuse = 0;
			memset(r->pages[i].map, 0, sizeof(r->pages[i].map));
			slab_init_map(&r->pages[i], nobj);
		}
		list_push(r, &r->partial[c], i);
	}
	p = &r->pages[i];
	for (w = 0; w < 4; w++) {
		unsigned b;

		if (!~p->map[w])
			continue;
		b = w * 64 + (unsigned)__builtin_ctzll(~p->map[w]);
		UK_ASSERT(b < nobj);
		p->map[w] |= 1ULL << (b % 64);
		if (++p->inuse == nobj)
			list_del(r, &r->partial[c], i);
		return r->base + ((size_t)i << PAGE_SHIFT) +
			(size_t)b * class_size[c];
	}
	uk_panic("ukalloc: slab %u of class %u full on its partial list", i,
		 c);
}

/*
 * The head page of the live allocation holding q, checking q is one.
 * Sets *obj to the object's slab bit (or -1 for a page run).
 */
static uint32_t find_block(struct region *r, const void *q, int *obj)
{
	uintptr_t off = (uintptr_t)q - (uintptr_t)r->base;
	uint32_t i, h;
	struct page *p;

	UK_ASSERT((uintptr_t)q >= (uintptr_t)r->base &&
		  off < ((uintptr_t)r->npages << PAGE_SHIFT));
	i = (uint32_t)(off >> PAGE_SHIFT);
	h = r->pages[i].type == P_TAIL ? r->pages[i].n : i;
	p = &r->pages[h];
	if (p->type == P_LARGE) {
		/* Not a double free or a pointer inside a block. */
		UK_ASSERT(h == i && !(off & (PAGE_SIZE - 1)));
		*obj = -1;
		return h;
	}
	UK_ASSERT(p->type == P_SLAB);
	off -= (uintptr_t)h << PAGE_SHIFT;
	UK_ASSERT(off % class_size[p->order] == 0);
	*obj = (int)(off / class_size[p->order]);
	UK_ASSERT((unsigned)*obj < slab_objs(p->order));
	/* A double free finds its bit clear. */
	UK_ASSERT(p->map[*obj / 64] & (1ULL << (*obj % 64)));
	return h;
}

static size_t block_size(struct region *r, uint32_t h)
{
	struct page *p = &r->pages[h];

	return p->type == P_LARGE ? (size_t)p->n << PAGE_SHIFT :
		class_size[p->order];
}

static void slab_put(struct region *r, uint32_t h, int obj)
{
	struct page *p = &r->pages[h];
	unsigned c = p->order, nobj = slab_objs(c);

	if (r->junk)
		memset(r->base + ((size_t)h << PAGE_SHIFT) +
		       (size_t)obj * class_size[c], UK_ALLOC_JUNK,
		       class_size[c]);
	p->map[obj / 64] &= ~(1ULL << (obj % 64));
	if (p->inuse-- == nobj)
		list_push(r, &r->partial[c], h);
	if (p->inuse)
		return;
	list_del(r, &r->partial[c], h);
	if (r->empty[c] == NONE) {
		r->empty[c] = h;
		r->ncached += slab_pages(c);
		return;
	}
	_uk_region_run_free(r, h, slab_pages(c));
}

static void large_put(struct region *r, uint32_t h)
{
	uint32_t n = r->pages[h].n;

	if (r->junk)
		memset(r->base + ((size_t)h << PAGE_SHIFT), UK_ALLOC_JUNK,
		       (size_t)n << PAGE_SHIFT);
	_uk_region_run_free(r, h, n);
}

/* n pages aligned to align (a power of two >= PAGE_SIZE), or NONE. */
static uint32_t large_get(struct region *r, size_t n, size_t align)
{
	size_t extra = align / PAGE_SIZE - 1, lead;
	uint32_t i;

	if (n > r->npages)
		return NONE;
	i = n + extra <= r->npages ? _uk_region_run_alloc(r, (uint32_t)(n + extra)) :
		NONE;
	if (i == NONE) {
		i = _uk_region_run_scan(r, (uint32_t)n, align);
		if (i == NONE && drop_empty_slabs(r))
			i = _uk_region_run_scan(r, (uint32_t)n, align);
		if (i == NONE)
			return NONE;
		extra = 0;
	}
	if (extra) {
		uintptr_t a = (uintptr_t)r->base + ((uintptr_t)i << PAGE_SHIFT);

		lead = (((a + align - 1) & ~(align - 1)) - a) >> PAGE_SHIFT;
		if (lead)
			_uk_region_run_free(r, i, (uint32_t)lead);
		if (extra - lead)
			_uk_region_run_free(r, i + (uint32_t)(lead + n),
				 (uint32_t)(extra - lead));
		i += (uint32_t)lead;
	}
	_uk_region_run_mark(r, i, (uint32_t)n, P_LARGE);
	return i;
}

/*
 * Statistics change under the lock but are read without it (ukstore
 * getters), so every update is a relaxed atomic store.
 */
static void stat_add(uint64_t *v, uint64_t d)
{
	__atomic_store_n(v, *v + d, __ATOMIC_RELAXED);
}

static void note_alloc(struct region *r, size_t bytes)
{
	struct uk_alloc_stats *st = &r->a.stats;

	stat_add(&st->allocs, 1);
	stat_add(&st->bytes_in_use, bytes);
	if (st->bytes_in_use > st->bytes_peak)
		__atomic_store_n(&st->bytes_peak, st->bytes_in_use,
				 __ATOMIC_RELAXED);
}

static void note_free(struct region *r, size_t bytes)
{
	stat_add(&r->a.stats.frees, 1);
	stat_add(&r->a.stats.bytes_in_use, (uint64_t)0 - bytes);
}

/* Allocates under the lock; align is a power of two. */
static void *alloc_locked(struct region *r, size_t size, size_t align)
{
	int c = -1;
	void *q = NULL;

	if (!size)
		size = 1;
	if (align <= 16) {
		c = size_class(size);
	} else if (align < PAGE_SIZE && size <= align) {
		/* A power-of-two class is aligned to its size. */
		c = size_class(align);
	} else if (align < PAGE_SIZE && size <= MAX_SMALL) {
		size_t s = align;

		while (s < size)
			s <<= 1;
		if (s <= 2048)
			c = size_class(s);
	}
	if (c >= 0) {
		q = slab_get(r, (unsigned)c);
		if (q)
			note_alloc(r, class_size[c]);
	} else if (size <= ((size_t)r->npages << PAGE_SHIFT)) {
		uint32_t i = large_get(r, (size + PAGE_SIZE - 1) >> PAGE_SHIFT,
				       align < PAGE_SIZE ? PAGE_SIZE : align);

		if (i != NONE) {
			q = r->base + ((size_t)i << PAGE_SHIFT);
			note_alloc(r, (size_t)r->pages[i].n << PAGE_SHIFT);
		}
	}
	if (!q)
		__atomic_add_fetch(&r->a.stats.failures, 1, __ATOMIC_RELAXED);
	return q;
}

static void free_locked(struct region *r, void *q)
{
	int obj;
	uint32_t h = find_block(r, q, &obj);

	note_free(r, block_size(r, h));
	if (obj < 0)
		large_put(r, h);
	else
		slab_put(r, h, obj);
}

static void *region_malloc(struct uk_alloc *a, size_t size)
{
	struct region *r = (struct region *)a;
	void *q;

	region_lock(r);
	q = alloc_locked(r, size, 16);
	region_unlock(r);
	return q;
}

static void *region_memalign(struct uk_alloc *a, size_t align, size_t size)
{
	struct region *r = (struct region *)a;
	void *q;

	/* Alignments beyond the region cannot be met (nor overflow). */
	if (!align || (align & (align - 1)) ||
	    align > ((size_t)r->npages << PAGE_SHIFT)) {
		__atomic_add_fetch(&a->stats.failures, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	region_lock(r);
	q = alloc_locked(r, size, align);
	region_unlock(r);
	return q;
}

static void region_free(struct uk_alloc *a, void *q)
{
	struct region *r = (struct region *)a;

	if (!q)
		return;
	region_lock(r);
	free_locked(r, q);
	region_unlock(r);
}

/*
 * Resizes in place when the block already fits and is not more than
 * twice too big (a page run shrinks by giving its tail back); otherwise
 * moves.  Counted as a free and an allocation, like linuxu's libc one.
 */
static void *region_realloc(struct uk_alloc *a, void *q, size_t size)
{
	struct region *r = (struct region *)a;
	size_t have;
	void *nq;
	int obj;
	uint32_t h;

	if (!q)
		return region_malloc(a, size);
	if (!size)
		size = 1;
	region_lock(r);
	h = find_block(r, q, &obj);
	have = block_size(r, h);
	if (size <= have && (size > have / 2 || have <= 16)) {
		note_free(r, have);
		note_alloc(r, have);
		region_unlock(r);
		return q;
	}
	if (obj < 0 && size > MAX_SMALL && size < have) {
		uint32_t keep = (uint32_t)((size + PAGE_SIZE - 1) >>
					   PAGE_SHIFT);
		uint32_t n = r->pages[h].n;

		if (r->junk)
			memset(r->base + ((size_t)(h + keep) << PAGE_SHIFT),
			       UK_ALLOC_JUNK, (size_t)(n - keep) << PAGE_SHIFT);
		_uk_region_run_free(r, h + keep, n - keep);
		r->pages[h].n = keep;
		note_free(r, have);
		note_alloc(r, (size_t)keep << PAGE_SHIFT);
		region_unlock(r);
		return q;
	}
	nq = alloc_locked(r, size, 16);
	if (nq) {
		memcpy(nq, q, size < have ? size : have);
		free_locked(r, q);
	}
	region_unlock(r);
	return nq;
}

/* See uk/alloc.h. */
struct uk_alloc *uk_alloc_region_create(void *base, size_t len)
{
	uintptr_t start = ((uintptr_t)base + 63) & ~(uintptr_t)63;
	uintptr_t end = (uintptr_t)base + len, pstart;
	struct region *r = (struct region *)start;
	size_t n;
	unsigned k;

	if (!base || end < (uintptr_t)base || end <= start ||
	    end - start < sizeof(*r) + sizeof(struct page) + 2 * PAGE_SIZE)
		return NULL;
	n = (end - start - sizeof(*r)) / (PAGE_SIZE + sizeof(struct page));
	if (n > 0x7fffffffu)
		n = 0x7fffffffu;
	for (;; n--) {
		if (!n)
			return NULL;
		pstart = (start + sizeof(*r) + n * sizeof(struct page) +
			  PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		if (pstart + n * PAGE_SIZE <= end)
			break;
	}
	memset(r, 0, sizeof(*r));
	r->a.malloc = region_malloc;
	r->a.memalign = region_memalign;
	r->a.realloc = region_realloc;
	r->a.free = region_free;
#ifdef UK_ALLOC_DEBUG
	r->junk = 1;
#endif
	r->pages = (struct page *)(start + sizeof(*r));
	r->base = (char *)pstart;
	r->npages = (uint32_t)n;
	for (k = 0; k < NORDERS; k++)
		r->free_head[k] = NONE;
	for (k = 0; k < NCLASSES; k++)
		r->partial[k] = r->empty[k] = NONE;
	memset(r->pages, 0, n * sizeof(struct page));
	_uk_region_run_free(r, 0, (uint32_t)n);
	return &r->a;
}

/* Whether a is a region allocator (its methods are ours). */
int uk_alloc_is_region(const struct uk_alloc *a)
{
	return a && a->malloc == region_malloc;
}

/* See uk/alloc.h. */
void uk_alloc_region_set_junk(struct uk_alloc *a, int on)
{
	UK_ASSERT(uk_alloc_is_region(a));
	((struct region *)a)->junk = on;
}

/* See uk/alloc.h. */
int uk_alloc_region_pages(struct uk_alloc *a, uint64_t *total,
			  uint64_t *free)
{
	struct region *r = (struct region *)a;

	if (!uk_alloc_is_region(a))
		return -EINVAL;
	region_lock(r);
	*total = r->npages;
	*free = r->nfree + r->ncached;
	region_unlock(r);
	return 0;
}

/* See uk/alloc.h. */
size_t uk_alloc_region_usable(struct uk_alloc *a, const void *q)
{
	struct region *r = (struct region *)a;
	size_t s;
	int obj;

	UK_ASSERT(uk_alloc_is_region(a));
	region_lock(r);
	s = block_size(r, find_block(r, q, &obj));
	region_unlock(r);
	return s;
}

/*
 * See uk/alloc.h.  Walks every page: free blocks must be on the list of
 * their order and cover exactly nfree pages, runs must be well formed,
 * slab counters must match their bitmaps and lists, and bytes_in_use
 * must equal the sizes of the live blocks.
 */
int uk_alloc_region_check(struct uk_alloc *a)
{
	struct region *r = (struct region *)a;
	uint64_t bytes = 0, listed = 0, nfree = 0;
	uint32_t i, k;
	unsigned o;
	int rc = 0;

	if (!uk_alloc_is_region(a))
		return -EINVAL;
	region_lock(r);
	for (o = 0; o < NORDERS; o++)
		for (i = r->free_head[o]; i != NONE; i = r->pages[i].next) {
			if (r->pages[i].type != P_FREE_HEAD ||
			    r->pages[i].order != o || (i & ((1u << o) - 1)))
				rc = -EFAULT;
			listed += 1u << o;
		}
	for (i = 0; i < r->npages && !rc;) {
		struct page *p = &r->pages[i];
		unsigned c, b, cnt = 0;

		switch (p->type) {
		case P_FREE_HEAD:
			for (k = 1; k < (1u << p->order); k++)
				if (r->pages[i + k].type != P_FREE)
					rc = -EFAULT;
			nfree += 1u << p->order;
			i += 1u << p->order;
			break;
		case P_LARGE:
		case P_SLAB:
			for (k = 1; k < p->n; k++)
				if (r->pages[i + k].type != P_TAIL ||
				    r->pages[i + k].n != i)
					rc = -EFAULT;
			if (p->type == P_LARGE) {
				bytes += (uint64_t)p->n << PAGE_SHIFT;
				i += p->n;
				break;
			}
			c = p->order;
			if (c >= NCLASSES || p->n != slab_pages(c)) {
				rc = -EFAULT;
				break;
			}
			for (b = 0; b < slab_objs(c); b++)
				cnt += !!(p->map[b / 64] & (1ULL << (b % 64)));
			if (cnt != p->inuse)
				rc = -EFAULT;
			bytes += (uint64_t)cnt * class_size[c];
			i += p->n;
			break;
		default:
			rc = -EFAULT;
			break;
		}
	}
	if (!rc && (nfree != r->nfree || listed != r->nfree ||
		    bytes != r->a.stats.bytes_in_use))
		rc = -EFAULT;
	region_unlock(r);
	return rc;
}
