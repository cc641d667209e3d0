using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using Broker.Central.Timestamping;
using Broker.Cryptography.Envelopes;
using Broker.Cryptography.Signing;
using Broker.Cryptography.Xml;
using Broker.MessageLog.Trust;
using Broker.Pki.Authority;
using Broker.Protocol.Envelopes;
using Broker.Protocol.Identifiers;
using BcTimeStampResponse = Org.BouncyCastle.Tsp.TimeStampResponse;

namespace Broker.MessageLog.Tests.Fixtures;

/// <summary>
/// A PKI made at test time: an approved root CA with the signing keys of two members and an approved TSA; a second
/// TSA key the log does not approve; a rogue CA with its own TSA that issues certificates in the members' names.
/// </summary>
internal static class TestPki
{
    public static readonly ClientId MemberA = ClientId.Parse("MN/GOV/A");
    public static readonly ClientId MemberB = ClientId.Parse("MN/GOV/B");
    public static readonly ClientId Client = ClientId.Parse("MN/GOV/A/portal");
    public static readonly ServiceId Service = ServiceId.Parse("MN/GOV/B/registry/addresses");

    public static readonly CertificateAuthority Ca = CertificateAuthority.CreateRoot("Log Test Root");
    public static readonly CertificateAuthority RogueCa = CertificateAuthority.CreateRoot("Rogue Root");
    public static readonly SoftwareSigningKey KeyA = new(Ca.IssueSigning(MemberA, "A signing"), []);
    public static readonly SoftwareSigningKey KeyB = new(Ca.IssueSigning(MemberB, "B signing"), []);
    public static readonly SoftwareSigningKey RogueKeyA = new(RogueCa.IssueSigning(MemberA, "A signing (rogue)"), []);
    public static readonly SoftwareSigningKey RogueKeyB = new(RogueCa.IssueSigning(MemberB, "B signing (rogue)"), []);
    public static readonly TimestampAuthority RogueTsa = new(new SoftwareSigningKey(RogueCa.IssueTimestamping("Rogue TSA"), []), TimeProvider.System);
    public static readonly TimestampAuthority Tsa = new(new SoftwareSigningKey(Ca.IssueTimestamping("Log Test TSA"), []), TimeProvider.System);
    public static readonly TimestampAuthority OtherTsa = new(new SoftwareSigningKey(Ca.IssueTimestamping("Unapproved TSA"), []), TimeProvider.System);

    /// <summary>The approved CA and TSA (what the security server's trust folder holds).</summary>
    public static TrustAnchors Trust => new([Ca.Certificate], [Tsa.Certificate], "the test PKI");

    /// <summary>A forger's CA and TSA, as a forged container would carry them.</summary>
    public static TrustAnchors RogueTrust => new([RogueCa.Certificate], [RogueTsa.Certificate], "the rogue PKI");

    /// <summary>An RFC 3161 token over <paramref name="root"/> (the root itself is the hashed message).</summary>
    public static byte[] Stamp(byte[] root, TimestampAuthority? tsa = null)
    {
        var request = Rfc3161TimestampRequest.CreateFromHash(root, HashAlgorithmName.SHA256, nonce: RandomNumberGenerator.GetBytes(8), requestSignerCertificates: true);
        return new BcTimeStampResponse((tsa ?? Tsa).Respond(request.Encode())).TimeStampToken.GetEncoded();
    }

    /// <summary>The signature document over a head and body, as the security server signs them.</summary>
    public static byte[] Sign(ISigningKey key, EnvelopeKind kind, byte[] head, byte[] body)
    {
        using var signer = new EnvelopeSigner(new SignatureDocumentWriter(key), TimeProvider.System);
        var bytes = signer.Sign(kind, head, body).Bytes;
        Assert.True(Envelope.TryParse(bytes, out var envelope));
        return envelope.Value.Signature.ToArray();
    }
}
