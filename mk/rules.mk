# Generic rules, instantiated per variant and per program.
#
# A library fragment sets:
#   LIBS += foo
#   foo_SRCS        sources for every variant
#   foo_SRCS-host   sources only for the linuxu-hosted variants
#                   (linuxu, asan, tsan, fuzz)
#   foo_SRCS-kvm    sources only for the kvm kernel
#   foo_INCS, foo_INCS-host, foo_INCS-kvm   include folders
#   foo_DEPS        libraries foo needs (closed transitively)
# A program fragment sets:
#   PROGS-<variant> += bar       (TESTS-<variant> += bar also runs it in check)
#   bar_SRCS, bar_LIBS (or bar_LIBS-<variant> to override), bar_LDLIBS

HOSTVARIANTS := linuxu asan tsan fuzz
vkind = $(if $(filter kvm,$(1)),kvm,host)

# Transitive closure of library dependencies (deep enough for our tree).
_deps1 = $(sort $(1) $(foreach l,$(1),$($(l)_DEPS)))
libclosure = $(call _deps1,$(call _deps1,$(call _deps1,$(call _deps1,$(call _deps1,$(1))))))

INCS-host := include $(foreach l,$(LIBS),$($(l)_INCS) $($(l)_INCS-host))
INCS-kvm := include $(foreach l,$(LIBS),$($(l)_INCS) $($(l)_INCS-kvm))

libsrcs = $(foreach l,$(2),$($(l)_SRCS) $($(l)_SRCS-$(call vkind,$(1))))
objs = $(patsubst %.c,$(BUILD)/$(1)/obj/%.o,$(patsubst %.S,$(BUILD)/$(1)/obj/%.o,$(2)))

EXT-kvm := .elf

define variant_rules
$(BUILD)/$(1)/obj/%.o: %.c
	@mkdir -p $$(@D)
	$$(CC-$(1)) $$(CFLAGS-$(1)) $$(EXTRA_CFLAGS-$(1)) $$(addprefix -I,$$(INCS-$(call vkind,$(1)))) -MMD -MP -c $$< -o $$@
$(BUILD)/$(1)/obj/%.o: %.S
	@mkdir -p $$(@D)
	$$(CC-$(1)) $$(CFLAGS-$(1)) $$(addprefix -I,$$(INCS-$(call vkind,$(1)))) -D__ASSEMBLY__ -MMD -MP -c $$< -o $$@
endef

define prog_rules
$(2)_LIBS-$(1) ?= $$($(2)_LIBS)
$(2)_ALLSRCS-$(1) := $$($(2)_SRCS) $$(call libsrcs,$(1),$$(call libclosure,$$($(2)_LIBS-$(1))))
$(2)_OBJS-$(1) := $$(call objs,$(1),$$($(2)_ALLSRCS-$(1)))
-include $$($(2)_OBJS-$(1):.o=.d)
ALLPROGS-$(1) += $(BUILD)/$(1)/$(2)$(EXT-$(1))
$(BUILD)/$(1)/$(2)$(EXT-$(1)): $$($(2)_OBJS-$(1)) $$(LINKDEPS-$(1))
	@mkdir -p $$(@D)
	$$(call LINK-$(1),$$@,$$($(2)_OBJS-$(1)),$$($(2)_LDLIBS))
endef

LINK-host = $(CC-$(4)) $(LDFLAGS-$(4)) -o $(1) $(2) $(3)
LINK-linuxu = $(call LINK-host,$(1),$(2),$(3),linuxu)
LINK-asan = $(call LINK-host,$(1),$(2),$(3),asan)
LINK-tsan = $(call LINK-host,$(1),$(2),$(3),tsan)
LINK-fuzz = $(call LINK-host,$(1),$(2),$(3),fuzz)
# The kernel links with the platform's own linker script; ukstore's static
# sections are kept there (see plat/kvm/link.ld).
KVM_LDS := plat/kvm/link.ld
LINKDEPS-kvm := $(KVM_LDS)
LINK-kvm = $(CC-kvm) -nostdlib -static -no-pie -Wl,-T,$(KVM_LDS) \
	-Wl,--gc-sections -Wl,-z,max-page-size=4096 -Wl,--build-id=none \
	-o $(1) $(2) $(3) -lgcc
