using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Xml;

namespace Broker.Cryptography.Xml;

/// <summary>
/// A signature document read under Broker's fixed profile. Reading is strict: anything outside the profile
/// (another algorithm, a second reference, an extra attribute, whitespace or prefixes inside the signed parts,
/// a DTD) is refused, so the canonical bytes rebuilt here are exactly what any XML-DSig verifier computes.
/// </summary>
public sealed class SignatureDocument
{
    public const int MaxCertificates = 8;
    public const int MaxParts = 8;

    private SignatureDocument()
    {
    }

    public string SignatureMethod { get; private set; } = "";

    public string DigestValue { get; private set; } = "";

    public byte[] SignatureValue { get; private set; } = [];

    /// <summary>The embedded certificates, base64 DER, signer first.</summary>
    public IReadOnlyList<string> Certificates { get; private set; } = [];

    public string SigningTimeText { get; private set; } = "";

    public DateTimeOffset SigningTime { get; private set; }

    public IReadOnlyList<(string Name, string DigestMethod, string Digest)> Parts { get; private set; } = [];

    /// <summary>The exclusive-c14n form of <c>SignedInfo</c>: the bytes the signature value signs.</summary>
    public byte[] CanonicalSignedInfo()
    {
        var b = new StringBuilder(1024);
        CanonicalXml.SignedInfo(b, SignatureMethod, DigestValue);
        return Encoding.UTF8.GetBytes(b.ToString());
    }

    /// <summary>The exclusive-c14n form of the manifest: the bytes the reference digests.</summary>
    public byte[] CanonicalManifest()
    {
        var b = new StringBuilder(1024);
        CanonicalXml.Manifest(b, SigningTimeText, Parts);
        return Encoding.UTF8.GetBytes(b.ToString());
    }

    /// <summary>The digest of a named part, or null when the manifest does not list it.</summary>
    public byte[]? GetPartDigest(string name)
    {
        foreach (var part in Parts)
        {
            if (string.Equals(part.Name, name, StringComparison.Ordinal))
            {
                return TryBase64(part.Digest);
            }
        }

        return null;
    }

    public static bool TryParse(ReadOnlyMemory<byte> utf8, [NotNullWhen(true)] out SignatureDocument? document, [NotNullWhen(false)] out string? error)
    {
        document = null;
        var stream = MemoryMarshal.TryGetArray(utf8, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(utf8.ToArray(), writable: false);
        try
        {
            using var reader = XmlReader.Create(stream, XmlDsig.SafeReaderSettings());
            var result = new SignatureDocument();
            error = result.Read(new StrictReader(reader));
            document = error is null ? result : null;
            return error is null;
        }
        catch (XmlException e)
        {
            error = "the signature document is not well-formed XML: " + e.Message;
            return false;
        }
    }

    private string? Read(StrictReader r)
    {
        if (!r.Start("Signature", XmlDsig.Namespace, allowWhitespace: true) || !r.NoAttributes())
        {
            return r.Error ?? "the root element is not an XML-DSig Signature";
        }

        // SignedInfo: the signed bytes, strict
        if (!r.Start("SignedInfo", XmlDsig.Namespace, allowWhitespace: true) || !r.NoAttributes()
            || !r.Empty("CanonicalizationMethod", XmlDsig.Namespace, "Algorithm", out var c14n)
            || !r.Empty("SignatureMethod", XmlDsig.Namespace, "Algorithm", out var signatureMethod)
            || !r.Start("Reference", XmlDsig.Namespace) || !r.OnlyAttribute("URI", out var uri)
            || !r.Start("Transforms", XmlDsig.Namespace) || !r.NoAttributes()
            || !r.Empty("Transform", XmlDsig.Namespace, "Algorithm", out var transform)
            || !r.End()
            || !r.Empty("DigestMethod", XmlDsig.Namespace, "Algorithm", out var digestMethod)
            || !r.TextElement("DigestValue", XmlDsig.Namespace, out var digestValue)
            || !r.End() || !r.End(allowWhitespace: true))
        {
            return r.Error ?? "SignedInfo does not follow the signature profile";
        }

        if (c14n != XmlDsig.ExcC14n || transform != XmlDsig.ExcC14n || digestMethod != XmlDsig.Sha256
            || uri != "#" + XmlDsig.ManifestId || signatureMethod is not (XmlDsig.EcdsaSha256 or XmlDsig.RsaSha256))
        {
            return "SignedInfo uses an algorithm or reference outside the signature profile";
        }

        SignatureMethod = signatureMethod;
        DigestValue = digestValue;

        if (!r.TextElement("SignatureValue", XmlDsig.Namespace, out var signatureValue, allowWhitespace: true))
        {
            return r.Error ?? "SignatureValue is missing";
        }

        SignatureValue = TryBase64(signatureValue) ?? [];
        if (SignatureValue.Length == 0)
        {
            return "SignatureValue is not base64";
        }

        if (!r.Start("KeyInfo", XmlDsig.Namespace, allowWhitespace: true) || !r.NoAttributes()
            || !r.Start("X509Data", XmlDsig.Namespace, allowWhitespace: true) || !r.NoAttributes())
        {
            return r.Error ?? "KeyInfo/X509Data is missing";
        }

        var certificates = new List<string>(2);
        while (r.PeekStart("X509Certificate", XmlDsig.Namespace, allowWhitespace: true))
        {
            if (certificates.Count == MaxCertificates || !r.TextElement("X509Certificate", XmlDsig.Namespace, out var cert, allowWhitespace: true))
            {
                return r.Error ?? "too many certificates in KeyInfo";
            }

            certificates.Add(cert);
        }

        if (certificates.Count == 0 || !r.End(allowWhitespace: true) || !r.End(allowWhitespace: true))
        {
            return r.Error ?? "KeyInfo holds no certificate";
        }

        Certificates = certificates;

        // the manifest: the referenced bytes, strict
        if (!r.Start("Object", XmlDsig.Namespace, allowWhitespace: true) || !r.NoAttributes()
            || !r.Start("Manifest", XmlDsig.ManifestNamespace) || !r.OnlyAttribute("Id", out var id) || id != XmlDsig.ManifestId
            || !r.TextElement("SigningTime", XmlDsig.ManifestNamespace, out var signingTime))
        {
            return r.Error ?? "the manifest does not follow the signature profile";
        }

        if (!DateTimeOffset.TryParseExact(signingTime, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return "the signing time is malformed";
        }

        SigningTimeText = signingTime;
        SigningTime = time;
        var parts = new List<(string, string, string)>(2);
        while (r.PeekStart("Part", XmlDsig.ManifestNamespace))
        {
            if (parts.Count == MaxParts || !r.Start("Part", XmlDsig.ManifestNamespace)
                || !r.TwoAttributes("DigestMethod", out var partDigestMethod, "Name", out var name)
                || !r.Text(out var digest) || !r.End())
            {
                return r.Error ?? "a manifest part does not follow the signature profile";
            }

            if (partDigestMethod != XmlDsig.Sha512)
            {
                return "a manifest part uses a digest outside the signature profile";
            }

            parts.Add((name, partDigestMethod, digest));
        }

        Parts = parts;
        if (parts.Count == 0 || !r.End() || !r.End(allowWhitespace: true) || !r.End(allowWhitespace: true) || !r.AtEnd())
        {
            return r.Error ?? "unexpected content after the manifest";
        }

        return null;
    }

    internal static byte[]? TryBase64(string text)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
