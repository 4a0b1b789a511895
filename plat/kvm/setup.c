/*
 * The C side of boot and the end of the instance.  _uk_kvm_main brings
 * up, in order, what everything else relies on: the console (so later
 * failures are visible), the CPU tables (so faults are reported), the
 * interrupt controllers (all lines masked), the memory map, and the
 * command line, and unmaps page 0 (which holds QEMU's memory map until
 * then) so that NULL dereferences fault, and the page below the boot
 * stack so that overflowing it faults (a double fault, reported from its
 * own stack); then it runs constructors and hands argc/argv to
 * uk_boot_main (the scheduler's when linked, else main itself) and exits
 * with its result.  Nothing slow happens here: the clocks' calibration
 * starts counting at boot and is measured on first use, without waiting
 * (time.c), and RAM is never zeroed.  Each step is a stage of the boot
 * timeline (uk/plat/bootstage.h).
 *
 * Exit goes through QEMU's isa-debug-exit device, which ends QEMU with
 * status (value << 1) | 1.
 */
#include <uk/arch/cpu.h>
#include <uk/arch/io.h>
#include <uk/plat/bootstage.h>
#include <uk/plat/cmdline.h>
#include <uk/plat/lifecycle.h>

#include <kvm/plat.h>

extern int main(int argc, char **argv);
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);

/* argv[0]; an image may define its own. */
__attribute__((weak)) const char uk_kvm_image_name[] = "ukmon";

static char cmdline[UK_KVM_CMDLINE_MAX];

/* Without uksched, the application's main runs on the boot stack. */
__attribute__((weak)) int uk_boot_main(int argc, char **argv)
{
	return main(argc, argv);
}

static void cmdline_copy(const struct uk_kvm_pvh_start_info *si)
{
	const char *src;
	size_t i;

	if (!si || !si->cmdline_paddr)
		return;
	src = (const char *)(uintptr_t)si->cmdline_paddr;
	for (i = 0; i < sizeof(cmdline) - 1 && src[i]; i++)
		cmdline[i] = src[i];
	cmdline[i] = '\0';
	if (src[i])
		_uk_kvm_puts("kvm: command line truncated\n");
}

/*
 * kvm.boottime=1: prints the guest's own share of the boot, from the
 * first instruction (boot.S's TSC) to here, in microseconds (the TSC
 * rate is measured after the reading, which is taken first).
 */
static void boottime_print(uint64_t now)
{
	uint64_t us = (now - _uk_kvm_boot_tsc) * 1000000 / uk_kvm_tsc_hz();

	_uk_kvm_puts("kvm: boot entry to main: ");
	_uk_kvm_putdec(us);
	_uk_kvm_puts(" us\n");
}

/*
 * Unmaps the 4 KiB page at addr, in the first 2 MiB (which boot.S maps
 * with 4 KiB pages) or, for the boot stack's guard in a large image, by
 * splitting the 2 MiB page that holds it.
 */
static void unmap_page(uintptr_t addr)
{
	uint64_t *pt = _uk_kvm_pt0;
	unsigned int i, pde = (unsigned int)(addr >> 21);

	if (addr >= UK_KVM_MAPPED_TOP)
		return;
	if (pde) {
		pt = _uk_kvm_pt_guard;
		for (i = 0; i < 512; i++)
			pt[i] = ((uint64_t)pde << 21) + ((uint64_t)i << 12) +
				0x3; /* present, writable */
		_uk_kvm_pd[pde] = (uint64_t)(uintptr_t)pt + 0x3;
	}
	pt[(addr >> 12) & 511] = 0;
	/* Reloading CR3 drops the old 2 MiB translation as well. */
	__asm__ __volatile__("mov %%cr3, %%rax; mov %%rax, %%cr3"
			     : : : "rax", "memory");
}

/* Called by boot.S in 64-bit mode with the PVH start info; no return. */
void _uk_kvm_main(const struct uk_kvm_pvh_start_info *si)
{
	void (**ctor)(void);
	int rc;

	_uk_kvm_console_init();
	_uk_kvm_traps_init();
	_uk_kvm_irq_init();
	_uk_kvm_lapic_init();
	_uk_kvm_time_init();
	uk_plat_boot_stage("irq_timer");
	if (!si || si->magic != UK_KVM_PVH_MAGIC) {
		_uk_kvm_puts("kvm: no PVH start info\n");
		si = NULL;
	}
	cmdline_copy(si);
	_uk_kvm_memory_init(si);
	unmap_page(0);
	unmap_page((uintptr_t)_uk_kvm_boot_guard);
	uk_plat_boot_stage("memory_map");
	if (uk_kvm_cmdline_parse(cmdline, uk_kvm_image_name, &_uk_kvm_cmdline))
		_uk_kvm_puts("kvm: too many words on the command line\n");
	_uk_kvm_boot_stage_trace_init();
	for (ctor = __init_array_start; ctor < __init_array_end; ctor++)
		(*ctor)();
	uk_plat_boot_stage("constructors");
	if (uk_plat_option("kvm.boottime"))
		boottime_print(uk_arch_rdtsc());
	/* Lines stay masked until a driver registers a handler. */
	uk_arch_irq_enable();
	uk_plat_boot_stage("main");
	rc = uk_boot_main(_uk_kvm_cmdline.argc, _uk_kvm_cmdline.argv);
	uk_plat_exit(rc);
}

/*
 * Ends QEMU with the status (0..127; anything else becomes 127).  With no
 * debug-exit device the write does nothing: report and halt for good.
 */
void uk_plat_exit(int status)
{
	if (status < 0 || status > 127)
		status = 127;
	uk_arch_irq_disable();
	outb(UK_KVM_DEBUG_EXIT_PORT, (uint8_t)status);
	_uk_kvm_puts("kvm: exit status ");
	_uk_kvm_putdec((uint64_t)status);
	_uk_kvm_puts(" (no isa-debug-exit device): halted\n");
	for (;;)
		uk_arch_halt();
}

/* Ends the instance with UK_PLAT_CRASH_STATUS. */
void uk_plat_crash(void)
{
	uk_plat_exit(UK_PLAT_CRASH_STATUS);
}
