using System.Security.Cryptography.X509Certificates;
using Broker.Cryptography.X509;
using Broker.Cryptography.Xml;
using Broker.MessageLog.Trust;

namespace Broker.MessageLog.Verification;

/// <summary>
/// The trust one part of the input is verified with: signature verifiers per signing-time instant (one per time-stamp,
/// since the records of a batch share its time), and the approved TSA certificates.
/// </summary>
internal sealed class TrustContext(TrustAnchors anchors)
{
    private const int MaxVerifiers = 1024;
    private readonly Dictionary<DateTimeOffset, SignatureVerifier> _verifiers = [];

    public TrustAnchors Anchors { get; } = anchors;

    /// <summary>A verifier whose certificate checks are made as of <paramref name="time"/> (to the second, like certificate validity).</summary>
    public SignatureVerifier VerifierAt(DateTimeOffset time)
    {
        time = new DateTimeOffset(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        if (!_verifiers.TryGetValue(time, out var verifier))
        {
            if (_verifiers.Count >= MaxVerifiers)
            {
                _verifiers.Clear();
            }

            verifier = new SignatureVerifier(new CertificateValidator(Anchors.CertificateAuthorities, new FixedTimeProvider(time)));
            _verifiers[time] = verifier;
        }

        return verifier;
    }
}
