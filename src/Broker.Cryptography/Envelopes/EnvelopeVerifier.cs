using System.Security.Cryptography;
using Broker.Cryptography.Xml;
using Broker.Protocol.Envelopes;
using Broker.Protocol.Identifiers;

namespace Broker.Cryptography.Envelopes;

/// <summary>
/// Verifies a received envelope: the signature document (fast profile path), the signer's member, and that the
/// head and body carried are exactly the ones the manifest lists. Nothing is trusted before this returns valid.
/// </summary>
public static class EnvelopeVerifier
{
    public static EnvelopeCheck Verify(Envelope envelope, ClientId expectedMember, SignatureVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        var check = verifier.Verify(envelope.Signature, expectedMember);
        if (!check.IsValid)
        {
            return new EnvelopeCheck(check, [], []);
        }

        var document = check.Document!;
        if (document.Parts.Count != (envelope.Body.IsEmpty ? 1 : 2))
        {
            return Fail(SignatureFailure.Malformed, "the signed parts do not match the parts carried");
        }

        var headDigest = SHA512.HashData(envelope.Head.Span);
        if (!Matches(document.GetPartDigest(EnvelopeSigner.HeadPart), headDigest))
        {
            return Fail(SignatureFailure.Signature, "the message head does not match its signed digest");
        }

        byte[] bodyDigest = [];
        if (!envelope.Body.IsEmpty)
        {
            bodyDigest = SHA512.HashData(envelope.Body.Span);
            if (!Matches(document.GetPartDigest(EnvelopeSigner.BodyPart), bodyDigest))
            {
                return Fail(SignatureFailure.Signature, "the message body does not match its signed digest");
            }
        }

        return new EnvelopeCheck(check, headDigest, bodyDigest);
    }

    private static bool Matches(byte[]? expected, byte[] actual) =>
        expected is not null && CryptographicOperations.FixedTimeEquals(expected, actual);

    private static EnvelopeCheck Fail(SignatureFailure failure, string error) =>
        new(SignatureCheck.Fail(failure, error), [], []);
}
