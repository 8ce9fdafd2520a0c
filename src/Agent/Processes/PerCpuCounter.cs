using FleetNet.Agent.Interop;

namespace FleetNet.Agent.Processes;

/// <summary>Sum over CPUs of entry 0 of a BPF per-CPU array of u64.</summary>
internal sealed unsafe class PerCpuCounter(int fd)
{
    private readonly ulong[] _perCpu = new ulong[Math.Max(Interop.Interop.libbpf_num_possible_cpus(), 1)];

    public ulong Read()
    {
        var zero = 0u;
        lock (_perCpu)
        {
            fixed (ulong* values = _perCpu)
            {
                if (Interop.Interop.bpf_map_lookup_elem(fd, &zero, values) != 0)
                {
                    return 0;
                }
            }

            ulong sum = 0;
            foreach (var value in _perCpu)
            {
                sum += value;
            }

            return sum;
        }
    }
}
