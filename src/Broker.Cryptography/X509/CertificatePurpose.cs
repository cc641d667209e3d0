namespace Broker.Cryptography.X509;

/// <summary>What a certificate is checked for; each purpose has its own key-usage rules.</summary>
public enum CertificatePurpose
{
    /// <summary>Signing messages: non-repudiation key usage, names a member.</summary>
    Signing,

    /// <summary>A TLS client (node authentication): clientAuth extended key usage.</summary>
    TlsClient,

    /// <summary>A TLS server: serverAuth extended key usage.</summary>
    TlsServer,
}
