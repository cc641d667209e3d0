using Broker.Pki.Authority;
using Broker.Protocol.Identifiers;

namespace Broker.Cli.Network;

/// <summary>
/// The development PKI in <c>certs/</c>: a root CA, the central server's TLS, configuration-signing and
/// time-stamping (TSA) certificates, the router's TLS certificate, each security server's authentication certificate
/// and each member's signing certificate. ECDSA P-256. Missing files are issued; existing ones are kept.
/// </summary>
public static class DevelopmentPki
{
    public const string RootCa = "root-ca";
    public const string CentralTls = "central-tls";
    public const string CentralConfigurationSigning = "central-conf";
    public const string CentralTimestamping = "central-tsa";
    public const string RouterTls = "router-tls";

    public static string AuthCertificateName(string serverId) => "ss-" + Slug(serverId) + "-auth";

    public static string SigningCertificateName(ClientId member) => "sign-" + Slug(member.Member.ToString());

    /// <summary>Creates what is missing; returns the names of the files it wrote.</summary>
    public static IReadOnlyList<string> Ensure(NetworkDefinition network, string directory)
    {
        ArgumentNullException.ThrowIfNull(network);
        var written = new List<string>();
        CertificateAuthority ca;
        if (File.Exists(Path.Combine(directory, RootCa + ".pem")) && File.Exists(Path.Combine(directory, RootCa + ".key")))
        {
            ca = new CertificateAuthority(PemFiles.LoadWithKey(directory, RootCa));
        }
        else
        {
            ca = CertificateAuthority.CreateRoot($"Broker {network.Instance} Development Root CA");
            PemFiles.Write(directory, RootCa, ca.Certificate);
            written.Add(RootCa);
        }

        string[] loopback = ["127.0.0.1", "localhost"];
        Issue(directory, CentralTls, written, () => ca.IssueTls("central.broker.local", null, loopback), ca);
        Issue(directory, CentralConfigurationSigning, written, () => ca.IssueConfigurationSigning($"Broker {network.Instance} Global Configuration Signing"), ca);
        Issue(directory, CentralTimestamping, written, () => ca.IssueTimestamping($"Broker {network.Instance} Time-Stamping Authority"), ca);
        Issue(directory, RouterTls, written, () => ca.IssueTls("router.broker.local", null, loopback), ca);
        foreach (var server in network.SecurityServers)
        {
            var id = SecurityServerId.Parse(server.Id);
            Issue(directory, AuthCertificateName(server.Id), written, () => ca.IssueTls(id.ServerCode + "." + id.Owner.MemberCode.ToLowerInvariant() + ".broker.local", id.Owner, loopback), ca);
        }

        foreach (var member in network.Members)
        {
            var id = ClientId.Parse(member.Id);
            Issue(directory, SigningCertificateName(id), written, () => ca.IssueSigning(id, member.Name), ca);
        }

        return written;
    }

    private static void Issue(string directory, string name, List<string> written, Func<System.Security.Cryptography.X509Certificates.X509Certificate2> issue, CertificateAuthority ca)
    {
        if (File.Exists(Path.Combine(directory, name + ".pem")) && File.Exists(Path.Combine(directory, name + ".key")))
        {
            return;
        }

        using var certificate = issue();
        PemFiles.Write(directory, name, certificate, [ca.Certificate]);
        written.Add(name);
    }

    private static string Slug(string id) => id.ToLowerInvariant().Replace('/', '-');
}
