using Broker.MessageLog.Proofs;
using Broker.MessageLog.Records;

namespace Broker.MessageLog.Archives;

/// <summary>The batch time-stamps of a segment being archived: those from later segments, and a proof per message record.</summary>
internal sealed record ArchiveBatches(IReadOnlyList<LogRecord> ExternalStamps, IReadOnlyList<RecordProof> Proofs);
