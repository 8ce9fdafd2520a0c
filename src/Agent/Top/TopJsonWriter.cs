using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace FleetNet.Agent.Top;

/// <summary>
/// Writes one <see cref="TopSnapshot"/> as one JSON line, exactly as <see cref="TopJsonContext"/> serializes it,
/// but a row at a time: the encoded text goes out through small buffers kept across intervals whenever
/// <see cref="FlushBytes"/> have gathered, so a burst of thousands of processes (a 1 MB line) never holds
/// the line, or a copy of it, in memory.
/// </summary>
internal sealed class TopJsonWriter
{
    /// <summary>Encoded bytes gathered before they are written out.</summary>
    public const int FlushBytes = 16 * 1024;

    private readonly ArrayBufferWriter<byte> _json = new(2 * FlushBytes);
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly char[] _chars = new char[8 * 1024];
    private Utf8JsonWriter? _writer;

    public void Write(TextWriter output, TopSnapshot snapshot)
    {
        _json.ResetWrittenCount();
        _decoder.Reset();
        var writer = _writer ??= new Utf8JsonWriter(_json);
        writer.Reset(_json);

        // The names TopJsonContext gives the record's properties (camelCase), in its order.
        writer.WriteStartObject();
        writer.WriteString("host", snapshot.Host);
        writer.WriteString("fidelity", snapshot.Fidelity);
        writer.WriteString("from", snapshot.From);
        writer.WriteString("to", snapshot.To);
        writer.WriteNumber("seconds", snapshot.Seconds);
        writer.WriteNumber("interfaceRxBytes", snapshot.InterfaceRxBytes);
        writer.WriteNumber("interfaceTxBytes", snapshot.InterfaceTxBytes);
        writer.WriteNumber("unattributedRxBytes", snapshot.UnattributedRxBytes);
        writer.WriteNumber("unattributedTxBytes", snapshot.UnattributedTxBytes);
        WriteRows(output, writer, "processes", snapshot.Processes, TopJsonContext.Default.TopProcess);
        WriteRows(output, writer, "containers", snapshot.Containers, TopJsonContext.Default.TopContainer);
        WriteRows(output, writer, "endpoints", snapshot.Endpoints, TopJsonContext.Default.TopEndpoint);
        writer.WriteEndObject();
        writer.Flush();
        WriteOut(output);
        output.WriteLine();
        output.Flush();
    }

    private void WriteRows<T>(TextWriter output, Utf8JsonWriter writer, string name, List<T> rows, JsonTypeInfo<T> type)
    {
        writer.WritePropertyName(name);
        writer.WriteStartArray();
        foreach (var row in rows)
        {
            JsonSerializer.Serialize(writer, row, type);
            writer.Flush();
            if (_json.WrittenCount >= FlushBytes)
            {
                WriteOut(output);
            }
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes the gathered bytes (whole rows, so whole characters) and empties the buffer.</summary>
    private void WriteOut(TextWriter output)
    {
        var bytes = _json.WrittenSpan;
        while (!bytes.IsEmpty)
        {
            _decoder.Convert(bytes, _chars, flush: false, out var bytesUsed, out var charsUsed, out _);
            output.Write(_chars, 0, charsUsed);
            bytes = bytes[bytesUsed..];
        }

        _json.ResetWrittenCount();
    }
}
