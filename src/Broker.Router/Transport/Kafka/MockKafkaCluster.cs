using System.Runtime.InteropServices;
using System.Text;

namespace Broker.Router.Transport.Kafka;

/// <summary>
/// librdkafka's mock cluster: brokers that speak the Kafka protocol on real loopback sockets, in this process. For
/// tests and for trying the Kafka transport on one machine (<c>broker up --transport kafka --kafka mock</c>); a
/// deployment points the same code at a real cluster. Not exactly-once, no Admin API (topics are created here).
/// </summary>
public sealed partial class MockKafkaCluster : IDisposable
{
    private IntPtr _client;
    private IntPtr _cluster;

    public MockKafkaCluster(int brokers = 3)
    {
        RdKafkaNative.Register();
        var error = new byte[512];
        var configuration = NativeMethods.rd_kafka_conf_new();
        NativeMethods.rd_kafka_conf_set(configuration, "log_level", "3", error, (UIntPtr)error.Length);
        _client = NativeMethods.rd_kafka_new(0, configuration, error, (UIntPtr)error.Length); // takes the configuration
        if (_client == IntPtr.Zero)
        {
            throw new InvalidOperationException("rd_kafka_new failed: " + Encoding.ASCII.GetString(error).TrimEnd('\0'));
        }

        _cluster = NativeMethods.rd_kafka_mock_cluster_new(_client, brokers);
        if (_cluster == IntPtr.Zero)
        {
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed.");
        }

        BootstrapServers = Marshal.PtrToStringAnsi(NativeMethods.rd_kafka_mock_cluster_bootstraps(_cluster))!;
        Brokers = brokers;
    }

    public string BootstrapServers { get; }

    public int Brokers { get; }

    public void CreateTopic(string topic, int partitions, int replicationFactor = 1)
    {
        var code = NativeMethods.rd_kafka_mock_topic_create(_cluster, topic, partitions, replicationFactor);
        if (code != 0)
        {
            throw new InvalidOperationException($"Creating topic {topic} failed: {Marshal.PtrToStringAnsi(NativeMethods.rd_kafka_err2str(code))}");
        }
    }

    /// <summary>Takes a broker (1-based id) down or brings it back, for fault tests.</summary>
    public void SetBrokerUp(int brokerId, bool up)
    {
        var code = up ? NativeMethods.rd_kafka_mock_broker_set_up(_cluster, brokerId) : NativeMethods.rd_kafka_mock_broker_set_down(_cluster, brokerId);
        if (code != 0)
        {
            throw new InvalidOperationException($"Setting broker {brokerId} {(up ? "up" : "down")} failed: {Marshal.PtrToStringAnsi(NativeMethods.rd_kafka_err2str(code))}");
        }
    }

    public void Dispose()
    {
        if (_cluster != IntPtr.Zero)
        {
            NativeMethods.rd_kafka_mock_cluster_destroy(_cluster);
            _cluster = IntPtr.Zero;
        }

        if (_client != IntPtr.Zero)
        {
            NativeMethods.rd_kafka_destroy(_client);
            _client = IntPtr.Zero;
        }
    }

    private static partial class NativeMethods
    {
        [LibraryImport(RdKafkaNative.Library)]
        internal static partial IntPtr rd_kafka_conf_new();

        [LibraryImport(RdKafkaNative.Library, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int rd_kafka_conf_set(IntPtr conf, string name, string value, [Out] byte[] errstr, UIntPtr errstrSize);

        [LibraryImport(RdKafkaNative.Library)]
        internal static partial IntPtr rd_kafka_new(int type, IntPtr conf, [Out] byte[] errstr, UIntPtr errstrSize);

        [LibraryImport(RdKafkaNative.Library)]
        internal static partial void rd_kafka_destroy(IntPtr rk);

        [LibraryImport(RdKafkaNative.Library)]
        internal static partial IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokers);

        [LibraryImport(RdKafkaNative.Library)]
        internal static partial void rd_kafka_mock_cluster_destroy(IntPtr cluster);

        [LibraryImport(RdKafkaNative.Library)]
        internal static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);

        [LibraryImport(RdKafkaNative.Library, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int rd_kafka_mock_topic_create(IntPtr cluster, string topic, int partitions, int replicationFactor);

        [LibraryImport(RdKafkaNative.Library)]
        internal static partial int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);

        [LibraryImport(RdKafkaNative.Library)]
        internal static partial int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);

        [LibraryImport(RdKafkaNative.Library)]
        internal static partial IntPtr rd_kafka_err2str(int code);
    }
}
