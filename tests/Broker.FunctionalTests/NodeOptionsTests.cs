using Broker.Cli.Network;
using Broker.Router;
using Broker.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Broker.FunctionalTests;

public sealed class NodeOptionsTests
{
    [Fact]
    public void AddValidatedOptions_InvalidOptions_ReportsEveryErrorAtOnce()
    {
        using var services = new ServiceCollection()
            .AddValidatedOptions(new RouterOptions { CertificatesDirectory = "", DeliveryWorkers = 0 }).Services
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<RouterOptions>>().Value);
        Assert.Contains(error.Failures, f => f.Contains(nameof(RouterOptions.CertificatesDirectory), StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains(nameof(RouterOptions.DeliveryWorkers), StringComparison.Ordinal));
    }

    [Fact]
    public void AddValidatedOptions_ValidOptions_AreCopiedWhole()
    {
        var options = new RouterOptions { Port = 1234, CertificatesDirectory = "/x", TlsCertificate = "t", DeliveryWorkers = 3, QueueCapacity = 7, MaxMessageBytes = 4096 };
        using var services = new ServiceCollection().AddValidatedOptions(options).Services.BuildServiceProvider();

        var value = services.GetRequiredService<IOptions<RouterOptions>>().Value;
        Assert.NotSame(options, value);
        Assert.Equivalent(options, value);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void DevelopmentPki_PrivateKeys_AreOwnerOnly()
    {
        var directory = Directory.CreateTempSubdirectory("broker-pki-").FullName;
        try
        {
            var definition = NetworkDefinition.Load(Path.Combine(TestNetwork.RepositoryRoot, "config", "network.json"));
            DevelopmentPki.Ensure(definition, directory);
            var keys = Directory.GetFiles(directory, "*.key");
            Assert.NotEmpty(keys);
            Assert.All(keys, k => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(k)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
