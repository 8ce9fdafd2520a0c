// The cost of one socket call, for AgentBench: two TCP sockets of one process, connected over 127.0.0.1,
// one sends one byte and the other receives it, COUNT times, pinned to CPU. Prints the mean nanoseconds per
// send + receive pair (CLOCK_MONOTONIC). Pinned, so that every run measures the same CPU: the CPUs of a VM
// need not run at the same speed at the same moment (here, at one time, 5,000-5,700 ns on CPU 0 against
// 3,600-4,100 on CPU 1).
// Usage: fleetnet-pingself COUNT CPU
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

int main(int argc, char **argv)
{
    struct sockaddr_in address = { .sin_family = AF_INET };
    socklen_t length = sizeof address;
    struct timespec start, end;
    char byte[64] = { 0 };
    int listener, sender, receiver, one = 1;
    cpu_set_t cpu;
    long count;

    if (argc != 3) {
        fprintf(stderr, "usage: %s COUNT CPU\n", argv[0]);
        return 2;
    }
    count = atol(argv[1]);
    CPU_ZERO(&cpu);
    CPU_SET(atoi(argv[2]), &cpu);
    if (sched_setaffinity(0, sizeof cpu, &cpu)) {
        perror("sched_setaffinity");
        return 1;
    }
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    listener = socket(AF_INET, SOCK_STREAM, 0);
    sender = socket(AF_INET, SOCK_STREAM, 0);
    if (listener < 0 || sender < 0 || bind(listener, (struct sockaddr *)&address, sizeof address) || listen(listener, 1)
        || getsockname(listener, (struct sockaddr *)&address, &length) || connect(sender, (struct sockaddr *)&address, sizeof address)
        || (receiver = accept(listener, NULL, NULL)) < 0 || setsockopt(sender, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one)) {
        perror("socket");
        return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long i = 0; i < count; i++) {
        if (send(sender, byte, 1, 0) != 1 || recv(receiver, byte, sizeof byte, 0) != 1) {
            perror("send/recv");
            return 1;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    printf("%.1f\n", ((end.tv_sec - start.tv_sec) * 1e9 + (end.tv_nsec - start.tv_nsec)) / count);
    return 0;
}
