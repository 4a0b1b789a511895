/*
 * ukstore functions for tests and self-checks only: a library never
 * includes this header (producers use uk/store_publish.h, consumers
 * uk/store.h).  They look inside the store in ways no exporter needs:
 * whether a library is linked, a folder held by name, how many folders
 * are visible.
 */
#ifndef UK_STORE_TEST_H
#define UK_STORE_TEST_H

#include <uk/store.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Finds a library by name; NULL if missing (or for a NULL name). */
const struct uk_store_lib *uk_store_lib_find(const char *name);

/**
 * Finds a visible folder of lib and takes a reference (drop it with
 * uk_store_folder_put()); NULL if missing or for NULL arguments.
 */
struct uk_store_folder *uk_store_folder_get(const struct uk_store_lib *lib,
					    const char *name);
/** Takes another reference on a folder the caller already holds. */
void uk_store_folder_hold(struct uk_store_folder *f);

/** Number of visible folders in all libraries. */
unsigned int uk_store_folder_count(void);

/**
 * Checks lib's static entries as uk_store_folder_add() checks a template
 * (nothing checks them at boot, where they cost nothing): names, types
 * and kinds, unique entry names, and the families of several entries
 * (agreeing type, kind, unit, help and label name, distinct label
 * values, no plain entry named like a family).  Tests run it on every
 * linked library.  Returns 0, or -EINVAL and sets *bad (when bad is not
 * NULL) to the first entry at fault.
 */
int uk_store_lib_check(const struct uk_store_lib *lib,
		       const struct uk_store_entry **bad);

#ifdef __cplusplus
}
#endif

#endif /* UK_STORE_TEST_H */
