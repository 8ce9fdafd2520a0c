using FleetNet.Agent.Interop;

namespace FleetNet.Agent.Processes;

/// <summary>Sum over CPUs of one entry of a BPF per-CPU array of u64 (fn_counters).</summary>
internal sealed unsafe class PerCpuCounter(int fd, uint index = 0)
{
    private readonly ulong[] _perCpu = new ulong[Math.Max(Interop.Interop.libbpf_num_possible_cpus(), 1)];

    public ulong Read()
    {
        var key = index;
        lock (_perCpu)
        {
            fixed (ulong* values = _perCpu)
            {
                if (Interop.Interop.bpf_map_lookup_elem(fd, &key, values) != 0)
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
