using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Broker.Cryptography.X509;
using Broker.Cryptography.Xml;
using Broker.Protocol.Identifiers;
using Broker.Protocol.Rest;
using Broker.Testing;
using Confluent.Kafka;

namespace Broker.FunctionalTests;

/// <summary>
/// The audit topic on the Kafka transport (mock cluster of three brokers): for every exchange a JSON record that an
/// auditor replays without trusting the bus — heads and signature documents verify against the network's root CA, the
/// signed manifests match the heads and body digests carried, the response is bound to its request — with bodies only
/// for the subsystems listed in <c>Kafka.AuditBodiesOf</c>; readable with kcat.
/// </summary>
public sealed class KafkaAuditTests(KafkaAuditTests.AuditNetwork fixture) : IClassFixture<KafkaAuditTests.AuditNetwork>
{
    private const string LandClient = "MN/GOV/LAND/land-services";
    private const string PortalClient = "MN/GOV/EMONGOLIA/portal-backend";
    private const string AuditTopic = "broker.audit";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private TestNetwork Network => fixture.Network;

    [Fact]
    public async Task AuditRecord_ClientNotListed_CarriesVerifiableSignaturesAndDigestsButNoBodies()
    {
        var messageId = "audit-land-" + Guid.NewGuid().ToString("N");
        var body = Encoding.UTF8.GetBytes("{\"parcel\":\"" + messageId + "\"}");
        using var response = await SendAsync(SampleNetworkFixture.Land, LandClient, ProbeService.Path(messageId), messageId, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answered = await response.Content.ReadAsByteArrayAsync(Cancel);

        using var record = await ReadAuditAsync(messageId);
        var root = record.RootElement;
        Assert.Equal(LandClient, root.GetProperty("client").GetString());
        Assert.Equal(messageId, root.GetProperty("messageId").GetString());
        Assert.Equal("POST", root.GetProperty("method").GetString());
        Assert.Equal(ProbeService.Path(messageId), root.GetProperty("uri").GetString());
        Assert.Equal(ProbeService.Subsystem, root.GetProperty("providerSubsystem").GetString());
        Assert.Equal(SampleNetworkFixture.Gasr, root.GetProperty("providerServer").GetString());
        Assert.Equal(200, root.GetProperty("status").GetInt32());
        Assert.False(root.TryGetProperty("error", out _));

        // the auditor's replay: both signature documents verify, and what they sign is what the record carries
        var request = root.GetProperty("request");
        var (requestHead, requestBodyDigest) = Replay(request, ClientId.Parse(LandClient));
        var responseMessage = root.GetProperty("response");
        var (responseHead, responseBodyDigest) = Replay(responseMessage, ClientId.Parse(ProbeService.Subsystem));

        // bodies are not kept for this client: only their digests, which match what was sent and answered
        Assert.False(request.TryGetProperty("body", out _));
        Assert.False(responseMessage.TryGetProperty("body", out _));
        Assert.Equal(SHA512.HashData(body), requestBodyDigest);
        Assert.Equal(SHA512.HashData(answered), responseBodyDigest);

        // the request head names the client and the message id as signed; the response answers this very request
        Assert.True(RestRequestHead.TryParse(requestHead, out var parsedRequest));
        Assert.Equal(LandClient, parsedRequest.Headers.GetLast(XRoadHeaders.Client));
        Assert.Equal(messageId, parsedRequest.Headers.GetLast(XRoadHeaders.Id));
        Assert.True(RestResponseHead.TryParse(responseHead, out var parsedResponse));
        Assert.Equal(200, parsedResponse.StatusCode);
        var requestHash = RequestHash.FromDigests(SHA512.HashData(requestHead), requestBodyDigest);
        Assert.Equal(requestHash, parsedResponse.Headers.GetLast(XRoadHeaders.RequestHash));
        Assert.Equal(requestHash, response.Headers.GetValues(XRoadHeaders.RequestHash).Single());

        // and a record altered afterwards is caught: one changed byte of the head no longer matches the signed digest
        requestHead[^3] ^= 1;
        var signed = Verify(request, ClientId.Parse(LandClient)).Document!.GetPartDigest("head");
        Assert.NotEqual(signed, SHA512.HashData(requestHead));
    }

    [Fact]
    public async Task AuditRecord_ClientListedInAuditBodiesOf_KeepsBothBodiesMatchingTheirSignedDigests()
    {
        var messageId = "audit-portal-" + Guid.NewGuid().ToString("N");
        var body = Encoding.UTF8.GetBytes("{\"note\":\"" + messageId + "\",\"text\":\"Улаанбаатар\"}");
        using var response = await SendAsync(
            SampleNetworkFixture.Portal, PortalClient, "/r1/MN/GOV/GASR/civil-registry/citizens/echo", messageId, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync(Cancel)); // echoed

        using var record = await ReadAuditAsync(messageId);
        var root = record.RootElement;
        Assert.Equal(PortalClient, root.GetProperty("client").GetString());
        Assert.Equal(200, root.GetProperty("status").GetInt32());
        Assert.False(root.TryGetProperty("bodiesOmitted", out _));
        foreach (var (name, signer) in new[] { ("request", PortalClient), ("response", ProbeService.Subsystem) })
        {
            var message = root.GetProperty(name);
            var (_, bodyDigest) = Replay(message, ClientId.Parse(signer));
            var kept = message.GetProperty("body").GetBytesFromBase64();
            Assert.Equal(body, kept);
            Assert.Equal(bodyDigest, SHA512.HashData(kept));
        }
    }

    [Fact]
    public async Task AuditTopic_IsReadableWithKcat()
    {
        var messageId = "audit-kcat-" + Guid.NewGuid().ToString("N");
        using (var response = await SendAsync(SampleNetworkFixture.Land, LandClient, ProbeService.Path(messageId), messageId, body: null))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var audit = await ReadAuditAsync(messageId); // written before the answer; now read it as an operator would
        var (exit, output, errors) = await RunAsync(
            "kcat", ["-b", Network.Network.KafkaCluster!.BootstrapServers, "-C", "-t", AuditTopic, "-o", "beginning", "-e", "-q", "-f", "%k\t%s\n"]);

        Assert.True(exit == 0, $"kcat exited {exit}: {errors}");
        var line = Assert.Single(output.Split('\n'), l => l.Contains(messageId, StringComparison.Ordinal));
        var tab = line.IndexOf('\t', StringComparison.Ordinal);
        Assert.Equal(ProbeService.Subsystem, line[..tab]); // keyed by the provider subsystem
        Assert.Contains("<SignatureValue>", line, StringComparison.Ordinal); // the signature documents read as XML, not \u003C…
        using var json = JsonDocument.Parse(line[(tab + 1)..]);
        Assert.Equal(LandClient, json.RootElement.GetProperty("client").GetString());
        Assert.Equal("", json.RootElement.GetProperty("request").GetProperty("bodySha512").GetString()); // a GET: no body
        Assert.Equal(audit.RootElement.GetProperty("correlation").GetString(), json.RootElement.GetProperty("correlation").GetString());
    }

    /// <summary>
    /// Verifies one message of a record as an auditor does: the signature document with the fast verifier and with
    /// standard XML-DSig (SignedXml) against the network's root CA, signed by <paramref name="signer"/>'s member; the
    /// head's SHA-512 and the body digest equal the manifest's parts. Returns the head and the body digest.
    /// </summary>
    private (byte[] Head, byte[] BodyDigest) Replay(JsonElement message, ClientId signer)
    {
        var check = Verify(message, signer);
        var document = check.Document!;
        var head = message.GetProperty("head").GetBytesFromBase64();
        Assert.Equal(document.GetPartDigest("head"), SHA512.HashData(head));
        var bodyDigest = Convert.FromBase64String(message.GetProperty("bodySha512").GetString()!);
        if (bodyDigest.Length == 0)
        {
            Assert.Equal("head", Assert.Single(document.Parts).Name);
        }
        else
        {
            Assert.Equal(2, document.Parts.Count);
            Assert.Equal(document.GetPartDigest("body"), bodyDigest);
        }

        return (head, bodyDigest);
    }

    private SignatureCheck Verify(JsonElement message, ClientId signer)
    {
        var signature = Encoding.UTF8.GetBytes(message.GetProperty("signature").GetString()!);
        var validator = new CertificateValidator([Network.RootCa], TimeProvider.System);
        var fast = new SignatureVerifier(validator).Verify(signature, signer);
        Assert.True(fast.IsValid, $"fast verifier: {fast.Failure} {fast.Error}");
        var reference = SignedXmlVerifier.Verify(signature, signer, validator);
        Assert.True(reference.IsValid, $"SignedXml: {reference.Failure} {reference.Error}");
        Assert.Equal(signer.Member, fast.SignerMember);
        return fast;
    }

    /// <summary>The audit record of <paramref name="messageId"/>, read from every partition of the audit topic.</summary>
    private async Task<JsonDocument> ReadAuditAsync(string messageId)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = Network.Network.KafkaCluster!.BootstrapServers, GroupId = "audit-test-" + messageId, EnableAutoCommit = false,
        }).Build();
        var partitions = new Broker.Router.Transport.Kafka.KafkaTransportOptions().AuditPartitions;
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(AuditTopic, p, Offset.Beginning)));
        var until = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < until)
        {
            var record = await Task.Run(() => consumer.Consume(TimeSpan.FromMilliseconds(200)), Cancel);
            if (record?.Message.Value is { } value)
            {
                var json = JsonDocument.Parse(value);
                if (json.RootElement.TryGetProperty("messageId", out var id) && id.GetString() == messageId)
                {
                    Assert.Equal(json.RootElement.GetProperty("providerSubsystem").GetString(), record.Message.Key);
                    return json;
                }

                json.Dispose();
            }
        }

        consumer.Close();
        throw new Xunit.Sdk.XunitException($"no audit record of {messageId} within 20 s");
    }

    private async Task<HttpResponseMessage> SendAsync(string server, string client, string path, string messageId, byte[]? body)
    {
        using var request = new HttpRequestMessage(body is null ? HttpMethod.Get : HttpMethod.Post, new Uri(Network.ClientUrl(server), path));
        request.Headers.TryAddWithoutValidation(XRoadHeaders.Client, client);
        request.Headers.TryAddWithoutValidation(XRoadHeaders.Id, messageId);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        return await Network.Http.SendAsync(request, Cancel);
    }

    private static async Task<(int Exit, string Output, string Errors)> RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"{file} is not installed (scripts/setup.sh installs it: apt-get install -y {file}).", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(Cancel);
            var errors = process.StandardError.ReadToEndAsync(Cancel);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                throw;
            }

            return (process.ExitCode, await output, await errors);
        }
    }

    /// <summary>One network for the class: the kafka transport on a mock cluster; the portal's bodies are audited.</summary>
    public sealed class AuditNetwork : IAsyncLifetime
    {
        private RecordingService _probe = null!;

        public TestNetwork Network { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            _probe = await RecordingService.StartAsync();
            Network = await TestNetwork.StartAsync(
                definition => definition.WithProbe(_probe.Url), timeoutSeconds: 8,
                configureRouter: router => router.Kafka.AuditBodiesOf = [PortalClient],
                configure: settings => settings with { Transport = "kafka", Kafka = "mock" });
        }

        public async ValueTask DisposeAsync()
        {
            await Network.DisposeAsync();
            await _probe.DisposeAsync();
        }
    }
}
