using Broker.Cryptography.Signing;
using Broker.Cryptography.X509;
using Broker.Pki.Authority;
using Broker.Protocol.Identifiers;

namespace Broker.Benchmarks;

/// <summary>
/// A PKI made at benchmark setup: a root CA (ECDSA P-256), a member's signing certificate issued by it, the software
/// signing key that embeds the chain (signer, root), and a validator that trusts only that root.
/// </summary>
internal sealed class BenchmarkPki : IDisposable
{
    public static readonly ClientId Member = ClientId.Parse("MN/GOV/LAND");

    public BenchmarkPki()
    {
        Authority = CertificateAuthority.CreateRoot("Benchmark Root");
        using var signing = Authority.IssueSigning(Member, "Land");
        Key = new SoftwareSigningKey(signing, [Authority.Certificate]);
        Validator = new CertificateValidator([Authority.Certificate], TimeProvider.System);
    }

    public CertificateAuthority Authority { get; }

    public SoftwareSigningKey Key { get; }

    public CertificateValidator Validator { get; }

    public void Dispose()
    {
        Key.Dispose();
        Key.Certificate.Dispose();
        Authority.Certificate.Dispose();
    }
}
