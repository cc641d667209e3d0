using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Broker.Cryptography.Signing;

namespace Broker.Cryptography.Xml;

/// <summary>
/// Produces Broker's detached XML-DSig signature documents: one reference to a manifest (in <c>ds:Object</c>) that
/// lists each part's SHA-512 digest and the signing time; the signer's certificate chain in <c>KeyInfo</c>.
/// The canonical forms are written directly, so signing costs one SHA-256 and one signature operation.
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

    /// <summary>Signs the parts; returns the UTF-8 signature document.</summary>
    public byte[] Write(DateTimeOffset signingTime, IReadOnlyList<SignedPart> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var entries = new (string, string, string)[parts.Count];
        for (var i = 0; i < parts.Count; i++)
        {
            entries[i] = (parts[i].Name, XmlDsig.Sha512, Convert.ToBase64String(parts[i].Digest.Span));
        }

        var builder = new StringBuilder(2048 + _keyInfo.Length);
        CanonicalXml.Manifest(builder, FormatTime(signingTime), entries);
        var manifest = Encoding.UTF8.GetBytes(builder.ToString());
        builder.Clear();

        CanonicalXml.SignedInfo(builder, _key.SignatureMethod, Convert.ToBase64String(SHA256.HashData(manifest)));
        var signedInfo = Encoding.UTF8.GetBytes(builder.ToString());
        var signatureValue = Convert.ToBase64String(_key.Sign(signedInfo));

        // the document embeds the canonical forms verbatim (the redundant default namespace declarations are legal XML)
        builder.Insert(0, "<Signature xmlns=\"" + XmlDsig.Namespace + "\">");
        builder.Append("<SignatureValue>").Append(signatureValue).Append("</SignatureValue>").Append(_keyInfo).Append("<Object>");
        var head = Encoding.UTF8.GetByteCount(builder.ToString());
        const string tail = "</Object></Signature>";
        var document = new byte[head + manifest.Length + tail.Length];
        Encoding.UTF8.GetBytes(builder.ToString(), document);
        manifest.CopyTo(document, head);
        Encoding.UTF8.GetBytes(tail, document.AsSpan(head + manifest.Length));
        return document;
    }

    internal static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
