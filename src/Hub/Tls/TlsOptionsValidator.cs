using Microsoft.Extensions.Options;

namespace FleetNet.Hub.Tls;

/// <summary>
/// Checks the TLS settings before the hub starts: the operator's files exist and belong together, and
/// every Kestrel endpoint's scheme agrees with the mode (https unless TLS is explicitly off), so a
/// hub is never half secured by accident.
/// </summary>
internal sealed class TlsOptionsValidator(IConfiguration configuration) : IValidateOptions<TlsOptions>
{
    public ValidateOptionsResult Validate(string? name, TlsOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Mode))
        {
            failures.Add("Tls:Mode must be Generate, Files or Off");
        }

        if (options.Mode == TlsMode.Generate)
        {
            if (string.IsNullOrWhiteSpace(options.Directory))
            {
                failures.Add("Tls:Directory must name a directory when Tls:Mode is Generate");
            }

            if (options.ServerCertificateLifetime <= options.RenewBefore || options.RenewBefore <= TimeSpan.Zero)
            {
                failures.Add("Tls:RenewBefore must be more than 0 and less than Tls:ServerCertificateLifetime");
            }

            if (options.CaLifetime < options.ServerCertificateLifetime)
            {
                failures.Add("Tls:CaLifetime must be at least Tls:ServerCertificateLifetime");
            }

            foreach (var extra in options.ExtraNames)
            {
                if (Uri.CheckHostName(extra.Trim()) is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6))
                {
                    failures.Add($"Tls:ExtraNames entry '{extra}' is neither a DNS name nor an IP address");
                }
            }
        }

        if (options.Mode == TlsMode.Files && OperatorCertificates.Check(options) is { } error)
        {
            failures.Add(error);
        }

        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            var url = endpoint["Url"] ?? "";
            var https = url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
            if (options.Mode == TlsMode.Off && https)
            {
                failures.Add($"Kestrel:Endpoints:{endpoint.Key}:Url is {url} but Tls:Mode is Off: use http://, or turn TLS on");
            }
            else if (options.Mode != TlsMode.Off && !https)
            {
                failures.Add($"Kestrel:Endpoints:{endpoint.Key}:Url is {url} but Tls:Mode is {options.Mode}: use https://, or set Tls:Mode=Off explicitly (loopback or a trusted network only)");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
