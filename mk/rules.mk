# Generic rules, instantiated per variant and per program.
#
# A library fragment sets:
#   LIBS += foo
#   foo_SRCS        sources for every variant
#   foo_SRCS-host   sources only for the linuxu-hosted variants
#                   (linuxu, asan, tsan, fuzz)
#   foo_SRCS-kvm    sources only for the kvm kernel
#   foo_INCS, foo_INCS-host, foo_INCS-kvm   include folders
#   foo_DEPS        libraries foo needs, on every platform; foo_DEPS-host
#                   and foo_DEPS-kvm add platform-only ones.  Declared once,
#                   here; the closure is taken recursively, so a program or
#                   library names only what it uses directly.
#   foo_ORDER, foo_ORDER-kvm, foo_ORDER-host
#                   order-only prerequisites of every object of a program
#                   whose closure holds foo (lwIP's fetched source, say)
# A program fragment sets:
#   PROGS-<variant> += bar       (TESTS-<variant> += bar also runs it in
#                                 check, and implies PROGS-<variant>)
#   bar_SRCS, bar_LIBS (or bar_LIBS-<variant> to override), bar_LDLIBS
#
# scripts/check-layers.py checks what the fragments declare against what
# the sources include (make layers).

HOSTVARIANTS := linuxu asan tsan fuzz
vkind = $(if $(filter kvm,$(1)),kvm,host)

# Recursive closure of library dependencies for kind $(2) (host or kvm):
# _closure walks a to-do list, moving each library to the done list and
# queueing its dependencies that are not done yet.
libdeps = $($(1)_DEPS) $($(1)_DEPS-$(2))
_closure = $(if $(1),$(call _closure,$(filter-out $(2) $(firstword $(1)),\
	$(wordlist 2,$(words $(1)),$(1)) $(call libdeps,$(firstword $(1)),$(3))),\
	$(2) $(firstword $(1)),$(3)),$(2))
libclosure = $(sort $(call _closure,$(1),,$(2)))

INCS-host := include $(foreach l,$(LIBS),$($(l)_INCS) $($(l)_INCS-host))
INCS-kvm := include $(foreach l,$(LIBS),$($(l)_INCS) $($(l)_INCS-kvm))

libsrcs = $(foreach l,$(2),$($(l)_SRCS) $($(l)_SRCS-$(call vkind,$(1))))
liborder = $(sort $(foreach l,$(2),$($(l)_ORDER) $($(l)_ORDER-$(call vkind,$(1)))))
objs = $(patsubst %.c,$(BUILD)/$(1)/obj/%.o,$(patsubst %.S,$(BUILD)/$(1)/obj/%.o,$(2)))

EXT-kvm := .elf

# A program's link stamp holds its object list and is rewritten only when
# the list changes, so a program relinks when a fragment changes what it
# links (a library added to _LIBS or _DEPS), not only when an object does.
linkstamp = $(if $(filter-out $(file <$(1)),$(2))$(filter-out $(2),$(file <$(1))),$(shell mkdir -p $(dir $(1)))$(file >$(1),$(2)))

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
$(2)_CLOSURE-$(1) := $$(call libclosure,$$($(2)_LIBS-$(1)),$(call vkind,$(1)))
$(2)_ALLSRCS-$(1) := $$($(2)_SRCS) $$(call libsrcs,$(1),$$($(2)_CLOSURE-$(1)))
$(2)_OBJS-$(1) := $$(call objs,$(1),$$($(2)_ALLSRCS-$(1)))
$(2)_ORDER-$(1) := $$(call liborder,$(1),$$($(2)_CLOSURE-$(1)))
-include $$($(2)_OBJS-$(1):.o=.d)
ALLPROGS-$(1) += $(BUILD)/$(1)/$(2)$(EXT-$(1))
$$(if $$($(2)_ORDER-$(1)),$$($(2)_OBJS-$(1)): | $$($(2)_ORDER-$(1)))
$$(call linkstamp,$(BUILD)/$(1)/.link/$(2),$$($(2)_OBJS-$(1)) $$($(2)_LDLIBS))
$(BUILD)/$(1)/$(2)$(EXT-$(1)): $$($(2)_OBJS-$(1)) $$(LINKDEPS-$(1)) \
		$(BUILD)/$(1)/.link/$(2)
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

# The build graph for scripts/check-layers.py: one line per library and
# per program, fields separated by '|'.
define _graph_lib
	@printf 'lib|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n' '$(1)' '$(strip $($(1)_DEPS))' '$(strip $($(1)_DEPS-host))' '$(strip $($(1)_DEPS-kvm))' '$(strip $($(1)_SRCS))' '$(strip $($(1)_SRCS-host))' '$(strip $($(1)_SRCS-kvm))' '$(strip $($(1)_INCS))' '$(strip $($(1)_INCS-host))' '$(strip $($(1)_INCS-kvm))'

endef
define _graph_prog
	@printf 'prog|%s|%s|%s|%s\n' '$(1)' '$(2)' '$(strip $($(2)_LIBS-$(1)))' '$(strip $($(2)_SRCS))'

endef
.PHONY: build-graph
build-graph:
	$(foreach l,$(LIBS),$(call _graph_lib,$(l)))
	$(foreach v,$(VARIANTS),$(foreach p,$(PROGS-$(v)),$(call _graph_prog,$(v),$(p))))
