// What one group commit costs on this disk: N pwrite+fdatasync pairs of SIZE bytes, appending to a file (as the message
// log does), into a preallocated file (posix_fallocate: unwritten extents), or into a file zero-filled beforehand.
// Prints wall time, this process's CPU time and the machine's CPU time per commit (/proc/stat).
// build and run: cc -O2 -o /tmp/fdatasync-cost benchmarks/disk/fdatasync-cost.c && /tmp/fdatasync-cost 20000 2048 /tmp
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

static double self_cpu(void) {
    struct rusage r; getrusage(RUSAGE_SELF, &r);
    return r.ru_utime.tv_sec + r.ru_utime.tv_usec / 1e6 + r.ru_stime.tv_sec + r.ru_stime.tv_usec / 1e6;
}

static long long machine_ticks(void) { // busy ticks of all CPUs
    long long u, n, s, i, w, irq, sirq;
    FILE *f = fopen("/proc/stat", "r");
    if (!f || fscanf(f, "cpu %lld %lld %lld %lld %lld %lld %lld", &u, &n, &s, &i, &w, &irq, &sirq) != 7) { perror("/proc/stat"); exit(1); }
    fclose(f);
    return u + n + s + irq + sirq;
}

int main(int argc, char **argv) {
    int count = argc > 1 ? atoi(argv[1]) : 20000, size = argc > 2 ? atoi(argv[2]) : 2048;
    const char *dir = argc > 3 ? argv[3] : ".";
    const char *modes[] = {"append", "fallocate", "zero-filled"};
    char path[4096]; snprintf(path, sizeof path, "%s/fdatasync-cost.dat", dir);
    char *buffer = calloc(1, 1 << 20);
    long long total = (long long)count * size + 4096;
    for (int mode = 0; mode < 3; mode++) {
        unlink(path);
        int fd = open(path, O_CREAT | O_RDWR, 0644);
        if (fd < 0) { perror(path); return 1; }
        memset(buffer, 0, 1 << 20);
        if (mode == 1 && posix_fallocate(fd, 0, total) != 0) { perror("posix_fallocate"); return 1; }
        if (mode == 2) {
            for (long long at = 0; at < total; at += 1 << 20) if (pwrite(fd, buffer, 1 << 20, at) < 0) { perror("pwrite"); return 1; }
            fsync(fd);
        }
        memset(buffer, 'x', size);
        double c0 = self_cpu(), t0 = now(); long long m0 = machine_ticks();
        for (int i = 0; i < count; i++) {
            if (pwrite(fd, buffer, size, (long long)i * size) != size || fdatasync(fd) != 0) { perror("write"); return 1; }
        }
        double t1 = now(), c1 = self_cpu(); long long m1 = machine_ticks();
        printf("%-12s %7.1f us wall, %6.1f us CPU (process), %6.1f us CPU (machine) per commit\n", modes[mode],
               (t1 - t0) / count * 1e6, (c1 - c0) / count * 1e6, (m1 - m0) * (1e6 / sysconf(_SC_CLK_TCK)) / count);
        close(fd);
    }
    unlink(path);
    return 0;
}
