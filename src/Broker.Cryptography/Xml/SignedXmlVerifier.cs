using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using Broker.Cryptography.Hashing;
using Broker.Cryptography.X509;
using Broker.Protocol.Identifiers;

namespace Broker.Cryptography.Xml;

/// <summary>
/// Verifies a signature document with the general <see cref="SignedXml"/> machinery instead of the fixed profile:
/// for auditors and for tests that prove the fast path agrees with standard XML-DSig. It defends against signature
/// wrapping: exactly one reference, to the one batch object, from which the root is read; the one manifest must lead to
/// that root by its path.
/// </summary>
public static class SignedXmlVerifier
{
    private static readonly Lock s_registration = new();
    private static bool s_registered;

    public static SignatureCheck Verify(ReadOnlyMemory<byte> signatureDocument, ClientId expectedMember, CertificateValidator validator)
    {
        ArgumentNullException.ThrowIfNull(expectedMember);
        ArgumentNullException.ThrowIfNull(validator);
        EnsureEcdsaRegistered();
        var xml = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        try
        {
            using var stream = new MemoryStream(signatureDocument.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, XmlDsig.SafeReaderSettings());
            xml.Load(reader);
        }
        catch (XmlException e)
        {
            return SignatureCheck.Fail(SignatureFailure.Malformed, "not well-formed XML: " + e.Message);
        }

        var root = xml.DocumentElement;
        if (root is null || root.LocalName != "Signature" || root.NamespaceURI != XmlDsig.Namespace)
        {
            return SignatureCheck.Fail(SignatureFailure.Malformed, "the root element is not an XML-DSig Signature");
        }

        var signed = new SignedXml(xml);
        try
        {
            signed.LoadXml(root);
        }
        catch (CryptographicException e)
        {
            return SignatureCheck.Fail(SignatureFailure.Malformed, e.Message);
        }

        if (signed.SignedInfo is null || signed.SignedInfo.References.Count != 1
            || signed.SignedInfo.References[0] is not Reference { Uri: "#" + XmlDsig.BatchId })
        {
            return SignatureCheck.Fail(SignatureFailure.Malformed, "the signature must hold exactly one reference, to #batch");
        }

        // the element the reference resolves to must be the one batch object we read the root from (wrapping defence)
        var manager = new XmlNamespaceManager(xml.NameTable);
        manager.AddNamespace("ds", XmlDsig.Namespace);
        manager.AddNamespace("m", XmlDsig.ManifestNamespace);
        var withId = xml.SelectNodes("//*[@Id='" + XmlDsig.BatchId + "' or @id='" + XmlDsig.BatchId + "' or @ID='" + XmlDsig.BatchId + "']");
        var batches = root.SelectNodes("ds:Object/m:Batch", manager);
        var manifests = root.SelectNodes("ds:Object/m:Manifest", manager);
        var paths = root.SelectNodes("ds:Object/m:Path", manager);
        if (withId is not { Count: 1 } || batches is not { Count: 1 } || !ReferenceEquals(withId[0], batches[0])
            || manifests is not { Count: 1 } || paths is not { Count: 1 })
        {
            return SignatureCheck.Fail(SignatureFailure.Malformed, "the batch, manifest or path is missing, duplicated or not where the profile puts it");
        }

        // document order: the signer first (KeyInfoX509Data does not keep the order)
        var certificates = new List<X509Certificate2>();
        foreach (XmlNode node in root.SelectNodes("ds:KeyInfo/ds:X509Data/ds:X509Certificate", manager)!)
        {
            try
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(node.InnerText)));
            }
            catch (Exception e) when (e is FormatException or CryptographicException)
            {
                return SignatureCheck.Fail(SignatureFailure.Certificate, "an embedded certificate cannot be read");
            }
        }

        if (certificates.Count == 0)
        {
            return SignatureCheck.Fail(SignatureFailure.Malformed, "KeyInfo holds no certificate");
        }

        var signer = certificates[0];
        AsymmetricAlgorithm? key = (AsymmetricAlgorithm?)signer.GetECDsaPublicKey() ?? signer.GetRSAPublicKey();
        bool valid;
        try
        {
            valid = key is not null && signed.CheckSignature(key);
        }
        catch (CryptographicException)
        {
            valid = false;
        }

        if (!valid)
        {
            return SignatureCheck.Fail(SignatureFailure.Signature, "the signature does not verify");
        }

        // the manifest must lead, by its path, to the root inside the signed batch object; its canonical form is
        // computed here by the general exc-c14n transform, independently of the fast path's writer
        if (!ManifestIsInBatch((XmlElement)batches[0]!, (XmlElement)manifests[0]!, (XmlElement)paths[0]!, manager))
        {
            return SignatureCheck.Fail(SignatureFailure.Signature, "the manifest is not part of the signed batch");
        }

        var member = MemberCertificates.GetMember(signer);
        if (member is null || !member.IsSameMember(expectedMember))
        {
            return SignatureCheck.Fail(SignatureFailure.Certificate, $"the signing certificate is issued to {member?.ToString() ?? "no member"}, not to {expectedMember.Member}");
        }

        var chainError = validator.Validate(signer, CertificatePurpose.Signing, certificates.Skip(1));
        if (chainError is not null)
        {
            return SignatureCheck.Fail(SignatureFailure.Certificate, chainError);
        }

        // read the parts from the verified element through the strict parser, so both paths expose the same data
        return SignatureDocument.TryParse(signatureDocument, out var document, out var error)
            ? new SignatureCheck(SignatureFailure.None, null, document, signer, member)
            : SignatureCheck.Fail(SignatureFailure.Malformed, error);
    }

    private static bool ManifestIsInBatch(XmlElement batch, XmlElement manifest, XmlElement path, XmlNamespaceManager manager)
    {
        var rootText = batch.SelectSingleNode("m:Root", manager) as XmlElement;
        if (rootText is null
            || !int.TryParse(rootText.GetAttribute("Size"), NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || !int.TryParse(path.GetAttribute("Index"), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return false;
        }

        try
        {
            var signedRoot = Convert.FromBase64String(rootText.InnerText);
            var siblings = new List<byte[]>();
            foreach (XmlNode hash in path.SelectNodes("m:Hash", manager)!)
            {
                siblings.Add(Convert.FromBase64String(hash.InnerText));
            }

            var alone = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
            alone.AppendChild(alone.ImportNode(manifest, deep: true));
            var c14n = new XmlDsigExcC14NTransform();
            c14n.LoadInput(alone);
            using var canonical = (Stream)c14n.GetOutput(typeof(Stream));
            using var bytes = new MemoryStream();
            canonical.CopyTo(bytes);

            Span<byte> computed = stackalloc byte[MerkleTree.HashSize];
            return signedRoot.Length == MerkleTree.HashSize
                && MerkleTree.TryComputeRoot(MerkleTree.LeafHash(bytes.ToArray()), index, size, siblings, computed)
                && CryptographicOperations.FixedTimeEquals(computed, signedRoot);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static void EnsureEcdsaRegistered()
    {
        lock (s_registration)
        {
            if (!s_registered)
            {
                CryptoConfig.AddAlgorithm(typeof(EcdsaSha256SignatureDescription), XmlDsig.EcdsaSha256);
                s_registered = true;
            }
        }
    }
}
