using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using Broker.Cryptography.X509;
using Broker.Protocol.Identifiers;

namespace Broker.Cryptography.Xml;

/// <summary>
/// Verifies a signature document with the general <see cref="SignedXml"/> machinery instead of the fixed profile:
/// for auditors and for tests that prove the fast path agrees with standard XML-DSig. It defends against signature
/// wrapping: exactly one reference, to the one manifest element, whose parts are then read from that element only.
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
            || signed.SignedInfo.References[0] is not Reference { Uri: "#" + XmlDsig.ManifestId })
        {
            return SignatureCheck.Fail(SignatureFailure.Malformed, "the signature must hold exactly one reference, to #manifest");
        }

        // the element the reference resolves to must be the one manifest we read parts from (wrapping defence)
        var manager = new XmlNamespaceManager(xml.NameTable);
        manager.AddNamespace("ds", XmlDsig.Namespace);
        manager.AddNamespace("m", XmlDsig.ManifestNamespace);
        var withId = xml.SelectNodes("//*[@Id='" + XmlDsig.ManifestId + "' or @id='" + XmlDsig.ManifestId + "' or @ID='" + XmlDsig.ManifestId + "']");
        var manifest = root.SelectSingleNode("ds:Object/m:Manifest", manager) as XmlElement;
        if (withId is not { Count: 1 } || manifest is null || !ReferenceEquals(withId[0], manifest))
        {
            return SignatureCheck.Fail(SignatureFailure.Malformed, "the manifest is missing, duplicated or not where the profile puts it");
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
