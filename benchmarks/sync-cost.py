#!/usr/bin/env python3
"""What one group commit costs the machine, as cited in docs/benchmarks.md: pwrite of a batch (8 records of 3.4 KB)
then fdatasync, in a loop, into a file that grows (as the message log appends) and into one zeroed in advance
(overwritten in place). Prints wall time and whole-system CPU (/proc/stat, kernel threads and interrupts included)
per batch. Writes under /tmp (the root file system on the development box; not tmpfs)."""
import os
import time


def busy_ticks():
    fields = list(map(int, open('/proc/stat').readline().split()[1:]))
    return sum(fields) - fields[3] - fields[4]  # all but idle and iowait


def run(zeroed, batch=8, record=3400, batches=4000):
    path = '/tmp/broker-sync-cost.bin'
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        if zeroed:
            chunk = b'\0' * (1 << 20)
            for _ in range(0, record * batch * batches, len(chunk)):
                os.write(fd, chunk)
            os.fsync(fd)
        data = os.urandom(record * batch)
        c0, t0 = busy_ticks(), time.time()
        for i in range(batches):
            os.pwrite(fd, data, i * len(data))
            os.fdatasync(fd)
        c1, t1 = busy_ticks(), time.time()
        tick_us = 1e6 / os.sysconf('SC_CLK_TCK')
        print(f"{'zeroed in advance' if zeroed else 'appending':18} wall {1e6 * (t1 - t0) / batches:5.0f} us/batch, "
              f"system CPU {(c1 - c0) * tick_us / batches:5.0f} us/batch")
    finally:
        os.close(fd)
        os.remove(path)


if __name__ == '__main__':
    for zeroed in (False, True, False, True):
        run(zeroed)
