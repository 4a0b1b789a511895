/*
 * The cooperative scheduler: thread creation, the round-robin run queue,
 * the switch with its CPU-time accounting, exit and join, the idle
 * thread, per-thread errno and the boot hook that starts it all before
 * main().  A thread runs until it blocks, yields, sleeps or exits; then
 * the head of the run queue runs, or the idle thread when the queue is
 * empty.  Interrupt handlers only ever make threads ready (uk_wake), so
 * every queue update happens with interrupts masked and a switch is made
 * with them masked; each thread unmasks them again as it resumes.
 *
 * Time comes from the scheduler's clock (_uksched_clock): the platform's,
 * or one a test injected (uk_sched_clock_set()).  What a slice counts
 * as (CPU mode, interrupt time) and the load average are cpu.c's: the
 * switch and every change of the run-queue count call into it.
 * Statistics publication is uksched_stats' business, reached through
 * weak hooks (sched_impl.h).
 *
 * When the code runs under AddressSanitizer (linuxu tests), each switch is
 * announced with the sanitizer's fiber hooks, so that ASan knows which
 * stack is current (it needs that to unpoison the right stack on noreturn
 * calls and to describe stack addresses).  The hooks are weak references:
 * without ASan they are NULL and skipped, so no build flag is involved.
 */
#include <errno.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/arch/ctx.h>
#include <uk/assert.h>
#include <uk/counter.h>
#include <uk/plat/idle.h>
#include <uk/plat/irq.h>
#include <uk/plat/lifecycle.h>
#include <uk/plat/time.h>
#include <uk/sched.h>
#include <uk/thread.h>
#include <uk/wait.h>

#include "sched_impl.h"

extern void __sanitizer_start_switch_fiber(void **fake_stack_save,
					   const void *bottom, size_t size)
	__attribute__((weak));
extern void __sanitizer_finish_switch_fiber(void *fake_stack_save,
					    const void **bottom_old,
					    size_t *size_old)
	__attribute__((weak));

/* Resolved to NULL when uksched_stats is not linked. */
#pragma weak _uksched_stats_thread_new
#pragma weak _uksched_stats_thread_exit

#define STACK_CANARY 0x5ca1ab1ec0ffee00ULL

static const struct uk_sched_clock plat_clock = {
	uk_plat_time_mono_ns, uk_plat_idle_until, uk_plat_irq_time_ns,
};

struct uk_thread *_uksched_cur;
const struct uk_sched_clock *_uksched_clock = &plat_clock;

static int started;
static struct uk_thread main_thread;
static struct uk_thread *idle;
static struct uk_thread *rq_head, *rq_tail;
static struct uk_thread *all_head, *all_tail;
static struct uk_thread *switch_from; /* the thread that switched last */
static uint64_t next_id = 1;
static uint64_t nalive;
static uint64_t nswitches;
static uint64_t nforks;
static unsigned long irq_on_flags; /* irq state threads start with */
static int boot_errno;

/* Makes t runnable at the tail of the run queue (irqs masked). */
void _uksched_make_ready(struct uk_thread *t)
{
	UK_ASSERT(!t->is_idle && t->state != UK_SCHED_EXITED &&
		  t->state != UK_SCHED_READY);
	if (t->state != UK_SCHED_RUNNING) { /* a yield changes no count */
		_uksched_load_account(_uksched_now());
		_uksched_nrunning++;
	}
	t->state = UK_SCHED_READY;
	t->rq_next = NULL;
	if (rq_tail)
		rq_tail->rq_next = t;
	else
		rq_head = t;
	rq_tail = t;
}

static struct uk_thread *rq_pop(void)
{
	struct uk_thread *t = rq_head;

	if (t) {
		rq_head = t->rq_next;
		if (!rq_head)
			rq_tail = NULL;
		t->rq_next = NULL;
	}
	return t;
}

static void all_add(struct uk_thread *t)
{
	t->all_next = NULL;
	t->all_prev = all_tail;
	if (all_tail)
		all_tail->all_next = t;
	else
		all_head = t;
	all_tail = t;
}

static void all_del(struct uk_thread *t)
{
	if (t->all_prev)
		t->all_prev->all_next = t->all_next;
	else
		all_head = t->all_next;
	if (t->all_next)
		t->all_next->all_prev = t->all_prev;
	else
		all_tail = t->all_prev;
	t->all_next = t->all_prev = NULL;
}

/*
 * Runs on the thread that has just been switched in: completes the
 * sanitizer's fiber switch, learning the bounds of the stack we came from
 * when they were unknown (the boot stack of main).
 */
static void switch_finish(struct uk_thread *self)
{
	const void *lo;
	size_t size;

	if (!__sanitizer_finish_switch_fiber)
		return;
	__sanitizer_finish_switch_fiber(self->asan_fake_stack, &lo, &size);
	if (switch_from && !switch_from->asan_stack_lo) {
		switch_from->asan_stack_lo = lo;
		switch_from->asan_stack_size = size;
	}
}

static void check_stack(const struct uk_thread *t)
{
	if (t->stack && *(const uint64_t *)t->stack != STACK_CANARY)
		uk_panic("uksched: stack overflow in thread %s", t->name);
}

/* CPU time of t including its running slice. */
uint64_t _uksched_thread_cpu_ns(const struct uk_thread *t)
{
	uint64_t ns;
	unsigned long f;

	if (t != _uksched_cur)
		return uk_counter_read(&t->cpu_ns);
	/* Masked: a switch must not charge the slice while it is added. */
	f = uk_plat_irq_save();
	ns = uk_counter_read(&t->cpu_ns) +
	     _uksched_cpu_slice_ns(_uksched_now());
	uk_plat_irq_restore(f);
	return ns;
}

/*
 * Switches to the next runnable thread, or to idle (irqs masked).  The
 * caller has already queued, blocked or ended the current thread; a
 * thread left RUNNING (idle, or a yield with nobody else ready) keeps the
 * CPU.  Returns when the calling thread is switched in again.
 */
void _uksched_schedule(void)
{
	struct uk_thread *prev = _uksched_cur, *next;
	uint64_t now = _uksched_now();

	if (!prev->is_idle && (prev->state == UK_SCHED_BLOCKED ||
			       prev->state == UK_SCHED_EXITED)) {
		/* It leaves the run-queue count (sleepers return below). */
		_uksched_load_account(now);
		_uksched_nrunning--;
	}
	_uksched_wake_expired(now);
	next = rq_pop();
	if (!next) {
		if (prev->state == UK_SCHED_RUNNING)
			return;
		next = idle;
	}
	if (next == prev) {
		prev->state = UK_SCHED_RUNNING;
		return;
	}
	if (prev->state == UK_SCHED_RUNNING) /* idle, never queued */
		prev->state = UK_SCHED_READY;
	check_stack(prev);
	_uksched_cpu_charge(now);
	next->run_start = now;
	uk_counter_add(&next->switches, 1);
	uk_counter_add(&nswitches, 1);
	next->state = UK_SCHED_RUNNING;
	switch_from = prev;
	_uksched_cur = next;
	if (__sanitizer_start_switch_fiber)
		__sanitizer_start_switch_fiber(
			prev->state == UK_SCHED_EXITED ? NULL
						       : &prev->asan_fake_stack,
			next->asan_stack_lo, next->asan_stack_size);
	uk_arch_ctx_switch(&prev->ctx, &next->ctx);
	switch_finish(prev);
}

/* First code of every created thread (see uk_arch_ctx_init). */
static void thread_entry(void *arg)
{
	struct uk_thread *t = arg;

	switch_finish(t);
	uk_plat_irq_restore(irq_on_flags);
	t->fn(t->arg);
	uk_thread_exit();
}

static void idle_main(void *arg)
{
	for (;;) {
		unsigned long f = uk_plat_irq_save();

		_uksched_wake_expired(_uksched_now());
		if (rq_head)
			_uksched_schedule();
		else
			/*
			 * Called masked so that a wake-up by an interrupt
			 * between the check above and the halt is not lost:
			 * the platform unmasks atomically with halting.
			 */
			_uksched_clock->idle_until(_uksched_next_deadline());
		uk_plat_irq_restore(f);
	}
}

/* Drops a reference on t; the last one frees it. */
void _uksched_thread_put(struct uk_thread *t)
{
	if (__atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL))
		return;
	UK_ASSERT(t != &main_thread);
	uk_free(uk_alloc_get_default(), t);
}

static void set_name(struct uk_thread *t, const char *name)
{
	size_t i;

	strncpy(t->name, name && *name ? name : "thread",
		sizeof(t->name) - 1);
	/* Names become store folder names, which cannot hold '/'. */
	for (i = 0; t->name[i]; i++)
		if (t->name[i] == '/')
			t->name[i] = '_';
}

/* Tells uksched_stats, if linked, about a thread that has started. */
static void stats_new(struct uk_thread *t)
{
	if (_uksched_stats_thread_new)
		_uksched_stats_thread_new(t);
}

static int thread_new(struct uk_thread **out, const char *name,
		      uk_thread_fn fn, void *arg, size_t stack_size)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct uk_thread *t;
	void *stack;

	if (!stack_size)
		stack_size = UK_SCHED_STACK_DEFAULT;
	if (stack_size < UK_SCHED_STACK_MIN)
		stack_size = UK_SCHED_STACK_MIN;
	stack_size = (stack_size + 15) & ~(size_t)15;
	t = uk_calloc(a, 1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	if (uk_posix_memalign(a, &stack, 16, stack_size)) {
		uk_free(a, t);
		return -ENOMEM;
	}
	t->id = next_id++;
	set_name(t, name);
	t->fn = fn;
	t->arg = arg;
	t->stack = stack;
	t->stack_size = stack_size;
	t->asan_stack_lo = stack;
	t->asan_stack_size = stack_size;
	t->refs = 1;
	/* A system (or softirq) thread's children are system. */
	t->cls = _uksched_cur->cls == UK_SCHED_CPU_USER ? UK_SCHED_CPU_USER
						       : UK_SCHED_CPU_SYSTEM;
	*(uint64_t *)stack = STACK_CANARY;
	uk_arch_ctx_init(&t->ctx, stack, stack_size, thread_entry, t);
	t->state = UK_SCHED_BLOCKED;
	all_add(t);
	nalive++;
	uk_counter_add(&nforks, 1);
	*out = t;
	return 0;
}

/*
 * Starts the scheduler if needed: the calling context becomes "main" and
 * the idle thread is created.  Idempotent.
 */
void uk_sched_init(void)
{
	unsigned long f;
	int rc;

	if (started)
		return;
	started = 1;
	main_thread.id = next_id++;
	set_name(&main_thread, "main");
	main_thread.state = UK_SCHED_RUNNING;
	main_thread.refs = 1;
	main_thread.run_start = _uksched_now();
	main_thread.cls = UK_SCHED_CPU_USER;
	all_add(&main_thread);
	nalive++;
	uk_counter_add(&nforks, 1);
	_uksched_cur = &main_thread;
	_uksched_cpu_init(main_thread.run_start);
	/* New threads start with interrupts as the booting code has them. */
	f = uk_plat_irq_save();
	uk_plat_irq_restore(f);
	irq_on_flags = f;
	rc = thread_new(&idle, "idle", idle_main, NULL, 0);
	if (rc)
		uk_panic("uksched: cannot create the idle thread: %d", rc);
	idle->is_idle = 1;
	idle->state = UK_SCHED_READY;
	stats_new(&main_thread);
	stats_new(idle);
}

/* See uk/thread.h.  Returns 0, -EINVAL or -ENOMEM. */
int uk_thread_create(struct uk_thread **out, const char *name,
		     uk_thread_fn fn, void *arg, size_t stack_size)
{
	struct uk_thread *t;
	unsigned long f;
	int rc;

	if (!out || !fn)
		return -EINVAL;
	uk_sched_init();
	rc = thread_new(&t, name, fn, arg, stack_size);
	if (rc)
		return rc;
	stats_new(t);
	f = uk_plat_irq_save();
	_uksched_make_ready(t);
	uk_plat_irq_restore(f);
	*out = t;
	return 0;
}

/*
 * Waits for t to exit, then frees its stack and (once uksched_stats has
 * let go of it too) the thread itself.  Returns 0, or -EINVAL for NULL, the
 * calling thread, main, idle, or a thread someone else joins.
 */
int uk_thread_join(struct uk_thread *t)
{
	uk_sched_init();
	if (!t || t == _uksched_cur || t == &main_thread || t->is_idle ||
	    t->joining)
		return -EINVAL;
	t->joining = 1;
	while (!__atomic_load_n(&t->exited, __ATOMIC_ACQUIRE))
		uk_wait_on(&t->exited, 0, 0);
	all_del(t);
	uk_free(uk_alloc_get_default(), t->stack);
	t->stack = NULL;
	_uksched_thread_put(t);
	return 0;
}

/*
 * Ends the calling thread; a joiner is woken.  When main calls it, the
 * whole instance ends with status 0, as returning from main would.
 */
void uk_thread_exit(void)
{
	struct uk_thread *t;

	uk_sched_init();
	t = _uksched_cur;
	if (t == &main_thread)
		uk_plat_exit(0);
	UK_ASSERT(!t->is_idle);
	if (_uksched_stats_thread_exit)
		_uksched_stats_thread_exit(t);
	/* Masked for good: this thread never resumes to unmask. */
	uk_plat_irq_save();
	nalive--;
	t->state = UK_SCHED_EXITED;
	__atomic_store_n(&t->exited, 1, __ATOMIC_RELEASE);
	uk_wake(&t->exited, -1);
	_uksched_schedule();
	uk_panic("uksched: exited thread %s resumed", t->name);
}

/* Puts the calling thread behind every other ready thread. */
void uk_thread_yield(void)
{
	unsigned long f;

	uk_sched_init();
	f = uk_plat_irq_save();
	_uksched_make_ready(_uksched_cur);
	_uksched_schedule();
	uk_plat_irq_restore(f);
}

/* Blocks the calling thread for at least ns nanoseconds (0: yields). */
void uk_thread_sleep_ns(uint64_t ns)
{
	uint64_t deadline;
	unsigned long f;

	uk_sched_init();
	if (!ns) {
		uk_thread_yield();
		return;
	}
	UK_ASSERT(!_uksched_cur->is_idle);
	deadline = _uksched_now() + ns;
	f = uk_plat_irq_save();
	while (_uksched_now() < deadline) {
		_uksched_cur->wait_addr = NULL;
		_uksched_sleep_insert(_uksched_cur, deadline);
		_uksched_cur->state = UK_SCHED_BLOCKED;
		_uksched_schedule();
		_uksched_unwait(_uksched_cur);
	}
	uk_plat_irq_restore(f);
}

/* The calling thread's name ("main" before the scheduler starts). */
const char *uk_thread_name(void)
{
	return _uksched_cur ? _uksched_cur->name : "main";
}

/* The calling thread (starting the scheduler if needed). */
struct uk_thread *uk_sched_current(void)
{
	uk_sched_init();
	return _uksched_cur;
}

/* Fills *out for t.  Returns 0 or -EINVAL. */
int uk_sched_thread_info(struct uk_thread *t,
			 struct uk_sched_thread_info *out)
{
	if (!t || !out)
		return -EINVAL;
	out->id = t->id;
	out->name = t->name;
	out->folder = t->folder_name[0] ? t->folder_name : NULL;
	out->state = t->state;
	out->is_idle = t->is_idle;
	out->cpu_ns = _uksched_thread_cpu_ns(t);
	out->switches = uk_counter_read(&t->switches);
	return 0;
}

/* Calls fn for each unjoined thread.  Returns 0 or fn's first non-zero. */
int uk_sched_thread_foreach(int (*fn)(void *arg,
				      const struct uk_sched_thread_info *ti),
			    void *arg)
{
	struct uk_sched_thread_info ti;
	struct uk_thread *t;
	int rc;

	uk_sched_init();
	for (t = all_head; t; t = t->all_next) {
		uk_sched_thread_info(t, &ti);
		rc = fn(arg, &ti);
		if (rc)
			return rc;
	}
	return 0;
}

/*
 * Makes c the scheduler's clock (NULL: the platform's); see uk/sched.h.
 * Crashes if a thread sleeps or waits with a deadline.  Returns the
 * previous clock, NULL for the platform's.
 */
const struct uk_sched_clock *
uk_sched_clock_set(const struct uk_sched_clock *c)
{
	const struct uk_sched_clock *old;
	uint64_t old_now;
	unsigned long f;

	uk_sched_init();
	f = uk_plat_irq_save();
	UK_ASSERT(_uksched_next_deadline() == 0);
	old = _uksched_clock;
	/* The running slice so far is counted on the old clock. */
	old_now = _uksched_now();
	_uksched_cpu_charge(old_now);
	_uksched_clock = c ? c : &plat_clock;
	_uksched_cur->run_start = _uksched_now();
	_uksched_cpu_clock_changed(old_now, _uksched_cur->run_start);
	uk_plat_irq_restore(f);
	return old == &plat_clock ? NULL : old;
}

/* Threads created and not exited (main and idle included). */
unsigned int uk_sched_thread_count(void)
{
	return (unsigned int)uk_counter_read(&nalive);
}

/* Context switches so far. */
uint64_t uk_sched_switch_count(void)
{
	return uk_counter_read(&nswitches);
}

/* Time spent in the idle thread, in ns. */
uint64_t uk_sched_idle_ns(void)
{
	return idle ? _uksched_thread_cpu_ns(idle) : 0;
}

/*
 * The calling thread's errno (nolibc's errno macro lands here; its weak
 * default is one global).  Returns a pointer valid for the thread's life.
 */
int *__uk_errno_location(void)
{
	return _uksched_cur ? &_uksched_cur->err : &boot_errno;
}

int main(int argc, char **argv);

/*
 * Called by the kvm platform once the hardware is ready: starts the
 * scheduler (the boot context becomes "main"), runs main() and returns
 * its status, which the platform turns into the exit status.
 */
int uk_boot_main(int argc, char **argv)
{
	uk_sched_init();
	return main(argc, argv);
}

/* See uk/sched.h: every thread given an id (main and idle too). */
uint64_t uk_sched_fork_count(void)
{
	return uk_counter_read(&nforks);
}

/* See uk/sched.h: threads in uk_wait_on() with no deadline. */
unsigned int uk_sched_blocked_count(void)
{
	unsigned int n = 0;
	unsigned long f;

	uk_sched_init();
	f = uk_plat_irq_save();
	for (struct uk_thread *t = all_head; t; t = t->all_next)
		if (t->state == UK_SCHED_BLOCKED && t->wait_addr &&
		    !t->deadline)
			n++;
	uk_plat_irq_restore(f);
	return n;
}
