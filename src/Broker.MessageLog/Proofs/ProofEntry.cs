namespace Broker.MessageLog.Proofs;

/// <summary>One record's proof as <c>proofs.json</c> lists it (hashes in lowercase hex).</summary>
public sealed class ProofEntry
{
    public long Seq { get; init; }

    /// <summary>The timestamp record whose root the path leads to.</summary>
    public long Stamp { get; init; }

    public int Index { get; init; }

    public int LeafCount { get; init; }

    public IReadOnlyList<string> Path { get; init; } = [];

    /// <summary>The proof; a path hash that is not hex becomes an empty one, so that the proof never verifies.</summary>
    public RecordProof ToProof()
    {
        var path = new byte[Path.Count][];
        for (var i = 0; i < path.Length; i++)
        {
            try
            {
                path[i] = Convert.FromHexString(Path[i]);
            }
            catch (FormatException)
            {
                path[i] = [];
            }
        }

        return new RecordProof(Seq, Stamp, Index, LeafCount, path);
    }
}
