#!/usr/bin/env python3
"""Prints "crc32 HEX SIZE NAME" for each of the named files that exists in DIR (zlib's CRC-32),
the CHECKSUMS format the model loaders verify.

    scripts/model-checksums.py DIR NAME...
"""
import os
import sys
import zlib

directory = sys.argv[1]
for name in sys.argv[2:]:
    path = os.path.join(directory, name)
    if not os.path.exists(path):
        continue
    crc, size = 0, 0
    with open(path, "rb") as f:
        while True:
            block = f.read(1 << 20)
            if not block:
                break
            crc, size = zlib.crc32(block, crc), size + len(block)
    print("crc32 %08x %d %s" % (crc, size, name))
