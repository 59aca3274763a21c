"""inspect_log

Summarises a Spark event log: for each SQL execution, its FINAL physical plan (the last
SparkListenerSQLAdaptiveExecutionUpdate of that executionId, else the sparkPlanInfo of its
SparkListenerSQLExecutionStart), with
  - the join nodes (SortMergeJoin, BroadcastHashJoin, ShuffledHashJoin, ...),
  - every file scan: its metadata Location and its driver metrics "number of files read" and
    "size of files read",
  - every write node (Execute InsertIntoHadoopFsRelationCommand ...): its output path and its
    driver metrics "number of written files", "written output" and "number of output rows".
A driver metric is the value that SparkListenerDriverAccumUpdates posted for the metric's
accumulatorId (the last one posted wins, as in Spark's SQL tab).

(Not named inspect.py: that name would shadow the standard library module for every script
in this folder, make_data.py included.)

Usage: inspect_log.py [--check] LOG [LOG ...]

LOG is a JSON-lines event log: a plain file, or one compressed by Spark (.zstd, .lz4,
.snappy, .lzf; an .inprogress suffix is ignored), or gzipped (.gz), or a rolled log folder
(eventlog_v2_<appid>/, whose events_<n>_<appid>[.codec] parts are read in order of <n>).
The Java stream formats (lz4-java's LZ4Block, snappy-java's SnappyOutputStream, ning's LZF)
are decoded here in pure Python; .zstd is decoded with the `zstd` command.

--check: only check that every line is a JSON object with an "Event" field, print the number
of events and exit 1 otherwise.
"""
import gzip
import json
import os
import re
import struct
import subprocess
import sys

# --- Java stream formats, decoded in pure Python -------------------------------------------


def copy_back(out, offset, length):
    """Appends `length` bytes copied from `offset` bytes back in `out` (LZ4 and snappy matches;
    the source may overlap what is being written)."""
    start = len(out) - offset
    if offset >= length:
        out += out[start:start + length]
    else:
        for k in range(length):
            out.append(out[start + k])


def lz4_block(src, size):
    """Decodes one raw LZ4 block of `size` decompressed bytes."""
    out = bytearray()
    i = 0
    n = len(src)
    while i < n:
        token = src[i]
        i += 1
        literals = token >> 4
        if literals == 15:
            while True:
                b = src[i]
                i += 1
                literals += b
                if b != 255:
                    break
        out += src[i:i + literals]
        i += literals
        if i >= n:
            break
        offset = src[i] | (src[i + 1] << 8)
        i += 2
        length = token & 15
        if length == 15:
            while True:
                b = src[i]
                i += 1
                length += b
                if b != 255:
                    break
        length += 4
        copy_back(out, offset, length)
    if len(out) != size:
        raise ValueError(f"LZ4 block decoded to {len(out)} bytes, expected {size}")
    return bytes(out)


def lz4java(data):
    """lz4-java LZ4BlockOutputStream: blocks of 'LZ4Block', token, compressed length,
    decompressed length, checksum (little endian), then the data; ends with an empty block."""
    out = bytearray()
    i = 0
    while i < len(data):
        if data[i:i + 8] != b"LZ4Block":
            raise ValueError(f"no LZ4Block magic at byte {i}")
        if i + 21 > len(data):
            raise ValueError(f"truncated LZ4Block header at byte {i}")
        token = data[i + 8]
        clen, dlen, _checksum = struct.unpack_from("<iii", data, i + 9)
        i += 21
        body = data[i:i + clen]
        if len(body) != clen:
            raise ValueError(f"truncated LZ4Block: {len(body)} of {clen} bytes")
        i += clen
        method = token & 0xF0
        if method == 0x10:
            out += body
        elif method == 0x20:
            out += lz4_block(body, dlen)
        else:
            raise ValueError(f"unknown LZ4Block method {method:#x}")
    return bytes(out)


def snappy_raw(src):
    """Decodes one raw snappy block."""
    i = 0
    size = 0
    shift = 0
    while True:
        b = src[i]
        i += 1
        size |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            break
    out = bytearray()
    n = len(src)
    while i < n:
        tag = src[i]
        i += 1
        kind = tag & 3
        if kind == 0:
            length = tag >> 2
            if length >= 60:
                extra = length - 59
                length = int.from_bytes(src[i:i + extra], "little")
                i += extra
            length += 1
            out += src[i:i + length]
            i += length
            continue
        if kind == 1:
            length = ((tag >> 2) & 7) + 4
            offset = ((tag >> 5) << 8) | src[i]
            i += 1
        elif kind == 2:
            length = (tag >> 2) + 1
            offset = int.from_bytes(src[i:i + 2], "little")
            i += 2
        else:
            length = (tag >> 2) + 1
            offset = int.from_bytes(src[i:i + 4], "little")
            i += 4
        copy_back(out, offset, length)
    if len(out) != size:
        raise ValueError(f"snappy block decoded to {len(out)} bytes, expected {size}")
    return bytes(out)


def snappyjava(data):
    """snappy-java SnappyOutputStream: '\\x82SNAPPY\\x00', version and compatible version
    (big endian ints), then chunks of a big-endian length and a raw snappy block."""
    if data[:8] != b"\x82SNAPPY\x00":
        raise ValueError("no snappy-java magic")
    out = bytearray()
    i = 16
    while i < len(data):
        (clen,) = struct.unpack_from(">i", data, i)
        i += 4
        chunk = data[i:i + clen]
        if len(chunk) != clen:
            raise ValueError("truncated snappy chunk")
        i += clen
        out += snappy_raw(chunk)
    return bytes(out)


def lzf_block(src, size):
    out = bytearray()
    i = 0
    n = len(src)
    while i < n:
        ctrl = src[i]
        i += 1
        if ctrl < 32:
            out += src[i:i + ctrl + 1]
            i += ctrl + 1
            continue
        length = ctrl >> 5
        if length == 7:
            length += src[i]
            i += 1
        start = len(out) - ((ctrl & 0x1F) << 8) - src[i] - 1
        i += 1
        length += 2
        for k in range(length):
            out.append(out[start + k])
    if len(out) != size:
        raise ValueError(f"LZF chunk decoded to {len(out)} bytes, expected {size}")
    return bytes(out)


def lzfjava(data):
    """ning compress LZFOutputStream: chunks 'ZV', type (0 stored, 1 compressed), lengths
    (big endian shorts), data."""
    out = bytearray()
    i = 0
    while i < len(data):
        if data[i:i + 2] != b"ZV":
            raise ValueError(f"no ZV magic at byte {i}")
        kind = data[i + 2]
        if kind == 0:
            (length,) = struct.unpack_from(">H", data, i + 3)
            i += 5
            out += data[i:i + length]
            i += length
        elif kind == 1:
            clen, dlen = struct.unpack_from(">HH", data, i + 3)
            i += 7
            out += lzf_block(data[i:i + clen], dlen)
            i += clen
        else:
            raise ValueError(f"unknown LZF chunk type {kind}")
    return bytes(out)


def zstd(path):
    return subprocess.run(["zstd", "-dc", path], check=True, capture_output=True).stdout


# --- reading a log -------------------------------------------------------------------------


def codec_of(name):
    name = name[: -len(".inprogress")] if name.endswith(".inprogress") else name
    ext = name.rsplit(".", 1)[-1] if "." in os.path.basename(name) else ""
    return ext


def read_file(path):
    with open(path, "rb") as f:
        data = f.read()
    codec = codec_of(os.path.basename(path))
    if codec == "gz":
        return gzip.decompress(data)
    if codec == "zstd":
        return zstd(path)
    if codec == "lz4":
        return lz4java(data)
    if codec == "snappy":
        return snappyjava(data)
    if codec == "lzf":
        return lzfjava(data)
    return data


def part_index(name):
    m = re.match(r"events_(\d+)_", name)
    return int(m.group(1)) if m else None


def read_log(path):
    """The decompressed text of a log file or of a rolled log folder."""
    if os.path.isdir(path):
        parts = sorted(
            (part_index(n), n) for n in os.listdir(path) if part_index(n) is not None
        )
        return b"".join(read_file(os.path.join(path, n)) for _, n in parts), [n for _, n in parts]
    return read_file(path), [os.path.basename(path)]


def events(text):
    for number, line in enumerate(text.decode("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        event = json.loads(line)
        if not isinstance(event, dict) or "Event" not in event:
            raise ValueError(f"line {number} is not an event: {line[:80]}")
        yield event


# --- summary -------------------------------------------------------------------------------

JOIN = re.compile(r"(Join|CartesianProduct)")
WRITE = "InsertIntoHadoopFsRelationCommand"
SQL = "org.apache.spark.sql.execution.ui."


def walk(plan):
    yield plan
    for child in plan.get("children", []):
        yield from walk(child)


def metric(node, name):
    for m in node.get("metrics", []):
        if m["name"] == name:
            return m["accumulatorId"]
    return None


def fmt(value):
    return "-" if value is None else f"{value:,}"


def summarise(path):
    text, parts = read_log(path)
    evs = list(events(text))
    version = next((e["Spark Version"] for e in evs if e["Event"] == "SparkListenerLogStart"), "?")
    app = next((e.get("App Name") for e in evs if e["Event"] == "SparkListenerApplicationStart"), "?")
    counts = {}
    for e in evs:
        counts[e["Event"]] = counts.get(e["Event"], 0) + 1

    plans = {}
    descriptions = {}
    driver = {}
    task_updates = {}
    for e in evs:
        kind = e["Event"]
        if kind == SQL + "SparkListenerSQLExecutionStart":
            plans[e["executionId"]] = ("start", e["sparkPlanInfo"])
            descriptions[e["executionId"]] = e.get("description", "")
        elif kind == SQL + "SparkListenerSQLAdaptiveExecutionUpdate":
            plans[e["executionId"]] = ("aqe", e["sparkPlanInfo"])
        elif kind == SQL + "SparkListenerDriverAccumUpdates":
            for acc_id, value in e["accumUpdates"]:
                driver[acc_id] = value
        elif kind == "SparkListenerTaskEnd":
            # SQL metrics carry their task update as a string ("1234"), internal ones as ints
            for acc in e.get("Task Info", {}).get("Accumulables", []):
                update = acc.get("Update")
                if isinstance(update, str) and update.lstrip("-").isdigit():
                    update = int(update)
                if isinstance(update, int):
                    task_updates[acc["ID"]] = task_updates.get(acc["ID"], 0) + update

    lines = [
        f"Spark {version}, app {app}, parts {parts}, {len(evs)} events, "
        f"{len(plans)} SQL executions, {counts.get('SparkListenerJobStart', 0)} jobs, "
        f"{counts.get('SparkListenerStageCompleted', 0)} stages, "
        f"{counts.get('SparkListenerTaskEnd', 0)} tasks, "
        f"ApplicationEnd {'present' if 'SparkListenerApplicationEnd' in counts else 'MISSING'}"
    ]
    for execution_id in sorted(plans):
        source, plan = plans[execution_id]
        nodes = list(walk(plan))
        joins = [n["nodeName"] for n in nodes if JOIN.search(n["nodeName"])]
        lines.append(
            f"execution {execution_id} ({descriptions.get(execution_id, '')}) "
            f"[{'final AQE plan' if source == 'aqe' else 'plan at start'}]"
        )
        lines.append(f"  joins: {', '.join(joins) if joins else '-'}")
        seen = set()
        for n in nodes:
            location = n.get("metadata", {}).get("Location")
            if n["nodeName"].startswith("Scan") and location:
                size_id = metric(n, "size of files read")
                if size_id in seen:
                    continue
                seen.add(size_id)
                rows_id = metric(n, "number of output rows")
                lines.append(
                    f"  scan {n['nodeName'].strip()} {location}: "
                    f"files read {fmt(driver.get(metric(n, 'number of files read')))}, "
                    f"size of files read {fmt(driver.get(size_id))} B, "
                    f"rows {fmt(task_updates.get(rows_id))}"
                )
            if WRITE in n["nodeName"] or WRITE in n.get("simpleString", ""):
                target = n.get("simpleString", "").split(WRITE, 1)[-1].strip().split(",", 1)[0]
                lines.append(
                    f"  write {target}: "
                    f"written files {fmt(driver.get(metric(n, 'number of written files')))}, "
                    f"written output {fmt(driver.get(metric(n, 'written output')))} B, "
                    f"rows {fmt(driver.get(metric(n, 'number of output rows')))}, "
                    f"dynamic partitions {fmt(driver.get(metric(n, 'number of dynamic part')))}"
                )
    return "\n".join(lines)


def main(argv):
    check = "--check" in argv
    paths = [a for a in argv if a != "--check"]
    if not paths:
        sys.exit(__doc__)
    status = 0
    for path in paths:
        if check:
            try:
                text, parts = read_log(path)
                n = sum(1 for _ in events(text))
                print(f"OK {path}: {n} events in {len(parts)} part(s), {len(text):,} bytes of JSON")
            except Exception as error:  # noqa: BLE001 - report any decoding failure
                print(f"BAD {path}: {type(error).__name__}: {error}")
                status = 1
        else:
            print(f"== {path}")
            print(summarise(path))
    sys.exit(status)


if __name__ == "__main__":
    main(sys.argv[1:])
