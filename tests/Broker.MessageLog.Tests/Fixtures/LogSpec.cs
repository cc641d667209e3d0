using Broker.Central.Timestamping;
using Broker.MessageLog.Records;
using Broker.MessageLog.Trust;

namespace Broker.MessageLog.Tests.Fixtures;

/// <summary>The shape of a test log.</summary>
internal sealed record LogSpec
{
    /// <summary>Request/response pairs to log.</summary>
    public int Exchanges { get; init; } = 12;

    /// <summary>A timestamp record after this many message records.</summary>
    public int StampEvery { get; init; } = 5;

    /// <summary>Small, so that segments rotate every few records and batches span segment boundaries.</summary>
    public long MaxSegmentBytes { get; init; } = 12_000;

    public LogMode Mode { get; init; } = LogMode.Full;

    public string? BodyKeyFile { get; init; }

    /// <summary>Time-stamps the last records too (otherwise the log ends in an unstamped tail).</summary>
    public bool StampTail { get; init; } = true;

    /// <summary>Changes a message before it is signed and logged (another head, id, client, signer...).</summary>
    public Func<MessageDraft, MessageDraft>? Alter { get; init; }

    /// <summary>The TSA that stamps the batches (the approved one unless set).</summary>
    public TimestampAuthority? Tsa { get; init; }

    /// <summary>What the log's trust folder holds (the approved CA and TSA unless set).</summary>
    public TrustAnchors? Trust { get; init; }
}
