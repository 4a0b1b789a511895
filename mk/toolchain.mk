# Compilers and flags for each build variant.
#
#   linuxu  optimised linuxu programs (demo, bench-server)
#   asan    linuxu tests under AddressSanitizer and UBSan
#   tsan    linuxu stress tests under ThreadSanitizer
#   kvm     freestanding kernel objects for the QEMU images
#   fuzz    libFuzzer targets (clang)

CC ?= gcc
ifeq ($(origin CC),default)
CC := gcc
endif
CLANG ?= clang
LD_KVM ?= ld

VARIANTS := linuxu asan tsan kvm fuzz

WARN := -Wall -Wextra -Werror -Wno-unused-parameter
COMMON := -std=gnu11 -g $(WARN) -fno-omit-frame-pointer

CC-linuxu := $(CC)
CC-asan := $(CC)
CC-tsan := $(CC)
CC-kvm := $(CC)
CC-fuzz := $(CLANG)

CFLAGS-linuxu := $(COMMON) -O2 -pthread
CFLAGS-asan := $(COMMON) -O1 -pthread -fsanitize=address,undefined \
	-fno-sanitize-recover=all
CFLAGS-tsan := $(COMMON) -O1 -pthread -fsanitize=thread
CFLAGS-fuzz := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
# The kernel is freestanding: no host headers, no red zone (interrupts
# share the stack), frame pointers for the panic backtrace, and code for
# the identity-mapped low 1 GiB where the image is linked.
CFLAGS-kvm := $(COMMON) -O2 -ffreestanding -nostdinc -fno-pie -fno-pic \
	-mno-red-zone -mcmodel=small -fno-stack-protector -fno-builtin \
	-fno-asynchronous-unwind-tables -fno-strict-aliasing -msse2 \
	-ffunction-sections -fdata-sections \
	-isystem $(shell $(CC) -print-file-name=include)

LDFLAGS-linuxu := -pthread
LDFLAGS-asan := -pthread -fsanitize=address,undefined
LDFLAGS-tsan := -pthread -fsanitize=thread
LDFLAGS-fuzz := -fsanitize=fuzzer,address,undefined
