/*
 * uk_wake() from an interrupt handler, in the kernel image: the PIT's
 * channel 0 is armed as a one-shot (mode 0) and its IRQ 0 handler wakes a
 * thread blocked in uk_wait_on().  With no sleeper at all the idle thread
 * halts with no deadline, so this is exactly the path where a wake-up
 * racing with the halt must not be lost (uksched calls the platform's
 * idle with interrupts masked; the platform unmasks atomically with HLT).
 * The PIT is the test's own device: the platform uses only channel 2.
 *
 * "Woken at once" is checked by counting, not timing: between the
 * interrupt and the woken thread running, the CPU halts no more and only
 * the switch from idle to that thread happens.
 */
#include <uk/arch/io.h>
#include <uk/plat/irq.h>
#include <uk/plat/time.h>
#include <uk/sched.h>
#include <uk/test.h>
#include <uk/thread.h>
#include <uk/wait.h>

#include <kvm/plat.h>

#define PIT_HZ 1193182ULL
#define PIT_CH0 0x40
#define PIT_CMD 0x43

static uint32_t fired;
static uint64_t fired_at, fired_halts, fired_switches;
static unsigned int irqs;

/* mode 0: OUT goes high at terminal count and stays there (one-shot). */
static void pit_oneshot(uint64_t ns)
{
	uint64_t count = ns * PIT_HZ / UK_NSEC_PER_SEC;

	if (count > 0xffff)
		count = 0xffff;
	outb(PIT_CMD, 0x30); /* channel 0, lobyte/hibyte, mode 0 */
	outb(PIT_CH0, (uint8_t)count);
	outb(PIT_CH0, (uint8_t)(count >> 8));
}

/* OUT pin of channel 0, from a read-back status latch. */
static int pit_out_high(void)
{
	outb(PIT_CMD, 0xe2); /* read-back: status only, channel 0 */
	return inb(PIT_CH0) & 0x80;
}

static int pit_irq(void *arg)
{
	irqs++;
	/* An edge latched while the line was masked is not ours. */
	if (!pit_out_high() || fired)
		return 0;
	fired_at = uk_plat_time_mono_ns();
	fired_halts = uk_kvm_idle_halts();
	fired_switches = uk_sched_switch_count();
	__atomic_store_n(&fired, 1, __ATOMIC_RELEASE);
	uk_wake(&fired, -1);
	return 1;
}

struct waiter {
	int rc;
	uint64_t woke_at, halts, switches;
};

static void wait_irq(void *arg)
{
	struct waiter *w = arg;

	w->rc = uk_wait_on(&fired, 0, 0);
	w->woke_at = uk_plat_time_mono_ns();
	w->halts = uk_kvm_idle_halts();
	w->switches = uk_sched_switch_count();
}

UK_TEST(kvm_irq_wakes_thread)
{
	struct waiter w = { 99, 0, 0, 0 };
	struct uk_thread *t;
	uint64_t t0;

	UK_TEST_EQ(uk_thread_create(&t, "irqwait", wait_irq, &w, 0), 0);
	uk_thread_yield(); /* it blocks on `fired` */
	t0 = uk_plat_time_mono_ns();
	pit_oneshot(20 * UK_NSEC_PER_MSEC);
	UK_TEST_EQ(uk_plat_irq_register(0, pit_irq, NULL), 0);
	/* Main blocks too (no deadline): only the interrupt can end this. */
	while (!__atomic_load_n(&fired, __ATOMIC_ACQUIRE))
		uk_wait_on(&fired, 0, 0);
	UK_TEST_EQ(uk_thread_join(t), 0);
	uk_test_log("PIT one-shot 20 ms: IRQ after %llu us, thread woken "
		    "%llu us later (%u interrupts)",
		    (unsigned long long)((fired_at - t0) / 1000),
		    (unsigned long long)((w.woke_at - fired_at) / 1000), irqs);
	UK_TEST_EQ(w.rc, 0);
	/* The one-shot never fires early (one PIT tick of rounding). */
	UK_TEST_EXPECT(fired_at - t0 >= 19 * UK_NSEC_PER_MSEC);
	UK_TEST_EXPECT(w.woke_at >= fired_at);
	/* The halt the interrupt ended was the last one... */
	UK_TEST_EQ(w.halts, fired_halts);
	/* ...and idle switched straight to the woken thread. */
	UK_TEST_EQ(w.switches, fired_switches + 1);
}
