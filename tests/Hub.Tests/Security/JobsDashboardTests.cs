using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using FleetNet.Hub.Security;
using FleetNet.Hub.Tests.Storage;
using FleetNet.Protocol.V1;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FleetNet.Hub.Tests.Security;

public sealed partial class JobsDashboardTests(PostgresFixture postgres) : HubTestBase(postgres)
{
    [Fact]
    public async Task Dashboard_WithoutKey_UnauthorizedWithBasicAndBearerChallenge()
    {
        await using var hub = new SecureHub(Postgres);

        var response = await hub.Rest().GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenges = response.Headers.WwwAuthenticate.Select(c => c.Scheme + " " + c.Parameter).ToList();
        Assert.Contains("Basic realm=\"fleetnet\", charset=\"UTF-8\"", challenges);
        Assert.Contains("Bearer realm=\"fleetnet\"", challenges);
        Assert.Contains("API key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_ReadKey_Forbidden()
    {
        await using var hub = new SecureHub(Postgres);
        var key = await hub.CreateKeyAsync(ApiKeyRole.Read);

        var page = await hub.Rest(key).GetAsync("/hangfire/recurring");
        var stats = await hub.Rest(key).PostAsync("/hangfire/stats", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, stats.StatusCode);
        Assert.Contains("role admin", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_AdminKeyAsBearer_ShowsRecurringJobs()
    {
        await using var hub = new SecureHub(Postgres);
        var key = await hub.CreateKeyAsync(ApiKeyRole.Admin);

        var home = await hub.Rest(key).GetAsync("/hangfire");
        var recurring = await hub.Rest(key).GetStringAsync("/hangfire/recurring");

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("FleetNet jobs", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(">rollups<", recurring, StringComparison.Ordinal);
        Assert.Contains("retention:process_samples", recurring, StringComparison.Ordinal);
        Assert.DoesNotContain("Host=", recurring, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_AdminKeyAsBasicPasswordOrApiKeyHeader_Ok()
    {
        await using var hub = new SecureHub(Postgres);
        var key = await hub.CreateKeyAsync(ApiKeyRole.Admin);
        var basic = hub.Rest();
        basic.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("anyone:" + key)));
        var header = hub.Rest();
        header.DefaultRequestHeaders.Add("x-api-key", key);

        var byBasic = await basic.GetAsync("/hangfire/recurring");
        var byHeader = await header.GetAsync("/hangfire/recurring");

        Assert.Equal(HttpStatusCode.OK, byBasic.StatusCode);
        Assert.Contains(">rollups<", await byBasic.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, byHeader.StatusCode);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("bm8tY29sb24=")] // "no-colon"
    [InlineData("dXNlcjo=")] // "user:" (empty password)
    [InlineData("dXNlcjpmbmtfd3Jvbmc=")] // "user:fnk_wrong"
    public async Task Dashboard_BadBasicCredentials_Unauthorized(string basic)
    {
        await using var hub = new SecureHub(Postgres);
        var client = hub.Rest();
        client.DefaultRequestHeaders.Authorization = new("Basic", basic);

        var response = await client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Basic", response.Headers.WwwAuthenticate.Select(c => c.Scheme));
    }

    [Fact]
    public async Task Dashboard_RevokedAdminKey_Unauthorized()
    {
        await using var hub = new SecureHub(Postgres);
        var admin = await hub.CreateKeyAsync(ApiKeyRole.Admin);
        var (id, key) = await hub.Factory.Services.GetRequiredService<ApiKeyStore>().CreateAsync(ApiKeyRole.Admin, "", CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, (await hub.Rest(key).GetAsync("/hangfire")).StatusCode);

        await new Admin.AdminClient(hub.Channel(admin)).RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = id });
        var response = await hub.Rest(key).GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("unknown or revoked", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_DisabledByOption_NotFound()
    {
        await using var hub = new SecureHub(Postgres, ("Jobs:Dashboard", "false"));
        var key = await hub.CreateKeyAsync(ApiKeyRole.Admin);

        Assert.Equal(HttpStatusCode.NotFound, (await hub.Rest(key).GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Rest(key).GetAsync("/hangfire/recurring")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hub.Rest(key).GetAsync("/api/v1/hosts")).StatusCode);
    }

    [Fact]
    public async Task Dashboard_TriggerWithoutAntiforgeryToken_ForbiddenAndWithTokenRunsJob()
    {
        // A yearly schedule, so that only the trigger enqueues the rollup job during the test.
        await using var hub = new SecureHub(Postgres, ("Rollups:Schedule", "0 0 1 1 *"));
        var client = hub.Rest(await hub.CreateKeyAsync(ApiKeyRole.Admin));
        var before = await CountAsync("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%RollupJob%'");
        FormUrlEncodedContent Trigger() => new([new("jobs[]", "rollups")]);

        var forged = await client.PostAsync("/hangfire/recurring/trigger", Trigger());
        var afterForged = await CountAsync("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%RollupJob%'");
        var page = await client.GetStringAsync("/hangfire/recurring");
        var request = new HttpRequestMessage(HttpMethod.Post, "/hangfire/recurring/trigger") { Content = Trigger() };
        request.Headers.Add(MetaContent(page, "csrf-header"), MetaContent(page, "csrf-token"));
        var genuine = await client.SendAsync(request);
        var afterGenuine = await CountAsync("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%RollupJob%'");

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(before, afterForged);
        Assert.True(genuine.IsSuccessStatusCode, $"trigger answered {(int)genuine.StatusCode}");
        Assert.Equal(before + 1, afterGenuine);
    }

    [Theory]
    [InlineData("127.0.0.1", HttpStatusCode.OK)]
    [InlineData("::1", HttpStatusCode.OK)]
    [InlineData("::ffff:127.0.0.1", HttpStatusCode.OK)]
    [InlineData("198.18.0.7", HttpStatusCode.Forbidden)]
    [InlineData(null, HttpStatusCode.Forbidden)]
    public async Task Dashboard_ApiKeysOff_OnlyLoopbackCallers(string? remote, HttpStatusCode expected)
    {
        // HubTestBase's hub runs with Security:RequireApiKeys=false.
        var context = await Hub.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/hangfire/recurring";
            c.Connection.RemoteIpAddress = remote is null ? null : IPAddress.Parse(remote);
        });

        Assert.Equal((int)expected, context.Response.StatusCode);
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.Contains(expected == HttpStatusCode.OK ? ">rollups<" : "only to loopback callers", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, "127.0.0.1", false)]
    [InlineData(false, "127.0.0.1", true)]
    [InlineData(false, "198.18.0.7", false)]
    public void Authorize_RequestTheMiddlewareDidNotAdmit_OnlyLoopbackWithKeysOff(bool requireApiKeys, string remote, bool expected)
    {
        // Defence in depth: whatever reaches the dashboard without the middleware's admin mark.
        var filter = new JobsDashboardAuthorization(Options.Create(new SecurityOptions { RequireApiKeys = requireApiKeys }));
        var http = new DefaultHttpContext { RequestServices = Hub.Services };
        http.Connection.RemoteIpAddress = IPAddress.Parse(remote);

        var allowed = filter.Authorize(new AspNetCoreDashboardContext(Hub.Services.GetRequiredService<JobStorage>(), new DashboardOptions(), http));

        Assert.Equal(expected, allowed);
    }

    private static string MetaContent(string page, string name)
    {
        var match = MetaPattern().Matches(page).FirstOrDefault(m => m.Groups[1].Value == name);
        Assert.NotNull(match);
        return WebUtility.HtmlDecode(match.Groups[2].Value);
    }

    [GeneratedRegex("<meta name=\"([a-z-]+)\" content=\"([^\"]*)\"")]
    private static partial Regex MetaPattern();
}
