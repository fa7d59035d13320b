#!/bin/busybox sh
# /init of the initramfs tools/kernels.sh boots: mount what ipctrace reads,
# run `ipctrace probe --json` and `ipctrace verify --json`, write each between
# markers on the second serial port (the first carries the kernel's log, which
# would interleave with the JSON), then power off.
/bin/busybox --install -s /bin
export PATH=/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# The scenarios' files live in /tmp. On the ext4 disk the harness attaches
# (NVMe: built into Debian's cloud kernels, where virtio-blk is a module) page
# cache, eviction and disk DMA behave as on a real machine; on tmpfs there is
# no disk and nothing to evict, so the page-cache claims would measure tmpfs.
scratch=tmpfs
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ -b /dev/nvme0n1 ] && break
	sleep 0.2 # the NVMe controller is probed asynchronously
done
if [ -b /dev/nvme0n1 ] && mount -t ext4 /dev/nvme0n1 /tmp; then
	scratch="ext4 on nvme0n1"
else
	mount -t tmpfs tmpfs /tmp
fi
# shm_open() (posix-shm) creates its objects in /dev/shm
mkdir -p /dev/shm
mount -t tmpfs tmpfs /dev/shm
# neither is needed by tp_btf programs; mounted so a failure is not blamed on them
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
# the TCP scenarios talk over loopback, which starts down
ip link set lo up

out=/dev/ttyS1
uptime() { cut -d' ' -f1 /proc/uptime; }

# section NAME CMD...: CMD's stdout between markers, its stderr after, its time
section() {
	name=$1
	shift
	t0=$(uptime)
	echo "=== IPCTRACE BEGIN $name" >$out
	"$@" >$out 2>/tmp/stderr
	rc=$?
	echo "=== IPCTRACE END $name rc=$rc start=$t0 end=$(uptime)" >$out
	echo "=== IPCTRACE STDERR $name" >$out
	cat /tmp/stderr >$out
}

echo "=== IPCTRACE SCRATCH $scratch" >$out
echo "=== IPCTRACE BOOTED uptime=$(uptime) release=$(uname -r)" >$out
section probe /bin/ipctrace probe --json
# ipct_args=ARG,ARG,... (kernels.sh's IPCT_ARGS): one more ipctrace command first, to debug;
# ipct_repeat=N (IPCT_REPEAT): run it N times, to catch what happens once in many runs
extra() {
	i=0
	while [ "$i" -lt "${ipct_repeat:-1}" ]; do
		/bin/ipctrace $(echo "$ipct_args" | tr , ' ')
		i=$((i + 1))
	done
}
[ -n "$ipct_args" ] && section extra extra
# ipct_claims= on the kernel command line selects claims (the kernel passes it
# to init as a variable); all claims by default
section verify /bin/ipctrace verify --json $(echo "$ipct_claims" | tr , ' ')
# fexit-observed copies against the derived ledger (kernels.sh fails on a mismatch)
section observed /bin/ipctrace verify --json --claims /observed.claims
# CO-RE against the probe's copy of the kernel types (user/corebtf.c) and
# against the whole BTF: kernels.sh fails unless the instructions are the same
core_check() {
	IPCTRACE_TEST_INSNS=/tmp/core.insns /bin/ipctrace trace -o /dev/null -- true >/dev/null &&
		IPCTRACE_TEST_NO_CORE_BTF=1 IPCTRACE_TEST_INSNS=/tmp/whole.insns \
			/bin/ipctrace trace -o /dev/null -- true >/dev/null || return 1
	head -1 /tmp/core.insns
	tail -n +2 /tmp/core.insns >/tmp/core.body
	tail -n +2 /tmp/whole.insns >/tmp/whole.body
	cmp /tmp/core.body /tmp/whole.body &&
		echo "same instructions in $(grep -c '^[a-z_0-9]* [0-9]*$' /tmp/core.body) programs"
}
section core core_check
echo "=== IPCTRACE DONE uptime=$(uptime)" >$out
umount /tmp
sync
poweroff -f
