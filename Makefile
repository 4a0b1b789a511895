# ukmon top-level build.
#
# Every library, platform, driver, application and test folder describes
# itself in a small fragment (a Makefile.uk anywhere under lib/, plat/,
# arch/, drivers/, apps/ or tests/); this file only includes them and
# instantiates the generic rules in mk/rules.mk once per build variant.  All outputs go to
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

# Every Makefile.uk in the tree, tests/ folders included, in a stable order.
FRAGMENTS := $(sort $(shell find lib plat arch drivers apps tests \
	-name Makefile.uk))
include $(FRAGMENTS)

# A test program is a program of its variant.
$(foreach v,$(VARIANTS),$(eval PROGS-$(v) := $(sort $(PROGS-$(v)) \
	$(TESTS-$(v)))))

include mk/rules.mk

$(foreach v,$(VARIANTS),$(eval $(call variant_rules,$(v))))
$(foreach v,$(VARIANTS),$(foreach p,$(PROGS-$(v)),$(eval $(call prog_rules,$(v),$(p)))))

include mk/targets.mk
