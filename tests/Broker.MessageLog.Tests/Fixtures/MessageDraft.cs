using Broker.Cryptography.Signing;
using Broker.Protocol.Envelopes;

namespace Broker.MessageLog.Tests.Fixtures;

/// <summary>A message as <see cref="TestLogs"/> is about to sign and log it; <see cref="LogSpec.Alter"/> may change any part.</summary>
/// <param name="Index">The exchange it belongs to (0-based).</param>
internal sealed record MessageDraft(int Index, EnvelopeKind Kind, string MessageId, string Client, string Service, byte[] Head, byte[] Body, ISigningKey Signer);
