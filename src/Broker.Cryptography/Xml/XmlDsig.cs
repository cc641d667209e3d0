using System.Xml;

namespace Broker.Cryptography.Xml;

/// <summary>The URIs of Broker's XML-DSig profile and the one safe way to read XML.</summary>
public static class XmlDsig
{
    public const string Namespace = "http://www.w3.org/2000/09/xmldsig#";
    public const string ManifestNamespace = "urn:broker:signature:1";
    public const string ExcC14n = "http://www.w3.org/2001/10/xml-exc-c14n#";
    public const string EcdsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
    public const string RsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    public const string Sha256 = "http://www.w3.org/2001/04/xmlenc#sha256";
    public const string Sha512 = "http://www.w3.org/2001/04/xmlenc#sha512";
    public const string BatchId = "batch";

    /// <summary>Reader settings for every XML Broker reads: no DTD, no resolver, bounded size.</summary>
    public static XmlReaderSettings SafeReaderSettings(bool ignoreWhitespace = false) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 0,
        MaxCharactersInDocument = 16 * 1024 * 1024,
        IgnoreComments = true,
        IgnoreWhitespace = ignoreWhitespace,
        CloseInput = false,
    };
}
