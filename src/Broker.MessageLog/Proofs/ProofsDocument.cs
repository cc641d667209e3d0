namespace Broker.MessageLog.Proofs;

/// <summary><c>proofs.json</c>: the per-record proofs of an archive or evidence container.</summary>
public sealed class ProofsDocument
{
    public IReadOnlyList<ProofEntry> Proofs { get; init; } = [];
}
