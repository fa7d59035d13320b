# ipctrace: one binary with its BPF object embedded through a skeleton.
# `make run` and `make test` install what is missing first (tools/deps.sh).
OUTPUT ?= .output
CLANG ?= clang
CC ?= cc
BPFTOOL ?= bpftool
ARCH ?= $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)
VMLINUX_DIR := vmlinux/$(ARCH)
VERSION := 0.1.0

PKGS := libbpf json-c
CFLAGS ?= -O2 -g
CFLAGS += -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Wno-format-truncation -std=gnu11 -D_GNU_SOURCE
CPPFLAGS += -I$(OUTPUT) -Ibpf -Iuser -Iscenarios $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
	-DIPCTRACE_VERSION='"$(VERSION)"'
LDLIBS += $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lbpf -ljson-c) -lelf -lz -lm -lpthread

ifeq ($(SAN),1)
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif

BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) -I$(VMLINUX_DIR) -Ibpf \
	-idirafter /usr/include/$(MULTIARCH) -Wall -Wno-unused-function

USER_SRCS := $(wildcard user/*.c) $(wildcard scenarios/*.c)
LIB_SRCS := $(filter-out user/main.c,$(USER_SRCS))
USER_OBJS := $(patsubst %.c,$(OUTPUT)/%.o,$(USER_SRCS))
LIB_OBJS := $(patsubst %.c,$(OUTPUT)/%.o,$(LIB_SRCS))
UNIT_TESTS := $(patsubst tests/unit/%.c,$(OUTPUT)/tests/%,$(wildcard tests/unit/*.c))
INTEG_TESTS := $(patsubst tests/integration/%.c,$(OUTPUT)/tests/%,$(wildcard tests/integration/*.c))

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

.PHONY: all run test check-hard bench unit integration deps vmlinux clean ipctrace-static test-kernels
.DELETE_ON_ERROR:

all: ipctrace

ipctrace: $(USER_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# The same objects linked with no shared library at all, for the initramfs of
# `make test-kernels` (a guest with busybox and nothing else). glibc warns that
# getpwnam/initgroups (`trace -u USER`) need its NSS modules at run time: the
# guests never use them, so the linker's messages go to $@.ld.log and are shown
# only when the link fails.
ipctrace-static: $(OUTPUT)/ipctrace-static

$(OUTPUT)/ipctrace-static: $(USER_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -static $^ $(shell pkg-config --static --libs $(PKGS) 2>/dev/null || \
		echo -lbpf -lelf -lz -ljson-c) -lm -o $@ 2>$@.ld.log || { cat $@.ld.log; exit 1; }

$(OUTPUT)/ipctrace.bpf.o: bpf/ipctrace.bpf.c $(wildcard bpf/*.h) $(VMLINUX_DIR)/vmlinux.h | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUTPUT)/ipctrace.skel.h: $(OUTPUT)/ipctrace.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name ipctrace_bpf > $@

# syscall names for reports, from the installed kernel headers
$(OUTPUT)/syscall_names.h: /usr/include/$(MULTIARCH)/asm/unistd_64.h | $(OUTPUT)
	$(call msg,GEN,$@)
	$(Q)awk '/^#define __NR_/ { sub("__NR_", "", $$2); printf "[%s] = \"%s\",\n", $$3, $$2 }' $< > $@

$(OUTPUT)/%.o: %.c $(OUTPUT)/ipctrace.skel.h $(OUTPUT)/syscall_names.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(OUTPUT)/tests/%: tests/unit/%.c $(LIB_OBJS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -lcmocka -o $@

$(OUTPUT)/tests/%: tests/integration/%.c $(LIB_OBJS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -lcmocka -o $@

# workloads the integration tests and the benchmark trace; denybpf: bpf() refused by seccomp
TEST_TOOLS := $(OUTPUT)/tests/iowork $(OUTPUT)/tests/denybpf
$(OUTPUT)/tests/iowork $(OUTPUT)/tests/loadgen $(OUTPUT)/tests/denybpf: $(OUTPUT)/tests/%: tools/workloads/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $< -o $@

$(OUTPUT):
	$(Q)mkdir -p $@

deps:
	$(Q)tools/deps.sh

run: deps
	$(Q)$(MAKE) --no-print-directory ipctrace
	./ipctrace run mmap-share

# The kernel matrix (about 80 s: a guest boots in 3 s under TCG and verifies
# every claim in about a minute) joins when qemu is there; deps.sh installs it.
test: deps
	$(Q)$(MAKE) --no-print-directory ipctrace $(UNIT_TESTS) $(INTEG_TESTS) $(TEST_TOOLS)
	$(Q)tools/run-tests.sh $(UNIT_TESTS) $(INTEG_TESTS)
	$(Q)if command -v qemu-system-x86_64 >/dev/null; then \
		$(MAKE) --no-print-directory test-kernels; \
	else \
		echo "test-kernels: skipped, qemu-system-x86_64 is not installed"; \
	fi

# The long checks, not part of make test. HARD_CHECKS lists programs (tests
# or scripts) that tools/run-tests.sh runs one after the other; add to it.
HARD_CHECKS += tests/hard/interrupt-all.sh
check-hard: deps
	$(Q)$(MAKE) --no-print-directory ipctrace $(INTEG_TESTS) $(TEST_TOOLS)
	$(Q)OUTPUT=$(OUTPUT) tools/run-tests.sh $(HARD_CHECKS)

# Boots each kernel of tools/kernels.list under QEMU (TCG) with the static
# ipctrace in an initramfs, and the host kernel too: a row per kernel.
test-kernels: deps
	$(Q)$(MAKE) --no-print-directory ipctrace $(OUTPUT)/ipctrace-static
	$(Q)OUTPUT=$(OUTPUT) tools/kernels.sh

# the floor under any tracer: empty and counting programs (tools/bench/floor.bpf.c)
$(OUTPUT)/bench/floor.bpf.o: tools/bench/floor.bpf.c $(VMLINUX_DIR)/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUTPUT)/bench/floor.skel.h: $(OUTPUT)/bench/floor.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name floor_bpf > $@

$(OUTPUT)/bench/floor: tools/bench/floor.c $(OUTPUT)/bench/floor.skel.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) -I$(OUTPUT)/bench $(CFLAGS) $(LDFLAGS) $< $(LDLIBS) -o $@

# not part of make test: timings, not pass/fail
bench: deps
	$(Q)$(MAKE) --no-print-directory ipctrace $(OUTPUT)/tests/loadgen $(OUTPUT)/bench/floor
	$(Q)tools/bench.sh

vmlinux:
	$(call msg,GEN,$(VMLINUX_DIR)/vmlinux.h)
	$(Q)mkdir -p $(VMLINUX_DIR)
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $(VMLINUX_DIR)/vmlinux_$$(uname -r | cut -d. -f1-2).h
	$(Q)ln -sf vmlinux_$$(uname -r | cut -d. -f1-2).h $(VMLINUX_DIR)/vmlinux.h

clean:
	$(Q)rm -rf $(OUTPUT) ipctrace

-include $(wildcard $(OUTPUT)/*/*.d $(OUTPUT)/*.d)

# the built-in claims file is assembled into the binary
$(OUTPUT)/user/claims_data.o: claims/textbook.claims
