using Broker.MessageLog.Tests.Fixtures;
using Broker.MessageLog.Verification;
using Broker.Protocol.Envelopes;
using Broker.Protocol.Rest;

namespace Broker.MessageLog.Tests.Verification;

/// <summary>
/// A record's kind, message id, client and service are stored beside its signed head; the evidence search, the party
/// check and the expected signer rely on them. Each case logs one message whose stored fields the signed head does not
/// back (signed by the member the record names, so the signature itself verifies) and expects that to be named.
/// </summary>
public sealed class RecordBindingTests
{
    public static TheoryData<string> Cases => ["request head logged as a response", "response head logged as a request", "no X-Road-Id", "another X-Road-Id", "no X-Road-Client", "request for another service", "response naming another service", "neither head"];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task VerifyLog_StoredFieldsTheSignedHeadDoesNotBack_AreARecordMetadataError(string @case)
    {
        using var dir = new TempDirectory();
        var (kind, alter, expected) = Case(@case);
        var log = await TestLogs.BuildAsync(dir.Path, new LogSpec
        {
            Exchanges = 2,
            StampEvery = 4,
            Alter = d => d.Index == 1 && d.Kind == kind ? alter(d) : d,
        });
        var target = log.Messages[kind == EnvelopeKind.Request ? 2 : 3].Seq; // the second exchange's request or response

        var report = new LogVerifier().VerifyLog(dir.Path);

        var finding = Reports.Single(report, FindingCodes.RecordMetadata, target);
        Assert.Contains(expected.Replace("{seq}", target.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), finding.Message, StringComparison.Ordinal);
        Assert.Equal(1, report.Errors);
        Assert.Equal(4, report.SignaturesVerified);
    }

    private static (EnvelopeKind Kind, Func<MessageDraft, MessageDraft> Alter, string Expected) Case(string @case) => @case switch
    {
        "request head logged as a response" => (EnvelopeKind.Request, d => d with { Kind = EnvelopeKind.Response, Signer = TestPki.KeyB }, "Record {seq} is logged as a response but its signed head is a request."),
        "response head logged as a request" => (EnvelopeKind.Response, d => d with { Kind = EnvelopeKind.Request, Signer = TestPki.KeyA }, "Record {seq} is logged as a request but its signed head is a response."),
        "no X-Road-Id" => (EnvelopeKind.Request, d => d with { Head = RequestHead(h => h.RemoveAll(XRoadHeaders.Id)) }, "Record {seq}'s signed head has no X-Road-Id"),
        "another X-Road-Id" => (EnvelopeKind.Response, d => d with { MessageId = "forged-id" }, "Record {seq} is logged as message id 'forged-id' but its signed head says 'msg-0001'."),
        "no X-Road-Client" => (EnvelopeKind.Response, d => d with { Head = ResponseHead(h => h.RemoveAll(XRoadHeaders.Client)) }, "Record {seq}'s signed head has no X-Road-Client"),
        "request for another service" => (EnvelopeKind.Request, d => d with { Service = "MN/GOV/B/registry/vehicles" }, "Record {seq} is logged as service 'MN/GOV/B/registry/vehicles' but its signed head says 'MN/GOV/B/registry/addresses' (in its request target '/r1/MN/GOV/B/registry/addresses')."),
        "response naming another service" => (EnvelopeKind.Response, d => d with { Head = ResponseHead(h => { h.RemoveAll(XRoadHeaders.Service); h.Add(XRoadHeaders.Service, "MN/GOV/B/registry/vehicles"); }) }, "Record {seq} is logged as service 'MN/GOV/B/registry/addresses' but its signed head says 'MN/GOV/B/registry/vehicles' (in its X-Road-Service)."),
        "neither head" => (EnvelopeKind.Request, d => d with { Head = "GET\r\nnot-a-path\r\n"u8.ToArray() }, "Record {seq} is logged as a request but its signed head is neither a request nor a response head."),
        _ => throw new ArgumentOutOfRangeException(nameof(@case)),
    };

    private static byte[] RequestHead(Action<HeaderList> change)
    {
        Assert.True(RestRequestHead.TryParse(TestLogs.Message(EnvelopeKind.Request, "msg-0001", 1).Head, out var head));
        change(head.Headers);
        return head.Serialize();
    }

    private static byte[] ResponseHead(Action<HeaderList> change)
    {
        Assert.True(RestResponseHead.TryParse(TestLogs.Message(EnvelopeKind.Response, "msg-0001", 1).Head, out var head));
        change(head.Headers);
        return head.Serialize();
    }
}
