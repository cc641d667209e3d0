using Broker.Router;
using Broker.Router.Delivery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Broker.FunctionalTests;

public sealed class DeliveryResilienceOptionsTests
{
    [Fact]
    public void RouterOptions_InvalidResilience_ReportsEveryErrorAtOnceWithItsPath()
    {
        var options = new RouterOptions { CertificatesDirectory = "/x", DeliveryWorkers = 0 };
        options.Resilience.FailureRatio = 0;
        options.Resilience.BreakDuration = TimeSpan.FromMilliseconds(100); // below Polly's 0.5 s
        options.Resilience.RetryBaseDelay = TimeSpan.FromSeconds(2);
        options.Resilience.RetryMaxDelay = TimeSpan.FromSeconds(1);
        using var services = new ServiceCollection().AddValidatedOptions(options).Services.AddDeliveryResilience().BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<RouterOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains(nameof(RouterOptions.DeliveryWorkers), StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Resilience.FailureRatio", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Resilience.BreakDuration", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Resilience.RetryBaseDelay", StringComparison.Ordinal));
    }

    [Fact]
    public void RouterOptions_DefaultResilience_IsValidAndBuildsAPipelinePerProvider()
    {
        using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddValidatedOptions(new RouterOptions { CertificatesDirectory = "/x" }).Services
            .AddDeliveryResilience()
            .BuildServiceProvider();

        var pipelines = services.GetRequiredService<DeliveryPipelines>();

        Assert.Same(pipelines.For("MN/GOV/GASR/ss1"), pipelines.For("MN/GOV/GASR/ss1"));
        Assert.NotSame(pipelines.For("MN/GOV/GASR/ss1"), pipelines.For("MN/GOV/MTA/ss1"));
        Assert.Equal(Polly.CircuitBreaker.CircuitState.Closed, pipelines.StateOf("MN/GOV/GASR/ss1"));
        Assert.Null(pipelines.StateOf("MN/GOV/LAND/ss1"));
    }
}
