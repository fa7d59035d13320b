#!/usr/bin/env bash
# The DEBIAN/control of `make deb`: tools/deb-control.sh ROOT VERSION ARCH.
# Depends: the packages of the shared libraries the staged binary links
# (readelf's NEEDED, resolved by ldd, owned per dpkg -S), each at least its
# installed upstream version; nothing needed only to build or test.
set -euo pipefail
root=$1 version=$2 arch=$3
bin=$root/usr/sbin/ipctrace
deps=()
while read -r lib; do
	path=$(ldd "$bin" | awk -v l="$lib" '$1 == l { print $3 }')
	[[ -n $path ]] || { echo "deb-control: $lib not found by ldd" >&2; exit 1; }
	real=$(readlink -f "$path")
	pkg=$(dpkg -S "$path" 2>/dev/null || dpkg -S "$real" 2>/dev/null || dpkg -S "${path#/usr}" 2>/dev/null) ||
		{ echo "deb-control: no package owns $path" >&2; exit 1; }
	pkg=${pkg%%:*}
	ver=$(dpkg-query -W -f='${Version}' "$pkg")
	ver=${ver%-*}
	deps+=("$pkg (>= $ver)")
done < <(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
depends=$(printf '%s\n' "${deps[@]}" | sort -u | paste -sd, | sed 's/,/, /g')
cat <<CONTROL
Package: ipctrace
Version: $version
Architecture: $arch
Maintainer: ipctrace developers <ipctrace@localhost>
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $depends
Section: admin
Priority: optional
Homepage: https://example.invalid/ipctrace
Description: what the kernel really does for Linux IPC, traced with BPF
 ipctrace runs Linux IPC workloads (pipes, FIFOs, shared memory, sockets,
 sendfile, splice) and reports, from BPF programs on kernel tracepoints, the
 CPU copies by direction, page references, disk DMA, page-cache activity,
 faults, mode and context switches per unit of work; it checks textbook
 claims about IPC against the running kernel (ipctrace verify) and traces
 any program (ipctrace trace). Needs root, kernel BTF and x86_64.
CONTROL
