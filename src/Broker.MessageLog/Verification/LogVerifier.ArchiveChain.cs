using Broker.MessageLog.Archives;
using Broker.MessageLog.Containers;
using Broker.MessageLog.Trust;

namespace Broker.MessageLog.Verification;

/// <summary>A directory of archives: one chain of records across them, and the chain of archive links and digests.</summary>
public sealed partial class LogVerifier
{
    /// <summary>Verifies the archives of a directory as one chain: each on its own, and the links and digests between them.</summary>
    public VerificationReport VerifyArchives(string directory)
    {
        var report = new ReportBuilder(directory, VerificationKind.ArchiveDirectory);
        var archives = ArchiveChain.List(directory);
        if (archives.Count == 0)
        {
            report.Unreadable($"{directory} holds no archives.");
            return report.Build();
        }

        // explicit trust is one for all archives; otherwise each archive's records are checked with its own certificates
        TrustContext? shared = null;
        if (_options.FullyExplicit)
        {
            shared = ChooseTrust(report, () => new TrustAnchors([], [], ""));
        }
        else
        {
            report.TrustSource = DescribeTrust("the certificates/ of each archive (the CAs and TSAs approved when it was written)");
        }

        var walker = new ChainWalker(report, NewChecker(report));
        var sources = new List<SourceContext?>();
        ArchiveFile? previous = null;
        foreach (var archive in archives)
        {
            report.Archives++;
            using var container = ContainerReader.TryOpen(archive.Path, out var error);
            if (container is null)
            {
                report.Error(FindingCodes.RecordUnreadable, $"{archive.Name} is not a readable ZIP: {error}", archive.Name);
                previous = archive;
                continue;
            }

            var trust = shared ?? ChooseTrust(report, () => ContainerTrust(container, ArchiveFormat.CertificatesFolder), archive.Name);
            var manifest = ReadJson(container, ArchiveFormat.Manifest, Json.ArchiveManifest, report);
            if (manifest is not null)
            {
                CheckLink(archive, manifest, previous, report);
                sources.Add(WalkArchive(container, manifest, trust, walker, report));
            }

            previous = archive;
        }

        walker.Complete(liveTail: false);
        sources.ForEach(s => ReportOrphanProofs(s, report));
        return report.Build();
    }

    private static void CheckLink(ArchiveFile archive, ArchiveManifest manifest, ArchiveFile? previous, ReportBuilder report)
    {
        var link = manifest.PreviousArchive;
        if (previous is null)
        {
            if (link is not null)
            {
                report.Info(FindingCodes.ArchiveChain, $"{archive.Name} links to an earlier archive, {link.File}, that is not in this directory: the chain before record {archive.FirstSeq} is not part of this verification.", archive.Name);
            }

            return;
        }

        if (link is null)
        {
            report.Error(FindingCodes.ArchiveChain, $"{archive.Name} links to no earlier archive although {previous.Name} comes before it.", archive.Name);
        }
        else if (!string.Equals(link.File, previous.Name, StringComparison.Ordinal))
        {
            var missing = previous.LastSeq + 1 < archive.FirstSeq ? $" (records {previous.LastSeq + 1}..{archive.FirstSeq - 1})" : "";
            report.Error(FindingCodes.ArchiveChain, $"{archive.Name} links to {link.File}, which is not in the directory: that archive{missing} was removed or renamed.", archive.Name);
        }
        else
        {
            var actual = ContainerReader.FileSha256(previous.Path);
            if (!string.Equals(actual, link.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                report.Error(FindingCodes.ArchiveChain, $"{previous.Name} was changed after {archive.Name} was written: its SHA-256 is {actual}, {archive.Name} recorded {link.Sha256}.", previous.Name);
            }
        }
    }
}
