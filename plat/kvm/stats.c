/*
 * The platform's own figures in ukstore, as library "kvm": the measured
 * clock rates, the memory the boot map gave, and interrupt counts, so an
 * exporter shows them beside every other library.  The entries are
 * static (laid down by the linker, no boot code), and the getters only
 * read counters the platform keeps anyway.
 */
#include <uk/plat/time.h>
#include <uk/store_publish.h>

#include <kvm/plat.h>

UK_STORE_LIBRARY(kvm);

static int get_tsc_hz(void *cookie, uint64_t *out)
{
	*out = uk_kvm_tsc_hz();
	return 0;
}

static int get_ram(void *cookie, uint64_t *out)
{
	*out = uk_kvm_ram_total();
	return 0;
}

static int get_heap(void *cookie, uint64_t *out)
{
	uint64_t base, len;

	*out = uk_kvm_heap_region(&base, &len) ? 0 : len;
	return 0;
}

static int get_irqs(void *cookie, uint64_t *out)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < 16; i++)
		n += uk_kvm_irq_count(i);
	*out = n;
	return 0;
}

static int get_timer(void *cookie, uint64_t *out)
{
	*out = uk_kvm_timer_count();
	return 0;
}

static int get_uptime(void *cookie, double *out)
{
	*out = (double)uk_plat_time_mono_ns() / 1e9;
	return 0;
}

static int get_unexpected(void *cookie, uint64_t *out)
{
	*out = uk_kvm_unexpected_count();
	return 0;
}

UK_STORE_STATIC_ENTRY(kvm, tsc_hz, u64, gauge, none,
		      "TSC frequency measured against the PIT.", get_tsc_hz,
		      NULL, NULL);
UK_STORE_STATIC_ENTRY(kvm, ram_bytes, u64, gauge, bytes,
		      "RAM in the boot memory map.", get_ram, NULL, NULL);
UK_STORE_STATIC_ENTRY(kvm, heap_bytes, u64, gauge, bytes,
		      "Size of the kernel heap region.", get_heap, NULL, NULL);
UK_STORE_STATIC_ENTRY(kvm, irqs, u64, counter, none,
		      "Legacy (8259) interrupts handled.", get_irqs, NULL,
		      NULL);
UK_STORE_STATIC_ENTRY(kvm, timer_interrupts, u64, counter, none,
		      "Local APIC timer interrupts (idle wakeups).", get_timer,
		      NULL, NULL);
UK_STORE_STATIC_ENTRY(kvm, uptime_seconds, dbl, gauge, seconds,
		      "Time since boot (PVH entry), on the monotonic clock.",
		      get_uptime, NULL, NULL);
UK_STORE_STATIC_ENTRY(kvm, unexpected_interrupts, u64, counter, none,
		      "Interrupts on vectors nobody handles.", get_unexpected,
		      NULL, NULL);
