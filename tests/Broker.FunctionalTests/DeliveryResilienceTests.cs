using System.Net;
using System.Net.Http.Headers;
using Broker.Cli.Network;
using Broker.Hosting.Http;
using Broker.Protocol.Envelopes;
using Broker.Router;
using Broker.Testing;

namespace Broker.FunctionalTests;

/// <summary>
/// The router's resilience in delivery (docs/architecture.md, "Resilience of delivery"): the provider's security
/// server is replaced by a <see cref="FakeProviderServer"/> that presents its registered certificate and hangs,
/// resets connections, or fails; requests are posted to the router as the consumer's security server does, and the
/// router's answer is checked directly. Each test has its own network, so breaker state never leaks between tests.
/// </summary>
public sealed class DeliveryResilienceTests
{
    private const string LandMember = "MN/GOV/LAND";
    private const string LandClient = "MN/GOV/LAND/land-services";
    private const string Citizen = "/r1/MN/GOV/GASR/civil-registry/citizens/UB99010112";
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(10);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ProviderHangs_IsRouterTimeoutBeforeTheDeadlineAndNotRetried()
    {
        await using var network = await TestNetwork.StartAsync();
        await using var fake = await ReplaceProviderAsync(network, FakeProviderBehavior.Hang);
        using var land = LandSecurityServer(network);

        using var response = await ExchangeAsync(network, land, deadline: TimeSpan.FromSeconds(2));

        await FaultAssert.IsFaultAsync(response, HttpStatusCode.GatewayTimeout, "Server.Router.Timeout");
        Assert.Equal(1, fake.Requests); // it reached the provider, so it is never sent again
    }

    [Fact]
    public async Task ProviderClosesConnectionsBeforeTls_IsRouterNetworkErrorAfterRetriesThatSentNothing()
    {
        await using var network = await TestNetwork.StartAsync(configureRouter: r => r.Resilience.RetryAttempts = 2);
        await using var fake = await ReplaceProviderAsync(network, FakeProviderBehavior.CloseOnConnect);
        using var land = LandSecurityServer(network);

        using var response = await ExchangeAsync(network, land);

        await FaultAssert.IsFaultAsync(response, HttpStatusCode.BadGateway, "Server.Router.NetworkError");
        Assert.Equal(3, fake.Connections); // the attempt and two retries, each a new connection that carried nothing
        Assert.Equal(0, fake.Requests);
    }

    [Fact]
    public async Task ProviderResetsConnectionAfterReadingTheRequest_IsRouterNetworkErrorAndNotRetried()
    {
        await using var network = await TestNetwork.StartAsync(configureRouter: r => r.Resilience.RetryAttempts = 2);
        await using var fake = await ReplaceProviderAsync(network, FakeProviderBehavior.ResetAfterRequest);
        using var land = LandSecurityServer(network);

        for (var exchange = 1; exchange <= 2; exchange++)
        {
            using var response = await ExchangeAsync(network, land);

            await FaultAssert.IsFaultAsync(response, HttpStatusCode.BadGateway, "Server.Router.NetworkError");
            Assert.Equal(exchange, fake.Requests); // one request per exchange: bytes reached the provider, no retry
        }
    }

    [Fact]
    public async Task ProviderAnswers500s_BreakerOpensWithCircuitOpenWithoutDelivering_ThenClosesWhenProviderRecovers()
    {
        await using var network = await TestNetwork.StartAsync(configureRouter: ShortBreaker);
        await using var fake = await ReplaceProviderAsync(network, FakeProviderBehavior.ServerError);
        using var land = LandSecurityServer(network);

        // four failed exchanges of four: the ratio and the minimum throughput are reached, the breaker opens
        for (var exchange = 1; exchange <= 4; exchange++)
        {
            using var response = await ExchangeAsync(network, land);
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode); // the provider's 500, relayed
            Assert.False(response.Headers.Contains("X-Road-Error"));
        }

        Assert.Equal(4, fake.Requests);
        for (var exchange = 1; exchange <= 3; exchange++)
        {
            using var response = await ExchangeAsync(network, land);
            await FaultAssert.IsFaultAsync(response, HttpStatusCode.ServiceUnavailable, "Server.Router.CircuitOpen");
        }

        Assert.Equal(4, fake.Requests); // answered at once, nothing delivered

        // the provider recovers: after the break one exchange is let through as a probe, it succeeds, the breaker closes
        fake.Behavior = FakeProviderBehavior.Answer;
        using (var recovered = await PollUntilAsync(network, land, r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(15)))
        {
            Assert.Equal(FakeProviderServer.AnswerBody, await recovered.Content.ReadAsByteArrayAsync(Cancel));
        }

        for (var exchange = 1; exchange <= 3; exchange++)
        {
            using var response = await ExchangeAsync(network, land);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(8, fake.Requests); // the four failures, the probe, three more
    }

    [Fact]
    public async Task ProviderAnswersBusFaults_BreakerStaysClosed()
    {
        await using var network = await TestNetwork.StartAsync(configureRouter: ShortBreaker);
        await using var fake = await ReplaceProviderAsync(network, FakeProviderBehavior.ServiceFailedFault);
        using var land = LandSecurityServer(network);

        for (var exchange = 1; exchange <= 8; exchange++)
        {
            using var response = await ExchangeAsync(network, land);
            await FaultAssert.IsFaultAsync(response, HttpStatusCode.InternalServerError, "Server.ServerProxy.ServiceFailed"); // relayed, not CircuitOpen
        }

        Assert.Equal(8, fake.Requests); // a security server answering with a fault is healthy: every exchange delivered
    }

    /// <summary>Opens after 4 exchanges of which half failed within 30 s; probes again after 2 s.</summary>
    private static void ShortBreaker(RouterOptions router)
    {
        router.Resilience.MinimumThroughput = 4;
        router.Resilience.FailureRatio = 0.5;
        router.Resilience.SamplingDuration = TimeSpan.FromSeconds(30);
        router.Resilience.BreakDuration = TimeSpan.FromSeconds(2);
    }

    /// <summary>Stops the provider's (GASR's) security server and starts a fake with its certificate on its address.</summary>
    private static async Task<FakeProviderServer> ReplaceProviderAsync(TestNetwork network, FakeProviderBehavior behavior)
    {
        var gasr = network.Network.SecurityServers[SampleNetworkFixture.Gasr];
        await gasr.App.StopAsync(Cancel);
        var certificate = network.LoadWithKey(DevelopmentPki.AuthCertificateName(SampleNetworkFixture.Gasr));
        return await FakeProviderServer.StartAsync(gasr.ServiceUrl.Port, certificate, behavior, Cancel);
    }

    /// <summary>An mTLS client with the consumer's (LAND's) security server certificate, as it talks to the router.</summary>
    private static HttpClient LandSecurityServer(TestNetwork network) =>
        network.MutualTlsClient(DevelopmentPki.AuthCertificateName(SampleNetworkFixture.Land));

    /// <summary>Posts a new signed request envelope for the civil registry to the router, as LAND's security server does.</summary>
    private static async Task<HttpResponseMessage> ExchangeAsync(TestNetwork network, HttpClient land, TimeSpan? deadline = null)
    {
        var head = HopEnvelopes.RequestHead("GET", Citizen, LandClient, ("x-road-id", Guid.NewGuid().ToString("D")));
        var envelope = HopEnvelopes.Sign(network.SigningKey(LandMember), head, [], network.Time);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(network.Network.RouterUrl, HopHeaders.ExchangePath))
        {
            Content = new ByteArrayContent(envelope),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(Envelope.MediaType);
        request.Headers.TryAddWithoutValidation(HopHeaders.Deadline, HopHeaders.FormatDeadline(network.Time.GetUtcNow() + (deadline ?? s_deadline)));
        return await land.SendAsync(request, Cancel);
    }

    /// <summary>Sends exchanges every 200 ms until one's response satisfies <paramref name="done"/>, for at most <paramref name="limit"/>.</summary>
    private static async Task<HttpResponseMessage> PollUntilAsync(TestNetwork network, HttpClient land, Func<HttpResponseMessage, bool> done, TimeSpan limit)
    {
        var stopAt = DateTime.UtcNow + limit;
        while (true)
        {
            var response = await ExchangeAsync(network, land);
            if (done(response))
            {
                return response;
            }

            var seen = $"{(int)response.StatusCode} {string.Join(",", response.Headers.TryGetValues("X-Road-Error", out var codes) ? codes : [])}";
            response.Dispose();
            Assert.True(DateTime.UtcNow < stopAt, $"still {seen} after {limit.TotalSeconds} s");
            await Task.Delay(TimeSpan.FromMilliseconds(200), Cancel);
        }
    }
}
