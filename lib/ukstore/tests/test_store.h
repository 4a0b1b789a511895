/*
 * Shared between the ukstore unit test files: the static entries of the
 * test library "tst" (defined in test_store.c), in link order.
 */
#ifndef UKSTORE_TEST_STORE_H
#define UKSTORE_TEST_STORE_H

#include <uk/store.h>

UK_STORE_LIB_EXTERN(tst);
extern const char *const tst_static_names[];

#endif
