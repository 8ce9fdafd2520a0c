using System.Buffers.Binary;
using System.Numerics;

namespace FleetNet.Agent.Spool;

/// <summary>CRC-32C (Castagnoli), hardware-accelerated where the CPU has it (SSE4.2, ARMv8 CRC).</summary>
internal static class Crc32C
{
    /// <summary>Continues <paramref name="crc"/> (start with 0) over <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var value = ~crc;
        while (data.Length >= 8)
        {
            value = BitOperations.Crc32C(value, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            value = BitOperations.Crc32C(value, b);
        }

        return ~value;
    }
}
