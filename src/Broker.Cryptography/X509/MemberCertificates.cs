using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using Broker.Protocol.Identifiers;

namespace Broker.Cryptography.X509;

/// <summary>
/// How a certificate names the member it was issued to: the subject's serialNumber attribute (2.5.4.5) holds the
/// member identifier, <c>INSTANCE/CLASS/MEMBER</c> (the approach of X-Road's certificate profiles).
/// </summary>
public static class MemberCertificates
{
    public const string SerialNumberOid = "2.5.4.5";

    public static X500DistinguishedName SubjectFor(ClientId member, string commonName, string organization)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCountryOrRegion(member.Instance.Length == 2 ? member.Instance : "ZZ");
        builder.AddOrganizationName(organization);
        builder.AddCommonName(commonName);
        builder.Add(SerialNumberOid, member.Member.ToString(), UniversalTagNumber.PrintableString);
        return builder.Build();
    }

    /// <summary>The member named in the certificate's subject, or null when it names none.</summary>
    public static ClientId? GetMember(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == SerialNumberOid
                && ClientId.TryParse(rdn.GetSingleElementValue(), out var id) && !id.IsSubsystem)
            {
                return id;
            }
        }

        return null;
    }
}
