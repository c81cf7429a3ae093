#!/usr/bin/env python3
"""Makes small captures for the net cases (classic pcap, written with struct).

  craft.py truncate SRC OUT       a copy of SRC cut in the middle of its 4th packet record
  craft.py malformed OUT          Ethernet frames, each broken in one known way, plus good ones
  craft.py linktypes DIR          one UDP packet in each link type: sll.pcap, sll2.pcap,
                                  raw.pcap, ipv4.pcap, null.pcap, loop.pcap
  craft.py fuzzseeds DIR          seeds for tests/fuzz/corpus/packet (fuzz_packet.c's format):
                                  a TCP session with data out of order, IPv4 and IPv6
                                  fragments, ICMP echo, the malformed frames
  craft.py app OUT                TCP conversations for the application layer: SSH banners,
                                  DNS over TCP, HTTP keep-alive with 100-continue, an FTP
                                  log-in, the client's bytes cut into small segments
  craft.py pool OUT N             N HTTP connections whose heads all stay incomplete until
                                  every connection has started, then complete in turn
"""
import os
import struct
import sys

ETH_SRC = bytes.fromhex("020000000001")
ETH_DST = bytes.fromhex("020000000002")


def pcap(path, frames, linktype=1):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype))
        for i, fr in enumerate(frames):
            if isinstance(fr, tuple):  # (bytes, wire length)
                fr, wire = fr
            else:
                wire = len(fr)
            f.write(struct.pack("<IIII", 1700000000 + i, 0, len(fr), wire))
            f.write(fr)


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ipv4(payload, proto, src="10.0.0.1", dst="10.0.0.2", ihl=None, total=None, ident=1,
         frag=0, opts=b""):
    ihl = ihl if ihl is not None else (20 + len(opts)) // 4
    a = bytes(int(x) for x in src.split("."))
    b = bytes(int(x) for x in dst.split("."))
    hlen = 20 + len(opts)
    tot = total if total is not None else hlen + len(payload)
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, tot, ident, frag, 64, proto, 0, a, b) + opts
    return h + payload


def ipv6(payload, nh, src=b"\xfd" + b"\0" * 14 + b"\1", dst=b"\xfd" + b"\0" * 14 + b"\2",
         plen=None):
    pl = plen if plen is not None else len(payload)
    return struct.pack("!IHBB", 0x60000000, pl, nh, 64) + src + dst + payload


def tcp(sport, dport, flags, seq=1000, ack=0, data=b"", doff=5, opts=b""):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, doff << 4, flags, 65535, 0, 0) + \
        opts + data


def udp(sport, dport, data=b"", length=None):
    ln = length if length is not None else 8 + len(data)
    return struct.pack("!HHHH", sport, dport, ln, 0) + data


def eth(l3, etype=0x0800, tags=()):
    hdr = ETH_DST + ETH_SRC
    for t in tags:
        hdr += struct.pack("!HH", 0x8100, t)
    return hdr + struct.pack("!H", etype) + l3


def malformed(out):
    good_udp = eth(ipv4(udp(40000, 53, b"hello"), 17))
    frames = [
        eth(b"")[:10],                                                   # ethernet.pkt_too_small
        eth(ipv4(udp(1, 2), 17, ihl=4)),                                 # ipv4.hlen_too_small
        eth(ipv4(udp(1, 2), 17, total=400)),                             # ipv4.trunc_pkt
        eth(ipv4(udp(1, 2), 17, opts=b"\x07\x00\x00\x00")),              # ipv4.opt_invalid_len
        eth(ipv4(tcp(1234, 80, 0x02, doff=3), 6)),                       # tcp.hlen_too_small
        eth(ipv4(tcp(1234, 80, 0x02, doff=6, opts=b"\x02\x00\x00\x00"), 6)),  # tcp.opt_invalid_len
        eth(ipv4(udp(1, 2, length=4), 17)),                              # udp.hlen_invalid
        eth(ipv6(b"\x11\x05" + b"\0" * 4, 0), 0x86DD),                   # ipv6.trunc_exthdr
        eth(ipv4(udp(1, 2), 17), tags=(10, 20, 30)),                     # vlan.too_many_layers
        good_udp,
        eth(ipv4(tcp(5555, 443, 0x02), 6), tags=(100, 200)),             # QinQ, well-formed
    ]
    # IPv4 fragments that overlap with different bytes: ipv4.frag_overlap
    body = udp(7, 7, b"A" * 40)
    frames.append(eth(ipv4(body[:24], 17, ident=77, frag=0x2000)))
    frames.append(eth(ipv4(b"B" * 16 + body[40:], 17, ident=77, frag=2)))
    # IPv6 fragments that overlap with different bytes: ipv6.frag_overlap
    f1 = struct.pack("!BBHI", 17, 0, (0 << 3) | 1, 99) + udp(9, 9, b"C" * 24)[:16]
    f2 = struct.pack("!BBHI", 17, 0, (1 << 3) | 0, 99) + b"D" * 16
    frames.append(eth(ipv6(f1, 44), 0x86DD))
    frames.append(eth(ipv6(f2, 44), 0x86DD))
    # An IPv4 datagram that would be longer than 65535 bytes: ipv4.frag_pkt_too_large
    frames.append(eth(ipv4(b"E" * 64, 17, ident=88, frag=8189)))
    # A frame cut by the snap length is not malformed: no anomaly for it.
    frames.append((good_udp[:38], len(good_udp)))
    pcap(out, frames)


def linktypes(d):
    ip = ipv4(udp(40000, 53, b"x"), 17)
    ip6 = ipv6(udp(40001, 53, b"y"), 17)
    pcap(os.path.join(d, "sll.pcap"),
         [struct.pack("!HHH8sH", 0, 1, 6, ETH_SRC + b"\0\0", 0x0800) + ip], 113)
    pcap(os.path.join(d, "sll2.pcap"),
         [struct.pack("!HHIHBB8s", 0x86DD, 0, 1, 1, 0, 6, ETH_SRC + b"\0\0") + ip6], 276)
    pcap(os.path.join(d, "raw.pcap"), [ip, ip6], 101)
    pcap(os.path.join(d, "ipv4.pcap"), [ip], 228)
    pcap(os.path.join(d, "null.pcap"), [struct.pack("<I", 2) + ip, struct.pack("<I", 30) + ip6], 0)
    pcap(os.path.join(d, "loop.pcap"), [struct.pack("!I", 2) + ip], 108)


def fuzz_input(link_index, frames):
    """fuzz_packet.c's input: link type index, then len(2) dt(1) bytes per frame."""
    out = bytes([link_index])
    for fr in frames:
        out += struct.pack("!HB", len(fr), 0) + fr
    return out


def session():
    c, s = ("10.1.1.1", 43000), ("10.1.1.2", 80)

    def pkt(src, dst, flags, seq, ack, data=b""):
        return eth(ipv4(tcp(src[1], dst[1], flags, seq, ack, data), 6, src[0], dst[0]))
    return [
        pkt(c, s, 0x02, 100, 0),
        pkt(s, c, 0x12, 500, 101),
        pkt(c, s, 0x10, 101, 501),
        pkt(c, s, 0x18, 106, 501, b"WORLD"),
        pkt(c, s, 0x18, 101, 501, b"HELLO"),
        pkt(c, s, 0x18, 101, 501, b"HELLO"),
        pkt(s, c, 0x18, 501, 111, b"HTTP/1.0 200 OK\r\n\r\n"),
        pkt(c, s, 0x11, 111, 520),
        pkt(s, c, 0x11, 520, 112),
        pkt(c, s, 0x10, 112, 521),
    ]


def fuzzseeds(d):
    body = struct.pack("!BBHHH", 8, 0, 0, 1, 1) + b"P" * 40  # ICMP echo request, id 1
    ip4frags = [eth(ipv4(body[:24], 1, ident=5, frag=0x2000)),
                eth(ipv4(body[24:], 1, ident=5, frag=3))]
    u = udp(5000, 53, b"Q" * 40)
    ip6frags = [eth(ipv6(struct.pack("!BBHI", 17, 0, 1, 7) + u[:24], 44), 0x86DD),
                eth(ipv6(struct.pack("!BBHI", 17, 0, 3 << 3, 7) + u[24:], 44), 0x86DD)]
    echo = [eth(ipv4(body, 1)), eth(ipv4(b"\0" + body[1:], 1, "10.0.0.2", "10.0.0.1"))]
    seeds = {"session": session(), "frag4": ip4frags, "frag6": ip6frags, "echo": echo}
    for name, frames in seeds.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(fuzz_input(0, frames))
    tmp = os.path.join(d, "malformed.pcap")
    malformed(tmp)
    with open(tmp, "rb") as f:
        data = f.read()
    os.remove(tmp)
    frames, off = [], 24
    while off + 16 <= len(data):
        incl = struct.unpack("<I", data[off + 8:off + 12])[0]
        frames.append(data[off + 16:off + 16 + incl])
        off += 16 + incl
    with open(os.path.join(d, "malformed"), "wb") as f:
        f.write(fuzz_input(0, frames))


def truncate(src, out):
    with open(src, "rb") as f:
        data = f.read()
    if data[:4] not in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4"):
        raise SystemExit("truncate needs a classic pcap")
    end = "<" if data[:4] == b"\xd4\xc3\xb2\xa1" else ">"
    off = 24
    for _ in range(3):
        incl = struct.unpack(end + "I", data[off + 8:off + 12])[0]
        off += 16 + incl
    with open(out, "wb") as f:
        f.write(data[:off + 16 + 5])  # the 4th record header and 5 of its bytes


def conversation(cport, sport, turns, seg=7):
    """Frames of one TCP conversation 10.0.0.1:cport -> 10.0.0.2:sport: handshake, then
    (dir, bytes) turns (0: client), client bytes cut into seg-byte segments, then FINs."""
    def pkt(to_server, flags, seq, ack, data=b""):
        if to_server:
            return eth(ipv4(tcp(cport, sport, flags, seq, ack, data), 6))
        return eth(ipv4(tcp(sport, cport, flags, seq, ack, data), 6, "10.0.0.2", "10.0.0.1"))
    cs, ss = 1000, 5000
    fr = [pkt(1, 0x02, cs, 0), pkt(0, 0x12, ss, cs + 1), pkt(1, 0x10, cs + 1, ss + 1)]
    cs, ss = cs + 1, ss + 1
    for d, data in turns:
        step = seg if d == 0 else 1400
        for i in range(0, len(data), step):
            part = data[i:i + step]
            if d == 0:
                fr.append(pkt(1, 0x18, cs, ss, part))
                cs += len(part)
            else:
                fr.append(pkt(0, 0x18, ss, cs, part))
                ss += len(part)
    fr += [pkt(1, 0x11, cs, ss), pkt(0, 0x11, ss, cs + 1), pkt(1, 0x10, cs + 1, ss + 1)]
    return fr


def app(out):
    dns_q = bytes.fromhex("abcd01000001000000000000") + b"\x07example\x03org\x00\x00\x01\x00\x01"
    dns_a = bytes.fromhex("abcd81800001000100000000") + b"\x07example\x03org\x00\x00\x01\x00\x01" + \
        bytes.fromhex("c00c000100010000012c0004c0000201")
    body = b"name=a&x=1"
    fr = conversation(40001, 22, [(1, b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"),
                                  (0, b"SSH-2.0-PuTTY_Release_0.78\r\n")])
    fr += conversation(40002, 53, [(0, struct.pack("!H", len(dns_q)) + dns_q),
                                   (1, struct.pack("!H", len(dns_a)) + dns_a)])
    fr += conversation(40003, 8080, [
        (0, b"POST /up HTTP/1.1\r\nHost: h.example:8080\r\nExpect: 100-continue\r\n"
            b"Content-Type: text/plain\r\nContent-Length: 10\r\n\r\n"),
        (1, b"HTTP/1.1 100 Continue\r\n\r\n"), (0, body),
        (1, b"HTTP/1.1 201 Created\r\nContent-Length: 5\r\n\r\nhello"),
        (0, b"GET /second HTTP/1.1\r\nHost: h.example:8080\r\nUser-Agent: t/1\r\n\r\n"),
        (1, b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")])
    fr += conversation(40004, 21, [(1, b"220 ftp ready\r\n"), (0, b"USER alice\r\n"),
                                   (1, b"331 password please\r\n"), (0, b"PASS s3cret!\r\n"),
                                   (1, b"230 ok\r\n")])
    pcap(out, fr)


def pool(out, n):
    def pkt(port, to_server, flags, seq, ack, data=b""):
        if to_server:
            return eth(ipv4(tcp(port, 80, flags, seq, ack, data), 6))
        return eth(ipv4(tcp(80, port, flags, seq, ack, data), 6, "10.0.0.2", "10.0.0.1"))
    first, rest = b"GET /p HTTP/1.1\r\n", b"Host: pool.example\r\n\r\n"
    resp = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
    fr = []
    for i in range(n):
        port = 30000 + i
        fr += [pkt(port, 1, 0x02, 1000, 0), pkt(port, 0, 0x12, 5000, 1001),
               pkt(port, 1, 0x10, 1001, 5001), pkt(port, 1, 0x18, 1001, 5001, first)]
    for i in range(n):
        port, c = 30000 + i, 1001 + len(first)
        fr += [pkt(port, 1, 0x18, c, 5001, rest), pkt(port, 0, 0x18, 5001, c + len(rest), resp)]
    pcap(out, fr)


def main():
    cmd = sys.argv[1]
    if cmd == "truncate":
        truncate(sys.argv[2], sys.argv[3])
    elif cmd == "malformed":
        malformed(sys.argv[2])
    elif cmd == "linktypes":
        linktypes(sys.argv[2])
    elif cmd == "fuzzseeds":
        fuzzseeds(sys.argv[2])
    elif cmd == "app":
        app(sys.argv[2])
    elif cmd == "pool":
        pool(sys.argv[2], int(sys.argv[3]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
