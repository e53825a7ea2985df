#!/usr/bin/env python3
"""Builds the seed corpus of every fuzz target into OUT/<target>/ from the project's samples and
knowledge base, Fuzz/Corpus/ (committed seeds), and ../shared/corpus when it is there (read at run
time, never committed). Framed targets get their framing: FuzzXMLConfig an XPath line before the
document, FuzzLiterals a flags byte, a pattern and a NUL before the line, FuzzDirectives a format byte.

Usage: seeds.py OUT"""
import hashlib
import io
import os
import re
import sys
import tarfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SAMPLES = os.path.join(ROOT, "Samples")
RULES = os.path.join(ROOT, "KnownIssues")
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus"))
MAX_SEED = 64 * 1024


def files(folder, suffixes=None, names=None, any_size=False):
    found = []
    if not os.path.isdir(folder):
        return found
    for base, _, entries in os.walk(folder):
        for entry in sorted(entries):
            path = os.path.join(base, entry)
            if suffixes and not entry.endswith(tuple(suffixes)) and not (names and entry in names):
                continue
            if not suffixes and names and entry not in names:
                continue
            if any_size or os.path.getsize(path) <= MAX_SEED:
                found.append(path)
    return sorted(found)


def read(path):
    with open(path, "rb") as handle:
        return handle.read()[:MAX_SEED]


def write(out, target, data):
    folder = os.path.join(out, target)
    os.makedirs(folder, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(folder, name), "wb") as handle:
        handle.write(data)


def unquote(text):
    text = text.strip()
    if len(text) >= 2 and text[0] == "'" and text[-1] == "'":
        return text[1:-1].replace("''", "'")
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        return text[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return text


def rule_values(key):
    values = []
    for path in files(RULES, [".yaml", ".yml"]):
        for line in read(path).decode("utf-8", "replace").splitlines():
            match = re.match(r"^\s*(?:-\s+)?" + key + r":\s*(.+)$", line)
            if match:
                values.append(unquote(match.group(1)))
    return values


def sample_lines(paths, limit):
    lines = []
    for path in paths:
        lines += [line for line in read(path).splitlines()[:limit] if line.strip()]
    return lines


def main(out):
    committed = os.path.join(HERE, "Corpus")
    if os.path.isdir(committed):
        for target in sorted(os.listdir(committed)):
            for path in files(os.path.join(committed, target)):
                write(out, target, read(path))

    logs = files(SAMPLES, [".log", ".out", "_log", "secure", "messages"], any_size=True) + files(
        os.path.join(SHARED, "loghub"), [".log"], any_size=True)
    xml = files(SAMPLES, [".xml"]) + files(os.path.join(SHARED, "configs"), [".xml"])
    properties = files(SAMPLES, [".properties"]) + files(os.path.join(SHARED, "configs"), [".properties"])

    # Archives: each sample node as tar.gz and zip, and its files alone.
    for node in sorted(os.listdir(SAMPLES)):
        folder = os.path.join(SAMPLES, node)
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
            archive.add(folder, arcname=node)
        write(out, "FuzzArchive", buffer.getvalue())
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in files(folder):
                archive.write(path, os.path.relpath(path, SAMPLES))
        write(out, "FuzzArchive", buffer.getvalue())
    for path in files(SAMPLES)[:12]:
        write(out, "FuzzArchive", read(path))

    xpaths = rule_values("xpath") or ["//Connector"]
    for index, path in enumerate(xml):
        write(out, "FuzzXMLConfig", xpaths[index % len(xpaths)].encode() + b"\n" + read(path))
    server = [path for path in xml if path.endswith("server.xml")][:1]
    for xpath in xpaths:
        for path in server:
            write(out, "FuzzXMLConfig", xpath.encode() + b"\n" + read(path))

    for path in properties:
        write(out, "FuzzProperties", read(path))

    for path in files(SAMPLES, [".conf"]) + files(os.path.join(SHARED, "configs", "apache-httpd"), [".conf"]):
        write(out, "FuzzDirectives", b"\x00" + read(path))
    for path in files(SAMPLES, names={"sshd_config"}) + files(os.path.join(SHARED, "configs", "openssh-portable")):
        if os.path.basename(path) in ("sshd_config", "ssh_config"):
            write(out, "FuzzDirectives", b"\x01" + read(path))

    jvm = [line for line in sample_lines(files(SAMPLES), 400) if b" -X" in line or b" -D" in line]
    for line in jvm[:200]:
        write(out, "FuzzJVMOptions", line[:4096])

    for path in logs:
        for line in read(path).splitlines()[:3]:
            write(out, "FuzzTimestamp", line[:256])

    for path in files(RULES, [".yaml", ".yml"]):
        if os.path.basename(path) not in ("knowledge-base.yaml", "support-policy.yaml"):
            write(out, "FuzzRules", read(path))

    patterns = rule_values("regex") + rule_values("pattern")
    lines = sample_lines(logs, 50)
    for index, pattern in enumerate(patterns):
        for flags, line in ((0, lines[index % len(lines)]), (2, lines[(index * 7 + 3) % len(lines)])):
            write(out, "FuzzLiterals", bytes([flags]) + pattern.encode() + b"\x00" + line[:512])


if __name__ == "__main__":
    main(sys.argv[1])
