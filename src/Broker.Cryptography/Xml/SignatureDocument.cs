using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using Broker.Cryptography.Hashing;

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

    /// <summary>The signature value as written (base64).</summary>
    public string SignatureValueText { get; private set; } = "";

    /// <summary>The embedded certificates, base64 DER, signer first.</summary>
    public IReadOnlyList<string> Certificates { get; private set; } = [];

    public string SigningTimeText { get; private set; } = "";

    public DateTimeOffset SigningTime { get; private set; }

    /// <summary>The root of the batch's hash tree (base64), as signed.</summary>
    public string BatchRoot { get; private set; } = "";

    /// <summary>How many messages the signature covers, as signed.</summary>
    public int BatchSize { get; private set; }

    /// <summary>This message's place in the batch (not signed; a wrong one yields a wrong root).</summary>
    public int BatchIndex { get; private set; }

    /// <summary>The sibling hashes from this message's manifest up to the root.</summary>
    public IReadOnlyList<byte[]> BatchPath { get; private set; } = [];

    public IReadOnlyList<(string Name, string DigestMethod, string Digest)> Parts { get; private set; } = [];

    /// <summary>The exclusive-c14n form of <c>SignedInfo</c>: the bytes the signature value signs.</summary>
    public byte[] CanonicalSignedInfo()
    {
        var b = new StringBuilder(1024);
        CanonicalXml.SignedInfo(b, SignatureMethod, DigestValue);
        return Encoding.UTF8.GetBytes(b.ToString());
    }

    /// <summary>The exclusive-c14n form of the batch object: the bytes the reference digests.</summary>
    public byte[] CanonicalBatch()
    {
        var b = new StringBuilder(256);
        CanonicalXml.Batch(b, SigningTimeText, BatchRoot, BatchSize);
        return Encoding.UTF8.GetBytes(b.ToString());
    }

    /// <summary>The exclusive-c14n form of this message's manifest: the leaf of the batch tree.</summary>
    public byte[] CanonicalManifest()
    {
        var b = new StringBuilder(512);
        CanonicalXml.Manifest(b, Parts);
        return Encoding.UTF8.GetBytes(b.ToString());
    }

    /// <summary>True when this message's manifest, by its path, leads to the signed root.</summary>
    public bool ManifestIsInBatch(ReadOnlySpan<byte> canonicalManifest)
    {
        var signedRoot = TryBase64(BatchRoot);
        Span<byte> root = stackalloc byte[MerkleTree.HashSize];
        return signedRoot is { Length: MerkleTree.HashSize }
            && MerkleTree.TryComputeRoot(MerkleTree.LeafHash(canonicalManifest), BatchIndex, BatchSize, BatchPath, root)
            && CryptographicOperations.FixedTimeEquals(root, signedRoot);
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
            || uri != "#" + XmlDsig.BatchId || signatureMethod is not (XmlDsig.EcdsaSha256 or XmlDsig.RsaSha256))
        {
            return "SignedInfo uses an algorithm or reference outside the signature profile";
        }

        SignatureMethod = signatureMethod;
        DigestValue = digestValue;

        if (!r.TextElement("SignatureValue", XmlDsig.Namespace, out var signatureValue, allowWhitespace: true))
        {
            return r.Error ?? "SignatureValue is missing";
        }

        SignatureValueText = signatureValue;
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

        // the batch: the referenced bytes, strict
        if (!r.Start("Object", XmlDsig.Namespace, allowWhitespace: true) || !r.NoAttributes()
            || !r.Start("Batch", XmlDsig.ManifestNamespace) || !r.OnlyAttribute("Id", out var id) || id != XmlDsig.BatchId
            || !r.TextElement("SigningTime", XmlDsig.ManifestNamespace, out var signingTime)
            || !r.Start("Root", XmlDsig.ManifestNamespace) || !r.OnlyAttribute("Size", out var sizeText) || !r.Text(out var root) || !r.End()
            || !r.End() || !r.End(allowWhitespace: true))
        {
            return r.Error ?? "the batch object does not follow the signature profile";
        }

        if (!DateTimeOffset.TryParseExact(signingTime, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return "the signing time is malformed";
        }

        // canonical decimal only (no sign, no leading zero), so the rebuilt batch object is byte-identical
        if (!int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size < 1
            || size.ToString(CultureInfo.InvariantCulture) != sizeText)
        {
            return "the batch size is malformed";
        }

        SigningTimeText = signingTime;
        SigningTime = time;
        BatchRoot = root;
        BatchSize = size;

        // this message's manifest (a leaf of the batch tree) and its path to the root
        if (!r.Start("Object", XmlDsig.Namespace, allowWhitespace: true) || !r.NoAttributes()
            || !r.Start("Manifest", XmlDsig.ManifestNamespace) || !r.NoAttributes())
        {
            return r.Error ?? "the manifest does not follow the signature profile";
        }

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
        if (parts.Count == 0 || !r.End())
        {
            return r.Error ?? "the manifest lists no part";
        }

        if (!r.Start("Path", XmlDsig.ManifestNamespace) || !r.OnlyAttribute("Index", out var indexText)
            || !int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= size)
        {
            return r.Error ?? "the manifest's path in the batch is missing or malformed";
        }

        var path = new List<byte[]>(4);
        while (r.PeekStart("Hash", XmlDsig.ManifestNamespace))
        {
            if (path.Count == MerkleTree.MaxPathLength || !r.TextElement("Hash", XmlDsig.ManifestNamespace, out var hash))
            {
                return r.Error ?? "the path is too long";
            }

            var bytes = TryBase64(hash);
            if (bytes is not { Length: MerkleTree.HashSize })
            {
                return "a path hash is not a base64 SHA-256 value";
            }

            path.Add(bytes);
        }

        BatchIndex = index;
        BatchPath = path;
        if (!r.End() || !r.End(allowWhitespace: true) || !r.End(allowWhitespace: true) || !r.AtEnd())
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
