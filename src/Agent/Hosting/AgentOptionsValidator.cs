using Microsoft.Extensions.Options;

namespace FleetNet.Agent.Hosting;

/// <summary>Validates <see cref="AgentOptions"/>: its DataAnnotations plus what they cannot express.</summary>
internal sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    private readonly AgentOptionsAnnotationsValidator _annotations = new();

    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(_annotations.Validate(name, options));
        if (!Uri.TryCreate(options.HubUrl, UriKind.Absolute, out var hub)
            || (hub.Scheme != Uri.UriSchemeHttp && hub.Scheme != Uri.UriSchemeHttps))
        {
            builder.AddError($"must be an absolute http:// or https:// URL, not '{options.HubUrl}'", nameof(AgentOptions.HubUrl));
        }

        return builder.Build();
    }
}
