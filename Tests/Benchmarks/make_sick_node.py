#!/usr/bin/env python3
"""Builds the uploads of a sick node for the whole-scan benchmark (Tests/Benchmarks/scan.sh).

Deterministic, from the real logs and GC logs in ../shared/corpus (read, never copied into the project):

  OUT/node/                      one upload as a folder, about SIZE bytes of logs in all:
    tomcat/logs/catalina.out     loghub lines (Hadoop, Spark, HDFS, Zookeeper, ...) with a real Java
                                 stack-trace block every few thousand lines
    tomcat/logs/gc.log           a real unified-logging G1 log (gctoolkit minimal.log), its pauses only,
                                 every one above 500 ms: JVM-GC-LONG-YOUNG-PAUSE matches every line
    tomcat/logs/oom.log          one OutOfMemoryError line repeated (a second apart): JVM-OOM-JAVA-HEAP
                                 and the within: rule JVM-OOM-REPEATED-NO-EXIT match every line
    logs/app.log                 more loghub lines
    var/log/messages, var/log/secure, httpd/logs/error_log   Linux, OpenSSH and Apache loghub lines
  OUT/small/                     20,000 small log files (1-3 KB each) in 200 folders
  OUT/gc-only/, OUT/oom-only/    the GC log and the OOM log alone, for per-log throughput

Usage: make_sick_node.py CORPUS_DIR OUT_DIR SIZE_BYTES
"""
import os
import re
import sys


def read_lines(path):
    with open(path, "rb") as f:
        return [line for line in f.read().split(b"\n") if line]


CLOCK = re.compile(rb"(\d\d):(\d\d):(\d\d)")


def varied(lines, cycle):
    """The lines of one pass, their first hh:mm:ss moved on by the pass number (so that the file does not
    compress to nothing as an exact repetition would)."""
    if cycle == 0:
        return lines
    def shift(m):
        total = (int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3)) + cycle * 7) % 86400
        return b"%02d:%02d:%02d" % (total // 3600, (total // 60) % 60, total % 60)
    return [CLOCK.sub(shift, line, count=1) for line in lines]


def write_repeated(path, lines, size, every=None, block=None):
    """Writes `lines` cyclically to `path` until it holds `size` bytes; `block` every `every` lines."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    written = 0
    count = 0
    cycle = 0
    with open(path, "wb", buffering=1 << 20) as f:
        while written < size:
            for line in varied(lines, cycle):
                f.write(line + b"\n")
                written += len(line) + 1
                count += 1
                if block is not None and count % every == 0:
                    for extra in block:
                        f.write(extra + b"\n")
                        written += len(extra) + 1
                if written >= size:
                    break
            cycle += 1


def main():
    corpus, out, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
    loghub = os.path.join(corpus, "loghub")
    configs = os.path.join(corpus, "configs")

    def hub(name):
        return read_lines(os.path.join(loghub, name + "_2k.log"))

    app_lines = hub("Hadoop") + hub("Spark") + hub("HDFS") + hub("Zookeeper") + hub("OpenStack")
    stack = [
        b"java.lang.IllegalStateException: Connection pool exhausted",
        b"\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)",
        b"\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:197)",
        b"\tat org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:166)",
        b"\tat org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:659)",
        b"\tat java.base/java.lang.Thread.run(Thread.java:833)",
    ]

    # The GC log: a real G1 log's pause lines, each pause made a long one (5xx ms).
    gc_source = os.path.join(configs, "microsoft-gctoolkit-testdata/gctoolkit-gclogs/unified/g1gc/minimal.log")
    pause = re.compile(rb"^(.*GC\(\d+\) Pause Young.* \d+[KMG]->\d+[KMG]\(\d+[KMG]\) )(\d+)\.(\d+)ms$")
    gc_lines = []
    for line in read_lines(gc_source):
        m = pause.match(line)
        if m:
            gc_lines.append(m.group(1) + b"5" + m.group(2)[-2:].rjust(2, b"0") + b"." + m.group(3) + b"ms")
    if not gc_lines:
        sys.exit("no pause lines found in " + gc_source)

    oom_lines = []
    for second in range(3600):
        hh, mm, ss = 10 + second // 3600, (second // 60) % 60, second % 60
        oom_lines.append(
            b"2026-11-20 %02d:%02d:%02d,123 SEVERE [exec-%d] java.lang.OutOfMemoryError: Java heap space" % (hh, mm, ss, second % 40))

    node = os.path.join(out, "node")
    gc_size = max(size // 10, 1 << 20)
    oom_size = max(size // 20, 1 << 20)
    rest = max(size - gc_size - oom_size, 5 << 20)
    write_repeated(os.path.join(node, "tomcat/logs/catalina.out"), app_lines, rest * 4 // 10, every=5000, block=stack)
    write_repeated(os.path.join(node, "logs/app.log"), list(reversed(app_lines)), rest * 3 // 10)
    write_repeated(os.path.join(node, "var/log/messages"), hub("Linux"), rest // 10)
    write_repeated(os.path.join(node, "var/log/secure"), hub("OpenSSH"), rest // 10)
    write_repeated(os.path.join(node, "httpd/logs/error_log"), hub("Apache"), rest // 10)
    write_repeated(os.path.join(node, "tomcat/logs/gc.log"), gc_lines, gc_size)
    write_repeated(os.path.join(node, "tomcat/logs/oom.log"), oom_lines, oom_size)
    write_repeated(os.path.join(out, "gc-only/tomcat/logs/gc.log"), gc_lines, gc_size)
    write_repeated(os.path.join(out, "oom-only/tomcat/logs/oom.log"), oom_lines, oom_size)

    # 20,000 small files: catalina.*.log of 1-3 KB, app logs and syslog pieces.
    small = os.path.join(out, "small")
    sources = [app_lines, hub("Linux"), hub("Apache"), hub("OpenSSH")]
    names = ["tomcat/logs/catalina.%04d.log", "var/log/messages.%04d", "httpd/logs/error_log.%04d", "var/log/secure.%04d"]
    for index in range(20000):
        kind = index % 4
        folder = os.path.join(small, "part%03d" % (index // 100))
        path = os.path.join(folder, names[kind] % index)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        lines = sources[kind]
        start = (index * 37) % (len(lines) - 40)
        with open(path, "wb") as f:
            f.write(b"\n".join(lines[start:start + 10 + index % 20]) + b"\n")


if __name__ == "__main__":
    main()
