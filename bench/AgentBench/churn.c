// Churn load for AgentBench: forks COUNT short-lived processes, at most PARALLEL alive at once. Each child
// connects to 127.0.0.1:PORT, writes exactly BYTES bytes and exits (fork without exec, so nothing but the
// child's own work sits between its birth and its exit). Prints each child's pid on stdout; on stderr one
// line "failed PID" per child that could not connect or send, then "seconds S".
// Usage: fleetnet-churn PORT COUNT BYTES PARALLEL
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int reap(void)
{
    int status;
    pid_t pid = wait(&status);
    if (pid > 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
        fprintf(stderr, "failed %d\n", pid);
    return pid > 0;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s PORT COUNT BYTES PARALLEL\n", argv[0]);
        return 2;
    }
    int port = atoi(argv[1]), count = atoi(argv[2]), bytes = atoi(argv[3]), parallel = atoi(argv[4]);
    static char payload[65536];
    if (port <= 0 || port > 65535 || count <= 0 || bytes <= 0 || bytes > (int)sizeof(payload) || parallel <= 0) {
        fprintf(stderr, "bad arguments\n");
        return 2;
    }
    memset(payload, 'x', sizeof(payload));
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int running = 0;
    for (int i = 0; i < count; i++) {
        while (running >= parallel && reap())
            running--;
        pid_t pid = fork();
        if (pid == 0) {
            int fd = socket(AF_INET, SOCK_STREAM, 0);
            if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0)
                _exit(1);
            for (int left = bytes; left > 0;) {
                ssize_t n = write(fd, payload, left);
                if (n <= 0)
                    _exit(1);
                left -= n;
            }
            _exit(0); /* closes the socket; the bytes were counted at the write */
        }
        if (pid < 0) {
            perror("fork");
            i--;
            if (!reap())
                return 1;
            running--;
            continue;
        }
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
