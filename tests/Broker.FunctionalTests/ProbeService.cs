using Broker.Cli.Network;
using Broker.SecurityServer;

namespace Broker.FunctionalTests;

/// <summary>
/// The service <c>MN/GOV/GASR/civil-registry/probe</c>, open to LAND's land-services, backed by a
/// <see cref="Broker.Testing.RecordingService"/>: tests put a unique marker in the request and ask the recorder
/// whether anything carrying it reached the provider's information system.
/// </summary>
internal static class ProbeService
{
    public const string Subsystem = "MN/GOV/GASR/civil-registry";
    public const string Code = "probe";

    /// <summary>The r1 path of the probe service with <paramref name="marker"/> as its service path.</summary>
    public static string Path(string marker) => $"/r1/{Subsystem}/{Code}/{marker}";

    public static NetworkDefinition WithProbe(this NetworkDefinition definition, Uri recorder) => definition with
    {
        SecurityServers = definition.SecurityServers.Select(s => s.Id != SampleNetworkFixture.Gasr ? s : s with
        {
            Services =
            [
                .. s.Services,
                new ServiceOptions { Subsystem = Subsystem, Code = Code, Url = new Uri(recorder, Code).ToString(), Allow = ["MN/GOV/LAND/land-services"] },
            ],
        }).ToList(),
    };
}
