using System.Globalization;
using System.Text;

namespace Broker.Cryptography.Xml;

/// <summary>
/// Writes the exclusive-c14n form of Broker's fixed signature profile directly (no general canonicaliser on the hot
/// path): elements with explicit end tags, the default namespace declared on the apex element only, attributes in
/// c14n order, text and attribute values escaped as c14n escapes them. <see cref="SignedXmlVerifier"/> proves that
/// standard XML-DSig processing arrives at the same bytes.
/// </summary>
internal static class CanonicalXml
{
    public static void SignedInfo(StringBuilder b, string signatureMethod, string digestValue)
    {
        b.Append("<SignedInfo xmlns=\"").Append(XmlDsig.Namespace).Append("\">");
        b.Append("<CanonicalizationMethod Algorithm=\"").Append(XmlDsig.ExcC14n).Append("\"></CanonicalizationMethod>");
        b.Append("<SignatureMethod Algorithm=\"");
        Attribute(b, signatureMethod);
        b.Append("\"></SignatureMethod>");
        b.Append("<Reference URI=\"#").Append(XmlDsig.BatchId).Append("\"><Transforms><Transform Algorithm=\"")
            .Append(XmlDsig.ExcC14n).Append("\"></Transform></Transforms>");
        b.Append("<DigestMethod Algorithm=\"").Append(XmlDsig.Sha256).Append("\"></DigestMethod>");
        b.Append("<DigestValue>");
        Text(b, digestValue);
        b.Append("</DigestValue></Reference></SignedInfo>");
    }

    /// <summary>The signed object: when it was signed and the root of the batch's hash tree over the manifests.</summary>
    public static void Batch(StringBuilder b, string signingTime, string root, int size)
    {
        b.Append("<Batch xmlns=\"").Append(XmlDsig.ManifestNamespace).Append("\" Id=\"").Append(XmlDsig.BatchId).Append("\">");
        b.Append("<SigningTime>");
        Text(b, signingTime);
        b.Append("</SigningTime><Root Size=\"").Append(size.ToString(CultureInfo.InvariantCulture)).Append("\">");
        Text(b, root);
        b.Append("</Root></Batch>");
    }

    /// <summary>One message's parts: a leaf of the batch's hash tree.</summary>
    public static void Manifest(StringBuilder b, IReadOnlyList<(string Name, string DigestMethod, string Digest)> parts)
    {
        b.Append("<Manifest xmlns=\"").Append(XmlDsig.ManifestNamespace).Append("\">");
        foreach (var (name, digestMethod, digest) in parts)
        {
            // c14n orders attributes by name: DigestMethod before Name
            b.Append("<Part DigestMethod=\"");
            Attribute(b, digestMethod);
            b.Append("\" Name=\"");
            Attribute(b, name);
            b.Append("\">");
            Text(b, digest);
            b.Append("</Part>");
        }

        b.Append("</Manifest>");
    }

    /// <summary>The manifest's place in the batch and the sibling hashes up to the root (not signed: checked against the root).</summary>
    public static void Path(StringBuilder b, int index, IReadOnlyList<byte[]> siblings)
    {
        b.Append("<Path xmlns=\"").Append(XmlDsig.ManifestNamespace).Append("\" Index=\"").Append(index.ToString(CultureInfo.InvariantCulture)).Append("\">");
        foreach (var sibling in siblings)
        {
            b.Append("<Hash>").Append(Convert.ToBase64String(sibling)).Append("</Hash>");
        }

        b.Append("</Path>");
    }

    public static void Text(StringBuilder b, string value)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '&' => b.Append("&amp;"),
                '<' => b.Append("&lt;"),
                '>' => b.Append("&gt;"),
                '\r' => b.Append("&#xD;"),
                _ => b.Append(c),
            };
        }
    }

    public static void Attribute(StringBuilder b, string value)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '&' => b.Append("&amp;"),
                '<' => b.Append("&lt;"),
                '"' => b.Append("&quot;"),
                '\t' => b.Append("&#x9;"),
                '\n' => b.Append("&#xA;"),
                '\r' => b.Append("&#xD;"),
                _ => b.Append(c),
            };
        }
    }
}
