using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using Broker.Central.Timestamping;
using Broker.MessageLog.Timestamping;

namespace Broker.Benchmarks.MessageLog;

/// <summary>The central server's RFC 3161 TSA called in-process: a real token over the batch root, without HTTP.</summary>
internal sealed class InProcessTimestampSource(TimestampAuthority authority) : ITimestampSource
{
    public Task<StampedRoot> StampAsync(byte[] root, CancellationToken cancellationToken)
    {
        var request = Rfc3161TimestampRequest.CreateFromHash(root, HashAlgorithmName.SHA256, nonce: RandomNumberGenerator.GetBytes(8), requestSignerCertificates: true);
        var token = request.ProcessResponse(authority.Respond(request.Encode()), out _);
        return Task.FromResult(new StampedRoot(token.AsSignedCms().Encode(), token.TokenInfo.Timestamp));
    }
}
