using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Broker.MessageLog.Trust;

namespace Broker.MessageLog.Containers;

/// <summary>
/// Writes the entries of an archive or evidence container into a ZIP, hashing each one as it goes, so that the
/// manifest written last can list the SHA-256 of every other entry. Entries carry a fixed time, so the same input
/// gives the same bytes.
/// </summary>
internal sealed class ContainerWriter : IDisposable
{
    private readonly ZipArchive _zip;
    private readonly DateTimeOffset _time;

    public ContainerWriter(Stream destination, DateTimeOffset time)
    {
        _zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        _time = time;
    }

    public List<EntryDigest> Entries { get; } = [];

    public void Add(string name, ReadOnlySpan<byte> bytes, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var stream = Create(name, level);
        stream.Write(bytes);
    }

    /// <summary>An entry to write as a stream; its digest is listed in <see cref="Entries"/> when the stream is disposed.</summary>
    public Stream Create(string name, CompressionLevel level = CompressionLevel.Optimal) => new EntryStream(Open(name, level), name, Entries);

    /// <summary>
    /// An entry to write as a stream that the manifest does not list, because the format pins its bytes otherwise
    /// (an archive's <c>records.mlog</c>: the hash chain up to the manifest's last hash), so it is not hashed twice.
    /// </summary>
    public Stream CreateUnlisted(string name, CompressionLevel level) => Open(name, level);

    /// <summary>The approved CAs and TSAs, each as <c>{folder}ca-{sha256}.pem</c> or <c>{folder}tsa-{sha256}.pem</c>.</summary>
    public void AddTrust(string folder, TrustAnchors? trust)
    {
        foreach (var (prefix, certificate) in trust?.Files() ?? [])
        {
            Add(folder + TrustAnchors.FileName(prefix, certificate), TrustAnchors.Pem(certificate));
        }
    }

    /// <summary>An entry not listed in <see cref="Entries"/> (the manifest itself).</summary>
    public void AddUnlisted<T>(string name, T value, JsonTypeInfo<T> type)
    {
        using var stream = Open(name, CompressionLevel.Optimal);
        stream.Write(JsonSerializer.SerializeToUtf8Bytes(value, type));
    }

    public void Dispose() => _zip.Dispose();

    private Stream Open(string name, CompressionLevel level)
    {
        var entry = _zip.CreateEntry(name, level);
        entry.LastWriteTime = _time;
        return entry.Open();
    }
}
