"""damage

Makes the damaged copies of real event logs that a reader must cope with. Only
generate.sh calls it; each kind writes DEST from SRC and leaves SRC alone.

Usage: damage.py KIND SRC DEST
  inprogress     a plain log as Spark leaves it while still writing: the ApplicationEnd line
                 dropped and the last remaining line cut in its middle (no final newline)
  corrupt-zstd   a .zstd log with 64 bytes in the middle overwritten, from the header of the
                 block there (a reserved block type: a corrupt frame for any decoder)
  truncate-lz4   an lz4-java log cut in the middle of the compressed data of its middle block
  spark-2.4.8    a plain log whose SparkListenerLogStart says "Spark Version":"2.4.8"
  unknown-event  a plain log with {"Event":"com.example.CustomListenerEvent","payload":1}
                 inserted as a line of its own in the middle
"""
import json
import struct
import sys

UNKNOWN_EVENT = '{"Event":"com.example.CustomListenerEvent","payload":1}'


def lines_of(path):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    assert text.endswith("\n"), f"{path} does not end with a newline"
    return text[:-1].split("\n")


def inprogress(src):
    lines = lines_of(src)
    last = json.loads(lines[-1])
    assert last["Event"] == "SparkListenerApplicationEnd", last["Event"]
    lines = lines[:-1]
    cut = lines[-1][: len(lines[-1]) // 2]
    return ("\n".join(lines[:-1]) + "\n" + cut).encode("utf-8")


def zstd_blocks(data):
    """(offset, type, size) of every block header of a zstd stream (any number of frames)."""
    blocks = []
    i = 0
    while i < len(data):
        assert struct.unpack_from("<I", data, i)[0] == 0xFD2FB528, f"no zstd frame at byte {i}"
        descriptor = data[i + 4]
        single_segment = (descriptor >> 5) & 1
        i += 5 + (0 if single_segment else 1)
        i += (0, 1, 2, 4)[descriptor & 3]  # dictionary id
        i += (single_segment, 2, 4, 8)[descriptor >> 6]  # frame content size
        while True:
            header = int.from_bytes(data[i:i + 3], "little")
            kind, size = (header >> 1) & 3, header >> 3
            blocks.append((i, kind, size))
            i += 3 + (1 if kind == 1 else size)
            if header & 1:
                break
        i += 4 if (descriptor >> 2) & 1 else 0  # content checksum
    return blocks


def corrupt_zstd(src):
    """Overwrites 64 bytes from the header of the compressed block that holds the middle of
    the file: the header then says "reserved block type", which every decoder rejects (bytes
    overwritten inside a block's data may decode to wrong text without any error, as Spark's
    frames carry no checksum)."""
    data = bytearray(open(src, "rb").read())
    middle = len(data) // 2
    offset = next(o for o, kind, size in zstd_blocks(bytes(data)) if kind == 2 and o + 3 + size > middle)
    data[offset:offset + 64] = b"\xff\xff\xff" + bytes((0xA5 ^ i) & 0xFF for i in range(61))
    return bytes(data)


def truncate_lz4(src):
    data = open(src, "rb").read()
    blocks = []  # (header start, data start, compressed length, method)
    i = 0
    while i < len(data):
        assert data[i:i + 8] == b"LZ4Block", f"no LZ4Block magic at byte {i}"
        token = data[i + 8]
        (clen,) = struct.unpack_from("<i", data, i + 9)
        blocks.append((i, i + 21, clen, token & 0xF0))
        i += 21 + clen
    compressed = [b for b in blocks if b[3] == 0x20 and b[2] > 64]
    _, start, clen, _ = compressed[len(compressed) // 2]
    return data[: start + clen // 2]


def spark_2_4_8(src):
    lines = lines_of(src)
    first = json.loads(lines[0])
    assert first["Event"] == "SparkListenerLogStart", first["Event"]
    old = f'"Spark Version":"{first["Spark Version"]}"'
    assert old in lines[0], lines[0]
    lines[0] = lines[0].replace(old, '"Spark Version":"2.4.8"')
    return ("\n".join(lines) + "\n").encode("utf-8")


def unknown_event(src):
    lines = lines_of(src)
    middle = len(lines) // 2
    lines.insert(middle, UNKNOWN_EVENT)
    return ("\n".join(lines) + "\n").encode("utf-8")


KINDS = {
    "inprogress": inprogress,
    "corrupt-zstd": corrupt_zstd,
    "truncate-lz4": truncate_lz4,
    "spark-2.4.8": spark_2_4_8,
    "unknown-event": unknown_event,
}


def main(argv):
    if len(argv) != 3 or argv[0] not in KINDS:
        sys.exit(__doc__)
    kind, src, dest = argv
    with open(dest, "wb") as f:
        f.write(KINDS[kind](src))


if __name__ == "__main__":
    main(sys.argv[1:])
