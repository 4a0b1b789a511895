/*
 * Test-only: nolibc's portable sources compiled into a linuxu program
 * under nolibc_-prefixed names (rename.h).  glibc's headers come first so
 * that their include guards make the sources' own #includes no-ops; the
 * sources then see glibc's types and errno, which are the same as
 * nolibc's on x86-64.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nolibc_test.h"
#include "rename.h"

#include "../string.c"
#include "../ctype.c"
#include "../strto.c"
#include "../strtod.c"
#include "../printf.c"
#include "../qsort.c"
