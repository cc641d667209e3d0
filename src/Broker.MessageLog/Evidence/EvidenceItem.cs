using Broker.MessageLog.Proofs;
using Broker.MessageLog.Records;

namespace Broker.MessageLog.Evidence;

/// <summary>A message record of the evidence, with the timestamp record that covers it and its proof (both null when not stamped yet).</summary>
public sealed record EvidenceItem(LogRecord Record, LogRecord? Stamp, RecordProof? Proof);
