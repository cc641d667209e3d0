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
}
