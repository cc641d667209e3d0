using System.Text.Json;
using System.Text.Json.Serialization;

namespace Broker.Router.State.Instances;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RouterInstance))]
[JsonSerializable(typeof(InstancesReport))]
internal sealed partial class RouterStateJsonContext : JsonSerializerContext;
