using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Broker.Protocol.Identifiers;

namespace Broker.Benchmarks.Identifiers;

/// <summary>
/// <see cref="ClientId"/> and <see cref="ServiceId"/> parse and format, as done for every request (X-Road-Client
/// header, request path). In each category the plain identifier is the baseline and the percent-encoded one
/// (a '?' in a code, the only allowed character that must be escaped) is compared with it.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class IdentifierBenchmarks
{
    private const string Client = "MN/GOV/LAND/land-services";
    private const string EncodedClient = "MN/GOV/LAND/land%3Fservices";
    private const string Service = "MN/GOV/GASR/civil-registry/citizens";
    private const string EncodedService = "MN/GOV/GASR/civil-registry/citizens%3Fv2";

    private readonly ClientId _client = ClientId.Parse(Client);
    private readonly ClientId _encodedClient = ClientId.Parse(EncodedClient);
    private readonly ServiceId _service = ServiceId.Parse(Service);
    private readonly ServiceId _encodedService = ServiceId.Parse(EncodedService);

    [Benchmark(Baseline = true), BenchmarkCategory("ClientId.Parse")]
    public ClientId ClientIdParse() => ClientId.Parse(Client);

    [Benchmark, BenchmarkCategory("ClientId.Parse")]
    public ClientId ClientIdParseEncoded() => ClientId.Parse(EncodedClient);

    [Benchmark(Baseline = true), BenchmarkCategory("ClientId.Format")]
    public string ClientIdFormat() => _client.ToString();

    [Benchmark, BenchmarkCategory("ClientId.Format")]
    public string ClientIdFormatEncoded() => _encodedClient.ToString();

    [Benchmark(Baseline = true), BenchmarkCategory("ServiceId.Parse")]
    public ServiceId ServiceIdParse() => ServiceId.Parse(Service);

    [Benchmark, BenchmarkCategory("ServiceId.Parse")]
    public ServiceId ServiceIdParseEncoded() => ServiceId.Parse(EncodedService);

    [Benchmark(Baseline = true), BenchmarkCategory("ServiceId.Format")]
    public string ServiceIdFormat() => _service.ToString();

    [Benchmark, BenchmarkCategory("ServiceId.Format")]
    public string ServiceIdFormatEncoded() => _encodedService.ToString();
}
