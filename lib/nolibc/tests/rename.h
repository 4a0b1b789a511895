/*
 * Test-only: gives every public nolibc function a nolibc_ prefix, so
 * impl.c can build nolibc's sources into a linuxu program next to glibc
 * and the tests can call both.  Included after the glibc headers, whose
 * macro versions of some names (ctype) are dropped first.
 */
#ifndef NOLIBC_TEST_RENAME_H
#define NOLIBC_TEST_RENAME_H


#undef memcpy
#define memcpy nolibc_memcpy
#undef memmove
#define memmove nolibc_memmove
#undef memset
#define memset nolibc_memset
#undef memcmp
#define memcmp nolibc_memcmp
#undef memchr
#define memchr nolibc_memchr
#undef memrchr
#define memrchr nolibc_memrchr
#undef mempcpy
#define mempcpy nolibc_mempcpy
#undef strlen
#define strlen nolibc_strlen
#undef strnlen
#define strnlen nolibc_strnlen
#undef strcmp
#define strcmp nolibc_strcmp
#undef strncmp
#define strncmp nolibc_strncmp
#undef strcasecmp
#define strcasecmp nolibc_strcasecmp
#undef strncasecmp
#define strncasecmp nolibc_strncasecmp
#undef strchr
#define strchr nolibc_strchr
#undef strrchr
#define strrchr nolibc_strrchr
#undef strstr
#define strstr nolibc_strstr
#undef strcasestr
#define strcasestr nolibc_strcasestr
#undef memmem
#define memmem nolibc_memmem
#undef strsep
#define strsep nolibc_strsep
#undef strcpy
#define strcpy nolibc_strcpy
#undef strncpy
#define strncpy nolibc_strncpy
#undef stpcpy
#define stpcpy nolibc_stpcpy
#undef strcat
#define strcat nolibc_strcat
#undef strncat
#define strncat nolibc_strncat
#undef strlcpy
#define strlcpy nolibc_strlcpy
#undef strspn
#define strspn nolibc_strspn
#undef strcspn
#define strcspn nolibc_strcspn
#undef strpbrk
#define strpbrk nolibc_strpbrk
#undef strtok_r
#define strtok_r nolibc_strtok_r
#undef strdup
#define strdup nolibc_strdup
#undef strndup
#define strndup nolibc_strndup
#undef strerror
#define strerror nolibc_strerror

#undef isalnum
#define isalnum nolibc_isalnum
#undef isalpha
#define isalpha nolibc_isalpha
#undef isblank
#define isblank nolibc_isblank
#undef iscntrl
#define iscntrl nolibc_iscntrl
#undef isdigit
#define isdigit nolibc_isdigit
#undef isgraph
#define isgraph nolibc_isgraph
#undef islower
#define islower nolibc_islower
#undef isprint
#define isprint nolibc_isprint
#undef ispunct
#define ispunct nolibc_ispunct
#undef isspace
#define isspace nolibc_isspace
#undef isupper
#define isupper nolibc_isupper
#undef isxdigit
#define isxdigit nolibc_isxdigit
#undef isascii
#define isascii nolibc_isascii
#undef tolower
#define tolower nolibc_tolower
#undef toupper
#define toupper nolibc_toupper

#undef strtol
#define strtol nolibc_strtol
#undef strtoul
#define strtoul nolibc_strtoul
#undef strtoll
#define strtoll nolibc_strtoll
#undef strtoull
#define strtoull nolibc_strtoull
#undef strtoimax
#define strtoimax nolibc_strtoimax
#undef strtoumax
#define strtoumax nolibc_strtoumax
#undef atoi
#define atoi nolibc_atoi
#undef atol
#define atol nolibc_atol
#undef atoll
#define atoll nolibc_atoll
#undef strtod
#define strtod nolibc_strtod
#undef strtof
#define strtof nolibc_strtof
#undef atof
#define atof nolibc_atof

#undef snprintf
#define snprintf nolibc_snprintf
#undef vsnprintf
#define vsnprintf nolibc_vsnprintf
#undef sprintf
#define sprintf nolibc_sprintf
#undef vsprintf
#define vsprintf nolibc_vsprintf

#undef qsort
#define qsort nolibc_qsort
#undef bsearch
#define bsearch nolibc_bsearch

#endif
