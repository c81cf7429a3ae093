/* TCP stream delivery: each direction's payload handed to on_stream in sequence order,
 * once, up to config.stream_depth bytes.
 *
 * The first byte of a direction follows its SYN, or (picked up mid-stream) is the first
 * payload seen. Bytes before the next expected one are retransmissions and are skipped
 * (the first copy wins). A segment ahead of the next expected byte waits in a shared pool of
 * SEG_DATA-byte slots (config.stream_segments), at most config.stream_ooo_flow per
 * direction. When a segment cannot wait (pool or direction full, or larger than a slot) the
 * oldest hole is given up: on_stream gets (NULL, len) for the missing bytes and delivery
 * goes on from the waiting segments (stream_gaps). Segments cut by the capture's snap
 * length deliver what was captured and a gap for the rest. At the end of a flow waiting
 * segments are delivered the same way before on_flow_end. */
#include <string.h>

#include "net_int.h"

static void free_queue(struct yj_net *n, struct stream_dir *sd)
{
    while (sd->ooo != NIL) {
        uint32_t i = sd->ooo;
        sd->ooo = n->segs[i].next;
        n->segs[i].next = n->seg_free;
        n->seg_free = i;
    }
    sd->nooo = 0;
}

static void deliver(struct yj_net *n, struct flow_ent *f, enum yj_net_dir dir,
                    const uint8_t *data, uint32_t len)
{
    struct stream_dir *sd = &f->sd[dir];
    sd->next_seq += len;
    if (sd->done || !len)
        return;
    uint32_t room = n->c.stream_depth - sd->delivered;
    uint32_t k = len < room ? len : room;
    if (!data)
        n->st.stream_gaps++;
    if (k && n->h.on_stream)
        n->h.on_stream(n->h.ctx, &f->pub, dir, data, k);
    sd->delivered += k;
    if (sd->delivered >= n->c.stream_depth) {
        sd->done = true;
        n->st.stream_depth_reached++;
        free_queue(n, sd);
    }
}

/* Delivers the in-order part of data (which starts at seq); returns false when the
 * segment lies wholly ahead. */
static bool in_order(struct yj_net *n, struct flow_ent *f, enum yj_net_dir dir, uint32_t seq,
                     const uint8_t *data, uint32_t len)
{
    struct stream_dir *sd = &f->sd[dir];
    int32_t rel = (int32_t)(seq - sd->next_seq);
    if (rel > 0)
        return false;
    uint32_t skip = (uint32_t)(-(int64_t)rel);
    if (skip < len)
        deliver(n, f, dir, data ? data + skip : NULL, len - skip);
    return true;
}

static void drain(struct yj_net *n, struct flow_ent *f, enum yj_net_dir dir)
{
    struct stream_dir *sd = &f->sd[dir];
    while (sd->ooo != NIL && !sd->done) {
        uint32_t i = sd->ooo;
        struct seg *s = &n->segs[i];
        if ((int32_t)(s->seq - sd->next_seq) > 0)
            break;
        sd->ooo = s->next;
        sd->nooo--;
        in_order(n, f, dir, s->seq, s->data, s->len);
        s->next = n->seg_free;
        n->seg_free = i;
    }
}

/* Gives up the first hole: a gap up to the first waiting segment, then what follows. */
static void skip_hole(struct yj_net *n, struct flow_ent *f, enum yj_net_dir dir)
{
    struct stream_dir *sd = &f->sd[dir];
    if (sd->ooo == NIL)
        return;
    int32_t rel = (int32_t)(n->segs[sd->ooo].seq - sd->next_seq);
    if (rel > 0)
        deliver(n, f, dir, NULL, (uint32_t)rel);
    drain(n, f, dir);
}

static bool enqueue(struct yj_net *n, struct flow_ent *f, enum yj_net_dir dir, uint32_t seq,
                    const uint8_t *data, uint32_t len)
{
    struct stream_dir *sd = &f->sd[dir];
    if (len > SEG_DATA || sd->nooo >= n->c.stream_ooo_flow || n->seg_free == NIL)
        return false;
    /* sorted by distance from next_seq; an equal start keeps the first copy */
    uint32_t *pp = &sd->ooo;
    int32_t rel = (int32_t)(seq - sd->next_seq);
    while (*pp != NIL) {
        int32_t r = (int32_t)(n->segs[*pp].seq - sd->next_seq);
        if (r == rel && n->segs[*pp].len >= len)
            return true;
        if (r > rel)
            break;
        pp = &n->segs[*pp].next;
    }
    uint32_t i = n->seg_free;
    struct seg *s = &n->segs[i];
    n->seg_free = s->next;
    s->seq = seq;
    s->len = len;
    memcpy(s->data, data, len);
    s->next = *pp;
    *pp = i;
    sd->nooo++;
    n->st.stream_ooo_queued++;
    return true;
}

void yj_net_stream_packet(struct yj_net *n, struct flow_ent *f, const struct yj_net_packet *p,
                          size_t seg_len)
{
    enum yj_net_dir dir = p->dir;
    struct stream_dir *sd = &f->sd[dir];
    uint32_t seq = p->seq;
    if (p->tcp_flags & 0x02) {
        if (!sd->seq_known || (f->pub.pkts[dir] == 1 && !sd->delivered)) {
            sd->next_seq = seq + 1;
            sd->seq_known = true;
        }
        seq++;
    }
    if (!seg_len || sd->done || (p->tcp_flags & 0x04))
        return;
    if (!sd->seq_known) {
        sd->next_seq = seq;
        sd->seq_known = true;
    }
    uint32_t len = (uint32_t)(seg_len > 0xffff ? 0xffff : seg_len);
    uint32_t cap = (uint32_t)(p->payload_len < len ? p->payload_len : len);
    if (cap < len) {
        /* cut by the snap length: the captured part, then a gap for the rest */
        if ((int32_t)(seq - sd->next_seq) == 0) {
            deliver(n, f, dir, p->payload, cap);
            deliver(n, f, dir, NULL, len - cap);
            drain(n, f, dir);
        } else {
            n->st.stream_ooo_dropped++;
        }
        return;
    }
    if (in_order(n, f, dir, seq, p->payload, len)) {
        drain(n, f, dir);
        return;
    }
    if (enqueue(n, f, dir, seq, p->payload, len))
        return;
    n->st.stream_ooo_dropped++;
    skip_hole(n, f, dir);
    if (!in_order(n, f, dir, seq, p->payload, len)) {
        deliver(n, f, dir, NULL, (uint32_t)(seq - sd->next_seq));
        in_order(n, f, dir, seq, p->payload, len);
    }
    drain(n, f, dir);
}

void yj_net_stream_stop(struct yj_net *n, struct yj_net_flow *f, enum yj_net_dir dir)
{
    /* pub is the first member of the entry */
    struct stream_dir *sd = &((struct flow_ent *)(void *)f)->sd[dir];
    sd->done = true;
    free_queue(n, sd);
}

void yj_net_stream_flush(struct yj_net *n, struct flow_ent *f)
{
    for (int d = 0; d < 2; d++) {
        struct stream_dir *sd = &f->sd[d];
        while (sd->ooo != NIL && !sd->done)
            skip_hole(n, f, (enum yj_net_dir)d);
        free_queue(n, sd);
    }
}
