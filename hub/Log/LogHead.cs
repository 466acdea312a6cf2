namespace SupplyChain.Hub.Log;

/// <summary>The latest signed checkpoint, as the integrator last stored it; what readers prove against.</summary>
internal sealed class LogHead
{
    private volatile StoredCheckpoint? _current;

    /// <summary>Raised after each <see cref="Set"/>, on the setter's thread: handlers must be quick and must not throw.</summary>
    public event Action? Changed;

    public StoredCheckpoint? Current => _current;

    public void Set(StoredCheckpoint checkpoint)
    {
        _current = checkpoint;
        Changed?.Invoke();
    }
}
