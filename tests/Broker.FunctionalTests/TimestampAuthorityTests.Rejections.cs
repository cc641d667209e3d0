using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using Broker.Central.Timestamping;
using Broker.Cryptography.Timestamping;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using BcPkiFailureInfo = Org.BouncyCastle.Asn1.Cmp.PkiFailureInfo;
using BcTimeStampResponse = Org.BouncyCastle.Tsp.TimeStampResponse;

namespace Broker.FunctionalTests;

/// <summary>What the TSA refuses, and how <see cref="TimestampClient"/> reports refusals, outages and replayed replies.</summary>
public sealed partial class TimestampAuthorityTests
{
    private const int Rejection = 2; // PKIStatus rejection

    [Fact]
    public async Task Sha1Request_IsRejectedWithBadAlg_AndClientThrows()
    {
        var request = Rfc3161TimestampRequest.CreateFromHash(SHA1.HashData("legacy"u8), HashAlgorithmName.SHA1, nonce: RandomNumberGenerator.GetBytes(8), requestSignerCertificates: true);
        var reply = await PostQueryAsync(request.Encode());

        var response = new BcTimeStampResponse(reply);
        Assert.Equal(Rejection, response.Status);
        Assert.Equal(BcPkiFailureInfo.BadAlg, response.GetFailInfo().IntValue);
        Assert.Null(response.TimeStampToken);
        Assert.Throws<CryptographicException>(() => request.ProcessResponse(reply, out _));

        // the same rejection reaching the client: a TimestampException that names it
        await using var replay = await ReplyServer.StartAsync(reply);
        var failure = await Assert.ThrowsAsync<TimestampException>(
            () => fixture.Client.RequestAsync(replay.Url, SHA256.HashData("legacy"u8), fixture.ApprovedTsas, Cancel));
        Assert.Equal(TimestampFailure.Rejected, failure.Kind);
        Assert.False(failure.IsTransient);
        Assert.Contains("rejection (badAlg)", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("garbage", BcPkiFailureInfo.BadDataFormat)]
    [InlineData("empty", BcPkiFailureInfo.BadDataFormat)]
    [InlineData("short-imprint", BcPkiFailureInfo.BadDataFormat)]
    [InlineData("version-2", BcPkiFailureInfo.BadRequest)]
    [InlineData("other-policy", BcPkiFailureInfo.UnacceptedPolicy)]
    [InlineData("extension", BcPkiFailureInfo.UnacceptedExtension)]
    public async Task BadRequests_AreAnsweredWithRejections(string kind, int expectedFailInfo)
    {
        var digest = SHA256.HashData("x"u8);
        byte[] query = kind switch
        {
            "garbage" => RandomNumberGenerator.GetBytes(100),
            "empty" => [],
            // a SHA-256 imprint of 20 bytes: the algorithm says one length, the imprint has another
            "short-imprint" => ShortenImprint(Rfc3161TimestampRequest.CreateFromHash(digest, HashAlgorithmName.SHA256).Encode()),
            "version-2" => WithVersion(Rfc3161TimestampRequest.CreateFromHash(digest, HashAlgorithmName.SHA256).Encode(), 2),
            "other-policy" => Rfc3161TimestampRequest.CreateFromHash(digest, HashAlgorithmName.SHA256, requestedPolicyId: new Oid("1.2.3.4")).Encode(),
            "extension" => Rfc3161TimestampRequest.CreateFromHash(
                digest, HashAlgorithmName.SHA256, extensions: [new System.Security.Cryptography.X509Certificates.X509Extension("1.2.3.5", [0x05, 0x00], false)]).Encode(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var response = new BcTimeStampResponse(await PostQueryAsync(query));
        Assert.Equal(Rejection, response.Status);
        Assert.Equal(expectedFailInfo, response.GetFailInfo().IntValue);
    }

    [Fact]
    public async Task Sha512Imprint_IsGranted()
    {
        var digest = SHA512.HashData("x"u8);
        var request = Rfc3161TimestampRequest.CreateFromHash(digest, HashAlgorithmName.SHA512, nonce: RandomNumberGenerator.GetBytes(8), requestSignerCertificates: true);
        var token = request.ProcessResponse(await PostQueryAsync(request.Encode()), out _);
        Assert.True(token.VerifySignatureForHash(digest, HashAlgorithmName.SHA512, out _, extraCandidates: null));

        // TryVerify only accepts SHA-256 imprints
        Assert.False(TimestampTokens.TryVerify(token.AsSignedCms().Encode(), SHA256.HashData("x"u8), fixture.ApprovedTsas, out _, out var error));
        Assert.StartsWith("the token's message imprint is not SHA-256", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpLevelErrors_AreStatusCodes_AndClientThrowsHttpError()
    {
        var query = Rfc3161TimestampRequest.CreateFromHash(SHA256.HashData("x"u8), HashAlgorithmName.SHA256).Encode();
        using (var wrongType = await PostAsync(query, "application/octet-stream"))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        }

        using (var tooLarge = await PostAsync(new byte[TimestampAuthorityHost.MaxRequestBytes + 1], TimestampClient.QueryMediaType))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        }

        var failure = await Assert.ThrowsAsync<TimestampException>(
            () => fixture.Client.RequestAsync(new Uri(fixture.Tsa.Url, "/no-tsa-here"), SHA256.HashData("x"u8), fixture.ApprovedTsas, Cancel));
        Assert.Equal(TimestampFailure.HttpError, failure.Kind);
        Assert.Contains("HTTP 404", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplayedGrantedReply_FailsTheNonceCheck()
    {
        var digest = SHA256.HashData("replayed"u8);
        var request = Rfc3161TimestampRequest.CreateFromHash(digest, HashAlgorithmName.SHA256, nonce: RandomNumberGenerator.GetBytes(8), requestSignerCertificates: true);
        var genuine = await PostQueryAsync(request.Encode());
        request.ProcessResponse(genuine, out _); // genuine for its own request

        // a granted, validly signed reply for the same digest, but to another request
        await using var replay = await ReplyServer.StartAsync(genuine);
        var failure = await Assert.ThrowsAsync<TimestampException>(() => fixture.Client.RequestAsync(replay.Url, digest, fixture.ApprovedTsas, Cancel));
        Assert.Equal(TimestampFailure.InvalidToken, failure.Kind);
        Assert.Contains("nonce does not match", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TsaOutage_ClientThrowsTransient_ThenRestartedTsaAnswersOnTheSamePort()
    {
        var digest = SHA256.HashData("during an outage"u8);
        var before = await fixture.Client.RequestAsync(fixture.Tsa.Url, digest, fixture.ApprovedTsas, Cancel);
        var port = fixture.Network.Network.Tsa.Url.Port;

        await fixture.Network.Network.StopTsaAsync(Cancel);
        try
        {
            var failure = await Assert.ThrowsAsync<TimestampException>(() => fixture.Client.RequestAsync(fixture.Tsa.Url, digest, fixture.ApprovedTsas, Cancel));
            Assert.Equal(TimestampFailure.Unavailable, failure.Kind);
            Assert.True(failure.IsTransient);
            Assert.Contains("could not be reached", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.Network.Network.StartTsaAsync(Cancel);
        }

        Assert.Equal(port, fixture.Network.Network.Tsa.Url.Port);
        var after = await fixture.Client.RequestAsync(fixture.Tsa.Url, digest, fixture.ApprovedTsas, Cancel);
        Assert.True(Serial(after.Token) > Serial(before.Token), "serial numbers keep increasing across a restart");
    }

    private async Task<byte[]> PostQueryAsync(byte[] query)
    {
        using var response = await PostAsync(query, TimestampClient.QueryMediaType);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TimestampClient.ReplyMediaType, response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync(Cancel);
    }

    private async Task<HttpResponseMessage> PostAsync(byte[] body, string mediaType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return await fixture.Http.PostAsync(fixture.Tsa.Url, content, Cancel);
    }

    // MessageImprint ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashedMessage OCTET STRING }: cut the 32-byte
    // OCTET STRING to 20 bytes and fix the three enclosing lengths (all short-form in this small request)
    private static byte[] ShortenImprint(byte[] der)
    {
        var at = der.AsSpan().IndexOf([(byte)0x04, (byte)0x20]);
        Assert.True(at > 0 && der[1] < 0x80 && der[5] == 0x30 && der[6] < 0x80);
        var result = new List<byte>(der[..at]) { 0x04, 20 };
        result.AddRange(der[(at + 2)..(at + 2 + 20)]);
        result.AddRange(der[(at + 2 + 32)..]);
        result[1] -= 12; // TimeStampReq
        result[6] -= 12; // MessageImprint (after the version, 02 01 01)
        return [.. result];
    }

    // TimeStampReq ::= SEQUENCE { version INTEGER (02 01 01), ... }
    private static byte[] WithVersion(byte[] der, byte version)
    {
        Assert.True(der[1] < 0x80 && der[2] == 0x02 && der[3] == 0x01 && der[4] == 0x01);
        der[4] = version;
        return der;
    }

    /// <summary>A fake TSA that answers every query with the same bytes (a replayed or canned reply).</summary>
    private sealed class ReplyServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private ReplyServer(WebApplication app, Uri url)
        {
            _app = app;
            Url = url;
        }

        public Uri Url { get; }

        public static async Task<ReplyServer> StartAsync(byte[] reply)
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            app.Run(context =>
            {
                context.Response.ContentType = TimestampClient.ReplyMediaType;
                return context.Response.Body.WriteAsync(reply, context.RequestAborted).AsTask();
            });
            await app.StartAsync();
            return new ReplyServer(app, new Uri(new Uri(app.Urls.First()), "/tsa"));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
