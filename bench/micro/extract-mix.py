#!/usr/bin/env python3
"""Makes bench/micro/message-mix.txt, the message mix the microbenchmark encodes and decodes, from a
capture of real Go agents (the shared test vectors: 3 serf 0.9.4 agents on loopback, compression off:
join, gossip, probes with Vivaldi acks, a user event, a kill -9 with suspicion, leaves).

Every UDP datagram is unwrapped (CRC, compound, memberlist user message) down to its messages, in
capture order, so a message that was sent often appears often. One line per message: `kind hex`,
the hex being the type byte (memberlist's for `ml:*`, Serf's for `serf:*`) and then the msgpack
body. The whole datagrams follow as `packet hex` lines (what a node receives and decodes).

  bench/micro/extract-mix.py [CAPTURE.json] > bench/micro/message-mix.txt
"""
import json
import os
import struct
import sys

MEMBERLIST = {0: "ping", 1: "indirect-ping", 2: "ack", 3: "suspect", 4: "alive", 5: "dead",
              6: "push-pull", 11: "nack", 13: "err"}
SERF = {0: "leave", 1: "join", 2: "push-pull", 3: "user-event", 4: "query", 5: "query-response",
        6: "conflict-response", 7: "key-request", 8: "key-response", 9: "relay"}


def unwrap(packet, out):
    kind, body = packet[0], packet[1:]
    if kind == 12:                      # hasCrc: 4-byte CRC32, then the packet
        unwrap(body[4:], out)
    elif kind == 7:                     # compound: count, count x uint16 lengths, parts
        n = body[0]
        lengths = struct.unpack(f">{n}H", body[1:1 + 2 * n])
        at = 1 + 2 * n
        for length in lengths:
            unwrap(body[at:at + length], out)
            at += length
    elif kind == 8:                     # memberlist user message: a serf message
        out.append(("serf:" + SERF.get(body[0], str(body[0])), body))
    elif kind in MEMBERLIST:
        out.append(("ml:" + MEMBERLIST[kind], packet))
    else:
        raise ValueError(f"unexpected memberlist type {kind} (a compressed or encrypted capture?)")


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else \
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "vectors", "memberlist", "captures",
                     "serf_3agents_no_compression.json")
    capture = json.load(open(path))
    messages = []
    for datagram in capture["udp"]:
        unwrap(bytes.fromhex(datagram["wire_hex"]), messages)
    print(f"# The message mix of bench/micro/Micro.java: {len(messages)} messages and {len(capture['udp'])} UDP datagrams,")
    print(f"# from {capture['name']} ({capture['description']}).")
    print("# in capture order. Made by bench/micro/extract-mix.py. One a line: kind, then hex (type byte + msgpack).")
    for kind, body in messages:
        print(kind, body.hex())
    for datagram in capture["udp"]:
        print("packet", datagram["wire_hex"])


main()
