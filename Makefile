# ukmon top-level build.
#
# Every library, platform and application describes itself in a small
# fragment (lib/*/Makefile.uk, plat/*/Makefile.uk, drivers/*/Makefile.uk,
# apps/*/Makefile.uk); this file only includes them and instantiates the
# generic rules in mk/rules.mk once per build variant.  All outputs go to
# build/<variant>/.  See DEVELOPERS.md for the fragment conventions.

.DEFAULT_GOAL := all
TOP := $(CURDIR)
BUILD := build

include mk/toolchain.mk

LIBS :=
PROGS-linuxu :=
PROGS-asan :=
PROGS-tsan :=
PROGS-kvm :=
PROGS-fuzz :=
TESTS-asan :=
TESTS-tsan :=
TESTS-kvm :=

FRAGMENTS := $(sort $(wildcard lib/*/Makefile.uk plat/*/Makefile.uk \
	arch/*/Makefile.uk drivers/*/Makefile.uk apps/*/Makefile.uk))
include $(FRAGMENTS)

include mk/rules.mk

$(foreach v,$(VARIANTS),$(eval $(call variant_rules,$(v))))
$(foreach v,$(VARIANTS),$(foreach p,$(PROGS-$(v)),$(eval $(call prog_rules,$(v),$(p)))))

include mk/targets.mk
