using FleetNet.Hub.Ingest;
using FleetNet.Hub.Rollups;
using Microsoft.Extensions.Options;

namespace FleetNet.Hub.Storage;

/// <summary>Refuses a connection budget too small for the writers, Hangfire and at least a couple of queries.</summary>
internal sealed class StorageOptionsValidator(IOptions<BatchWriterOptions> writer, IOptions<JobsOptions> jobs) : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
        ConnectionBudget.Validate(options, writer.Value.Writers, jobs.Value.Enabled) is { } error
            ? ValidateOptionsResult.Fail(error)
            : ValidateOptionsResult.Success;
}
