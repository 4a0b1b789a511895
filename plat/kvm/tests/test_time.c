/*
 * Kernel tests of the clocks and of idling: monotonic time never goes
 * back, counts from the boot TSC, and runs at the rate of two independent
 * references (the PIT over 200 ms, the RTC's seconds edges over one
 * second, each within its measured reading uncertainty), wall time is a
 * sane date, the calendar arithmetic is right, and uk_plat_idle_until()
 * arms the APIC countdown its deadline calls for, never wakes before it,
 * and runs no periodic tick.  No check bounds how late anything comes
 * (a loaded host decides that): those figures are printed only.
 */
#include <uk/arch/cpu.h>
#include <uk/arch/io.h>
#include <uk/plat/idle.h>
#include <uk/plat/time.h>
#include <uk/test.h>

#include <kvm/plat.h>

static int64_t absd(int64_t v)
{
	return v < 0 ? -v : v;
}

UK_TEST(time_mono_monotonic)
{
	uint64_t prev = uk_plat_time_mono_ns(), t;
	int i, same = 0;

	uk_test_log("TSC %llu kHz", (unsigned long long)(uk_kvm_tsc_hz() /
							 1000));
	UK_TEST_EXPECT(uk_kvm_tsc_hz() > 100000000ULL); /* > 100 MHz */
	for (i = 0; i < 100000; i++) {
		t = uk_plat_time_mono_ns();
		UK_TEST_ASSERT(t >= prev);
		same += t == prev;
		prev = t;
	}
	UK_TEST_EXPECT(same < 100000); /* it does advance */
}

/* TSC ticks since boot, as nanoseconds at the measured rate. */
static uint64_t tsc_since_boot_ns(uint64_t tsc)
{
	return (uint64_t)((unsigned __int128)(tsc - _uk_kvm_boot_tsc) *
			  UK_NSEC_PER_SEC / uk_kvm_tsc_hz());
}

/*
 * Monotonic time is the TSC since the first instruction of boot: a read
 * lies between the TSC just before and just after it (the 32.32 scaling
 * is off by well under a microsecond this early).
 */
UK_TEST(time_mono_from_boot)
{
	uint64_t lo, m, hi;

	uk_plat_time_mono_ns(); /* calibrated */
	lo = tsc_since_boot_ns(uk_arch_rdtsc());
	m = uk_plat_time_mono_ns();
	hi = tsc_since_boot_ns(uk_arch_rdtsc());
	uk_test_log("%llu ms since boot", (unsigned long long)(m / 1000000));
	UK_TEST_EXPECT(m > 0);
	UK_TEST_EXPECT(m + 1000 >= lo);
	UK_TEST_EXPECT(m <= hi + 1000);
}

/*
 * A PIT reading and the window of mono time it was taken in: from just
 * before to just after the I/O (a host stall in between widens it).
 */
static uint16_t pit_bracket(uint64_t *mid, uint64_t *unc)
{
	uint64_t a = uk_plat_time_mono_ns();
	uint16_t c = uk_kvm_pit_read();
	uint64_t b = uk_plat_time_mono_ns();

	*mid = a + (b - a) / 2;
	*unc = b - a;
	return c;
}

/*
 * Mono time over 200 ms of PIT ticks.  Each end is bracketed, and the
 * allowed error is 0.5% plus the measured width of both brackets, so a
 * host that stalls the guest during a reading widens the bound by just
 * as much.  The PIT wraps every 55 ms: a run with a gap near that
 * between two reads (the host stalled the guest) may have lost a wrap,
 * and is discarded and measured again.
 */
UK_TEST(time_rate_vs_pit)
{
	uint64_t t0 = 0, t1 = 0, u0 = 0, u1 = 0, ticks = 0, pit_ns, prev_t;
	uint16_t prev, c;
	int64_t err;
	int tries, clean = 0;

	for (tries = 0; tries < 10 && !clean; tries++) {
		uk_kvm_pit_start();
		prev = pit_bracket(&t0, &u0);
		prev_t = t0;
		ticks = 0;
		clean = 1;
		while (ticks < UK_KVM_PIT_HZ / 5) {
			c = pit_bracket(&t1, &u1);
			ticks += (uint16_t)(prev - c);
			prev = c;
			if (t1 - prev_t > 40 * UK_NSEC_PER_MSEC) {
				clean = 0;
				break;
			}
			prev_t = t1;
		}
	}
	UK_TEST_ASSERT(clean);
	pit_ns = ticks * UK_NSEC_PER_SEC / UK_KVM_PIT_HZ;
	err = (int64_t)(t1 - t0) - (int64_t)pit_ns;
	uk_test_log("mono %llu us vs PIT %llu us: %lld ppm, readings "
		    "+-%llu us (try %d)", (unsigned long long)((t1 - t0) / 1000),
		    (unsigned long long)(pit_ns / 1000),
		    (long long)(err * 1000000 / (int64_t)pit_ns),
		    (unsigned long long)((u0 + u1) / 1000), tries);
	UK_TEST_EXPECT(absd(err) <= (int64_t)(pit_ns / 200 + u0 + u1));
}

static uint8_t cmos(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

/*
 * Waits for the RTC's seconds to change; returns mono time then, and in
 * *unc the window the change is known to lie in: from the start of the
 * last read that saw the old second to the end of the one that saw the
 * new (a host stall between them widens it).
 */
static uint64_t rtc_edge(uint64_t *unc)
{
	uint8_t s = cmos(0), n;
	uint64_t prev = uk_plat_time_mono_ns(), a, b;

	for (;;) {
		a = uk_plat_time_mono_ns();
		n = cmos(0);
		b = uk_plat_time_mono_ns();
		if (n != s)
			break;
		prev = a;
	}
	*unc = b - prev;
	return prev + (b - prev) / 2;
}

UK_TEST(time_rate_vs_rtc)
{
	uint64_t u0, u1, t0, t1;
	int64_t err;
	int tries = 0;

	/* Up to three seconds until both edges are seen within 1 ms. */
	do {
		t0 = rtc_edge(&u0);
		t1 = rtc_edge(&u1);
	} while ((u0 > UK_NSEC_PER_MSEC || u1 > UK_NSEC_PER_MSEC) &&
		 ++tries < 3);
	err = (int64_t)(t1 - t0) - (int64_t)UK_NSEC_PER_SEC;
	uk_test_log("one RTC second = %llu us of mono time (+-%llu us)",
		    (unsigned long long)((t1 - t0) / 1000),
		    (unsigned long long)((u0 + u1) / 1000));
	UK_TEST_EXPECT(absd(err) < 10 * (int64_t)UK_NSEC_PER_MSEC +
			      (int64_t)(u0 + u1));
}

UK_TEST(time_wall)
{
	uint64_t w = uk_plat_time_wall_ns(), rtc = uk_kvm_rtc_read();
	uint64_t w2 = uk_plat_time_wall_ns();

	/* After 2020-01-01 and before 2100-01-01. */
	UK_TEST_EXPECT(w / UK_NSEC_PER_SEC > 1577836800ULL);
	UK_TEST_EXPECT(w / UK_NSEC_PER_SEC < 4102444800ULL);
	UK_TEST_EXPECT(absd((int64_t)(w / UK_NSEC_PER_SEC) - (int64_t)rtc) <= 2);
	UK_TEST_EXPECT(w2 >= w);
}

UK_TEST(time_days_from_civil)
{
	UK_TEST_EQ(uk_kvm_days_from_civil(1970, 1, 1), 0);
	UK_TEST_EQ(uk_kvm_days_from_civil(1970, 1, 2), 1);
	UK_TEST_EQ(uk_kvm_days_from_civil(1969, 12, 31), -1);
	UK_TEST_EQ(uk_kvm_days_from_civil(2000, 3, 1), 11017);
	UK_TEST_EQ(uk_kvm_days_from_civil(2024, 2, 29), 19782);
	UK_TEST_EQ(uk_kvm_days_from_civil(2026, 11, 23), 20780);
	UK_TEST_EQ(uk_kvm_days_from_civil(2100, 3, 1), 47541);
}

/* The countdown is the deadline in APIC ticks, rounded up, capped. */
UK_TEST(idle_lapic_ticks)
{
	static const uint64_t ns[] = { 1, 999, UK_NSEC_PER_USEC,
				       UK_NSEC_PER_MSEC, 50 * UK_NSEC_PER_MSEC,
				       UK_NSEC_PER_SEC };
	uint64_t hz = uk_kvm_lapic_timer_hz();
	unsigned int i;

	uk_test_log("APIC timer %llu kHz", (unsigned long long)(hz / 1000));
	UK_TEST_ASSERT(hz > 0);
	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		uint64_t exact = (uint64_t)((unsigned __int128)ns[i] * hz /
					    UK_NSEC_PER_SEC);
		uint32_t t = uk_kvm_lapic_ticks(ns[i]);

		/* Never short by a tick; at most the rounding over. */
		UK_TEST_EXPECT(t >= exact);
		UK_TEST_EXPECT(t <= exact + 2);
	}
	UK_TEST_EQ(uk_kvm_lapic_ticks(1000 * UK_NSEC_PER_SEC), 0xffffffffu);
}

/*
 * Idling until a deadline arms exactly the countdown from the moment it
 * was computed to the deadline, and never returns before it (the loop is
 * the scheduler's: an early return halts again).  How late it woke is a
 * figure.
 */
UK_TEST(idle_until_deadline)
{
	static const uint64_t ms[] = { 1, 5, 20, 50 };
	uint64_t irqs = uk_kvm_timer_count();
	unsigned int i;

	for (i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
		uint64_t t0 = uk_plat_time_mono_ns();
		uint64_t dl = t0 + ms[i] * UK_NSEC_PER_MSEC, t, at = 0;
		uint64_t arms0 = uk_kvm_lapic_last_arm(&at, &(uint32_t){ 0 });
		uint32_t count = 0;
		int halts = 0;

		do {
			uk_plat_idle_until(dl);
			halts++;
			t = uk_plat_time_mono_ns();
		} while (t < dl && halts < 1000);
		uk_test_log("idle %llu ms: woke %llu us late after %d halt(s)",
			    (unsigned long long)ms[i],
			    (unsigned long long)((t - dl) / 1000), halts);
		UK_TEST_EXPECT(t >= dl);
		UK_TEST_EXPECT(uk_kvm_lapic_last_arm(&at, &count) >
			       arms0);
		UK_TEST_EXPECT(at >= t0 && at < dl);
		UK_TEST_EQ(count, uk_kvm_lapic_ticks(dl - at));
		UK_TEST_EXPECT(halts <= 3);
	}
	UK_TEST_EXPECT(uk_kvm_timer_count() >= irqs + 4);
}

/* A deadline already past returns at once: nothing armed, no halt. */
UK_TEST(idle_until_past_deadline)
{
	uint64_t at, arms0 = uk_kvm_lapic_last_arm(&at, &(uint32_t){ 0 });
	uint64_t halts0 = uk_kvm_idle_halts();
	uint32_t count;

	uk_plat_idle_until(1);
	uk_plat_idle_until(uk_plat_time_mono_ns());
	UK_TEST_EQ(uk_kvm_idle_halts(), halts0);
	UK_TEST_EQ(uk_kvm_lapic_last_arm(&at, &count), arms0);
}

UK_TEST(idle_tickless)
{
	uint64_t irqs = uk_kvm_timer_count(), t0 = uk_plat_time_mono_ns();

	/* 30 ms busy: no periodic timer may interrupt. */
	while (uk_plat_time_mono_ns() - t0 < 30 * UK_NSEC_PER_MSEC)
		;
	UK_TEST_EXPECT(uk_kvm_timer_count() == irqs);
}
