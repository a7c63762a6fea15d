#!/usr/bin/python3
"""PNG checks of chart exports (python3 standard library only).

usage: png_check.py FILE.png DPI [--transparent]

  dpi          the file has a pHYs chunk (after IHDR, before IDAT) giving DPI
               in pixels per metre on both axes, and every chunk's CRC is right;
  transparent  no white halo: no pixel that is both visible (alpha > 32) and
               near white (every channel > 0xF5).  (For charts without
               white value labels inside bars; a white halo on a transparent
               background is what this finds.)

Prints "ok" or what is wrong; exit 1 when anything is wrong.
"""
import struct
import sys
import zlib


def chunks(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    i = 8
    while i < len(data):
        n, = struct.unpack(">I", data[i:i + 4])
        kind, body = data[i + 4:i + 8], data[i + 8:i + 8 + n]
        crc, = struct.unpack(">I", data[i + 8 + n:i + 12 + n])
        if crc != zlib.crc32(kind + body) & 0xFFFFFFFF:
            raise ValueError("bad CRC in %s" % kind.decode("latin-1"))
        yield kind, body
        i += 12 + n


def rows(width, height, idat):
    """8-bit RGBA rows, unfiltered."""
    raw, bpp = zlib.decompress(idat), 4
    stride, prev, p = width * bpp, bytearray(width * bpp), 0
    for _ in range(height):
        f, line = raw[p], bytearray(raw[p + 1:p + 1 + stride])
        p += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        yield line
        prev = line


def main():
    path, dpi = sys.argv[1], float(sys.argv[2])
    transparent = "--transparent" in sys.argv[3:]
    problems, order, idat, phys = [], [], b"", None
    for kind, body in chunks(open(path, "rb").read()):
        order.append(kind)
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"pHYs":
            phys = struct.unpack(">IIB", body)
        elif kind == b"IDAT":
            idat += body
    want = round(dpi / 0.0254)
    if phys is None:
        problems.append("no pHYs chunk")
    elif phys != (want, want, 1):
        problems.append("pHYs %s, expected %d px/m (%g dpi)" % (phys, want, dpi))
    elif order.index(b"pHYs") > order.index(b"IDAT"):
        problems.append("pHYs after IDAT")
    if transparent:
        if (depth, ctype) != (8, 6):
            problems.append("not 8-bit RGBA")
        else:
            white = sum(1 for line in rows(width, height, idat) for x in range(width)
                        if line[4 * x + 3] > 32 and min(line[4 * x:4 * x + 3]) > 0xF5)
            if white:
                problems.append("%d visible near-white pixels (a halo?)" % white)
    print("ok" if not problems else "; ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
