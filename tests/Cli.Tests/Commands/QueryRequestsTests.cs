using FleetNet.Cli.Commands;

namespace FleetNet.Cli.Tests.Commands;

public sealed class QueryRequestsTests
{
    private static CliArguments Parse(params string[] args)
    {
        Assert.True(CliArguments.TryParse(args, out var parsed, out var error), error);
        return parsed;
    }

    [Fact]
    public void TryTop_NoOptions_ProcessesWithHubDefaults()
    {
        Assert.True(QueryRequests.TryTop(Parse("top"), out var request, out _));

        Assert.Equal("processes", request.GroupBy);
        Assert.Equal(("", "", "", 0, 0), (request.Window, request.From, request.To, request.Limit, request.Offset));
    }

    [Fact]
    public void TryTop_EveryOption_CarriedIntoTheRequest()
    {
        var args = Parse("top", "--by", "containers", "--from", "2026-11-25T10:00:00Z", "--to", "2026-11-25T11:00:00Z", "--limit", "5", "--offset", "10",
            "--host", "web-1", "--label", "role=db", "--container", "pg", "--process", "postgres", "--json");

        Assert.True(QueryRequests.TryTop(args, out var request, out _));

        Assert.Equal("containers", request.GroupBy);
        Assert.Equal(("2026-11-25T10:00:00Z", "2026-11-25T11:00:00Z", 5, 10), (request.From, request.To, request.Limit, request.Offset));
        Assert.Equal(("web-1", "role=db", "pg", "postgres"), (request.Host, request.Label, request.Container, request.Process));
        Assert.True(args.Has("--json"));
    }

    [Theory]
    [InlineData("processes")]
    [InlineData("names")]
    [InlineData("hosts")]
    [InlineData("containers")]
    [InlineData("endpoints")]
    [InlineData("interfaces")]
    public void TryTop_EachGrouping_Accepted(string by)
    {
        Assert.True(QueryRequests.TryTop(Parse("top", "--by", by, "--window", "15m"), out var request, out _));

        Assert.Equal((by, "15m"), (request.GroupBy, request.Window));
    }

    [Theory]
    [InlineData("--by", "flows", "--by 'flows' is not known; use processes, names, hosts, containers, endpoints, interfaces")]
    [InlineData("--limit", "0", "--limit '0' is not valid; it must be a whole number from 1 to 1000")]
    [InlineData("--limit", "ten", "--limit 'ten' is not valid; it must be a whole number from 1 to 1000")]
    [InlineData("--offset", "-5", "--offset '-5' is not valid; it must be a whole number from 0 to 1000000")]
    public void TryTop_BadValue_ErrorNamesTheOption(string option, string value, string expected)
    {
        Assert.False(QueryRequests.TryTop(Parse("top", option, value), out _, out var error));

        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryTimeline_Options_CarriedIntoTheRequest()
    {
        var args = Parse("timeline", "--series", "interfaces", "--window", "6h", "--step", "1h", "--host", "web-1", "--interface", "eth0", "--label", "dc=x", "--process", "nginx");

        Assert.True(QueryRequests.TryTimeline(args, out var request, out _));

        Assert.Equal(("interfaces", "6h", "1h"), (request.Series, request.Window, request.Step));
        Assert.Equal(("web-1", "eth0", "dc=x", "nginx"), (request.Host, request.Interface, request.Label, request.Process));
    }

    [Fact]
    public void TryTimeline_UnknownSeries_Error()
    {
        Assert.False(QueryRequests.TryTimeline(Parse("timeline", "--series", "flows"), out _, out var error));

        Assert.Equal("--series 'flows' is not known; use processes or interfaces", error);
    }

    [Fact]
    public void TryTrends_WeekWithFilters_CarriedIntoTheRequest()
    {
        Assert.True(QueryRequests.TryTrends(Parse("trend", "--period", "week", "--window", "180d", "--host", "db-1", "--interface", "bond0"), out var request, out _));

        Assert.Equal(("week", "180d", "db-1", "bond0"), (request.Period, request.Window, request.Host, request.Interface));
    }

    [Fact]
    public void TryTrends_UnknownPeriod_Error()
    {
        Assert.False(QueryRequests.TryTrends(Parse("trend", "--period", "month"), out _, out var error));

        Assert.Equal("--period 'month' is not known; use day or week", error);
    }

    [Fact]
    public void TryParse_OptionWithoutValue_Refused()
    {
        Assert.False(CliArguments.TryParse(["top", "--by"], out _, out var error));

        Assert.Equal("unexpected argument '--by'", error);
    }

    [Theory]
    [InlineData("", "", "", "1h", "last 1h")]
    [InlineData("7d", "", "", "1h", "last 7d")]
    [InlineData("", "2026-11-25T10:00:00Z", "", "1h", "from 2026-11-25T10:00:00Z to now")]
    public void Describe_Window_ReadableHeader(string window, string from, string to, string defaultWindow, string expected) =>
        Assert.Equal(expected, QueryRequests.Describe(window, from, to, defaultWindow));
}
