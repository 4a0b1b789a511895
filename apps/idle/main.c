/*
 * The idle benchmark's guest: boots, announces itself, then sleeps in
 * uk_thread_sleep_ns() so that only the idle thread runs (HLT with the
 * timer armed for the deadline).  scripts/bench-idle.sh measures what
 * QEMU costs the host meanwhile.  An optional argument sets the sleep in
 * seconds (default 8).
 */
#include <stdlib.h>

#include <uk/plat/time.h>
#include <uk/print.h>
#include <uk/sched.h>
#include <uk/thread.h>

int main(int argc, char **argv)
{
	long secs = argc > 1 ? strtol(argv[1], NULL, 10) : 8;

	if (secs <= 0)
		secs = 8;
	uk_pr_info("idle: sleeping %ld s\n", secs);
	uk_thread_sleep_ns((uint64_t)secs * UK_NSEC_PER_SEC);
	uk_pr_info("idle: done, %llu switches, %llu ms idle\n",
		   (unsigned long long)uk_sched_switch_count(),
		   (unsigned long long)(uk_sched_idle_ns() / UK_NSEC_PER_MSEC));
	return 0;
}
