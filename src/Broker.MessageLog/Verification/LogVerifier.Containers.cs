using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Broker.MessageLog.Archives;
using Broker.MessageLog.Containers;
using Broker.MessageLog.Proofs;
using Broker.MessageLog.Trust;

namespace Broker.MessageLog.Verification;

/// <summary>What archives and evidence containers share: entry digests against the manifest, and the certificates they carry.</summary>
public sealed partial class LogVerifier
{
    /// <summary>
    /// Every entry but the manifest (and <paramref name="unlisted"/>, which the format pins otherwise) must be listed
    /// with its digest, and every listed entry must be there.
    /// </summary>
    private static void CheckEntries(ContainerReader container, IReadOnlyList<EntryDigest> listed, IReadOnlyList<string> required, ReportBuilder report, string? unlisted = null)
    {
        var name = container.Name;
        var byName = new Dictionary<string, EntryDigest>(StringComparer.Ordinal);
        foreach (var digest in listed)
        {
            byName[digest.Name] = digest;
        }

        foreach (var entry in container.Entries)
        {
            if (entry.FullName == ArchiveFormat.Manifest || (entry.FullName == unlisted && !byName.ContainsKey(unlisted)))
            {
                continue;
            }

            if (!byName.Remove(entry.FullName, out var expected))
            {
                report.Error(FindingCodes.ManifestDigest, $"{entry.FullName} is not listed in the manifest: it was added.", name);
                continue;
            }

            try
            {
                var (sha256, length) = ContainerReader.Digest(entry);
                if (!string.Equals(sha256, expected.Sha256, StringComparison.OrdinalIgnoreCase) || length != expected.Length)
                {
                    report.Error(FindingCodes.ManifestDigest, $"{entry.FullName} does not match the manifest: its SHA-256 is {sha256} ({length} bytes), the manifest lists {expected.Sha256} ({expected.Length} bytes). The entry was changed.", name);
                }
            }
            catch (InvalidDataException e)
            {
                report.Error(FindingCodes.ManifestDigest, $"{entry.FullName} cannot be read (damaged ZIP data): {e.Message}", name);
            }
        }

        foreach (var missing in byName.Keys.Order(StringComparer.Ordinal))
        {
            report.Error(FindingCodes.ManifestDigest, $"{missing} is listed in the manifest but missing: it was removed.", name);
        }

        foreach (var entry in required.Where(r => container.Find(r) is null))
        {
            report.Error(FindingCodes.ManifestInvalid, $"The container has no {entry}.", name);
        }
    }

    /// <summary>The approved CAs and TSAs a container carries in its certificates folder.</summary>
    private static TrustAnchors ContainerTrust(ContainerReader container, string folder)
    {
        var cas = new List<X509Certificate2>();
        var tsas = new List<X509Certificate2>();
        foreach (var entry in container.Entries.Where(e => e.FullName.StartsWith(folder, StringComparison.Ordinal) && e.FullName.EndsWith(TrustAnchors.Extension, StringComparison.Ordinal)))
        {
            var file = entry.FullName[folder.Length..];
            var bytes = container.ReadBytes(entry.FullName);
            if (bytes is null)
            {
                continue;
            }

            IReadOnlyList<X509Certificate2> certificates;
            try
            {
                certificates = TrustAnchors.ParsePem(System.Text.Encoding.ASCII.GetString(bytes));
            }
            catch (CryptographicException)
            {
                continue;
            }

            if (file.StartsWith(TrustAnchors.CaPrefix, StringComparison.Ordinal))
            {
                cas.AddRange(certificates);
            }
            else if (file.StartsWith(TrustAnchors.TsaPrefix, StringComparison.Ordinal))
            {
                tsas.AddRange(certificates);
            }
        }

        return new TrustAnchors(cas, tsas, $"the {folder} inside {container.Name}");
    }

    private static Dictionary<long, RecordProof> ProofsByRecord(ProofsDocument? document)
    {
        var proofs = new Dictionary<long, RecordProof>();
        foreach (var entry in document?.Proofs ?? [])
        {
            proofs[entry.Seq] = entry.ToProof();
        }

        return proofs;
    }

    private static bool HexEquals(string hex, byte[]? bytes) =>
        bytes is not null && string.Equals(hex, Convert.ToHexStringLower(bytes), StringComparison.OrdinalIgnoreCase);
}
