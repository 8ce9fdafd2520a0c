using Microsoft.Extensions.Options;

namespace FleetNet.Agent.Hosting;

/// <summary>
/// Checks the DataAnnotations on <see cref="AgentOptions"/> with generated code, because
/// <c>ValidateDataAnnotations()</c> uses reflection and is not Native AOT safe.
/// </summary>
[OptionsValidator]
internal sealed partial class AgentOptionsAnnotationsValidator : IValidateOptions<AgentOptions>;
