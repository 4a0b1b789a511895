/*
 * node_cpu: the scheduler's figures as /proc/stat and /proc/loadavg have
 * them, and their node_exporter series: node_cpu_seconds_total{cpu="0",
 * mode} for Linux's eight modes (nice, iowait and steal are 0: there is
 * no nice level, no thread waits on I/O apart from blocking, and the
 * hypervisor's steal is not visible), node_cpu_guest_seconds_total (0:
 * no guests), context switches, interrupts, thread creations as forks,
 * running and blocked threads, the load averages, and the process
 * collector's process_cpu_seconds_total (all but idle: the instance is
 * one process).
 *
 * Times are whole ticks of 1/100 s (USER_HZ) as /proc/stat prints them,
 * so node_exporter's reading of our /proc/stat and our own series agree
 * exactly.  The one CPU is folder node/0 (label cpu), made by
 * uk_node_sync().
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <uk/node.h>
#include <uk/plat/time.h>
#include <uk/sched.h>
#include <uk/store_publish.h>

#include "node_impl.h"

#define NS_PER_TICK (UK_NSEC_PER_SEC / UK_NODE_USER_HZ)

static void read_ticks(uint64_t ticks[UK_NODE_CPU_MODES]);

int uk_node_cpu_read(struct uk_node_cpu *out)
{
	uint32_t load[3];

	memset(out, 0, sizeof(*out));
	read_ticks(out->ticks);
	out->ctxt = uk_sched_switch_count();
	out->intr = uk_node_intr_count();
	out->forks = uk_sched_fork_count();
	out->running = uk_sched_running_count();
	out->blocked = uk_sched_blocked_count();
	out->threads = uk_sched_thread_count();
	uk_sched_loadavg(load);
	memcpy(out->load, load, sizeof(load));
	return 0;
}

static double seconds(uint64_t ticks)
{
	return (double)ticks / UK_NODE_USER_HZ;
}

/* The ticks of every mode, without the counts uk_node_cpu_read() adds. */
static void read_ticks(uint64_t ticks[UK_NODE_CPU_MODES])
{
	struct uk_sched_cpu_times t;
	unsigned int i;

	uk_sched_cpu_times(&t);
	for (i = 0; i < UK_NODE_CPU_MODES; i++)
		ticks[i] = 0;
	ticks[UK_NODE_CPU_USER] = t.ns[UK_SCHED_CPU_USER] / NS_PER_TICK;
	ticks[UK_NODE_CPU_SYSTEM] = t.ns[UK_SCHED_CPU_SYSTEM] / NS_PER_TICK;
	ticks[UK_NODE_CPU_IRQ] = t.ns[UK_SCHED_CPU_IRQ] / NS_PER_TICK;
	ticks[UK_NODE_CPU_SOFTIRQ] = t.ns[UK_SCHED_CPU_SOFTIRQ] / NS_PER_TICK;
	ticks[UK_NODE_CPU_IDLE] = t.ns[UK_SCHED_CPU_IDLE] / NS_PER_TICK;
}

#define MODE_GETTER(m) \
	static int get_##m(void *cookie, double *out) \
	{ \
		uint64_t ticks[UK_NODE_CPU_MODES]; \
		read_ticks(ticks); \
		*out = seconds(ticks[m]); \
		return 0; \
	}
MODE_GETTER(UK_NODE_CPU_USER)
MODE_GETTER(UK_NODE_CPU_NICE)
MODE_GETTER(UK_NODE_CPU_SYSTEM)
MODE_GETTER(UK_NODE_CPU_IDLE)
MODE_GETTER(UK_NODE_CPU_IOWAIT)
MODE_GETTER(UK_NODE_CPU_IRQ)
MODE_GETTER(UK_NODE_CPU_SOFTIRQ)
MODE_GETTER(UK_NODE_CPU_STEAL)

static int get_dzero(void *cookie, double *out)
{
	*out = 0;
	return 0;
}

#define CPU_HELP "Seconds the CPUs spent in each mode."
#define GUEST_HELP "Seconds the CPUs spent in guests (VMs) for each mode."
#define MODE(name, m) \
	UK_STORE_ENTRY_L(cpu_##name, cpu_seconds_total, mode, #name, dbl, \
			 counter, seconds, CPU_HELP, get_##m, NULL, NULL)

static const struct uk_store_entry cpu_tmpl[] = {
	MODE(idle, UK_NODE_CPU_IDLE),
	MODE(iowait, UK_NODE_CPU_IOWAIT),
	MODE(irq, UK_NODE_CPU_IRQ),
	MODE(nice, UK_NODE_CPU_NICE),
	MODE(softirq, UK_NODE_CPU_SOFTIRQ),
	MODE(steal, UK_NODE_CPU_STEAL),
	MODE(system, UK_NODE_CPU_SYSTEM),
	MODE(user, UK_NODE_CPU_USER),
	UK_STORE_ENTRY_L(guest_nice, cpu_guest_seconds_total, mode, "nice",
			 dbl, counter, seconds, GUEST_HELP, get_dzero, NULL,
			 NULL),
	UK_STORE_ENTRY_L(guest_user, cpu_guest_seconds_total, mode, "user",
			 dbl, counter, seconds, GUEST_HELP, get_dzero, NULL,
			 NULL),
};

static struct uk_store_folder *cpu0;

int _uk_node_cpu_sync(void)
{
	static const char *const names[] = { "cpu" };

	if (cpu0)
		return 0;
	return uk_store_folder_add_labels(&uk_store_lib_node, names, NULL, 1,
					  "0", cpu_tmpl,
					  sizeof(cpu_tmpl) / sizeof(cpu_tmpl[0]),
					  NULL, NULL, &cpu0);
}

enum { F_CTXT, F_INTR, F_FORKS, F_RUNNING, F_BLOCKED };

static int get_field(void *cookie, uint64_t *out)
{
	struct uk_node_cpu c;

	uk_node_cpu_read(&c);
	switch ((uintptr_t)cookie) {
	case F_CTXT: *out = c.ctxt; break;
	case F_INTR: *out = c.intr; break;
	case F_FORKS: *out = c.forks; break;
	case F_RUNNING: *out = c.running; break;
	default: *out = c.blocked; break;
	}
	return 0;
}

static int get_load(void *cookie, double *out)
{
	uint32_t load[3];

	uk_sched_loadavg(load);
	*out = uk_node_load_value(load[(uintptr_t)cookie]);
	return 0;
}

static int get_process_cpu(void *cookie, double *out)
{
	uint64_t t[UK_NODE_CPU_MODES];

	read_ticks(t);
	*out = seconds(t[UK_NODE_CPU_USER] + t[UK_NODE_CPU_SYSTEM] +
		       t[UK_NODE_CPU_IRQ] + t[UK_NODE_CPU_SOFTIRQ]);
	return 0;
}

UK_STORE_STATIC_ENTRY(node, context_switches_total, u64, counter, none,
		      "Total number of context switches.", get_field, NULL,
		      F_CTXT);
UK_STORE_STATIC_ENTRY(node, intr_total, u64, counter, none,
		      "Total number of interrupts serviced.", get_field, NULL,
		      F_INTR);
UK_STORE_STATIC_ENTRY(node, forks_total, u64, counter, none,
		      "Total number of forks.", get_field, NULL, F_FORKS);
UK_STORE_STATIC_ENTRY(node, procs_running, u64, gauge, none,
		      "Number of processes in runnable state.", get_field,
		      NULL, F_RUNNING);
UK_STORE_STATIC_ENTRY(node, procs_blocked, u64, gauge, none,
		      "Number of processes blocked waiting for I/O to "
		      "complete.", get_field, NULL, F_BLOCKED);
UK_STORE_STATIC_ENTRY(node, load1, dbl, gauge, none, "1m load average.",
		      get_load, NULL, 0);
UK_STORE_STATIC_ENTRY(node, load5, dbl, gauge, none, "5m load average.",
		      get_load, NULL, 1);
UK_STORE_STATIC_ENTRY(node, load15, dbl, gauge, none, "15m load average.",
		      get_load, NULL, 2);
UK_STORE_STATIC_ENTRY(process, cpu_seconds_total, dbl, counter, seconds,
		      "Total user and system CPU time spent in seconds.",
		      get_process_cpu, NULL, NULL);
