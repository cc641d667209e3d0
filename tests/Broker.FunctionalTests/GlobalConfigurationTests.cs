using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Broker.Cli.Network;
using Broker.GlobalConfiguration.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.FunctionalTests;

/// <summary>The published global configuration is what docs/protocol.md says: verifiable by hand with openssl.</summary>
public sealed class GlobalConfigurationTests(SampleNetworkFixture fixture) : IClassFixture<SampleNetworkFixture>
{
    [Fact]
    public async Task PublishedConfiguration_VerifiesWithOpensslCmsAgainstRootCa()
    {
        var network = fixture.Network;
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(network.RootCa);
        using var http = new HttpClient(new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy } });
        var directory = Path.Combine(network.Directory, "openssl");
        Directory.CreateDirectory(directory);
        var content = await http.GetByteArrayAsync(new Uri(network.Network.CentralUrl, "globalconf/conf.json"), TestContext.Current.CancellationToken);
        var signature = await http.GetByteArrayAsync(new Uri(network.Network.CentralUrl, "globalconf/conf.json.p7s"), TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(directory, "conf.json"), content, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(directory, "conf.json.p7s"), signature, TestContext.Current.CancellationToken);

        Assert.Equal(0, await OpensslVerifyAsync(directory, "conf.json"));
        using var json = JsonDocument.Parse(content);
        Assert.Equal("MN", json.RootElement.GetProperty("instanceIdentifier").GetString());

        // one changed byte and openssl refuses it
        content[^2] ^= 1;
        await File.WriteAllBytesAsync(Path.Combine(directory, "tampered.json"), content, TestContext.Current.CancellationToken);
        Assert.NotEqual(0, await OpensslVerifyAsync(directory, "tampered.json"));
    }

    [Fact]
    public void Nodes_KeepTheLastValidCopyOnDisk()
    {
        var cached = Path.Combine(fixture.Network.Network.Settings.StateDirectory, "router", "globalconf");
        Assert.True(File.Exists(Path.Combine(cached, "globalconf.json")));
        Assert.Equal(fixture.Network.Network.Publisher.Current.Content, File.ReadAllBytes(Path.Combine(cached, "globalconf.json")));
        Assert.Equal(fixture.Network.Network.Publisher.Current.Signature, File.ReadAllBytes(Path.Combine(cached, "globalconf.json.p7s")));
    }

    [Fact]
    public async Task ConcurrentRefreshes_AllSucceedAndLeaveOneValidCopy()
    {
        var client = fixture.Network.Network.Router.App.Services.GetRequiredService<GlobalConfigurationClient>();
        fixture.Network.Network.Publisher.Update(fixture.Network.Network.Registry); // same registry, new version: every fetch is a 200
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => client.RefreshAsync(TestContext.Current.CancellationToken)));
        Assert.All(results, Assert.True);
        Nodes_KeepTheLastValidCopyOnDisk();
    }

    private async Task<int> OpensslVerifyAsync(string directory, string content)
    {
        var start = new ProcessStartInfo("openssl")
        {
            WorkingDirectory = directory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var arg in new[] { "cms", "-verify", "-binary", "-inform", "DER", "-in", "conf.json.p7s", "-content", content,
                     "-CAfile", Path.Combine(fixture.Network.CertificatesDirectory, DevelopmentPki.RootCa + ".pem"), "-purpose", "any", "-out", "/dev/null" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start (scripts/setup.sh installs it)");
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return process.ExitCode;
    }
}
