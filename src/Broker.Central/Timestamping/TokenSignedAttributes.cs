using System.Collections;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Cms;
using CmsAttribute = Org.BouncyCastle.Asn1.Cms.Attribute;

namespace Broker.Central.Timestamping;

/// <summary>
/// The token's signed attributes before BouncyCastle adds the signing-certificate one (ESSCertIDv2): contentType and
/// messageDigest only. BouncyCastle's default would add a signingTime read from the wall clock; the token's time is
/// its TSTInfo genTime, taken from the injected clock.
/// </summary>
internal sealed class TokenSignedAttributes : CmsAttributeTableGenerator
{
    public AttributeTable GetAttributes(IDictionary parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var contentType = (DerObjectIdentifier)parameters[CmsAttributeTableParameter.ContentType]!;
        var digest = (byte[])parameters[CmsAttributeTableParameter.Digest]!;
        var attributes = new Asn1EncodableVector(
            new CmsAttribute(CmsAttributes.ContentType, new DerSet(contentType)),
            new CmsAttribute(CmsAttributes.MessageDigest, new DerSet(new DerOctetString(digest))));
        return new AttributeTable(attributes);
    }
}
