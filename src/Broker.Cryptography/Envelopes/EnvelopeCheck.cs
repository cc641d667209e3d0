using Broker.Cryptography.Xml;

namespace Broker.Cryptography.Envelopes;

/// <summary>The outcome of verifying an envelope, with the part digests when it verified.</summary>
public sealed record EnvelopeCheck(SignatureCheck Signature, byte[] HeadDigest, byte[] BodyDigest)
{
    public bool IsValid => Signature.IsValid;
}
