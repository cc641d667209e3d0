using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Broker.Cryptography.Envelopes;
using Broker.Cryptography.Hashing;
using Broker.Cryptography.Signing;
using Broker.Cryptography.X509;
using Broker.Cryptography.Xml;
using Broker.Pki.Authority;
using Broker.Protocol.Envelopes;
using Broker.Protocol.Identifiers;

namespace Broker.Cryptography.Tests;

/// <summary>One signature over a hash tree of many messages: each message verifies alone, nothing else does.</summary>
public sealed partial class BatchSignatureTests
{
    private static readonly ClientId s_land = ClientId.Parse("MN/GOV/LAND");
    private static readonly CertificateAuthority s_ca = CertificateAuthority.CreateRoot("Test Root");
    private static readonly SoftwareSigningKey s_landKey = new(s_ca.IssueSigning(s_land, "Land"), [s_ca.Certificate]);
    private static readonly CertificateValidator s_validator = new([s_ca.Certificate], TimeProvider.System);

    [Fact]
    public void MerkleTree_EveryLeafOfEverySize_LeadsToTheRootAndNowhereElse()
    {
        var computed = new byte[MerkleTree.HashSize];
        for (var size = 1; size <= 33; size++)
        {
            var leaves = Enumerable.Range(0, size).Select(i => MerkleTree.LeafHash(BitConverter.GetBytes(i))).ToArray();
            var root = MerkleTree.Build(leaves, out var paths);
            for (var i = 0; i < size; i++)
            {
                Assert.True(MerkleTree.TryComputeRoot(leaves[i], i, size, paths[i], computed), $"size {size} leaf {i}");
                Assert.Equal(root, computed);
                Assert.True(paths[i].Length <= (int)Math.Ceiling(Math.Log2(size)));

                // another index, another leaf, or a changed sibling: not the root
                if (size > 1)
                {
                    var other = (i + 1) % size;
                    Assert.False(MerkleTree.TryComputeRoot(leaves[i], other, size, paths[i], computed) && computed.SequenceEqual(root), $"size {size} leaf {i} as {other}");
                    Assert.False(MerkleTree.TryComputeRoot(leaves[other], i, size, paths[i], computed) && computed.SequenceEqual(root));
                    var tampered = paths[i].Select(h => (byte[])h.Clone()).ToArray();
                    tampered[0][0] ^= 1;
                    Assert.False(MerkleTree.TryComputeRoot(leaves[i], i, size, tampered, computed) && computed.SequenceEqual(root));
                }
            }
        }
    }

    [Fact]
    public void MerkleTree_LeafAndNodeHashesDiffer_SoANodeCannotPassForAnItem()
    {
        var a = MerkleTree.LeafHash("a"u8);
        var b = MerkleTree.LeafHash("b"u8);
        var node = new byte[MerkleTree.HashSize];
        MerkleTree.NodeHash(a, b, node);
        Assert.NotEqual(node, MerkleTree.LeafHash([.. a, .. b]));
    }

    [Fact]
    public async Task SignAsync_ConcurrentMessages_EachEnvelopeVerifiesAlone()
    {
        using var signer = new EnvelopeSigner(new SignatureDocumentWriter(s_landKey), TimeProvider.System);
        var heads = Enumerable.Range(0, 40).Select(i => Encoding.UTF8.GetBytes($"GET\r\n/r1/MN/GOV/GASR/civil-registry/citizens/{i}\r\n")).ToArray();
        var signed = await Task.WhenAll(heads.Select(h => signer.SignAsync(EnvelopeKind.Request, h, "{}"u8.ToArray()).AsTask()));

        var verifier = new SignatureVerifier(s_validator);
        for (var i = 0; i < signed.Length; i++)
        {
            Assert.True(Envelope.TryParse(signed[i].Bytes, out var envelope));
            Assert.Equal(heads[i], envelope.Value.Head.ToArray());
            var check = EnvelopeVerifier.Verify(envelope.Value, s_land, verifier);
            Assert.True(check.IsValid, check.Signature.Error);
            Assert.True(SignedXmlVerifier.Verify(envelope.Value.Signature, s_land, s_validator).IsValid);
        }

        Assert.Equal(40, signer.Counts.Messages); // how many batches formed depends on timing; each message verified above
    }

    [Fact]
    public void Verify_SignatureValueReusedOverOtherSignedInfo_IsRejectedAfterTheGenuineVerified()
    {
        var verifier = new SignatureVerifier(s_validator);
        var genuine = Encoding.UTF8.GetString(new SignatureDocumentWriter(s_landKey).Write(
            DateTimeOffset.UtcNow, [new SignedPart("head", SHA512.HashData("GET\r\n/r1/a\r\n"u8))]));
        Assert.True(verifier.Verify(Encoding.UTF8.GetBytes(genuine), s_land).IsValid);

        // the attacker's own manifest as a batch of one, the batch digest recomputed, the genuine signature value kept
        var manifest = ManifestElement().Match(genuine).Value;
        var forgedManifest = manifest.Replace(ManifestDigest().Match(manifest).Groups[1].Value, Convert.ToBase64String(SHA512.HashData("DELETE\r\n/r1/a\r\n"u8)), StringComparison.Ordinal);
        var batch = BatchElement().Match(genuine).Value;
        var forgedBatch = RootElement().Replace(batch, "<Root Size=\"1\">" + Convert.ToBase64String(MerkleTree.LeafHash(Encoding.UTF8.GetBytes(forgedManifest))) + "</Root>");
        var forged = genuine
            .Replace(batch, forgedBatch, StringComparison.Ordinal)
            .Replace(manifest, forgedManifest, StringComparison.Ordinal)
            .Replace(DigestValue().Match(genuine).Groups[1].Value, Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(forgedBatch))), StringComparison.Ordinal);
        forged = PathElement().Replace(forged, "<Path xmlns=\"urn:broker:signature:1\" Index=\"0\"></Path>");

        var check = verifier.Verify(Encoding.UTF8.GetBytes(forged), s_land);
        Assert.Equal(SignatureFailure.Signature, check.Failure);
        Assert.Equal("the signature value does not verify", check.Error);
        Assert.True(verifier.Verify(Encoding.UTF8.GetBytes(genuine), s_land).IsValid);
    }

    [GeneratedRegex("<Manifest [^>]*>.*?</Manifest>")]
    private static partial Regex ManifestElement();

    [GeneratedRegex("Name=\"head\">([^<]+)<")]
    private static partial Regex ManifestDigest();

    [GeneratedRegex("<Batch [^>]*>.*?</Batch>")]
    private static partial Regex BatchElement();

    [GeneratedRegex("<Root Size=\"\\d+\">[^<]*</Root>")]
    private static partial Regex RootElement();

    [GeneratedRegex("<DigestValue>([^<]+)</DigestValue>")]
    private static partial Regex DigestValue();

    [GeneratedRegex("<Path [^>]*>.*?</Path>")]
    private static partial Regex PathElement();
}
