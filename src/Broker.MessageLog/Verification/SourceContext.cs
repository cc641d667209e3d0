using Broker.MessageLog.Proofs;

namespace Broker.MessageLog.Verification;

/// <summary>Where records come from (a segment, an archive, a container): its name, its trust, its per-record proofs.</summary>
internal sealed class SourceContext(string name, TrustContext trust, IReadOnlyDictionary<long, RecordProof>? proofs = null)
{
    public string Name { get; } = name;

    public TrustContext Trust { get; } = trust;

    /// <summary>The proofs the source carries (archives, evidence); null for a live segment.</summary>
    public IReadOnlyDictionary<long, RecordProof>? Proofs { get; } = proofs;

    /// <summary>The message records found in the source (kept only when it carries proofs).</summary>
    public HashSet<long> MessageSeqs { get; } = [];

    public long? FirstSeq { get; set; }

    public byte[]? FirstPreviousHash { get; set; }

    public long? LastSeq { get; set; }

    public byte[]? LastHash { get; set; }

}
