using Broker.Cryptography.Timestamping;
using Broker.GlobalConfiguration.Client;
using Broker.MessageLog.Timestamping;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Broker.SecurityServer.MessageLog;

/// <summary>
/// Asks the time-stamping authorities the global configuration approves, in its order, until one answers with a token
/// that verifies against that TSA's published certificate. Before each request the log's <c>trust/</c> folder is
/// brought up to date with the approved CAs and TSAs, so the log directory alone is enough for an offline auditor.
/// </summary>
public sealed partial class GlobalConfigurationTimestampSource : ITimestampSource, IDisposable
{
    private static readonly TimeSpan s_requestTimeout = TimeSpan.FromSeconds(10);
    private readonly IGlobalConfigurationProvider _configuration;
    private readonly TrustFolder _trust;
    private readonly HttpClient _http;
    private readonly TimestampClient _client;
    private readonly ILogger _logger;

    public GlobalConfigurationTimestampSource(IGlobalConfigurationProvider configuration, IOptions<SecurityServerOptions> options, ILogger<GlobalConfigurationTimestampSource> logger)
    {
        _configuration = configuration;
        _logger = logger;
        _trust = new TrustFolder(Path.Combine(options.Value.MessageLog.Directory!, TrustFolder.Name));
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        { Timeout = s_requestTimeout };
        _client = new TimestampClient(_http);
    }

    public async Task<StampedRoot> StampAsync(byte[] root, CancellationToken cancellationToken)
    {
        var configuration = _configuration.Current ?? throw new TimestampException(TimestampFailure.Unavailable, "No global configuration, so no approved time-stamping authority is known.", isTransient: true);
        var authorities = configuration.TimestampAuthorities;
        if (authorities.Count == 0)
        {
            throw new TimestampException(TimestampFailure.Unavailable, "The global configuration approves no time-stamping authority.", isTransient: true);
        }

        _trust.Update(configuration);
        TimestampException? last = null;
        foreach (var authority in authorities)
        {
            try
            {
                var response = await _client.RequestAsync(authority.Url, root, [authority.Certificate], cancellationToken).ConfigureAwait(false);
                return new StampedRoot(response.Token, response.GenTime);
            }
            catch (TimestampException e)
            {
                LogAuthorityFailed(_logger, authority.Name, e.Message);
                last = e;
            }
        }

        throw last!;
    }

    public void Dispose() => _http.Dispose();

    [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, Message = "Time-stamping authority {Name} did not give a valid token: {Error}")]
    private static partial void LogAuthorityFailed(ILogger logger, string name, string error);
}
