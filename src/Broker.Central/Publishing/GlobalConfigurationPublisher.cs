using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Broker.GlobalConfiguration.Model;
using Broker.GlobalConfiguration.Signing;

namespace Broker.Central.Publishing;

/// <summary>
/// Publishes the registry as a signed, expiring global configuration. A new version is signed when the registry
/// changes and re-signed (new version, new expiry) once half of the validity has passed, so nodes never hold a
/// configuration close to expiry while the central server is up.
/// </summary>
public sealed class GlobalConfigurationPublisher
{
    private readonly X509Certificate2 _signer;
    private readonly TimeProvider _time;
    private readonly TimeSpan _validity;
    private readonly Lock _lock = new();
    private GlobalConfigurationDocument _registry;
    private Published? _current;
    private long _version;

    public GlobalConfigurationPublisher(GlobalConfigurationDocument registry, X509Certificate2 signer, TimeProvider time, TimeSpan validity)
    {
        _registry = registry;
        _signer = signer;
        _time = time;
        _validity = validity;
    }

    /// <summary>Replaces the registry (members, servers, routers…); the next request gets a new version.</summary>
    public void Update(GlobalConfigurationDocument registry)
    {
        lock (_lock)
        {
            _registry = registry;
            _current = null;
        }
    }

    public Published Current
    {
        get
        {
            lock (_lock)
            {
                var now = _time.GetUtcNow();
                if (_current is null || now >= _current.Document.GeneratedAt + (_validity / 2))
                {
                    _current = Publish(now);
                }

                return _current;
            }
        }
    }

    private Published Publish(DateTimeOffset now)
    {
        var document = _registry with
        {
            Version = Math.Max(++_version, _registry.Version),
            GeneratedAt = now,
            ExpiresAt = now + _validity,
        };
        _version = document.Version;
        var content = JsonSerializer.SerializeToUtf8Bytes(document, GlobalConfigurationJson.Default.GlobalConfigurationDocument);
        var signature = GlobalConfigurationSignature.Sign(content, _signer, now);
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..32] + "\"";
        var envelope = JsonSerializer.SerializeToUtf8Bytes(
            new PublishedConfiguration(Convert.ToBase64String(content), Convert.ToBase64String(signature)),
            GlobalConfigurationJson.Default.PublishedConfiguration);
        return new Published(document, content, signature, envelope, etag);
    }

    public sealed record Published(GlobalConfigurationDocument Document, byte[] Content, byte[] Signature, byte[] Envelope, string ETag);
}
