namespace Broker.GlobalConfiguration.Model;

/// <summary>
/// What a node is given to trust its first global configuration (as X-Road's configuration anchor): where to fetch
/// it, the certificate(s) allowed to sign it, and the CA that the configuration server's TLS certificate chains to.
/// </summary>
public sealed record ConfigurationAnchor(
    string InstanceIdentifier,
    string Url,
    IReadOnlyList<string> VerificationCertificates,
    IReadOnlyList<string> TlsTrustCertificates);

/// <summary>What the configuration endpoint returns: the exact JSON bytes and their detached CMS signature (both base64).</summary>
public sealed record PublishedConfiguration(string Content, string Signature);
