using Confluent.Kafka;

namespace Broker.Router.Transport.Kafka;

/// <summary>
/// Deliveries run concurrently and finish out of order; a partition's offset may be committed only up to its oldest
/// delivery still running. Tracks, per partition, the offsets started and not yet finished.
/// </summary>
internal sealed class PartitionWatermarks
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TopicPartition, State> _partitions = [];

    public void Started(TopicPartitionOffset record)
    {
        lock (_gate)
        {
            if (!_partitions.TryGetValue(record.TopicPartition, out var state))
            {
                _partitions[record.TopicPartition] = state = new State();
            }

            state.Running.Add(record.Offset.Value);
            state.Next = Math.Max(state.Next, record.Offset.Value + 1);
        }
    }

    public void Finished(TopicPartitionOffset record)
    {
        lock (_gate)
        {
            if (_partitions.TryGetValue(record.TopicPartition, out var state))
            {
                state.Running.Remove(record.Offset.Value);
            }
        }
    }

    /// <summary>The offsets to commit now (the next offset to read after everything finished), for partitions that moved.</summary>
    public List<TopicPartitionOffset> TakeCommittable(IEnumerable<TopicPartition>? only = null)
    {
        lock (_gate)
        {
            var result = new List<TopicPartitionOffset>();
            foreach (var (partition, state) in _partitions)
            {
                if (only is not null && !only.Contains(partition))
                {
                    continue;
                }

                var watermark = state.Running.Count == 0 ? state.Next : state.Running.Min;
                if (watermark > state.Committed)
                {
                    state.Committed = watermark;
                    result.Add(new TopicPartitionOffset(partition, watermark));
                }
            }

            return result;
        }
    }

    /// <summary>Forgets partitions this instance no longer owns.</summary>
    public void Forget(IEnumerable<TopicPartition> partitions)
    {
        lock (_gate)
        {
            foreach (var partition in partitions)
            {
                _partitions.Remove(partition);
            }
        }
    }

    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _partitions.Values.Sum(s => s.Running.Count);
            }
        }
    }

    private sealed class State
    {
        public SortedSet<long> Running { get; } = [];

        public long Next { get; set; }

        public long Committed { get; set; } = -1;
    }
}
