using System.Collections;
using Broker.Cryptography.Signing;
using Broker.Cryptography.X509;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Store;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using X509Certificate2 = System.Security.Cryptography.X509Certificates.X509Certificate2;

namespace Broker.Central.Timestamping;

/// <summary>
/// An RFC 3161 time-stamping authority (BouncyCastle's token generator, the key behind <see cref="ISigningKey"/>).
/// Tokens: policy <see cref="PolicyOid"/>, accuracy 1 s, genTime in whole seconds from the injected clock, serial
/// numbers strictly increasing (also across restarts: they start from the clock's ticks), the nonce echoed, the
/// signer bound by ESSCertIDv2 (SHA-256, with issuer and serial), the TSA certificate included when the request sets
/// certReq. Imprints: SHA-256, SHA-384, SHA-512 only. Every request gets a <c>TimeStampResp</c>: granted, or a
/// rejection naming the failure (badAlg, badDataFormat, badRequest, unacceptedPolicy, unacceptedExtension).
/// Safe to call concurrently.
/// </summary>
public sealed class TimestampAuthority
{
    /// <summary>
    /// The TSA policy of every token: a UUID-based OID (ITU-T X.667, arc 2.25) minted for Broker's development TSA,
    /// <c>2af2b2d0-2f3e-4813-a25b-a0b4178c1122</c>. A request naming another policy is rejected (unacceptedPolicy).
    /// </summary>
    public const string PolicyOid = "2.25.57087738425720237147375309117524283682";

    private static readonly IList s_algorithms = new ArrayList { TspAlgorithms.Sha256, TspAlgorithms.Sha384, TspAlgorithms.Sha512 };
    private static readonly IList s_policies = new ArrayList { PolicyOid };
    private static readonly IList s_extensions = new ArrayList(); // none accepted

    private readonly TimeStampTokenGenerator _tokens;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _lastSerial;

    public TimestampAuthority(ISigningKey key, TimeProvider time, ILogger<TimestampAuthority>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _logger = logger ?? NullLogger<TimestampAuthority>.Instance;
        Certificate = key.Certificate;

        // BouncyCastle checks the profile here: exactly one extended key usage, timeStamping, critical
        var certificate = new X509CertificateParser().ReadCertificate(key.Certificate.RawData);
        var signer = new SignerInfoGeneratorBuilder()
            .WithSignedAttributeGenerator(new TokenSignedAttributes())
            .Build(new SigningKeySignatureFactory(key), certificate);
        _tokens = new TimeStampTokenGenerator(signer, Asn1DigestFactory.Get(NistObjectIdentifiers.IdSha256), new DerObjectIdentifier(PolicyOid), isIssuerSerialIncluded: true);
        _tokens.SetAccuracySeconds(1);
        _tokens.SetCertificates(X509StoreFactory.Create("Certificate/Collection", new X509CollectionStoreParameters(new BcCertificate[] { certificate })));
        TimestampAuthorityLog.Started(_logger, CertificateValidator.Hex(Certificate), PolicyOid);
    }

    /// <summary>The TSA's certificate (public part).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Answers one DER <c>TimeStampReq</c> with a DER <c>TimeStampResp</c>, granted or rejected; never throws for bad input.</summary>
    public byte[] Respond(byte[] requestDer)
    {
        ArgumentNullException.ThrowIfNull(requestDer);
        var responses = new TimeStampResponseGenerator(_tokens, s_algorithms, s_policies, s_extensions); // holds per-response state
        TimeStampRequest request;
        try
        {
            request = new TimeStampRequest(requestDer);
            _ = request.MessageImprintAlgOid;
            _ = request.GetMessageImprintDigest();
            _ = request.ReqPolicy;
            _ = request.Nonce;
            _ = request.CertReq;
            _ = request.HasExtensions;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // whatever BouncyCastle's parser throws on hostile bytes (IOException, ArgumentException, casts, nulls)
            return Reject(responses, PkiFailureInfo.BadDataFormat, "badDataFormat", "the request is not a DER TimeStampReq");
        }

        if (request.Version != 1)
        {
            return Reject(responses, PkiFailureInfo.BadRequest, "badRequest", $"request version {request.Version} is not supported (only 1)");
        }

        var now = _time.GetUtcNow();
        var serial = NextSerial(now);
        try
        {
            var response = responses.Generate(request, BigInteger.ValueOf(serial), now.UtcDateTime);
            if (response.Status is (int)PkiStatus.Granted)
            {
                TimestampAuthorityLog.Granted(_logger, serial, now, request.MessageImprintAlgOid, Convert.ToHexStringLower(request.GetMessageImprintDigest()));
            }
            else
            {
                TimestampAuthorityLog.Rejected(_logger, FailureName(response.GetFailInfo()?.IntValue ?? 0), response.GetStatusString() ?? "");
            }

            return response.GetEncoded();
        }
        catch (TspException e)
        {
            TimestampAuthorityLog.Failed(_logger, e);
            return responses.GenerateFailResponse(PkiStatus.Rejection, PkiFailureInfo.SystemFailure, "the token could not be generated").GetEncoded();
        }
    }

    private byte[] Reject(TimeStampResponseGenerator responses, int failInfo, string name, string reason)
    {
        TimestampAuthorityLog.Rejected(_logger, name, reason);
        return responses.GenerateFailResponse(PkiStatus.Rejection, failInfo, reason).GetEncoded();
    }

    // strictly increasing; starting from the clock's ticks keeps serials increasing across restarts
    private long NextSerial(DateTimeOffset now)
    {
        while (true)
        {
            var last = Volatile.Read(ref _lastSerial);
            var next = Math.Max(last + 1, now.UtcTicks);
            if (Interlocked.CompareExchange(ref _lastSerial, next, last) == last)
            {
                return next;
            }
        }
    }

    private static string FailureName(int failInfo) => failInfo switch
    {
        PkiFailureInfo.BadAlg => "badAlg",
        PkiFailureInfo.BadRequest => "badRequest",
        PkiFailureInfo.BadDataFormat => "badDataFormat",
        PkiFailureInfo.TimeNotAvailable => "timeNotAvailable",
        PkiFailureInfo.UnacceptedPolicy => "unacceptedPolicy",
        PkiFailureInfo.UnacceptedExtension => "unacceptedExtension",
        PkiFailureInfo.SystemFailure => "systemFailure",
        _ => "failInfo " + failInfo.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
