using FleetNet.Hub.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddFleetNetHub();
return await builder.RunFleetNetHubAsync();

/// <summary>Entry point; public so integration tests can host the real application.</summary>
public partial class Program;
