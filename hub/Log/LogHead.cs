namespace SupplyChain.Hub.Log;

/// <summary>The latest signed checkpoint, as the integrator last stored it; what readers prove against.</summary>
internal sealed class LogHead
{
    private volatile StoredCheckpoint? _current;

    public StoredCheckpoint? Current => _current;

    public void Set(StoredCheckpoint checkpoint) => _current = checkpoint;
}
