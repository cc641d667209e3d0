using Broker.GlobalConfiguration.Model;
using Broker.MessageLog.Trust;

namespace Broker.SecurityServer.MessageLog;

/// <summary>
/// The <c>trust/</c> folder beside the log segments (<see cref="TrustAnchors.FolderName"/>): <c>ca-{sha256}.pem</c> and
/// <c>tsa-{sha256}.pem</c> for every CA and TSA the global configuration has approved while this log was written.
/// Files are added, never removed: old records verify against the certificates of their time.
/// </summary>
internal sealed class TrustFolder(string directory)
{
    public const string Name = TrustAnchors.FolderName;
    private long _version = -1;

    /// <summary>The CAs and TSAs in the trust folder beside the segments of <paramref name="logDirectory"/>.</summary>
    public static TrustAnchors Read(string logDirectory) =>
        TrustAnchors.FromDirectory(Path.Combine(logDirectory, Name), "the security server's trust folder");

    public void Update(GlobalConfigurationSnapshot configuration)
    {
        if (Interlocked.Read(ref _version) == configuration.Document.Version)
        {
            return;
        }

        new TrustAnchors(configuration.Roots, configuration.TimestampAuthorityCertificates, "the global configuration").WriteDirectory(directory);
        Interlocked.Exchange(ref _version, configuration.Document.Version);
    }
}
