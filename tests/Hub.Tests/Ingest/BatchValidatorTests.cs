using FleetNet.Hub.Ingest;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FleetNet.Hub.Tests.Ingest;

public sealed class BatchValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static BatchValidator Validator(TimeSpan? skew = null, TimeSpan? age = null) => new(
        Options.Create(new IngestOptions { MaxClockSkew = skew ?? TimeSpan.FromMinutes(10), MaxAge = age ?? TimeSpan.FromDays(30) }),
        new FakeTimeProvider(Now));

    [Theory]
    [InlineData(1000UL)]
    [InlineData(999UL)]
    [InlineData(1UL)]
    public void Validate_EpochUpToHelloEpoch_Accepted(ulong epoch)
    {
        Assert.Null(Validator().Validate(TestBatches.Batch(1, Now, epoch: epoch), helloEpoch: 1000));
    }

    [Theory]
    [InlineData(1001UL)]
    [InlineData(0UL)]
    public void Validate_EpochAfterHelloEpochOrZero_Refused(ulong epoch)
    {
        var error = Validator().Validate(TestBatches.Batch(1, Now, epoch: epoch), helloEpoch: 1000);

        Assert.Contains("epoch", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EndWithinClockSkew_Accepted()
    {
        Assert.Null(Validator(skew: TimeSpan.FromMinutes(5)).Validate(TestBatches.Batch(1, Now.AddMinutes(4)), 1000));
    }

    [Fact]
    public void Validate_EndPastClockSkew_RefusedWithReason()
    {
        var error = Validator(skew: TimeSpan.FromMinutes(5)).Validate(TestBatches.Batch(1, Now.AddMinutes(6)), 1000);

        Assert.Contains("after the hub's clock", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FarFuture_Refused()
    {
        Assert.NotNull(Validator().Validate(TestBatches.Batch(1, Now.AddYears(30)), 1000));
    }

    [Fact]
    public void Validate_OlderThanMaxAge_RefusedWithReason()
    {
        var error = Validator(age: TimeSpan.FromDays(1)).Validate(TestBatches.Batch(1, Now.AddDays(-2)), 1000);

        Assert.Contains("before the hub's clock", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OldButWithinMaxAge_Accepted()
    {
        Assert.Null(Validator(age: TimeSpan.FromDays(1)).Validate(TestBatches.Batch(1, Now.AddHours(-23)), 1000));
    }
}
