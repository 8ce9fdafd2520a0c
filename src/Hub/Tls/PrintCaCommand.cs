namespace FleetNet.Hub.Tls;

/// <summary>
/// <c>fleetnet-hub print-ca</c>: the CA agents and the CLI should trust, as PEM on stdout (creating it in
/// Generate mode if the hub never started yet), with its path and SHA-256 fingerprint on stderr.
/// </summary>
internal static class PrintCaCommand
{
    public static async Task<int> RunAsync(ServerCertificates certificates)
    {
        var mode = certificates.Options.Mode;
        try
        {
            using var ca = certificates.Ca();
            if (ca is null)
            {
                await Console.Error.WriteLineAsync(mode == TlsMode.Off
                    ? "fleetnet-hub: Tls:Mode is Off: there is no CA to print"
                    : "fleetnet-hub: Tls:Mode is Files and Tls:CaPath is not set: give clients the CA that signed Tls:CertificatePath");
                return 2;
            }

            Console.Write(ca.ExportCertificatePem() + "\n");
            await Console.Error.WriteLineAsync($"fleetnet-hub: CA {certificates.CaPath}, SHA-256 {ServerCertificates.Fingerprint(ca)}");
            return 0;
        }
        catch (TlsSetupException e)
        {
            await Console.Error.WriteLineAsync($"fleetnet-hub: {e.Message}");
            return 2;
        }
    }
}
