using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Broker.Auditor.Reports;
using Broker.MessageLog.Records;
using Broker.MessageLog.Trust;
using Broker.MessageLog.Verification;

namespace Broker.Auditor.Verify;

/// <summary>
/// <c>broker audit verify</c>: loads the keys and the trust, verifies, prints the report and returns the exit code
/// (<see cref="AuditExitCodes"/>). Trust must be chosen: the CAs and TSAs from an independent source (<c>--ca</c> and
/// <c>--tsa</c>), or explicitly the certificates the input carries (<c>--trust-embedded</c>), which proves integrity,
/// not origin: whoever could rewrite the input could have rewritten those too.
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

        if (!TryLoadTrust(request, error, out var trust))
        {
            return false;
        }

        options = new VerificationOptions
        {
            BodyKeys = keys,
            CertificateAuthorities = trust.CertificateAuthorities,
            CertificateAuthoritiesSource = trust.CertificateAuthoritiesSource,
            TimestampAuthorities = trust.TimestampAuthorities,
            TimestampAuthoritiesSource = trust.TimestampAuthoritiesSource,
        };
        return true;
    }

    /// <summary>The <c>--ca</c> and <c>--tsa</c> certificates (the TSAs: those with the timeStamping usage), or the choice of <c>--trust-embedded</c>.</summary>
    private static bool TryLoadTrust(AuditVerifyRequest request, TextWriter error, out VerificationOptions trust)
    {
        trust = new VerificationOptions();
        if (!request.TrustEmbedded && (request.CaFiles.Count == 0 || request.TsaFiles.Count == 0))
        {
            var missing = request.CaFiles.Count == 0 && request.TsaFiles.Count == 0 ? "--ca and --tsa" : request.CaFiles.Count == 0 ? "--ca" : "--tsa";
            error.WriteLine($"broker audit verify: no trust given ({missing} missing). Give the approved CAs and TSAs from an independent source (the global configuration, certs/) with --ca <pem> and --tsa <pem>, or pass --trust-embedded to trust the certificates the input carries (that proves integrity, not origin).");
            error.WriteLine("Usage: broker audit verify <path> (--ca <pem>... --tsa <pem>... | --trust-embedded) [--key <file>]...");
            return false;
        }

        if (!TryLoadCertificates(request.CaFiles, "--ca", error, out var cas) || !TryLoadCertificates(request.TsaFiles, "--tsa", error, out var tsaFiles))
        {
            return false;
        }

        var tsas = tsaFiles is null ? null : TrustAnchors.TimestampAuthoritiesOf(tsaFiles);
        var tsaSource = "given with --tsa " + string.Join(" ", request.TsaFiles);
        if (tsaFiles is not null && tsas!.Count == 0)
        {
            error.WriteLine($"broker audit verify: --tsa {string.Join(" ", request.TsaFiles)} holds no certificate with the timeStamping extended key usage (a TSA certificate has it; its issuing CA does not).");
            return false;
        }

        if (tsaFiles is not null && tsas!.Count < tsaFiles.Count)
        {
            var left = tsaFiles.Where(c => !Broker.Cryptography.Timestamping.TimestampTokens.HasOnlyTimeStampingUsage(c)).Select(c => $"'{c.GetNameInfo(X509NameType.SimpleName, false)}'");
            tsaSource += $" (not a TSA, left out: {string.Join(", ", left)})";
        }

        trust = new VerificationOptions
        {
            CertificateAuthorities = cas,
            CertificateAuthoritiesSource = "given with --ca " + string.Join(" ", request.CaFiles),
            TimestampAuthorities = tsas,
            TimestampAuthoritiesSource = tsaSource,
        };
        return true;
    }

    private static bool TryLoadCertificates(IReadOnlyList<string> files, string option, TextWriter error, out IReadOnlyList<X509Certificate2>? certificates)
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
