using System.Security.Cryptography;
using System.Text;
using Broker.Cryptography.Envelopes;
using Broker.Cryptography.Signing;
using Broker.Cryptography.X509;
using Broker.Cryptography.Xml;
using Broker.Pki.Authority;
using Broker.Protocol.Envelopes;
using Broker.Protocol.Identifiers;

namespace Broker.Cryptography.Tests;

/// <summary>The fixed-profile fast path and standard SignedXml agree on every document, valid or hostile.</summary>
public sealed class SignatureProfileTests
{
    private static readonly ClientId s_land = ClientId.Parse("MN/GOV/LAND");
    private static readonly ClientId s_gasr = ClientId.Parse("MN/GOV/GASR");
    private static readonly CertificateAuthority s_ca = CertificateAuthority.CreateRoot("Test Root");
    private static readonly CertificateAuthority s_rogue = CertificateAuthority.CreateRoot("Rogue Root");
    private static readonly SoftwareSigningKey s_landKey = new(s_ca.IssueSigning(s_land, "Land"), [s_ca.Certificate]);
    private static readonly SoftwareSigningKey s_gasrKey = new(s_ca.IssueSigning(s_gasr, "GASR"), [s_ca.Certificate]);
    private static readonly SoftwareSigningKey s_rogueLandKey = new(s_rogue.IssueSigning(s_land, "Land"), [s_rogue.Certificate]);
    private static readonly CertificateValidator s_validator = new([s_ca.Certificate], TimeProvider.System);

    private static string Sign(ISigningKey key) =>
        Encoding.UTF8.GetString(new SignatureDocumentWriter(key).Write(
            DateTimeOffset.UtcNow,
            [new SignedPart("head", SHA512.HashData("GET\r\n/r1/x\r\n"u8)), new SignedPart("body", SHA512.HashData("{}"u8))]));

    private static string[] SignBatch(ISigningKey key, int count) =>
        new SignatureDocumentWriter(key).Write(
            DateTimeOffset.UtcNow,
            Enumerable.Range(0, count).Select(i => (IReadOnlyList<SignedPart>)[new SignedPart("head", SHA512.HashData(Encoding.UTF8.GetBytes($"GET\r\n/r1/x/{i}\r\n")))]).ToList())
        .Select(Encoding.UTF8.GetString).ToArray();

    private static readonly Lazy<List<(string Document, bool Expected)>> s_documents = new(BuildDocuments);

    // theory rows are indices: the documents are signed in the test process by this run's CA, not at discovery
    public static TheoryData<int, bool> Documents()
    {
        var data = new TheoryData<int, bool>();
        for (var i = 0; i < 22; i++)
        {
            data.Add(i, i < 4);
        }

        return data;
    }

    private static List<(string, bool)> BuildDocuments()
    {
        var valid = Sign(s_landKey);
        var other = Sign(s_gasrKey);
        var batch = SignBatch(s_landKey, 3);
        static string Element(string doc, string name)
        {
            var start = doc.IndexOf("<" + name + " ", StringComparison.Ordinal);
            return doc[start..(doc.IndexOf("</" + name + ">", start, StringComparison.Ordinal) + name.Length + 3)];
        }

        string Cert(string doc) => doc[(doc.IndexOf("<X509Certificate>", StringComparison.Ordinal) + 17)..doc.IndexOf("</X509Certificate>", StringComparison.Ordinal)];
        string Digest(string doc) => doc[(doc.IndexOf("Name=\"head\">", StringComparison.Ordinal) + 12)..][..88];
        var data = new List<(string, bool)>
        {
            (valid, true),
            (valid.Replace("<SignatureValue>", "\n  <SignatureValue>", StringComparison.Ordinal).Replace("<Object>", "\n<Object>", StringComparison.Ordinal), true),
            (valid.Replace("#\"></CanonicalizationMethod>", "#\"/>", StringComparison.Ordinal), true),
            (batch[1], true), // the middle one of a batch of three: one signature, its own manifest and path
            (valid.Replace(Digest(valid), (Digest(valid)[0] == 'A' ? "B" : "A") + Digest(valid)[1..], StringComparison.Ordinal), false),
            (valid.Replace("<SigningTime>20", "<SigningTime>19", StringComparison.Ordinal), false),
            (valid.Replace("<SignatureValue>", "<SignatureValue>AAAA", StringComparison.Ordinal), false),
            (valid.Replace("<SignatureValue>", "<SignatureValue>" + ((char)0).ToString(), StringComparison.Ordinal), false),
            (valid.Replace(Cert(valid), Cert(other), StringComparison.Ordinal), false),
            (valid.Replace("<Reference", "\n<Reference", StringComparison.Ordinal), false),
            (valid.Replace("<Part ", "<Part Extra=\"1\" ", StringComparison.Ordinal), false),
            (valid.Replace("<Object>", "<Object><Manifest xmlns=\"urn:broker:signature:1\"></Manifest></Object><Object>", StringComparison.Ordinal), false),
            ("<!DOCTYPE x [<!ENTITY e \"e\">]>" + valid, false),
            (valid.Replace("<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">", "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">", StringComparison.Ordinal), false),
            (Sign(s_rogueLandKey), false),
            (other, false), // valid signature, but by GASR where LAND is named
            (batch[1].Replace(Element(batch[1], "Path"), Element(batch[0], "Path"), StringComparison.Ordinal), false), // another message's path
            (batch[1].Replace(Element(batch[1], "Manifest"), Element(batch[0], "Manifest"), StringComparison.Ordinal), false), // another message's manifest
            (batch[2].Replace("Index=\"2\"", "Index=\"0\"", StringComparison.Ordinal), false),
            (batch[1].Replace("Size=\"3\"", "Size=\"4\"", StringComparison.Ordinal), false),
            (batch[1].Replace("</Path>", "<Hash>" + Convert.ToBase64String(new byte[32]) + "</Hash></Path>", StringComparison.Ordinal), false),
            (batch[1].Replace("<Object><Batch", "<Object><Batch xmlns=\"urn:broker:signature:1\" Id=\"batch\"><SigningTime>2020-01-01T00:00:00.000Z</SigningTime><Root Size=\"1\">AAAA</Root></Batch></Object><Object><Batch", StringComparison.Ordinal), false), // wrapping
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void FastVerifierAndSignedXml_AgreeOnVerdict(int row, bool expected)
    {
        var (document, listed) = s_documents.Value[row];
        Assert.Equal(listed, expected);
        var bytes = Encoding.UTF8.GetBytes(document);
        var fast = new SignatureVerifier(s_validator).Verify(bytes, s_land);
        var reference = SignedXmlVerifier.Verify(bytes, s_land, s_validator);
        Assert.True(expected == fast.IsValid, $"fast: {fast.Failure} {fast.Error}");
        Assert.True(expected == reference.IsValid, $"SignedXml: {reference.Failure} {reference.Error}");
    }

    [Fact]
    public void Verify_SignatureOfAnotherMember_IsCertificateFailure()
    {
        var check = new SignatureVerifier(s_validator).Verify(Encoding.UTF8.GetBytes(Sign(s_gasrKey)), s_land);
        Assert.Equal(SignatureFailure.Certificate, check.Failure);
        Assert.Contains("MN/GOV/GASR", check.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_UntrustedCa_IsCertificateFailure()
    {
        var check = new SignatureVerifier(s_validator).Verify(Encoding.UTF8.GetBytes(Sign(s_rogueLandKey)), s_land);
        Assert.Equal(SignatureFailure.Certificate, check.Failure);
    }

    [Fact]
    public void Envelope_SignedThenTampered_IsRejectedPerPart()
    {
        var signer = new EnvelopeSigner(new SignatureDocumentWriter(s_landKey), TimeProvider.System);
        var head = "GET\r\n/r1/MN/GOV/GASR/civil-registry/citizens\r\n"u8.ToArray();
        var signed = signer.Sign(EnvelopeKind.Request, head, "{\"a\":1}"u8.ToArray());
        Assert.True(Envelope.TryParse(signed.Bytes, out var envelope));
        Assert.True(EnvelopeVerifier.Verify(envelope.Value, s_land, new SignatureVerifier(s_validator)).IsValid);

        var tamperedBody = (byte[])signed.Bytes.Clone();
        tamperedBody[Envelope.PreambleLength + Envelope.FrameHeaderLength + head.Length + Envelope.FrameHeaderLength + 2] ^= 1;
        Assert.True(Envelope.TryParse(tamperedBody, out var badBody));
        var bodyCheck = EnvelopeVerifier.Verify(badBody.Value, s_land, new SignatureVerifier(s_validator));
        Assert.False(bodyCheck.IsValid);
        Assert.Contains("body", bodyCheck.Signature.Error, StringComparison.Ordinal);

        var tamperedHead = (byte[])signed.Bytes.Clone();
        tamperedHead[Envelope.PreambleLength + Envelope.FrameHeaderLength + 1] ^= 1;
        Assert.True(Envelope.TryParse(tamperedHead, out var badHead));
        Assert.False(EnvelopeVerifier.Verify(badHead.Value, s_land, new SignatureVerifier(s_validator)).IsValid);
    }
}
