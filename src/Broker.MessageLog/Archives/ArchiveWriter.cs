using Broker.MessageLog.Containers;
using Broker.MessageLog.Json;
using Broker.MessageLog.Proofs;
using Broker.MessageLog.Reading;
using Broker.MessageLog.Records;
using Broker.MessageLog.Segments;
using Broker.MessageLog.Writing;

namespace Broker.MessageLog.Archives;

/// <summary>
/// Archives a closed, fully time-stamped segment into <c>{firstSeq:D16}-{lastSeq:D16}.zip</c> (docs/message-log.md#archives):
/// the segment verbatim, the timestamp records of later segments that cover it, a proof per message record, the
/// approved CAs and TSAs, and a manifest that links to the previous archive by digest. The archive is written to a
/// temporary file, flushed to disk and renamed, so there is never a half-written archive under an archive's name.
/// The segment is read once: the same pass compresses it into the archive and walks its chain (message records without
/// their bytes, <see cref="ScanOptions.ChainOnly"/>); the manifest pins <c>records.mlog</c> by the chain's last hash
/// rather than by a second SHA-256 over the whole entry.
/// </summary>
public static partial class ArchiveWriter
{
    public static ArchiveResult Write(ArchiveInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var first = LogSegment.FirstSeq(input.SegmentPath);
        var chain = ArchiveChain.List(input.ArchiveDirectory);
        var previous = chain.Count == 0 ? null : chain[^1];
        if (previous is not null && previous.LastSeq >= first)
        {
            // already archived only when one archive holds exactly this segment: the next segment starts after it
            var holder = chain.FirstOrDefault(a => a.FirstSeq == first);
            var next = (input.LogSegments ?? LogSegment.List(Path.GetDirectoryName(Path.GetFullPath(input.SegmentPath))!))
                .Select(LogSegment.FirstSeq).Where(seq => seq > first).DefaultIfEmpty(long.MaxValue).Min();
            return holder is not null && next != long.MaxValue && holder.LastSeq == next - 1
                ? new ArchiveResult(ArchiveStatus.AlreadyArchived, $"Records {first}..{holder.LastSeq} are already archived in {holder.Name}.", holder.Path, ContainerReader.FileSha256(holder.Path), holder.FirstSeq, holder.LastSeq)
                : new ArchiveResult(ArchiveStatus.Failed, $"The archive chain reaches record {previous.LastSeq} ({previous.Name}), into {Path.GetFileName(input.SegmentPath)}, but no archive holds exactly that segment: the archives do not match the log; run `broker audit verify`.");
        }

        if (previous is not null && previous.LastSeq + 1 != first)
        {
            return new ArchiveResult(ArchiveStatus.Failed, $"The archive chain ends at record {previous.LastSeq} ({previous.Name}) but {Path.GetFileName(input.SegmentPath)} starts at record {first}: archive the segments in order.");
        }

        var link = previous is null ? null
            : input.PreviousLink is { } known && known.File == previous.Name ? known
            : ArchiveChain.Link(previous);
        var linkHash = previous is null ? null : ReadLastHash(previous);
        if (previous is not null && linkHash is null)
        {
            return new ArchiveResult(ArchiveStatus.Failed, $"The manifest of {previous.Name} cannot be read; run `broker audit verify`.");
        }

        Directory.CreateDirectory(input.ArchiveDirectory);
        var temporary = Path.Combine(input.ArchiveDirectory, "." + Path.GetFileName(input.SegmentPath) + ".tmp");
        try
        {
            ArchiveResult result;
            string? name = null;
            string sha256;
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                using (var chunked = new ChunkedDurableStream(file))
                {
                    using (var container = new ContainerWriter(chunked, input.Time.GetUtcNow()))
                    {
                        result = WriteEntries(input, container, link, linkHash, previous, chain, ref name);
                    }

                    sha256 = chunked.Sha256(); // the container is complete: its central directory is written
                }

                if (result.Status != ArchiveStatus.Written)
                {
                    return result;
                }

                file.Flush(flushToDisk: true);
                // written once, read by an auditor much later: not left in the page cache (its pages are clean now)
                NativeFile.DropFromPageCache(file.SafeFileHandle, 0, 0);
            }

            var path = Path.Combine(input.ArchiveDirectory, name!);
            File.Move(temporary, path, overwrite: false);
            NativeFile.FlushDirectory(input.ArchiveDirectory);
            return result with { Path = path, Sha256 = sha256 };
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    // everything but the flush and the rename; any status but Written leaves the temporary file to be deleted
    private static ArchiveResult WriteEntries(
        ArchiveInput input, ContainerWriter container, ArchiveLink? link, byte[]? linkHash, ArchiveFile? previous, IReadOnlyList<ArchiveFile> chain, ref string? name)
    {
        List<LogRecord>? segment;
        string? failure;
        using (var records = container.CreateUnlisted(ArchiveFormat.Records, System.IO.Compression.CompressionLevel.Fastest))
        {
            // Fastest: a 256 MiB segment at Optimal takes seconds of a core that the exchanges need
            segment = ReadSegment(input.SegmentPath, records, input.CancellationToken, out failure);
        }

        if (segment is null)
        {
            return new ArchiveResult(ArchiveStatus.Failed, failure!);
        }

        if (segment.Count == 0)
        {
            return new ArchiveResult(ArchiveStatus.Empty, $"{input.SegmentPath} holds no records; nothing to archive.");
        }

        var first = segment[0].Seq;
        var last = segment[^1].Seq;
        if (linkHash is not null && !linkHash.AsSpan().SequenceEqual(segment[0].PreviousHash))
        {
            return new ArchiveResult(ArchiveStatus.Failed, $"Record {first} does not link to the last record of {previous!.Name}; the log is damaged: run `broker audit verify`.");
        }

        var batches = CollectBatches(input, segment, chain, out var status, out failure);
        if (batches is null)
        {
            return new ArchiveResult(status, failure!, FirstSeq: first, LastSeq: last);
        }

        foreach (var stamp in batches.ExternalStamps)
        {
            container.Add(ArchiveFormat.StampEntry(stamp.Seq), stamp.Encoded.Span);
        }

        // random hashes do not compress: stored, so that no CPU goes into trying
        using (var proofs = container.Create(ArchiveFormat.Proofs, System.IO.Compression.CompressionLevel.NoCompression))
        {
            ProofsFile.Write(proofs, batches.Proofs);
        }

        container.AddTrust(ArchiveFormat.CertificatesFolder, input.Trust);
        var messages = segment.Count(r => r.Type == RecordType.Message);
        var manifest = new ArchiveManifest
        {
            ServerId = input.ServerId,
            FirstSeq = first,
            LastSeq = last,
            FirstPreviousHash = Convert.ToHexStringLower(segment[0].PreviousHash),
            LastHash = Convert.ToHexStringLower(segment[^1].Hash),
            FirstLoggedAt = segment[0].LoggedAt,
            LastLoggedAt = segment[^1].LoggedAt,
            CreatedAt = input.Time.GetUtcNow(),
            Records = segment.Count,
            Messages = messages,
            Stamps = segment.Count - messages,
            PreviousArchive = link,
            Entries = [.. container.Entries],
        };
        container.AddUnlisted(ArchiveFormat.Manifest, manifest, MessageLogJson.Default.ArchiveManifest);
        name = ArchiveFormat.FileName(first, last);
        return new ArchiveResult(ArchiveStatus.Written, $"Archived records {first}..{last} into {name}.", FirstSeq: first, LastSeq: last);
    }

    /// <summary>
    /// The records of a closed segment (message records without their bytes), copying every byte read into
    /// <paramref name="copy"/>; null with the reason when it is damaged.
    /// </summary>
    private static List<LogRecord>? ReadSegment(string path, Stream copy, CancellationToken cancellationToken, out string? failure)
    {
        var records = new List<LogRecord>();
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
        var length = file.Length;
        using var copying = new CopyingReadStream(new DropBehindStream(file), copy);
        using (var scanner = RecordScanner.Open(() => new BufferedStream(copying, 1 << 16), length, Path.GetFileName(path), ScanOptions.Chain()))
        {
            while (scanner.TryRead(out var record))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (records.Count > 0 && (record.Seq != records[^1].Seq + 1 || !record.PreviousHash.AsSpan().SequenceEqual(records[^1].Hash)))
                {
                    failure = $"{path}: record {record.Seq} does not follow record {records[^1].Seq} in the chain; run `broker audit verify`.";
                    return null;
                }

                records.Add(record);
            }

            if (scanner.End != ScanEnd.End)
            {
                failure = scanner.End == ScanEnd.TornTail
                    ? $"{path} is cut short at offset {scanner.Offset}; only a closed segment can be archived."
                    : $"{scanner.Problem}; run `broker audit verify`.";
                return null;
            }
        }

        if (records.Count > 0 && records[0].Seq != LogSegment.FirstSeq(path))
        {
            failure = $"{path} starts with record {records[0].Seq}, not the record its name says.";
            return null;
        }

        failure = null;
        return records;
    }

    private static byte[]? ReadLastHash(ArchiveFile archive)
    {
        using var container = ContainerReader.TryOpen(archive.Path, out _);
        var manifest = container?.ReadJson(ArchiveFormat.Manifest, MessageLogJson.Default.ArchiveManifest, out _);
        try
        {
            return manifest is null ? null : Convert.FromHexString(manifest.LastHash);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
