/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * MSG_ZEROCOPY sends whose pages the kernel copies after all. A zerocopy
 * skb carries the sender's user pages as frags; when such an skb comes
 * back into the receive path (loopback, veth: any local delivery), the
 * kernel copies every frag into kernel pages before a protocol sees it
 * (skb_orphan_frags_rx -> skb_copy_ubufs, in __netif_receive_skb_core on
 * 6.1, in ip_local_deliver_finish / ip6_input_finish on newer kernels), and
 * the completion then says SO_EE_CODE_ZEROCOPY_COPIED. Neither function has
 * a tracepoint; net:netif_receive_skb fires on the same skb before them,
 * with the frags still the user's (skb_shinfo(skb)->flags has
 * SKBFL_ZEROCOPY_ENABLE), so their bytes (skb->data_len: TCP and UDP put a
 * zerocopy send's payload in frags only) are what that copy will move.
 *
 * The receive path runs in softirq, in whichever task it interrupted, and
 * the skb has been orphaned (loopback_xmit): the sender is found from the
 * notification's own skb, in whose cb the ubuf_info lives (skb_from_uarg()
 * in the kernel; msg_zerocopy_alloc() made it with sock_omalloc, so its sk
 * is the sending socket), looked up in zc_socks, which the send filled
 * when MSG_ZEROCOPY was enabled on it (setsockopt(SO_ZEROCOPY): zc_setsockopt,
 * which every zerocopy send needs first), or at a zerocopy send (zc_note_sender,
 * at its sys_enter before 5.17, its sys_exit since). Other
 * io_uring's SEND_ZC and SENDMSG_ZC put their ubuf_info in the request's
 * notification (struct io_notif_data, the command area of its own
 * io_kiocb, at offset 0 of it): uring_submit notes the notification's
 * io_kiocb (io_sr_msg.notif, made by the op's prep) in the same map, and
 * the receive path tries that key too. Other kinds of ubuf_info (vhost,
 * tun) match neither key and are not counted.
 */
#ifndef ZEROCOPY_BPF_H
#define ZEROCOPY_BPF_H

#include "maps.bpf.h"
#include "compat.bpf.h"
#include "track.bpf.h"
#include "fdclass.bpf.h"

#define SOL_SOCKET_ 1
#define SO_ZEROCOPY_ 60

/* SKBFL_ZEROCOPY_ENABLE (include/linux/skbuff.h) is in an anonymous enum, 1 since 5.13 */

/* @key (a sending socket, an io_uring notification) sends for the process in @slot. */
static __always_inline void zc_note(__u64 key, __u32 slot)
{
	if (bpf_map_update_elem(&zc_socks, &key, &slot, BPF_ANY))
		__sync_fetch_and_add(&rows_lost, 1);
	zc_armed = true;
}

/*
 * A data syscall @fl (described at sys_enter before 5.17, at sys_exit since) on the socket
 * file @file: if it is a MSG_ZEROCOPY send, remember whose socket it is,
 * before any of its skbs can reach the receive path (loopback delivers
 * inside the send).
 */
/* The socket file @file (struct file *) sends for the process in @slot. */
static __always_inline void zc_note_file(__u64 file, __u32 slot)
{
	struct socket *sock = file ? BPF_CORE_READ((struct file *)file, private_data) : NULL;
	__u64 sk = sock ? (__u64)BPF_CORE_READ(sock, sk) : 0;

	if (sk)
		zc_note(sk, slot);
}

static __always_inline void zc_note_sender(const struct ipct_inflight *fl, __u64 file)
{
	if (fl->key.flags & IOF_ZEROCOPY)
		zc_note_file(file, fl->key.slot);
}

/*
 * setsockopt(@fd, SOL_SOCKET, SO_ZEROCOPY) returned 0 in process @p: every
 * MSG_ZEROCOPY send needs it first, so the socket is known before its first
 * skb can reach the receive path, where sys_exit would be too late.
 */
static __always_inline void zc_setsockopt(const struct ipct_proc *p, int fd, int level, int optname)
{
	if (level == SOL_SOCKET_ && optname == SO_ZEROCOPY_)
		zc_note_file((__u64)fd_file(fd), p->slot);
}

/* An io_uring SEND_ZC/SENDMSG_ZC @req at submission (after its prep): note its notification. */
static __always_inline void zc_note_uring(struct io_kiocb *req, const struct ipct_io_key *k)
{
	__u64 notif = (__u64)BPF_CORE_READ((struct io_sr_msg *)req, notif);

	if (notif)
		zc_note(notif, k->slot);
}

/* The traced sender of the zerocopy buffer @uarg: a MSG_ZEROCOPY socket, or an io_uring notification. */
static __always_inline __u32 *zc_sender(__u64 uarg)
{
	struct sk_buff *owner = (struct sk_buff *)(uarg - bpf_core_field_offset(struct sk_buff, cb));
	__u64 sk = (__u64)BPF_CORE_READ(owner, sk);
	__u32 *idx = sk ? bpf_map_lookup_elem(&zc_socks, &sk) : NULL;
	__u64 notif;

	/* a kernel without io_uring has no such type: the relocation must not be reached */
	if (idx || !bpf_core_field_exists(struct io_notif_data, uarg))
		return idx;
	notif = uarg - bpf_core_field_offset(struct io_notif_data, uarg);
	return bpf_map_lookup_elem(&zc_socks, &notif);
}

/* An skb entering the receive path: if it still holds a traced sender's pages, count them. */
static __always_inline void zc_receive(struct sk_buff *skb)
{
	struct skb_shared_info *sh;
	struct ipct_counters *c;
	struct ipct_proc *p;
	unsigned char *head;
	__u32 *slot, idx;
	__u64 uarg;

	if (!zc_armed) /* no traced MSG_ZEROCOPY send yet: the common case, for every packet */
		return;
	/* @skb is a tracepoint argument: plain loads; the shared info takes one read */
	head = skb->head;
	sh = (struct skb_shared_info *)(head + skb->end);
	if (!skb_frags_zerocopy(sh)) /* compat.bpf.h: tx_flags before 5.13 */
		return;
	uarg = (__u64)BPF_CORE_READ(sh, destructor_arg);
	if (!uarg)
		return;
	slot = zc_sender(uarg);
	if (!slot || !(p = bpf_map_lookup_elem(&slots, slot)))
		return;
	idx = counters_idx(*slot, p->phase); /* the sender's phase now */
	c = bpf_map_lookup_elem(&counters, &idx);
	if (!c)
		return;
	count(&c->zc_copied_bytes, skb->data_len);
	count(&c->zc_copied_skbs, 1);
}

#endif /* ZEROCOPY_BPF_H */
