namespace Broker.MessageLog.Archives;

/// <summary>The archive a newer one links to: its file name and the SHA-256 of its bytes (lowercase hex).</summary>
public sealed record ArchiveLink(string File, string Sha256);
