using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using Broker.Central.Timestamping;
using Broker.Cryptography.Signing;
using Broker.Cryptography.Timestamping;
using Broker.Pki.Authority;
using Broker.Testing;
using BcTimeStampResponse = Org.BouncyCastle.Tsp.TimeStampResponse;

namespace Broker.Cryptography.Tests;

/// <summary>
/// <see cref="TimestampTokens.TryVerify"/> on tokens from an in-process <see cref="TimestampAuthority"/>: the cases
/// the running network does not produce (no certificate in the token, a TSA certificate expired at genTime) and
/// hostile requests to the TSA.
/// </summary>
public sealed class TimestampTokenTests
{
    private static readonly CertificateAuthority s_ca = CertificateAuthority.CreateRoot("Test Root");
    private static readonly SoftwareSigningKey s_tsaKey = new(s_ca.IssueTimestamping("Test TSA"), []);
    private static readonly TimestampAuthority s_tsa = new(s_tsaKey, TimeProvider.System);
    private static readonly byte[] s_digest = SHA256.HashData("evidence"u8);

    private static byte[] Token(TimestampAuthority tsa, bool certificateInToken)
    {
        var request = Rfc3161TimestampRequest.CreateFromHash(s_digest, HashAlgorithmName.SHA256, nonce: RandomNumberGenerator.GetBytes(8), requestSignerCertificates: certificateInToken);
        // taken out with BouncyCastle: .NET's ProcessResponse would already refuse some of the tokens tested here
        return new BcTimeStampResponse(tsa.Respond(request.Encode())).TimeStampToken.GetEncoded();
    }

    [Fact]
    public void TryVerify_TokenWithoutCertificate_MatchesTheApprovedCertificateBySignerIdentifier()
    {
        var token = Token(s_tsa, certificateInToken: false);
        Assert.True(Rfc3161TimestampToken.TryDecode(token, out var decoded, out _));
        Assert.Empty(decoded.AsSignedCms().Certificates);

        Assert.True(TimestampTokens.TryVerify(token, s_digest, [s_tsa.Certificate], out var genTime, out var error), error);
        Assert.InRange(genTime, DateTimeOffset.UtcNow.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(1));

        using var other = CertificateAuthority.CreateRoot("Other Root").IssueTimestamping("Other TSA");
        Assert.False(TimestampTokens.TryVerify(token, s_digest, [other], out _, out error));
        Assert.Equal("the token is not signed by an approved TSA", error);
    }

    [Fact]
    public void TryVerify_TamperedTokenWithoutCertificate_IsSignatureError()
    {
        var token = Token(s_tsa, certificateInToken: false);
        token[^3] ^= 0x01; // inside the ECDSA signature value

        Assert.False(TimestampTokens.TryVerify(token, s_digest, [s_tsa.Certificate], out _, out var error));
        Assert.Equal("the token's signature does not verify with the approved TSA's certificate", error);
    }

    [Fact]
    public void TryVerify_GenTimeAfterTheTsaCertificateExpired_Fails()
    {
        using var shortLived = s_ca.IssueTimestamping("Short-lived TSA", TimeSpan.FromDays(1));
        using var key = new SoftwareSigningKey(shortLived, []);
        var late = new AdjustableTimeProvider();
        late.Advance(TimeSpan.FromDays(2));
        var token = Token(new TimestampAuthority(key, late), certificateInToken: true);

        Assert.False(TimestampTokens.TryVerify(token, s_digest, [key.Certificate], out _, out var error));
        Assert.StartsWith("the TSA certificate was not valid at the token's time", error, StringComparison.Ordinal);
    }

    [Fact]
    public void IssueTimestamping_HasOneCriticalTimeStampingUsage()
    {
        var extension = Assert.Single(s_tsa.Certificate.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension>());
        Assert.True(extension.Critical);
        Assert.Equal(TimestampTokens.TimeStampingOid, Assert.Single(extension.EnhancedKeyUsages.Cast<Oid>()).Value);
    }

    [Fact]
    public void TryVerify_DigestOfAnotherLength_IsACallerBug()
    {
        var token = Token(s_tsa, certificateInToken: true);
        Assert.Throws<ArgumentException>(() => TimestampTokens.TryVerify(token, SHA512.HashData("evidence"u8), [s_tsa.Certificate], out _, out _));
    }

    [Fact]
    public void Respond_EveryMutationOfARequest_IsAnsweredWithATimeStampResp()
    {
        var request = Rfc3161TimestampRequest.CreateFromHash(s_digest, HashAlgorithmName.SHA256, nonce: RandomNumberGenerator.GetBytes(8), requestSignerCertificates: true).Encode();
        for (var i = 0; i < request.Length; i++)
        {
            foreach (var mutation in new Func<byte[], byte[]>[] { r => { r[i] ^= 0xff; return r; }, r => r[..i], r => [.. r[..i], 0x00, .. r[i..]] })
            {
                var mutated = mutation((byte[])request.Clone());
                var reply = new BcTimeStampResponse(s_tsa.Respond(mutated)); // parses: always a TimeStampResp
                if (reply.Status == 0)
                {
                    // granted: the token verifies over the imprint it states
                    var token = reply.TimeStampToken;
                    Assert.True(Rfc3161TimestampToken.TryDecode(token.GetEncoded(), out var decoded, out _));
                    Assert.True(decoded.VerifySignatureForHash(decoded.TokenInfo.GetMessageHash().Span, decoded.TokenInfo.HashAlgorithmId, out _, [s_tsa.Certificate]));
                }
                else
                {
                    Assert.Equal(2, reply.Status); // rejection
                    Assert.Null(reply.TimeStampToken);
                }
            }
        }
    }
}
