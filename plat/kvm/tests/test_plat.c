/*
 * Kernel tests of the platform's devices and tables: console output and
 * non-blocking input, the memory map and heap choice (also as a pure
 * function), the default allocator over the heap, interrupt masking, a real IRQ delivered through the 8259
 * (PIT channel 0 one-shot on line 0), unexpected vectors being counted,
 * frame-pointer backtraces, and ukstore's static sections gathered by
 * the linker script from several libraries (kvm from plat/kvm, kvmtest_a
 * here, kvmtest_b in store_b.c).
 */
#include <errno.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/arch/backtrace.h>
#include <uk/arch/cpu.h>
#include <uk/arch/io.h>
#include <uk/plat/cmdline.h>
#include <uk/plat/console.h>
#include <uk/plat/idle.h>
#include <uk/plat/irq.h>
#include <uk/plat/time.h>
#include <uk/store.h>
#include <uk/test.h>

#include <kvm/plat.h>

#define MIB (1024ULL * 1024ULL)

UK_TEST(console_write_read)
{
	static const char msg[] = "  console: a line written directly\n";
	char buf[16];
	uint64_t t0 = uk_plat_time_mono_ns();

	UK_TEST_EQ(uk_plat_console_write(msg, sizeof(msg) - 1),
		     sizeof(msg) - 1);
	UK_TEST_EQ(uk_plat_console_write(msg, 0), 0);
	/* stdin is /dev/null under qemu-test.sh: nothing, and no wait. */
	UK_TEST_ASSERT(uk_plat_console_read(buf, sizeof(buf)) >= 0);
	UK_TEST_EXPECT(uk_plat_time_mono_ns() - t0 < 100 * UK_NSEC_PER_MSEC);
}

static volatile int rx_irqs;

static int on_rx(void *arg)
{
	rx_irqs++;
	return 1;
}

/*
 * Input on COM1 raises IRQ 4.  With kvmtest.input=TEXT, crash.sh sends
 * TEXT to QEMU's stdin once it sees "waiting for input", and the bytes
 * must arrive through interrupts; otherwise only the set-up is checked.
 */
UK_TEST(console_input_irq)
{
	const char *want = uk_plat_option("kvmtest.input");
	char buf[64];
	size_t n = 0;
	uint64_t t0;

	UK_TEST_EQ(inb(0x3f9) & 0x01, 1); /* IER: received-data IRQ */
	UK_TEST_EQ(uk_plat_irq_register(4, on_rx, NULL), 0);
	if (!want)
		return;
	uk_test_log("console: waiting for input");
	t0 = uk_plat_time_mono_ns();
	while (n < strlen(want) &&
	       uk_plat_time_mono_ns() - t0 < 5 * UK_NSEC_PER_SEC) {
		int r = uk_plat_console_read(buf + n, sizeof(buf) - 1 - n);

		UK_TEST_ASSERT(r >= 0);
		n += (size_t)r;
		if (!r)
			uk_plat_idle_until(uk_plat_time_mono_ns() +
					   100 * UK_NSEC_PER_MSEC);
	}
	buf[n] = '\0';
	uk_test_log("read '%s' with %d receive interrupt(s)", buf, rx_irqs);
	UK_TEST_STREQ(buf, want);
	UK_TEST_EXPECT(rx_irqs >= 1);
}

UK_TEST(memmap_heap)
{
	uint64_t base, len, ram = uk_kvm_ram_total();
	uint64_t end = (uint64_t)(uintptr_t)_uk_kvm_image_end;
	volatile uint64_t *first, *last;

	uk_test_log("RAM %llu KiB, heap %s", (unsigned long long)(ram >> 10),
		    uk_kvm_heap_region(&base, &len) ? "none" : "found");
	UK_TEST_EQ(uk_kvm_heap_region(&base, &len), 0);
	uk_test_log("heap [0x%llx, 0x%llx) %llu KiB, image ends 0x%llx",
		    (unsigned long long)base, (unsigned long long)(base + len),
		    (unsigned long long)(len >> 10), (unsigned long long)end);
	UK_TEST_EXPECT(ram >= 15 * MIB && ram <= 4096 * MIB);
	UK_TEST_EXPECT(base >= end && base >= MIB);
	UK_TEST_EXPECT(base % 4096 == 0 && len % 4096 == 0);
	/* Everything from the image's end to the top of RAM (-m 16M+). */
	UK_TEST_EXPECT(len >= 8 * MIB);
	UK_TEST_EXPECT(base + len <= ram + MIB);
	UK_TEST_EXPECT(base - end < 4096 || base > end);
	/* Both ends are mapped and are RAM (put back: the heap may be live). */
	first = (volatile uint64_t *)(uintptr_t)base;
	last = (volatile uint64_t *)(uintptr_t)(base + len - 8);
	{
		uint64_t f0 = *first, l0 = *last;
		unsigned long fl = uk_plat_irq_save();

		*first = 0x1122334455667788ULL;
		*last = 0x8877665544332211ULL;
		UK_TEST_EXPECT(*first == 0x1122334455667788ULL);
		UK_TEST_EXPECT(*last == 0x8877665544332211ULL);
		*first = f0;
		*last = l0;
		uk_plat_irq_restore(fl);
	}
}

UK_TEST(heap_default_allocator)
{
	static void *blocks[4096];
	struct uk_alloc *a = uk_alloc_get_default();
	uint64_t base, len, got = 0, bs;
	unsigned int i, n = 0;
	char *p;

	UK_TEST_ASSERT(a != NULL);
	UK_TEST_EQ(uk_kvm_heap_region(&base, &len), 0);
	p = uk_malloc(a, MIB);
	UK_TEST_ASSERT(p != NULL);
	UK_TEST_EXPECT((uint64_t)(uintptr_t)p >= base &&
		  (uint64_t)(uintptr_t)p + MIB <= base + len);
	memset(p, 0x5a, MIB);
	UK_TEST_EXPECT(p[0] == 0x5a && p[MIB - 1] == 0x5a);
	uk_free(a, p);
	/* The heap runs dry gracefully, near its full size. */
	bs = (len / 2048) & ~4095ULL;
	if (bs < MIB / 4)
		bs = MIB / 4;
	while (n < sizeof(blocks) / sizeof(blocks[0]) &&
	       (blocks[n] = uk_malloc(a, bs)) != NULL) {
		n++;
		got += bs;
	}
	uk_test_log("%u blocks of %llu KiB before NULL (heap %llu KiB)", n,
		    (unsigned long long)(bs >> 10),
		    (unsigned long long)(len >> 10));
	UK_TEST_EXPECT(n < sizeof(blocks) / sizeof(blocks[0]));
	UK_TEST_EXPECT(got >= len / 2 && got <= len);
	for (i = 0; i < n; i++)
		uk_free(a, blocks[i]);
	p = uk_malloc(a, MIB);
	UK_TEST_EXPECT(p != NULL);
	uk_free(a, p);
}

UK_TEST(memmap_pick_pure)
{
	static const struct uk_kvm_memrange map[] = {
		{ 0, 0x9fc00, 1 },
		{ 0x9fc00, 0x400, 2 },
		{ 0xf0000, 0x10000, 2 },
		{ 0x100000, 0x3f00000, 1 },       /* 1..64 MiB */
		{ 0xfeffc000, 0x4000, 2 },
		{ 0x100000000ULL, 0x40000000, 1 }, /* above 4 GiB */
	};
	uint64_t b = 0, l = 0;

	UK_TEST_EQ(uk_kvm_heap_pick(map, 6, 0x123456, 0x100000000ULL, &b,
				      &l), 0);
	UK_TEST_EQ(b, 0x124000);
	UK_TEST_EQ(l, 0x4000000 - 0x124000);
	/* Above the cap nothing counts; the largest range wins. */
	UK_TEST_EQ(uk_kvm_heap_pick(map, 6, 0x100000, ~0ULL, &b, &l), 0);
	UK_TEST_EQ(b, 0x100000000ULL);
	UK_TEST_EQ(l, 0x40000000);
	UK_TEST_EQ(uk_kvm_heap_pick(map, 6, 0x4000000, 0x100000000ULL, &b,
				      &l), -ENOMEM);
	UK_TEST_EQ(uk_kvm_heap_pick(map, 0, 0, ~0ULL, &b, &l), -ENOMEM);
	/* Unaligned RAM edges are trimmed to whole pages. */
	{
		static const struct uk_kvm_memrange odd[] = {
			{ 0x100001, 0x2000, 1 },
		};
		UK_TEST_EQ(uk_kvm_heap_pick(odd, 1, 0, ~0ULL, &b, &l), 0);
		UK_TEST_EQ(b, 0x101000);
		UK_TEST_EQ(l, 0x1000);
	}
}

/*
 * 2 MiB of BSS linked before the platform's: it puts the boot stack's
 * guard page above the first 2 MiB, so this image checks that setup.c
 * splits a 2 MiB page for it (plat-crash checks the low case).
 */
static volatile char big_bss[2 * 1024 * 1024]
	__attribute__((used, aligned(4096)));

UK_TEST(null_and_guard_pages_unmapped)
{
	uintptr_t g = (uintptr_t)_uk_kvm_boot_guard;
	const uint64_t *pt = g < 0x200000 ? _uk_kvm_pt0 : _uk_kvm_pt_guard;

	/* Page 0 must not be present; bit 0 of a PTE is 'present'. */
	UK_TEST_EXPECT((_uk_kvm_pt0[0] & 1) == 0);
	UK_TEST_EXPECT((_uk_kvm_pt0[1] & 1) == 1);
	UK_TEST_EXPECT(g % 4096 == 0);
	UK_TEST_EXPECT((uintptr_t)_uk_kvm_boot_stack == g + 4096);
	UK_TEST_EXPECT((pt[(g >> 12) & 511] & 1) == 0);
	UK_TEST_EXPECT((pt[((g >> 12) + 1) & 511] & 1) == 1);
	UK_TEST_EXPECT(g >= 0x200000); /* see big_bss */
	big_bss[0] = big_bss[sizeof(big_bss) - 1] = 1; /* mapped, writable */
	UK_TEST_EXPECT(big_bss[0] + big_bss[sizeof(big_bss) - 1] == 2);
}

UK_TEST(irq_save_restore)
{
	unsigned long f, g;

	UK_TEST_ASSERT(uk_arch_read_rflags() & UK_ARCH_RFLAGS_IF);
	f = uk_plat_irq_save();
	UK_TEST_EXPECT(f & UK_ARCH_RFLAGS_IF);
	UK_TEST_EXPECT(!(uk_arch_read_rflags() & UK_ARCH_RFLAGS_IF));
	g = uk_plat_irq_save();
	UK_TEST_EXPECT(!(g & UK_ARCH_RFLAGS_IF));
	uk_plat_irq_restore(g);
	UK_TEST_EXPECT(!(uk_arch_read_rflags() & UK_ARCH_RFLAGS_IF));
	uk_plat_irq_restore(f);
	UK_TEST_EXPECT(uk_arch_read_rflags() & UK_ARCH_RFLAGS_IF);
}

static volatile int pit_fired;
static volatile uint64_t pit_fired_ns;

static int on_pit(void *arg)
{
	int *calls = arg;

	(*calls)++;
	if (!pit_fired)
		pit_fired_ns = uk_plat_time_mono_ns();
	pit_fired = 1;
	return 1;
}

static void pit0_oneshot(unsigned int ticks)
{
	outb(0x43, 0x30); /* channel 0, mode 0: interrupt on terminal count */
	outb(0x40, ticks & 0xff);
	outb(0x40, (ticks >> 8) & 0xff);
}

UK_TEST(irq_pit_line0)
{
	static int calls_a, calls_b;
	uint64_t t0, before;
	unsigned long f;

	UK_TEST_EQ(uk_plat_irq_register(16, on_pit, &calls_a), -EINVAL);
	UK_TEST_EQ(uk_plat_irq_register(2, on_pit, &calls_a), -EINVAL);
	UK_TEST_EQ(uk_plat_irq_register(0, NULL, &calls_a), -EINVAL);
	/*
	 * A long count first: an edge the firmware's PIT programming left
	 * latched in the PIC arrives as soon as the line opens; the next
	 * count is then the only source.
	 */
	pit0_oneshot(0xffff);
	f = uk_plat_irq_save();
	UK_TEST_EQ(uk_plat_irq_register(0, on_pit, &calls_a), 0);
	UK_TEST_EQ(uk_plat_irq_register(0, on_pit, &calls_b), 0);
	uk_plat_irq_restore(f);
	t0 = uk_plat_time_mono_ns();
	while (uk_plat_time_mono_ns() - t0 < 2 * UK_NSEC_PER_MSEC)
		;
	f = uk_plat_irq_save();
	calls_a = calls_b = 0;
	pit_fired = 0;
	before = uk_kvm_irq_count(0);
	/* t0 first: a host stall after the load must not shorten it. */
	t0 = uk_plat_time_mono_ns();
	pit0_oneshot(11932); /* 10 ms */
	uk_plat_irq_restore(f);
	while (!pit_fired &&
	       uk_plat_time_mono_ns() - t0 < 2 * UK_NSEC_PER_SEC)
		uk_plat_idle_until(t0 + 2 * UK_NSEC_PER_SEC);
	UK_TEST_ASSERT(pit_fired);
	uk_test_log("PIT IRQ after %llu us",
		    (unsigned long long)((pit_fired_ns - t0) / 1000));
	UK_TEST_EXPECT(calls_a == 1 && calls_b == 1); /* shared line: both ran */
	UK_TEST_EXPECT(uk_kvm_irq_count(0) == before + 1);
	UK_TEST_EXPECT(pit_fired_ns - t0 >= 9 * UK_NSEC_PER_MSEC);
	UK_TEST_EXPECT(pit_fired_ns - t0 < 100 * UK_NSEC_PER_MSEC);
}

UK_TEST(unexpected_vector_reported)
{
	uint64_t n = uk_kvm_unexpected_count();

	__asm__ __volatile__("int $0x80" : : : "memory");
	UK_TEST_EXPECT(uk_kvm_unexpected_count() == n + 1);
}

static __attribute__((noinline)) int bt_leaf(uintptr_t *pcs, int max)
{
	int n = uk_arch_backtrace_walk(uk_arch_frame_pointer(),
				       (uintptr_t)_uk_kvm_image_start, 0, pcs,
				       max);
	__asm__ __volatile__("" : : : "memory"); /* no tail call */
	return n;
}

static __attribute__((noinline)) int bt_mid(uintptr_t *pcs, int max)
{
	int n = bt_leaf(pcs, max);

	__asm__ __volatile__("" : : : "memory");
	return n;
}

UK_TEST(backtrace_walk)
{
	uintptr_t pcs[32], lo = (uintptr_t)_uk_kvm_image_start;
	uintptr_t hi = (uintptr_t)_uk_kvm_image_end;
	uintptr_t fake[4];
	int i, n = bt_mid(pcs, 32);

	/* bt_mid, this case, the runner, main, uk_boot_main, boot. */
	UK_TEST_ASSERT(n >= 4);
	for (i = 0; i < n; i++)
		UK_TEST_EXPECT(pcs[i] >= lo && pcs[i] < hi);
	UK_TEST_EXPECT(bt_mid(pcs, 2) == 2);
	/* A loop or a link going down ends the walk. */
	fake[0] = (uintptr_t)&fake[0];
	fake[1] = 0x123456;
	UK_TEST_EXPECT(uk_arch_backtrace_walk((uintptr_t)fake, 0, 0, pcs, 32) == 1);
	UK_TEST_EXPECT(uk_arch_backtrace_walk(0, 0, 0, pcs, 32) == 0);
	UK_TEST_EXPECT(uk_arch_backtrace_walk((uintptr_t)fake + 1, 0, 0, pcs,
					 32) == 0);
}

/* ---- ukstore static sections from several libraries ----------------- */

static int get_answer(void *cookie, uint64_t *out)
{
	*out = 42;
	return 0;
}

static int get_name(void *cookie, const char **out)
{
	*out = "a";
	return 0;
}

UK_STORE_LIBRARY(kvmtest_a);
UK_STORE_STATIC_ENTRY(kvmtest_a, answer, u64, gauge, none, "The answer.",
		      get_answer, NULL, NULL);
UK_STORE_STATIC_ENTRY(kvmtest_a, name, str, info, none, "A name.",
		      get_name, NULL, NULL);

extern const struct uk_store_lib __start_ukstore_libs[];
extern const struct uk_store_lib __stop_ukstore_libs[];

static const struct uk_store_lib *lib_find(const char *name)
{
	const struct uk_store_lib *l;

	for (l = __start_ukstore_libs; l < __stop_ukstore_libs; l++)
		if (!strcmp(l->name, name))
			return l;
	return NULL;
}

static const struct uk_store_entry *entry_find(const struct uk_store_lib *l,
					       const char *name)
{
	const struct uk_store_entry *e;

	for (e = l->start; e && e < l->stop; e++)
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}

UK_TEST(store_sections_several_libs)
{
	const struct uk_store_lib *a = lib_find("kvmtest_a");
	const struct uk_store_lib *b = lib_find("kvmtest_b");
	const struct uk_store_lib *k = lib_find("kvm");
	const struct uk_store_entry *e;
	uint64_t v = 0;

	uk_test_log("%d store libraries linked",
		    (int)(__stop_ukstore_libs - __start_ukstore_libs));
	UK_TEST_ASSERT(a && b && k);
	UK_TEST_EQ(a->stop - a->start, 2);
	UK_TEST_EQ(b->stop - b->start, 3);
	UK_TEST_EQ(k->stop - k->start, 7);
	UK_TEST_ASSERT(a->state && b->state && a->state != b->state);
	e = entry_find(a, "answer");
	UK_TEST_ASSERT(e && e->type == UK_STORE_U64);
	UK_TEST_EQ(e->get.u64(e->cookie, &v), 0);
	UK_TEST_EQ(v, 42);
	e = entry_find(b, "third");
	UK_TEST_ASSERT(e && e->kind == UK_STORE_COUNTER);
	UK_TEST_EQ(e->get.u64(e->cookie, &v), 0);
	UK_TEST_EQ(v, 3);
	e = entry_find(k, "ram_bytes");
	UK_TEST_ASSERT(e && e->unit == UK_STORE_UNIT_BYTES);
	UK_TEST_EQ(e->get.u64(e->cookie, &v), 0);
	UK_TEST_EQ(v, uk_kvm_ram_total());
	e = entry_find(k, "tsc_hz");
	UK_TEST_ASSERT(e != NULL);
	UK_TEST_EQ(e->get.u64(e->cookie, &v), 0);
	UK_TEST_EQ(v, uk_kvm_tsc_hz());
	e = entry_find(k, "uptime_seconds");
	UK_TEST_ASSERT(e && e->type == UK_STORE_DOUBLE &&
		       e->unit == UK_STORE_UNIT_SECONDS);
}
