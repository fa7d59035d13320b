# ipctrace: one binary with its BPF object embedded through a skeleton.
# `make run` and `make test` install what is missing first (tools/deps.sh:
# `make run` only what building and running need, `make test` the tests' too).
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
CFLAGS += -Wall -Wextra -std=gnu11 -D_GNU_SOURCE
# WERROR=1 (CI: .ci/run): any warning fails the build
ifeq ($(WERROR),1)
CFLAGS += -Werror
endif
CPPFLAGS += -I$(OUTPUT) -Ibpf -Iuser -Iscenarios -Iinclude $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
	-DIPCTRACE_VERSION='"$(VERSION)"'
LDLIBS += $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lbpf -ljson-c) -lelf -lz -lm -lpthread

# make test SAN=1: everything built with AddressSanitizer and
# UndefinedBehaviorSanitizer into .output-san (its own binary, so the two
# builds never mix); reports go to files that tools/san-reports.sh checks,
# from every process (ipctrace's forked workers too, whose stderr the tests
# may not show).
# FUZZ=1 (make fuzz, with clang): the objects instrumented for libFuzzer.
ifeq ($(SAN),1)
OUTPUT := .output-san
CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif
ifeq ($(FUZZ),1)
OUTPUT := .output-fuzz
CC := $(CLANG)
CFLAGS += -Wno-unknown-warning-option -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
endif
BIN := $(if $(filter .output,$(OUTPUT)),ipctrace,$(OUTPUT)/ipctrace)
SAN_DIR := $(abspath $(OUTPUT))/san-reports
# the integration tests keep each JSON output they parse here (harness.h),
# make test validates them all against docs/schema (tools/check-json.py)
JSON_DIR := $(abspath $(OUTPUT))/tests/json
export IPCTRACE_JSON_DIR := $(JSON_DIR)

BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) -I$(VMLINUX_DIR) -Ibpf \
	-idirafter /usr/include/$(MULTIARCH) -Wall -Wno-unused-function

# The scenarios and their workload kit (scenarios/kit.c, testpoint.c) are a
# library built with its own include path and bpf/ (ipctrace.h's phase
# marker) only: a scenario cannot include anything of user/. user/ uses the
# library (scenario.h, and runner.h for ipctrace's side of a run).
SCEN_SRCS := $(wildcard scenarios/*.c)
SCEN_OBJS := $(patsubst %.c,$(OUTPUT)/%.o,$(SCEN_SRCS))
SCEN_LIB := $(OUTPUT)/libscenarios.a
SCEN_CPPFLAGS := -Iscenarios -Iinclude -Ibpf
USER_SRCS := $(wildcard user/*.c)
LIB_SRCS := $(filter-out user/main.c,$(USER_SRCS))
USER_OBJS := $(patsubst %.c,$(OUTPUT)/%.o,$(USER_SRCS)) $(SCEN_LIB)
LIB_OBJS := $(patsubst %.c,$(OUTPUT)/%.o,$(LIB_SRCS)) $(SCEN_LIB)
UNIT_TESTS := $(patsubst tests/unit/%.c,$(OUTPUT)/tests/%,$(wildcard tests/unit/*.c))
INTEG_TESTS := $(patsubst tests/integration/%.c,$(OUTPUT)/tests/%,$(wildcard tests/integration/*.c))

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

.PHONY: all run test check-hard fuzz bench unit integration deps vmlinux clean ipctrace-static test-kernels \
	docs check-docs check-bpf-headers install uninstall deb
.DELETE_ON_ERROR:

all: $(BIN)

$(BIN): $(USER_OBJS)
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

# the names of the object's structs, unions and enums, up to a "___" flavour
# suffix and sorted as strcmp() does: the types user/corebtf.c copies out of
# the kernel's BTF for CO-RE
$(OUTPUT)/core_roots.h: $(OUTPUT)/ipctrace.bpf.o
	$(call msg,GEN,$@)
	$(Q)$(BPFTOOL) btf dump file $< | \
		awk -F"'" '/^\[[0-9]+\] (STRUCT|UNION|ENUM|ENUM64) / && $$2 != "(anon)" \
			{ sub(/___.*/, "", $$2); print "\"" $$2 "\"," }' | LC_ALL=C sort -u > $@
	$(Q)test -s $@ # none found: bpftool's dump changed

# syscall names for reports, from the installed kernel headers
$(OUTPUT)/syscall_names.h: /usr/include/$(MULTIARCH)/asm/unistd_64.h | $(OUTPUT)
	$(call msg,GEN,$@)
	$(Q)awk '/^#define __NR_/ { sub("__NR_", "", $$2); printf "[%s] = \"%s\",\n", $$3, $$2 }' $< > $@

# The generated headers exist before anything compiles (order-only); which
# object includes which is in its .d (-MMD), so a BPF edit rebuilds only the
# objects that include the skeleton.
$(OUTPUT)/%.o: %.c | $(OUTPUT)/ipctrace.skel.h $(OUTPUT)/syscall_names.h $(OUTPUT)/core_roots.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(OUTPUT)/scenarios/%.o: scenarios/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(SCEN_CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(SCEN_LIB): $(SCEN_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(OUTPUT)/tests/%: tests/unit/%.c $(LIB_OBJS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(filter-out %.h,$^) $(LDLIBS) -lcmocka -o $@

# test_registry reads the programs of the skeleton
$(OUTPUT)/tests/test_registry: $(OUTPUT)/ipctrace.skel.h

$(OUTPUT)/tests/%: tests/integration/%.c $(LIB_OBJS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -lcmocka -o $@

# workloads the integration tests and the benchmark trace; denybpf: bpf()
# refused by seccomp. Always plain builds in .output: they are the traced
# programs, not ipctrace.
TEST_TOOLS := .output/tests/iowork .output/tests/denybpf .output/tests/datapaths .output/tests/mapread \
	.output/tests/prefetch .output/tests/zcsend
.output/tests/iowork .output/tests/loadgen .output/tests/startup .output/tests/denybpf .output/tests/datapaths .output/tests/mapread \
	.output/tests/prefetch .output/tests/zcsend: .output/tests/%: tools/workloads/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -O2 -g -Wall -D_GNU_SOURCE -Iinclude $(if $(filter %/mapread,$@),-static) $< -o $@ -pthread

# Each fuzz harness (tests/fuzz/fuzz_*.c) also runs as a test in make test:
# replay.c feeds it every input of its seed corpus and of its regression
# inputs (the crashers fuzzing found), under SAN=1 with the sanitizers on.
FUZZERS := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
REPLAY_TESTS := $(patsubst %,$(OUTPUT)/tests/replay_%,$(FUZZERS))
$(OUTPUT)/tests/replay_%: tests/fuzz/%.c tests/fuzz/replay.c $(LIB_OBJS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -DFUZZ_NAME='"$*"' $^ $(LDLIBS) -lcmocka -o $@

$(OUTPUT)/fuzz/%: tests/fuzz/%.c $(LIB_OBJS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -fsanitize=fuzzer,address,undefined $^ $(LDLIBS) -o $@

# docs/figures.md is generated from the registries (user/figures.def,
# user/attach.def); make test fails when the checked-in file differs.
$(OUTPUT)/figdoc: tools/figdoc.c $(OUTPUT)/user/registry.o $(OUTPUT)/user/figures.o \
		$(OUTPUT)/user/syscall_table.o $(OUTPUT)/user/ledger.o
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $^ -o $@

# docs/schema/figures.json, the JSON Schema of a figures object, likewise
# (tools/figschema.c); the envelopes around it (report.json, verify.json ...)
# are written by hand and refer to it.
$(OUTPUT)/figschema: tools/figschema.c $(LIB_OBJS)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

docs: $(OUTPUT)/figdoc $(OUTPUT)/figschema
	$(call msg,GEN,docs/figures.md)
	$(Q)$(OUTPUT)/figdoc > docs/figures.md
	$(call msg,GEN,docs/schema/figures.json)
	$(Q)$(OUTPUT)/figschema > docs/schema/figures.json

check-docs: $(OUTPUT)/figdoc $(OUTPUT)/figschema
	$(Q)$(OUTPUT)/figdoc | diff -u docs/figures.md - >/dev/null || \
		{ echo "docs/figures.md differs from the registry: run make docs"; exit 1; }
	$(Q)$(OUTPUT)/figschema | diff -u docs/schema/figures.json - >/dev/null || \
		{ echo "docs/schema/figures.json differs from the registry: run make docs"; exit 1; }

# Every BPF header compiles alone, with the object's flags: one that relies
# on an include made before it (by ipctrace.bpf.c or another header) fails.
check-bpf-headers: $(VMLINUX_DIR)/vmlinux.h
	$(Q)for h in $(wildcard bpf/*.bpf.h); do \
		$(CLANG) $(BPF_CFLAGS) -Werror -fsyntax-only -x c $$h || \
			{ echo "$$h does not compile alone"; exit 1; }; \
	done

$(OUTPUT):
	$(Q)mkdir -p $@

deps:
	$(Q)tools/deps.sh test

run:
	$(Q)tools/deps.sh run
	$(Q)$(MAKE) --no-print-directory ipctrace
	./ipctrace run mmap-share

# The kernel matrix (four Debian guests, 6.1 to 7.x, one after the other: 22 min
# on a loaded machine, 6 min before zc.mmap-small took repeated timings; a guest
# boots in 3 to 7 s under TCG and verifies every claim in 100 to 340 s) joins
# when qemu is there; deps.sh installs it.
# Then the unit, replay and integration tests run again built with ASan and
# UBSan (about 4 min; make test SAN=1 runs only that pass, SAN=0 skips it).
test: deps
	$(Q)$(MAKE) --no-print-directory $(BIN) $(UNIT_TESTS) $(REPLAY_TESTS) $(INTEG_TESTS) $(TEST_TOOLS)
	$(Q)$(MAKE) --no-print-directory check-docs check-bpf-headers
	$(Q)rm -rf $(JSON_DIR)
ifeq ($(SAN),1)
	$(Q)rm -rf $(SAN_DIR) && mkdir -m 1777 -p $(SAN_DIR)
	$(Q)IPCTRACE=$(BIN) ASAN_OPTIONS=log_path=$(SAN_DIR)/asan:log_exe_name=1:fast_unwind_on_malloc=0 \
		UBSAN_OPTIONS=log_path=$(SAN_DIR)/ubsan:print_stacktrace=1 \
		tools/run-tests.sh $(UNIT_TESTS) $(REPLAY_TESTS) $(INTEG_TESTS); \
		rc=$$?; tools/san-reports.sh $(SAN_DIR) && exit $$rc
else
	$(Q)tools/run-tests.sh $(UNIT_TESTS) $(REPLAY_TESTS) $(INTEG_TESTS)
	$(Q)echo "== every JSON output the tests parsed, against docs/schema"
	$(Q)if [ -d $(JSON_DIR) ]; then tools/check-json.py $(JSON_DIR) || [ $$? = 77 ]; \
	else echo "check-json: skipped: no JSON outputs kept (the integration tests skipped)"; fi
	$(Q)if command -v qemu-system-x86_64 >/dev/null; then \
		$(MAKE) --no-print-directory test-kernels; \
	else \
		echo "test-kernels: skipped, qemu-system-x86_64 is not installed"; \
	fi
ifneq ($(SAN),0)
	$(Q)echo "== the tests again, under AddressSanitizer and UndefinedBehaviorSanitizer (SAN=1)"
	$(Q)$(MAKE) --no-print-directory test SAN=1
endif
endif

# The long checks, not part of make test. HARD_CHECKS lists programs (tests
# or scripts) that tools/run-tests.sh runs one after the other; add to it.
HARD_CHECKS += tests/hard/interrupt-all.sh tools/valgrind-check.sh tools/fuzz-run.sh
check-hard:
	$(Q)tools/deps.sh hard
	$(Q)$(MAKE) --no-print-directory ipctrace $(INTEG_TESTS) $(TEST_TOOLS)
	$(Q)$(MAKE) --no-print-directory fuzz
	$(Q)OUTPUT=$(OUTPUT) tools/run-tests.sh $(HARD_CHECKS)

# The libFuzzer harnesses, built with clang (tools/fuzz-run.sh runs them).
fuzz:
	$(Q)tools/deps.sh hard
	$(Q)$(MAKE) --no-print-directory FUZZ=1 $(patsubst %,.output-fuzz/fuzz/%,$(FUZZERS))

# Boots each kernel of tools/kernels.list under QEMU (TCG) with the static
# ipctrace in an initramfs, and the host kernel too: a row per kernel, and
# the history (every claim's verdict and key figure per kernel) in
# $(OUTPUT)/kernels/history.txt and history.html.
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
bench:
	$(Q)tools/deps.sh bench
	$(Q)$(MAKE) --no-print-directory ipctrace .output/tests/loadgen .output/tests/startup $(OUTPUT)/bench/floor
	$(Q)tools/bench.sh

vmlinux:
	$(call msg,GEN,$(VMLINUX_DIR)/vmlinux.h)
	$(Q)mkdir -p $(VMLINUX_DIR)
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $(VMLINUX_DIR)/vmlinux_$$(uname -r | cut -d. -f1-2).h
	$(Q)ln -sf vmlinux_$$(uname -r | cut -d. -f1-2).h $(VMLINUX_DIR)/vmlinux.h

# make install [PREFIX=/usr/local] [DESTDIR=]: the binary in sbin (it needs
# root, as bpftool), ipctrace(8), the bash completion, which asks the
# installed binary for its commands, options, scenarios and claim ids, and
# the JSON Schemas of the --json outputs in share/ipctrace/schema.
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
SCHEMADIR ?= $(PREFIX)/share/ipctrace/schema
SCHEMAS := $(wildcard docs/schema/*.json)
INSTALL ?= install

install: ipctrace
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(SCHEMADIR)
	$(Q)$(INSTALL) -m 755 ipctrace $(DESTDIR)$(SBINDIR)/ipctrace
	$(Q)$(INSTALL) -m 644 docs/ipctrace.8 $(DESTDIR)$(MANDIR)/man8/ipctrace.8
	$(Q)$(INSTALL) -m 644 completion/ipctrace.bash $(DESTDIR)$(BASHCOMPDIR)/ipctrace
	$(Q)$(INSTALL) -m 644 $(SCHEMAS) $(DESTDIR)$(SCHEMADIR)/

uninstall:
	$(Q)rm -f $(DESTDIR)$(SBINDIR)/ipctrace $(DESTDIR)$(MANDIR)/man8/ipctrace.8 \
		$(DESTDIR)$(BASHCOMPDIR)/ipctrace $(addprefix $(DESTDIR)$(SCHEMADIR)/,$(notdir $(SCHEMAS)))
	$(Q)rmdir $(DESTDIR)$(SCHEMADIR) $(DESTDIR)$(PREFIX)/share/ipctrace 2>/dev/null || true

# make deb: .output/ipctrace_$(VERSION)_<arch>.deb from a staged install
# (PREFIX=/usr), the binary stripped, the man page gzipped as Debian does;
# Depends: the shared libraries the binary links, nothing to build it.
DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
DEB := .output/ipctrace_$(VERSION)_$(DEB_ARCH).deb
DEB_ROOT := .output/deb/root
deb: $(DEB)

$(DEB): ipctrace docs/ipctrace.8 completion/ipctrace.bash tools/deb-control.sh $(SCHEMAS)
	$(call msg,DEB,$@)
	$(Q)rm -rf $(DEB_ROOT)
	$(Q)$(MAKE) --no-print-directory install DESTDIR=$(abspath $(DEB_ROOT)) PREFIX=/usr
	$(Q)strip --strip-unneeded --remove-section=.comment --remove-section=.note $(DEB_ROOT)/usr/sbin/ipctrace
	$(Q)gzip -9n $(DEB_ROOT)/usr/share/man/man8/ipctrace.8
	$(Q)$(INSTALL) -d $(DEB_ROOT)/usr/share/doc/ipctrace $(DEB_ROOT)/DEBIAN
	$(Q)$(INSTALL) -m 644 README.md $(DEB_ROOT)/usr/share/doc/ipctrace/README.md
	$(Q)tools/deb-control.sh $(DEB_ROOT) $(VERSION) $(DEB_ARCH) > $(DEB_ROOT)/DEBIAN/control
	$(Q)dpkg-deb --root-owner-group -Zxz --build $(DEB_ROOT) $@ >/dev/null

clean:
	$(Q)rm -rf .output .output-san .output-fuzz ipctrace

-include $(wildcard $(OUTPUT)/*/*.d $(OUTPUT)/*.d)

# the built-in claims file is assembled into the binary
$(OUTPUT)/user/claims_data.o: claims/textbook.claims
