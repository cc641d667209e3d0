namespace Broker.Cryptography.Xml;

/// <summary>One signed part of a message: its name (<c>head</c>, <c>body</c>) and its SHA-512 digest.</summary>
public readonly record struct SignedPart(string Name, ReadOnlyMemory<byte> Digest);
