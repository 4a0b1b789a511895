/*
 * The boot timeline in the store (library ukmon_boot): one gauge per stage
 * of uk/plat/bootstage.h, ukmon_boot_stage_seconds{stage="..."}, the
 * seconds from the instance's start (PVH entry on kvm) to the moment the
 * stage was done.  Cumulative times rather than each stage's own share:
 * they are monotonic in the order the stages happened, and a stage's
 * share is the difference with the one before it (the console's
 * uk.boot_trace=1 lines print both).
 *
 * A constructor makes this the platform's listener, so every stage,
 * those before it included, becomes a folder "boot.<stage>" (label value
 * <stage>) of store library ukmon as it is recorded; the getter converts
 * the platform's stamp when scraped.  A folder that cannot be made (no
 * memory) is reported on the console and skipped: the timeline is
 * advisory.
 */
#include <stdint.h>
#include <string.h>

#include <uk/plat/bootstage.h>
#include <uk/print.h>
#include <uk/store_publish.h>

UK_STORE_LIB_EXTERN(ukmon);

#define PREFIX "boot."

static int get_seconds(void *cookie, double *out)
{
	const char *name;
	uint64_t ns;
	int rc = uk_plat_boot_stage_get((unsigned int)(uintptr_t)cookie, &name,
					&ns);

	if (rc)
		return rc;
	*out = (double)ns / 1e9;
	return 0;
}

static const struct uk_store_entry stage_tmpl[] = {
	UK_STORE_ENTRY(boot_stage, dbl, gauge, seconds,
		       "Time from the instance's start (PVH entry) to the end "
		       "of each boot stage.", get_seconds, NULL, NULL),
};

/* The listener: publishes stage i. */
static void publish(unsigned int i, void *arg)
{
	char folder[sizeof(PREFIX) + UK_PLAT_BOOT_STAGE_NAME_MAX];
	struct uk_store_folder *f;
	const char *name;
	int rc;

	if (uk_plat_boot_stage_get(i, &name, NULL))
		return;
	memcpy(folder, PREFIX, sizeof(PREFIX) - 1);
	strcpy(folder + sizeof(PREFIX) - 1, name);
	rc = uk_store_folder_add_valued(&uk_store_lib_ukmon, "stage", folder,
					name, stage_tmpl, 1,
					(void *)(uintptr_t)i, NULL, &f);
	if (rc)
		uk_pr_warn("ukmon: cannot publish boot stage %s (%d)\n", name,
			   rc);
}

__attribute__((constructor)) static void boot_listen(void)
{
	uk_plat_boot_stage_listen(publish, NULL);
}
