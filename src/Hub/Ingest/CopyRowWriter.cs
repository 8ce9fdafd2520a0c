using System.Buffers;
using System.Buffers.Binary;
using Npgsql;

namespace FleetNet.Hub.Ingest;

/// <summary>
/// Writes PostgreSQL's binary COPY format straight into a buffer (header, per row a field count, per field a length
/// and the big-endian value) and hands it to Npgsql's raw COPY stream in 64 KiB writes. The hot tables' rows are
/// fixed-width numbers, so this skips the per-value binding of <see cref="NpgsqlBinaryImporter"/>, which was a
/// large part of the hub's CPU per stored sample.
/// </summary>
internal sealed class CopyRowWriter : IAsyncDisposable
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Room left at the start of a row; the rows written here (numbers only) are far smaller.</summary>
    private const int MaxRowBytes = 1024;

    private static readonly long PostgresEpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
    /// <summary>Signature "PGCOPY\n\xff\r\n\0", flags 0, no header extension.</summary>
    private static ReadOnlySpan<byte> Header => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', 0x0a, 0xff, 0x0d, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private readonly NpgsqlRawCopyStream _stream;
    private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _position;
    private bool _completed;

    private CopyRowWriter(NpgsqlRawCopyStream stream)
    {
        _stream = stream;
        Header.CopyTo(_buffer);
        _position = Header.Length;
    }

    public static async Task<CopyRowWriter> BeginAsync(NpgsqlConnection connection, string copyFromStdinBinary, CancellationToken cancellationToken) =>
        new(await connection.BeginRawBinaryCopyAsync(copyFromStdinBinary, cancellationToken));

    /// <summary>True when the buffer should be flushed before the next row.</summary>
    public bool Full => _position > _buffer.Length - MaxRowBytes;

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(_buffer.AsMemory(0, _position), cancellationToken);
        _position = 0;
    }

    public void StartRow(short fields)
    {
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_position), fields);
        _position += 2;
    }

    public void Int16(short value)
    {
        Length(2);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_position), value);
        _position += 2;
    }

    public void Int32(int value)
    {
        Length(4);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_position), value);
        _position += 4;
    }

    public void Int64(long value)
    {
        Length(8);
        BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_position), value);
        _position += 8;
    }

    public void Boolean(bool value)
    {
        Length(1);
        _buffer[_position++] = value ? (byte)1 : (byte)0;
    }

    /// <summary>A timestamptz from Unix milliseconds: microseconds since 2000-01-01 UTC.</summary>
    public void TimestampFromUnixMs(long unixMs) =>
        Int64((DateTime.UnixEpoch.Ticks - PostgresEpochTicks) / 10 + unixMs * 1000);

    /// <summary>Ends the COPY: the trailer, the last bytes, then PostgreSQL checks the rows.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_position), -1);
        _position += 2;
        await FlushAsync(cancellationToken);
        _completed = true;
        await _stream.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            // Something failed half-way: abandon the COPY (the transaction fails and nothing is acked).
            await _stream.CancelAsync();
            await _stream.DisposeAsync();
        }

        ArrayPool<byte>.Shared.Return(_buffer);
    }

    private void Length(int length)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_position), length);
        _position += 4;
    }
}
