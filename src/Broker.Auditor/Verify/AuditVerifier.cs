using System.Security.Cryptography;
using Broker.Auditor.Reports;
using Broker.MessageLog.Records;
using Broker.MessageLog.Trust;
using Broker.MessageLog.Verification;

namespace Broker.Auditor.Verify;

/// <summary>
/// <c>broker audit verify</c>: loads the keys and the explicit trust, verifies, prints the report and returns the exit
/// code (<see cref="AuditExitCodes"/>).
/// </summary>
public static class AuditVerifier
{
    public static int Run(AuditVerifyRequest request, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var keys = new List<BodyCipher>();
        try
        {
            if (!TryLoad(request, keys, error, out var options))
            {
                return AuditExitCodes.UsageError;
            }

            VerificationReport report;
            try
            {
                report = new LogVerifier(options).Verify(request.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"broker audit verify: cannot read {request.Path}: {e.Message}");
                return AuditExitCodes.UsageError;
            }

            ReportFormatter.Write(report, output);
            return report.InputError is not null ? AuditExitCodes.UsageError
                : report.IsValid ? AuditExitCodes.Verified
                : AuditExitCodes.NotVerified;
        }
        finally
        {
            keys.ForEach(k => k.Dispose());
        }
    }

    private static bool TryLoad(AuditVerifyRequest request, List<BodyCipher> keys, TextWriter error, out VerificationOptions options)
    {
        options = new VerificationOptions();
        foreach (var file in request.KeyFiles)
        {
            try
            {
                keys.Add(BodyCipher.FromFile(file));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException)
            {
                error.WriteLine($"broker audit verify: cannot read the key file {file}: {e.Message}");
                return false;
            }
        }

        if (!TryLoadCertificates(request.CaFiles, "--ca", error, out var cas) || !TryLoadCertificates(request.TsaFiles, "--tsa", error, out var tsas))
        {
            return false;
        }

        options = new VerificationOptions
        {
            BodyKeys = keys,
            CertificateAuthorities = cas,
            CertificateAuthoritiesSource = "given with --ca " + string.Join(" ", request.CaFiles),
            TimestampAuthorities = tsas,
            TimestampAuthoritiesSource = "given with --tsa " + string.Join(" ", request.TsaFiles),
        };
        return true;
    }

    private static bool TryLoadCertificates(IReadOnlyList<string> files, string option, TextWriter error, out IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2>? certificates)
    {
        certificates = null;
        if (files.Count == 0)
        {
            return true;
        }

        try
        {
            certificates = TrustAnchors.LoadAll(files);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            error.WriteLine($"broker audit verify: cannot read {option} {string.Join(" ", files)}: {e.Message}");
            return false;
        }

        if (certificates.Count == 0)
        {
            error.WriteLine($"broker audit verify: {option} {string.Join(" ", files)} holds no PEM certificate.");
            return false;
        }

        return true;
    }
}
