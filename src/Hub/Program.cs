using FleetNet.Hub.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddFleetNetHub();

var app = builder.Build();
app.MapFleetNetHub();
return await app.RunFleetNetHubAsync();

/// <summary>Entry point; public so integration tests can host the real application.</summary>
public partial class Program;
