using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace Broker.Cryptography.Timestamping;

/// <summary>
/// Asks an RFC 3161 time-stamping authority over HTTP (RFC 3161 section 3.4) for a token over a SHA-256 digest: a
/// random nonce, certReq set, then everything checked before the token is returned (status, nonce, imprint, approved
/// signer, signature). Wraps an <see cref="HttpClient"/> that the caller owns and configures (timeout, handler).
/// </summary>
public sealed class TimestampClient
{
    public const string QueryMediaType = "application/timestamp-query";
    public const string ReplyMediaType = "application/timestamp-reply";

    /// <summary>The largest reply read; a token with one certificate is about 1–2 KiB.</summary>
    public const int MaxReplyBytes = 64 * 1024;

    private readonly HttpClient _http;

    public TimestampClient(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
    }

    /// <summary>Obtains and verifies a token over <paramref name="sha256Digest"/> from the TSA at <paramref name="tsaUrl"/>.</summary>
    /// <exception cref="TimestampException">The TSA is unreachable, answered an HTTP error or a rejection, or its token does not check out.</exception>
    public async Task<TimestampResponse> RequestAsync(
        Uri tsaUrl, ReadOnlyMemory<byte> sha256Digest, IReadOnlyCollection<X509Certificate2> approvedTsas, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tsaUrl);
        ArgumentNullException.ThrowIfNull(approvedTsas);
        if (sha256Digest.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException($"A SHA-256 digest is {SHA256.HashSizeInBytes} bytes, not {sha256Digest.Length}.", nameof(sha256Digest));
        }

        var request = Rfc3161TimestampRequest.CreateFromHash(
            sha256Digest, HashAlgorithmName.SHA256, requestedPolicyId: null, nonce: RandomNumberGenerator.GetBytes(16), requestSignerCertificates: true);
        var body = await PostAsync(tsaUrl, request.Encode(), cancellationToken).ConfigureAwait(false);

        if (!TimestampReply.TryParse(body, out var reply))
        {
            throw new TimestampException(TimestampFailure.InvalidReply, $"The TSA at {tsaUrl} answered something that is not a TimeStampResp.");
        }

        if (!reply.IsGranted)
        {
            // timeNotAvailable (bit 14) and systemFailure (bit 25) are the TSA's own trouble
            var transient = reply.FailInfo is { } bits && (bits & ((1 << 14) | (1 << 25))) != 0;
            throw new TimestampException(TimestampFailure.Rejected, $"The TSA at {tsaUrl} did not grant the time-stamp: {reply.Describe()}.", transient);
        }

        if (reply.Token is not { } tokenDer)
        {
            throw new TimestampException(TimestampFailure.InvalidReply, $"The TSA at {tsaUrl} granted the time-stamp but sent no token.");
        }

        if (!TimestampTokens.TryVerify(tokenDer, sha256Digest.Span, approvedTsas, out var info, out var genTime, out var error))
        {
            throw new TimestampException(TimestampFailure.InvalidToken, $"The token from the TSA at {tsaUrl} is invalid: {error}.");
        }

        // a genuine token, but is it the answer to this request (not a replayed one)?
        var expectedNonce = request.GetNonce();
        var nonce = info.GetNonce();
        if (expectedNonce is null || nonce is null || !nonce.Value.Span.SequenceEqual(expectedNonce.Value.Span))
        {
            throw new TimestampException(TimestampFailure.InvalidToken, $"The token from the TSA at {tsaUrl} is invalid: the token's nonce does not match the request's.");
        }

        return new TimestampResponse(tokenDer.ToArray(), genTime);
    }

    private async Task<byte[]> PostAsync(Uri tsaUrl, byte[] query, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new ByteArrayContent(query);
            content.Headers.ContentType = new MediaTypeHeaderValue(QueryMediaType);
            using var response = await _http.PostAsync(tsaUrl, content, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var status = response.StatusCode;
                var transient = (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
                throw new TimestampException(
                    transient ? TimestampFailure.Unavailable : TimestampFailure.HttpError,
                    $"The TSA at {tsaUrl} answered HTTP {(int)status} {response.ReasonPhrase}.",
                    transient);
            }

            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (!string.Equals(mediaType, ReplyMediaType, StringComparison.OrdinalIgnoreCase))
            {
                throw new TimestampException(TimestampFailure.InvalidReply, $"The TSA at {tsaUrl} answered {mediaType ?? "no media type"}, not {ReplyMediaType}.");
            }

            if (response.Content.Headers.ContentLength > MaxReplyBytes)
            {
                throw new TimestampException(TimestampFailure.InvalidReply, $"The TSA at {tsaUrl} answered more than {MaxReplyBytes} bytes.");
            }

            using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxReplyBytes)
                {
                    throw new TimestampException(TimestampFailure.InvalidReply, $"The TSA at {tsaUrl} answered more than {MaxReplyBytes} bytes.");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
        catch (HttpRequestException e)
        {
            throw new TimestampException(TimestampFailure.Unavailable, $"The TSA at {tsaUrl} could not be reached: {e.Message}", isTransient: true, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimestampException(TimestampFailure.Unavailable, $"The TSA at {tsaUrl} did not answer in time.", isTransient: true, e);
        }
        catch (IOException e)
        {
            throw new TimestampException(TimestampFailure.Unavailable, $"The connection to the TSA at {tsaUrl} failed: {e.Message}", isTransient: true, e);
        }
    }
}
