/*
 * The boot timeline on kvm (uk/plat/bootstage.h).  A stage is a name and
 * the TSC when it was recorded; stage 0, pvh_entry, is the TSC boot.S
 * read at the first instruction.  Stamps are raw TSC values, so stages
 * recorded before the TSC rate is measured (the memory map, the heap...)
 * cost no calibration and are converted when first printed or read.
 * That conversion is kept: the TSC rate is refined for a while after
 * boot, and a stage's time must not drift between the console's line
 * and later scrapes (the rate known then is within its 0.5% bound).
 *
 * With uk.boot_trace=1, each stage is printed once both the command line
 * has been read and the TSC rate is known; until then stages wait, and
 * the first stage recorded after that prints them all, in order.  The
 * listener (ukmon's publisher) is told of each stage as it is recorded.
 * The scheduler is cooperative and stages are never recorded from an
 * interrupt handler, so the table needs no lock beyond masking
 * interrupts while a slot is claimed.  A stage recorded with interrupts
 * off (the clock's calibration may run inside a handler's first clock
 * read) is neither printed nor passed on then: the next stage recorded
 * with interrupts on does both, since the listener allocates.
 */
#include <errno.h>

#include <uk/arch/cpu.h>
#include <uk/plat/bootstage.h>
#include <uk/plat/cmdline.h>
#include <uk/plat/irq.h>
#include <uk/plat/time.h>

#include <kvm/plat.h>

struct stage {
	char name[UK_PLAT_BOOT_STAGE_NAME_MAX + 1];
	uint64_t tsc;
	uint64_t ns;    /* since PVH entry, once converted */
	int converted;
};

static struct stage stages[UK_PLAT_BOOT_STAGES_MAX] = {
	{ "pvh_entry", 0, 0, 0 },
};
static unsigned int nstages = 1;
static unsigned int nprinted, nnotified;
static int trace = -1;          /* -1: the command line is not read yet */
static uk_plat_boot_stage_fn listener;
static void *listener_arg;

static int name_eq(const char *a, const char *b)
{
	unsigned int i;

	for (i = 0; i < UK_PLAT_BOOT_STAGE_NAME_MAX && a[i] == b[i]; i++)
		if (!a[i])
			return 1;
	return i == UK_PLAT_BOOT_STAGE_NAME_MAX;
}

static uint64_t tsc_of(unsigned int i)
{
	return i ? stages[i].tsc : _uk_kvm_boot_tsc;
}

/* Stage i's time since PVH entry, converted once (see above). */
static uint64_t ns_of(unsigned int i)
{
	struct stage *s = &stages[i];

	if (!s->converted) {
		s->ns = (uint64_t)((unsigned __int128)(tsc_of(i) -
						       _uk_kvm_boot_tsc) *
				   UK_NSEC_PER_SEC / uk_kvm_tsc_hz());
		s->converted = 1;
	}
	return s->ns;
}

/* Prints the stages not yet printed, if tracing and the rate is known. */
static void print_pending(void)
{
	unsigned int i;

	if (trace != 1 || !_uk_kvm_tsc_hz_known())
		return;
	while (nprinted < nstages) {
		i = nprinted++;
		_uk_kvm_puts("boot: ");
		_uk_kvm_puts(stages[i].name);
		_uk_kvm_puts(" ");
		_uk_kvm_putdec(ns_of(i) / 1000);
		_uk_kvm_puts(" us (+");
		_uk_kvm_putdec(i ? ns_of(i) / 1000 - ns_of(i - 1) / 1000 : 0);
		_uk_kvm_puts(" us)\n");
	}
}

/* Tells the listener of the stages it has not heard of. */
static void notify_pending(void)
{
	while (listener && nnotified < nstages) {
		unsigned int i = nnotified++;

		listener(i, listener_arg);
	}
}

/* Reads uk.boot_trace once the command line is parsed (setup.c). */
void _uk_kvm_boot_stage_trace_init(void)
{
	const char *v = uk_plat_option("uk.boot_trace");

	trace = v && v[0] == '1' && !v[1];
	print_pending();
}

/* Records stage name now (once per name). */
void uk_plat_boot_stage(const char *name)
{
	uint64_t now = uk_arch_rdtsc();
	unsigned long f;
	unsigned int i;

	if (!name || !name[0])
		return;
	f = uk_plat_irq_save();
	for (i = 0; i < nstages; i++)
		if (name_eq(stages[i].name, name))
			break;
	if (i < nstages || nstages == UK_PLAT_BOOT_STAGES_MAX) {
		uk_plat_irq_restore(f);
		return;
	}
	for (i = 0; i < UK_PLAT_BOOT_STAGE_NAME_MAX && name[i]; i++)
		stages[nstages].name[i] = name[i];
	stages[nstages].name[i] = '\0';
	stages[nstages].tsc = now;
	nstages++;
	uk_plat_irq_restore(f);
	if (!(f & UK_ARCH_RFLAGS_IF))
		return;
	print_pending();
	notify_pending();
}

/* Stage i's name and nanoseconds since PVH entry: 0 or -ENOENT. */
int uk_plat_boot_stage_get(unsigned int i, const char **name, uint64_t *ns)
{
	if (i >= nstages)
		return -ENOENT;
	*name = stages[i].name;
	if (ns)
		*ns = ns_of(i);
	return 0;
}

/* Sets the listener and tells it of every stage so far. */
void uk_plat_boot_stage_listen(uk_plat_boot_stage_fn fn, void *arg)
{
	listener = fn;
	listener_arg = arg;
	nnotified = 0;
	notify_pending();
}
