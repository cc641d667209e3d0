namespace Broker.Cryptography.Envelopes;

/// <summary>An envelope ready to send, with the part digests it was signed over (for the request hash and the log).</summary>
public sealed record SignedEnvelope(byte[] Bytes, byte[] HeadDigest, byte[] BodyDigest);
