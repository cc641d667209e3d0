namespace Broker.FunctionalTests;

/// <summary>
/// A directory made unusable for new files even to root (whom permissions do not stop): moved aside, with a regular
/// file put in its place. Files already open in it stay writable. Disposing puts the directory back.
/// </summary>
internal sealed class UnusableDirectory : IDisposable
{
    private readonly string _path;
    private readonly string _aside;

    private UnusableDirectory(string path)
    {
        _path = path;
        _aside = path + ".aside";
        Directory.Move(path, _aside);
        File.WriteAllText(path, "not a directory");
    }

    public static UnusableDirectory Replace(string path) => new(path);

    public void Dispose()
    {
        File.Delete(_path);
        Directory.Move(_aside, _path);
    }
}
