using Broker.Auditor.Verify;

namespace Broker.MessageLog.Tests.Auditor;

/// <summary>STYLE.md rule 18: the auditor references the format libraries only, no server project and no ASP.NET.</summary>
public sealed class AuditorBoundaryTests
{
    [Fact]
    public void Auditor_ReferencesOnlyTheFormatLibraries()
    {
        var references = typeof(AuditVerifier).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.All(references.Where(r => r.StartsWith("Broker.", StringComparison.Ordinal)), r => Assert.Contains(r, new[] { "Broker.MessageLog", "Broker.Cryptography", "Broker.Protocol" }));
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(typeof(Broker.MessageLog.Verification.LogVerifier).Assembly.GetReferencedAssemblies(), a => a.Name!.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    // the compiled references list only assemblies whose types are used; the project file is what a new dependency changes
    [Fact]
    public void AuditorProject_DeclaresOnlyTheFormatLibraries_AndNoFramework()
    {
        var project = System.Xml.Linq.XDocument.Load(Path.Combine(Broker.Testing.TestNetwork.RepositoryRoot, "src", "Broker.Auditor", "Broker.Auditor.csproj"));
        var declared = project.Descendants("ProjectReference").Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value)).Order().ToList();

        Assert.Equal(["Broker.Cryptography", "Broker.MessageLog", "Broker.Protocol"], declared);
        Assert.Empty(project.Descendants("FrameworkReference"));
    }
}
