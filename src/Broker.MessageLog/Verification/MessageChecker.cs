using System.Security.Cryptography;
using Broker.Cryptography.Envelopes;
using Broker.Cryptography.Xml;
using Broker.MessageLog.Records;
using Broker.Protocol.Envelopes;
using Broker.Protocol.Identifiers;
using Broker.Protocol.Rest;

namespace Broker.MessageLog.Verification;

/// <summary>
/// Checks a message record against its signature document the way <see cref="EnvelopeVerifier"/> checks an envelope:
/// the signature (by the member the record names: the client for a request, the service's provider for a response;
/// the certificate valid and chaining to an approved CA at the signing time the time-stamp proves, or as of
/// <paramref name="now"/> when no time-stamp proves one), then the head and the body against the signed digests. Also
/// checks that the record's kind and identifiers are the signed head's.
/// </summary>
internal sealed class MessageChecker(ReportBuilder report, IReadOnlyList<BodyCipher> keys, DateTimeOffset now)
{
    /// <summary>Digests what the signature check needs; reports identifiers that differ from the signed head at once.</summary>
    public PendingMessage Prepare(LogRecord record, SourceContext source, ReadOnlyMemory<byte>? suppliedBody = null)
    {
        CheckMetadata(record, source.Name);
        var state = BodyState.None;
        byte[]? bodyDigest = null;
        string? keyId = null;
        switch (record.BodyStorage)
        {
            case BodyStorage.Plain:
                state = BodyState.Digest;
                bodyDigest = SHA512.HashData(record.Body.Span);
                break;
            case BodyStorage.Omitted:
                state = BodyState.Omitted;
                break;
            case BodyStorage.Encrypted when suppliedBody is { } supplied:
                state = BodyState.Digest;
                bodyDigest = SHA512.HashData(supplied.Span);
                break;
            case BodyStorage.Encrypted:
                (state, bodyDigest, keyId) = Decrypt(record);
                break;
        }

        return new PendingMessage
        {
            Seq = record.Seq,
            Hash = record.Hash,
            Kind = record.Kind,
            MessageId = record.MessageId,
            Client = record.Client,
            Service = record.Service,
            LoggedAt = record.LoggedAt,
            BodyStorage = record.BodyStorage,
            Signature = record.Signature.ToArray(),
            HeadDigest = SHA512.HashData(record.Head.Span),
            Body = state,
            BodyDigest = bodyDigest,
            BodyKeyId = keyId,
            Source = source,
        };
    }

    /// <summary>
    /// Verifies the signature as of <paramref name="provenSigningTime"/> (the time a valid time-stamp proves), or as of
    /// now when there is none: the time a record says it was logged is the writer's word, not evidence. Then the head
    /// and body against it.
    /// </summary>
    public void Check(PendingMessage message, DateTimeOffset? provenSigningTime)
    {
        var where = message.Source.Name;
        var what = $"{(message.Kind == EnvelopeKind.Request ? "request" : "response")} {message.MessageId}";
        var member = ExpectedMember(message);
        if (member is null)
        {
            report.Error(FindingCodes.RecordMetadata, $"The {what} names no valid {(message.Kind == EnvelopeKind.Request ? "client" : "service")} ('{(message.Kind == EnvelopeKind.Request ? message.Client : message.Service)}'), so its signer cannot be checked.", where, message.Seq);
            return;
        }

        var signedBy = provenSigningTime ?? now;
        var check = message.Source.Trust.VerifierAt(signedBy).Verify(message.Signature, member);
        if (!check.IsValid)
        {
            var asOf = provenSigningTime is null
                ? $"checked as of the verification time {ChainWalker.Time(signedBy)}, since no time-stamp proves an earlier signing time"
                : $"checked as of {ChainWalker.Time(signedBy)}, the time its time-stamp proves";
            report.Error(
                check.Failure == SignatureFailure.Certificate ? FindingCodes.SignatureCertificate : FindingCodes.SignatureInvalid,
                $"The signature of the {what} (expected signer {member}, {asOf}) does not verify: {check.Error}.",
                where,
                message.Seq);
            return;
        }

        report.SignaturesVerified++;
        var document = check.Document!;
        var expectedParts = message.BodyStorage == BodyStorage.None ? 1 : 2;
        if (document.Parts.Count != expectedParts)
        {
            report.Error(FindingCodes.SignatureParts, $"The signature of the {what} covers {document.Parts.Count} parts but the record holds {(expectedParts == 1 ? "a head only" : "a head and a body")}.", where, message.Seq);
            return;
        }

        if (!Matches(document.GetPartDigest(EnvelopeSigner.HeadPart), message.HeadDigest))
        {
            report.Error(FindingCodes.HeadChanged, $"The head of the {what} does not match its signed digest: it was changed after it was signed.", where, message.Seq);
        }

        switch (message.Body)
        {
            case BodyState.Digest when !Matches(document.GetPartDigest(EnvelopeSigner.BodyPart), message.BodyDigest!):
                report.Error(FindingCodes.BodyChanged, $"The body of the {what} does not match its signed digest: it was changed after it was signed.", where, message.Seq);
                break;
            case BodyState.Digest:
                report.BodiesChecked++;
                break;
            case BodyState.Omitted:
                report.BodiesOmitted++;
                break;
            case BodyState.NoKey:
                report.BodiesNotChecked++;
                report.BodiesWithoutKey++;
                break;
            case BodyState.OtherKey:
                report.BodiesNotChecked++;
                report.BodiesWithOtherKey++;
                break;
            case BodyState.Undecryptable:
                report.Error(FindingCodes.BodyChanged, $"The encrypted body of the {what} does not decrypt with key {message.BodyKeyId}: the ciphertext was changed or moved from another record.", where, message.Seq);
                break;
        }
    }

    private (BodyState State, byte[]? Digest, string? KeyId) Decrypt(LogRecord record)
    {
        var stored = record.Body.Span;
        var keyId = stored.Length >= BodyCipher.KeyIdLength ? Convert.ToHexStringLower(stored[..BodyCipher.KeyIdLength]) : "?";
        if (keys.Count == 0)
        {
            return (BodyState.NoKey, null, keyId);
        }

        foreach (var key in keys)
        {
            if (key.Owns(stored))
            {
                return key.TryDecrypt(record.Seq, stored, out var plain)
                    ? (BodyState.Digest, SHA512.HashData(plain), keyId)
                    : (BodyState.Undecryptable, null, keyId);
            }
        }

        return (BodyState.OtherKey, null, keyId);
    }

    private static ClientId? ExpectedMember(PendingMessage message) => message.Kind switch
    {
        EnvelopeKind.Request when ClientId.TryParse(message.Client, out var client) => client.Member,
        EnvelopeKind.Response when ServiceId.TryParse(message.Service, out var service) => service.Provider.Member,
        _ => null,
    };

    /// <summary>
    /// The record's kind, message id, client and service are stored beside the signed head, and the evidence search,
    /// the party check and the expected signer rely on them: the head must be of the record's kind and must say the same.
    /// </summary>
    private void CheckMetadata(LogRecord record, string source)
    {
        var logged = record.Kind switch { EnvelopeKind.Request => "a request", EnvelopeKind.Response => "a response", _ => $"kind {record.Kind}" };
        HeaderList headers;
        string? service;
        string serviceWhere;
        if (RestRequestHead.TryParse(record.Head.Span, out var request))
        {
            if (record.Kind != EnvelopeKind.Request)
            {
                Error($"Record {record.Seq} is logged as {logged} but its signed head is a request.");
                return;
            }

            headers = request.Headers;
            service = RestRequestTarget.TryParse(request.RawUri, out var target, out _) ? target.Service.ToString() : null;
            serviceWhere = $"request target '{request.RawUri}'";
        }
        else if (RestResponseHead.TryParse(record.Head.Span, out var response))
        {
            if (record.Kind != EnvelopeKind.Response)
            {
                Error($"Record {record.Seq} is logged as {logged} but its signed head is a response.");
                return;
            }

            headers = response.Headers;
            service = headers.GetLast(XRoadHeaders.Service);
            serviceWhere = XRoadHeaders.Service;
        }
        else
        {
            Error($"Record {record.Seq} is logged as {logged} but its signed head is neither a request nor a response head.");
            return;
        }

        var id = headers.GetLast(XRoadHeaders.Id);
        if (id is null)
        {
            Error($"Record {record.Seq}'s signed head has no {XRoadHeaders.Id}: the message id '{record.MessageId}' it is logged under is not signed.");
        }
        else if (!string.Equals(id, record.MessageId, StringComparison.Ordinal))
        {
            Error($"Record {record.Seq} is logged as message id '{record.MessageId}' but its signed head says '{id}'.");
        }

        var client = headers.GetLast(XRoadHeaders.Client);
        if (client is null)
        {
            Error($"Record {record.Seq}'s signed head has no {XRoadHeaders.Client}: the client '{record.Client}' it is logged under is not signed.");
        }
        else if (!ClientId.TryParse(client, out var signedClient) || !ClientId.TryParse(record.Client, out var storedClient) || signedClient != storedClient)
        {
            Error($"Record {record.Seq} is logged as client '{record.Client}' but its signed head says '{client}'.");
        }

        if (service is null)
        {
            Error($"Record {record.Seq}'s signed head names no service (in its {serviceWhere}): the service '{record.Service}' it is logged under is not signed.");
        }
        else if (!ServiceId.TryParse(service, out var signedService) || !ServiceId.TryParse(record.Service, out var storedService) || signedService != storedService)
        {
            Error($"Record {record.Seq} is logged as service '{record.Service}' but its signed head says '{service}' (in its {serviceWhere}).");
        }

        void Error(string message) => report.Error(FindingCodes.RecordMetadata, message, source, record.Seq);
    }

    private static bool Matches(byte[]? expected, byte[] actual) =>
        expected is not null && CryptographicOperations.FixedTimeEquals(expected, actual);
}
