/*
 * Threads as the libraries see them.  plat/linuxu maps them to pthreads;
 * on kvm, lib/uksched provides them as cooperative threads.  A library
 * that needs a thread of its own (the exporter) uses only this header.
 */
#ifndef UK_THREAD_H
#define UK_THREAD_H

#include <stddef.h>
#include <stdint.h>

struct uk_thread;

typedef void (*uk_thread_fn)(void *arg);

/*
 * Creates and starts a thread running fn(arg).  stack_size 0 picks the
 * default.  Returns 0 and sets *out, or -ENOMEM / -EINVAL.
 */
int uk_thread_create(struct uk_thread **out, const char *name,
		     uk_thread_fn fn, void *arg, size_t stack_size);
/* Waits for t to finish and frees it.  Returns 0 or -EINVAL. */
int uk_thread_join(struct uk_thread *t);
/* Ends the calling thread. */
__attribute__((noreturn)) void uk_thread_exit(void);
/* Gives the CPU to another runnable thread. */
void uk_thread_yield(void);
/* Sleeps at least ns nanoseconds. */
void uk_thread_sleep_ns(uint64_t ns);
/* The calling thread's name ("main" for the first thread). */
const char *uk_thread_name(void);

/* What a thread's CPU time counts as (see uk/sched.h's CPU modes). */
enum uk_thread_class {
	UK_THREAD_CLASS_USER = 0, /* the application (the default) */
	UK_THREAD_CLASS_SYSTEM,   /* a kernel thread: stack, driver, exporter */
	UK_THREAD_CLASS_SOFTIRQ,  /* deferred interrupt work only (net rx) */
};

/*
 * Sets t's class, right after creating it (before it first runs).
 * Libraries mark their own threads this way.  Where threads are not
 * accounted by class (pthreads on linuxu) it does nothing.  Returns 0 or
 * -EINVAL (NULL t, an unknown class).
 */
int uk_thread_set_class(struct uk_thread *t, enum uk_thread_class cls);

#endif
