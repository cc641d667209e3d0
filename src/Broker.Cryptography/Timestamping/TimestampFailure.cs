namespace Broker.Cryptography.Timestamping;

/// <summary>Why a time-stamp could not be obtained.</summary>
public enum TimestampFailure
{
    /// <summary>The TSA could not be reached, timed out, or answered 5xx/408/429: worth retrying later or elsewhere.</summary>
    Unavailable,

    /// <summary>The TSA answered another non-success HTTP status (wrong URL, method, media type).</summary>
    HttpError,

    /// <summary>The TSA answered with a status other than granted (e.g. rejection with badAlg).</summary>
    Rejected,

    /// <summary>The answer is not a well-formed <c>application/timestamp-reply</c>.</summary>
    InvalidReply,

    /// <summary>The token is granted but does not check out (imprint, nonce, signer, signature).</summary>
    InvalidToken,
}
