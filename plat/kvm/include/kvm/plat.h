/*
 * Internal interfaces of the kvm platform, shared by its files and by its
 * kernel tests (plat/kvm/tests).  Nothing outside plat/kvm includes this:
 * libraries see only the headers in include/uk/plat.
 */
#ifndef KVM_PLAT_H
#define KVM_PLAT_H

#include <stddef.h>
#include <stdint.h>

/* ---- boot ------------------------------------------------------------ */

/* The PVH start info (Xen's hvm_start_info ABI, version 1). */
#define UK_KVM_PVH_MAGIC 0x336ec578u

struct uk_kvm_pvh_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;   /* version >= 1 */
	uint32_t memmap_entries; /* version >= 1 */
	uint32_t reserved;
};

struct uk_kvm_pvh_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type; /* 1: RAM */
	uint32_t reserved;
};

#define UK_KVM_MEM_RAM 1

/* Symbols of boot.S and link.ld. */
extern char _uk_kvm_image_start[], _uk_kvm_image_end[];
extern char _uk_kvm_boot_stack[];
extern char _uk_kvm_boot_guard[]; /* the page below the boot stack */
extern uint64_t _uk_kvm_pd[4 * 512]; /* 2 MiB pages of 0..4 GiB */
extern uint64_t _uk_kvm_pt0[512]; /* maps 0..2 MiB with 4 KiB pages */
extern uint64_t _uk_kvm_pt_guard[512]; /* the guard's 2 MiB, if not 0 */
extern uint64_t _uk_kvm_boot_tsc;

#define UK_KVM_BOOT_STACK_SIZE 0x10000
/* The boot page tables map this much, identity. */
#define UK_KVM_MAPPED_TOP 0x100000000ULL

/* ---- console (console.c) -------------------------------------------- */

void _uk_kvm_console_init(void);
/* Writes s without formatting: safe in exception and panic paths. */
void _uk_kvm_puts(const char *s);
/* Writes v as 0x-prefixed hex, zero-padded to digits (max 16). */
void _uk_kvm_puthex(uint64_t v, int digits);
void _uk_kvm_putdec(uint64_t v);

/* ---- command line (cmdline.c) --------------------------------------- */

#define UK_KVM_CMDLINE_MAX 2048
#define UK_KVM_ARGV_MAX 64
#define UK_KVM_OPT_MAX 64

struct uk_kvm_cmdline {
	int argc;
	char *argv[UK_KVM_ARGV_MAX + 1]; /* NULL-terminated */
	int nopts;
	char *opt_key[UK_KVM_OPT_MAX];
	char *opt_val[UK_KVM_OPT_MAX];
};

/*
 * Splits line in place into cl: argv[0] = name; words are separated by
 * blanks, double quotes group blanks into a word; a word key=value whose
 * key holds a '.' (ukprom.port=9200) is an option; "--" makes every later
 * word an argument, but for virtio_mmio.device=... (QEMU's microvm appends
 * those after the user's words).  Words beyond the table sizes are dropped.  Returns
 * the number of words dropped (0 normally).
 */
int uk_kvm_cmdline_parse(char *line, const char *name,
			 struct uk_kvm_cmdline *cl);
/* The value of key in cl (the last one if it repeats), or NULL. */
const char *uk_kvm_cmdline_option(const struct uk_kvm_cmdline *cl,
				  const char *key);
/* The n-th value of key in cl (from 0, in line order), or NULL. */
const char *uk_kvm_cmdline_option_nth(const struct uk_kvm_cmdline *cl,
				      const char *key, unsigned int n);
/* The boot command line as parsed at boot. */
extern struct uk_kvm_cmdline _uk_kvm_cmdline;

/* ---- memory (memory.c) ---------------------------------------------- */

struct uk_kvm_memrange {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};

/*
 * Picks the heap: the largest part of a RAM range in [lo, hi), with base
 * and end page-aligned.  Returns 0 and sets *base, *len, or -ENOMEM when
 * no RAM is there.
 */
int uk_kvm_heap_pick(const struct uk_kvm_memrange *map, int n, uint64_t lo,
		     uint64_t hi, uint64_t *base, uint64_t *len);
/* Reads the memory map at boot (before anything is allocated). */
void _uk_kvm_memory_init(const struct uk_kvm_pvh_start_info *si);
/* The heap chosen at boot; returns 0 or -ENOMEM if none was found. */
int uk_kvm_heap_region(uint64_t *base, uint64_t *len);
/* Total RAM the boot memory map reported, in bytes. */
uint64_t uk_kvm_ram_total(void);

/* ---- traps (traps.c, entry.S) --------------------------------------- */

/* Saved by the entry stubs of entry.S, lowest address first. */
struct uk_kvm_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

#define UK_KVM_VEC_IRQ0 32     /* 8259 lines 0..15 -> 32..47 */
#define UK_KVM_VEC_TIMER 0xf0  /* local APIC timer */
#define UK_KVM_VEC_SPURIOUS 0xff

void _uk_kvm_traps_init(void);
/* Called by entry.S for every vector. */
void _uk_kvm_trap(struct uk_kvm_regs *r);
/* Number of interrupts on vectors nobody handles, since boot. */
uint64_t uk_kvm_unexpected_count(void);
/* Prints a backtrace starting at frame pointer fp (and pc if non-zero). */
void _uk_kvm_backtrace_print(uintptr_t pc, uintptr_t fp);

/* ---- interrupts (irq.c) --------------------------------------------- */

void _uk_kvm_irq_init(void);
/* Runs the handlers of legacy line irq and acknowledges the PIC. */
void _uk_kvm_irq_dispatch(unsigned int irq);
/* Number of interrupts taken on line irq since boot. */
uint64_t uk_kvm_irq_count(unsigned int irq);
/* Spurious 8259 interrupts (IRQ 7 or 15 with no line in service). */
uint64_t uk_kvm_irq_spurious_count(void);

/* ---- time (time.c) and local APIC timer (idle.c) -------------------- */

#define UK_KVM_PIT_HZ 1193182ULL

/* Takes the calibration's anchor (PIT channel 2 and the TSC) at boot. */
void _uk_kvm_time_init(void);
/* Measures the TSC rate once; later calls return. */
void _uk_kvm_time_calibrate(void);
/* The TSC rate, measuring it on first use. */
uint64_t uk_kvm_tsc_hz(void);
/* Whether the TSC rate is measured yet (nothing is measured here). */
int _uk_kvm_tsc_hz_known(void);
/*
 * The monotonic time at which the clock wants to be read again to refine
 * its rate over a long baseline (idle wakes for it), or 0 when none is
 * due.
 */
uint64_t _uk_kvm_time_refine_ns(void);
/* Refines the rate now if that is due; from thread context only (idle). */
void _uk_kvm_time_refine_poll(void);
/*
 * A TSC interval (ticks) in ns at the measured rate, measuring it first
 * if needed; the scale of uk_plat_time_mono_ns().
 */
uint64_t _uk_kvm_tsc_to_ns(uint64_t ticks);
/* Reads the free-running PIT channel 2 (counting down, wraps at 2^16). */
uint16_t uk_kvm_pit_read(void);
/*
 * Starts PIT channel 2 free-running (mode 2) for the tests, after
 * finishing the clock's refinement if one is in progress.
 */
void uk_kvm_pit_start(void);

/*
 * The CMOS RTC as seconds since the Unix epoch; waits out an update in
 * progress (at most ~2 ms).
 */
uint64_t uk_kvm_rtc_read(void);
/* Days since 1970-01-01 of a Gregorian date (pure; for tests). */
int64_t uk_kvm_days_from_civil(int64_t y, unsigned int m, unsigned int d);

void _uk_kvm_lapic_init(void);
/* APIC timer ticks per second, as calibrated. */
uint64_t uk_kvm_lapic_timer_hz(void);
void _uk_kvm_lapic_eoi(void);
/* Number of APIC timer interrupts since boot. */
uint64_t uk_kvm_timer_count(void);
/*
 * APIC timer ticks that uk_plat_idle_until() arms for a wait of ns:
 * rounded up, at most 2^32 - 1 (pure but for the one-time calibration).
 */
uint32_t uk_kvm_lapic_ticks(uint64_t ns);
/* Number of HLTs uk_plat_idle_until() has executed since boot. */
uint64_t uk_kvm_idle_halts(void);
/*
 * The last countdown uk_plat_idle_until() armed (its initial count, and
 * the monotonic time it was computed from).  Returns how many it has
 * armed since boot; with 0, *at and *count are left alone.
 */
uint64_t uk_kvm_lapic_last_arm(uint64_t *at, uint32_t *count);
void _uk_kvm_timer_isr(void);

/* ---- boot timeline (bootstage.c) ------------------------------------- */

/* Reads uk.boot_trace once the command line is parsed. */
void _uk_kvm_boot_stage_trace_init(void);

/* ---- exit (setup.c) ------------------------------------------------- */

/* The debug-exit I/O port; QEMU exits with (value << 1) | 1. */
#define UK_KVM_DEBUG_EXIT_PORT 0xf4

#endif
