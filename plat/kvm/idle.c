/*
 * Tickless idling on the local APIC timer.  No timer runs periodically:
 * uk_plat_idle_until() arms a one-shot APIC countdown for the deadline
 * and halts with interrupts enabled; the timer interrupt, or any other
 * one, ends the halt.  The APIC timer rate is measured against the TSC
 * without waiting: its countdown starts at boot (masked, from 2^32 - 1,
 * 68 s at QEMU's 62.5 MHz), and the first idle with a deadline reads how
 * far it got; only if that was under 1 ms, or too short for a 0.5% bound
 * (the time of the start's MMIO write and of the reading's, against the
 * window), does it wait for the rest, and a countdown found expired is
 * measured anew over 2 ms.  Idle also wakes once for the clock's own
 * refinement (time.c).
 * The APIC also passes the 8259's interrupts through (LINT0 as ExtINT),
 * so it is set up at boot.  The halts and the last countdown armed are
 * recorded, so kernel tests check what was programmed rather than how
 * late a wake-up came.
 */
#include <uk/arch/cpu.h>
#include <uk/plat/idle.h>
#include <uk/plat/irq.h>
#include <uk/plat/time.h>

#include <kvm/plat.h>

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_ENABLE (1ULL << 11)
#define APIC_TPR 0x080
#define APIC_EOI 0x0b0
#define APIC_SVR 0x0f0
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERROR 0x370
#define APIC_TIMER_INIT 0x380
#define APIC_TIMER_CUR 0x390
#define APIC_TIMER_DIV 0x3e0
#define LVT_MASKED (1u << 16)
#define LVT_EXTINT 0x700
#define LVT_NMI 0x400
#define SVR_ENABLE 0x100
#define DIV_16 0x3

static volatile uint32_t *lapic;
static uint64_t boot_tsc;   /* the TSC when the boot countdown started */
static uint64_t boot_unc;   /* ... give or take this (the write's time) */
static uint64_t apic_hz;
static uint64_t apic_mult; /* APIC ticks per ns, 32.32 fixed point */
static uint64_t timer_irqs;
static uint64_t halts;      /* HLTs executed by uk_plat_idle_until() */
static uint64_t arms;       /* one-shot countdowns armed */
static uint64_t armed_at;   /* mono time the last one was computed at */
static uint32_t armed_count;

static inline void lapic_write(unsigned int reg, uint32_t v)
{
	lapic[reg / 4] = v;
}

static inline uint32_t lapic_read(unsigned int reg)
{
	return lapic[reg / 4];
}

/* Starts the calibration's countdown (masked: it never interrupts). */
static void countdown_start(void)
{
	uint64_t t0 = uk_arch_rdtsc();

	lapic_write(APIC_TIMER_INIT, 0xffffffffu);
	boot_tsc = uk_arch_rdtsc();
	boot_unc = boot_tsc - t0;
	boot_tsc = t0 + boot_unc / 2;
}

/* Enables the local APIC: PIC pass-through, timer masked until used. */
void _uk_kvm_lapic_init(void)
{
	uint64_t base = uk_arch_rdmsr(MSR_APIC_BASE);

	uk_arch_wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	lapic = (volatile uint32_t *)(uintptr_t)(base & 0xfffff000ULL);
	lapic_write(APIC_TPR, 0);
	lapic_write(APIC_LVT_LINT0, LVT_EXTINT);
	lapic_write(APIC_LVT_LINT1, LVT_NMI);
	lapic_write(APIC_LVT_ERROR, LVT_MASKED | UK_KVM_VEC_SPURIOUS);
	lapic_write(APIC_TIMER_DIV, DIV_16);
	lapic_write(APIC_LVT_TIMER, LVT_MASKED | UK_KVM_VEC_TIMER);
	lapic_write(APIC_SVR, SVR_ENABLE | UK_KVM_VEC_SPURIOUS);
	countdown_start();
}

/* Signals end of interrupt to the local APIC (harmless if none). */
void _uk_kvm_lapic_eoi(void)
{
	if (lapic)
		lapic_write(APIC_EOI, 0);
}

/* The timer vector's handler: the wakeup is the whole point. */
void _uk_kvm_timer_isr(void)
{
	timer_irqs++;
	_uk_kvm_lapic_eoi();
}

/* Returns the APIC timer interrupts taken since boot. */
uint64_t uk_kvm_timer_count(void)
{
	return timer_irqs;
}

/* The countdown's value and the TSC, bracketed (the tightest of 3). */
static uint32_t lapic_sample(uint64_t *tsc, uint64_t *unc)
{
	uint64_t best = ~0ULL;
	uint32_t c = 0;
	int i;

	for (i = 0; i < 3; i++) {
		uint64_t t0 = uk_arch_rdtsc();
		uint32_t v = lapic_read(APIC_TIMER_CUR);
		uint64_t t1 = uk_arch_rdtsc();

		if (t1 - t0 < best) {
			best = t1 - t0;
			c = v;
			*tsc = t0 + (t1 - t0) / 2;
		}
	}
	*unc = best;
	return c;
}

/*
 * Measures the APIC timer rate against the TSC over the countdown
 * started at boot (see above), with the timer masked; then makes it
 * one-shot.
 */
static void lapic_calibrate(void)
{
	uint64_t tsc_hz = uk_kvm_tsc_hz(), t1 = 0, unc = 0, dt;
	uint32_t c1;

	lapic_write(APIC_LVT_TIMER, LVT_MASKED | UK_KVM_VEC_TIMER);
	for (;;) {
		c1 = lapic_sample(&t1, &unc);
		if (!c1 || !boot_tsc) {
			/* Expired (or never started): a fresh 2 ms. */
			countdown_start();
			while (uk_arch_rdtsc() - boot_tsc < tsc_hz / 500)
				;
			continue;
		}
		dt = t1 - boot_tsc;
		/* Both ends' uncertainty under 0.5% of the window. */
		if (dt >= 200 * (unc + boot_unc) && dt >= tsc_hz / 1000)
			break;
	}
	lapic_write(APIC_TIMER_INIT, 0);
	apic_hz = (uint64_t)((unsigned __int128)(0xffffffffu - c1) * tsc_hz /
			     dt);
	if (!apic_hz)
		apic_hz = 1;
	apic_mult = (apic_hz << 32) / UK_NSEC_PER_SEC;
	if (!apic_mult)
		apic_mult = 1;
	lapic_write(APIC_LVT_TIMER, UK_KVM_VEC_TIMER); /* one-shot */
}

/* Returns the APIC timer rate in Hz, measuring it if needed. */
uint64_t uk_kvm_lapic_timer_hz(void)
{
	if (!apic_hz) {
		unsigned long f = uk_plat_irq_save();

		lapic_calibrate();
		uk_plat_irq_restore(f);
	}
	return apic_hz;
}

/*
 * APIC timer ticks for a countdown of ns: rounded up (waking early would
 * only cost another halt), at most 2^32 - 1 (a longer wait wakes early
 * and halts again).  Measures the timer rate if needed.
 */
uint32_t uk_kvm_lapic_ticks(uint64_t ns)
{
	uint64_t ticks;

	uk_kvm_lapic_timer_hz();
	ticks = (uint64_t)(((unsigned __int128)ns * apic_mult) >> 32) + 1;
	return ticks > 0xffffffffULL ? 0xffffffffu : (uint32_t)ticks;
}

/* Number of HLTs uk_plat_idle_until() has executed since boot. */
uint64_t uk_kvm_idle_halts(void)
{
	return __atomic_load_n(&halts, __ATOMIC_RELAXED);
}

/*
 * The last countdown uk_plat_idle_until() armed: its initial count, and
 * the monotonic time it was computed from.  Returns the number of
 * countdowns armed since boot (0: none, *at and *count untouched).
 */
uint64_t uk_kvm_lapic_last_arm(uint64_t *at, uint32_t *count)
{
	unsigned long f = uk_plat_irq_save();
	uint64_t n = arms;

	if (n) {
		*at = armed_at;
		*count = armed_count;
	}
	uk_plat_irq_restore(f);
	return n;
}

/* Halts until deadline_ns (monotonic; 0: none) or any interrupt. */
void uk_plat_idle_until(uint64_t deadline_ns)
{
	unsigned long f = uk_plat_irq_save();
	uint64_t refine;

	/* Wake for the clock's refinement first, if one is due; one that
	 * is already due is done here (the idle thread's context). */
	_uk_kvm_time_refine_poll();
	refine = _uk_kvm_time_refine_ns();
	if (refine && (!deadline_ns || refine < deadline_ns))
		deadline_ns = refine;
	if (deadline_ns) {
		uint64_t now;

		if (!apic_hz)
			lapic_calibrate();
		now = uk_plat_time_mono_ns();
		if (deadline_ns <= now) {
			uk_plat_irq_restore(f);
			return;
		}
		armed_count = uk_kvm_lapic_ticks(deadline_ns - now);
		armed_at = now;
		arms++;
		lapic_write(APIC_TIMER_INIT, armed_count);
	}
	halts++;
	uk_arch_irq_enable_halt();
	uk_arch_irq_disable();
	if (deadline_ns)
		lapic_write(APIC_TIMER_INIT, 0);
	uk_plat_irq_restore(f);
}
