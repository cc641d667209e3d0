using System.Reflection;
using System.Runtime.InteropServices;

namespace Broker.Router.Transport.Kafka;

/// <summary>
/// Binds Confluent.Kafka's <c>[DllImport("librdkafka")]</c> to Debian's <c>librdkafka.so.1</c> (package librdkafka1)
/// and its <c>libdl</c> to glibc, which has had <c>dlopen</c> since 2.34. Call before the first Confluent.Kafka use.
/// </summary>
public static class RdKafkaNative
{
    public const string Library = "librdkafka.so.1";
    private static int s_registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 0)
        {
            NativeLibrary.SetDllImportResolver(typeof(Confluent.Kafka.Library).Assembly, Resolve);
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path) => name switch
    {
        "librdkafka" => NativeLibrary.Load(Library),
        "libdl" => NativeLibrary.Load("libc.so.6"),
        _ => IntPtr.Zero,
    };
}
