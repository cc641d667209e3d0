using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Broker.MessageLog.Archives;
using Broker.MessageLog.Proofs;

namespace Broker.MessageLog.Tests.Fixtures;

/// <summary>Archives in other shapes than the archiver writes today.</summary>
internal static class ArchiveFiles
{
    /// <summary>
    /// Rewrites an archive into the first format (<see cref="ArchiveFormat.FormatIdV1"/>), as archivers before 2026-11
    /// wrote it: proofs as <c>proofs.json</c> with hex paths, and <c>records.mlog</c> listed in the manifest with its digest.
    /// </summary>
    public static void ToFirstFormat(string path)
    {
        var proofs = ProofsFile.Read(new MemoryStream(ZipFiles.Read(path, ArchiveFormat.Proofs)), out var error) ?? throw new InvalidOperationException(error);
        var json = JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["proofs"] = new JsonArray([.. proofs.Values.OrderBy(p => p.Seq).Select(p => (JsonNode)new JsonObject
            {
                ["seq"] = p.Seq,
                ["stamp"] = p.StampSeq,
                ["index"] = p.Index,
                ["leafCount"] = p.LeafCount,
                ["path"] = new JsonArray([.. p.Path.Select(h => (JsonNode)Convert.ToHexStringLower(h))]),
            })]),
        });
        var records = ZipFiles.Read(path, ArchiveFormat.Records);
        var manifest = JsonNode.Parse(ZipFiles.Read(path, ArchiveFormat.Manifest))!.AsObject();
        manifest["format"] = ArchiveFormat.FormatIdV1;
        var entries = manifest["entries"]!.AsArray();
        entries.Remove(entries.Single(e => (string?)e!["name"] == ArchiveFormat.Proofs));
        entries.Add(Digest(ArchiveFormat.ProofsJson, json));
        entries.Add(Digest(ArchiveFormat.Records, records));

        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        zip.GetEntry(ArchiveFormat.Proofs)!.Delete();
        zip.GetEntry(ArchiveFormat.Manifest)!.Delete();
        using (var stream = zip.CreateEntry(ArchiveFormat.ProofsJson).Open())
        {
            stream.Write(json);
        }

        using (var stream = zip.CreateEntry(ArchiveFormat.Manifest).Open())
        {
            stream.Write(JsonSerializer.SerializeToUtf8Bytes(manifest));
        }
    }

    private static JsonObject Digest(string name, byte[] bytes) => new()
    {
        ["name"] = name,
        ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes)),
        ["length"] = bytes.LongLength,
    };
}
