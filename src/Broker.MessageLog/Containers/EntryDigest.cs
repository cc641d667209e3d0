namespace Broker.MessageLog.Containers;

/// <summary>A ZIP entry as a manifest lists it: its name, the SHA-256 of its bytes (lowercase hex) and its length.</summary>
public sealed record EntryDigest(string Name, string Sha256, long Length);
