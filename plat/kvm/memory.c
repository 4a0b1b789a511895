/*
 * The memory map and the kernel heap.  At boot the PVH start info's
 * memory map (or, with an old loader, the CMOS memory size) is read once;
 * the heap is the largest RAM range above the kernel image and below the
 * end of the identity map.  The region allocator over it is created on
 * the first request for the default allocator, so an image that never
 * allocates pays nothing, and RAM is never zeroed up front.
 */
#include <errno.h>

#include <uk/alloc.h>
#include <uk/arch/io.h>
#include <uk/assert.h>
#include <uk/plat/bootstage.h>
#include <uk/plat/initrd.h>

#include <kvm/plat.h>

#define PAGE_SIZE 4096ULL
#define MAP_MAX 64
#define MIB (1024ULL * 1024ULL)

static uint64_t heap_base, heap_len, ram_total;
static int heap_found;
static struct uk_alloc *heap_alloc;

/* See kvm/plat.h; returns 0 or -ENOMEM. */
int uk_kvm_heap_pick(const struct uk_kvm_memrange *map, int n, uint64_t lo,
		     uint64_t hi, uint64_t *base, uint64_t *len)
{
	uint64_t best_base = 0, best_len = 0;
	int i;

	for (i = 0; i < n; i++) {
		uint64_t s = map[i].addr, e = map[i].addr + map[i].size;

		if (map[i].type != UK_KVM_MEM_RAM || e <= s)
			continue;
		if (s < lo)
			s = lo;
		if (e > hi)
			e = hi;
		s = (s + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		e &= ~(PAGE_SIZE - 1);
		if (e > s && e - s > best_len) {
			best_base = s;
			best_len = e - s;
		}
	}
	if (!best_len)
		return -ENOMEM;
	*base = best_base;
	*len = best_len;
	return 0;
}

static uint8_t cmos_read(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

/* Without a PVH memory map: the sizes that firmware left in CMOS. */
static int cmos_map(struct uk_kvm_memrange *map)
{
	uint64_t above16 = (uint64_t)(cmos_read(0x34) |
				      (cmos_read(0x35) << 8)) * 65536;
	uint64_t ext_kb = (uint64_t)(cmos_read(0x30) | (cmos_read(0x31) << 8));

	map[0] = (struct uk_kvm_memrange){ 0, 640 * 1024, UK_KVM_MEM_RAM };
	if (above16)
		map[1] = (struct uk_kvm_memrange){ MIB, 15 * MIB + above16,
						   UK_KVM_MEM_RAM };
	else
		map[1] = (struct uk_kvm_memrange){ MIB, ext_kb * 1024,
						   UK_KVM_MEM_RAM };
	return 2;
}

/*
 * Takes [start, end) out of the RAM ranges of map (n entries, room for
 * MAP_MAX), splitting a range in two where needed, so the heap can never
 * be placed over it.
 */
static void map_reserve(struct uk_kvm_memrange *map, int *n, uint64_t start,
			uint64_t end)
{
	int i, cnt = *n;

	for (i = 0; i < cnt; i++) {
		uint64_t s = map[i].addr, e = map[i].addr + map[i].size;

		if (map[i].type != UK_KVM_MEM_RAM || end <= s || start >= e)
			continue;
		map[i].size = start > s ? start - s : 0;
		if (end < e && *n < MAP_MAX)
			map[(*n)++] = (struct uk_kvm_memrange){ end, e - end,
								UK_KVM_MEM_RAM };
	}
}

/* PVH module list entries (hvm_modlist_entry). */
struct pvh_module {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};

static const void *initrd_base;
static size_t initrd_len;

/* The first boot module (QEMU's -initrd): 0, or -ENOENT if none. */
int uk_plat_initrd(const void **data, size_t *len)
{
	if (!initrd_base)
		return -ENOENT;
	*data = initrd_base;
	*len = initrd_len;
	return 0;
}

/* Reads the boot memory map and picks the heap; call once at boot. */
void _uk_kvm_memory_init(const struct uk_kvm_pvh_start_info *si)
{
	struct uk_kvm_memrange map[MAP_MAX];
	uint64_t lo;
	int i, n = 0;

	if (si && si->magic == UK_KVM_PVH_MAGIC && si->version >= 1 &&
	    si->memmap_paddr && si->memmap_entries) {
		const struct uk_kvm_pvh_memmap_entry *e =
			(const void *)(uintptr_t)si->memmap_paddr;

		for (i = 0; i < (int)si->memmap_entries && n < MAP_MAX; i++) {
			map[n].addr = e[i].addr;
			map[n].size = e[i].size;
			map[n++].type = e[i].type;
		}
	} else {
		n = cmos_map(map);
	}
	for (i = 0; i < n; i++)
		if (map[i].type == UK_KVM_MEM_RAM)
			ram_total += map[i].size;
	/* The initrd sits in RAM the firmware calls free: keep it. */
	if (si && si->magic == UK_KVM_PVH_MAGIC && si->nr_modules &&
	    si->modlist_paddr) {
		const struct pvh_module *m =
			(const void *)(uintptr_t)si->modlist_paddr;

		if (m->size && m->paddr + m->size <= UK_KVM_MAPPED_TOP) {
			initrd_base = (const void *)(uintptr_t)m->paddr;
			initrd_len = (size_t)m->size;
			map_reserve(map, &n, m->paddr & ~(PAGE_SIZE - 1),
				    m->paddr + m->size);
		}
	}
	lo = ((uint64_t)(uintptr_t)_uk_kvm_image_end + PAGE_SIZE - 1) &
	     ~(PAGE_SIZE - 1);
	if (lo < MIB)
		lo = MIB;
	heap_found = !uk_kvm_heap_pick(map, n, lo, UK_KVM_MAPPED_TOP,
				       &heap_base, &heap_len);
}

/* Returns 0 and the heap chosen at boot, or -ENOMEM if there is none. */
int uk_kvm_heap_region(uint64_t *base, uint64_t *len)
{
	if (!heap_found)
		return -ENOMEM;
	*base = heap_base;
	*len = heap_len;
	return 0;
}

/* Returns the bytes of RAM in the boot memory map. */
uint64_t uk_kvm_ram_total(void)
{
	return ram_total;
}

/*
 * ukalloc's platform default: the region allocator over the heap, built
 * on first use.  Panics if there is no heap: nothing could run anyway.
 */
struct uk_alloc *_uk_alloc_platform_default(void)
{
	struct uk_alloc *a = heap_alloc;

	if (a)
		return a;
	if (!heap_found)
		uk_panic("kvm: no RAM for the heap in the memory map");
	a = uk_alloc_region_create((void *)(uintptr_t)heap_base,
				   (size_t)heap_len);
	if (!a)
		uk_panic("kvm: cannot create the heap allocator");
	heap_alloc = a;
	uk_plat_boot_stage("heap");
	return a;
}
