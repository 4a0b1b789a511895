/*
 * Clocks.  Monotonic time is the TSC since the first instruction of boot
 * (boot.S records it), scaled to nanoseconds with a multiplier measured
 * once against the PIT (channel 2, free-running, 1.193182 MHz), as the
 * median of five short windows.  The measurement runs on the first clock
 * read rather than at boot, so an image that never reads the clock boots
 * without it.  Each PIT reading
 * is bracketed by two TSC reads and the tightest of a few is kept, which
 * bounds the error by the I/O exit time however busy the host is.
 *
 * Wall time is the CMOS RTC (whole seconds, read on first use) plus
 * monotonic time since.
 */
#include <uk/arch/cpu.h>
#include <uk/arch/io.h>
#include <uk/plat/irq.h>
#include <uk/plat/time.h>

#include <kvm/plat.h>

#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61
/* 3 ms windows (0.07% error from a 2 us bracket), 15 ms in all. */
#define CALIB_TICKS 3580u
#define CALIB_WINDOWS 5

static uint64_t tsc_hz;
static uint64_t mult; /* ns per TSC tick, 32.32 fixed point */
static uint64_t last_ns;
static uint64_t wall_base_ns;
static int wall_known;

/* Starts channel 2 counting down from 65536 in rate-generator mode. */
void uk_kvm_pit_start(void)
{
	outb(PIT_GATE, (uint8_t)((inb(PIT_GATE) & ~0x02) | 0x01));
	outb(PIT_CMD, 0xb4); /* channel 2, lobyte/hibyte, mode 2, binary */
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

/* A PIT count and the TSC at that moment, from the tightest of 4 tries. */
static void pit_sample(uint16_t *count, uint64_t *tsc)
{
	uint64_t best = ~0ULL;
	int i;

	for (i = 0; i < 4; i++) {
		uint64_t t0 = uk_arch_rdtsc();
		uint16_t c = uk_kvm_pit_read();
		uint64_t t1 = uk_arch_rdtsc();

		if (t1 - t0 < best) {
			best = t1 - t0;
			*count = c;
			*tsc = t0 + (t1 - t0) / 2;
		}
	}
}

/* TSC ticks per second over one window of CALIB_TICKS PIT ticks. */
static uint64_t calib_window(void)
{
	uint16_t c0, c1;
	uint64_t t0, t1;

	pit_sample(&c0, &t0);
	do {
		pit_sample(&c1, &t1);
	} while ((uint16_t)(c0 - c1) < CALIB_TICKS);
	return (t1 - t0) * UK_KVM_PIT_HZ / (uint16_t)(c0 - c1);
}

/*
 * Measures the TSC rate; later calls return at once.  The median of
 * CALIB_WINDOWS short windows: a window in which the host stalled the
 * guest past a PIT wrap (55 ms) would be far off, and the median ignores
 * it.
 */
void _uk_kvm_time_calibrate(void)
{
	uint64_t hz[CALIB_WINDOWS];
	unsigned long f;
	int i, j;

	if (mult)
		return;
	f = uk_plat_irq_save();
	uk_kvm_pit_start();
	for (i = 0; i < CALIB_WINDOWS; i++) {
		uint64_t v = calib_window();

		for (j = i; j > 0 && hz[j - 1] > v; j--)
			hz[j] = hz[j - 1];
		hz[j] = v;
	}
	tsc_hz = hz[CALIB_WINDOWS / 2];
	mult = (UK_NSEC_PER_SEC << 32) / tsc_hz; /* 2^62 > 1e9 * 2^32 */
	uk_plat_irq_restore(f);
}

/* Returns the measured TSC frequency in Hz. */
uint64_t uk_kvm_tsc_hz(void)
{
	_uk_kvm_time_calibrate();
	return tsc_hz;
}

/* Nanoseconds since boot; never smaller than a previous result. */
uint64_t uk_plat_time_mono_ns(void)
{
	uint64_t d, ns, prev;

	if (__builtin_expect(!mult, 0))
		_uk_kvm_time_calibrate();
	d = uk_arch_rdtsc() - _uk_kvm_boot_tsc;
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
