using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Broker.Cryptography.Hashing;
using Broker.Cryptography.Signing;

namespace Broker.Cryptography.Xml;

/// <summary>
/// Produces Broker's detached XML-DSig signature documents. The one reference points at a batch object (signing time,
/// root of a hash tree over the batch's manifests); each message's document also carries its manifest (each part's
/// SHA-512 digest) and the manifest's path to that root; the signer's certificate chain is in <c>KeyInfo</c>.
/// The canonical forms are written directly, so a batch costs a few SHA-256 and one signature operation.
/// </summary>
public sealed class SignatureDocumentWriter
{
    private readonly ISigningKey _key;
    private readonly string _keyInfo;

    public SignatureDocumentWriter(ISigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key;
        var keyInfo = new StringBuilder("<KeyInfo><X509Data>");
        foreach (var certificate in key.Chain)
        {
            keyInfo.Append("<X509Certificate>").Append(Convert.ToBase64String(certificate.RawData)).Append("</X509Certificate>");
        }

        _keyInfo = keyInfo.Append("</X509Data></KeyInfo>").ToString();
    }

    public ISigningKey Key => _key;

    /// <summary>Signs one message's parts; returns the UTF-8 signature document (a batch of one).</summary>
    public byte[] Write(DateTimeOffset signingTime, IReadOnlyList<SignedPart> parts) => Write(signingTime, [parts])[0];

    /// <summary>
    /// Signs a batch of messages with one signature over the root of a hash tree of their manifests; returns one
    /// self-contained signature document per message (the signed batch object plus its own manifest and path).
    /// </summary>
    public byte[][] Write(DateTimeOffset signingTime, IReadOnlyList<IReadOnlyList<SignedPart>> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var builder = new StringBuilder(2048 + _keyInfo.Length);
        var manifests = new string[messages.Count];
        var leaves = new byte[messages.Count][];
        for (var m = 0; m < messages.Count; m++)
        {
            var parts = messages[m];
            var entries = new (string, string, string)[parts.Count];
            for (var i = 0; i < parts.Count; i++)
            {
                entries[i] = (parts[i].Name, XmlDsig.Sha512, Convert.ToBase64String(parts[i].Digest.Span));
            }

            builder.Clear();
            CanonicalXml.Manifest(builder, entries);
            manifests[m] = builder.ToString();
            leaves[m] = MerkleTree.LeafHash(Encoding.UTF8.GetBytes(manifests[m]));
        }

        var root = MerkleTree.Build(leaves, out var paths);
        builder.Clear();
        CanonicalXml.Batch(builder, FormatTime(signingTime), Convert.ToBase64String(root), messages.Count);
        var batch = builder.ToString();
        builder.Clear();
        CanonicalXml.SignedInfo(builder, _key.SignatureMethod, Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(batch))));
        var signedInfo = builder.ToString();
        var signatureValue = Convert.ToBase64String(_key.Sign(Encoding.UTF8.GetBytes(signedInfo)));

        // the documents embed the canonical forms verbatim (the redundant default namespace declarations are legal XML)
        var shared = "<Signature xmlns=\"" + XmlDsig.Namespace + "\">" + signedInfo + "<SignatureValue>" + signatureValue + "</SignatureValue>"
            + _keyInfo + "<Object>" + batch + "</Object><Object>";
        var documents = new byte[messages.Count][];
        for (var m = 0; m < messages.Count; m++)
        {
            builder.Clear();
            builder.Append(shared).Append(manifests[m]);
            CanonicalXml.Path(builder, m, paths[m]);
            documents[m] = Encoding.UTF8.GetBytes(builder.Append("</Object></Signature>").ToString());
        }

        return documents;
    }

    internal static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
