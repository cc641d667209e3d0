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
/// </summary>
public static partial class ArchiveWriter
{
    public static ArchiveResult Write(ArchiveInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var segment = ReadSegment(input.SegmentPath, out var failure);
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
        var name = ArchiveFormat.FileName(first, last);
        var chain = ArchiveChain.List(input.ArchiveDirectory);
        var previous = chain.Count == 0 ? null : chain[^1];
        if (previous is not null && previous.LastSeq >= last)
        {
            var holder = chain.FirstOrDefault(a => a.FirstSeq <= first && a.LastSeq >= last) ?? previous;
            return new ArchiveResult(ArchiveStatus.AlreadyArchived, $"Records {first}..{last} are already archived in {holder.Name}.", holder.Path, ContainerReader.FileSha256(holder.Path), first, last);
        }

        if (previous is not null && previous.LastSeq + 1 != first)
        {
            return new ArchiveResult(ArchiveStatus.Failed, $"The archive chain ends at record {previous.LastSeq} ({previous.Name}) but {Path.GetFileName(input.SegmentPath)} starts at record {first}: archive the segments in order.");
        }

        ArchiveLink? link = null;
        if (previous is not null)
        {
            var lastHash = ReadLastHash(previous);
            if (lastHash is null || !lastHash.AsSpan().SequenceEqual(segment[0].PreviousHash))
            {
                return new ArchiveResult(ArchiveStatus.Failed, $"Record {first} does not link to the last record of {previous.Name}; the log is damaged: run `broker audit verify`.");
            }

            link = ArchiveChain.Link(previous);
        }

        var batches = CollectBatches(input, segment, chain, out var status, out failure);
        if (batches is null)
        {
            return new ArchiveResult(status, failure!, FirstSeq: first, LastSeq: last);
        }

        var path = Path.Combine(input.ArchiveDirectory, name);
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
            Messages = segment.Count(r => r.Type == RecordType.Message),
            Stamps = segment.Count(r => r.Type == RecordType.Timestamp),
            PreviousArchive = link,
        };
        WriteAtomically(path, manifest, input, batches);
        return new ArchiveResult(ArchiveStatus.Written, $"Archived records {first}..{last} into {name}.", path, ContainerReader.FileSha256(path), first, last);
    }

    private static void WriteAtomically(string path, ArchiveManifest manifest, ArchiveInput input, ArchiveBatches batches)
    {
        Directory.CreateDirectory(input.ArchiveDirectory);
        var temporary = Path.Combine(input.ArchiveDirectory, "." + Path.GetFileName(path) + ".tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                using (var chunked = new ChunkedDurableStream(file))
                using (var container = new ContainerWriter(chunked, manifest.CreatedAt))
                {
                    // Fastest: a 256 MiB segment at Optimal takes seconds of a core that the exchanges need
                    container.AddFile(ArchiveFormat.Records, input.SegmentPath, System.IO.Compression.CompressionLevel.Fastest);
                    foreach (var stamp in batches.ExternalStamps)
                    {
                        container.Add(ArchiveFormat.StampEntry(stamp.Seq), stamp.Encoded.Span);
                    }

                    container.AddJson(ArchiveFormat.Proofs, new ProofsDocument { Proofs = [.. batches.Proofs.Select(ProofEntry.From)] }, MessageLogJson.Default.ProofsDocument);
                    container.AddTrust(ArchiveFormat.CertificatesFolder, input.Trust);
                    container.AddUnlisted(ArchiveFormat.Manifest, manifest with { Entries = [.. container.Entries] }, MessageLogJson.Default.ArchiveManifest);
                }

                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: false);
            NativeFile.FlushDirectory(input.ArchiveDirectory);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>A message record without its bytes: the archive copies the segment file, only the chain fields are needed here.</summary>
    private static LogRecord Light(LogRecord record) => new()
    {
        Type = record.Type, Seq = record.Seq, LoggedAt = record.LoggedAt, PreviousHash = record.PreviousHash, Hash = record.Hash, Encoded = ReadOnlyMemory<byte>.Empty,
    };

    /// <summary>The records of a closed segment (message records without their bytes); null with the reason when it is damaged.</summary>
    private static List<LogRecord>? ReadSegment(string path, out string? failure)
    {
        var records = new List<LogRecord>();
        using var scanner = RecordScanner.OpenSegment(path);
        while (scanner.TryRead(out var record))
        {
            if (records.Count > 0 && (record.Seq != records[^1].Seq + 1 || !record.PreviousHash.AsSpan().SequenceEqual(records[^1].Hash)))
            {
                failure = $"{path}: record {record.Seq} does not follow record {records[^1].Seq} in the chain; run `broker audit verify`.";
                return null;
            }

            records.Add(record.Type == RecordType.Message ? Light(record) : record);
        }

        if (scanner.End != ScanEnd.End)
        {
            failure = scanner.End == ScanEnd.TornTail
                ? $"{path} is cut short at offset {scanner.Offset}; only a closed segment can be archived."
                : $"{scanner.Problem}; run `broker audit verify`.";
            return null;
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
