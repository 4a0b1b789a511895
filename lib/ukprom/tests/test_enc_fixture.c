/*
 * A store fixture shared by the encoder's golden test and enc-dump: four
 * small libraries that between them hold every value type and kind, with
 * no label (static entries), one label (dynamic folders) and a label
 * value needing escapes.  Linked into test-ukprom-enc and enc-dump,
 * which call enc_fixture_setup() before encoding; freestanding, so the
 * kernel test image links it too.
 */
#include <errno.h>
#include <stdint.h>

#include <uk/assert.h>
#include <uk/store.h>

UK_STORE_LIBRARY(encint);
UK_STORE_LIBRARY(encdyn);

#define FX_GET(t, T, val) \
	static int fx_get_##t(void *c, T *out) { *out = (val); return 0; }
FX_GET(s8, int8_t, INT8_MIN)
FX_GET(u8, uint8_t, UINT8_MAX)
FX_GET(s16, int16_t, INT16_MIN)
FX_GET(u16, uint16_t, UINT16_MAX)
FX_GET(s32, int32_t, INT32_MIN)
FX_GET(u32, uint32_t, UINT32_MAX)
FX_GET(s64, int64_t, INT64_MIN)
FX_GET(u64, uint64_t, UINT64_MAX)
FX_GET(uptr, uintptr_t, UINTPTR_MAX)
FX_GET(dbl, double, 0.25)
FX_GET(str, const char *, "v1.2 \"rc\"\\x")

static const double fx_le[] = { 0.001, 0.5, 1, 2.5 };

static int fx_get_hist(void *c, struct uk_store_hist_val *h)
{
	h->nbuckets = 4;
	h->le = fx_le;
	h->cum[0] = 1;
	h->cum[1] = 3;
	h->cum[2] = 3;
	h->cum[3] = 7;
	h->count = 9;
	h->sum = 12.75;
	return 0;
}

/*
 * GCC lays static entries of one section out in reverse order of
 * definition, so they are defined last first to read naturally.
 */
UK_STORE_STATIC_ENTRY(encint, rx, u32, counter, bytes, "Received",
		      fx_get_u32, NULL, NULL);
UK_STORE_STATIC_ENTRY(encint, cpu_seconds_total, dbl, counter, seconds,
		      "CPU time", fx_get_dbl, NULL, NULL);
UK_STORE_STATIC_ENTRY(encint, latency_seconds, hist, histogram, seconds,
		      "Latency", fx_get_hist, NULL, NULL);
UK_STORE_STATIC_ENTRY(encint, version, str, info, none, "Build version",
		      fx_get_str, NULL, NULL);
UK_STORE_STATIC_ENTRY(encint, ratio, dbl, gauge, none,
		      "A \"ratio\" with \\ and\nnewline", fx_get_dbl, NULL,
		      NULL);
UK_STORE_STATIC_ENTRY(encint, v_uptr, uptr, gauge, bytes, "a uptr",
		      fx_get_uptr, NULL, NULL);
UK_STORE_STATIC_ENTRY(encint, ops_total, u64, counter, none, "Ops done",
		      fx_get_u64, NULL, NULL);
UK_STORE_STATIC_ENTRY(encint, v_s64, s64, gauge, none, "an s64",
		      fx_get_s64, NULL, NULL);
UK_STORE_STATIC_ENTRY(encint, v_u32, u32, gauge, none, "a u32", fx_get_u32,
		      NULL, NULL);
UK_STORE_STATIC_ENTRY(encint, v_s32, s32, gauge, none, "an s32",
		      fx_get_s32, NULL, NULL);
UK_STORE_STATIC_ENTRY(encint, v_u16, u16, gauge, none, "a u16", fx_get_u16,
		      NULL, NULL);
UK_STORE_STATIC_ENTRY(encint, v_s16, s16, gauge, none, "an s16",
		      fx_get_s16, NULL, NULL);
UK_STORE_STATIC_ENTRY(encint, v_u8, u8, gauge, none, "a u8", fx_get_u8,
		      NULL, NULL);
UK_STORE_STATIC_ENTRY(encint, v_s8, s8, gauge, none, "an s8", fx_get_s8,
		      NULL, NULL);

/* Dynamic folders: the cookie is a per-folder value. */
struct fx_dev {
	uint64_t pkts;
	double load;
	const char *model;
};

static int fx_dev_pkts(void *c, uint64_t *out)
{
	*out = ((struct fx_dev *)c)->pkts;
	return 0;
}

static int fx_dev_load(void *c, double *out)
{
	*out = ((struct fx_dev *)c)->load;
	return 0;
}

static int fx_dev_model(void *c, const char **out)
{
	*out = ((struct fx_dev *)c)->model;
	return 0;
}

static const struct uk_store_entry fx_dev_tmpl[] = {
	UK_STORE_ENTRY(rx_packets, u64, counter, none, "Packets received",
		       fx_dev_pkts, NULL, NULL),
	UK_STORE_ENTRY(load, dbl, gauge, none, "Load", fx_dev_load, NULL,
		       NULL),
	UK_STORE_ENTRY(model, str, info, none, "Model", fx_dev_model, NULL,
		       NULL),
	UK_STORE_ENTRY(rtt, hist, histogram, seconds, "Round trips",
		       fx_get_hist, NULL, NULL),
};

static struct fx_dev fx_devs[] = {
	{ 42, 1.5, "e1000" },
	{ 7, __builtin_nan(""), "virtio \"net\"" },
	{ 0, -__builtin_inf(), "x\\y" },
};
static const char *const fx_dev_names[] = { "eth0", "q\"uo\\te\nnl", "lo" };

void enc_fixture_setup(void);

/* Creates the fixture's folders, once; panics if the store refuses. */
void enc_fixture_setup(void)
{
	static int done;
	unsigned int i;

	if (done)
		return;
	done = 1;
	for (i = 0; i < 3; i++) {
		struct uk_store_folder *f;
		int rc = uk_store_folder_add(&uk_store_lib_encdyn, "dev",
					     fx_dev_names[i], fx_dev_tmpl, 4,
					     &fx_devs[i], NULL, &f);

		UK_ASSERT(rc == 0);
	}
}
