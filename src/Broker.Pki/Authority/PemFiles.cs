using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Broker.Pki.Authority;

/// <summary>Writes and reads certificates (<c>name.pem</c>, chain after the leaf) and private keys (<c>name.key</c>, mode 0600).</summary>
public static class PemFiles
{
    public static void Write(string directory, string name, X509Certificate2 certificate, IEnumerable<X509Certificate2>? issuers = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Directory.CreateDirectory(directory);
        var pem = new StringBuilder(certificate.ExportCertificatePem()).Append('\n');
        foreach (var issuer in issuers ?? [])
        {
            pem.Append(issuer.ExportCertificatePem()).Append('\n');
        }

        File.WriteAllText(Path.Combine(directory, name + ".pem"), pem.ToString());
        if (certificate.HasPrivateKey)
        {
            AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
                ?? throw new InvalidOperationException("Unsupported key type.");
            using (key)
            {
                // created owner-only: the key is never readable by others, not even for a moment
                var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var stream = new FileStream(Path.Combine(directory, name + ".key"), options);
                using var writer = new StreamWriter(stream);
                writer.Write(key.ExportPkcs8PrivateKeyPem());
            }
        }
    }

    /// <summary>Loads <c>name.pem</c> with the key from <c>name.key</c> (leaf only) in a form TLS can use.</summary>
    public static X509Certificate2 LoadWithKey(string directory, string name)
    {
        using var certificate = X509Certificate2.CreateFromPemFile(Path.Combine(directory, name + ".pem"), Path.Combine(directory, name + ".key"));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    public static X509Certificate2 LoadCertificate(string directory, string name) =>
        X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(directory, name + ".pem")));
}
