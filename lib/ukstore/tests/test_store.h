/*
 * Shared between the ukstore unit test files: the static entries of the
 * test library "tst" (defined in test_store.c) and a formatting helper.
 */
#ifndef UKSTORE_TEST_STORE_H
#define UKSTORE_TEST_STORE_H

#include <uk/store.h>

UK_STORE_LIB_EXTERN(tst);
extern const char *const tst_static_names[];

/* Formats v into buf with uk_store_value_format(); returns buf. */
const char *tst_fmt(struct uk_store_value *v, char *buf, size_t n);

#endif
