using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Broker.GlobalConfiguration.Model;
using Broker.GlobalConfiguration.Signing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Broker.GlobalConfiguration.Client;

/// <summary>
/// Fetches the global configuration from the anchor's URL, verifies its CMS signature against the anchor, keeps the
/// last valid copy on disk, polls with ETag, and publishes each new version as a snapshot. An expired copy stays
/// visible (so callers can say so) but components fail closed on it.
/// </summary>
public sealed partial class GlobalConfigurationClient : BackgroundService, IGlobalConfigurationProvider
{
    private const string ContentFile = "globalconf.json";
    private const string SignatureFile = "globalconf.json.p7s";

    private readonly GlobalConfigurationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<GlobalConfigurationClient> _logger;
    private readonly ConfigurationAnchor _anchor;
    private readonly X509Certificate2[] _verificationCertificates;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private GlobalConfigurationSnapshot? _current;
    private string? _etag;
    private CancellationTokenSource _changeSource = new();

    public GlobalConfigurationClient(IOptions<GlobalConfigurationOptions> options, TimeProvider time, ILogger<GlobalConfigurationClient> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        _anchor = JsonSerializer.Deserialize(File.ReadAllBytes(_options.AnchorPath), GlobalConfigurationJson.Default.ConfigurationAnchor)
            ?? throw new InvalidOperationException($"The configuration anchor '{_options.AnchorPath}' is empty.");
        _verificationCertificates = _anchor.VerificationCertificates.Select(p => X509Certificate2.CreateFromPem(p)).ToArray();
        var tlsTrust = new X509Certificate2Collection(_anchor.TlsTrustCertificates.Select(p => X509Certificate2.CreateFromPem(p)).ToArray());
        _http = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls13 | SslProtocols.Tls12,
                CertificateChainPolicy = CustomRootPolicy(tlsTrust),
            },
            ConnectTimeout = TimeSpan.FromSeconds(5),
        })
        {
            Timeout = TimeSpan.FromSeconds(15),
        };
        LoadFromDisk();
    }

    private static X509ChainPolicy CustomRootPolicy(X509Certificate2Collection roots)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(roots);
        return policy;
    }

    public GlobalConfigurationSnapshot? Current => Volatile.Read(ref _current);

    public IChangeToken GetChangeToken() => new CancellationChangeToken(Volatile.Read(ref _changeSource).Token);

    /// <summary>
    /// Fetches once now; true when a configuration (new or unchanged) was obtained and verified. Calls are serialised:
    /// the background poll and an explicit refresh never write the disk copy at the same time.
    /// </summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await FetchAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    private async Task<bool> FetchAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, _anchor.Url);
            if (_etag is not null && Current is not null)
            {
                request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(_etag));
            }

            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                return true;
            }

            response.EnsureSuccessStatusCode();
            var published = await JsonSerializer.DeserializeAsync(
                await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false),
                GlobalConfigurationJson.Default.PublishedConfiguration,
                cancellationToken).ConfigureAwait(false);
            if (published is null)
            {
                return false;
            }

            var content = Convert.FromBase64String(published.Content);
            var signature = Convert.FromBase64String(published.Signature);
            if (!Accept(content, signature, "fetched"))
            {
                return false;
            }

            _etag = response.Headers.ETag?.Tag;
            await SaveToDiskAsync(content, signature, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or FormatException or IOException)
        {
            LogFetchFailed(_anchor.Url, e.Message);
            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var ok = await RefreshAsync(stoppingToken).ConfigureAwait(false);
            var interval = _options.RefreshInterval
                ?? TimeSpan.FromSeconds(Current?.Document.Settings.RefreshIntervalSeconds ?? 60);
            try
            {
                await Task.Delay(ok ? interval : TimeSpan.FromSeconds(Math.Min(2, interval.TotalSeconds)), _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        _refreshGate.Dispose();
        base.Dispose();
    }

    private bool Accept(byte[] content, byte[] signature, string source)
    {
        var error = GlobalConfigurationSignature.Verify(content, signature, _verificationCertificates);
        if (error is not null)
        {
            LogRejected(source, error);
            return false;
        }

        GlobalConfigurationDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(content, GlobalConfigurationJson.Default.GlobalConfigurationDocument);
        }
        catch (JsonException e)
        {
            LogRejected(source, e.Message);
            return false;
        }

        if (document is null || document.InstanceIdentifier != _anchor.InstanceIdentifier)
        {
            LogRejected(source, "the configuration is for another instance");
            return false;
        }

        var current = Current;
        if (current is not null && document.Version < current.Document.Version)
        {
            LogRejected(source, $"version {document.Version} is older than the current {current.Document.Version}");
            return false;
        }

        if (current is not null && content.AsSpan().SequenceEqual(current.Content))
        {
            return true;
        }

        GlobalConfigurationSnapshot snapshot;
        try
        {
            snapshot = new GlobalConfigurationSnapshot(document, content, signature, _time);
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            // signed but unusable (a malformed certificate or TSA URL): keep the current one
            LogRejected(source, e.Message);
            return false;
        }

        Volatile.Write(ref _current, snapshot);
        LogAccepted(document.Version, source, document.ExpiresAt);
        var previous = Interlocked.Exchange(ref _changeSource, new CancellationTokenSource());
        previous.Cancel();
        previous.Dispose();
        return true;
    }

    private void LoadFromDisk()
    {
        var contentPath = Path.Combine(_options.CacheDirectory, ContentFile);
        var signaturePath = Path.Combine(_options.CacheDirectory, SignatureFile);
        if (File.Exists(contentPath) && File.Exists(signaturePath))
        {
            Accept(File.ReadAllBytes(contentPath), File.ReadAllBytes(signaturePath), "disk");
        }
    }

    private async Task SaveToDiskAsync(byte[] content, byte[] signature, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_options.CacheDirectory);
        await WriteAtomicallyAsync(Path.Combine(_options.CacheDirectory, SignatureFile), signature, cancellationToken).ConfigureAwait(false);
        await WriteAtomicallyAsync(Path.Combine(_options.CacheDirectory, ContentFile), content, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteAtomicallyAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        await File.WriteAllBytesAsync(temporary, bytes, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Global configuration version {Version} accepted from {Source}, expires {ExpiresAt:O}")]
    private partial void LogAccepted(long version, string source, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Global configuration from {Source} rejected: {Reason}")]
    private partial void LogRejected(string source, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Global configuration fetch from {Url} failed: {Reason}")]
    private partial void LogFetchFailed(string url, string reason);
}
