/*
 * lwIP's statistics (the global lwip_stats) published in ukstore as
 * library "lwip": one folder per protocol, labelled proto (link, etharp,
 * ip, icmp, udp, tcp), with lwIP's per-protocol counters, and one folder
 * per memory pool, labelled pool (heap and each memp pool by its lwIP
 * name in lower case), with its gauges.  Pool entries are prefixed
 * "pool_" because a metric family (lwip_err) cannot carry two different
 * labels.  The getters read lwIP's counters without its lock: each is an
 * aligned 32-bit word, written on the one CPU, so a read is never torn.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "lwip/memp.h"
#include "lwip/opt.h"
#include "lwip/stats.h"

#include <uk/print.h>
#include <uk/store.h>

UK_STORE_LIBRARY(lwip);

#define PROTO_GETTER(f) \
	static int get_##f(void *cookie, uint64_t *out) \
	{ \
		*out = __atomic_load_n( \
			&((struct stats_proto *)cookie)->f, \
			__ATOMIC_RELAXED); \
		return 0; \
	}
PROTO_GETTER(xmit)
PROTO_GETTER(recv)
PROTO_GETTER(fw)
PROTO_GETTER(drop)
PROTO_GETTER(chkerr)
PROTO_GETTER(lenerr)
PROTO_GETTER(memerr)
PROTO_GETTER(rterr)
PROTO_GETTER(proterr)
PROTO_GETTER(opterr)
PROTO_GETTER(err)
PROTO_GETTER(cachehit)

#define PROTO_ENTRY(f, help) \
	UK_STORE_ENTRY(f, u64, counter, none, help, get_##f, NULL, NULL)

static const struct uk_store_entry proto_tmpl[] = {
	PROTO_ENTRY(xmit, "Packets transmitted."),
	PROTO_ENTRY(recv, "Packets received."),
	PROTO_ENTRY(fw, "Packets forwarded."),
	PROTO_ENTRY(drop, "Packets dropped."),
	PROTO_ENTRY(chkerr, "Packets with a checksum error."),
	PROTO_ENTRY(lenerr, "Packets with an invalid length."),
	PROTO_ENTRY(memerr, "Out-of-memory errors."),
	PROTO_ENTRY(rterr, "Routing errors."),
	PROTO_ENTRY(proterr, "Protocol errors."),
	PROTO_ENTRY(opterr, "Errors in options."),
	PROTO_ENTRY(err, "Other errors."),
	PROTO_ENTRY(cachehit, "Cache hits (ARP table, PCB lookups)."),
};

#define MEM_GETTER(f) \
	static int get_pool_##f(void *cookie, uint64_t *out) \
	{ \
		*out = __atomic_load_n(&((struct stats_mem *)cookie)->f, \
				       __ATOMIC_RELAXED); \
		return 0; \
	}
MEM_GETTER(avail)
MEM_GETTER(used)
MEM_GETTER(max)
MEM_GETTER(err)

static const struct uk_store_entry pool_tmpl[] = {
	UK_STORE_ENTRY(pool_avail, u64, gauge, none,
		       "Capacity of the pool (bytes for the heap, else "
		       "elements).", get_pool_avail, NULL, NULL),
	UK_STORE_ENTRY(pool_used, u64, gauge, none,
		       "In use now (bytes for the heap, else elements).",
		       get_pool_used, NULL, NULL),
	UK_STORE_ENTRY(pool_max, u64, gauge, none,
		       "Highest use seen (bytes for the heap, else elements).",
		       get_pool_max, NULL, NULL),
	UK_STORE_ENTRY(pool_err, u64, counter, none,
		       "Allocations that failed.", get_pool_err, NULL, NULL),
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* lwIP's pool names, in memp_t order, from its own pool list. */
static const char *const memp_names[] = {
#define LWIP_MEMPOOL(name, num, size, desc) #name,
#include "lwip/priv/memp_std.h"
};
_Static_assert(NELEM(memp_names) == MEMP_MAX, "memp name table");

#define POOL_NAME_MAX 32
static char pool_names[MEMP_MAX][POOL_NAME_MAX];

static int add(const char *label, const char *name,
	       const struct uk_store_entry *tmpl, unsigned int n, void *cookie)
{
	struct uk_store_folder *f;
	int rc = uk_store_folder_add(&uk_store_lib_lwip, label, name, tmpl, n,
				     cookie, NULL, &f);

	if (rc)
		uk_pr_warn("lwip: cannot publish %s %s: %d\n", label, name, rc);
	return rc;
}

/*
 * Creates the folders, once, after lwIP's initialisation (which fills
 * lwip_stats.memp[]).  Returns 0 or the first store error (the other
 * folders are still created).
 */
int uk_lwip_stats_init(void)
{
	static const struct {
		const char *name;
		struct stats_proto *st;
	} protos[] = {
		{ "link", &lwip_stats.link },
		{ "etharp", &lwip_stats.etharp },
		{ "ip", &lwip_stats.ip },
		{ "icmp", &lwip_stats.icmp },
		{ "udp", &lwip_stats.udp },
		{ "tcp", &lwip_stats.tcp },
	};
	unsigned int i, j;
	int rc = 0, r;

	for (i = 0; i < NELEM(protos); i++) {
		r = add("proto", protos[i].name, proto_tmpl, NELEM(proto_tmpl),
			protos[i].st);
		rc = rc ? rc : r;
	}
	r = add("pool", "heap", pool_tmpl, NELEM(pool_tmpl), &lwip_stats.mem);
	rc = rc ? rc : r;
	for (i = 0; i < MEMP_MAX; i++) {
		if (!lwip_stats.memp[i])
			continue;
		for (j = 0; memp_names[i][j] && j + 1 < POOL_NAME_MAX; j++) {
			char c = memp_names[i][j];

			pool_names[i][j] = (c >= 'A' && c <= 'Z') ?
					   (char)(c - 'A' + 'a') : c;
		}
		pool_names[i][j] = '\0';
		r = add("pool", pool_names[i], pool_tmpl, NELEM(pool_tmpl),
			lwip_stats.memp[i]);
		rc = rc ? rc : r;
	}
	return rc;
}
