using Broker.Protocol.Envelopes;

namespace Broker.MessageLog.Tests.Fixtures;

/// <summary>A message record the test wrote, and where it landed.</summary>
internal sealed record LoggedMessage(long Seq, string MessageId, EnvelopeKind Kind, byte[] Hash);
