using System.Text.Json.Serialization;

namespace FleetNet.Agent.Top;

/// <summary>Source-generated JSON for <c>top --json</c> (Native AOT: no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(TopSnapshot))]
internal sealed partial class TopJsonContext : JsonSerializerContext;
