using System.Text.Json.Serialization;
using Broker.MessageLog.Archives;
using Broker.MessageLog.Evidence;
using Broker.MessageLog.Proofs;

namespace Broker.MessageLog.Json;

/// <summary>The JSON of archives and evidence containers (source-generated; camelCase; nulls written).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UseStringEnumConverter = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(ArchiveManifest))]
[JsonSerializable(typeof(ProofsDocument))]
[JsonSerializable(typeof(EvidenceManifest))]
internal sealed partial class MessageLogJson : JsonSerializerContext;
