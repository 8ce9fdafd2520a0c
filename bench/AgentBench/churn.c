// Churn load for AgentBench: starts COUNT short-lived processes, at most PARALLEL alive at once. Each child
// connects to 127.0.0.1:PORT, writes exactly BYTES bytes and exits. Children are processes of their own (own
// pid, own exit status, reaped with wait) made with clone(CLONE_VM) and no exec: sharing the parent's memory
// spares the page-table copy that makes fork() cost ~2 ms on this VM (fork: ~550/s here, clone: ~11,000/s),
// so the rate measures the agent, not the spawner. Prints each child's pid on stdout; on stderr one line
// "failed PID" per child that could not connect or send, then "seconds S".
// Usage: fleetnet-churn PORT COUNT BYTES PARALLEL
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STACK_SIZE (64 * 1024)

static struct sockaddr_in addr;
static char payload[65536];
static int bytes;
static pid_t *slots; /* the child using each stack, 0 when free */
static int parallel;

/* A child: runs on its own stack in the parent's memory, touches nothing shared but reads. */
static int child(void *unused)
{
    (void)unused;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0)
        return 1;
    for (int left = bytes; left > 0;) {
        ssize_t n = write(fd, payload, left);
        if (n <= 0)
            return 1;
        left -= n;
    }
    return 0; /* the exit closes the socket; the bytes were counted at the write */
}

/* Waits for one child, frees its stack; returns 0 when there is none. */
static int reap(void)
{
    int status;
    pid_t pid = wait(&status);
    if (pid <= 0)
        return 0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fprintf(stderr, "failed %d\n", pid);
    for (int k = 0; k < parallel; k++)
        if (slots[k] == pid)
            slots[k] = 0;
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s PORT COUNT BYTES PARALLEL\n", argv[0]);
        return 2;
    }
    int port = atoi(argv[1]), count = atoi(argv[2]);
    bytes = atoi(argv[3]);
    parallel = atoi(argv[4]);
    if (port <= 0 || port > 65535 || count <= 0 || bytes <= 0 || bytes > (int)sizeof(payload) || parallel <= 0) {
        fprintf(stderr, "bad arguments\n");
        return 2;
    }
    memset(payload, 'x', sizeof(payload));
    addr = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    char *stacks = mmap(NULL, (size_t)parallel * STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    slots = calloc((size_t)parallel, sizeof(pid_t));
    if (stacks == MAP_FAILED || slots == NULL) {
        perror("stacks");
        return 1;
    }

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int running = 0;
    for (int i = 0; i < count; i++) {
        while (running >= parallel && reap())
            running--;
        int slot = 0;
        while (slots[slot] != 0)
            slot++;
        /* The stack grows down: pass the top of this child's slot. */
        pid_t pid = clone(child, stacks + (size_t)(slot + 1) * STACK_SIZE, CLONE_VM | SIGCHLD, NULL);
        if (pid < 0) {
            perror("clone");
            i--;
            if (!reap())
                return 1;
            running--;
            continue;
        }
        slots[slot] = pid;
        running++;
        printf("%d\n", pid);
    }
    while (running > 0 && reap())
        running--;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fflush(stdout);
    fprintf(stderr, "seconds %.3f\n", (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
    return 0;
}
