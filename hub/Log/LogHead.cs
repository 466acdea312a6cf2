namespace SupplyChain.Hub.Log;

/// <summary>The latest signed checkpoint, as the integrator last stored it; what readers prove against.</summary>
internal sealed class LogHead
{
    private readonly Lock _gate = new();
    private volatile StoredCheckpoint? _current;

    /// <summary>Raised after each <see cref="Set"/>, on the setter's thread: handlers must be quick and must not throw.</summary>
    public event Action? Changed;

    public StoredCheckpoint? Current => _current;

    public void Set(StoredCheckpoint checkpoint)
    {
        lock (_gate)
        {
            _current = checkpoint;
        }

        Changed?.Invoke();
    }

    /// <summary>
    /// Sets <paramref name="checkpoint"/> if it is larger than the current one (a checkpoint another hub signed, read back
    /// from the shared store by <see cref="LogFollower"/>); never moves the head back. True when it moved.
    /// </summary>
    public bool Advance(StoredCheckpoint checkpoint)
    {
        lock (_gate)
        {
            if (_current is { } current && current.Size >= checkpoint.Size)
            {
                return false;
            }

            _current = checkpoint;
        }

        Changed?.Invoke();
        return true;
    }
}
