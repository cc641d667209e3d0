using System.Collections.Frozen;
using System.Security.Cryptography.X509Certificates;
using Broker.Cryptography.X509;
using Broker.Cryptography.Xml;
using Broker.Protocol.Identifiers;

namespace Broker.GlobalConfiguration.Model;

/// <summary>
/// An immutable, indexed view of one verified global configuration. Swapped atomically when a new one arrives;
/// the certificate validator and signature verifier (and their caches) live and die with it.
/// </summary>
public sealed class GlobalConfigurationSnapshot
{
    private readonly FrozenDictionary<string, SecurityServerEntry> _serversByAuthCert;
    private readonly FrozenDictionary<ClientId, SecurityServerEntry> _serverByClient;
    private readonly FrozenSet<string> _routerCerts;
    private readonly FrozenSet<ClientId> _subsystems;
    private readonly FrozenDictionary<string, FrozenSet<ClientId>> _groups;

    public GlobalConfigurationSnapshot(GlobalConfigurationDocument document, byte[] content, byte[] signature, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(document);
        Document = document;
        Content = content;
        Signature = signature;
        Roots = document.ApprovedCas.Select(ca => X509CertificateLoader.LoadCertificate(Convert.FromBase64String(ca.Certificate))).ToArray();
        Validator = new CertificateValidator(Roots, time);
        TimestampAuthorities = document.ApprovedTsas
            .Select(tsa => new TimestampAuthorityEntry(
                tsa.Name,
                new Uri(tsa.Url, UriKind.Absolute),
                X509CertificateLoader.LoadCertificate(Convert.FromBase64String(tsa.Certificate))))
            .ToArray();
        TimestampAuthorityCertificates = TimestampAuthorities.Select(tsa => tsa.Certificate).ToArray();
        Verifier = new SignatureVerifier(Validator);

        _serversByAuthCert = document.SecurityServers
            .SelectMany(s => s.AuthCertHashes.Select(h => (Hash: h.ToLowerInvariant(), Server: s)))
            .ToFrozenDictionary(x => x.Hash, x => x.Server, StringComparer.Ordinal);
        _serverByClient = document.SecurityServers
            .SelectMany(s => s.Clients.Select(c => (Client: ClientId.Parse(c), Server: s)))
            .GroupBy(x => x.Client)
            .ToFrozenDictionary(g => g.Key, g => g.First().Server);
        _routerCerts = document.Routers.SelectMany(r => r.AuthCertHashes).Select(h => h.ToLowerInvariant()).ToFrozenSet(StringComparer.Ordinal);
        _subsystems = document.Members
            .SelectMany(m => m.Subsystems.Select(s => { var id = ClientId.Parse(m.Id); return new ClientId(id.Instance, id.MemberClass, id.MemberCode, s); }))
            .ToFrozenSet();
        _groups = document.GlobalGroups.ToFrozenDictionary(
            g => g.Code,
            g => g.Members.Select(ClientId.Parse).ToFrozenSet(),
            StringComparer.Ordinal);
    }

    public GlobalConfigurationDocument Document { get; }

    /// <summary>The exact signed JSON bytes.</summary>
    public byte[] Content { get; }

    /// <summary>The detached CMS signature over <see cref="Content"/>.</summary>
    public byte[] Signature { get; }

    public IReadOnlyList<X509Certificate2> Roots { get; }

    public CertificateValidator Validator { get; }

    /// <summary>The approved time-stamping authorities, in the configuration's order (the first is preferred).</summary>
    public IReadOnlyList<TimestampAuthorityEntry> TimestampAuthorities { get; }

    /// <summary>The approved TSAs' certificates: the only signers whose time-stamp tokens are accepted.</summary>
    public IReadOnlyList<X509Certificate2> TimestampAuthorityCertificates { get; }

    public SignatureVerifier Verifier { get; }

    public bool IsExpired(DateTimeOffset now) => now >= Document.ExpiresAt;

    public SecurityServerEntry? FindServerByAuthCertificate(X509Certificate2 certificate) =>
        _serversByAuthCert.GetValueOrDefault(CertificateValidator.Hex(certificate));

    /// <summary>The security server that hosts <paramref name="subsystem"/>, or null.</summary>
    public SecurityServerEntry? FindServerHosting(ClientId subsystem) => _serverByClient.GetValueOrDefault(subsystem);

    public bool IsRouterCertificate(X509Certificate2 certificate) => _routerCerts.Contains(CertificateValidator.Hex(certificate));

    public bool IsRegisteredSubsystem(ClientId subsystem) => _subsystems.Contains(subsystem);

    /// <summary>True when the group lists the client itself or, for a subsystem, its member.</summary>
    public bool IsInGroup(string groupCode, ClientId client) =>
        _groups.TryGetValue(groupCode, out var members) && (members.Contains(client) || members.Contains(client.Member));

    public bool Hosts(SecurityServerEntry server, ClientId client) =>
        _serverByClient.TryGetValue(client, out var host) && ReferenceEquals(host, server);
}
