namespace Broker.Cryptography.Timestamping;

/// <summary>A verified time-stamp token (DER, as kept with the evidence it covers) and the time it states.</summary>
public sealed record TimestampResponse(byte[] Token, DateTimeOffset GenTime);
