namespace Broker.Protocol.Envelopes;

public enum EnvelopeKind : byte
{
    Request = 1,
    Response = 2,
}
