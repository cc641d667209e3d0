using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Broker.MessageLog.Containers;

/// <summary>Reads the entries of an archive or evidence container (a ZIP) for verification.</summary>
internal sealed class ContainerReader : IDisposable
{
    /// <summary>The most a JSON or small entry may hold when read into memory.</summary>
    public const int MaxSmallEntry = 64 * 1024 * 1024;

    private readonly ZipArchive _zip;

    private ContainerReader(ZipArchive zip, string path)
    {
        _zip = zip;
        Path = path;
    }

    public string Path { get; }

    public string Name => System.IO.Path.GetFileName(Path);

    public IEnumerable<ZipArchiveEntry> Entries => _zip.Entries;

    /// <summary>Opens a ZIP; null with an error when it is not one.</summary>
    public static ContainerReader? TryOpen(string path, out string? error)
    {
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            try
            {
                error = null;
                return new ContainerReader(new ZipArchive(stream, ZipArchiveMode.Read), path);
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            error = e.Message;
            return null;
        }
    }

    public ZipArchiveEntry? Find(string name) => _zip.GetEntry(name);

    /// <summary>A small entry's bytes; null when it is missing, too large, or its ZIP data is damaged.</summary>
    public byte[]? ReadBytes(string name)
    {
        var entry = _zip.GetEntry(name);
        if (entry is null || entry.Length > MaxSmallEntry)
        {
            return null;
        }

        try
        {
            using var stream = entry.Open();
            using var buffer = new MemoryStream((int)entry.Length);
            stream.CopyTo(buffer);
            return buffer.ToArray();
        }
        catch (InvalidDataException)
        {
            return null; // damaged ZIP data (a CRC or deflate error)
        }
    }

    /// <summary>Deserializes a JSON entry; null with an error when it is missing or malformed.</summary>
    public T? ReadJson<T>(string name, JsonTypeInfo<T> type, out string? error)
        where T : class
    {
        var bytes = ReadBytes(name);
        if (bytes is null)
        {
            error = $"{name} is missing or damaged";
            return null;
        }

        try
        {
            error = null;
            var value = JsonSerializer.Deserialize(bytes, type);
            if (value is null)
            {
                error = $"{name} is empty";
            }

            return value;
        }
        catch (JsonException e)
        {
            error = $"{name} is not valid: {e.Message}";
            return null;
        }
    }

    /// <summary>The SHA-256 (lowercase hex) and length of an entry's bytes.</summary>
    public static (string Sha256, long Length) Digest(ZipArchiveEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var stream = entry.Open();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long length = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            length += read;
        }

        return (Convert.ToHexStringLower(hash.GetHashAndReset()), length);
    }

    /// <summary>The SHA-256 of a whole file, lowercase hex (how archives are linked).</summary>
    public static string FileSha256(string path)
    {
        // read once to hash it: not left in the page cache
        using var stream = new DropBehindStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16));
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public void Dispose() => _zip.Dispose();
}
