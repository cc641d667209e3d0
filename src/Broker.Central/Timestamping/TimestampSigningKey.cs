using Broker.Cryptography.Signing;

namespace Broker.Central.Timestamping;

/// <summary>The TSA host's software signing key, in the container so that it is disposed with the host.</summary>
internal sealed class TimestampSigningKey(SoftwareSigningKey key) : IDisposable
{
    public SoftwareSigningKey Key { get; } = key;

    public void Dispose() => Key.Dispose();
}
