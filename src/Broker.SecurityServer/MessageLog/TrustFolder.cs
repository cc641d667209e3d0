using System.Security.Cryptography.X509Certificates;
using Broker.GlobalConfiguration.Model;
using Broker.MessageLog.Trust;

namespace Broker.SecurityServer.MessageLog;

/// <summary>
/// The <c>trust/</c> folder beside the log segments: <c>ca-{sha256}.pem</c> and <c>tsa-{sha256}.pem</c> for every CA
/// and TSA the global configuration has approved while this log was written. Files are added, never removed: old
/// records verify against the certificates of their time.
/// </summary>
internal sealed class TrustFolder(string directory)
{
    public const string Name = "trust";
    private long _version = -1;

    public void Update(GlobalConfigurationSnapshot configuration)
    {
        if (Interlocked.Read(ref _version) == configuration.Document.Version)
        {
            return;
        }

        Directory.CreateDirectory(directory);
        foreach (var ca in configuration.Roots)
        {
            Write(TrustAnchors.CaPrefix, ca);
        }

        foreach (var tsa in configuration.TimestampAuthorityCertificates)
        {
            Write(TrustAnchors.TsaPrefix, tsa);
        }

        Interlocked.Exchange(ref _version, configuration.Document.Version);
    }

    private void Write(string prefix, X509Certificate2 certificate)
    {
        var path = Path.Combine(directory, TrustAnchors.FileName(prefix, certificate));
        if (!File.Exists(path))
        {
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, certificate.ExportCertificatePem() + "\n");
            File.Move(temporary, path, overwrite: true);
        }
    }
}
