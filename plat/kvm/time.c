/*
 * Clocks.  Monotonic time is the TSC since the first instruction of boot
 * (boot.S records it), scaled to nanoseconds with a multiplier measured
 * against the PIT (channel 2, 1.193182 MHz), without waiting for it:
 *
 * - at boot, channel 2 starts counting down from 65536 in mode 0, whose
 *   OUT pin goes high at the end of the count (55 ms) and stays high, and
 *   one reading of it and of the TSC is kept as the anchor;
 * - the first clock read measures the rate from the anchor to now.  Each
 *   PIT reading is bracketed by two TSC reads (the tightest of four is
 *   kept), so its error is known: the window must be long enough that
 *   both brackets and the PIT's own tick stay under 1/200 of it (0.5%),
 *   about 0.7 ms under TCG, which boot has usually spent already; only
 *   the rest is waited for.  If OUT is high the anchor is over 55 ms old
 *   and the wraps are unknown: a new anchor is taken and waited on;
 * - the first clock read 200 ms or more after the anchor (idle wakes up
 *   for it, see _uk_kvm_time_refine_ns()) measures again over that long
 *   baseline, the wraps counted with the first rate (its 0.5% is far
 *   below half a wrap within 2 s; later than that, the anchor is renewed
 *   and the refinement waits another 200 ms): the error falls to a few
 *   ppm.  Monotonic time stays the TSC since boot at the current rate,
 *   so the refinement moves it by at most 0.5% of the time elapsed (about
 *   1 ms; a step back is held flat until caught up).
 *
 * An image that never reads the clock pays only for the anchor (a dozen
 * port accesses).  uk_kvm_pit_start() (the tests' free-running PIT)
 * finishes any refinement first, then reprograms the channel.
 *
 * Wall time is the CMOS RTC (whole seconds, read on first use) plus
 * monotonic time since.
 */
#include <uk/arch/cpu.h>
#include <uk/arch/io.h>
#include <uk/plat/bootstage.h>
#include <uk/plat/irq.h>
#include <uk/plat/time.h>

#include <kvm/plat.h>

#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61
#define PIT_READBACK_CH2 0xc8 /* latch count and status of channel 2 */
#define PIT_OUT 0x80           /* status: the OUT pin */
/* The first rate's error bound: 1/ERR_DIV of the window. */
#define ERR_DIV 200u
#define REFINE_AFTER_NS (200 * UK_NSEC_PER_MSEC)
#define REFINE_BEFORE_NS (2 * UK_NSEC_PER_SEC)

struct pit_sample {
	uint64_t tsc;     /* middle of the bracket */
	uint64_t unc;     /* width of the bracket, TSC ticks */
	uint16_t count;
	int out;
};

static struct pit_sample anchor;
static int anchor_valid;
static uint64_t tsc_hz;
static uint64_t mult; /* ns per TSC tick, 32.32 fixed point */
static uint64_t refine_tsc; /* refine at the first read after (0: done) */
static uint64_t last_ns;
static uint64_t wall_base_ns;
static int wall_known;

/* Starts channel 2 counting down from 65536 (mode_cmd: its mode). */
static void pit_program(uint8_t mode_cmd)
{
	outb(PIT_GATE, (uint8_t)((inb(PIT_GATE) & ~0x02) | 0x01));
	outb(PIT_CMD, mode_cmd);
	outb(PIT_CH2, 0);
	outb(PIT_CH2, 0);
}

/* Returns channel 2's current count (latched, so both bytes match). */
uint16_t uk_kvm_pit_read(void)
{
	uint8_t lo, hi;

	outb(PIT_CMD, 0x80);
	lo = inb(PIT_CH2);
	hi = inb(PIT_CH2);
	return (uint16_t)(lo | (hi << 8));
}

/* Channel 2's count and OUT pin, with the TSC, the tightest of 4 tries. */
static void pit_sample(struct pit_sample *s)
{
	uint64_t best = ~0ULL;
	int i;

	for (i = 0; i < 4; i++) {
		uint64_t t0 = uk_arch_rdtsc(), t1;
		uint8_t st, lo, hi;

		outb(PIT_CMD, PIT_READBACK_CH2);
		st = inb(PIT_CH2);
		lo = inb(PIT_CH2);
		hi = inb(PIT_CH2);
		t1 = uk_arch_rdtsc();
		if (t1 - t0 < best) {
			best = t1 - t0;
			s->count = (uint16_t)(lo | (hi << 8));
			s->out = !!(st & PIT_OUT);
			s->tsc = t0 + (t1 - t0) / 2;
			s->unc = t1 - t0;
		}
	}
}

/* Restarts channel 2 (mode 0) and takes the anchor reading. */
static void anchor_take(void)
{
	pit_program(0xb0); /* channel 2, lobyte/hibyte, mode 0, binary */
	pit_sample(&anchor);
	anchor_valid = 1;
}

/* Called at boot (setup.c): the anchor the first clock read measures
 * from. */
void _uk_kvm_time_init(void)
{
	anchor_take();
}

/* TSC ticks in ns at the current rate. */
static uint64_t tsc_of_ns(uint64_t ns)
{
	return (uint64_t)((unsigned __int128)tsc_hz * ns / UK_NSEC_PER_SEC);
}

static void rate_set(uint64_t hz)
{
	tsc_hz = hz;
	mult = (UK_NSEC_PER_SEC << 32) / hz; /* 2^62 > 1e9 * 2^32 */
}

/*
 * The first measurement: waits until the window since the anchor is long
 * enough for a 0.5% bound (see above), renewing an anchor that is too old
 * or was lost to uk_kvm_pit_start().
 */
static void calibrate_first(void)
{
	struct pit_sample s, best = { 0 };
	uint64_t ticks, dt, err, best_ticks = 0;

	if (!anchor_valid)
		anchor_take();
	for (;;) {
		pit_sample(&s);
		if (s.out) {
			/* Over 55 ms since the anchor: the wraps are unknown.
			 * A host too busy for any window to meet the bound
			 * gets the longest one it managed. */
			if (best_ticks >= 1000)
				break;
			anchor_take();
			best_ticks = 0;
			continue;
		}
		ticks = (uint16_t)(anchor.count - s.count);
		dt = s.tsc - anchor.tsc;
		if (!ticks || !dt)
			continue;
		/* The brackets in PIT ticks (rounded up), plus one tick of
		 * quantisation at each end. */
		err = 2 + ((anchor.unc + s.unc) / 2 * ticks + dt - 1) / dt;
		best = s;
		best_ticks = ticks;
		if (ticks >= ERR_DIV * err)
			break;
	}
	rate_set((best.tsc - anchor.tsc) * UK_KVM_PIT_HZ / best_ticks);
	refine_tsc = anchor.tsc + tsc_of_ns(REFINE_AFTER_NS);
}

/*
 * The refinement over >= 200 ms (see above); renews the anchor instead
 * when it is over 2 s old or was lost.
 */
static void refine(void)
{
	struct pit_sample s;
	uint64_t dt, est, low, wraps;

	pit_sample(&s);
	dt = s.tsc - anchor.tsc;
	if (!anchor_valid || dt > tsc_of_ns(REFINE_BEFORE_NS)) {
		anchor = s;
		anchor_valid = 1;
		refine_tsc = s.tsc + tsc_of_ns(REFINE_AFTER_NS);
		return;
	}
	est = (uint64_t)((unsigned __int128)dt * UK_KVM_PIT_HZ / tsc_hz);
	low = (uint16_t)(anchor.count - s.count);
	wraps = est > low ? (est - low + 32768) / 65536 : 0;
	rate_set((uint64_t)((unsigned __int128)dt * UK_KVM_PIT_HZ /
			    (wraps * 65536 + low)));
	refine_tsc = 0;
}

/* Measures the TSC rate; later calls return at once. */
void _uk_kvm_time_calibrate(void)
{
	unsigned long f;

	if (mult)
		return;
	f = uk_plat_irq_save();
	calibrate_first();
	uk_plat_irq_restore(f);
	uk_plat_boot_stage("tsc_calibrated");
}

/* Whether the TSC rate is known yet (nothing is measured). */
int _uk_kvm_tsc_hz_known(void)
{
	return mult != 0;
}

/* See kvm/plat.h: the mono time idle should wake at to refine, or 0. */
uint64_t _uk_kvm_time_refine_ns(void)
{
	uint64_t t = refine_tsc;

	if (!t || !mult)
		return 0;
	return (uint64_t)(((unsigned __int128)(t - _uk_kvm_boot_tsc) * mult)
			  >> 32);
}

/* See kvm/plat.h: refines now if it is due (thread context only). */
void _uk_kvm_time_refine_poll(void)
{
	unsigned long f;

	if (!refine_tsc || uk_arch_rdtsc() < refine_tsc)
		return;
	f = uk_plat_irq_save();
	if (refine_tsc && uk_arch_rdtsc() >= refine_tsc)
		refine();
	uk_plat_irq_restore(f);
}

/* Starts channel 2 free-running, after finishing any refinement. */
void uk_kvm_pit_start(void)
{
	unsigned long f = uk_plat_irq_save();

	if (mult && refine_tsc && anchor_valid) {
		refine_tsc = uk_arch_rdtsc(); /* whatever the baseline */
		refine();
	}
	anchor_valid = 0;
	pit_program(0xb4); /* channel 2, lobyte/hibyte, mode 2, binary */
	uk_plat_irq_restore(f);
}

/* Returns the measured TSC frequency in Hz. */
uint64_t uk_kvm_tsc_hz(void)
{
	_uk_kvm_time_calibrate();
	return tsc_hz;
}

/* See uk/plat/time.h: monotonic time counts from boot. */
uint64_t uk_plat_time_start_ns(void)
{
	return 0;
}

/* See kvm/plat.h: a TSC interval in ns at the measured rate. */
uint64_t _uk_kvm_tsc_to_ns(uint64_t ticks)
{
	if (__builtin_expect(!mult, 0))
		_uk_kvm_time_calibrate();
	return (uint64_t)(((unsigned __int128)ticks * mult) >> 32);
}

/* Nanoseconds since boot; never smaller than a previous result. */
uint64_t uk_plat_time_mono_ns(void)
{
	uint64_t t, d, ns, prev;

	if (__builtin_expect(!mult, 0))
		_uk_kvm_time_calibrate();
	t = uk_arch_rdtsc();
	/* Never from an interrupt handler (interrupts off): it could cut a
	 * thread's PIT reading (uk_kvm_pit_read) in two. */
	if (__builtin_expect(refine_tsc && t >= refine_tsc, 0) &&
	    (uk_arch_read_rflags() & UK_ARCH_RFLAGS_IF))
		_uk_kvm_time_refine_poll();
	d = t - _uk_kvm_boot_tsc;
	ns = (uint64_t)(((unsigned __int128)d * mult) >> 32);
	prev = __atomic_load_n(&last_ns, __ATOMIC_RELAXED);
	if (ns < prev)
		return prev;
	__atomic_store_n(&last_ns, ns, __ATOMIC_RELAXED);
	return ns;
}

/* See kvm/plat.h: days since 1970-01-01 (proleptic Gregorian). */
int64_t uk_kvm_days_from_civil(int64_t y, unsigned int m, unsigned int d)
{
	int64_t era, yoe, doy, doe;

	if (m <= 2)
		y--;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static uint8_t cmos_read(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static unsigned int bcd(uint8_t v)
{
	return (v & 0x0f) + (v >> 4) * 10;
}

struct rtc_regs {
	uint8_t sec, min, hour, day, mon, year, cent;
};

static void rtc_regs_read(struct rtc_regs *r)
{
	unsigned int spins = 0;

	/* Update-in-progress lasts under 2 ms; bounded for a missing RTC. */
	while ((cmos_read(0x0a) & 0x80) && ++spins < 1000000)
		;
	r->sec = cmos_read(0x00);
	r->min = cmos_read(0x02);
	r->hour = cmos_read(0x04);
	r->day = cmos_read(0x07);
	r->mon = cmos_read(0x08);
	r->year = cmos_read(0x09);
	r->cent = cmos_read(0x32);
}

static int rtc_regs_same(const struct rtc_regs *a, const struct rtc_regs *b)
{
	return a->sec == b->sec && a->min == b->min && a->hour == b->hour &&
	       a->day == b->day && a->mon == b->mon && a->year == b->year &&
	       a->cent == b->cent;
}

/* Returns the RTC's time as seconds since the Unix epoch. */
uint64_t uk_kvm_rtc_read(void)
{
	struct rtc_regs a, b;
	unsigned int sec, min, hour, day, mon, cent;
	int64_t year;
	uint8_t status_b;
	int pm, tries = 0;

	/* Two equal reads in a row cannot straddle an update. */
	rtc_regs_read(&b);
	do {
		a = b;
		rtc_regs_read(&b);
	} while (!rtc_regs_same(&a, &b) && ++tries < 5);
	status_b = cmos_read(0x0b);
	pm = b.hour & 0x80;
	b.hour &= 0x7f;
	if (status_b & 0x04) {
		sec = b.sec; min = b.min; hour = b.hour;
		day = b.day; mon = b.mon; year = b.year; cent = b.cent;
	} else {
		sec = bcd(b.sec); min = bcd(b.min); hour = bcd(b.hour);
		day = bcd(b.day); mon = bcd(b.mon); year = bcd(b.year);
		cent = bcd(b.cent);
	}
	if (!(status_b & 0x02)) { /* 12-hour mode */
		if (hour == 12)
			hour = 0;
		if (pm)
			hour += 12;
	}
	if (cent >= 19 && cent <= 30)
		year += cent * 100;
	else
		year += year < 70 ? 2000 : 1900;
	if (mon < 1 || mon > 12 || day < 1 || day > 31)
		return 0;
	return (uint64_t)(uk_kvm_days_from_civil(year, mon, day) * 86400 +
			  hour * 3600 + min * 60 + sec);
}

/* Nanoseconds since the Unix epoch: the RTC at first use + monotonic. */
uint64_t uk_plat_time_wall_ns(void)
{
	uint64_t now = uk_plat_time_mono_ns();

	if (!wall_known) {
		wall_base_ns = uk_kvm_rtc_read() * UK_NSEC_PER_SEC - now;
		wall_known = 1;
	}
	return wall_base_ns + now;
}
