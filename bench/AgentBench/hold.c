// Loads an eBPF object with libbpf, attaches every program in it, prints "attached" and holds them until
// its standard input closes. AgentBench runs empty.bpf.o with it.
// Usage: fleetnet-hold OBJECT
#include <bpf/libbpf.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    struct bpf_object *obj;
    struct bpf_program *prog;
    char line[64];

    if (argc != 2) {
        fprintf(stderr, "usage: %s OBJECT\n", argv[0]);
        return 2;
    }
    obj = bpf_object__open_file(argv[1], NULL);
    if (!obj || bpf_object__load(obj)) {
        fprintf(stderr, "cannot load %s\n", argv[1]);
        return 1;
    }
    bpf_object__for_each_program(prog, obj) {
        if (!bpf_program__attach(prog)) {
            fprintf(stderr, "cannot attach %s\n", bpf_program__name(prog));
            return 1;
        }
    }
    printf("attached\n");
    fflush(stdout);
    while (fgets(line, sizeof line, stdin))
        ;
    return 0;
}
