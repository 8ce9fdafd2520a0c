using System.Text;
using FleetNet.Agent.Processes;

namespace FleetNet.Agent.Tests.Processes;

public sealed class StringPoolTests
{
    private readonly StringPool _pool = new();

    [Fact]
    public void Get_SameBytesTwice_ReturnsOneInstance()
    {
        var first = _pool.Get("/usr/bin/curl"u8);
        var second = _pool.Get("/usr/bin/curl"u8);

        Assert.Equal("/usr/bin/curl", first);
        Assert.Same(first, second);
        Assert.Same(first, _pool.Get("/usr/bin/curl".AsSpan()));
        Assert.Equal(1, _pool.Count);
    }

    [Fact]
    public void GetTerminated_BpfField_StopsAtTheFirstNulAndSharesWithGet()
    {
        var field = "curl\0\0garbage"u8;

        Assert.Same(_pool.Get("curl"u8), _pool.GetTerminated(field));
        Assert.Equal("worker", _pool.GetTerminated("worker"u8)); // a field filled to the end has no NUL
        Assert.Same("", _pool.GetTerminated("\0curl"u8));
    }

    [Fact]
    public void Get_EmptyInput_ReturnsEmptyWithoutKeepingIt()
    {
        Assert.Same("", _pool.Get(ReadOnlySpan<byte>.Empty));
        Assert.Equal(0, _pool.Count);
    }

    [Theory]
    [InlineData(new byte[] { 0x2f, 0xff, 0xfe, 0x61 })] // invalid UTF-8: replaced as Encoding.UTF8 does
    [InlineData(new byte[] { 0xc3, 0xa9, 0x74, 0xc3, 0xa9 })] // "été"
    public void Get_AnyBytes_DecodesLikeEncodingUtf8(byte[] bytes)
    {
        Assert.Equal(Encoding.UTF8.GetString(bytes), _pool.Get(bytes));
    }

    [Fact]
    public void Get_LongerThanTheStackBuffer_DecodesWhole()
    {
        var text = new string('x', 3000) + "é";
        var value = _pool.Get(Encoding.UTF8.GetBytes(text));

        Assert.Equal(text, value);
        Assert.Same(value, _pool.Get(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Get_PastMaxEntries_StartsOverAndStaysCorrect()
    {
        for (var i = 0; i < StringPool.MaxEntries; i++)
        {
            _pool.Get(Encoding.UTF8.GetBytes("s" + i));
        }

        Assert.Equal(StringPool.MaxEntries, _pool.Count);
        Assert.Equal("new", _pool.Get("new"u8));
        Assert.Equal(1, _pool.Count);
        Assert.Equal("s7", _pool.Get("s7"u8));
    }
}
