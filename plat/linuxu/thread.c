/*
 * linuxu threads and futex wait (library linuxu_threads): uk/thread.h
 * over pthreads and uk/wait.h over the futex system call, so the mutex
 * core and uklock's locks are real futex locks here, run by truly
 * parallel threads (which is what the TSan tests want).  Deadlines are on
 * CLOCK_MONOTONIC (uk_plat_time_mono_ns()); there is no injected clock.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <uk/plat/time.h>
#include <uk/thread.h>
#include <uk/wait.h>

struct uk_thread {
	pthread_t pt;
	uk_thread_fn fn;
	void *arg;
	char name[32];
};

static __thread struct uk_thread *self;

static void *trampoline(void *p)
{
	struct uk_thread *t = p;

	self = t;
	t->fn(t->arg);
	return NULL;
}

/*
 * Starts fn(arg) on a new pthread (stack_size 0: pthreads' default; a
 * smaller one than PTHREAD_STACK_MIN is raised to it).  Returns 0 and
 * sets *out, -EINVAL (NULL out or fn, or attributes pthreads refuses),
 * -ENOMEM, or -EAGAIN (no resources for another thread).
 */
int uk_thread_create(struct uk_thread **out, const char *name,
		     uk_thread_fn fn, void *arg, size_t stack_size)
{
	struct uk_thread *t;
	pthread_attr_t attr;
	int rc;

	if (!out || !fn)
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->fn = fn;
	t->arg = arg;
	strncpy(t->name, name ? name : "thread", sizeof(t->name) - 1);
	pthread_attr_init(&attr);
	if (stack_size)
		pthread_attr_setstacksize(&attr, stack_size < PTHREAD_STACK_MIN
					  ? PTHREAD_STACK_MIN : stack_size);
	rc = pthread_create(&t->pt, &attr, trampoline, t);
	pthread_attr_destroy(&attr);
	if (rc) {
		free(t);
		return -rc;
	}
	*out = t;
	return 0;
}

/*
 * Waits for t to finish and frees it.  Returns 0, or -EINVAL for NULL or
 * a thread pthreads cannot join (the caller itself, one already joined).
 */
int uk_thread_join(struct uk_thread *t)
{
	if (!t)
		return -EINVAL;
	if (pthread_join(t->pt, NULL))
		return -EINVAL;
	free(t);
	return 0;
}

/* Ends the calling thread (pthread_exit); never returns. */
void uk_thread_exit(void)
{
	pthread_exit(NULL);
}

/* Gives the CPU to another thread (sched_yield). */
void uk_thread_yield(void)
{
	sched_yield();
}

/* Sleeps at least ns nanoseconds, resuming after signals. */
void uk_thread_sleep_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / UK_NSEC_PER_SEC),
			       (long)(ns % UK_NSEC_PER_SEC) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * The calling thread's name as given to uk_thread_create(), or "main"
 * for a thread it did not create.
 */
const char *uk_thread_name(void)
{
	return self ? self->name : "main";
}

/*
 * Accepts a class and ignores it: pthreads' CPU time is Linux's to
 * account.  Returns 0, or -EINVAL for a NULL t or an unknown class.
 */
int uk_thread_set_class(struct uk_thread *t, enum uk_thread_class cls)
{
	if (!t || (unsigned int)cls > UK_THREAD_CLASS_SOFTIRQ)
		return -EINVAL;
	return 0;
}

/* Blocks on a Linux futex; see uk/wait.h.  Returns 0 or -ETIMEDOUT. */
int uk_wait_on(const uint32_t *addr, uint32_t expected, uint64_t deadline_ns)
{
	struct timespec ts, *tsp = NULL;
	long rc;

	if (deadline_ns) {
		uint64_t now = uk_plat_time_mono_ns();
		uint64_t left = deadline_ns > now ? deadline_ns - now : 0;

		if (!left)
			return -ETIMEDOUT;
		ts.tv_sec = (time_t)(left / UK_NSEC_PER_SEC);
		ts.tv_nsec = (long)(left % UK_NSEC_PER_SEC);
		tsp = &ts;
	}
	rc = syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, expected, tsp,
		     NULL, 0);
	if (rc < 0 && errno == ETIMEDOUT)
		return -ETIMEDOUT;
	return 0;
}

/* Wakes up to n futex waiters on addr (n < 0: all). */
void uk_wake(const uint32_t *addr, int n)
{
	syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, n < 0 ? INT_MAX : n,
		NULL, NULL, 0);
}

/* The clock of uk_wait_on() deadlines: the platform's monotonic time. */
uint64_t uk_wait_now_ns(void)
{
	return uk_plat_time_mono_ns();
}
