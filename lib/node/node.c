/*
 * node's core: store libraries "node" and "process", the clocks and boot
 * time, uname and the build, memory from the default allocator, and the
 * weak defaults of the parts an image may leave out (see uk/node.h).
 *
 * Memory.  The heap is the default allocator's region: MemTotal its
 * pages, MemFree and MemAvailable its free pages (nothing is cached or
 * reclaimable, so they are equal), Committed_AS the bytes allocated.
 * Everything Linux has and a unikernel does not (swap, page cache,
 * buffers, slab accounting, huge pages) is an honest 0, published all
 * the same: dashboards subtract Cached and Buffers from MemTotal and a
 * missing operand would blank the panel.  Every figure is a whole
 * number of KiB, as /proc/meminfo prints it.
 *
 * Boot time is taken once, as wall time minus time since boot, in whole
 * seconds (/proc/stat's btime), so that it never moves between reads.
 * Uptime is the monotonic clock, which counts from boot (kvm).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/mon.h>
#include <uk/node.h>
#include <uk/plat/time.h>
#include <uk/store_publish.h>

#include "node_impl.h"

#ifndef UK_NODE_VERSION
#define UK_NODE_VERSION "unknown"
#endif
#ifndef UK_NODE_REVISION
#define UK_NODE_REVISION "unknown"
#endif

UK_STORE_LIBRARY(node);
UK_STORE_LIBRARY(process);
/* ukmon_build_info lives in lib/ukmon's store library. */
UK_STORE_LIB_EXTERN(ukmon);

/* ---- clocks ----------------------------------------------------------- */

static const struct uk_node_clock plat_clock = {
	uk_plat_time_wall_ns, uk_plat_time_mono_ns
};
static const struct uk_node_clock *clk = &plat_clock;
static uint64_t boot_wall_ns; /* 0: not taken yet */

void uk_node_clock_set(const struct uk_node_clock *c)
{
	clk = c ? c : &plat_clock;
	__atomic_store_n(&boot_wall_ns, 0, __ATOMIC_RELAXED);
}

uint64_t uk_node_wall_ns(void)
{
	return clk->wall_ns();
}

/* Boot in ns since the epoch, whole seconds, taken on first use. */
static uint64_t boot_ns(void)
{
	uint64_t b = __atomic_load_n(&boot_wall_ns, __ATOMIC_RELAXED);

	if (!b) {
		uint64_t w = clk->wall_ns(), m = clk->mono_ns();

		b = w > m ? w - m : 0;
		b -= b % UK_NSEC_PER_SEC;
		if (!b)
			b = UK_NSEC_PER_SEC; /* a wall clock at the epoch */
		__atomic_store_n(&boot_wall_ns, b, __ATOMIC_RELAXED);
	}
	return b;
}

uint64_t uk_node_boot_time(void)
{
	return boot_ns() / UK_NSEC_PER_SEC;
}

uint64_t uk_node_uptime_ns(void)
{
	return clk->mono_ns(); /* monotonic time counts from boot */
}

/* ---- uname and the build -------------------------------------------- */

static const char version_text[] = "#1 " UK_NODE_REVISION;

const char *uk_node_build_version(void)
{
	return UK_NODE_VERSION;
}

const char *uk_node_build_revision(void)
{
	return UK_NODE_REVISION;
}

void uk_node_uname(struct uk_node_uname *out)
{
	out->sysname = "ukmon";
	out->nodename = uk_mon_hostname();
	out->release = UK_NODE_VERSION;
	out->version = version_text;
	out->machine = "x86_64";
	out->domainname = "(none)";
}

static int get_uname(void *cookie, struct uk_store_labels_val *out)
{
	struct uk_node_uname u;

	uk_node_uname(&u);
	out->n = 6;
	out->l[0] = (struct uk_store_label){ "domainname", u.domainname };
	out->l[1] = (struct uk_store_label){ "machine", u.machine };
	out->l[2] = (struct uk_store_label){ "nodename", u.nodename };
	out->l[3] = (struct uk_store_label){ "release", u.release };
	out->l[4] = (struct uk_store_label){ "sysname", u.sysname };
	out->l[5] = (struct uk_store_label){ "version", u.version };
	return 0;
}

static const char pretty_name[] = "ukmon " UK_NODE_VERSION;

static int get_os(void *cookie, struct uk_store_labels_val *out)
{
	out->n = 5;
	out->l[0] = (struct uk_store_label){ "id", "ukmon" };
	out->l[1] = (struct uk_store_label){ "name", "ukmon" };
	out->l[2] = (struct uk_store_label){ "pretty_name", pretty_name };
	out->l[3] = (struct uk_store_label){ "version", UK_NODE_VERSION };
	out->l[4] = (struct uk_store_label){ "version_id", UK_NODE_VERSION };
	return 0;
}

static int get_build(void *cookie, struct uk_store_labels_val *out)
{
	out->n = 2;
	out->l[0] = (struct uk_store_label){ "revision", UK_NODE_REVISION };
	out->l[1] = (struct uk_store_label){ "version", UK_NODE_VERSION };
	return 0;
}

UK_STORE_STATIC_ENTRY(node, uname, labels, info, none,
		      "Labeled system information as provided by the uname "
		      "system call.", get_uname, NULL, NULL);
UK_STORE_STATIC_ENTRY(node, os, labels, info, none,
		      "A metric with a constant '1' value labeled by build_id, "
		      "id, id_like, image_id, image_version, name, "
		      "pretty_name, variant, variant_id, version, "
		      "version_codename, version_id.", get_os, NULL, NULL);
UK_STORE_STATIC_ENTRY(ukmon, build, labels, info, none,
		      "The ukmon build: its version (git describe) and "
		      "revision.", get_build, NULL, NULL);

/* ---- time ------------------------------------------------------------ */

static int get_time(void *cookie, double *out)
{
	*out = (double)uk_node_wall_ns() / 1e9;
	return 0;
}

static int get_boot_time(void *cookie, uint64_t *out)
{
	*out = uk_node_boot_time();
	return 0;
}

static int get_zero(void *cookie, uint64_t *out)
{
	*out = 0;
	return 0;
}

UK_STORE_STATIC_ENTRY(node, time_seconds, dbl, gauge, seconds,
		      "System time in seconds since epoch (1970).", get_time,
		      NULL, NULL);
UK_STORE_STATIC_ENTRY_L(node, time_zone_utc, time_zone_offset_seconds,
			time_zone, "UTC", u64, gauge, seconds,
			"System time zone offset in seconds.", get_zero, NULL,
			NULL);
UK_STORE_STATIC_ENTRY(node, boot_time_seconds, u64, gauge, seconds,
		      "Node boot time, in unixtime.", get_boot_time, NULL,
		      NULL);
UK_STORE_STATIC_ENTRY(process, start_time_seconds, u64, gauge, seconds,
		      "Start time of the process since unix epoch in seconds.",
		      get_boot_time, NULL, NULL);

/* ---- memory ---------------------------------------------------------- */

#define KIB(x) ((x) & ~(uint64_t)1023)

int uk_node_mem_read(struct uk_node_mem *out)
{
	struct uk_alloc *a = uk_alloc_get_default();
	uint64_t pages = 0, nfree = 0;

	uk_alloc_region_pages(a, &pages, &nfree); /* 0s for another kind */
	out->total = pages * 4096;
	out->free = nfree * 4096;
	out->available = out->free;
	out->in_use = out->total - out->free;
	out->committed =
		KIB(__atomic_load_n(&a->stats.bytes_in_use, __ATOMIC_RELAXED));
	return 0;
}

uint64_t uk_node_pgfault_count(void)
{
	return 0; /* everything is mapped at boot: no faults are taken */
}

enum { MEM_TOTAL, MEM_FREE, MEM_AVAIL, MEM_COMMITTED, MEM_IN_USE };

static int get_mem(void *cookie, uint64_t *out)
{
	struct uk_node_mem m;

	uk_node_mem_read(&m);
	switch ((uintptr_t)cookie) {
	case MEM_TOTAL: *out = m.total; break;
	case MEM_FREE: *out = m.free; break;
	case MEM_AVAIL: *out = m.available; break;
	case MEM_COMMITTED: *out = m.committed; break;
	default: *out = m.in_use; break;
	}
	return 0;
}

#define MEM(field, getter, cookie, help) \
	UK_STORE_STATIC_ENTRY(node, memory_##field##_bytes, u64, gauge, \
			      bytes, "Memory information field " #field \
			      "_bytes." help, getter, NULL, cookie)
#define MEM0(field) MEM(field, get_zero, 0, " Always 0 in a unikernel.")

MEM(MemTotal, get_mem, MEM_TOTAL, " The heap.");
MEM(MemFree, get_mem, MEM_FREE, " The heap's free pages.");
MEM(MemAvailable, get_mem, MEM_AVAIL, " The heap's free pages.");
MEM0(Buffers);
MEM0(Cached);
MEM0(SwapCached);
MEM0(Active);
MEM0(Inactive);
MEM0(SwapTotal);
MEM0(SwapFree);
MEM0(Dirty);
MEM0(Writeback);
MEM0(Mapped);
MEM0(Shmem);
MEM0(Slab);
MEM0(SReclaimable);
MEM0(SUnreclaim);
MEM0(PageTables);
MEM(Committed_AS, get_mem, MEM_COMMITTED, " Bytes allocated.");

#define HUGE(field) \
	UK_STORE_STATIC_ENTRY(node, memory_HugePages_##field, u64, gauge, \
			      none, "Memory information field HugePages_" \
			      #field ". Always 0 in a unikernel.", get_zero, \
			      NULL, NULL)
HUGE(Total);
HUGE(Free);
HUGE(Rsvd);
HUGE(Surp);

UK_STORE_STATIC_ENTRY(process, resident_memory_bytes, u64, gauge, bytes,
		      "Resident memory size in bytes.", get_mem, NULL,
		      MEM_IN_USE);
UK_STORE_STATIC_ENTRY(process, virtual_memory_bytes, u64, gauge, bytes,
		      "Virtual memory size in bytes.", get_mem, NULL,
		      MEM_TOTAL);

static int get_pgfault(void *cookie, uint64_t *out)
{
	*out = uk_node_pgfault_count();
	return 0;
}

#define VMSTAT0(field) \
	UK_STORE_STATIC_ENTRY(node, vmstat_##field, u64, untyped, none, \
			      "/proc/vmstat information field " #field ".", \
			      get_zero, NULL, NULL)
UK_STORE_STATIC_ENTRY(node, vmstat_pgfault, u64, untyped, none,
		      "/proc/vmstat information field pgfault.", get_pgfault,
		      NULL, NULL);
VMSTAT0(pgmajfault);
VMSTAT0(pgpgin);
VMSTAT0(pgpgout);
VMSTAT0(pswpin);
VMSTAT0(pswpout);
VMSTAT0(oom_kill);

/* ---- CPU helpers ------------------------------------------------------ */

static const char *const mode_names[UK_NODE_CPU_MODES] = {
	"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"
};

const char *uk_node_cpu_mode_name(enum uk_node_cpu_mode m)
{
	return (unsigned int)m < UK_NODE_CPU_MODES ? mode_names[m] : "?";
}

void uk_node_load_split(uint32_t load, unsigned int *ip, unsigned int *fp)
{
	/* Linux's loadavg_proc_show(): round to hundredths, then split. */
	uint64_t x = (uint64_t)load + ((1u << UK_NODE_LOAD_SHIFT) / 200);

	*ip = (unsigned int)(x >> UK_NODE_LOAD_SHIFT);
	*fp = (unsigned int)(((x & ((1u << UK_NODE_LOAD_SHIFT) - 1)) * 100) >>
			     UK_NODE_LOAD_SHIFT);
}

double uk_node_load_value(uint32_t load)
{
	unsigned int i, f;

	uk_node_load_split(load, &i, &f);
	/* One correctly rounded division: the double "i.ff" parses to. */
	return (double)(i * 100ULL + f) / 100.0;
}

/* The platform's interrupt count, when it offers one. */
uint64_t uk_plat_irq_count(void) __attribute__((weak));

uint64_t uk_node_intr_count(void)
{
	return uk_plat_irq_count ? uk_plat_irq_count() : 0;
}

/* ---- the parts' defaults --------------------------------------------- */

__attribute__((weak)) int uk_node_cpu_read(struct uk_node_cpu *out)
{
	memset(out, 0, sizeof(*out));
	out->running = 1;
	out->threads = 1;
	return -ENODEV;
}

__attribute__((weak)) int uk_node_netdev_read(unsigned int i,
					      struct uk_node_netdev *out)
{
	memset(out, 0, sizeof(*out));
	return -ENODEV;
}

__attribute__((weak)) int uk_node_netstat_read(struct uk_node_netstat *out)
{
	memset(out, 0, sizeof(*out));
	out->ip_forwarding = 2;
	out->ip_default_ttl = 64;
	return -ENODEV;
}

__attribute__((weak)) int uk_node_fs_read(unsigned int i,
					  struct uk_node_fs *out)
{
	memset(out, 0, sizeof(*out));
	return -ENODEV;
}

__attribute__((weak)) int uk_node_fds_read(struct uk_node_fds *out)
{
	memset(out, 0, sizeof(*out));
	return -ENODEV;
}

__attribute__((weak)) int uk_node_disk_read(unsigned int i,
					    struct uk_node_disk *out)
{
	memset(out, 0, sizeof(*out));
	return -ENODEV;
}

int _uk_node_cpu_sync(void) __attribute__((weak));
int _uk_node_net_sync(void) __attribute__((weak));
int _uk_node_fs_sync(void) __attribute__((weak));
int _uk_node_disk_sync(void) __attribute__((weak));

int uk_node_sync(void)
{
	int (*const hooks[])(void) = {
		_uk_node_cpu_sync, _uk_node_net_sync, _uk_node_fs_sync,
		_uk_node_disk_sync
	};
	int rc = 0, r;
	unsigned int i;

	for (i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++) {
		if (!hooks[i])
			continue;
		r = hooks[i]();
		if (r && !rc)
			rc = r;
	}
	return rc;
}
