using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Broker.Central.Timestamping;
using Broker.Cli.Network;
using Broker.Cryptography.Timestamping;
using Broker.Pki.Authority;

namespace Broker.FunctionalTests;

/// <summary>
/// The central server's RFC 3161 TSA, reached over HTTP as security servers reach it: its tokens verify with .NET,
/// with <see cref="TimestampTokens"/> and with <c>openssl ts -verify</c>, and nothing else verifies.
/// </summary>
public sealed partial class TimestampAuthorityTests(TimestampNetworkFixture fixture) : IClassFixture<TimestampNetworkFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void GlobalConfiguration_FetchedByNode_ListsTheTsa()
    {
        var tsa = fixture.Tsa;
        Assert.Equal(new Uri($"http://127.0.0.1:{fixture.Network.Network.Tsa.Url.Port}/tsa"), tsa.Url);
        var issued = PemFiles.LoadCertificate(fixture.Network.CertificatesDirectory, DevelopmentPki.CentralTimestamping);
        Assert.Equal(issued.RawData, tsa.Certificate.RawData);
        Assert.Equal(issued.RawData, Assert.Single(fixture.ApprovedTsas).RawData);
    }

    [Fact]
    public async Task CertificateEndpoint_ServesTheApprovedCertificate()
    {
        var pem = await fixture.Http.GetStringAsync(new Uri(fixture.Tsa.Url, "/tsa/certificate"), Cancel);
        Assert.Equal(fixture.Tsa.Certificate.RawData, X509Certificate2.CreateFromPem(pem).RawData);
    }

    [Fact]
    public async Task Token_FromRunningTsa_VerifiesWithDotNetAndTryVerify()
    {
        var digest = SHA256.HashData("an exchange's record"u8);
        var before = DateTimeOffset.UtcNow;
        var response = await fixture.Client.RequestAsync(fixture.Tsa.Url, digest, fixture.ApprovedTsas, Cancel);

        Assert.True(Rfc3161TimestampToken.TryDecode(response.Token, out var token, out var consumed));
        Assert.Equal(response.Token.Length, consumed);
        Assert.True(token.VerifySignatureForHash(digest, HashAlgorithmName.SHA256, out var signer, extraCandidates: null)); // the certificate travels in the token
        Assert.Equal(fixture.Tsa.Certificate.RawData, signer!.RawData);
        Assert.Equal(TimestampAuthority.PolicyOid, token.TokenInfo.PolicyId.Value);
        Assert.Equal(1_000_000, token.TokenInfo.AccuracyInMicroseconds);
        Assert.Equal(TimestampTokens.Sha256Oid, token.TokenInfo.HashAlgorithmId.Value);

        Assert.True(TimestampTokens.TryVerify(response.Token, digest, fixture.ApprovedTsas, out var genTime, out var error), error);
        Assert.Null(error);
        Assert.Equal(response.GenTime, genTime);
        Assert.InRange(genTime, before.AddSeconds(-2), DateTimeOffset.UtcNow.AddSeconds(2)); // whole seconds, accuracy 1 s
    }

    [Fact]
    public async Task Token_VerifiesWithOpensslTsVerify()
    {
        var digest = SHA256.HashData("verified by hand"u8);
        var response = await fixture.Client.RequestAsync(fixture.Tsa.Url, digest, fixture.ApprovedTsas, Cancel);
        var directory = Path.Combine(fixture.Network.Directory, "openssl-ts-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var tokenPath = Path.Combine(directory, "token.der");
        await File.WriteAllBytesAsync(tokenPath, response.Token, Cancel);

        var (exit, output) = await OpensslTsVerifyAsync(Convert.ToHexStringLower(digest), tokenPath);
        Assert.True(exit == 0, output);
        Assert.Contains("Verification: OK", output, StringComparison.Ordinal);

        // another digest: openssl refuses the same token
        var (otherExit, otherOutput) = await OpensslTsVerifyAsync(Convert.ToHexStringLower(SHA256.HashData("something else"u8)), tokenPath);
        Assert.NotEqual(0, otherExit);
        Assert.DoesNotContain("Verification: OK", otherOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_CheckedAgainstAnotherDigest_FailsWithImprintError()
    {
        var response = await fixture.Client.RequestAsync(fixture.Tsa.Url, SHA256.HashData("the original"u8), fixture.ApprovedTsas, Cancel);

        Assert.False(TimestampTokens.TryVerify(response.Token, SHA256.HashData("the original!"u8), fixture.ApprovedTsas, out var genTime, out var error));
        Assert.Equal("the token's message imprint does not match", error);
        Assert.Equal(default, genTime);
    }

    [Fact]
    public async Task Token_CheckedAgainstOtherApprovedTsas_FailsNotApproved()
    {
        var digest = SHA256.HashData("evidence"u8);
        var response = await fixture.Client.RequestAsync(fixture.Tsa.Url, digest, fixture.ApprovedTsas, Cancel);
        using var otherTsa = CertificateAuthority.CreateRoot("Other Root").IssueTimestamping("Other TSA");
        using var sameCaOtherTsa = new CertificateAuthority(fixture.Network.LoadWithKey(DevelopmentPki.RootCa)).IssueTimestamping("Broker MN Time-Stamping Authority");

        Assert.False(TimestampTokens.TryVerify(response.Token, digest, [otherTsa], out _, out var error));
        Assert.Equal("the token is not signed by an approved TSA", error);
        // a TSA certificate from the same CA, even with the same name, is not the approved one
        Assert.False(TimestampTokens.TryVerify(response.Token, digest, [sameCaOtherTsa], out _, out error));
        Assert.Equal("the token is not signed by an approved TSA", error);
        Assert.False(TimestampTokens.TryVerify(response.Token, digest, [], out _, out error));
        Assert.Equal("the token is not signed by an approved TSA", error);

        var client = await Assert.ThrowsAsync<TimestampException>(() => fixture.Client.RequestAsync(fixture.Tsa.Url, digest, [otherTsa], Cancel));
        Assert.Equal(TimestampFailure.InvalidToken, client.Kind);
        Assert.Contains("not signed by an approved TSA", client.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GarbageOrDamagedTokens_FailCleanly()
    {
        var digest = SHA256.HashData("evidence"u8);
        var token = (await fixture.Client.RequestAsync(fixture.Tsa.Url, digest, fixture.ApprovedTsas, Cancel)).Token;
        byte[][] bad =
        [
            [],
            [0x30],
            [0x30, 0x80, 0x00, 0x00],
            RandomNumberGenerator.GetBytes(700),
            token[..(token.Length / 2)],
            token[..^1],
            [.. token, 0x00],
            "-----BEGIN PKCS7-----"u8.ToArray(),
        ];
        foreach (var candidate in bad)
        {
            Assert.False(TimestampTokens.TryVerify(candidate, digest, fixture.ApprovedTsas, out _, out var error));
            Assert.False(string.IsNullOrEmpty(error));
        }

        // one flipped bit in the signature value (the token's last bytes): decodes, but does not verify
        var tampered = (byte[])token.Clone();
        tampered[^3] ^= 0x01;
        Assert.False(TimestampTokens.TryVerify(tampered, digest, fixture.ApprovedTsas, out _, out var signatureError));
        Assert.Equal("the token's signature does not verify with the approved TSA's certificate", signatureError);
    }

    [Fact]
    public async Task ConcurrentRequests_AllVerify_WithDistinctIncreasingSerials()
    {
        var digests = Enumerable.Range(0, 32).Select(i => SHA256.HashData(BitConverter.GetBytes(i))).ToArray();
        var responses = await Task.WhenAll(digests.Select(d => fixture.Client.RequestAsync(fixture.Tsa.Url, d, fixture.ApprovedTsas, Cancel)));
        var serials = responses.Select(r => Serial(r.Token)).ToArray();
        Assert.Equal(serials.Length, serials.Distinct().Count());
        var next = await fixture.Client.RequestAsync(fixture.Tsa.Url, digests[0], fixture.ApprovedTsas, Cancel);
        Assert.True(Serial(next.Token) > serials.Max());
    }

    private static System.Numerics.BigInteger Serial(byte[] token)
    {
        Assert.True(Rfc3161TimestampToken.TryDecode(token, out var decoded, out _));
        return new System.Numerics.BigInteger(decoded.TokenInfo.GetSerialNumber().Span, isUnsigned: false, isBigEndian: true);
    }

    private async Task<(int ExitCode, string Output)> OpensslTsVerifyAsync(string digestHex, string tokenPath)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "ts", "-verify", "-digest", digestHex, "-in", tokenPath, "-token_in", "-CAfile", fixture.RootCaPem, "-untrusted", fixture.TsaPem })
        {
            start.ArgumentList.Add(argument);
        }

        // a missing openssl is a failure (Process.Start throws), not a skip
        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start (scripts/setup.sh installs it)");
        var stdout = process.StandardOutput.ReadToEndAsync(Cancel);
        var stderr = process.StandardError.ReadToEndAsync(Cancel);
        await process.WaitForExitAsync(Cancel);
        return (process.ExitCode, await stdout + await stderr);
    }
}
